"""The app's side of ``python -m quizapp.bench``: start the app (or a bare Textual app)
headless at 80x24 and time what a person waits for, through the pilot. Each function
returns a dict of measures; ``home_at`` is a ``time.perf_counter()`` stamp (the same
clock in every process), so the bench can time a start from the moment it spawned us, and
``cpu`` the process's CPU time then (which a busy machine disturbs less).

The start rows run ``child`` in a fresh ``python -c`` process: both sides import only
what their own start needs (this module is plain: asyncio, json, time), and the app is
made the way the command line makes it (``cli.parse`` and ``cli.app_for``, as
``quizapp`` with no command does), so its start includes the command line's own work."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime, timedelta


async def _wait(pilot, condition, timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there")
        await pilot.pause(0.002)


async def _until(condition, timeout: float = 120.0) -> None:
    """Wait for ``condition`` without touching the app (the pilot's pause would make the
    screen refresh at once, which no real start has): the start rows use this."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there")
        await asyncio.sleep(0.002)


async def _ticker(stop: asyncio.Event, gaps: list[float]) -> None:
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(0.005)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now


async def _painted(app) -> tuple[float, float]:
    """The time of the next refresh of the screen, when what the app holds now is painted,
    and the process's CPU time (every thread's) then. Both are taken in a callback of that
    refresh, so work the app starts after it does not count: quizapp's loading thread
    starts from a callback of the same refresh, and may run before this coroutine resumes."""
    done = asyncio.get_running_loop().create_future()

    def stamp() -> None:
        if not done.done():
            done.set_result((time.perf_counter(), time.process_time()))

    app.call_after_refresh(stamp)
    return await done


def child(mode: str, peak_kib: Callable[[], int]) -> None:
    """A start row's process (``python -c``): ``bare`` or ``home``; prints the result as
    one JSON line."""
    import json

    run = bare(peak_kib) if mode == "bare" else start_home(peak_kib)
    print(json.dumps(asyncio.run(run)))


async def bare(peak_kib: Callable[[], int]) -> dict:
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App[None]):
        def compose(self):
            yield Header()
            yield Static("hello")
            yield Footer()

    app = Bare()
    async with app.run_test(size=(80, 24)):
        await _until(lambda: True)  # (the first frame shows all of it)
        home_at, cpu = await _painted(app)
    return {"home_at": home_at, "cpu": cpu, "peak_mib": peak_kib() / 1024}


async def start_home(peak_kib: Callable[[], int]) -> dict:
    """``quizapp`` with no command, as the command line opens it, until home's first frame
    that shows every deck with its numbers and the keys (see ``HomeScreen.drawn``)."""
    from quizapp import cli

    app = cli.app_for(cli.parse([]))
    async with app.run_test(size=(80, 24)):
        await _until(lambda: app.home.drawn)
        from_index = app.home.loading  # drawn from the deck cache's index and kept numbers
        home_at, cpu = await _painted(app)  # as for the bare app: the frame that shows it
    return {"home_at": home_at, "cpu": cpu, "peak_mib": peak_kib() / 1024,
            "from_index": from_index}


async def run_app(*, deck_id: str, start: datetime, peak_kib: Callable[[], int]) -> dict:
    """The app on the bench deck ``deck_id`` (``quizapp.bench`` passes its deck, clock
    start and memory probe: the UI does not import the tool that drives it)."""
    from quizapp.ui import collect_after_start

    collect_after_start()  # as the command line starts the app
    from quizapp.paths import Locations
    from quizapp.ui.app import make_app

    app = make_app(Locations.from_env())
    out: dict = {}
    async with app.run_test(size=(80, 24)) as pilot:
        # Home is drawn: every deck with its numbers (from the deck cache's index and the
        # score side's counts when they are there, else once everything is loaded).
        await _wait(pilot, lambda: app.home.drawn)
        out["home_at"], out["cpu"] = await _painted(app)
        out["peak_mib"] = peak_kib() / 1024
        # A person looks at home for a moment: the loading thread finishes its background
        # work (the decks and scores, each deck's rivals for typed answers) before the
        # first session. Memory at home is the peak once all of it is loaded.
        await app.workers.wait_for_complete()
        out["peak_mib_loaded"] = peak_kib() / 1024
        from quizapp.plan import PlayPlan
        from quizapp.ui.screens.question import QuestionScreen
        from quizapp.ui.screens.summary import SummaryScreen

        def asking() -> bool:
            screen = app.screen
            return (isinstance(screen, QuestionScreen) and screen.is_mounted
                    and bool(screen.query("#typed")))

        started = time.perf_counter()
        app.navigator.play(PlayPlan("deck", deck_id, "order", None))
        await _wait(pilot, asking)
        out["session_start"] = time.perf_counter() - started
        app.navigator.go_home()
        await pilot.pause()

        app.navigator.play(PlayPlan("deck", deck_id, "order", 1))
        await _wait(pilot, asking)
        screen = app.screen
        await pilot.press("x")
        started = time.perf_counter()
        await pilot.press("enter")
        await _wait(pilot, lambda: screen.session.state == "feedback")
        out["typed_answer"] = time.perf_counter() - started
        started = time.perf_counter()
        await pilot.press("enter")
        await _wait(pilot, lambda: isinstance(app.screen, SummaryScreen) and app.screen.is_mounted)
        await pilot.pause()
        out["summary"] = time.perf_counter() - started
        await app.workers.wait_for_complete()
        out["peak_mib_session"] = peak_kib() / 1024

        # Compaction: a journal of answers, folded as the app folds it (in another
        # process, waited for by a thread) while the event loop ticks; then the loop idle
        # for as long again. The longest pause of each is kept: both over windows of the
        # same length, since the longest of more ticks is longer by chance alone (a 100k
        # compaction takes longer than the 1k one, and an idle second is short of both).
        from quizapp.models import AnswerEvent

        store = app.store
        events = [AnswerEvent(deck=deck_id, card=f"card-{i}", session="bench", result="right",
                              at=start + timedelta(days=40, seconds=i)) for i in range(250)]
        store.append(*events)
        stop, busy = asyncio.Event(), []
        task = asyncio.ensure_future(_ticker(stop, busy))
        started = time.perf_counter()
        await asyncio.to_thread(store.compact_elsewhere)
        out["compact"] = time.perf_counter() - started
        stop.set()
        await task
        stop, idle = asyncio.Event(), []
        task = asyncio.ensure_future(_ticker(stop, idle))
        await asyncio.sleep(out["compact"])
        stop.set()
        await task
        out["stall_idle"] = max(idle)
        out["stall_compact"] = max(busy)
    return out


