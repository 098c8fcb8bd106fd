"""A big collection never holds up the screen: home and stats count it in a thread and
then show the same numbers as ``quizapp stats``. (Here "big" is lowered to 0 cards, so a
small deck takes the big collection's path; speed itself is measured by
``python -m quizapp.bench``.)"""

from __future__ import annotations

from pathlib import Path

from tests.ui.support import (CHOICE, Clock, build, deck, ready, screen_text, start, wait_for,
                              widget_text)

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


async def test_home_draws_the_decks_from_the_deck_cache_before_they_load(
    tmp_path: Path, monkeypatch
) -> None:
    """A second start: home shows each deck's title, card count and numbers (as the last
    count kept them) while the decks and scores are still being read; Enter pressed then
    is not lost, it opens the deck once it is loaded. A title is shown as text."""
    from quizapp import deckindex, decks

    monkeypatch.setattr(deckindex, "SETTLED_NS", 0)  # the deck files count as settled at once
    cards = [dict(c, id=f"{c['id']}-{n}") for n in range(40) for c in CHOICE]
    first = build(tmp_path, deck("caps", cards, title="[b]Capitals[/b] of 120"))
    async with first.run_test() as pilot:
        await ready(pilot)  # the first start loads the decks and fills the deck cache
        counted = _row(first, "caps")
    decks._CACHE.clear()  # a new run remembers nothing in memory

    release = _hold_reading(monkeypatch)
    app = build(tmp_path)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.home._rows is not None)
        assert app.home.loading and app.home.drawn
        cells = _row(app, "caps")
        assert cells[0].startswith("[b]Capitals[/b] of 120")  # markup shown as text
        assert cells == counted  # the numbers of the last count, before anything is read
        await pilot.press("enter")  # the decks are not read yet: this waits for them
        assert app.screen is app.home
        release.set()
        from quizapp.ui.dialogs.start import StartDeckScreen

        # The start dialog opens by itself, for the deck chosen; leave it before quitting.
        await wait_for(pilot, lambda: isinstance(app.screen, StartDeckScreen)
                       and app.screen.is_mounted and app.screen.focused is not None)
        assert not app.home.loading
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.home)


async def test_a_start_pauses_the_garbage_collector_only_until_home_shows_the_data(
    tmp_path: Path
) -> None:
    """The command line pauses the collector while the app starts (nothing loaded is
    garbage); it must run again once the decks are shown, or a long session would never
    free what it drops in cycles."""
    import gc

    from quizapp.ui import collect_after_start

    collect_after_start()  # as cli.open_app does
    try:
        app = build(tmp_path, deck("caps", CHOICE))
        assert not gc.isenabled()
        async with app.run_test() as pilot:
            await ready(pilot)
            assert app.home.query_one("#decks").row_count == 1
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_stats_asked_for_while_the_decks_are_read_opens_once_they_are(
    tmp_path: Path, monkeypatch
) -> None:
    """t at once (QA 13:35): the key is not lost while the decks and scores are still being
    read; it says so, and the stats screen opens once they are shown."""
    from quizapp.ui.screens.stats import StatsScreen

    release = _hold_reading(monkeypatch)
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await pilot.press("t")
        assert app.screen is app.home
        assert any("Reading the decks" in n.message for n in app._notifications)
        release.set()
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.is_mounted)


def _hold_reading(monkeypatch) -> "threading.Event":
    """Hold the app's reading of the decks and scores until the event returned is set."""
    import threading

    from quizapp.workspace import Workspace

    release = threading.Event()
    real_read = Workspace.read_data

    def slow_read(self, **kwargs) -> None:
        assert release.wait(20)
        real_read(self, **kwargs)

    monkeypatch.setattr(Workspace, "read_data", slow_read)
    return release


def _hold_parsing(monkeypatch, name: str) -> "threading.Event":
    """Hold the check of the deck file called ``name`` until the event returned is set."""
    import threading

    from quizapp import decks

    release = threading.Event()
    real_parse = decks.parse_deck

    def slow_parse(text, path, **kwargs):
        if Path(path).name == name:
            assert release.wait(20)
        return real_parse(text, path, **kwargs)

    monkeypatch.setattr(decks, "parse_deck", slow_parse)
    return release


async def test_a_big_broken_deck_never_holds_up_home_and_its_problem_is_kept(
    tmp_path: Path, monkeypatch
) -> None:
    """QA 14:21: a 100k-card deck with one typo beside the other decks kept every start on
    "Loading decks and scores…" for its whole check. Now home lists the good decks at once
    and they can be played while the big file is read (home says so); its problem shows
    when its check ends, and the next start shows it at once from the kept verdict,
    without checking the file again. (Here "big" is lowered to any size.)"""
    from quizapp import deckindex, decks
    from quizapp.ui.dialogs.start import StartDeckScreen

    monkeypatch.setattr(deckindex, "SETTLED_NS", 0)  # the deck files count as settled at once
    monkeypatch.setattr(deckindex, "BIG_DECK_BYTES", 0)
    first = build(tmp_path, deck("caps", CHOICE))
    async with first.run_test() as pilot:
        await ready(pilot)  # caps is in the deck cache from now on
    broken = tmp_path / "decks" / "typo.toml"
    broken.write_text('format = 1\n[deck]\nid = "typo"\ntitle = "Typo"\n\n[[cards]]\n'
                      'id = "c1"\nkind = "flip"\nquestion = "Q?"\nkidn = "A"\n', encoding="utf-8")
    problems = [f"{broken}:6: cards[0].answer: required field is missing",
                f"{broken}:10: cards[0].kidn: unknown field"]
    decks._CACHE.clear()  # a new run remembers nothing in memory

    release = _hold_parsing(monkeypatch, "typo.toml")
    app = build(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: not app.home.loading and app.home._rows is not None)
        assert list(app.home._rows) == ["caps"]
        assert "Reading typo.toml…" in screen_text(app) and not app.home.drawn
        assert "problem" not in screen_text(app)
        await pilot.press("enter")  # the good deck plays while the broken one is read
        await wait_for(pilot, lambda: isinstance(app.screen, StartDeckScreen)
                       and app.screen.is_mounted)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is app.home)
        release.set()
        await wait_for(pilot, lambda: "problems with deck files" in screen_text(app))
        assert "Reading" not in screen_text(app) and app.home.drawn
        assert app.workspace.catalog.problems == problems
        await pilot.press("p")  # each problem: the file, its line and field
        await wait_for(pilot, lambda: [widget_text(w) for w in app.screen.query(".problem")]
                       == problems)
    decks._CACHE.clear()

    def not_again(text, path, **kwargs):
        raise AssertionError(f"{path} was checked again")

    monkeypatch.setattr(decks, "parse_deck", not_again)
    release = _hold_reading(monkeypatch)
    app = build(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        # Before anything is read: the good deck, and the kept problem.
        await wait_for(pilot, lambda: app.home._rows is not None)
        assert app.home.loading and list(app.home._rows) == ["caps"]
        assert "⚠ 2 problems with deck files: press p to see them" in screen_text(app)
        assert "Reading" not in screen_text(app)
        release.set()
        await ready(pilot)
        assert app.workspace.catalog.problems == problems
        assert "⚠ 2 problems with deck files: press p to see them" in screen_text(app)
