"""Bringing an Anki collection into the app: the import dialog takes an .apkg (one deck
per Anki deck), and a cloze card is asked one gap at a time with a typed answer, each gap
recorded under its own id."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.ui.support import Clock, build, deck, ready, screen_text, scores, start, type_text
from textual.widgets import Checkbox, DataTable, Input, Static

from quizapp.decks import load_deck, write_deck
from quizapp.models import AnswerEvent, Card
from quizapp.store import ScoreStore
from quizapp.ui.dialogs.confirm import ConfirmScreen
from quizapp.ui.dialogs.import_deck import ImportScreen
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.question import QuestionScreen

ANKI = Path(__file__).resolve().parent.parent / "fixtures" / "anki"


async def test_importing_an_apkg_in_the_app_adds_every_deck(tmp_path: Path) -> None:
    app = build(tmp_path, deck("start", [dict(id="a", kind="flip", question="q", answer="a")]))
    async with app.run_test(size=(100, 34)) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#import-path", Input).value = str(ANKI / "sample.apkg")
        screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(screen.query_one("#import-status", Static).visual)
        assert "Imported 3 decks" in status
        assert "languages (Languages): 10 cards" in status
        warnings = str(screen.query_one("#import-warnings", Static).visual)
        assert "note 'lang-empty' (Basic: 'Empty back') in deck 'Languages': empty back" in warnings
        await pilot.press("escape")
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        rows = [r.key.value for r in app.screen.query_one("#decks", DataTable).ordered_rows]
        assert {"geography", "geography-capitals", "languages"} <= set(rows)
    user = tmp_path / "user-decks"
    assert (user / "geography.media" / "map.png").is_file()


async def test_the_import_dialog_brings_the_review_history_when_asked(tmp_path: Path,
                                                                     monkeypatch) -> None:
    """"History" is ``--with-progress``: the package's reviews go into the score file and
    the dialog says how many (a long history, batch by batch, as it goes); asked of a text
    file, it says why not and imports nothing."""
    from quizapp.interop import anki_progress

    monkeypatch.setattr(anki_progress, "BATCH", 2)
    shown: list[str] = []
    update = Static.update
    monkeypatch.setattr(Static, "update", lambda self, content="", **kw: (
        shown.append(str(content)), update(self, content, **kw))[1])
    app = build(tmp_path, deck("start", [dict(id="a", kind="flip", question="q", answer="a")]))
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#import-history", Checkbox).value = True
        screen.query_one("#import-path", Input).value = str(ANKI / "notes.txt")
        screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "a text export has none" in str(screen.query_one("#import-errors", Static).visual)
        assert not screen.running
        screen.query_one("#import-path", Input).value = str(ANKI / "sample.apkg")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(screen.query_one("#import-status", Static).visual)
        assert "Imported 3 decks" in status
        assert ("Review history: 4 answer(s) of 2 card(s) added to your scores; 1 card(s) "
                "suspended as in Anki") in status
        assert "Writing the review history: 2 answers so far…" in shown
    france = scores(tmp_path / "data" / "scores.toml").cards["geography-capitals"]["geo-france"]
    assert (france.seen, france.right, france.wrong) == (3, 2, 1)


async def test_the_import_dialog_updates_decks_from_the_same_package(tmp_path: Path) -> None:
    """Importing a package again is refused unless "Update" is ticked; with it, the decks
    are updated in place and, with "History", only reviews not counted yet come in. Before
    a card with progress leaves its deck, the dialog asks."""
    app = build(tmp_path, deck("start", [dict(id="a", kind="flip", question="q", answer="a")]))
    package = str(ANKI / "sample-legacy.apkg")

    async def run_import(update: bool) -> ImportScreen:
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#import-history", Checkbox).value = True
        screen.query_one("#import-update", Checkbox).value = update
        screen.query_one("#import-path", Input).value = package
        screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        return screen

    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await run_import(update=False)
        await pilot.press("escape")
        await ready(pilot)
        again = await run_import(update=False)
        assert "tick Update, or type another deck id" in str(
            again.query_one("#import-errors", Static).visual)
        again.query_one("#import-update", Checkbox).value = True
        again.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(again.query_one("#import-status", Static).visual)
        assert "Updated or imported 3 decks" in status
        assert "Review history: 0 answer(s) of 0 card(s)" in status
        await pilot.press("escape")
        await ready(pilot)
        # A card of the person's own with progress, which the package does not have: the
        # dialog does not take it away (the command line asks first).
        mine = tmp_path / "user-decks" / "geography-capitals.toml"
        capitals = load_deck(mine)
        write_deck(capitals.model_copy(update={"cards": [*capitals.cards, Card(
            id="mine", kind="flip", question="Capital of Peru?", answer="Lima")]}), mine)
        ScoreStore(tmp_path / "data" / "scores.toml").append(AnswerEvent(
            id="m1", deck="geography-capitals", card="mine", session="s",
            at=datetime.now(UTC), result="right", rating=3))
        asked = await run_import(update=True)
        assert isinstance(app.screen, ConfirmScreen)
        assert "1 card(s) with progress will leave their deck" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert "Nothing was changed" in str(asked.query_one("#import-errors", Static).visual)
        assert load_deck(mine).card("mine") is not None  # nothing written
        asked.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Updated or imported 3 decks" in str(
            asked.query_one("#import-status", Static).visual)
    assert load_deck(mine).card("mine") is None  # (its answers stay in the score file)
    assert scores(tmp_path / "data" / "scores.toml").cards["geography-capitals"]["mine"].seen == 1
    france = scores(tmp_path / "data" / "scores.toml").cards["geography-capitals"]["geo-france"]
    assert (france.seen, france.right, france.wrong) == (3, 2, 1)


async def test_a_cloze_card_is_asked_gap_by_gap(tmp_path: Path) -> None:
    cloze = deck("fr", [dict(id="bonjour", kind="cloze",
                             question="{{c1::Bonjour}} means {{c2::hello::greeting}} [b]here[/b].",
                             explanation="Used all day.")])
    app = build(tmp_path, cloze, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "fr")
        assert isinstance(app.screen, QuestionScreen)
        text = screen_text(app)
        assert "[...] means hello [b]here[/b]." in text  # markup shown as text
        assert "cloze" in text
        await type_text(pilot, "bonjur")  # one typo: still right
        await pilot.press("enter")
        await pilot.pause()
        assert "Right" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "Bonjour means [greeting] [b]here[/b]." in screen_text(app)
        app.screen.query_one("#typed", Input).focus()
        await type_text(pilot, "goodbye")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Wrong" in text and "hello" in text and "Used all day." in text
    records = scores(tmp_path / "data" / "scores.toml").cards["fr"]
    assert records["bonjour.c1"].right == 1 and records["bonjour.c2"].wrong == 1


async def test_the_card_form_writes_cloze_and_reversed_cards(tmp_path: Path) -> None:
    """In the browser: add a cloze card (Answer left empty) and tick Reverse on a flip
    card; the deck file holds both and the browser marks the reversed one."""
    from textual.widgets import Checkbox, Select, TextArea

    from quizapp.decks import load_deck
    from quizapp.ui.dialogs.card_form import CardForm
    from quizapp.ui.screens.browser import BrowserScreen

    start_deck = deck("words", [dict(id="rhine", kind="flip", question="Rhine", answer="a river")])
    app = build(tmp_path, start_deck)
    user = tmp_path / "decks" / "words.toml"
    async with app.run_test(size=(110, 34)) as pilot:
        await ready(pilot)
        table = app.screen.query_one("#decks", DataTable)
        table.move_cursor(row=table.get_row_index("words"))
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CardForm)
        form.query_one("#f-kind", Select).value = "cloze"
        form.query_one("#f-question", TextArea).load_text("{{c1::Paris}} is in {{c2::France}}")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        app.screen.query_one("#cards", DataTable).move_cursor(row=0)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CardForm)
        form.query_one("#f-reverse", Checkbox).value = True
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "flip ⇄" in screen_text(app)
    saved = load_deck(user)
    assert [c.id for c in saved.asked] == ["rhine", "rhine.reverse", "card-2.c1", "card-2.c2"]
    assert saved.card("card-2").answer is None

