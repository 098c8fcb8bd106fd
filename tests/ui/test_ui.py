"""Pilot tests: whole sessions of each card kind played through key presses (and a few
clicks), then the score file read back as a fresh process would read it."""

from __future__ import annotations

from pathlib import Path

from tests.ui.support import (
    CHOICE, FLIP, ORDER, T0, TEXT, Clock, build, choice_number, deck, ready, scores, screen_text,
    start, type_text, wait_for, widget_text,
)
from textual.widgets import DataTable, Input

from quizapp.models import AnswerEvent, SuspendEvent
from quizapp.plan import PlayPlan
from quizapp.scheduling import Grade, interval_label, next_intervals
from quizapp.store import ScoreStore
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.question import QuestionScreen
from quizapp.ui.screens.summary import SummaryScreen


def _scores_path(app) -> Path:
    return app.locations.scores


async def test_choice_session_by_number_keys_arrows_and_a_click(tmp_path: Path) -> None:
    clock = Clock()
    app = build(tmp_path, deck("caps", CHOICE), clock=clock)
    async with app.run_test() as pilot:
        await start(pilot, "caps", "o")
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        assert "Capital of Japan?" in screen_text(app)
        # c1: right, with its number key.
        clock.tick(5)
        await pilot.press(choice_number(app, "Tokyo"))
        text = screen_text(app)
        assert "✔ Right" in text and "Answer: Tokyo" in text
        assert "Tokyo since 1868." in text and "From the article: Asia" in text
        assert "Score 1/1" in text
        await pilot.press("enter")
        # c2: wrong, with the arrows and Enter.
        wrong = next(o for o in app.screen.query_one("#choices").choices if o != "Paris")
        target = int(choice_number(app, wrong)) - 1
        choices = app.screen.query_one("#choices")
        choices.highlighted = 0
        await pilot.press(*["down"] * target, "enter")
        assert "✘ Wrong" in screen_text(app) and "Answer: Paris" in screen_text(app)
        await pilot.press("enter")
        # c3: right, with a mouse click on the option.
        index = int(choice_number(app, "Lima")) - 1
        await pilot.click("#choices", offset=(6, 1 + index))
        await pilot.pause()
        assert "✔ Right" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Score 2/3 · 67% · time 0:05" in text
        assert "Capital of France?" in text and "Answer: Paris" in text

    saved = scores(_scores_path(app))
    cards = saved.cards["caps"]
    assert (cards["c1"].right, cards["c1"].wrong, cards["c1"].last_result) == (1, 0, "right")
    assert (cards["c2"].right, cards["c2"].wrong, cards["c2"].last_result) == (0, 1, "wrong")
    assert cards["c3"].right == 1
    [session] = saved.sessions
    assert (session.deck, session.mode, session.score, session.total) == ("caps", "order", 2, 3)
    assert session.missed == ["c2"] and session.end is not None


async def test_text_session_typed_answers_are_checked_leniently(tmp_path: Path) -> None:
    app = build(tmp_path, deck("words", TEXT))
    async with app.run_test() as pilot:
        await start(pilot, "words", "o")
        assert app.focused is app.screen.query_one("#typed", Input)
        await type_text(pilot, "william shakespere")  # an alias, with a typo
        await pilot.press("enter")
        text = screen_text(app)
        assert "✔ Right" in text and "Answer: Shakespeare" in text and "From the article: Plays" in text
        await pilot.press("enter")
        await type_text(pilot, "Saturn")
        await pilot.press("enter")
        assert "✘ Wrong" in screen_text(app) and "You said: Saturn" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Score 1/2 · 50%" in screen_text(app)
    saved = scores(_scores_path(app))
    assert saved.cards["words"]["t1"].last_result == "right"
    assert saved.cards["words"]["t2"].last_result == "wrong"
    assert saved.sessions[0].missed == ["t2"]


