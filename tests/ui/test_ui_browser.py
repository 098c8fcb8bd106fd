"""Pilot tests of the deck browser, the card form and the import dialog: what a person sees
after searching, what is on disk after adding, editing or deleting a card, and what an
import through the UI writes."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.ui.support import (
    T0,
    Clock,
    deck,
    screen_text,
    scores,
    type_text,
    wait_for,
    widget_text,
)
from textual.widgets import DataTable, Input, ProgressBar, Select, Static, TextArea

from quizapp.decks import load_deck, write_deck
from quizapp.models import AnswerEvent, Card
from quizapp.paths import Locations
from quizapp.search import CardIndex
from quizapp.store import ScoreStore
from quizapp.ui.app import QuizApp, make_app
from quizapp.ui.dialogs.card_form import CardForm
from quizapp.ui.dialogs.confirm import ConfirmScreen
from quizapp.ui.dialogs.help import HelpScreen
from quizapp.ui.dialogs.import_deck import ImportScreen
from quizapp.ui.screens.browser import PAGE, BrowserScreen
from quizapp.ui.screens.home import HomeScreen

FIXTURES = Path(__file__).parent.parent / "fixtures"

GEO = [
    dict(id="fr", kind="choice", question="Capital of France?", answer="Paris",
         distractors=["Lyon", "Nice"], tags=["europe", "capital"], section="Europe"),
    dict(id="jp", kind="text", question="Capital of Japan?", answer="Tokyo",
         accept=["Edo"], explanation="Since 1868.", tags=["asia", "capital"]),
    dict(id="rivers", kind="order", question="Longest river first", answer=["Nile", "Amazon", "Yangtze"],
         tags=["rivers"]),
    dict(id="everest", kind="flip", question="Highest mountain", answer="Everest",
         explanation="Also called Chomolungma.", tags=["asia"]),
]


def locations(tmp_path: Path) -> Locations:
    """A user decks folder and a bundled one, both in tmp_path."""
    return Locations(
        scores=tmp_path / "data" / "scores.toml",
        user_decks=tmp_path / "user-decks",
        bundled_decks=tmp_path / "bundled",
        settings=tmp_path / "config" / "settings.toml",
    )


def setup(tmp_path: Path, *, user=(("geo", GEO),), bundled=()) -> Locations:
    where = locations(tmp_path)
    for folder, decks in ((where.user_decks, user), (where.bundled_decks, bundled)):
        folder.mkdir(parents=True, exist_ok=True)
        for deck_id, cards in decks:
            write_deck(deck(deck_id, list(cards)), folder / f"{deck_id}.toml")
    return where


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_browser(pilot, deck_id: str) -> BrowserScreen:
    await settle(pilot)
    table = pilot.app.screen.query_one("#decks", DataTable)
    table.move_cursor(row=table.get_row_index(deck_id))
    await pilot.press("b")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, BrowserScreen)
    return screen


def row_ids(app: QuizApp) -> list[str]:
    table = app.screen.query_one("#cards", DataTable)
    return [row.key.value for row in table.ordered_rows]


async def highlight(pilot, card_id: str) -> None:
    table = pilot.app.screen.query_one("#cards", DataTable)
    table.move_cursor(row=table.get_row_index(card_id))
    await pilot.pause()


async def search(pilot, text: str) -> None:
    """Type into the search box and wait for the (debounced) filter."""
    field = pilot.app.screen.query_one("#search", Input)
    field.focus()
    field.value = ""
    await type_text(pilot, text)
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen._timer is None)  # the debounced filter has run


# --------------------------------------------------------------------------- browsing


async def test_search_by_text_and_tag_narrows_the_rows(tmp_path: Path) -> None:
    app = make_app(setup(tmp_path), now=Clock())
    async with app.run_test(size=(110, 30)) as pilot:
        await open_browser(pilot, "geo")
        assert row_ids(app) == ["fr", "jp", "rivers", "everest"]
        assert "4 cards" in screen_text(app)
        await search(pilot, "CAPITAL")  # case does not matter
        assert row_ids(app) == ["fr", "jp"]
        assert "2 of 4 cards match" in screen_text(app)
        await search(pilot, "edo")  # an accepted answer
        assert row_ids(app) == ["jp"]
        await search(pilot, "lyon")  # a distractor
        assert row_ids(app) == ["fr"]
        await search(pilot, "chomolungma")  # the explanation
        assert row_ids(app) == ["everest"]
        await search(pilot, "amazon")  # an item of an order card
        assert row_ids(app) == ["rivers"]
        await search(pilot, "tag:asia")
        assert row_ids(app) == ["jp", "everest"]
        await search(pilot, "tag:asia capital")
        assert row_ids(app) == ["jp"]
        await search(pilot, "")
        app.screen.query_one("#tag", Select).value = "capital"
        await pilot.pause()
        assert row_ids(app) == ["fr", "jp"]
        await search(pilot, "japan")
        assert row_ids(app) == ["jp"]
        await search(pilot, "nothing like this")
        assert row_ids(app) == [] and "0 of 4 cards match" in screen_text(app)
        browser = app.screen
        assert browser.check_action("edit", ()) is None and browser.check_action("add", ()) is True
        await pilot.press("escape")  # leaves the search box for the table
        assert isinstance(app.screen, BrowserScreen) and app.focused is app.screen.query_one("#cards")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_markup_and_control_characters_show_literally(tmp_path: Path) -> None:
    where = setup(tmp_path, user=())
    shutil.copy(FIXTURES / "decks" / "markup.toml", where.user_decks / "markup.toml")
    app = make_app(where, now=Clock())
    async with app.run_test(size=(140, 30)) as pilot:
        await open_browser(pilot, "markup")
        text = screen_text(app)
        assert "Which is [bold]bold[/]? [link=x]link[/link]" in text
        assert "[@click=app.quit]quit[/]" in text
        assert "Front [@click=app.bell]bell[/]" in text
        assert "[first] → [/second]" in text
        assert "␛[31mred" in text  # the title's escape sequence, made visible
        assert "\x1b" not in text
        await search(pilot, "[bold]")  # searching for markup finds it as text
        assert row_ids(app) == ["c1", "t1", "o1"]
        assert app.is_running  # no [@click=app.quit] ran


async def test_the_form_shows_control_characters_and_keeps_them_in_fields_left_alone(
        tmp_path: Path) -> None:
    where = setup(tmp_path, user=())
    path = where.user_decks / "markup.toml"
    shutil.copy(FIXTURES / "decks" / "markup.toml", path)
    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 40)) as pilot:
        await open_browser(pilot, "markup")
        await highlight(pilot, "c1")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CardForm)
        distractors = form.query_one("#f-distractors", TextArea)
        assert "bell␇ back␈ del␡ rtl<U+202E>evil" in distractors.text
        text = screen_text(app)
        assert "␛[31mred␛[0m" in text and "\x1b" not in text and "\u202e" not in text
        form.query_one("#f-question", TextArea).load_text("Which is bold?")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
    card = load_deck(path).card("c1")
    assert card.question == "Which is bold?"
    assert card.distractors == ["[/]", "[/", "bell\u0007 back\u0008 del\u007f rtl\u202eevil"]
    assert card.explanation == "Explained with [italic]markup[/italic] and \u001b]8;;http://x\u001b\\osc"
    assert card.answer == "[@click=app.quit]quit[/]"


async def test_a_large_deck_shows_a_page_and_adds_more_at_the_bottom(tmp_path: Path) -> None:
    many = [dict(id=f"q{i}", kind="flip", question=f"Question {i}", answer=f"Answer {i}",
                 tags=["even" if i % 2 == 0 else "odd"]) for i in range(PAGE * 3)]
    app = make_app(setup(tmp_path, user=(("big", many),)), now=Clock())
    async with app.run_test(size=(110, 30)) as pilot:
        await open_browser(pilot, "big")
        assert len(row_ids(app)) == PAGE
        assert f"{PAGE * 3:,} cards · showing the first {PAGE}" in screen_text(app)
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert len(row_ids(app)) == PAGE * 2
        await search(pilot, "tag:odd question 1")
        ids = row_ids(app)
        assert ids[:3] == ["q1", "q11", "q13"] and all(int(i[1:]) % 2 for i in ids)


async def test_clearing_a_search_keeps_a_far_card_with_a_page_around_it(tmp_path: Path) -> None:
    """A card found deep in a big deck stays highlighted when the search is cleared, and the
    table then holds a page before and after it, not every row up to it; moving onto the
    first row brings the page before, the cursor still on its card."""
    many = [dict(id=f"q{i}", kind="flip", question=f"Question {i}", answer=f"Answer {i}")
            for i in range(PAGE * 10)]
    last = PAGE * 10 - 1
    app = make_app(setup(tmp_path, user=(("big", many),)), now=Clock())
    async with app.run_test(size=(110, 30)) as pilot:
        screen = await open_browser(pilot, "big")
        await search(pilot, f"Question {last - 50}")
        assert row_ids(app) == [f"q{last - 50}"]
        field = screen.query_one("#search", Input)
        field.value = ""
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.selected_card().id == f"q{last - 50}"
        ids = row_ids(app)
        assert ids[0] == f"q{last - 50 - PAGE}" and ids[-1] == f"q{last}"
        assert f"showing {last - 50 - PAGE + 1:,}–{last + 1:,} (move up for more)" in screen_text(app)
        await pilot.press("ctrl+home")  # the window's first row: the page before comes in
        await pilot.pause()
        assert screen.selected_card().id == f"q{last - 50 - PAGE}"
        assert row_ids(app)[0] == f"q{last - 50 - 2 * PAGE}"
        assert len(row_ids(app)) == 2 * PAGE + 51


def test_card_index_matches_every_word_and_tag() -> None:
    cards = [Card(**c) for c in GEO]
    index = CardIndex(cards)
    assert index.matches("") == [0, 1, 2, 3]
    assert index.matches("capital japan") == [1]
    assert index.matches("TAG:Asia") == [1, 3]
    assert index.matches("", tag="rivers") == [2]
    assert index.matches("paris", tag="asia") == []


# --------------------------------------------------------------------------- editing


async def test_editing_a_card_keeps_its_id_and_its_progress(tmp_path: Path) -> None:
    where = setup(tmp_path)
    store = ScoreStore(where.scores)
    store.load()
    store.append(AnswerEvent(deck="geo", card="jp", session="s1", at=T0, result="right"))
    path = where.user_decks / "geo.toml"
    # A person's own notes in the file: a change to one card must leave them alone.
    before = "# My geography deck: keep this note.\n" + path.read_text(encoding="utf-8")
    before = before.replace('id = "rivers"', 'id = "rivers"  # the longest ones')
    path.write_text(before, encoding="utf-8")
    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 34)) as pilot:
        await open_browser(pilot, "geo")
        await highlight(pilot, "jp")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CardForm)
        assert form.query_one("#f-id", Input).disabled  # the id cannot be changed
        question = form.query_one("#f-question", TextArea)
        question.clear()
        question.focus()
        await type_text(pilot, "Which city is the capital of Japan?")
        form.query_one("#f-tags", Input).value = "asia capital cities"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        assert "Which city is the capital of Japan?" in screen_text(app)
        # The catalog was reloaded: home has the new text too.
        assert app.catalog.get("geo").deck.card("jp").question == "Which city is the capital of Japan?"

    saved = load_deck(path)
    assert [c.id for c in saved.cards] == ["fr", "jp", "rivers", "everest"]
    after = path.read_text(encoding="utf-8")
    # Everything before the edited card and from the next card on is byte for byte the same.
    assert after.split('id = "jp"')[0] == before.split('id = "jp"')[0]
    assert after.split('id = "jp"')[1].split("[[cards]]", 1)[1] == (
        before.split('id = "jp"')[1].split("[[cards]]", 1)[1])
    assert 'id = "rivers"  # the longest ones' in after
    card = saved.card("jp")
    assert card.question == "Which city is the capital of Japan?"
    assert card.tags == ["asia", "capital", "cities"]
    assert (card.answer, card.accept, card.explanation) == ("Tokyo", ["Edo"], "Since 1868.")
    record = scores(where.scores).cards["geo"]["jp"]
    assert (record.seen, record.right) == (1, 1)


async def test_adding_a_card_writes_it_to_the_deck_file(tmp_path: Path) -> None:
    where = setup(tmp_path)
    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 34)) as pilot:
        await open_browser(pilot, "geo")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CardForm)
        assert form.query_one("#f-id", Input).value == "card-5"
        form.query_one("#f-kind", Select).value = "order"
        form.query_one("#f-question", TextArea).focus()
        await type_text(pilot, "Smallest first")
        form.query_one("#f-answer", TextArea).focus()
        await pilot.press(*"one", "enter", *"two", "enter", "enter", *"three")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        assert row_ids(app)[-1] == "card-5"
        assert "5 cards" in screen_text(app)
    added = load_deck(where.user_decks / "geo.toml").card("card-5")
    assert added is not None
    assert (added.kind, added.question, added.answer) == ("order", "Smallest first", ["one", "two", "three"])


async def test_deleting_a_card_asks_first(tmp_path: Path) -> None:
    where = setup(tmp_path)
    path = where.user_decks / "geo.toml"
    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 30)) as pilot:
        await open_browser(pilot, "geo")
        await highlight(pilot, "rivers")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep it
        await pilot.pause()
        assert [c.id for c in load_deck(path).cards] == ["fr", "jp", "rivers", "everest"]
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert row_ids(app) == ["fr", "jp", "everest"]
    assert [c.id for c in load_deck(path).cards] == ["fr", "jp", "everest"]


async def test_invalid_input_shows_the_problem_and_writes_nothing(tmp_path: Path) -> None:
    where = setup(tmp_path)
    path = where.user_decks / "geo.toml"
    before = path.read_bytes()
    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 34)) as pilot:
        await open_browser(pilot, "geo")
        await highlight(pilot, "fr")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-question", TextArea).load_text("   ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open
        errors = str(form.query_one("#errors", Static).visual)
        assert errors == "cards[0].question: must not be empty"
        form.query_one("#f-question", TextArea).load_text("Capital of France?")
        form.query_one("#f-distractors", TextArea).load_text("Lyon\nparis")  # the answer itself
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        errors = str(form.query_one("#errors", Static).visual)
        assert errors == "cards[0].distractors: 'paris' is the answer itself"
        await pilot.press("escape")  # changed fields: it asks before throwing them away
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        # A new card may not reuse an id, nor be an order card with one item.
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-id", Input).value = "jp"
        form.query_one("#f-kind", Select).value = "order"
        form.query_one("#f-question", TextArea).load_text("Sort")
        form.query_one("#f-answer", TextArea).load_text("alone")
        await pilot.press("ctrl+s")
        await pilot.pause()
        errors = str(form.query_one("#errors", Static).visual)
        assert "cards[4].id: duplicate card id 'jp' (already used by cards[1])" in errors
        assert "cards[4].answer: an order card needs a list of at least 2 items" in errors
        assert isinstance(app.screen, CardForm)
        await pilot.press("escape", "y")
        await settle(pilot)
    assert path.read_bytes() == before


async def test_a_bundled_deck_is_read_only(tmp_path: Path) -> None:
    where = setup(tmp_path, bundled=(("builtin", GEO),))
    path = where.bundled_decks / "builtin.toml"
    before = path.read_bytes()
    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 30)) as pilot:
        screen = await open_browser(pilot, "builtin")
        assert "bundled deck is read-only" in screen_text(app)
        for action in ("add", "edit", "delete"):
            assert screen.check_action(action, ()) is None  # greyed out in the Footer
        await highlight(pilot, "jp")
        await pilot.press("e", "a", "d", "enter")
        await pilot.pause()
        assert app.screen is screen
        await search(pilot, "paris")  # browsing still works
        assert row_ids(app) == ["fr"]
    assert path.read_bytes() == before


async def test_a_deck_changed_on_disk_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    where = setup(tmp_path)
    path = where.user_decks / "geo.toml"
    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 34)) as pilot:
        await open_browser(pilot, "geo")
        # Someone edits the file in an editor while the browser is open.
        changed = deck("geo", [*GEO, dict(id="new", kind="flip", question="Q", answer="A")])
        write_deck(changed, path)
        before = path.read_bytes()
        await highlight(pilot, "rivers")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert "changed on disk" in "\n".join(str(n.message) for n in app._notifications)
    assert path.read_bytes() == before


async def test_an_edit_refused_because_the_file_changed_keeps_what_was_typed(tmp_path: Path) -> None:
    """QA s5: the refusal of a stale edit threw away the card the person had written. The
    form comes back with it, the browser shows the file as it is now, and saving again puts
    the card into that file without losing the other window's change."""
    where = setup(tmp_path)
    path = where.user_decks / "geo.toml"
    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 34)) as pilot:
        await open_browser(pilot, "geo")
        await highlight(pilot, "jp")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CardForm)
        question = form.query_one("#f-question", TextArea)
        question.clear()
        question.focus()
        await type_text(pilot, "Which city is Japan's capital?")
        # Meanwhile, another window adds a card to the file.
        write_deck(deck("geo", [*GEO, dict(id="new", kind="flip", question="Q", answer="A")]),
                   path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, CardForm) and again is not form
        assert again.query_one("#f-question", TextArea).text == "Which city is Japan's capital?"
        assert "changed on disk" in widget_text(again.query_one("#errors", Static))
        assert load_deck(path).card("jp").question == "Capital of Japan?"  # nothing written
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
        assert "new" in row_ids(app)
    saved = load_deck(path)
    assert [c.id for c in saved.cards] == ["fr", "jp", "rivers", "everest", "new"]
    assert saved.card("jp").question == "Which city is Japan's capital?"


