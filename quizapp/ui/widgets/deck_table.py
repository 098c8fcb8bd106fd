"""The table of decks on the home screen."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import DataTable


class DeckTable(DataTable):
    """A row-cursor ``DataTable``: Enter (shown in the Footer) or one click on a row selects
    the deck (a plain ``DataTable`` selects only when the row clicked is already highlighted)."""

    BINDINGS = [Binding("enter", "select_cursor", "Play deck")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    async def _on_click(self, event: events.Click) -> None:
        before = self.cursor_coordinate
        await super()._on_click(event)
        row = event.style.meta.get("row")
        if isinstance(row, int) and row >= 0 and self.cursor_coordinate != before:
            # The base class only selects a row clicked a second time: select it now.
            row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
            self.post_message(DataTable.RowSelected(self, self.cursor_row, row_key))
