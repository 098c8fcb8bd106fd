"""Card text is data: make it safe to show in a terminal.

Control characters (ESC, BEL, backspace, DEL, C1 controls) and invisible formatting
characters (bidi overrides such as U+202E) are replaced by visible placeholders, so a deck
cannot move the cursor, recolour the screen or reorder the text. Newlines and tabs stay.
Markup is a separate matter: the UI renders card text with markup off.
"""

from __future__ import annotations

import unicodedata

_KEEP = {"\n", "\t"}


def _placeholder(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␇ for BEL, ...
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control or format character replaced by a visible placeholder.

    ``one_line`` also replaces line breaks and tabs (``␊``, ``␉``), for output that must
    stay on one line, such as an error message."""
    if text.isprintable():
        return text
    keep = () if one_line else _KEEP
    out = []
    for ch in text:
        if ch in keep or ch.isprintable() or ch == " ":
            out.append(ch)
        elif unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}:
            out.append(_placeholder(ch))
        else:
            out.append(ch)
    return "".join(out)