async def test_a_new_card_that_cannot_be_written_stays_in_the_form(tmp_path: Path) -> None:
    """A full disk (or any write error): the form opens again with the new card and why,
    and Cancel asks before throwing it away."""
    import pytest

    from quizapp import deckfiles

    where = setup(tmp_path)
    path = where.user_decks / "geo.toml"
    before = path.read_bytes()

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 34)) as pilot:
        await open_browser(pilot, "geo")
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CardForm)
        form.query_one("#f-question", TextArea).focus()
        await type_text(pilot, "Capital of Peru?")
        form.query_one("#f-answer", TextArea).focus()
        await type_text(pilot, "Lima")
        # (Its own patcher: undoing the test's would also undo conftest's isolated home.)
        disk = pytest.MonkeyPatch()
        disk.setattr(deckfiles, "atomic_write_text", full)
        await pilot.press("ctrl+s")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, CardForm) and again is not form
        assert again.query_one("#f-question", TextArea).text == "Capital of Peru?"
        assert again.query_one("#f-answer", TextArea).text == "Lima"
        assert "No space left on device" in widget_text(again.query_one("#errors", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # the draft is not dropped silently
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is again
        disk.undo()  # the disk has room again
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen)
    assert path.read_bytes() != before
    assert load_deck(path).card("card-5").answer == "Lima"


# --------------------------------------------------------------------------- importing


ANKI = """#separator:tab
#html:true
#deck:Birds of Europe
#colour:blue
#tags column:3
Robin<br>(small)\tErithacus rubecula\tgarden
[b]Wren[/b]\tTroglodytes &amp; co\tgarden small
"""


async def start_import(pilot, path: Path, deck_id: str = "") -> ImportScreen:
    await settle(pilot)
    await pilot.press("i")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    screen.query_one("#import-path", Input).value = str(path)
    if deck_id:
        screen.query_one("#import-id", Input).value = deck_id
    screen.query_one("#import-path", Input).focus()
    await pilot.press("enter")
    await settle(pilot)
    return screen


async def test_importing_an_anki_file_creates_the_deck(tmp_path: Path, monkeypatch) -> None:
    where = setup(tmp_path)
    source = tmp_path / "birds.txt"
    source.write_text(ANKI, encoding="utf-8")
    seen: list[tuple[int, int]] = []
    shown = ImportScreen._progress

    def progress(self, done: int, total: int) -> None:
        seen.append((done, total))
        shown(self, done, total)

    monkeypatch.setattr(ImportScreen, "_progress", progress)
    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await start_import(pilot, source)
        text = screen_text(app)
        assert "Imported 2 cards as deck birds-of-europe" in text
        warnings = str(screen.query_one("#import-warnings", Static).visual)
        assert warnings == f"Warnings:\n{source}:4: header #colour ignored"
        assert seen and seen[-1][0] == seen[-1][1] > 0  # the bar followed the reading
        bar = screen.query_one("#import-progress", ProgressBar)
        assert bar.progress == bar.total == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Birds of Europe" in screen_text(app)
        table = app.screen.query_one("#decks", DataTable)
        assert "birds-of-europe" in [r.key.value for r in table.ordered_rows]
    saved = load_deck(where.user_decks / "birds-of-europe.toml")
    assert [c.question for c in saved.cards] == ["Robin\n(small)", "[b]Wren[/b]"]
    assert saved.cards[1].answer == "Troglodytes & co"
    assert saved.cards[1].tags == ["garden", "small"]


async def test_an_import_whose_id_is_taken_is_refused(tmp_path: Path) -> None:
    where = setup(tmp_path)
    source = tmp_path / "birds.txt"
    source.write_text(ANKI, encoding="utf-8")
    before = (where.user_decks / "geo.toml").read_bytes()
    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 34)) as pilot:
        screen = await start_import(pilot, source, deck_id="geo")
        errors = str(screen.query_one("#import-errors", Static).visual)
        assert f"'geo' is already used by {where.user_decks / 'geo.toml'}" in errors
        assert "Nothing was imported." in screen_text(app)
        # A missing file is named too, and the dialog stays open for another try.
        screen.query_one("#import-id", Input).value = ""
        screen.query_one("#import-path", Input).value = str(tmp_path / "missing.txt")
        await pilot.press("enter")
        await settle(pilot)
        errors = str(screen.query_one("#import-errors", Static).visual)
        assert "missing.txt: cannot read" in errors
        assert app.screen is screen
    assert (where.user_decks / "geo.toml").read_bytes() == before
    assert sorted(p.name for p in where.user_decks.iterdir()) == ["geo.toml"]


