"""The app keeps the score file's promises however it ends, and tidies a long journal."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from quizapp.models import SuspendEvent
from quizapp.store import COMPACT_AFTER, ScoreStore
from tests.ui.support import CHOICE, build, choice_number, deck, ready, scores, start


async def test_an_exit_by_any_path_writes_the_open_sessions_end(tmp_path: Path) -> None:
    """Not only ctrl+q: an exit the app did not ask for (a signal, a served tab closed)
    still writes the end of the session on screen."""
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test() as pilot:
        await start(pilot, "caps", "o")
        await pilot.press(choice_number(app, "Tokyo"))
        await pilot.pause()
        app.exit(return_code=143)  # what the SIGTERM handler does
        await pilot.pause()
    [session] = scores(app.locations.scores).sessions
    assert session.end is not None and (session.score, session.total) == (1, 1)


async def test_a_long_journal_is_folded_in_the_background_at_start_up(tmp_path: Path) -> None:
    """Someone who always closes the terminal never reaches a session's normal end; the
    journal is folded when the app starts instead."""
    app = build(tmp_path, deck("caps", CHOICE))
    path = app.locations.scores
    store = ScoreStore(path)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    store.append(*(SuspendEvent(deck="caps", card="c1", at=at, suspended=i % 2 == 0)
                   for i in range(COMPACT_AFTER)))
    assert path.with_name("scores.toml.journal").exists() and not path.exists()
    async with app.run_test() as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()
    assert path.exists() and not path.with_name("scores.toml.journal").exists()
    assert ScoreStore(path).record("caps", "c1").suspended is False
