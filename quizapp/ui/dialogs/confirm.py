"""A yes/no question in a modal dialog."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Button, Label

from quizapp.ui.dialogs.dialog import Dialog
from quizapp.ui.widgets.footer import FittedFooter


class ConfirmScreen(Dialog[bool]):
    """Dismisses with True (yes) or False (no, or Escape). The text is the code's own words."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Grid {
        grid-size: 2; grid-gutter: 1 2; grid-rows: auto 3;
        width: 60; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 1; border: thick $primary; background: $surface;
    }
    ConfirmScreen #question { column-span: 2; width: 1fr; content-align: center middle; padding: 1 0 0 0; }
    /* nowrap: in a terminal 9-11 columns wide a button gets 0 columns for its label, and
       Textual 8.2.8 crashes wrapping text into 0 columns; unwrapped, it is just cut. */
    ConfirmScreen Button { width: 100%; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    HELP_NAME = "Confirm"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Grid():
            yield Label(self.question, id="question", markup=False)
            yield Button(f"{self.yes} (y)", variant="error", id="yes")
            yield Button(f"{self.no} (n)", variant="primary", id="no")
        yield FittedFooter()  # this dialog's keys, not those of the screen under it

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