async def test_an_empty_typed_answer_is_not_sent(tmp_path: Path) -> None:
    app = build(tmp_path, deck("words", TEXT))
    async with app.run_test() as pilot:
        await start(pilot, "words", "o")
        await pilot.press("enter")
        assert app.screen.session.state == "asking"
        assert not _scores_path(app).with_name("scores.toml.journal").exists()


async def test_flip_session_space_turns_the_card_then_grades(tmp_path: Path) -> None:
    app = build(tmp_path, deck("cards", FLIP))
    async with app.run_test() as pilot:
        await start(pilot, "cards", "o")
        assert "Back one" not in screen_text(app)
        await pilot.press("3")  # grading before the card is turned does nothing
        assert app.screen.session.state == "asking"
        await pilot.press("space")
        text = screen_text(app)
        assert "Back one" in text
        # Each grade button says when FSRS would bring the card back after that grade.
        shown = {n: interval_label(s) for n, s in next_intervals(None, app.now()).items()}
        for grade in Grade:
            assert f"{grade.value} {grade.label} · {shown[grade.value]}" in text
        await pilot.press("4")  # one key grades and goes on: no Enter needed
        assert "Front two" in screen_text(app) and app.screen.session.state == "asking"
        await pilot.press("space", "1")
        assert "Front three" in screen_text(app)
        await pilot.press("space")
        await pilot.click("#grade-2")  # the grades are buttons too
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Score 2/3" in screen_text(app)
    cards = scores(_scores_path(app)).cards["cards"]
    assert [cards[c].last_result for c in ("f1", "f2", "f3")] == ["right", "wrong", "right"]
    # The person's own grade is what the scheduler got: Easy (f1) waits longer than Hard
    # (f3), and Hard longer than Again (f2).
    assert cards["f1"].fsrs.stability > cards["f3"].fsrs.stability > cards["f2"].fsrs.stability
    assert cards["f1"].fsrs.due > cards["f3"].fsrs.due


async def test_order_session_items_are_moved_with_keys(tmp_path: Path) -> None:
    app = build(tmp_path, deck("hist", ORDER))
    async with app.run_test() as pilot:
        await start(pilot, "hist", "o")
        order = app.screen.query_one("#order")
        assert app.focused is order
        # Put each right item in place, top to bottom, with up/down and [ / shift+up.
        answer = ["Rome", "Paris", "Berlin"]
        for place, item in enumerate(answer):
            now = order.items.index(item)
            order.highlighted = 0
            await pilot.press(*["down"] * now)
            keys = ["left_square_bracket", "shift+up"]
            for step in range(now - place):
                await pilot.press(keys[step % 2])
        assert order.items == answer
        await pilot.press("enter")
        text = screen_text(app)
        assert "✔ Right" in text and "Answer: Rome → Paris → Berlin" in text
        await pilot.press("enter")
        # o2: submitted wrong on purpose (the start is shuffled and may already be right).
        o2 = app.screen.query_one("#order")
        if o2.items == ["one", "two"]:
            await pilot.press("right_square_bracket")
        assert o2.items == ["two", "one"]
        await pilot.press("enter")
        assert "✘ Wrong" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
    saved = scores(_scores_path(app))
    assert saved.cards["hist"]["o1"].right == 1
    assert saved.cards["hist"]["o2"].wrong == 1
    assert saved.sessions[0].score == 1


