"""How to play a deck: every card in order, shuffled, or a number of questions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label

from quizapp.decks import DeckEntry
from quizapp.ui.text import card_content


@dataclass(frozen=True)
class StartChoice:
    mode: Literal["order", "shuffle"]
    limit: int | None = None


class StartDeckScreen(ModalScreen[StartChoice | None]):
    """Dismisses with a ``StartChoice``, or None when cancelled."""

    DEFAULT_CSS = """
    StartDeckScreen { align: center middle; }
    StartDeckScreen > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    StartDeckScreen #title { text-style: bold; width: 1fr; }
    StartDeckScreen #count { color: $text-muted; margin-bottom: 1; }
    StartDeckScreen Button { width: 1fr; }
    StartDeckScreen #limit-row { height: auto; }
    StartDeckScreen #limit-row Button { width: 1fr; }
    StartDeckScreen #limit { width: 12; }
    """

    BINDINGS = [
        Binding("o", "start('order')", "In order"),
        Binding("s", "start('shuffle')", "Shuffled"),
        Binding("n", "focus_limit", "N questions"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, entry: DeckEntry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        deck = self.entry.deck
        count = len(deck.asked)
        with Vertical():
            yield Label(card_content(deck.deck.title, one_line=True), id="title")
            yield Label(f"{count} cards", id="count")
            yield Button("All cards in order (o)", id="order", variant="primary")
            yield Button("All cards shuffled (s)", id="shuffle")
            with Horizontal(id="limit-row"):
                yield Input(str(min(10, count)), type="integer", id="limit", max_length=4)
                yield Button("questions, shuffled (n)", id="limited")
        yield Footer()  # this dialog's keys, not those of the home screen under it

    def on_mount(self) -> None:
        self.query_one("#order", Button).focus()

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
