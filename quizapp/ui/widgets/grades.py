"""Again / Hard / Good / Easy: how well a person knew a ``flip`` card."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from quizapp.scheduling import Grade


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
        variants = {Grade.AGAIN: "error", Grade.HARD: "warning", Grade.GOOD: "primary",
                    Grade.EASY: "success"}
        for grade in Grade:
            yield Button(f"{grade.value} {grade.label}", id=f"grade-{grade.value}",
                         variant=variants[grade])

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        rating = int((event.button.id or "grade-0").removeprefix("grade-"))
        self.grade(rating)

    def grade(self, rating: int) -> None:
        if not self.disabled and rating in set(Grade):
            self.post_message(self.Graded(self, rating))
