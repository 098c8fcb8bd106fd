"""A line chart of session percents, one line per deck (textual-plotext).

The x axis counts a deck's sessions (1 = its first), the y axis is the percent right at the
first try, 0 to 100. Deck ids (letters, digits, ``-`` and ``_``) label the lines; the
numbers themselves are also in the deck table beside the chart, so nothing is lost where
the colours are hard to tell apart.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from quizapp.stats import DeckStats
from quizapp.text import visible

MAX_LINES = 8  # more decks than this and the legend hides the chart
COLORS = ("cyan", "magenta", "green", "orange", "blue", "red", "yellow", "white")
MIN_WIDTH = 24  # below this (or MIN_HEIGHT) plotext has no room for axes: say so instead
MIN_HEIGHT = 6


def chart_decks(decks: Sequence[DeckStats]) -> list[DeckStats]:
    """The decks the chart draws: those with a session, the ``MAX_LINES`` most recently
    played, in the order given."""
    played = [d for d in decks if d.results]
    if len(played) <= MAX_LINES:
        return played
    recent = sorted(played, key=lambda d: d.results[-1].at, reverse=True)[:MAX_LINES]
    return [d for d in played if d in recent]


class AccuracyChart(PlotextPlot):
    """Session percents per deck. Call ``show(decks)`` with every deck's stats."""

    DEFAULT_CSS = """
    AccuracyChart {
        height: 14;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.shown: list[DeckStats] = []

    def show(self, decks: Sequence[DeckStats]) -> None:
        self.shown = chart_decks(decks)
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.xlabel("session (1 = the deck's first)")
        plt.ylim(0, 100)
        plt.yticks([0, 25, 50, 75, 100])
        longest = max((len(d.results) for d in self.shown), default=1)
        if longest <= 12:
            plt.xticks(list(range(1, longest + 1)))
        if longest == 1:
            plt.xlim(0.5, 1.5)
        for deck, color in zip(self.shown, COLORS, strict=False):
            xs = list(range(1, len(deck.results) + 1))
            plt.plot(xs, deck.history, label=visible(deck.deck_id, one_line=True),
                     marker="braille", color=color)
            # A dot on each session, so a deck played once still shows.
            plt.scatter(xs, deck.history, marker="●", color=color)
        self.refresh()

    def render(self) -> RenderResult:
        if self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT:
            return Text("(too small for the chart: see the table)", style="dim")
        return super().render()
