"""Pilot tests of the study flow a person relies on every evening: Escape goes home (after
asking) with the session's end written, resume where an in-order session stopped, the
palette asks before it ends a session, the card form asks before it throws changes away,
help lists the screen's keys, home shows today's work and picks up new deck files, and a
small terminal keeps the option, the result and the keys that matter in view."""

from __future__ import annotations

from pathlib import Path

from tests.ui.support import (
    CHOICE, FLIP, TEXT, Clock, build, choice_number, deck, locations, ready, scores,
    screen_text, start, type_text, wait_for,
)
from textual.widgets import DataTable, Input, TextArea

from quizapp.decks import write_deck
from quizapp.scheduling import interval_label, next_intervals
from quizapp.ui import messages
from quizapp.ui.app import make_app
from quizapp.ui.dialogs.card_form import CardForm
from quizapp.ui.dialogs.confirm import ConfirmScreen
from quizapp.ui.dialogs.help import HelpScreen
from quizapp.ui.dialogs.start import StartDeckScreen
from quizapp.ui.screens.browser import BrowserScreen
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.question import QuestionScreen
from quizapp.ui.screens.stats import StatsScreen
from quizapp.ui.screens.summary import SummaryScreen
from quizapp.ui.widgets.heatmap import Heatmap

LONG = [dict(id=f"l{n}", kind="choice",
             question=f"Question {n}: " + "a rather long question that wraps over lines " * 3,
             answer=f"Right answer {n} with words", section="Somewhere",
             explanation="An explanation that takes a line or two of the small screen.",
             distractors=[f"Wrong option {n}-{k} that is long too" for k in range(3)])
        for n in range(1, 4)]


def _scores_path(app) -> Path:
    return app.workspace.locations.scores


