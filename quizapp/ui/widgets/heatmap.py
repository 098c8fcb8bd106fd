"""A calendar heatmap of the cards answered per day, a column per week (Anki's review
heatmap, GitHub's contribution graph): the darker the green, the more was studied.

It shows as many weeks, up to a year, as fit its width, the latest on the right; rows
are Monday to Sunday with a line of month names on top. A day with nothing studied is a
dot, a day still to come is blank.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget

LEVELS = ("#0e4429", "#006d32", "#26a641", "#39d353")  # least to most
LABEL = 4  # "Mon " before the first week
CELL = 2  # a square and a space
MAX_WEEKS = 53
DAY_NAMES = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def level(count: int, most: int) -> int:
    """0 for nothing, else 1-4 by the share of the busiest day shown."""
    if count <= 0 or most <= 0:
        return 0
    return max(1, min(len(LEVELS), math.ceil(len(LEVELS) * count / most)))


def weeks_that_fit(width: int) -> int:
    return max(1, min(MAX_WEEKS, (width - LABEL) // CELL))


def first_monday(today: date, weeks: int) -> date:
    """The Monday that starts the first of ``weeks`` columns ending with today's week."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)


class Heatmap(Widget):
    """Call ``show(counts, today)`` with cards answered per local date."""

    DEFAULT_CSS = """
    Heatmap { height: 8; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.counts: dict[date, int] = {}
        self.today = date.today()

    def show(self, counts: Mapping[date, int], today: date) -> None:
        self.counts, self.today = dict(counts), today
        self.refresh()

    def shown_weeks(self) -> int:
        return weeks_that_fit(self.size.width)

    def render(self) -> RenderResult:
        weeks = self.shown_weeks()
        start = first_monday(self.today, weeks)
        days = [start + timedelta(days=i) for i in range(weeks * 7)]
        most = max((self.counts.get(d, 0) for d in days if d <= self.today), default=0)
        lines = [self._months(start, weeks)]
        for weekday in range(7):
            # Days in a row that look the same are one span: a year of unstudied days is
            # a few spans, not 365 (each span costs its own style on every render).
            runs: list[tuple[str, str]] = []  # (text, style); style "" for a day to come
            for week in range(weeks):
                day = start + timedelta(weeks=week, days=weekday)
                if day > self.today:
                    cell, style = " " * CELL, ""
                else:
                    shade = level(self.counts.get(day, 0), most)
                    cell, style = ("· ", "$text-muted") if shade == 0 else ("■ ", LEVELS[shade - 1])
                if runs and runs[-1][1] == style:
                    runs[-1] = (runs[-1][0] + cell, style)
                else:
                    runs.append((cell, style))
            lines.append(Content.assemble(f"{DAY_NAMES[weekday]:<{LABEL}}",
                                          *(text if not style else (text, style)
                                            for text, style in runs)))
        return Content("\n").join(lines)

    @staticmethod
    def _months(start: date, weeks: int) -> Content:
        """Month names above the first week of each month, where they fit."""
        row = [" "] * (LABEL + weeks * CELL)
        previous = start.month
        for week in range(weeks):
            monday = start + timedelta(weeks=week)
            if week == 0 or monday.month != previous:
                name = monday.strftime("%b")
                at = LABEL + week * CELL
                free = all(c == " " for c in row[max(0, at - 1): at + len(name)])
                if free and at + len(name) <= len(row):
                    row[at: at + len(name)] = name
            previous = monday.month
        return Content.styled("".join(row).rstrip(), "$text-muted")
