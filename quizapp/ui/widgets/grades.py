"""Again / Hard / Good / Easy: how well a person knew a ``flip`` card, each with the
interval the FSRS scheduler would give it (``1m``, ``10m``, ``3d``...), as in Anki."""

from __future__ import annotations

from collections.abc import Mapping

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.message import Message
from textual.widgets import Button

from quizapp.scheduling import Grade, interval_label

VARIANTS = {Grade.AGAIN: "error", Grade.HARD: "warning", Grade.GOOD: "primary",
            Grade.EASY: "success"}


class GradeBar(Grid):
    """Four buttons (keys 1-4 are bound by the screen); posts ``GradeBar.Graded``.
    Four in a row, or two rows of two when the screen is narrow."""

    DEFAULT_CSS = """
    GradeBar { height: auto; grid-size: 4; grid-columns: 1fr; grid-gutter: 0 1; }
    GradeBar.-narrow { grid-size: 2; }
    GradeBar Button { width: 100%; min-width: 4; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    class Graded(Message):
        def __init__(self, bar: GradeBar, rating: int) -> None:
            super().__init__()
            self.bar = bar
            self.rating = rating

        @property
        def control(self) -> GradeBar:
            return self.bar

    def __init__(self, intervals: Mapping[int, float] | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.intervals = dict(intervals or {})

    def label(self, grade: Grade) -> str:
        """``3 Good · 10m``: the key, the grade and when the card would come back."""
        seconds = self.intervals.get(grade.value)
        after = "" if seconds is None else f" · {interval_label(seconds)}"
        return f"{grade.value} {grade.label}{after}"

    def compose(self) -> ComposeResult:
        for grade in Grade:
            yield Button(self.label(grade), id=f"grade-{grade.value}", variant=VARIANTS[grade],
                         compact=True)

    def on_resize(self) -> None:
        self.set_class(self.size.width < 4 * 15, "-narrow")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        rating = int((event.button.id or "grade-0").removeprefix("grade-"))
        self.grade(rating)

    def grade(self, rating: int) -> None:
        if not self.disabled and rating in set(Grade):
            self.post_message(self.Graded(self, rating))
