"""Card text is data: show it literally, never as markup, never as terminal codes.

Widgets get card text as ``Content`` (no markup parsing) or, in ``DataTable`` cells, as a
Rich ``Text`` (a plain ``str`` cell would be parsed as markup). Control and invisible
formatting characters are first swapped for visible placeholders by ``quizapp.text.visible``
(``\\x1b[31m`` shows as ``␛[31m``, U+202E as ``<U+202E>``), the one function every front
end uses.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from quizapp.text import visible


def card_content(text: str, *, one_line: bool = False) -> Content:
    """Card text as Textual ``Content``: shown literally, never parsed as markup."""
    return Content(visible(text, one_line=one_line))


def card_cell(text: str) -> Text:
    """Card text for a ``DataTable`` cell (one line)."""
    return Text(visible(text, one_line=True), end="")
