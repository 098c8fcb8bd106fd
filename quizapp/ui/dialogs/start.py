"""How to play a deck: every card in order, shuffled, or a number of questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from quizapp.decks import DeckEntry
from quizapp.models import SessionRecord
from quizapp.ui.dialogs.dialog import Dialog
from quizapp.ui.text import card_content
from quizapp.ui.widgets.footer import FittedFooter


@dataclass(frozen=True)
class StartChoice:
    mode: Literal["order", "shuffle"]
    limit: int | None = None
    resume: bool = False  # go on with the unfinished in-order session


class StartDeckScreen(Dialog[StartChoice | None]):
    """Dismisses with a ``StartChoice``, or None when cancelled."""

    DEFAULT_CSS = """
    StartDeckScreen { align: center middle; }
    StartDeckScreen > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    StartDeckScreen #title { text-style: bold; width: 1fr; }
    StartDeckScreen #count { color: $text-muted; margin-bottom: 1; }
    StartDeckScreen Button { width: 1fr; margin-bottom: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    StartDeckScreen #limit-row { height: auto; }
    StartDeckScreen #limit-row Button { width: 1fr; }
    StartDeckScreen #limit { width: 8; margin-right: 1; }
    """

    HELP_NAME = "Start a deck"
    BINDINGS = [
        Binding("r", "resume", "Resume"),
        Binding("o", "start('order')", "In order"),
        Binding("s", "start('shuffle')", "Shuffled"),
        Binding("n", "focus_limit", "N questions"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, entry: DeckEntry, unfinished: SessionRecord | None = None, *,
                 at: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.entry = entry
        self.unfinished = unfinished  # the deck's in-order session quit early, if any
        # (question number, questions in all) where resuming it goes on (the workspace's
        # resume_point); without it, by position.
        self.at = at

    def compose(self) -> ComposeResult:
        deck = self.entry.deck
        count = len(deck.asked)
        with Vertical():
            yield Label(card_content(deck.deck.title, one_line=True), id="title")
            yield Label(f"{count} cards", id="count")
            if self.unfinished is not None:
                at, of = self.at or (min((self.unfinished.asked or 0) + 1, count), count)
                yield Button(f"Resume at question {min(at, of)} of {of} (r)", id="resume",
                             variant="success", compact=True)
            yield Button("All cards in order (o)", id="order", variant="primary", compact=True)
            yield Button("All cards shuffled (s)", id="shuffle", compact=True)
            with Horizontal(id="limit-row"):
                yield Input(str(min(10, count)), type="integer", id="limit", max_length=4,
                            compact=True)
                yield Button("questions, shuffled (n)", id="limited", compact=True)
        yield FittedFooter()  # this dialog's keys, not those of the home screen under it

    def on_mount(self) -> None:
        self.query_one("#resume" if self.unfinished else "#order", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self.unfinished is not None
        return True

    def action_resume(self) -> None:
        if self.unfinished is not None:
            self.dismiss(StartChoice("order", resume=True))

    @on(Button.Pressed, "#resume")
    def _resume(self) -> None:
        self.action_resume()

    def action_start(self, mode: Literal["order", "shuffle"]) -> None:
        self.dismiss(StartChoice(mode))

    def action_focus_limit(self) -> None:
        self.query_one("#limit", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#order")
    def _order(self) -> None:
        self.action_start("order")

    @on(Button.Pressed, "#shuffle")
    def _shuffle(self) -> None:
        self.action_start("shuffle")

    @on(Button.Pressed, "#limited")
    @on(Input.Submitted, "#limit")
    def _limited(self) -> None:
        text = self.query_one("#limit", Input).value.strip()
        count = len(self.entry.deck.asked)
        try:
            limit = int(text)
        except ValueError:
            self.notify("Type how many questions (a whole number).", severity="warning")
            return
        if limit < 1:
            self.notify("Ask for at least one question.", severity="warning")
            return
        self.dismiss(StartChoice("shuffle", min(limit, count)))
