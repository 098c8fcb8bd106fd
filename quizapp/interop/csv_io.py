"""CSV and TSV import and export, and Quizlet's export (term TAB definition per line).

A table may start with a header row naming its columns (``question,answer,kind,...``;
``front``/``back`` and ``term``/``definition`` are understood too). Without one, the first
column is the question and the second the answer, and every card is a ``flip`` card.
With a ``kind`` column, rows can be any kind of card (see ``common`` for list cells).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from quizapp.interop.common import (
    COLUMNS,
    InteropError,
    ProgressCallback,
    Row,
    card_cells,
    column_name,
    counted_lines,
    exact_html_to_text,
    media_text,
    neutralise,
    unneutralise,
)
from quizapp.models import Deck

csv.field_size_limit(20 * 1024 * 1024)

NOTETYPE_KEY = "\x00notetype"  # a row's Anki note type, kept for the Anki text reader
GUID_KEY = "\x00guid"  # a row's Anki note guid
DECK_KEY = "\x00deck"  # a row's Anki deck (from a deck column)
RECORD_KEY = "\x00record"  # the row's cells joined by \x1f (keep={-1: RECORD_KEY})
NOTE_KEY = "\x00anki note"  # a row of Anki's own export: its guid, note type, fields (\x1f)
LAST_COLUMN = -1  # tag_column: each row's own last cell (Anki 2.1.54's export)


def read_table(
    text: str,
    source: Path | str,
    delimiter: str,
    *,
    progress: ProgressCallback | None = None,
    first_line: int = 1,
    columns: Sequence[str | None] | None = None,
    html: bool = False,
    tag_column: int | None = None,
    skip_columns: Sequence[int] = (),
    header_row: bool = True,
    exact: bool = False,
    keep: dict[int, str] | None = None,
    quoting: bool = True,
    more_fields: bool = False,
) -> tuple[list[Row], list[str]]:
    """Rows of a delimited table; ``first_line`` is the file line ``text`` starts on.

    ``columns`` names each column (None: ignored); when not given, the first row is read
    as a header row if it is one (and ``header_row``), else the first two free columns
    are question and answer. Cells are HTML when ``html`` (images and sounds become
    placeholders; ``exact``: a file quizapp wrote, decoded exactly), else plain text
    where a ``'`` that neutralised a spreadsheet formula is taken away."""
    if html:
        decode = exact_html_to_text if exact else media_text
    else:
        decode = unneutralise
    warnings: list[str] = []
    wider = 0
    reader = csv.reader(counted_lines(text, progress), delimiter=delimiter, strict=False,
                        quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE)
    rows: list[Row] = []
    names: list[str | None] | None = list(columns) if columns is not None else None
    previous_end = 0
    try:
        for record in reader:
            line = first_line + previous_end
            previous_end = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            row_tags = None
            if tag_column == LAST_COLUMN:
                row_tags, record = record[-1], record[:-1]
            if names is None and header_row:
                mapped = [column_name(cell) for cell in record]
                if "question" in mapped and "answer" in mapped:
                    names = mapped
                    unknown = [cell for cell, name in zip(record, mapped) if name is None]
                    if unknown:
                        warnings.append(f"{source}:{line}: columns ignored: {', '.join(unknown)}")
                    continue
            if names is None:
                names = _positional(len(record), tag_column if tag_column != LAST_COLUMN else None,
                                    skip_columns)
                extra = [i + 1 for i, n in enumerate(names)
                         if n is None and i not in skip_columns and i != tag_column]
                if extra and not more_fields:  # more_fields: the caller reads them itself
                    warnings.append(f"{source}:{line}: column(s) {', '.join(map(str, extra))} "
                                    "ignored (only question and answer are read without a header row)")
            if tag_column is not None and 0 <= tag_column < len(names):
                names[tag_column] = "tags"
            values: dict[str, str] = {}
            for index, cell in enumerate(record):
                name = names[index] if index < len(names) else None
                if name is None:
                    continue
                values[name] = decode(cell)
            if row_tags is not None:
                values["tags"] = row_tags
            for index, key in (keep or {}).items():
                if index == -1:
                    values[key] = "\x1f".join(record)
                elif index < len(record):
                    values[key] = record[index]
            if (not more_fields and len(record) > len(names)
                    and any(c.strip() for c in record[len(names):])):
                wider += 1
                if wider <= 3:
                    warnings.append(f"{source}:{line}: {len(record)} cells but the "
                                    f"{'header' if columns is None else 'columns'} row has "
                                    f"{len(names)}; the cells after it are ignored")
            rows.append(Row(line, values))
    except csv.Error as exc:
        raise InteropError([f"{source}:{first_line + reader.line_num - 1}: cannot read this "
                            f"row: {exc}"]) from None
    if wider > 3:
        warnings.append(f"{source}: {wider} rows in all have more cells than the first row; "
                        "their extra cells are ignored (wrong separator? see --separator)")
    return rows, warnings


def _positional(width: int, tag_column: int | None, skip: Sequence[int]) -> list[str | None]:
    names: list[str | None] = [None] * max(width, 2)
    free = iter(("question", "answer"))
    for index in range(len(names)):
        if index == tag_column or index in skip:
            continue
        names[index] = next(free, None)
    return names


def read_csv(text: str, source: Path | str, delimiter: str = ",",
             progress: ProgressCallback | None = None) -> tuple[list[Row], list[str]]:
    return read_table(text, source, delimiter, progress=progress)


def read_quizlet(text: str, source: Path | str, separator: str = "\t", row_separator: str = "\n",
                 progress: ProgressCallback | None = None,
                 html: bool = False, strict: bool = False) -> tuple[list[Row], list[str]]:
    """Quizlet's export with its two separators: between term and definition
    (``separator``, TAB by default) and between cards (``row_separator``, a new line by
    default). No quoting: the first ``separator`` of a card ends its term. A card
    without one is left out with a warning."""
    rows: list[Row] = []
    warnings: list[str] = []
    decode = media_text if html else (lambda cell: cell)
    if row_separator == "\n":
        records = [(n, line.rstrip("\r\n")) for n, line in enumerate(counted_lines(text, progress), 1)]
    else:
        records = []
        line = 1
        for part in text.split(row_separator):
            records.append((line, part.strip("\r\n")))
            line += part.count("\n")
        if progress:
            progress(len(text), len(text))
    for number, record in records:
        if not record.strip():
            continue
        term, found, definition = record.partition(separator)
        if not found:
            problem = f"{source}:{number}: no {_name(separator)} between term and definition"
            if strict:
                raise InteropError([f"{problem} (refused: --strict)"])
            warnings.append(f"{problem}; card skipped")
            continue
        rows.append(Row(number, {"question": decode(term), "answer": decode(definition)}))
    return rows, warnings


def _name(separator: str) -> str:
    return {"\t": "TAB", ",": "comma", ";": "semicolon"}.get(separator, repr(separator))


def write_csv(deck: Deck, delimiter: str = ",") -> str:
    """Every card as one row under a header of the canonical columns. A cell a
    spreadsheet would run as a formula gets a leading ``'`` (taken away on import)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for index, card in enumerate(deck.cards):
        cells = card_cells(card, f"{deck.id}: cards[{index}]")
        writer.writerow([neutralise(cells[name]) for name in COLUMNS])
    return out.getvalue()
