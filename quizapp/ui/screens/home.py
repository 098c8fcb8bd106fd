"""Home: every deck with how the person has done on it; Enter (or a click) plays one.

Below the deck table: the highlighted deck's description (and an unfinished session to
resume), today's work across every deck (due now, new today, the streak) and a calendar
heatmap of the cards answered per day. Deck files that could not be read are counted at
the top; ``p`` lists them. On a narrow terminal the table drops its least useful columns
first (cards, then when played, best...), keeping the deck, what is due and what is new;
on a short one the heatmap goes before the table gets too small to use."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from quizapp.days import local_date
from quizapp.format import when
from quizapp.text import visible
from quizapp.ui import messages
from quizapp.ui.lazyworkspace import LazyWorkspace
from quizapp.ui.text import card_cell, card_content
from quizapp.ui.widgets.deck_table import DeckTable
from quizapp.ui.widgets.footer import FittedFooter
from quizapp.ui.widgets.heatmap import Heatmap

if TYPE_CHECKING:  # home's first draw imports none of these (see ``ui.lazyworkspace``)
    from quizapp.deckindex import Glimpse
    from quizapp.decks import DeckEntry
    from quizapp.stats import DeckStats, SessionResult, Stats
    from quizapp.workspace import Workspace

COLUMNS = ("Deck", "Cards", "Best", "Last", "Missed", "Due", "New", "Played")
# Which columns go first when the terminal is narrow (the deck's title always stays).
DROP_ORDER = ("Cards", "Played", "Best", "Last", "Missed", "New", "Due")
MIN_TITLE = 12  # below this the title column keeps its width and the table scrolls sideways
# Titles that share their first words (the decks of imported articles: "Who said it: ...")
# are told apart only when enough of them shows: the least useful columns give way for this.
READABLE_TITLE = 36
MAKE_ROOM_FOR_TITLES = ("Cards", "Played")
SCROLLBAR = 2  # kept free for the vertical scrollbar of a long deck list
# Up to this many cards the numbers are counted at once (a few milliseconds); above, in a
# thread, so that a big collection never holds up the screen.
INLINE_CARDS = 5000


@dataclass(frozen=True)
class Shown:
    """What home shows of a deck: from its loaded cards, or from the deck cache's index
    before they are loaded (``Glimpse``)."""

    id: str
    title: str
    description: str
    origin: str
    path: Path
    asked: int  # the cards a session asks

    @classmethod
    def of_entry(cls, entry: DeckEntry) -> Shown:
        info = entry.deck.deck
        return cls(entry.id, info.title, info.description, entry.origin, entry.path,
                   len(entry.deck.asked))

    @classmethod
    def of_glimpse(cls, glimpse: Glimpse) -> Shown:
        summary = glimpse.summary
        return cls(summary.id, summary.title, summary.description, glimpse.origin,
                   glimpse.path, summary.asked)


def _result(result: SessionResult | None) -> str:
    return f"{result.score}/{result.out_of} {result.percent:.0f}%" if result else "–"


def _last(row: DeckStats) -> Text:
    """The latest session: its score, or how far it got when it was quit early."""
    if row.unfinished is not None:
        planned = f" of {row.unfinished.planned}" if row.unfinished.planned else ""
        return Text(f"{row.unfinished.total}{planned}", style="italic")
    return Text(_result(row.last))


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("d", "due", "Due"),
        Binding("m", "review", "Missed"),
        Binding("b", "browse", "Browse"),
        Binding("t", "stats", "Stats"),
        Binding("i", "import_deck", "Import"),
        Binding("p", "problems", "Deck problems"),
        Binding("r", "reload", "Reload decks", show=False),
        Binding("q", "app.request_quit", "Quit"),
    ]
    # Narrow terminals: the Footer keeps these keys, in this order (the rest still work).
    FOOTER_PRIORITY = ("select_cursor", "due", "review", "help", "request_quit", "browse",
                       "stats", "problems", "import_deck")
    # Short terminals: the heatmap makes room for the deck table.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]
    # How often an idle home looks whether its numbers went stale (a card fell due, a new
    # minute for "Played", another window answered): a stat call unless they did.
    RECHECK_SECONDS = 15.0

    def compose(self) -> ComposeResult:
        # The breakpoint class before any child is styled: Textual would set it at the
        # first resize, and restyle every widget on home (and render them again) then.
        height = self.app.size.height
        self.add_class(next(name for at, name in sorted(self.VERTICAL_BREAKPOINTS, reverse=True)
                            if height >= at))
        yield Header()
        yield Static("Loading decks and scores…", id="notices", markup=False)
        yield Static(id="problems", markup=False)
        yield DeckTable(id="decks")
        yield Static(id="detail")
        yield Static(id="empty", markup=False)
        yield Static(id="today", markup=False)
        yield Heatmap(id="heatmap")
        yield FittedFooter()

    def __init__(self, lazy: LazyWorkspace) -> None:
        super().__init__()
        # The workspace once the decks are shown (``show``); until then (``preview``)
        # home draws from the deck cache's index and asks nothing of it.
        self.lazy = lazy
        self._notices: list[str] | None = None  # None until the decks are loaded
        self._rows: dict[str, list[Text]] | None = None  # the table's cells, by deck id
        self._numbers: dict[str, DeckStats] = {}  # the latest numbers, by deck id
        self._asked = 0  # how many times numbers were asked for (the latest wins)
        self._counted_key: tuple[object, ...] | None = None  # what the numbers were counted from
        self._all: Stats | None = None  # the latest numbers of every deck (today's work)
        # The decks from the deck cache's index, shown until the decks are loaded.
        self._preview: list[Shown] | None = None
        self._preview_problems: list[str] = []  # the problems the index keeps, meanwhile
        self._reading: list[str] = []  # big deck files still being read (``still_reading``)
        self._pending: Callable[[], None] | None = None  # asked for while loading
        self._laid_out_for: int | None = None  # the terminal width the columns fit
        self._resumed = False  # shown at least once (``on_screen_resume``)
        self._detail_shown: Content | str = ""  # what the #detail box shows

    @property
    def workspace(self) -> Workspace:
        return self.lazy.get()

    def on_mount(self) -> None:
        self.sub_title = "Decks"
        self.query_one("#empty").display = False
        self.query_one("#problems").display = False
        if self._notices is not None or self._preview is not None:
            self._fill(self._notices or [])
        self.set_interval(self.RECHECK_SECONDS, self._recheck)

    def _recheck(self) -> None:
        """Count again if the numbers shown went stale while home sat idle."""
        notices = self._notices
        if notices is not None and self.app.screen is self and not self._same(
                self._data_key(), self._counted_key):
            self.show(notices)

    def preview(self, glimpses: list[Glimpse], stats: Stats | None = None, *,
                problems: Sequence[str] = ()) -> None:
        """Show the decks as the deck cache's index has them, before they are loaded (a
        start draws at once, whatever the size of the decks); ``stats``: their numbers as
        the last count kept them, when nothing changed since; ``problems``: those it
        keeps of deck files that are not good decks. A deck chosen meanwhile (Enter, d, m,
        b) opens once the decks are loaded (``show``)."""
        if self._notices is not None:
            return  # the decks are loaded already
        self._preview = [Shown.of_glimpse(g) for g in glimpses]
        self._preview_problems = list(problems)
        if stats is not None:
            self._all = stats
            self._numbers = {d.deck_id: d for d in stats.decks}
        if self.is_mounted:
            self._fill([])

    def still_reading(self, names: Sequence[str]) -> None:
        """Say that these big deck files (new or changed: seconds each to check) are still
        being read, while the other decks are shown and played; [] once they are read."""
        self._reading = list(names)
        if self.is_mounted and (self._notices is not None or self._preview is not None):
            self._fill(self._notices or [])

    @property
    def loading(self) -> bool:
        """Home shows the deck cache's index: the decks themselves are still being read."""
        return self._notices is None and self._preview is not None

    def _chosen(self, action: Callable[[], None]) -> DeckEntry | None:
        """The highlighted deck; while the decks are still loading, None, and ``action``
        runs again once they are loaded (a key pressed at once is not lost)."""
        if self.loading:
            self._later(action)
            return None
        return self.entry()

    def _later(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the decks are shown (the latest key asked wins)."""
        if self._pending is None:
            self.notify("Reading the decks: this opens in a moment.", timeout=3, markup=False)
        self._pending = action

    @property
    def drawn(self) -> bool:
        """Every deck is on screen with its numbers (no row shows "…", no deck file is
        still being read)."""
        return (self._rows is not None and all(d in self._numbers for d in self._rows)
                and not self._reading)

    def _decks(self) -> list[Shown]:
        if self._notices is None:
            return self._preview or []
        return [Shown.of_entry(e) for e in self.workspace.catalog.entries]

    def on_screen_resume(self, event: ScreenResume) -> None:
        """Back on home: deck files added, fixed or removed meanwhile (say from the command
        line) show up without a restart."""
        if not self._resumed:
            # The app's first screen was styled as it mounted, just before: Textual would
            # style it all again (and render the deck table again for it).
            self._resumed, event.refresh_styles = True, False
        if self._notices is not None:
            self.post_message(messages.DataChanged(decks=True))

    def show(self, notices: list[str], stats: Stats | None = None) -> None:
        """Show the workspace's decks and scores, with ``notices`` above them (now, or as
        soon as the screen is mounted).

        ``stats`` are the numbers when the caller has them (counted off the UI thread).
        Otherwise a small collection is counted here and a big one (over ``INLINE_CARDS``
        cards) in a thread, the rows showing the last numbers meanwhile: counting every
        card never holds up the screen."""
        self._notices = notices
        self._preview, self._preview_problems = None, []
        self._asked += 1
        key = self._data_key()
        if stats is not None:
            self._all, self._counted_key = stats, key
            self._numbers = {d.deck_id: d for d in stats.decks}
        elif self._same(key, self._counted_key):
            pass  # nothing changed since the numbers were counted
        elif sum(len(e.deck.cards) for e in self.workspace.catalog.entries) <= INLINE_CARDS:
            self._all, self._counted_key = self.workspace.stats(), key
            self._numbers = {d.deck_id: d for d in self._all.decks}
        elif self.app.screen is self or not self.is_mounted:
            self._count(self._asked, key)
        # else another screen is in front (a summary): counting now would slow it (a busy
        # thread makes the event loop wait for the GIL); coming back home counts again.
        if self.is_mounted:
            self._fill(notices)
        pending, self._pending = self._pending, None
        if pending is not None:
            pending()

    def _data_key(self) -> tuple[object, ...]:
        """What the numbers depend on: the decks, the scores (as read, and as on disk: a
        write by another window counts again), and the minute (due cards)."""
        workspace = self.workspace
        minute = workspace.clock().replace(second=0, microsecond=0)
        store = workspace.store
        return (workspace.catalog, store.version, store.identity_on_disk(), minute)

    @staticmethod
    def _same(key: tuple[object, ...], other: tuple[object, ...] | None) -> bool:
        """The same decks (the very catalog object) and the same scores and minute."""
        return other is not None and key[0] is other[0] and key[1:] == other[1:]

    # A description of its own: Textual would otherwise describe the worker with the repr()
    # of its arguments, which include the catalog (seconds for 100,000 cards).
    @work(thread=True, exclusive=True, group="home-numbers", description="count home numbers")
    def _count(self, asked: int, key: tuple[object, ...]) -> None:
        stats = self.workspace.stats()
        self.app.call_from_thread(self._counted, stats, asked, key)

    def _counted(self, stats: Stats, asked: int, key: tuple[object, ...]) -> None:
        if asked != self._asked:
            return  # newer data was shown meanwhile; its own count follows
        self._all, self._counted_key = stats, key
        self._numbers = {d.deck_id: d for d in stats.decks}
        if self._notices is not None and self.is_attached:
            self._fill(self._notices)

    @property
    def counting(self) -> bool:
        """Whether numbers are being counted in a thread (the rows show older ones)."""
        return any(w.group == "home-numbers" and not w.is_finished for w in self.workers)

    def _fill(self, notices: list[str]) -> None:
        """Fill the table (keeping the cursor on the same deck) and the notices.

        The numbers are those of ``quizapp stats`` (``tally.compute_stats``): best and last
        count deck sessions, not reviews; missed is the deck's missed list. A deck whose
        numbers are still being counted shows "…" in their columns."""
        if not self.query("#decks"):
            return  # the app is closing (a start can draw home before loading ends)
        table = self.query_one("#decks", DataTable)
        keep = self.selected_id()
        now = self.lazy.clock()
        shown = self._decks()
        rows: dict[str, list[Text]] = {}
        for entry in shown:
            title = card_cell(entry.title)
            title.no_wrap, title.overflow = True, "ellipsis"  # a long one ends in "…"
            if entry.origin != "bundled":
                title.append(f" ({entry.origin})", style="dim")
            row = self._numbers.get(entry.id)
            if row is None:
                rows[entry.id] = [title, Text(str(entry.asked), justify="right"),
                                  *(Text("…", justify="right") for _ in COLUMNS[2:])]
                continue
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
        self._show_detail()
        lines = [f"⚠ {visible(line, one_line=True)}" for line in notices]
        lines += [f"Reading {visible(name, one_line=True)}…" for name in self._reading]
        box = self.query_one("#notices", Static)
        box.update("\n".join(lines))
        box.display = bool(lines)
        problems = self.query_one("#problems", Static)
        count = len(self._problems())
        problems.update(f"⚠ {count} problem{'s' if count != 1 else ''} with deck files: "
                        "press p to see them")
        problems.display = bool(count)
        self._show_today()
        empty = self.query_one("#empty", Static)
        empty.update(
            "No decks found. Put deck files (.toml) in "
            f"{self.lazy.locations.user_decks} or pass --decks DIR."
        )
        empty.display = not shown and not self._reading
        table.display = bool(shown)
        table.focus()

    def _show_today(self) -> None:
        """Today's work across every deck (the numbers of ``quizapp due`` and the stats
        screen), the streak, and the heatmap of cards answered per day."""
        stats = self._all
        if stats is None:
            self.query_one("#today", Static).update("Today: counting…")
            return
        # Counted with the other numbers (off the UI thread for a big collection).
        self.query_one(Heatmap).show(stats.daily, local_date(stats.generated_at))
        due = sum(d.due for d in stats.decks)
        new = sum(d.new for d in stats.decks)
        days = stats.streak_days
        if days:
            streak = f"streak {days} day{'s' if days != 1 else ''}"
            streak += "" if stats.studied_today else " (study today to keep it)"
        else:
            streak = "no streak yet"
        work = f"{due} due now · {new} new" if due + new else "nothing due, no new card left"
        self.query_one("#today", Static).update(f"Today: {work} · {streak}")

    def _lay_out(self, keep: str | None) -> None:
        """Put the rows in the table. The numbers get the width they need; the title gets
        what is left of the terminal (cut with an ellipsis). Cards and Played give way when a
        title longer than ``READABLE_TITLE`` would show less than that; when even the
        shortest title does not fit, more columns are dropped in ``DROP_ORDER``."""
        table = self.query_one("#decks", DataTable)
        rows = self._rows
        widths = {label: max([len(label), *(row[i].cell_len for row in rows.values())])
                  for i, label in enumerate(COLUMNS) if i}
        longest = max([len(COLUMNS[0]), *(row[0].cell_len for row in rows.values())])
        shown = list(COLUMNS[1:])

        def room() -> int:
            used = sum(widths[label] for label in shown) + 2 * (len(shown) + 1)
            return self.app.size.width - used - SCROLLBAR

        for label in DROP_ORDER:
            long_titles = longest > READABLE_TITLE
            wanted = READABLE_TITLE if long_titles and label in MAKE_ROOM_FOR_TITLES else MIN_TITLE
            if room() >= min(wanted, longest):
                break
            shown.remove(label)
        title_width = max(min(MIN_TITLE, longest), min(longest, room()))
        self._laid_out_for = self.app.size.width
        table.clear(columns=True)
        # Labels as Text: a str label is read as markup, which imports Rich's emoji table
        # (a sixtieth of a start) for eight plain words.
        table.add_column(Text(COLUMNS[0]), key="deck", width=title_width)
        for label in shown:
            table.add_column(Text(label), key=label.casefold(), width=widths[label])
        for deck_id, cells in rows.items():
            table.add_row(*(cells[COLUMNS.index(label)] for label in (COLUMNS[0], *shown)),
                          key=deck_id)
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))

    def on_resize(self) -> None:
        # The columns depend on the width alone. Textual sends a screen several resizes
        # of the same size as it starts (and one on every return to it), and laying the
        # rows out again means the table renders every cell again.
        if self._rows is not None and self.app.size.width != self._laid_out_for:
            self._lay_out(self.selected_id())

    def selected_id(self) -> str | None:
        table = self.query_one("#decks", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return key.value

    def entry(self) -> DeckEntry | None:
        deck_id = self.selected_id()
        return self.workspace.catalog.get(deck_id) if deck_id else None

    @on(DataTable.RowHighlighted, "#decks")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted deck's description, where it comes from, and its unfinished
        session. Shown as the table is filled too (not only when the table says which row
        is highlighted, a message later): the first frame has it, and the screen is not
        laid out again (the deck table rendered again at its new height) for it."""
        deck_id = self.selected_id()
        entry = next((d for d in self._decks() if d.id == deck_id), None)
        detail = self.query_one("#detail", Static)
        if entry is None:
            self._set_detail(detail, "")
            return
        where = {"bundled": "bundled with quizapp", "user": "your decks", "extra": "extra deck folder"}
        parts = [
            card_content(entry.description or entry.title, one_line=True),
            ("\n" + f"{entry.id} · {where[entry.origin]} · " + visible(entry.path.name, one_line=True), "dim"),
        ]
        row = self._numbers.get(entry.id)
        if row is not None and row.unfinished is not None and row.unfinished.mode == "order":
            done = row.unfinished
            of = f" of {done.planned}" if done.planned else ""
            parts.append((f"\nUnfinished: {done.total}{of} answered in order · Enter, then r "
                          "resumes it", "italic"))
        self._set_detail(detail, Content.assemble(*parts))

    def _set_detail(self, detail: Static, content: Content | str) -> None:
        # The same again (the table's message after ``_fill``) changes nothing on screen.
        if content != self._detail_shown:
            self._detail_shown = content
            detail.update(content)

    @on(DataTable.RowSelected, "#decks")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_play()

    def action_play(self) -> None:
        entry = self._chosen(self.action_play)
        if entry is not None:
            self.post_message(messages.ChooseHowToPlay(entry.id))

    def action_review(self) -> None:
        """Review this deck's missed cards, in rounds until each is right."""
        entry = self._chosen(self.action_review)
        if entry is not None:
            from quizapp.plan import PlayPlan  # (a start makes no plan)

            self.post_message(messages.Play(PlayPlan("review", entry.id)))

    def action_due(self) -> None:
        """Study this deck's due cards (and today's new ones)."""
        entry = self._chosen(self.action_due)
        if entry is not None:
            from quizapp.plan import PlayPlan

            self.post_message(messages.Play(PlayPlan("due", entry.id)))

    def action_reload(self) -> None:
        self.post_message(messages.DataChanged(decks=True))

    def action_stats(self) -> None:
        if self._notices is None:  # the decks are still being read: once they are shown
            self._later(self.action_stats)
        else:
            self.post_message(messages.OpenStats())

    def action_import_deck(self) -> None:
        if self._notices is None:
            self._later(self.action_import_deck)
        else:
            self.post_message(messages.OpenImport())

    def _problems(self) -> list[str]:
        """The deck files that could not be read (while the index is shown, the problems
        it keeps)."""
        return self._preview_problems if self._notices is None else self.workspace.catalog.problems

    def action_problems(self) -> None:
        """List the deck files that could not be read."""
        problems = self._problems()
        if problems:
            from quizapp.ui.dialogs.problems import ProblemsScreen  # (a start needs no dialog)

            self.app.push_screen(ProblemsScreen(problems))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "problems":
            return bool(self._problems())
        return True

    def action_browse(self) -> None:
        entry = self._chosen(self.action_browse)
        if entry is not None:
            self.post_message(messages.Browse(entry.id))
