"""How a text file to import is laid out, from a sample of its lines, without guessing.

``detect_layout`` looks at the first lines (``SAMPLE_LINES``) and decides:

- Anki's ``#key:value`` headers: Anki text (they say everything else).
- the separator: the one of TAB, ``;``, ``,`` and ``|`` that splits every sampled line
  into the same number (2 or more) of cells. A header row naming our columns (question,
  answer, front, back, term, definition...) settles a tie; otherwise, when two
  separators both fit, the file is refused with what was seen and the option to pass.
- a header row or none (a first row that names at least a question and an answer).
- HTML or not: tags such as ``<br>``, ``<div>``, ``<img`` or entities such as ``&nbsp;``
  in the sample (Anki exports), unless ``--html``/``--no-html`` says.
- TAB files without a header row (Quizlet, and Anki 2.1.54 and older): no quoting, the
  third column is read as tags when every sampled third cell looks like tags.

``Layout.describe()`` says what was decided, so the command can show it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from quizapp.interop.common import InteropError, column_name
from quizapp.interop.csv_io import LAST_COLUMN

SAMPLE_LINES = 200
CANDIDATES = ("\t", ";", ",", "|")
NAMES = {"\t": "tab", ";": "semicolon", ",": "comma", "|": "pipe", ":": "colon", " ": "space"}
HTML_SIGNS = re.compile(r"<(br|div|p|b|i|u|span|img|ul|li|sup|sub|font|hr)\b[^>]*>|&(nbsp|amp|lt|gt|quot|#\d+);",
                        re.I)
TAGS_CELL = re.compile(r"^\s*(?:[\w:.\-/]+(?:\s+[\w:.\-/]+)*)?\s*$")


@dataclass(frozen=True)
class Layout:
    fmt: str  # "anki", "csv", "tsv" (a delimited table), "quizlet"
    delimiter: str = ","
    header: bool | None = None  # None: let the reader see (a first row naming columns)
    html: bool = False
    quoting: bool = True
    tag_column: int | None = None

    def describe(self) -> str:
        if self.fmt == "anki":
            return "Anki text (from its # headers)"
        parts = [f"{NAMES.get(self.delimiter, repr(self.delimiter))}-separated"]
        if self.fmt == "quizlet":
            parts.append("Quizlet-style (no quoting)")
        parts.append({True: "with a header row", False: "no header row", None: ""}[self.header])
        if self.html:
            parts.append("cells are HTML")
        if self.tag_column == LAST_COLUMN:
            parts.append("each row's last cell as tags")
        elif self.tag_column is not None:
            parts.append(f"column {self.tag_column + 1} as tags")
        return ", ".join(p for p in parts if p)


def separator_value(name: str) -> str:
    """``--separator`` accepts a name (tab, comma, semicolon, pipe, colon, space) or one
    character (``\\t`` written out is a TAB)."""
    key = name.strip().lower()
    for char, label in NAMES.items():
        if key == label:
            return char
    if name in ("\\t", "TAB"):
        return "\t"
    if name:
        return name  # Quizlet allows any text; a table needs one character (checked there)
    raise InteropError([f"--separator: give one character or one of {', '.join(NAMES.values())}"])


def _sample(text: str) -> list[str]:
    lines = []
    for line in text.split("\n"):
        if line.strip():
            lines.append(line.rstrip("\r"))
        if len(lines) >= SAMPLE_LINES:
            break
    return lines


def _widths(lines: list[str], delimiter: str, quoting: bool) -> list[int]:
    reader = csv.reader(lines, delimiter=delimiter,
                        quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE, strict=False)
    try:
        return [len(row) for row in reader]
    except csv.Error:
        return []


def _is_header(lines: list[str], delimiter: str) -> bool:
    if not lines:
        return False
    first = next(csv.reader([lines[0]], delimiter=delimiter), [])
    mapped = [column_name(cell) for cell in first]
    return "question" in mapped and "answer" in mapped


def detect_layout(path: Path, text: str, *, fmt: str = "auto", separator: str | None = None,
                  html: bool | None = None) -> Layout:
    """The layout of ``text`` (see the module doc); ``fmt``, ``separator`` and ``html``
    are what the person said, which always wins."""
    from quizapp.interop.anki import looks_like_anki

    if fmt == "anki" or (fmt == "auto" and looks_like_anki(text)):
        return Layout("anki")
    lines = _sample(text)
    if not lines:
        raise InteropError([f"{path}: the file is empty"])
    if fmt == "quizlet":
        return Layout("quizlet", separator or "\t", False, bool(html), quoting=False)
    if separator is not None and len(separator) != 1:
        raise InteropError([f"{path}: --separator {separator!r}: cells of a table are separated "
                            "by one character; a longer separator works with --format quizlet"])
    if separator is None:
        if fmt == "tsv" or (fmt == "auto" and path.suffix.lower() in (".tsv", ".tab")):
            separator = "\t"
        elif fmt == "csv" and path.suffix.lower() == ".csv":
            separator = None  # a .csv may be ; (Excel in many languages) or ,
        separator = separator or _separator(path, lines)
    looks_html = bool(HTML_SIGNS.search("\n".join(lines)))
    if _is_header(lines, separator):
        # A table with a header row names its columns; its cells are text unless --html.
        return Layout("csv", separator, True, bool(html))
    is_html = looks_html if html is None else html
    if separator == "\t" and fmt != "csv":
        # Quizlet and Anki 2.1.54 and older: no header, no quoting, and Anki put each
        # note's tags after its fields (so in the last cell of rows of varying width).
        widths = _widths(lines, "\t", quoting=False)
        tag_column = None
        if widths and min(widths) >= 3:
            lasts = [line.split("\t")[-1] for line in lines]
            if all(TAGS_CELL.match(cell) for cell in lasts) and any(c.strip() for c in lasts):
                tag_column = 2 if max(widths) == 3 else LAST_COLUMN
        return Layout("quizlet", "\t", False, is_html, quoting=False, tag_column=tag_column)
    return Layout("csv", separator, False, is_html)


def _separator(path: Path, lines: list[str]) -> str:
    """The one separator that splits every sampled line alike; refuses to guess."""
    fits: dict[str, int] = {}
    for delimiter in CANDIDATES:
        if not any(delimiter in line for line in lines):
            continue
        widths = _widths(lines, delimiter, quoting=True)
        if widths and min(widths) >= 2 and len(set(widths)) == 1:
            fits[delimiter] = widths[0]
    headed = [d for d in fits if _is_header(lines, d)]
    if len(headed) == 1:
        return headed[0]
    if "\t" in fits:
        return "\t"  # a TAB is never part of ordinary text
    if len(fits) == 1:
        return next(iter(fits))
    if len(fits) > 1:
        seen = ", ".join(f"{NAMES[d]} ({n} cells)" for d, n in fits.items())
        raise InteropError([f"{path}: every line splits evenly on more than one separator: "
                            f"{seen}; say which with --separator "
                            f"{' or --separator '.join(NAMES[d] for d in fits)}"])
    # No separator fits every line: take the most common one and let the reader warn
    # about the rows that differ, or refuse when none is present at all.
    counts = {d: sum(1 for line in lines if d in line) for d in CANDIDATES}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        raise InteropError([f"{path}: no TAB, semicolon, comma or pipe separates the cells "
                            "of this file; pass --separator CHAR (or --format anki, csv, "
                            "tsv or quizlet)"])
    if counts[best] < len(lines) // 2:
        raise InteropError([f"{path}: cannot tell how cells are separated (only "
                            f"{counts[best]} of {len(lines)} sampled lines hold a "
                            f"{NAMES[best]}); pass --separator CHAR"])
    return best
