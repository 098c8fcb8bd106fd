"""The deck browser: every card of one deck in a table, searched by text and filtered by tag.

Typing in the search box filters the table after a short pause (``DEBOUNCE`` seconds), so
a fast typist does not refilter on every key. The search runs over ``CardIndex``, built
once per version of the deck: one lowercase string per card, so a filter is a plain
substring scan. Only ``PAGE`` rows are put in the table at a time (a ``DataTable`` measures
every cell it holds, which is slow for tens of thousands of rows): the table holds a window
``matches[first:shown]``, moving the cursor onto its last row adds the next page and onto
its first row the page before. A card kept under the cursor (a search cleared, a card
saved) gets a window around it, so it costs the same at the 100,000th card as at the first.

On a user deck (or one from an extra folder) ``a`` adds a card, ``e`` or Enter edits the
highlighted one and ``d`` deletes it (after asking). Every change is written with
``workspace.update_deck`` (only the changed card's text, re-validated, atomic) in a
thread, then the app reloads its catalog.
A bundled deck is read-only: those keys are greyed out and the screen says why.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Header, Input, Select, Static

from quizapp.decks import DeckEntry, DeckError, load_deck_cached
from quizapp.models import Card, Deck
from quizapp.search import CardIndex, all_tags
from quizapp.ui import messages
from quizapp.ui.dialogs.card_form import CardForm, free_card_id
from quizapp.ui.dialogs.confirm import ConfirmScreen
from quizapp.text import visible
from quizapp.ui.text import card_cell
from quizapp.workspace import file_stamp, update_deck
from quizapp.ui.widgets.footer import FittedFooter

DEBOUNCE = 0.15  # seconds of quiet typing before the table is filtered
PAGE = 100  # rows added to the table at a time (the cursor reaching the last adds more)


# --------------------------------------------------------------------------- the screen


class BrowserScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("slash", "focus_search", "Search"),
        Binding("a", "add", "Add card"),
        Binding("e", "edit", "Edit card"),
        Binding("d,delete", "delete", "Delete card"),
    ]
    # Short or narrow terminals: the filters take one line each, the card list the rest.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    def __init__(self, entry: DeckEntry) -> None:
        super().__init__()
        self.entry = entry
        # The deck as the browser knows it; cards are never changed in place (a change
        # builds a new Deck), so sharing the catalog's cached cards is safe.
        self.deck: Deck = entry.deck
        self.index = CardIndex(self.deck.cards)
        self.matches: list[int] = []
        self.first = 0  # the table's rows are self.matches[self.first:self.shown]
        self.shown = 0
        self.saving = False
        self._timer: Timer | None = None
        self._stamp = file_stamp(entry.path)

    @property
    def read_only(self) -> bool:
        return self.entry.read_only

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="browser-info")
        with Horizontal(id="browser-filters"):
            yield Input(placeholder="Search text… (tag:NAME filters by tag)", id="search")
            yield Select([], prompt="All tags", id="tag")
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        yield Static(id="browser-count")
        yield FittedFooter()

    def on_mount(self) -> None:
        self.sub_title = f"Cards of {self.deck.id}"
        table = self.query_one("#cards", DataTable)
        # Ids and tags get what their longest needs (within limits); question and answer
        # share what the terminal has left (each cell pads by 2).
        cards = self.deck.cards
        # On a narrow terminal the id gives way to the question (the form shows it whole).
        longest_id = 24 if self.app.size.width >= 80 else 10
        id_width = min(longest_id, max(10, max(len(c.id) for c in cards)))
        tags_width = min(18, max(8, max(len(" ".join(c.tags)) for c in cards)))
        rest = max(40, self.app.size.width - id_width - 6 - tags_width - 5 * 2 - 2)
        table.add_column("Id", key="id", width=id_width)
        table.add_column("Kind", key="kind", width=6)
        table.add_column("Question", key="question", width=rest - rest * 2 // 5)
        table.add_column("Answer", key="answer", width=rest * 2 // 5)
        table.add_column("Tags", key="tags", width=tags_width)
        self._show_info()
        self._fill_tags()
        self.apply_filter()
        table.focus()

    def _show_info(self) -> None:
        info = Text(visible(self.deck.deck.title, one_line=True), style="bold")
        info.append(f"  {len(self.deck.cards)} cards · {self.entry.path.name}", style="dim")
        if self.read_only:
            info.append("\nA bundled deck is read-only here: copy its file into your decks "
                        "folder under another id to change it.", style="italic")
        else:
            info.append("  (a change rewrites only that card; your comments stay)", style="dim")
        self.query_one("#browser-info", Static).update(info)

    def _fill_tags(self) -> None:
        select = self.query_one("#tag", Select)
        keep = select.value
        tags = all_tags(self.deck.cards)
        select.set_options((card_cell(tag), tag) for tag in tags)
        if keep in tags:
            select.value = keep

    # ------------------------------------------------------------------ filtering

    def selected_card(self) -> Card | None:
        table = self.query_one("#cards", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.index.by_id.get(key) if key is not None else None

    def apply_filter(self, keep: str | None = None) -> None:
        """Show the cards matching the search box and the tag (the cursor stays on the
        same card when it still matches, or goes to ``keep``)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if keep is None:
            current = self.selected_card()
            keep = current.id if current else None
        query = self.query_one("#search", Input).value
        tag = self.query_one("#tag", Select).value
        self.matches = self.index.matches(query, tag if isinstance(tag, str) else None)
        table = self.query_one("#cards", DataTable)
        had_rows = table.row_count > 0
        table.clear()
        cards = self.deck.cards
        position = next((row for row, i in enumerate(self.matches) if cards[i].id == keep), None)
        # A kept card beyond the first page gets a page before it and one after it.
        self.first = self.shown = 0 if position is None or position < PAGE else position - PAGE
        self._add_page(until=None if position is None else position + PAGE - 1)
        if position is not None:
            table.move_cursor(row=position - self.first)
        self._show_count()
        if had_rows != (table.row_count > 0):
            self.refresh_bindings()  # edit and delete need a row

    def _add_page(self, until: int | None = None) -> None:
        """Add the next ``PAGE`` matching cards (more if needed to reach match ``until``)."""
        end = min(len(self.matches), max(self.shown + PAGE, (until or 0) + 1))
        self._add_rows(self.shown, end)
        self.shown = end

    def _add_rows(self, start: int, end: int) -> None:
        cards = self.deck.cards
        table = self.query_one("#cards", DataTable)
        for i in self.matches[start:end]:
            card = cards[i]
            kind = Text(card.kind + (" ⇄" if card.reverse else ""))  # ⇄: also asked reversed
            table.add_row(card_cell(card.id), kind, card_cell(card.question),
                          card_cell(card.answer_text), card_cell(" ".join(card.tags)),
                          key=card.id)

    def _add_page_before(self) -> None:
        """Put the page before the window at the top of the table, the cursor staying on
        its card (a ``DataTable`` only appends, so the window's rows are added again)."""
        table = self.query_one("#cards", DataTable)
        row = table.cursor_row
        first = max(0, self.first - PAGE)
        table.clear()
        self._add_rows(first, self.shown)
        table.move_cursor(row=row + self.first - first, animate=False)
        self.first = first

    def _show_count(self) -> None:
        total = len(self.deck.cards)
        found = len(self.matches)
        if found == total:
            text = f"{total:,} cards"
        else:
            text = f"{found:,} of {total:,} cards match"
        if self.first:
            more = "up or down" if self.shown < found else "up"
            text += f" · showing {self.first + 1:,}–{self.shown:,} (move {more} for more)"
        elif self.shown < found:
            text += f" · showing the first {self.shown:,} (move down for more)"
        if self.saving:
            text += " · saving…"
        self.query_one("#browser-count", Static).update(text)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self.apply_filter)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.apply_filter()
        self.query_one("#cards", DataTable).focus()

    @on(Select.Changed, "#tag")
    def _tag_changed(self, event: Select.Changed) -> None:
        self.apply_filter()

    @on(DataTable.RowHighlighted, "#cards")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.query_one("#cards", DataTable).cursor_row  # now, not when it was posted
        if row >= self.shown - self.first - 1 and self.shown < len(self.matches):
            self._add_page()
            self._show_count()
        elif row == 0 and self.first > 0:
            self._add_page_before()
            self._show_count()

    @on(DataTable.RowSelected, "#cards")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.check_action("edit", ()):
            self.action_edit()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Add, edit and delete are shown greyed out on a bundled deck and while a change
        is being written; edit and delete also need a highlighted card."""
        if action in ("add", "edit", "delete"):
            if self.read_only or self.saving:
                return None
            if action != "add" and not self.is_mounted:
                return None
            if action != "add" and self.selected_card() is None:
                return None
        return True

    def action_close(self) -> None:
        """Escape in the search box goes to the table; in the table, back home."""
        if isinstance(self.focused, Input):
            self.query_one("#cards", DataTable).focus()
            return
        self.dismiss(None)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_add(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        card = self.selected_card()
        if card is not None:
            self._open_form(card)

    def _open_form(self, card: Card | None, draft: Card | None = None,
                   notice: str | None = None) -> None:
        """The card form for ``card`` (None: a new card); ``draft`` and ``notice``: what
        the person wrote in it before, and why that was not saved."""
        deck = self.deck
        ids = [c.id for c in deck.cards]
        index = ids.index(card.id) if card is not None and card.id in ids else len(ids)
        form = CardForm(card, index=index, ids=ids, file_name=self.entry.path.name,
                        new_id=card.id if card is not None else free_card_id(deck),
                        draft=draft, notice=notice)

        def done(new: Card | None) -> None:
            if new is None or (new == card and draft is None):
                return
            cards = list(self.deck.cards)
            at = next((i for i, c in enumerate(cards) if card is not None and c.id == card.id),
                      None)
            if at is None:  # a new card (or one deleted on disk meanwhile: put back)
                cards.append(new)
            else:
                cards[at] = new
            done_message = f"Saved card {new.id}." if at is not None else f"Added card {new.id}."
            self.save(cards, done_message, keep=new.id,
                      retry=lambda why: self._open_form(card, new, why))

        self.app.push_screen(form, done)

    def action_delete(self) -> None:
        card = self.selected_card()
        if card is None:
            return
        if len(self.deck.cards) == 1:
            self.notify("A deck needs at least one card; this is its last one.",
                        severity="warning", markup=False)
            return

        row = self.first + self.query_one("#cards", DataTable).cursor_row
        neighbour = self.matches[row + 1] if row + 1 < len(self.matches) else (
            self.matches[row - 1] if row > 0 else None)
        keep = self.deck.cards[neighbour].id if neighbour is not None else None

        def confirmed(yes: bool | None) -> None:
            if yes:
                cards = [c for c in self.deck.cards if c.id != card.id]
                self.save(cards, f"Deleted card {card.id}.", keep=keep)

        question = visible(card.question, one_line=True)
        if len(question) > 60:
            question = question[:59] + "…"
        self.app.push_screen(
            ConfirmScreen(f"Delete card {card.id} ({question}) from {self.entry.path.name}? "
                          "Its record in the score file is kept.", yes="Delete", no="Keep"),
            confirmed,
        )

    # ------------------------------------------------------------------ writing

    def save(self, cards: list[Card], message: str, keep: str | None = None,
             retry: Callable[[str], None] | None = None) -> None:
        """Write the deck with ``cards`` (in a thread: a large deck takes a while). When
        it cannot be written, ``retry`` gets why: the form opens again with what the
        person wrote, so nothing typed is lost."""
        self.saving = True
        self.refresh_bindings()
        self._show_count()
        self._write(cards, message, keep, retry)

    @work(thread=True, exclusive=True, group="save", description="write the deck")
    def _write(self, cards: list[Card], message: str, keep: str | None,
               retry: Callable[[str], None] | None) -> None:
        path = self.entry.path
        try:
            deck = Deck(format=self.deck.format, deck=self.deck.deck, cards=cards)
            if self._stamp is not None and file_stamp(path) != self._stamp:
                self._changed_on_disk(retry)
                return
            stamp = update_deck(path, self.deck, deck, self._stamp)
        except DeckError as exc:
            self.app.call_from_thread(self._failed, exc.problems, retry)
            return
        except ValidationError as exc:  # the form validates first; this is a last guard
            self.app.call_from_thread(self._failed, [f"{path}: {exc}"], retry)
            return
        except OSError as exc:
            self.app.call_from_thread(self._failed,
                                      [f"{path}: cannot write: {exc.strerror or exc}"], retry)
            return
        self._stamp = stamp
        index = CardIndex(deck.cards)  # here, not on the screen's thread (100k cards: ~0.5 s)
        self.app.call_from_thread(self._saved, deck, index, message, keep)

    def _changed_on_disk(self, retry: Callable[[str], None] | None) -> None:
        """(In the save's thread.) The file changed on disk since it was read (another
        window, an editor): nothing is written over it. The browser reads it as it is now;
        the form opens again with the person's card, to be saved into that."""
        path = self.entry.path
        stamp = file_stamp(path)  # before reading: a change after it is caught next time
        try:
            fresh = load_deck_cached(path)
        except DeckError as exc:
            self.app.call_from_thread(self._failed, [
                f"{path}: the file changed on disk and cannot be read now; nothing was written",
                *exc.problems], retry)
            return
        except OSError as exc:
            self.app.call_from_thread(self._failed, [
                f"{path}: the file changed on disk and cannot be read now: "
                f"{exc.strerror or exc}; nothing was written"], retry)
            return
        index = CardIndex(fresh.cards)
        why = (f"{path.name} changed on disk since the browser read it, so nothing was "
               "written. The browser now shows the file as it is; save again to put this "
               "card into it.")

        def reread() -> None:
            self._stamp = stamp
            self._saved(fresh, index, None, None)
            if retry is not None:
                retry(why)
            else:
                self.notify(why, title="Not saved", severity="warning", markup=False)

        self.app.call_from_thread(reread)

    def _failed(self, problems: list[str], retry: Callable[[str], None] | None = None) -> None:
        self.saving = False
        if self.is_mounted:
            self.refresh_bindings()
            self._show_count()
        if retry is not None and self.is_mounted:
            retry("Not saved: " + " ".join(problems))
            return
        self.notify("\n".join(visible(p) for p in problems), title="Not saved",
                    severity="error", markup=False, timeout=15)

    def _saved(self, deck: Deck, index: CardIndex, message: str | None, keep: str | None) -> None:
        self.saving = False
        self.deck = deck
        self.index = index
        self.post_message(messages.DataChanged(decks=True))  # the catalog and home pick it up
        if message is not None:
            self.notify(message, markup=False)
        if self.is_mounted:
            self._show_info()
            self._fill_tags()
            self.apply_filter(keep=keep)
            self.refresh_bindings()
