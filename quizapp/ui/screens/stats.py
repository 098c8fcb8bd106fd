"""Stats: the person's progress, with the numbers of ``quizapp stats`` (``tally.compute_stats``).

From the top: the streak of days studied and how many cards are new, learning and mastered;
a chart of each deck's session percents with a table of the same numbers; accuracy by
question family; the most-missed cards; and the leeches (with any other suspended card).
In the two card tables ``s`` suspends the highlighted card, or unsuspends it, through
``review.set_suspended``: the tables and the home screen's counts change at once, and a
suspended card is left out of every session until it is unsuspended.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from quizapp import review
from quizapp.decks import Catalog
from quizapp.errors import NotFound
from quizapp.format import when
from quizapp.models import ScoreFile
from quizapp.stats import DeckStats, MissedCard, Stats
from quizapp.store import ScoreFileError
from quizapp.text import visible
from quizapp.ui import messages
from quizapp.ui.screens.home import INLINE_CARDS, SCROLLBAR
from quizapp.ui.text import card_cell
from quizapp.ui.widgets.accuracy_chart import MAX_LINES, AccuracyChart
from quizapp.workspace import Workspace
from quizapp.ui.widgets.footer import FittedFooter

CARD_TABLES = ("most-missed", "leeches")
RECENT = 6  # session percents shown beside the chart, per deck
DECK_COLUMNS = ("Deck", "Sessions", "Best", "Last", f"Last {RECENT} (%)", "Played")
CARD_COLUMNS = ("Deck", "Question", "Wrong", "Right", "Marks")
MIN_TEXT = 6  # a text column is never narrower (the table scrolls sideways instead)


def share_width(room: int, wanted: list[int]) -> list[int]:
    """Widths for text columns that want ``wanted`` columns in ``room``: all they want
    when it fits; otherwise a column wanting less than an even share keeps it and the
    others split the rest evenly (each at least ``MIN_TEXT``, or what it wants if less)."""
    widths = list(wanted)
    if sum(wanted) <= room:
        return widths
    left = list(range(len(wanted)))
    while left:
        even = max(room, 0) // len(left)
        small = [i for i in left if wanted[i] <= even]
        if not small:
            for i in left:
                widths[i] = max(min(MIN_TEXT, wanted[i]), even)
            break
        for i in small:
            room -= wanted[i]
            left.remove(i)
    return widths


def pct(value: float | None) -> str:
    """``66.7`` -> ``66.7%``, ``50.0`` -> ``50%``; nothing answered -> ``–``."""
    return "–" if value is None else f"{value:g}%"


def streak_line(stats: Stats) -> str:
    days = stats.streak_days
    if days == 0:
        return "Streak: no days in a row yet."
    unit = "day" if days == 1 else "days"
    tail = "studied today" if stats.studied_today else "study today to keep it going"
    return f"Streak: {days} {unit} in a row ({tail})."


def unfinished_line(stats: Stats) -> str:
    """The decks whose latest session was quit before the end (no score: see home)."""
    parts = []
    for d in stats.decks:
        if d.unfinished is not None:
            of = f" of {d.unfinished.planned}" if d.unfinished.planned else ""
            parts.append(f"{d.deck_id} {d.unfinished.total}{of}")
    return "Quit before the end (not a score): " + ", ".join(parts) if parts else ""


def counts_line(stats: Stats) -> str:
    c = stats.counts
    return (f"Cards: {c.total} · new {c.new} · learning {c.learning} · mastered {c.mastered}"
            f" · suspended {c.suspended} · leeches {c.leeches}")


def has_answers(stats: Stats) -> bool:
    return stats.counts.new < stats.counts.total or any(d.results for d in stats.decks)


# A row of a card table (most missed, leeches): the numbers ``quizapp stats`` gives.
CardRow = MissedCard


def leech_rows(scores: ScoreFile, catalog: Catalog, threshold: int) -> list[CardRow]:
    """Every leech (most wrong first), then every other suspended card, in deck order, so
    whatever was suspended can be unsuspended here."""
    rows = [CardRow(l.deck_id, l.card.id, l.card.question, l.wrong, l.right, True, l.suspended)
            for l in review.leeches(scores, catalog, threshold)]
    for entry in catalog.entries:
        records = scores.cards.get(entry.id, {})
        for card in entry.deck.asked:
            rec = records.get(card.id)
            if rec is not None and rec.suspended and not review.is_leech(rec, threshold):
                rows.append(CardRow(entry.id, card.id, card.question, rec.wrong, rec.right,
                                    False, True))
    return rows


class StatsScreen(Screen[None]):
    BINDINGS = [
        Binding("s", "toggle_suspend", "Suspend/unsuspend"),
        Binding("h,escape", "home", "Home"),
        Binding("q", "app.request_quit", "Quit"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.stats: Stats | None = None
        self.rows: dict[str, list[CardRow]] = {name: [] for name in CARD_TABLES}

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static(id="stats-summary", markup=False)
            yield Static(id="stats-empty", markup=False)
            yield Static("Accuracy per deck over sessions", classes="heading accuracy")
            yield AccuracyChart(id="chart", classes="accuracy")
            yield Static(id="chart-note", markup=False, classes="accuracy")
            yield DataTable(id="deck-stats", cursor_type="none", classes="accuracy")
            yield Static("Accuracy by question family", classes="heading accuracy")
            yield DataTable(id="families", cursor_type="none", classes="accuracy")
            yield Static("Most missed cards", classes="heading accuracy")
            yield DataTable(id="most-missed", cursor_type="row", classes="accuracy")
            yield Static(id="leeches-heading", classes="heading accuracy", markup=False)
            yield DataTable(id="leeches", cursor_type="row", classes="accuracy")
            yield Static(id="leeches-empty", markup=False, classes="accuracy")
        yield FittedFooter()

    def on_mount(self) -> None:
        self.sub_title = "Progress"
        for name in ("deck-stats", "families"):
            self.query_one(f"#{name}", DataTable).can_focus = False
        families = self.query_one("#families", DataTable)
        for label in ("Family", "Cards", "Answers", "Right", "Wrong", "Accuracy"):
            families.add_column(label, key=label)
        self.fill()

    def on_resize(self) -> None:
        if self.stats is not None and has_answers(self.stats):
            self._fill_deck_table(self.stats.decks)
            for name in CARD_TABLES:
                self._fill_cards(name)

    def _put_rows(self, table: DataTable, labels: tuple[str, ...], text_columns: int,
                  rows: list[tuple[str, list[Text]]]) -> None:
        """Fill ``table`` again: the numbers get the width they need, and the first
        ``text_columns`` columns (deck, question) share what is left of the terminal; a
        text is cut, with an ellipsis, only when it does not fit in its share."""
        widths = [max([len(label), *(cells[i].cell_len for _, cells in rows)])
                  for i, label in enumerate(labels)]
        numbers = sum(widths[text_columns:])
        room = self.app.size.width - SCROLLBAR - numbers - 2 * len(labels)
        shares = share_width(room, widths[:text_columns])
        table.clear(columns=True)
        for label, width in zip(labels, [*shares, *widths[text_columns:]], strict=True):
            table.add_column(label, key=label, width=width)
        for key, cells in rows:
            for cell in cells[:text_columns]:
                cell.overflow = "ellipsis"
                cell.no_wrap = True
            table.add_row(*cells, key=key)

    def on_screen_resume(self) -> None:
        if self.stats is not None:
            self.fill()

    # ------------------------------------------------------------------ filling

    def fill(self) -> None:
        """Compute the numbers again and show them (card table cursors stay on their card).
        A big collection (``home.INLINE_CARDS``) is counted in a thread; the screen shows
        the previous numbers, or says it is counting, until then."""
        workspace = self.workspace
        if sum(len(e.deck.cards) for e in workspace.catalog.entries) <= INLINE_CARDS:
            self._show(*self._numbers())
            return
        if self.stats is None:
            self.query_one("#stats-summary", Static).update("Counting your progress…")
            for widget in self.query(".accuracy"):
                widget.display = False
        self._count()

    def _numbers(self) -> tuple[Stats, list[CardRow]]:
        workspace = self.workspace
        return workspace.stats(), leech_rows(workspace.scores, workspace.catalog,
                                             workspace.settings.leech_threshold)

    @work(thread=True, exclusive=True, group="stats-numbers")
    def _count(self) -> None:
        self.app.call_from_thread(self._show, *self._numbers())

    def _show(self, stats: Stats, leeches: list[CardRow]) -> None:
        """Show these numbers."""
        if not self.is_attached:
            return  # (the screen was closed while a thread counted)
        workspace = self.workspace
        catalog, settings = workspace.catalog, workspace.settings
        self.stats = stats
        lines = [streak_line(stats), counts_line(stats), unfinished_line(stats)]
        self.query_one("#stats-summary", Static).update("\n".join(filter(None, lines)))
        answered = has_answers(stats)
        empty = self.query_one("#stats-empty", Static)
        empty.display = not answered
        if not catalog.entries:
            empty.update("No decks found, so there is nothing to count yet.")
        else:
            empty.update("No answers yet. Play a deck from the home screen and your progress "
                         "shows here: accuracy per deck and per question family, the cards "
                         "you miss most and your streak of days.")
        for widget in self.query(".accuracy"):
            widget.display = answered
        if not answered:
            return
        self._fill_chart(stats.decks)
        self._fill_families(stats)
        self.rows["most-missed"] = list(stats.most_missed)
        self.rows["leeches"] = leeches
        for name in CARD_TABLES:
            self._fill_cards(name)
        threshold = settings.leech_threshold
        self.query_one("#leeches-heading", Static).update(
            f"Leeches (missed {threshold} times or more) and suspended cards")
        none = self.query_one("#leeches-empty", Static)
        none.update(f"No leeches: no card has been missed {threshold} times.")
        none.display = not self.rows["leeches"]
        self.query_one("#leeches", DataTable).display = bool(self.rows["leeches"])
        self.query_one("#most-missed", DataTable).display = bool(self.rows["most-missed"])

    def _fill_chart(self, decks: list[DeckStats]) -> None:
        chart = self.query_one(AccuracyChart)
        chart.show(decks)
        chart.display = bool(chart.shown)
        note = self.query_one("#chart-note", Static)
        played = sum(1 for d in decks if d.results)
        if not played:
            note.update("No deck sessions yet (review and due sessions are not scored per deck).")
        elif played > MAX_LINES:
            note.update(f"The chart shows the {MAX_LINES} decks played most recently; "
                        "the table lists them all.")
        else:
            note.update("")
        note.display = not played or played > MAX_LINES
        self._fill_deck_table(decks)

    def _fill_deck_table(self, decks: list[DeckStats]) -> None:
        now = self.workspace.clock()
        rows = []
        for d in decks:
            recent = " ".join(f"{v:g}" for v in d.history[-RECENT:]) or "–"
            rows.append((d.deck_id, [
                card_cell(d.title),
                Text(str(len(d.results)), justify="right"),
                Text(pct(d.best.percent if d.best else None), justify="right"),
                Text(pct(d.last.percent if d.last else None), justify="right"),
                Text(recent),
                Text(when(d.last_played, now)),
            ]))
        self._put_rows(self.query_one("#deck-stats", DataTable), DECK_COLUMNS, 1, rows)

    def _fill_families(self, stats: Stats) -> None:
        table = self.query_one("#families", DataTable)
        table.clear()
        for f in stats.families:
            table.add_row(
                Text(f.family),
                *(Text(str(n), justify="right") for n in (f.cards, f.answers, f.right, f.wrong)),
                Text(pct(f.percent), justify="right"),
                key=f.family,
            )

    def _fill_cards(self, name: str) -> None:
        table = self.query_one(f"#{name}", DataTable)
        keep = self.highlighted(name)
        rows = self.rows[name]
        self._put_rows(table, CARD_COLUMNS, 2, [(str(i), [
            card_cell(row.deck_id),
            card_cell(row.question),
            Text(str(row.wrong), justify="right"),
            Text(str(row.right), justify="right"),
            Text(row.marks, style="bold red" if row.leech else "dim"),
        ]) for i, row in enumerate(rows)])
        if keep is not None:
            where = next((i for i, r in enumerate(rows)
                          if (r.deck_id, r.card_id) == (keep.deck_id, keep.card_id)), None)
            if where is not None:
                table.move_cursor(row=where)

    def highlighted(self, name: str) -> CardRow | None:
        """The card under the cursor of a card table (None when it is empty)."""
        table = self.query_one(f"#{name}", DataTable)
        rows = self.rows[name]
        if not table.row_count or not rows:
            return None
        return rows[min(table.cursor_row, len(rows) - 1)]

    # ------------------------------------------------------------------ suspending

    def action_home(self) -> None:
        self.post_message(messages.GoHome())

    def action_toggle_suspend(self) -> None:
        """Suspend the highlighted card, or unsuspend it if it is suspended."""
        focused = self.focused
        name = focused.id if isinstance(focused, DataTable) and focused.id in CARD_TABLES else None
        if name is None:
            target = next((n for n in reversed(CARD_TABLES) if self.rows[n]), None)
            if target is None:
                self.notify("No missed card to suspend.", markup=False)
                return
            self.query_one(f"#{target}", DataTable).focus()
            self.notify("Pick a card with ↑/↓ (Tab for the other list), then press s.",
                        markup=False)
            return
        row = self.highlighted(name)
        if row is None:
            return
        workspace = self.workspace
        record = workspace.store.record(row.deck_id, row.card_id)
        suspend = not (record is not None and record.suspended)
        try:
            workspace.set_suspended(row.deck_id, row.card_id, suspend)
        except NotFound as exc:
            self.notify(f"{exc} (reload the decks with r on the home screen)",
                        severity="error", markup=False)
            return
        except (OSError, ScoreFileError) as exc:
            self.notify(f"Could not save the change: {exc}", severity="error", markup=False)
            return
        what = "Suspended (left out of sessions)" if suspend else "Unsuspended"
        self.notify(f"{what}: {visible(row.question, one_line=True)}", markup=False)
        self.fill()
        self.post_message(messages.DataChanged(decks=False))
