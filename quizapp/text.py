"""Card text is data: make it safe to show in a terminal.

Control characters (ESC, BEL, backspace, DEL, C1 controls) and invisible formatting
characters (bidi overrides such as U+202E) are replaced by visible placeholders, so a deck
cannot move the cursor, recolour the screen or reorder the text. Newlines stay (or show as
`` ⏎ `` on one line); tabs become spaces.

A few formatting characters belong to the writing itself and stay as they are: the
zero-width joiner and non-joiner (emoji sequences such as 👩‍💻, Persian and Indic
spelling), the zero-width space and word joiner (word breaks in Thai, Khmer, ...), and the
tag characters that spell a subdivision flag such as 🏴󠁧󠁢󠁳󠁣󠁴󠁿 right after its black flag. A soft
hyphen is only a hint where a word may break, which a terminal never does, so it is
left out of what is shown.
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


# Formatting characters that are part of how a script or an emoji is written: shown as they
# are (a terminal draws them as nothing, or joins the characters around them).
_WRITING = frozenset("\u200b\u200c\u200d\u2060")
_SOFT_HYPHEN = "\u00ad"
_BLACK_FLAG = "\U0001F3F4"
_CANCEL_TAG = "\U000E007F"


def _is_tag(ch: str) -> bool:
    return "\U000E0020" <= ch <= "\U000E007E"


def _flag_tags_end(text: str, start: int) -> int:
    """The end of a run of tag characters from ``start`` that spells a flag: right after a
    black flag, closed by the cancel tag. ``start`` when the run is anything else (tags
    hidden in text, which must show)."""
    if start == 0 or text[start - 1] != _BLACK_FLAG:
        return start
    end = start
    while end < len(text) and _is_tag(text[end]):
        end += 1
    if end > start and end < len(text) and text[end] == _CANCEL_TAG:
        return end + 1
    return start


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
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\t":
            out.append("    ")
        elif ch == "\n" or ch.isprintable() or ch == " " or ch in _WRITING:
            out.append(ch)
        elif ch == _SOFT_HYPHEN:
            pass
        elif (end := _flag_tags_end(text, i)) > i:
            out.append(text[i:end])
            i = end
            continue
        elif unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}:
            out.append(_placeholder(ch))
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def comparable(text: str) -> str:
    """The key two texts are compared by when a deck is checked or generated (is this
    distractor really another answer?): case and runs of spaces do not matter. Typed
    answers are matched more leniently, by ``matching.normalize``."""
    return " ".join(text.split()).casefold()
