"""Reading the person's data for the app: at start, and again when decks change.

Home is shown at once ("Loading decks and scores…", or the decks and problems the deck
cache's index knows); the decks are found and the score file read in a worker thread, then
home draws them and the app plays the plan the command line asked for. A big deck file the
index cannot vouch for (new, edited: seconds to check) is read after that, home saying so
meanwhile, so a start is playable as soon as the rest is read. A score file that cannot be
used is refused with an error screen, and nothing may be played. Decks are found again
(off the UI thread) when a deck was saved, imported or removed.
"""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App

from quizapp.deckindex import glance
from quizapp.store import ScoreFileError
from quizapp.summaryfile import kept_summary
from quizapp.ui.lazyworkspace import LazyWorkspace
from quizapp.ui.navigator import Navigator
from quizapp.ui.sessions import OpenSessions

if TYPE_CHECKING:
    from quizapp.plan import PlayPlan
    from textual.worker import Worker

    from quizapp.session import Session
    from quizapp.settingsfile import PlainSettings
    from quizapp.stats import Stats
    from quizapp.workspace import Workspace


# How often the app looks whether another window compacted the score file (a ``stat``).
READ_AHEAD_SECONDS = 1.0


class Loading:
    """Start-up and reloads (see the module doc). ``plan`` and ``session``: what the
    command line asked to play (``session`` when it has started it already);
    ``settings_read`` is called (on the UI thread) once the workspace has read the
    settings file."""

    def __init__(self, app: App[None], lazy: LazyWorkspace, navigator: Navigator,
                 sessions: OpenSessions, plan: PlayPlan | None = None,
                 session: Session | None = None, *,
                 settings_read: Callable[[], None] = lambda: None) -> None:
        self.app = app
        self.lazy = lazy
        self.navigator = navigator
        self.sessions = sessions
        self.plan = plan
        self.session = session
        self.settings_read = settings_read
        self._reading_ahead: Worker[None] | None = None
        # Big deck files read after the rest (``start``); while they are, a reload of the
        # decks waits for them (``_again``) rather than reading them a second time.
        self._later: list[Path] = []
        self._again = False

    @property
    def workspace(self) -> Workspace:
        return self.lazy.get()

    def start(self, settings: PlainSettings | None = None) -> None:
        """Home is on screen: show the data, reading it first if the command line has not.
        ``settings``: the settings file as read plainly (None when that was not sure)."""
        lazy = self.lazy
        if lazy.made and lazy.get().loaded:
            _keep_loaded()
            self._loaded()
            return
        # The deck cache's index draws home at once (a few hundred bytes a deck), with the
        # numbers the last count kept; none of it needs pydantic or the models. The
        # workspace is made, and the decks and the score file read, once home is drawn
        # (in a thread), and home is drawn again with them.
        # A broken file's problems are the index's too (its verdict is kept); a big file it
        # cannot vouch for is read last, home saying so, and playable before it is read.
        seen = glance(lazy.locations)
        home = self.navigator.home
        if seen is not None and self.plan is None:  # (a deck asked for may be in one)
            self._later = list(seen.big)
            home.still_reading([path.name for path in seen.big])
        if seen is not None and (seen.glimpses or seen.problems):
            # The numbers too, when the last count kept them and nothing changed since.
            glimpses = seen.glimpses
            kept = kept_summary(lazy.locations.scores, glimpses, settings) if settings else None
            home.preview(glimpses, kept.stats(lazy.clock()) if kept else None,
                         problems=seen.problems)
        self.app.run_worker(self._read_aside(), exclusive=True, group="load")

    async def _read_aside(self) -> None:
        """Run ``_read`` in a thread of its own that quitting does not wait for.

        Textual's thread workers run in the event loop's executor, which the app joins on
        the way out: a person who quit during a long first load (a 100k-card deck parsed
        without a cache) waited the whole load for the shell. Reading writes only what a
        kill at any moment leaves sound (atomic cache files, the score file's recovery),
        so leaving it behind is safe. This worker awaits the thread, so the app's workers
        still tell when loading is done, and an error in it still ends the app.

        The thread starts once home is drawn: it imports pydantic and the models first,
        which would hold up the draw."""
        drawn = asyncio.Event()
        if not self.app.call_after_refresh(drawn.set):
            return  # the app is closing
        await drawn.wait()
        done: Future[None] = Future()

        def run() -> None:
            try:
                self._read()
            except BaseException as exc:  # handed to the awaiting worker, if it still waits
                with suppress(InvalidStateError):
                    done.set_exception(exc)
            else:
                with suppress(InvalidStateError):
                    done.set_result(None)

        threading.Thread(target=run, name="quizapp-load", daemon=True).start()
        await asyncio.wrap_future(done)

    def _read(self) -> None:
        """Read the settings, find the decks and read the score file, off the UI thread."""
        workspace = self.workspace  # (made here at a normal start: pydantic is imported now)
        if not workspace.loaded:
            workspace.load_settings()
            self._show(self.settings_read)
        later = self._later
        try:
            workspace.read_data(leave=later)
        except ScoreFileError as exc:
            _keep_loaded()
            self._show(self.navigator.refuse, str(exc))
            return
        _keep_loaded()
        # Playable now. Home goes on showing the numbers it has (the last count's) while
        # it counts in a thread of its own, so a session asked for at once does not wait
        # for the count (about 2 s at 100,000 cards); a small collection is counted at once.
        self._show(self._loaded)
        if later:
            self._read_later()
        from quizapp.session import deck_rivals

        for entry in self.workspace.catalog.entries:  # so the first typed answer need not wait
            deck_rivals(entry.deck)
        _preload()

    def _read_later(self) -> None:
        """The big deck files left out at start, read now that the rest is playable (a
        broken one's problems then show on home, a good one joins the decks)."""
        try:
            self.workspace.reload_decks()
            stats = self.workspace.stats()
        finally:
            _keep_loaded()
            self._later = []
            self._show(self.navigator.home.still_reading, [])
        self._show(self.navigator.refresh_home, stats)
        if self._again:
            self._again = False
            self._show(self.reload_decks)

    def _loaded(self, stats: Stats | None = None) -> None:
        navigator = self.navigator
        navigator.ready = True
        navigator.refresh_home(stats)
        for notice in self.workspace.notices:
            self.app.notify(notice, severity="warning", markup=False, timeout=15)
        # A long journal (someone who always closes the terminal) is folded now, in a
        # thread, rather than only at a session's normal end.
        self.sessions.compact()
        # Another window's compaction is read in a thread soon after it happens, not by
        # the next session start or answer on the UI thread (a second at 100k records).
        self.app.set_interval(READ_AHEAD_SECONDS, self._look_for_new_scores)
        plan, session = self.plan, self.session
        if plan is not None and session is not None:
            navigator.show_session(session, plan)
        elif plan is not None:
            navigator.play(plan)

    def _look_for_new_scores(self) -> None:
        """Every ``READ_AHEAD_SECONDS``: one ``stat``, and a thread reading the score file
        again when another window compacted it."""
        reading = self._reading_ahead
        if (reading is None or reading.is_finished) and self.workspace.snapshot_changed():
            self._reading_ahead = self.app.run_worker(
                self._read_ahead, thread=True, group="read-ahead",
                description="read another window's compaction")

    def _read_ahead(self) -> None:
        # The new scores are frozen before the collector sees them: a collection over a
        # few hundred thousand new objects holds the GIL, so the screen, for 0.1-0.4 s.
        gc.disable()
        try:
            read = self.workspace.read_ahead()
        except ScoreFileError as exc:  # a hand edit with a mistake, a newer quizapp's entry
            message = str(exc).replace("\n", " ")
            self._show(lambda: self.app.notify(message, severity="error", markup=False,
                                               timeout=30))
            return
        finally:
            _keep_loaded()
        if read:
            # Counted here too: home (and the next session start) need not count them.
            stats = self.workspace.stats()
            self._show(self.navigator.refresh_home, stats)

    def reload_decks(self) -> None:
        """Find the decks again (a file added, fixed or removed since), off the UI thread:
        cheap, unchanged files come from the deck cache. The scores stay as they are."""
        if self._later:  # the big files are being read: their end reloads the decks
            self._again = True
        elif self.navigator.can_leave_home:
            self.app.run_worker(self._reload, thread=True, exclusive=True, group="decks")

    def _reload(self) -> None:
        self.workspace.reload_decks()
        stats = self.workspace.stats()  # counted here, off the UI thread
        self._show(self.navigator.refresh_home, stats)

    def _show(self, show: Callable[..., object], *args: object) -> None:
        """From the loading thread: ``show(*args)`` on the UI thread, unless the app has
        begun to close meanwhile (a person who quits at once): its screens are being
        taken apart then, and filling home's table would fail."""
        def run() -> None:
            if self.app.is_running:
                show(*args)

        self.app.call_from_thread(run)

    @staticmethod
    def close() -> None:
        """The app is gone: what it held (frozen after loading) may be collected."""
        gc.unfreeze()
        gc.enable()


def _preload() -> None:
    """Import what the first session needs and home did not (the question and summary
    screens, the scheduler, the typed-answer matcher) while the person looks at home, so
    the first question and the first answer do not wait for it."""
    from quizapp import matching, scheduling
    from quizapp.ui.screens import question, summary  # noqa: F401

    matching.preload()
    scheduling.preload()


def _keep_loaded() -> None:
    """What is loaded now lives as long as the app: the garbage collector need not look
    at it again (with 100,000 cards every full collection would stall the UI). Loading
    leaves no garbage in cycles, so nothing is collected first; the collector runs again
    from here on if the start paused it (``ui.collect_after_start``)."""
    gc.freeze()
    gc.enable()
