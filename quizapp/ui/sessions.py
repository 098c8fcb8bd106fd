"""The sessions the app has shown, and how each one ends.

A session's answers are on disk as they are given; what is left to write is its end
record. ``OpenSessions`` keeps the sessions shown whose end is not written yet and writes
it however the app ends: the summary, going home, ctrl+q, SIGTERM, SIGHUP (a closed
terminal) or a served tab closed. It also folds a long journal into the score file in a
thread. A failure to write is told in a notification, never fatal: the answers are safe.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App

from quizapp import signals
from quizapp.store import ScoreFileError
from quizapp.ui.lazyworkspace import LazyWorkspace

if TYPE_CHECKING:
    from quizapp.session import Session
    from quizapp.workspace import Workspace


class OpenSessions:
    """The app's sessions whose end is not written yet (see the module doc)."""

    def __init__(self, app: App[None], lazy: LazyWorkspace) -> None:
        self.app = app
        self.lazy = lazy
        self._open: dict[str, Session] = {}
        self._remove_signal_handlers: Callable[[], None] = lambda: None

    @property
    def workspace(self) -> Workspace:
        return self.lazy.get()

    def opened(self, session: Session) -> None:
        """``session`` is being shown: its end is written however the app ends."""
        self._open[session.id] = session

    def finish(self, session: Session) -> None:
        """Write the session's end record; a failure is told, never fatal (the answers
        themselves are already on disk)."""
        self._open.pop(session.id, None)
        try:
            self.workspace.finish(session)
        except (OSError, ScoreFileError) as exc:
            self.app.notify(f"The end of the session could not be saved: {exc}",
                            severity="error", markup=False, timeout=15)

    def finish_all(self) -> None:
        for session in list(self._open.values()):
            self.finish(session)

    def finish_and_exit(self, session: Session) -> None:
        """Quit from a question: the answers are on disk already; write the session's end."""
        self.finish(session)
        self.app.exit()

    # ------------------------------------------------------------------ the app's life

    def watch_signals(self) -> None:
        """From now on SIGTERM and SIGHUP end the app like ctrl+q, without asking."""
        self._remove_signal_handlers = signals.on_ending_signals(self._ending_signal)

    def close(self) -> None:
        """The app is ending, however it ends: write the end of a session still open."""
        self._remove_signal_handlers()
        self.finish_all()

    def _ending_signal(self, signum: int) -> None:
        """The open session's end is written first, then the app exits and Textual puts
        the terminal back (normal screen, mouse off, cursor shown, cooked mode)."""
        self.finish_all()
        if signum != signals.TERMINATE:
            # The terminal is gone: Textual's shutdown can wait forever on output that
            # no terminal will take. Everything is on disk (fsynced), so go if it does.
            signals.exit_soon(signals.exit_code(signum))
        self.app.exit(return_code=signals.exit_code(signum))

    # ------------------------------------------------------------------ the journal

    def compact(self) -> None:
        """Fold the journal into the score file when it has grown (O(file): in another
        process, waited for by a thread, so the screen never waits for it)."""
        self.app.run_worker(self._compact, thread=True, exclusive=True, group="compact")

    def _compact(self) -> None:
        # If folding fails the journal simply stays, and nothing is lost: say so.
        try:
            self.workspace.compact(elsewhere=True)
        except (OSError, ScoreFileError) as exc:
            self.app.call_from_thread(self.app.notify,
                                      f"The score file could not be tidied up: {exc}",
                                      severity="warning", markup=False)