async def test_undo_takes_an_answer_back_and_skip_records_nothing(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await start(pilot, "caps", "o")
        wrong = next(o for o in app.screen.query_one("#choices").choices if o != "Tokyo")
        await pilot.press(choice_number(app, wrong))
        assert "✘ Wrong" in screen_text(app)
        assert scores(_scores_path(app)).cards["caps"]["c1"].wrong == 1
        await pilot.press("u")
        await pilot.pause()
        assert app.screen.session.state == "asking"
        assert "Question 1 of 3" in screen_text(app)
        await pilot.press(choice_number(app, "Tokyo"), "enter")
        await pilot.press("s")  # skip c2
        await pilot.pause()
        assert "Capital of Peru?" in screen_text(app)
        await pilot.press(choice_number(app, "Lima"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Score 2/3" in screen_text(app) and "1 skipped" in screen_text(app)  # as home counts it
    saved = scores(_scores_path(app))
    c1 = saved.cards["caps"]["c1"]
    assert (c1.seen, c1.right, c1.wrong, c1.last_result) == (1, 1, 0, "right")
    assert "c2" not in saved.cards["caps"]
    assert saved.sessions[0].missed == []


async def test_quit_asks_first_and_keeps_what_was_answered(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await start(pilot, "caps", "o")
        await pilot.press(choice_number(app, "Tokyo"), "enter")
        await pilot.press("q")
        await pilot.pause()
        assert "Quit quizapp now? Your 1 answer is saved." in screen_text(app)
        await pilot.press("n")  # keep playing
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "Quit quizapp now?" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running
    saved = scores(_scores_path(app))
    assert saved.cards["caps"]["c1"].right == 1
    [session] = saved.sessions
    assert session.end is not None and (session.score, session.total) == (1, 1)


async def test_summary_review_missed_then_play_again_then_home(tmp_path: Path) -> None:
    clock = Clock()
    app = build(tmp_path, deck("caps", CHOICE), clock=clock)
    async with app.run_test() as pilot:
        await start(pilot, "caps", "o")
        for right in ("Tokyo", "Paris", "Lima"):
            wrong = next(o for o in app.screen.query_one("#choices").choices if o != right)
            await pilot.press(choice_number(app, right if right == "Paris" else wrong), "enter")
        await pilot.pause()
        assert "Missed (2):" in screen_text(app)
        clock.tick(60)
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.session.mode == "review"
        assert screen.session.total == 2
        # Review in rounds: a card missed again comes back until it is answered right.
        first = screen.session.current.card
        wrong = next(o for o in screen.query_one("#choices").choices if o != first.answer)
        await pilot.press(choice_number(app, wrong), "enter")
        for _ in range(2):
            card = screen.session.current.card
            await pilot.press(choice_number(app, card.answer), "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("a")  # play again: the whole deck
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.session.total == 3
        await pilot.press("q", "y")
        await pilot.pause()
    modes = [s.mode for s in scores(_scores_path(app)).sessions]
    assert modes == ["order", "review"]  # the third session had no answer: not written


async def test_home_lists_decks_with_results_and_goes_back(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE, title="Capitals"), deck("words", TEXT))
    async with app.run_test() as pilot:
        await ready(pilot)
        text = screen_text(app)
        assert "Capitals" in text and "Words" in text and "never" in text
        await start(pilot, "caps", "o")
        for answer in ("Tokyo", "Paris", "Lima"):
            await pilot.press(choice_number(app, answer), "enter")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#decks", DataTable)
        row = [str(c) for c in table.get_row("caps")]
        assert row[1:] == ["3", "3/3 100%", "3/3 100%", "0", "0", "0", "just now"]
        # Due and New apart: a deck never played has nothing due, two new cards.
        assert [str(c) for c in table.get_row("words")][1:] == ["2", "–", "–", "0", "0", "2", "never"]


async def test_n_questions_and_shuffled(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await start(pilot, "caps", "n")
        field = app.screen.query_one("#limit", Input)
        assert app.focused is field
        field.value = ""
        await pilot.press("2", "enter")
        await pilot.pause()
        session = app.screen.session
        assert session.total == 2 and session.mode == "shuffle:2"
        await pilot.press("q", "y")
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await start(pilot, "caps", "s")
        assert app.screen.session.total == 3 and app.screen.session.mode == "shuffle"


async def test_cli_deck_opens_straight_into_the_session(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE), plan=PlayPlan("deck", "caps"))
    async with app.run_test() as pilot:
        await ready(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert "Capital of Japan?" in screen_text(app)


async def test_deck_problems_are_shown_on_home(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    (tmp_path / "decks" / "broken.toml").write_text("format = 1\n[deck]\nid = 'b'\n", encoding="utf-8")
    async with app.run_test() as pilot:
        await ready(pilot)
        # Home counts the problems and says where to see them ...
        # (the file lacks a title and cards: two problems)
        assert "⚠ 2 problems with deck files: press p to see them" in screen_text(app)
        assert "Caps" in screen_text(app)  # the good deck is still listed
        # ... p lists them, file and field.
        await pilot.press("p")
        await pilot.pause()
        listed = screen_text(app)
        # (the long temporary path may wrap inside the dialog, so file and field are
        # looked for apart)
        assert "broken" in listed and "toml:2: deck.title: required field is missing" in listed
        # The dialog counts what it lists (problems, as home does), not files.
        assert "2 problems with deck files" in listed
        await pilot.press("escape")
        await pilot.pause()
        # Fixed on disk: back on home (r reloads too) the deck appears and the line goes.
        (tmp_path / "decks" / "broken.toml").write_text(
            "format = 1\n[deck]\nid = 'b'\ntitle = 'Mended'\n[[cards]]\nid = 'x'\n"
            "kind = 'flip'\nquestion = 'Q'\nanswer = 'A'\n", encoding="utf-8")
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Mended" in screen_text(app) and "problem" not in screen_text(app)


async def test_a_newer_score_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    path = _scores_path(app)
    path.parent.mkdir(parents=True)
    path.write_text("format = 99\n", encoding="utf-8")
    async with app.run_test() as pilot:
        await ready(pilot)
        assert "quizapp cannot start" in screen_text(app)
        assert "format" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1
    assert path.read_text(encoding="utf-8") == "format = 99\n"


async def test_a_corrupt_score_file_is_backed_up_and_the_person_told(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    path = _scores_path(app)
    path.parent.mkdir(parents=True)
    path.write_text("this is [not toml", encoding="utf-8")
    async with app.run_test() as pilot:
        await ready(pilot)
        [backup] = app.store.recovered
        assert backup.read_text(encoding="utf-8") == "this is [not toml"
        assert backup.name == "scores.toml.corrupt-20261128T090000Z"
        notices = widget_text(app.screen.query_one("#notices"))
        assert "not valid TOML" in notices and "kept 0 card records" in notices
        assert f"backed up in {backup}" in notices


async def test_an_old_scores_cache_is_one_short_toast_once_and_no_banner(tmp_path: Path) -> None:
    """Upgrading quizapp leaves a cache of the older version: it only cost this start some
    time, so it is one toast naming the file (home keeps its room for the decks), and the
    start that read the TOML made the cache again, so the next start says nothing."""
    from quizapp.store.cache import VERSION

    app = build(tmp_path, deck("caps", CHOICE))
    path = _scores_path(app)
    store = ScoreStore(path)
    store.append(AnswerEvent(deck="caps", card="c1", session="s0", at=T0, result="wrong"))
    store.compact()
    old = store.cache_path.read_bytes().replace(b"cache %d " % VERSION, b"cache 3 ", 1)
    store.cache_path.write_bytes(old)
    async with app.run_test() as pilot:
        await ready(pilot)
        assert "cache" not in widget_text(app.screen.query_one("#notices"))
        toasts = [str(n.message) for n in app._notifications]
        [toast] = [t for t in toasts if "cache" in t]
        assert toast.startswith(f"{store.cache_path}: not a cache of this quizapp version")
        assert "\n" not in toast and toast.endswith("(only this load was slower)")
    assert store.cache_path.read_bytes() != old
    again = ScoreStore(path)
    assert again.load().cards["caps"]["c1"].wrong == 1 and again.warnings == []


async def test_m_at_home_sees_a_miss_made_in_another_window(tmp_path: Path) -> None:
    """QA 08:34: home open, another window (or `quizapp play --plain`) misses a card; `m`
    starts a review of it instead of saying there is nothing missed."""
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await ready(pilot)
        other = ScoreStore(_scores_path(app))
        other.append(AnswerEvent(deck="caps", card="c1", session="s9", at=T0, result="wrong"))
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        assert app.screen.session.total == 1


async def test_another_windows_compaction_is_read_before_the_next_session_starts(
        tmp_path: Path, monkeypatch) -> None:
    """Another window misses a card and folds its journal into the score file: this window
    reads the new file in a thread by itself (every ``READ_AHEAD_SECONDS``, made short
    here), so `m` starts the review of that card without reading the score file on the
    screen's thread (a second with 100,000 records)."""
    from quizapp.ui import loading

    monkeypatch.setattr(loading, "READ_AHEAD_SECONDS", 0.05)
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await ready(pilot)
        store = app.workspace.store
        seen = store.version
        other = ScoreStore(_scores_path(app))
        other.append(AnswerEvent(deck="caps", card="c1", session="s9", at=T0, result="wrong"))
        other.compact()
        await wait_for(pilot, lambda: store.version != seen and not store.snapshot_changed())

        def no_reading(*args, **kwargs):
            raise AssertionError("the score file was read again when the session started")

        monkeypatch.setattr(ScoreStore, "_read_files", no_reading)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        assert app.screen.session.total == 1


async def test_a_hand_edit_with_a_mistake_is_one_toast_and_the_app_goes_on(
        tmp_path: Path, monkeypatch) -> None:
    """QA 14:03: a mistake in a hand edit of scores.toml, read by the app in the
    background, ended it with a traceback. It is one toast naming the file and field, and
    the app goes on from what it has."""
    from quizapp.ui import loading

    monkeypatch.setattr(loading, "READ_AHEAD_SECONDS", 0.05)
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await ready(pilot)
        other = ScoreStore(_scores_path(app))
        other.append(AnswerEvent(deck="caps", card="c1", session="s9", at=T0, result="wrong"))
        other.compact()
        await wait_for(pilot, lambda: not app.workspace.store.snapshot_changed())
        path = _scores_path(app)
        path.write_text(path.read_text(encoding="utf-8").replace("seen = 1", "sene = 1"),
                        encoding="utf-8")
        await wait_for(pilot, lambda: any("sene" in str(n.message) for n in app._notifications))
        [toast] = [str(n.message) for n in app._notifications if "sene" in str(n.message)]
        assert str(path) in toast and "\n" not in toast
        assert app.is_running and isinstance(app.screen, HomeScreen)
        # QA 14:18: home counting again and a session start met the same file: they go on
        # from what the app holds (the answer written by the other window included).
        home = app.screen
        home.show([])
        assert app.workspace.stats().decks[0].missed == 1
        await start(pilot, "caps", "o")
        await wait_for(pilot, lambda: isinstance(app.screen, QuestionScreen))
        assert app.is_running


async def test_an_idle_home_keeps_its_times_and_numbers_current(tmp_path: Path, monkeypatch) -> None:
    """QA 08:43: home left open showed 'just now' and old due counts for minutes; it looks
    again by itself (every ``RECHECK_SECONDS``, made short here)."""
    monkeypatch.setattr(HomeScreen, "RECHECK_SECONDS", 0.05)
    clock = Clock()
    app = build(tmp_path, deck("caps", CHOICE), clock=clock)
    async with app.run_test() as pilot:
        await ready(pilot)
        ScoreStore(_scores_path(app)).append(
            AnswerEvent(deck="caps", card="c1", session="s9", at=T0, result="wrong"))
        await wait_for(pilot, lambda: "1 due now" in screen_text(app))  # another window's miss
        clock.tick(600)
        await wait_for(pilot, lambda: "10 min ago" in screen_text(app))


async def test_theme_is_remembered_across_runs(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await ready(pilot)
        assert app.theme == "textual-dark"
        app.theme = "nord"
        await pilot.pause()
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await ready(pilot)
        assert app.theme == "nord"


async def test_theme_can_be_picked_from_the_command_palette(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "theme")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "gruvbox")
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "gruvbox"
    from quizapp.settings import load_settings

    assert load_settings(app.locations.settings).theme == "gruvbox"


async def test_palette_offers_playing_a_deck(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "play caps")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)


async def test_tiny_terminals_and_resizes_do_not_crash(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE), deck("hist", ORDER))
    async with app.run_test(size=(20, 5)) as pilot:
        await start(pilot, "caps", "o")
        await pilot.press("1")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.resize_terminal(3, 2)
        await pilot.pause()
        await pilot.press("enter", "s", "s")
        await pilot.pause()
        await pilot.resize_terminal(40, 10)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert app.is_running


async def test_one_click_on_a_deck_row_offers_to_start_it(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE, title="Capitals"), deck("words", TEXT))
    async with app.run_test() as pilot:
        await ready(pilot)
        table = app.screen.query_one("#decks", DataTable)
        second = table.get_row_at(1)[0].plain.removesuffix(" (extra)")
        await pilot.click("#decks", offset=(3, 2))  # header, then row 0, row 1
        await pilot.pause()
        assert second == "Words" and "All cards in order (o)" in screen_text(app)
        await pilot.click("#shuffle")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.plan.deck_id == "words"
        assert app.screen.session.mode == "shuffle"


async def test_escape_leaves_the_answer_field_so_letters_are_keys_again(tmp_path: Path) -> None:
    app = build(tmp_path, deck("words", TEXT))
    async with app.run_test() as pilot:
        await start(pilot, "words", "o")
        await pilot.press("s", "u", "q")  # typed, not skip/undo/quit
        assert app.screen.query_one("#typed", Input).value == "suq"
        assert app.screen.session.position == 1
        await pilot.press("escape", "s")
        await pilot.pause()
        assert app.screen.session.position == 2 and "Largest planet?" in screen_text(app)


async def test_a_score_folder_that_cannot_be_written_is_told_before_playing(
        tmp_path: Path, monkeypatch) -> None:
    """QA s5: on a read-only score folder the app started sessions as usual and each
    answer then said it was not saved. A toast says it at the start, naming the folder."""
    import os

    app = build(tmp_path, deck("caps", CHOICE))
    folder = _scores_path(app).parent
    folder.mkdir(parents=True, exist_ok=True)
    real_access = os.access
    # What the system answers for a read-only mount (root cannot make one in a test).
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == folder
                        else real_access(path, mode))
    async with app.run_test() as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: any("cannot be written" in str(n.message)
                                          for n in app._notifications))
        [toast] = [str(n.message) for n in app._notifications if "cannot be written" in str(n.message)]
        assert toast.startswith(str(folder)) and "answers will not be saved" in toast


async def test_a_broken_settings_file_is_reported_and_never_overwritten(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    settings = app.locations.settings
    settings.parent.mkdir(parents=True)
    settings.write_text("theme = 3\n", encoding="utf-8")
    async with app.run_test() as pilot:
        await ready(pilot)
        assert any("settings.toml:1: theme" in n.message for n in app._notifications)
        app.theme = "nord"
        await pilot.pause()
    assert settings.read_text(encoding="utf-8") == "theme = 3\n"


async def test_command_line_modes_open_the_right_session(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE), plan=PlayPlan("deck", "caps", "shuffle", 2))
    async with app.run_test() as pilot:
        await ready(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert (app.screen.session.total, app.screen.session.mode) == (2, "shuffle:2")
        await pilot.press(choice_number(app, next(o for o in app.screen.query_one("#choices").choices
                                                  if o != app.screen.session.current.card.answer)))
        await pilot.press("enter", "q", "y")
    # One card is now missed: `quizapp review` (mode "review", no deck) plays it.
    app = build(tmp_path, deck("caps", CHOICE), plan=PlayPlan("review", None))
    async with app.run_test() as pilot:
        await ready(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.session.mode == "review" and app.screen.session.total == 1
    # Nothing due/missed in an unplayed deck: the app says so and stays home.
    (tmp_path / "other").mkdir()
    app = build(tmp_path / "other", deck("words", TEXT), plan=PlayPlan("review", "words"))
    async with app.run_test() as pilot:
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert [n.message for n in app._notifications] == [
            "Nothing to review in words yet: play it first, and any card you miss will wait here."]


async def test_due_cards_from_the_palette(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "study due")
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.session.mode == "due"
        assert screen.session.total == 3  # all new, under the daily limit of new cards


async def test_home_keys_review_the_missed_and_study_the_due_cards_of_a_deck(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # nothing missed yet
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.screen.session.mode == "due"
        wrong = next(o for o in app.screen.query_one("#choices").choices if o != "Tokyo")
        await pilot.press(choice_number(app, wrong), "enter", "s", "s")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert str(app.screen.query_one("#decks", DataTable).get_row("caps")[4]) == "1"
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.session.mode == "review"
        assert screen.session.total == 1 and screen.session.current.card.id == "c1"


async def test_an_answer_that_cannot_be_saved_is_not_counted(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))

    def disk_full(*args) -> None:
        raise OSError(28, "No space left on device")

    async with app.run_test() as pilot:
        await start(pilot, "caps", "o")
        app.store.write = disk_full  # type: ignore[method-assign]
        await pilot.press(choice_number(app, "Tokyo"))
        await pilot.pause()
        assert app.is_running and app.screen.session.state == "asking"
        assert "✔ Right" not in screen_text(app)
        assert any("could not be saved" in n.message and "No space left" in n.message
                   for n in app._notifications)
        await pilot.press("q", "y")  # quitting still works
        await pilot.pause()
    assert not app.is_running and app.return_code == 0


async def test_no_decks_says_where_to_put_them(tmp_path: Path) -> None:
    app = build(tmp_path)
    async with app.run_test() as pilot:
        await ready(pilot)
        assert "No decks found. Put deck files (.toml) in" in screen_text(app)
        await pilot.press("enter", "m", "d")  # nothing to start: nothing happens
        assert isinstance(app.screen, HomeScreen) and app.is_running


async def test_the_elapsed_time_ticks_while_a_question_waits(tmp_path: Path) -> None:
    clock = Clock()
    app = build(tmp_path, deck("caps", CHOICE), clock=clock)
    async with app.run_test() as pilot:
        await start(pilot, "caps", "o")
        assert "Time 0:00" in screen_text(app)
        clock.tick(65)
        # The status line refreshes every second, with no key pressed.
        await wait_for(pilot, lambda: "Time 1:05" in screen_text(app))


async def test_ctrl_q_twice_ends_the_session_properly(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await start(pilot, "caps", "o")
        await pilot.press(choice_number(app, "Tokyo"), "enter")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "Quit quizapp now?" in screen_text(app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    [session] = scores(app.locations.scores).sessions
    assert session.end is not None and session.total == 1


async def test_review_with_only_suspended_misses_says_so_not_well_done(tmp_path: Path) -> None:
    """The app tells the empty-review cases apart like the command line: a deck whose only
    missed card is suspended is not 'Nothing missed... Well done!'."""
    app = build(tmp_path, deck("caps", CHOICE), plan=PlayPlan("review", "caps"))
    store = ScoreStore(app.locations.scores)
    store.append(AnswerEvent(deck="caps", card="c1", session="s0", at=T0, result="wrong"),
                 SuspendEvent(deck="caps", card="c1", at=T0, suspended=True))
    async with app.run_test() as pilot:
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert [n.message for n in app._notifications] == [
            "Nothing to review in caps: the only cards you missed are suspended "
            "(unsuspend one in Stats, t)."]
