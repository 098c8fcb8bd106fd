"""The stats screen, played through the pilot: opened from home (t) and from the command
palette, its numbers checked against ``compute_stats`` over a score file built here, and a
leech suspended and unsuspended from the screen (checked in the score file and in the next
session of its deck)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.ui.support import (
    CHOICE,
    T0,
    Clock,
    build,
    deck,
    ready,
    scores,
    screen_text,
    start,
    type_text,
    wait_for,
    widget_text,
)
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import DataTable

from quizapp.models import AnswerEvent, SessionEvent, SessionRecord
from quizapp.tally import compute_stats
from quizapp.store import ScoreStore
from quizapp.ui.app import QuizApp
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.question import QuestionScreen
from quizapp.ui.screens.stats import StatsScreen

HIST = [
    dict(id="w1", kind="text", question="Who [b]spoke[/b] first?", answer="Putin",
         tags=["who"]),
    dict(id="p1", kind="text", question="Where did they meet?", answer="Helsinki",
         tags=["where"]),
    dict(id="d1", kind="text", question="When was it?", answer="2018", tags=["when"]),
    dict(id="n1", kind="text", question="Never answered?", answer="yes", tags=["what"]),
]


def decks():
    return deck("hist", HIST, title="History"), deck("caps", CHOICE, title="Capitals")


def write_history(path: Path) -> None:
    """Three days of study ending on T0's day: hist played three times (1 of 3, 2 of 3,
    then 2 of 2 in a two-card shuffle), caps once (2 of 3); hist/n1 never answered. hist/w1
    is also drilled on its own, 9 wrong in all (a leech at the default threshold 8)."""
    store = ScoreStore(path)

    def session(n: int, deck_id: str, mode: str, at, answers: list[tuple[str, str]]) -> None:
        sid = f"s{n}"
        for i, (card, result) in enumerate(answers):
            store.append(AnswerEvent(deck=deck_id, card=card, session=sid,
                                     at=at + timedelta(seconds=10 * i), result=result))
        store.append(SessionEvent(session=SessionRecord(
            id=sid, deck=deck_id, mode=mode, start=at, end=at + timedelta(minutes=1),
            score=sum(result == "right" for _card, result in answers), total=len(answers),
            missed=[card for card, result in answers if result == "wrong"])))

    day = timedelta(days=1)
    session(1, "hist", "order", T0 - 2 * day, [("w1", "wrong"), ("p1", "wrong"), ("d1", "right")])
    session(2, "hist", "order", T0 - day, [("w1", "wrong"), ("p1", "right"), ("d1", "right")])
    session(3, "hist", "shuffle:2", T0 - timedelta(hours=1), [("p1", "right"), ("d1", "right")])
    session(4, "caps", "order", T0 - timedelta(minutes=30),
            [("c1", "right"), ("c2", "wrong"), ("c3", "right")])
    for i in range(7):  # drilled on its own (not a deck session): more misses of w1
        store.append(AnswerEvent(deck="hist", card="w1", session="drill",
                                 at=T0 - timedelta(minutes=20 - i), result="wrong"))


def make(tmp_path: Path, history: bool = True, **kw) -> QuizApp:
    app = build(tmp_path, *decks(), clock=Clock(T0), **kw)
    if history:
        write_history(app.locations.scores)
    return app


def cells(table: DataTable, key: str) -> list[str]:
    return [str(cell) for cell in table.get_row(key)]


def table_rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def open_stats(pilot: Pilot) -> StatsScreen:
    await ready(pilot)
    await pilot.press("t")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, StatsScreen)
    return screen


def expected(app: QuizApp):
    """What ``quizapp stats`` would say over the score file on disk."""
    return compute_stats(scores(app.locations.scores), app.catalog, app.now(),
                         settings=app.settings)


async def test_numbers_match_compute_stats(tmp_path: Path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(100, 60)) as pilot:
        screen = await open_stats(pilot)
        stats = expected(app)
        # The history written above, as compute_stats reads it.
        assert stats.streak_days == 3 and stats.studied_today
        assert stats.deck("hist").history == [33.3, 66.7, 100.0]
        assert stats.deck("caps").history == [66.7]
        summary = widget_text(screen.query_one("#stats-summary"))
        assert "Streak: 3 days in a row (studied today)." in summary
        c = stats.counts
        assert (c.new, c.leeches, c.total) == (1, 1, 7)
        assert (f"Cards: {c.total} · new {c.new} · learning {c.learning} · "
                f"mastered {c.mastered} · suspended 0 · leeches 1") in summary

        # Per deck: sessions, best, last and the recent percents beside the chart.
        table = screen.query_one("#deck-stats", DataTable)
        assert cells(table, "hist")[:5] == ["History", "3", "100%", "100%", "33.3 66.7 100"]
        assert cells(table, "caps")[:5] == ["Capitals", "1", "66.7%", "66.7%", "66.7"]
        chart = screen.query_one("#chart")
        assert chart.display and {d.deck_id for d in chart.shown} == {"hist", "caps"}

        # By family: every family present, with the same right/wrong/percent.
        families = screen.query_one("#families", DataTable)
        shown = table_rows(families)
        assert [row[0] for row in shown] == [f.family for f in stats.families]
        for row, f in zip(shown, stats.families, strict=True):
            percent = "–" if f.percent is None else f"{f.percent:g}%"
            assert row[1:] == [str(f.cards), str(f.answers), str(f.right), str(f.wrong), percent]
        who = next(f for f in stats.families if f.family == "who")
        assert (who.right, who.wrong) == (0, 9)

        # Most missed: w1 first with 9 wrong, marked as a leech; its markup shown literally.
        missed = table_rows(screen.query_one("#most-missed", DataTable))
        assert [r[:4] for r in missed] == [
            [m.deck_id, m.question, str(m.wrong), str(m.right)] for m in stats.most_missed]
        assert missed[0] == ["hist", "Who [b]spoke[/b] first?", "9", "0", "leech"]
        assert "Who [b]spoke[/b] first?" in screen_text(app)
        leeches = table_rows(screen.query_one("#leeches", DataTable))
        assert leeches == [["hist", "Who [b]spoke[/b] first?", "9", "0", "leech"]]


async def test_open_from_the_command_palette(tmp_path: Path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Stats")
        commands = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: commands.highlighted is not None
                       and "Stats" in str(commands.get_option_at_index(commands.highlighted).prompt))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert "Streak: 3 days in a row" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_suspend_a_leech_and_unsuspend_it(tmp_path: Path) -> None:
    app = make(tmp_path)
    path = app.locations.scores
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        home = app.screen.query_one("#decks", DataTable)
        missed_before = cells(home, "hist")[4]
        screen = await open_stats(pilot)
        await pilot.press("s")  # nothing focused yet: the leech list gets the focus
        await pilot.pause()
        assert app.focused is screen.query_one("#leeches")
        assert scores(path).cards["hist"]["w1"].suspended is False
        await pilot.press("s")
        await pilot.pause()

        assert scores(path).cards["hist"]["w1"].suspended is True
        leeches = table_rows(screen.query_one("#leeches", DataTable))
        assert leeches == [["hist", "Who [b]spoke[/b] first?", "9", "0", "leech, suspended"]]
        assert table_rows(screen.query_one("#most-missed", DataTable))[0][4] == "leech, suspended"
        assert "suspended 1" in widget_text(screen.query_one("#stats-summary"))
        # Home counts refreshed: w1 left the missed list.
        missed_now = int(cells(home, "hist")[4])
        assert missed_now == int(missed_before) - 1 == expected(app).deck("hist").missed

        # A new session of hist leaves the suspended card out.
        await pilot.press("escape")
        await start(pilot, "hist", "o")
        question = app.screen
        assert isinstance(question, QuestionScreen)
        assert question.session.total == 3
        assert question.session.current.card.id == "p1"
        assert "Who [b]spoke[/b] first?" not in screen_text(app)

        # Back to stats (from home) and unsuspend it: the next session asks it again.
        app.navigator.go_home()
        await pilot.pause()
        screen = await open_stats(pilot)
        screen.query_one("#leeches").focus()
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert scores(path).cards["hist"]["w1"].suspended is False
        assert table_rows(screen.query_one("#leeches", DataTable))[0][4] == "leech"
        await pilot.press("escape")
        await start(pilot, "hist", "o")
        assert app.screen.session.total == 4
        assert app.screen.session.current.card.id == "w1"


async def test_suspend_from_most_missed_then_unsuspend_from_the_leech_list(tmp_path: Path) -> None:
    """A card that is not a leech, once suspended, is listed with the leeches so it can be
    unsuspended there."""
    app = make(tmp_path)
    path = app.locations.scores
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        table = screen.query_one("#most-missed", DataTable)
        table.focus()
        row = next(i for i, r in enumerate(table_rows(table)) if r[1] == "Capital of France?")
        table.move_cursor(row=row)
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert scores(path).cards["caps"]["c2"].suspended is True
        assert table_rows(table)[row][4] == "suspended"
        leeches = screen.query_one("#leeches", DataTable)
        assert table_rows(leeches)[-1] == ["caps", "Capital of France?", "1", "0", "suspended"]
        leeches.focus()
        leeches.move_cursor(row=leeches.row_count - 1)
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert scores(path).cards["caps"]["c2"].suspended is False
        assert "Capital of France?" not in [r[1] for r in table_rows(leeches)]


async def test_no_answers_yet(tmp_path: Path) -> None:
    app = make(tmp_path, history=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        text = screen_text(app)
        assert "No answers yet. Play a deck" in text
        assert "Cards: 7 · new 7 · learning 0 · mastered 0" in text
        assert "Streak: no days in a row yet." in text
        assert not screen.query_one("#chart").display
        assert not screen.query_one("#most-missed").display
        await pilot.press("s")  # nothing to suspend: told so, nothing written
        await pilot.pause()
        assert not app.locations.scores.exists()


async def test_reviews_only_no_deck_session(tmp_path: Path) -> None:
    """Answers but no deck session (only a drill): no empty chart, a note says why."""
    app = make(tmp_path, history=False)
    store = ScoreStore(app.locations.scores)
    store.append(AnswerEvent(deck="caps", card="c1", session="r1", at=T0, result="wrong"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        assert not screen.query_one("#chart").display
        assert "No deck sessions yet" in widget_text(screen.query_one("#chart-note"))
        assert table_rows(screen.query_one("#most-missed", DataTable))[0][:3] == [
            "caps", "Capital of Japan?", "1"]


async def test_tiny_terminal_does_not_crash(tmp_path: Path) -> None:
    app = make(tmp_path)
    async with app.run_test(size=(20, 8)) as pilot:
        screen = await open_stats(pilot)
        assert "too small for the chart" in str(screen.query_one("#chart").render())
        await pilot.press("tab", "down", "s")
        await pilot.pause()
        await pilot.resize_terminal(12, 5)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        screen.query_one("#stats-body").scroll_home(animate=False)
        await pilot.pause()
        assert "Streak: 3 days in a row" in screen_text(app)
        assert "session (1 = the deck" in screen_text(app)


def test_chart_draws_the_decks_played_most_recently() -> None:
    """Ten played decks: the chart draws the eight played last (in deck order), leaves out
    decks never played, and the table still lists every deck."""
    from quizapp.stats import DeckStats, SessionResult
    from quizapp.ui.widgets.accuracy_chart import MAX_LINES, chart_decks

    def played(n: int, hours_ago: int | None) -> DeckStats:
        results = [] if hours_ago is None else [
            SessionResult(1, 2, "order", T0 - timedelta(hours=hours_ago))]
        return DeckStats(f"d{n}", f"D{n}", 2, 0, 0, 0, 0, 0, results=results)

    decks = [played(n, hours_ago=n) for n in range(10)] + [played(10, None)]
    assert MAX_LINES == 8
    assert [d.deck_id for d in chart_decks(decks)] == [f"d{n}" for n in range(8)]
    assert [d.deck_id for d in chart_decks(decks[:3] + decks[10:])] == ["d0", "d1", "d2"]


async def test_more_decks_than_the_chart_shows(tmp_path: Path) -> None:
    many = [deck(f"deck{n}", CHOICE[:1]) for n in range(10)]
    app = build(tmp_path, *many, clock=Clock(T0))
    store = ScoreStore(app.locations.scores)
    for n in range(10):
        store.append(SessionEvent(session=SessionRecord(
            id=f"s{n}", deck=f"deck{n}", mode="order", start=T0 - timedelta(hours=n),
            score=1, total=1)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stats(pilot)
        assert len(screen.query_one("#chart").shown) == 8
        assert screen.query_one("#deck-stats", DataTable).row_count == 10
        assert "the 8 decks played most recently" in widget_text(screen.query_one("#chart-note"))


async def test_long_deck_titles_and_questions_get_the_spare_width(tmp_path: Path) -> None:
    """Two titles alike for their first 30 characters are both readable at 100 columns; a
    narrow terminal cuts them with an ellipsis."""
    one, two = "The Helsinki summit of 2018: who spoke", "The Helsinki summit of 2018: capitals"
    app = build(tmp_path, deck("hist", HIST, title=one), deck("caps", CHOICE, title=two),
                clock=Clock(T0))
    write_history(app.locations.scores)
    async with app.run_test(size=(100, 80)) as pilot:
        await open_stats(pilot)
        text = screen_text(app)
        assert one in text and two in text
        assert "Who [b]spoke[/b] first?" in text  # the most-missed question, whole
        await pilot.resize_terminal(50, 80)
        await wait_for(pilot, lambda: one not in screen_text(app))
        text = screen_text(app)
        assert "The H…" in text  # cut, and shown to be cut
