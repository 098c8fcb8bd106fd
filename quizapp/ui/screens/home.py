"""Home: every deck with how the person has done on it; Enter (or a click) plays one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quizapp.decks import Catalog, DeckEntry
from quizapp.models import ScoreFile
from quizapp.settings import Settings
from quizapp.stats import DeckStats, SessionResult, compute_stats
from quizapp.ui.format import when
from quizapp.ui.plan import PlayPlan
from quizapp.ui.text import card_cell, card_content, visible
from quizapp.ui.widgets.deck_table import DeckTable

if TYPE_CHECKING:
    from quizapp.ui.app import QuizApp


COLUMNS = ("Deck", "Cards", "Best", "Last", "Missed", "Due", "New", "Played")
MIN_TITLE = 12  # below this the title column keeps its width and the table scrolls sideways
SCROLLBAR = 2  # kept free for the vertical scrollbar of a long deck list


def _result(result: SessionResult | None) -> str:
    return f"{result.score}/{result.total} {result.percent:.0f}%" if result else "–"


def _last(row: DeckStats) -> Text:
    """The latest session: its score, or how far it got when it was quit early."""
    if row.unfinished is not None:
        planned = f" of {row.unfinished.planned}" if row.unfinished.planned else ""
        return Text(f"{row.unfinished.total}{planned}", style="italic")
    return Text(_result(row.last))


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("b", "browse", "Browse"),
        Binding("i", "app.import_deck", "Import"),
        Binding("m", "review", "Missed"),
        Binding("d", "due", "Due"),
        Binding("t", "app.stats", "Stats"),
        Binding("r", "reload", "Reload decks", show=False),
        Binding("q", "app.request_quit", "Quit"),
    ]

    app: QuizApp

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading decks and scores…", id="notices", markup=False)
        yield DeckTable(id="decks")
        yield Static(id="detail")
        yield Static(id="empty", markup=False)
        yield Footer()

    def __init__(self) -> None:
        super().__init__()
        self._data: tuple[Catalog, ScoreFile, Settings, list[str]] | None = None
        self._rows: dict[str, list[Text]] | None = None  # the table's cells, by deck id

    def on_mount(self) -> None:
        self.sub_title = "Decks"
        self.query_one("#empty").display = False
        if self._data is not None:
            self._fill(*self._data)

    def show(self, catalog: Catalog, scores: ScoreFile, settings: Settings, notices: list[str]) -> None:
        """Show these decks and scores (now, or as soon as the screen is mounted)."""
        self._data = (catalog, scores, settings, notices)
        if self.is_mounted:
            self._fill(*self._data)

    def _fill(self, catalog: Catalog, scores: ScoreFile, settings: Settings, notices: list[str]) -> None:
        """Fill the table (keeping the cursor on the same deck) and the notices.

        The numbers are those of ``quizapp stats`` (``stats.compute_stats``): best and last
        count deck sessions, not reviews; missed is the deck's missed list."""
        table = self.query_one("#decks", DataTable)
        keep = self.selected_id()
        now = self.app.now()
        stats = {d.deck_id: d for d in compute_stats(scores, catalog, now, settings=settings).decks}
        rows: dict[str, list[Text]] = {}
        for entry in catalog.entries:
            row = stats[entry.id]
            title = card_cell(entry.deck.deck.title)
            title.no_wrap, title.overflow = True, "ellipsis"  # a long one ends in "…"
            if entry.origin != "bundled":
                title.append(f" ({entry.origin})", style="dim")
            rows[entry.id] = [
                title,
                Text(str(row.cards), justify="right"),
                Text(_result(row.best)),
                _last(row),
                Text(str(row.missed), justify="right"),
                Text(str(row.due), justify="right"),
                Text(str(row.new), justify="right"),
                Text(when(row.last_played, now)),
            ]
        self._rows = rows
        self._lay_out(keep)
        lines = [visible(line, multiline=False) for line in notices + catalog.problems]
        box = self.query_one("#notices", Static)
        box.update("\n".join(f"⚠ {line}" for line in lines))
        box.display = bool(lines)
        empty = self.query_one("#empty", Static)
        empty.update(
            "No decks found. Put deck files (.toml) in "
            f"{self.app.locations.user_decks} or pass --decks DIR."
        )
        empty.display = not catalog.entries
        table.display = bool(catalog.entries)
        table.focus()

    def _lay_out(self, keep: str | None) -> None:
        """Put the rows in the table. The numbers get the width they need; the title gets
        what is left of the terminal (cut with an ellipsis), so that every column stays on
        screen at 80 columns."""
        table = self.query_one("#decks", DataTable)
        rows = self._rows
        widths = [max([len(label), *(row[i].cell_len for row in rows.values())])
                  for i, label in enumerate(COLUMNS) if i]
        room = self.app.size.width - sum(widths) - 2 * len(COLUMNS) - SCROLLBAR
        longest = max([len(COLUMNS[0]), *(row[0].cell_len for row in rows.values())])
        title_width = max(MIN_TITLE, min(longest, room))
        table.clear(columns=True)
        for label, width in zip(COLUMNS, [title_width, *widths]):
            table.add_column(label, key=label.casefold(), width=width)
        for deck_id, cells in rows.items():
            table.add_row(*cells, key=deck_id)
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))

    def on_resize(self) -> None:
        if self._rows is not None:
            self._lay_out(self.selected_id())

    def selected_id(self) -> str | None:
        table = self.query_one("#decks", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return key.value

    def entry(self) -> DeckEntry | None:
        deck_id = self.selected_id()
        return self.app.catalog.get(deck_id) if deck_id and self.app.catalog else None

    @on(DataTable.RowHighlighted, "#decks")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        entry = self.entry()
        detail = self.query_one("#detail", Static)
        if entry is None:
            detail.update("")
            return
        info = entry.deck.deck
        where = {"bundled": "bundled with quizapp", "user": "your decks", "extra": "extra deck folder"}
        detail.update(
            Content.assemble(
                card_content(info.description or info.title),
                ("\n" + f"{entry.id} · {where[entry.origin]} · " + visible(entry.path.name, multiline=False), "dim"),
            )
        )

    @on(DataTable.RowSelected, "#decks")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_play()

    def action_play(self) -> None:
        entry = self.entry()
        if entry is not None:
            self.app.ask_how_to_play(entry)

    def action_review(self) -> None:
        """Review this deck's missed cards, in rounds until each is right."""
        entry = self.entry()
        if entry is not None:
            self.app.play(PlayPlan("review", entry.id))

    def action_due(self) -> None:
        """Study this deck's due cards (and today's new ones)."""
        entry = self.entry()
        if entry is not None:
            self.app.play(PlayPlan("due", entry.id))

    def action_reload(self) -> None:
        self.app.load_data()

    def action_browse(self) -> None:
        entry = self.entry()
        if entry is not None:
            self.app.browse(entry)
