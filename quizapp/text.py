"""Card text is data: make it safe to show in a terminal.

Control characters (ESC, BEL, backspace, DEL, C1 controls) and invisible formatting
characters (bidi overrides such as U+202E) are replaced by visible placeholders, so a deck
cannot move the cursor, recolour the screen or reorder the text. Newlines stay (or show as
`` ⏎ `` on one line); tabs become spaces.
Markup is a separate matter: the UI renders card text with markup off.
"""

from __future__ import annotations

import unicodedata

def _placeholder(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL, ...
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control or format character replaced by a visible placeholder
    and each tab by four spaces: the one way card text is made safe to show, in every
    screen, command and export.

    ``one_line`` also shows each line break as `` ⏎ ``, for text that must stay on one
    line (a table cell, a title, an error message)."""
    if text.isprintable():
        return text
    if one_line:
        text = text.replace("\r\n", "\n").replace("\n", " ⏎ ")
    out = []
    for ch in text:
        if ch == "\t":
            out.append("    ")
        elif ch == "\n" or ch.isprintable() or ch == " ":
            out.append(ch)
        elif unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}:
            out.append(_placeholder(ch))
        else:
            out.append(ch)
    return "".join(out)


def comparable(text: str) -> str:
    """The key two texts are compared by when a deck is checked or generated (is this
    distractor really another answer?): case and runs of spaces do not matter. Typed
    answers are matched more leniently, by ``matching.normalize``."""
    return " ".join(text.split()).casefold()
