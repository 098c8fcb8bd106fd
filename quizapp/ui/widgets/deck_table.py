"""The table of decks on the home screen."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class DeckTable(DataTable):
    """A row-cursor ``DataTable`` whose Enter (shown in the Footer) selects the deck."""

    BINDINGS = [Binding("enter", "select_cursor", "Play deck")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
