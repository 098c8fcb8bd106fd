"""The items of an ``order`` card, moved into place with the keyboard."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quizapp.ui.text import card_content


class OrderList(OptionList):
    """A list whose highlighted item moves up and down; Enter submits the order."""

    DEFAULT_CSS = """
    OrderList { height: auto; min-width: 16; max-height: 14; }
    """

    BINDINGS = [
        Binding("up", "cursor_up", "Select", show=False),
        Binding("down", "cursor_down", "Select", show=False),
        Binding("left_square_bracket,shift+up,ctrl+up", "move(-1)", "Move up", key_display="["),
        Binding("right_square_bracket,shift+down,ctrl+down", "move(1)", "Move down", key_display="]"),
        Binding("enter", "submit", "Submit"),
    ]

    class Submitted(Message):
        """The person submitted this order."""

        def __init__(self, order_list: OrderList, items: list[str]) -> None:
            super().__init__()
            self.order_list = order_list
            self.items = items

        @property
        def control(self) -> OrderList:
            return self.order_list

    def __init__(self, items: list[str], *, id: str | None = None) -> None:
        self.items = list(items)
        super().__init__(*self._prompts(), id=id)

    def on_mount(self) -> None:
        self.highlighted = 0

    def _prompts(self, marks: list[str] | None = None) -> list[Option]:
        return [
            Option(Content.assemble((f"{i + 1}. ", "bold"), (marks[i] if marks else ""),
                                    card_content(text, one_line=True)))
            for i, text in enumerate(self.items)
        ]

    def action_move(self, step: int) -> None:
        """Move the highlighted item one place up (-1) or down (+1)."""
        index = self.highlighted
        if index is None or self.disabled:
            return
        target = index + step
        if not 0 <= target < len(self.items):
            return
        self.items[index], self.items[target] = self.items[target], self.items[index]
        self.set_options(self._prompts())
        self.highlighted = target

    def action_submit(self) -> None:
        if not self.disabled:
            self.post_message(self.Submitted(self, list(self.items)))

    def reveal(self, answer: list[str]) -> None:
        """Mark each item in its right place (✔) or not (✘), and stop taking input."""
        marks = ["✔ " if item == want else "✘ " for item, want in zip(self.items, answer)]
        self.set_options(self._prompts(marks))
        self.disabled = True
