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
    html_to_text,
)
from quizapp.models import Deck

csv.field_size_limit(20 * 1024 * 1024)


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
) -> tuple[list[Row], list[str]]:
    """Rows of a delimited table; ``first_line`` is the file line ``text`` starts on.

    ``columns`` names each column (None: ignored); when not given, the first row is read
    as a header row if it is one (and ``header_row``), else the first two free columns
    are question and answer."""
    warnings: list[str] = []
    reader = csv.reader(counted_lines(text, progress), delimiter=delimiter, strict=False)
    rows: list[Row] = []
    names: list[str | None] | None = list(columns) if columns is not None else None
    previous_end = 0
    try:
        for record in reader:
            line = first_line + previous_end
            previous_end = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if names is None and header_row:
                mapped = [column_name(cell) for cell in record]
                if "question" in mapped and "answer" in mapped:
                    names = mapped
                    unknown = [cell for cell, name in zip(record, mapped) if name is None]
                    if unknown:
                        warnings.append(f"{source}:{line}: columns ignored: {', '.join(unknown)}")
                    continue
            if names is None:
                names = _positional(len(record), tag_column, skip_columns)
                extra = [i + 1 for i, n in enumerate(names)
                         if n is None and i not in skip_columns and i != tag_column]
                if extra:
                    warnings.append(f"{source}:{line}: column(s) {', '.join(map(str, extra))} "
                                    "ignored (only question and answer are read without a header row)")
            if tag_column is not None and tag_column < len(names):
                names[tag_column] = "tags"
            values: dict[str, str] = {}
            for index, cell in enumerate(record):
                name = names[index] if index < len(names) else None
                if name is None:
                    continue
                values[name] = html_to_text(cell) if html else cell
            rows.append(Row(line, values))
    except csv.Error as exc:
        raise InteropError([f"{source}:{first_line + reader.line_num - 1}: cannot read this "
                            f"row: {exc}"]) from None
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


def read_quizlet(text: str, source: Path | str,
                 progress: ProgressCallback | None = None) -> tuple[list[Row], list[str]]:
    """Quizlet's export: one card per line, the term, a TAB, the definition. No quoting."""
    rows: list[Row] = []
    problems: list[str] = []
    for number, line in enumerate(counted_lines(text, progress), 1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        term, tab, definition = line.partition("\t")
        if not tab:
            problems.append(f"{source}:{number}: no TAB between term and definition")
            continue
        rows.append(Row(number, {"question": term, "answer": definition}))
    if problems:
        raise InteropError(problems)
    return rows, []


def write_csv(deck: Deck, delimiter: str = ",") -> str:
    """Every card as one row under a header of the canonical columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    for index, card in enumerate(deck.cards):
        cells = card_cells(card, f"{deck.id}: cards[{index}]")
        writer.writerow([cells[name] for name in COLUMNS])
    return out.getvalue()