async def test_a_long_import_moves_the_progress_bar(tmp_path: Path, monkeypatch) -> None:
    where = setup(tmp_path)
    source = tmp_path / "terms.txt"  # Quizlet's export: term TAB definition
    source.write_text("".join(f"term {i}\tdefinition {i}\n" for i in range(1500)), encoding="utf-8")
    seen: list[tuple[int, int]] = []
    shown = ImportScreen._progress

    def progress(self, done: int, total: int) -> None:
        seen.append((done, total))
        shown(self, done, total)

    monkeypatch.setattr(ImportScreen, "_progress", progress)
    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 34)) as pilot:
        await start_import(pilot, source)
        assert "Imported 1,500 cards as deck terms" in screen_text(app)
    assert len(seen) >= 3 and 0 < seen[0][0] < seen[0][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and seen[-1][0] == seen[-1][1]
    assert len(load_deck(where.user_decks / "terms.toml").cards) == 1500


# --------------------------------------------------------------------------- pictures


def _markup_app(tmp_path: Path) -> QuizApp:
    where = setup(tmp_path)
    shutil.copy(FIXTURES / "decks" / "markup.toml", where.user_decks / "markup.toml")
    return make_app(where, now=Clock())


def test_browser_snapshot(tmp_path: Path, snap_compare) -> None:
    """The browser on the hostile "markup" deck at 100x24: the title with its brackets and
    a visible ␛; a search box and an "All tags" select; four rows whose question and answer
    cells show [bold], [@click=...] and [/] as typed text and <U+202E> for the bidi
    override; "4 cards" under the table; the Footer offers Back, Search, Add, Edit, Delete."""

    async def run_before(pilot) -> None:
        await open_browser(pilot, "markup")

    assert snap_compare(_markup_app(tmp_path), terminal_size=(100, 24), run_before=run_before)


def test_card_form_snapshot(tmp_path: Path, snap_compare) -> None:
    """The form editing card c1 of markup.toml at 100x34: a fixed id, kind "choice", the
    question with ␛[31m made visible, the Reverse box unticked, the three distractors one per line (with ␇ ␈ ␡ and
    <U+202E>), the note that control characters are shown as symbols, and Save / Cancel."""

    async def run_before(pilot) -> None:
        await open_browser(pilot, "markup")
        await highlight(pilot, "c1")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CardForm))
        # The focused field's cursor is drawn steadily: blinking, the picture depended on
        # whether the 0.5 s blink timer had fired yet (it had, once, under load).
        for field in pilot.app.screen.query("Input, TextArea"):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(_markup_app(tmp_path), terminal_size=(100, 34), run_before=run_before)


async def test_f1_lists_the_card_editors_keys_and_a_typed_question_mark_stays_text(
        tmp_path: Path) -> None:
    app = make_app(setup(tmp_path), now=Clock())
    async with app.run_test(size=(100, 40)) as pilot:
        await open_browser(pilot, "geo")
        await highlight(pilot, "jp")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, CardForm))
        form = app.screen
        question = form.query_one("#f-question", TextArea)
        question.focus()
        question.load_text("Capital of Japan")
        question.move_cursor(question.document.end)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is form and question.text == "Capital of Japan?"
        await pilot.press("f1")  # F1 from inside the field
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert widget_text(app.screen.query_one("#help-title", Static)) == "Keys: Card editor"
        keys = widget_text(app.screen.query_one("#help-keys", Static))
        assert "^s  Save" in keys and "esc  Cancel" in keys
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is form)
        assert question.text == "Capital of Japan?"
        form.set_focus(None)  # outside a text field '?' opens help too
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
