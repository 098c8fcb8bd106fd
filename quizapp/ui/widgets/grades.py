"""Again / Hard / Good / Easy: how well a person knew a ``flip`` card."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from quizapp.session import GRADES


class GradeBar(Horizontal):
    """Four buttons (keys 1-4 are bound by the screen); posts ``GradeBar.Graded``."""

    DEFAULT_CSS = """
    GradeBar { height: auto; }
    GradeBar Button { min-width: 10; margin-right: 1; }
    """

    class Graded(Message):
        def __init__(self, bar: GradeBar, rating: int) -> None:
            super().__init__()
            self.bar = bar
            self.rating = rating

        @property
        def control(self) -> GradeBar:
            return self.bar

    def compose(self) -> ComposeResult:
        variants = {1: "error", 2: "warning", 3: "primary", 4: "success"}
        for rating, name in GRADES.items():
            yield Button(f"{rating} {name}", id=f"grade-{rating}", variant=variants[rating])

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        rating = int((event.button.id or "grade-0").removeprefix("grade-"))
        self.grade(rating)

    def grade(self, rating: int) -> None:
        if not self.disabled and rating in GRADES:
            self.post_message(self.Graded(self, rating))
