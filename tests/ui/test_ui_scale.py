"""A big collection never holds up the screen: home and stats count it in a thread and
then show the same numbers as ``quizapp stats``. (Here "big" is lowered to 0 cards, so a
small deck takes the big collection's path; speed itself is measured by
``python -m quizapp.bench``.)"""

from __future__ import annotations

from pathlib import Path

from tests.ui.support import CHOICE, Clock, build, deck, ready, start

from quizapp.ui.screens import home as home_module
from quizapp.ui.screens import stats as stats_module
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.summary import SummaryScreen


def _row(app, deck_id: str) -> list[str]:
    table = app.home.query_one("#decks")
    return [str(cell) for cell in table.get_row(deck_id)]


async def test_home_counts_a_big_collection_in_a_thread_and_shows_the_numbers(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(home_module, "INLINE_CARDS", 0)
    monkeypatch.setattr(stats_module, "INLINE_CARDS", 0)
    clock = Clock()
    app = build(tmp_path, deck("caps", CHOICE), clock=clock)
    async with app.run_test() as pilot:
        await ready(pilot)
        cells = _row(app, "caps")
        assert cells[1] == "3"  # cards
        assert "…" not in cells  # counted (in the loading thread) before home was drawn
        await start(pilot, "caps", "o")
        for _ in range(3):  # answer every card right, then Enter to go on
            await pilot.press("1")
            await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("h")
        await ready(pilot)
        assert isinstance(app.screen, HomeScreen)
        await app.home.workers.wait_for_complete()
        await pilot.pause()
        numbers = app.workspace.stats().deck("caps")
        cells = _row(app, "caps")
        assert numbers is not None and numbers.last is not None
        last = f"{numbers.last.score}/{numbers.last.total} {numbers.last.percent:.0f}%"
        assert last in cells  # the session just played, counted off the UI thread
        assert cells[4] == str(numbers.missed)


async def test_stats_screen_counts_a_big_collection_in_a_thread(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(home_module, "INLINE_CARDS", 0)
    monkeypatch.setattr(stats_module, "INLINE_CARDS", 0)
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert screen.stats is not None
        assert screen.stats.counts.total == 3 and screen.stats.counts.new == 3