async def _wait(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _row(app, deck_id: str) -> dict[str, str]:
    table = app.screen.query_one("#decks", DataTable)
    labels = [str(c.label) for c in table.ordered_columns]
    return dict(zip(labels, (str(c) for c in table.get_row(deck_id))))


async def test_escape_asks_goes_home_and_the_session_resumes_where_it_stopped(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await start(pilot, "caps", "o")
        await pilot.press(choice_number(app, "Tokyo"), "enter")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == ("End this session and go home? Your 1 answer is saved. "
                                       "You can resume it from home.")
        await pilot.press("n")  # keep playing: nothing changes
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and "Question 2 of 3" in screen_text(app)
        await pilot.press("escape", "y")
        await _wait(pilot)
        assert isinstance(app.screen, HomeScreen)
        # The unfinished session is no score: Last says how far it got, Best stays empty.
        row = _row(app, "caps")
        assert (row["Best"], row["Last"]) == ("–", "1 of 3")
        session = scores(_scores_path(app)).sessions[0]
        assert session.end is not None and (session.asked, session.planned) == (1, 3)
        assert not session.finished
        await pilot.press("t")  # the stats screen says so too
        await _wait(pilot)
        assert "Quit before the end (not a score): caps 1 of 3" in screen_text(app)
        await pilot.press("h")
        await _wait(pilot)

        # Resume: the start dialog offers it first; r goes on at question 2.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartDeckScreen)
        assert "Resume at question 2 of 3 (r)" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert "Question 2 of 3" in screen_text(app) and "Capital of France?" in screen_text(app)
        await pilot.press(choice_number(app, "Paris"), "enter")
        await pilot.press(choice_number(app, "Lima"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Score 3/3" in screen_text(app)
        # Nothing missed: the summary offers no review, in a button or in the Footer.
        assert not app.screen.query("#review") and "Review missed" not in screen_text(app)
        await pilot.press("h")
        await _wait(pilot)
        row = _row(app, "caps")
        assert (row["Best"], row["Last"]) == ("3/3 100%", "3/3 100%")
    saved = scores(_scores_path(app))
    assert len(saved.sessions) == 1 and saved.sessions[0].finished
    assert (saved.sessions[0].score, saved.sessions[0].total) == (3, 3)


async def test_escape_in_a_text_field_leaves_the_field_first(tmp_path: Path) -> None:
    app = build(tmp_path, deck("words", TEXT))
    async with app.run_test() as pilot:
        await start(pilot, "words", "o")
        await type_text(pilot, "Shakes")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and not isinstance(app.focused, Input)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question.endswith("Nothing was answered yet.")


async def test_the_palette_asks_before_it_ends_a_session(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await start(pilot, "caps", "o")
        await pilot.press(choice_number(app, "Tokyo"), "enter")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Stats")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == "End this session first? Your 1 answer is saved."
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert scores(_scores_path(app)).sessions[0].end is None  # still going
        app.navigator.post_after_asking(messages.OpenStats())  # the palette's Stats, once more
        await pilot.pause()
        await pilot.press("y")
        await _wait(pilot)
        assert isinstance(app.screen, StatsScreen)
    assert scores(_scores_path(app)).sessions[0].end is not None


async def test_the_card_form_asks_before_it_throws_changes_away(tmp_path: Path) -> None:
    where = locations(tmp_path)
    where.user_decks.mkdir(parents=True)
    write_deck(deck("mine", FLIP), where.user_decks / "mine.toml")
    before = (where.user_decks / "mine.toml").read_bytes()
    app = make_app(where, now=Clock())
    async with app.run_test(size=(110, 34)) as pilot:
        await ready(pilot)
        table = app.screen.query_one("#decks", DataTable)
        table.move_cursor(row=table.get_row_index("mine"))
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("a")  # a new card: nothing typed yet, Escape just closes
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#f-question", TextArea).load_text("A question worth keeping")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == "Discard this new card?"
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CardForm)
        assert form.query_one("#f-question", TextArea).text == "A question worth keeping"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
    assert (where.user_decks / "mine.toml").read_bytes() == before


async def test_help_lists_the_keys_of_the_screen_it_was_opened_from(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test(size=(80, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        # Every binding of the home screen (shown in the Footer or not) and the table's.
        for binding in HomeScreen.BINDINGS:
            assert binding.description in text, binding.description
        assert "Play deck" in text and "Reload decks" in text and "Everywhere" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await start(pilot, "caps", "o")
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        for words in ("Skip", "Undo", "Home", "Quit", "Choose"):
            assert words in text, words
        assert "Turn card (not now)" in text  # bound, but only on a flip card
        assert "? / f1" in text and "Help" in text
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)


async def test_flip_grades_show_their_intervals_and_one_key_moves_on(tmp_path: Path) -> None:
    app = build(tmp_path, deck("cards", FLIP))
    async with app.run_test(size=(50, 15)) as pilot:
        await start(pilot, "cards", "o")
        await pilot.press("space")
        await pilot.pause()
        shown = {n: interval_label(s) for n, s in next_intervals(None, app.now()).items()}
        bar = app.screen.query_one("#grades")
        labels = [str(b.label) for b in bar.query("Button")]
        assert labels == [f"1 Again · {shown[1]}", f"2 Hard · {shown[2]}",
                          f"3 Good · {shown[3]}", f"4 Easy · {shown[4]}"]
        assert "Good · " in screen_text(app)  # in view at 50x15
        await pilot.press("3")
        await pilot.pause()
        assert "Front two" in screen_text(app)
    assert scores(_scores_path(app)).cards["cards"]["f1"].fsrs is not None


async def test_home_shows_todays_work_the_streak_and_the_heatmap(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE), deck("words", TEXT))
    async with app.run_test(size=(80, 30)) as pilot:
        await ready(pilot)
        assert "Today: 0 due now · 5 new · no streak yet" in screen_text(app)
        await start(pilot, "caps", "o")
        for answer in ("Tokyo", "Lyon", "Lima"):
            await pilot.press(choice_number(app, answer), "enter")
        await pilot.press("h")
        await _wait(pilot)
        text = screen_text(app)
        # The missed card is due again in minutes (FSRS), not now; words' 2 are new.
        assert "Today: 0 due now · 2 new · streak 1 day" in text
        heatmap = app.screen.query_one(Heatmap)
        today = app.now().astimezone().date()
        assert heatmap.counts == {today: 3}
        assert "■" in text and "Mon" in text
        # Due and New are apart in the table, with the numbers of `quizapp due`.
        row = _row(app, "words")
        assert (row["Due"], row["New"]) == ("0", "2")


async def test_a_deck_added_while_away_shows_up_back_home(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        write_deck(deck("later", TEXT, title="Added later"), tmp_path / "decks" / "later.toml")
        await pilot.press("escape")
        await _wait(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Added later" in screen_text(app)


async def test_a_small_terminal_keeps_the_option_the_result_and_the_keys_in_view(tmp_path: Path) -> None:
    app = build(tmp_path, deck("long", LONG))
    async with app.run_test(size=(50, 15)) as pilot:
        await start(pilot, "long", "o")
        assert "Question 1:" in screen_text(app)  # the question's top comes first
        options = app.screen.query_one("#choices")
        await pilot.press("down", "down", "down")
        await pilot.pause()
        last = options.choices[3]
        assert last[:20] in screen_text(app)  # the highlighted 4th option is in view
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        text = screen_text(app)
        assert "Right" in text or "Wrong" in text  # the verdict is in view
        footer = text.splitlines()[-1]
        assert "Next" in footer and "Undo" in footer
    for size in ((50, 15), (40, 12)):
        app = build(tmp_path, deck("long", LONG))
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            columns = [str(c.label) for c in app.screen.query_one("#decks").ordered_columns]
            assert columns[0] == "Deck" and {"Due", "New"} <= set(columns)
            assert "Cards" not in columns  # the first to go
            footer = screen_text(app).splitlines()[-1]
            assert "Play deck" in footer and "Due" in footer


async def test_a_choice_with_three_options_offers_keys_1_to_3_only(tmp_path: Path) -> None:
    three = [dict(id="t1", kind="choice", question="What is 2+2?", answer="4",
                  distractors=["3", "5"])]
    app = build(tmp_path, deck("sums", three))
    async with app.run_test(size=(100, 24)) as pilot:
        await start(pilot, "sums", "o")
        text = screen_text(app)
        assert "Pick an answer: 1-3" in text and "1-4" not in text
        footer = text.splitlines()[-1]
        assert "1 2 3 Choose" in footer and "4" not in footer
        await pilot.press("4")  # no fourth option: nothing happens
        await pilot.pause()
        assert app.screen.session.state == "asking" and not scores(_scores_path(app)).cards
        await pilot.press(choice_number(app, "4"))
        await pilot.pause()
        assert app.screen.session.state == "feedback"


async def test_skipped_questions_count_against_best_and_last_on_home(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await start(pilot, "caps", "o")
        await pilot.press(choice_number(app, "Tokyo"), "enter", "s", "s")
        await wait_for(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("h")
        await _wait(pilot)
        row = _row(app, "caps")
        assert (row["Best"], row["Last"]) == ("1/3 33%", "1/3 33%")


async def test_resume_after_the_answered_card_was_removed_asks_the_next_card(tmp_path: Path) -> None:
    # Issue 11: resume went by position, so removing the answered card skipped the next.
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await start(pilot, "caps", "o")
        await pilot.press(choice_number(app, "Tokyo"), "enter")
        await pilot.press("escape", "y")
        await _wait(pilot)
        path = app.workspace.catalog.get("caps").path
        write_deck(deck("caps", CHOICE[1:]), path)  # the person removes card 1
        await pilot.press("r")  # reload the decks
        await _wait(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartDeckScreen)
        # 1 question asked before, 2 cards after it: question 2 of 3 is Capital of France.
        assert "Resume at question 2 of 3 (r)" in screen_text(app)
        await pilot.press("r")
        await pilot.pause()
        assert "Question 2 of 3" in screen_text(app) and "Capital of France?" in screen_text(app)
