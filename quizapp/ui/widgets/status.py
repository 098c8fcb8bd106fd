"""Progress, score so far and the ticking elapsed time of a session."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from quizapp.session import Session
from quizapp.format import duration


class SessionStatus(Horizontal):
    DEFAULT_CSS = """
    SessionStatus { height: 1; }
    SessionStatus ProgressBar { width: 1fr; }
    SessionStatus Label { padding: 0 1; }
    """

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=self.session.total, show_eta=False, show_percentage=False, id="progress")
        yield Label(id="position")
        yield Label(id="score")
        yield Label(id="elapsed")

    def on_mount(self) -> None:
        self.update()
        self.set_interval(1, self._tick)

    def _tick(self) -> None:
        self.query_one("#elapsed", Label).update(f"Time {duration(self.session.elapsed())}")

    def update(self) -> None:
        session = self.session
        number, of, done = session.progress  # in review rounds: this round's count
        self.query_one(ProgressBar).update(total=of, progress=done)
        self.query_one("#position", Label).update(f"{number}/{of}")
        self.query_one("#score", Label).update(f"Score {session.score}/{session.answered}")
        self._tick()
