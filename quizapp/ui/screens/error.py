"""Shown instead of the app when the score file cannot be used (nothing is touched)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, Static

from quizapp.ui.widgets.footer import FittedFooter


class ErrorScreen(Screen[None]):
    BINDINGS = [Binding("q,escape,enter", "app.exit_with_error", "Quit")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box"):
            yield Label("quizapp cannot start", id="error-title")
            yield Static(self.message, id="error-message", markup=False)
            yield Label("Nothing was changed. Press q to quit.")
        yield FittedFooter()
