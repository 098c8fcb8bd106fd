"""Card text is data: show it literally, never as markup, never as terminal codes.

Widgets get card text as ``Content`` (no markup parsing) or, in ``DataTable`` cells, as a
Rich ``Text`` (a plain ``str`` cell would be parsed as markup). Control and invisible
formatting characters are first swapped for visible placeholders by ``quizapp.text``
(``\\x1b[31m`` shows as ``␛[31m``, U+202E as ``<U+202E>``).
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from quizapp import text as guard


def visible(text: str, *, multiline: bool = True) -> str:
    """``text`` with control characters made visible; tabs become spaces, and newlines
    become `` ⏎ `` unless ``multiline``."""
    shown = guard.visible(text).replace("\t", "    ")
    return shown if multiline else shown.replace("\r\n", " ⏎ ").replace("\n", " ⏎ ")


def card_content(text: str, *, multiline: bool = True) -> Content:
    """Card text as Textual ``Content``: shown literally, never parsed as markup."""
    return Content(visible(text, multiline=multiline))


def card_cell(text: str) -> Text:
    """Card text for a ``DataTable`` cell."""
    return Text(visible(text, multiline=False), end="")
