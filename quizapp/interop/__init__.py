"""Import decks from Anki, Quizlet, CSV and TSV files; export them to Anki (text or .apkg)
and CSV.

``import_file(path, ...)`` returns an ``ImportResult`` (a validated ``Deck`` and warnings)
and writes nothing; ``export_deck(deck, fmt)`` returns the bytes of the exported file.
Both raise ``InteropError`` whose ``problems`` name the file, the line and the field.
A long import reports ``progress(done, total)`` as it reads (characters of the input), so
the command line can print a progress line and the app can drive a progress bar.
"""

from __future__ import annotations

from pathlib import Path

from quizapp import tomlio
from quizapp.decks import deck_id_for, slugify
from quizapp.interop.common import (
    ImportResult,
    InteropError,
    ProgressCallback,
    Skipped,
    build_deck,
    decode_input,
)
from quizapp.models import CLOZE, Deck

IMPORT_FORMATS = ("auto", "anki", "csv", "tsv", "quizlet")
EXPORT_FORMATS = ("anki", "apkg", "csv")

PACKAGE_SUFFIXES = (".apkg", ".colpkg", ".anki2", ".anki21", ".anki21b")

__all__ = ["ImportResult", "InteropError", "detect_format", "export_deck", "import_file",
           "import_text_decks", "import_package", "is_package", "read_input", "IMPORT_FORMATS", "EXPORT_FORMATS"]


def is_package(path: Path) -> bool:
    """An Anki package (a zip) or a collection file, by its extension or first bytes."""
    if path.suffix.lower() in PACKAGE_SUFFIXES:
        return True
    if not path.is_file():  # never open a FIFO or device to sniff it
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    return head.startswith((b"PK\x03\x04", b"SQLite format 3\x00", b"\x28\xb5\x2f\xfd"))


def import_package(path: Path | str, *, deck: str | None = None, strict: bool = False,
                   deck_id: str | None = None, title: str | None = None):
    """An Anki package's decks (``anki_import.DeckImport`` each) and its collection (for
    the review log and media). Writes nothing."""
    from quizapp.interop.anki_import import collection_decks
    from quizapp.interop.package import read_package

    path = Path(path)
    collection = read_package(path)
    decks = collection_decks(collection, str(path), only=deck, strict=strict,
                             deck_id=deck_id, title=title)
    return decks, collection


def _max_import_bytes() -> int:
    """An import may be as large as a deck may be: the decks' limit as it is now (read
    when importing, not when this module was first imported)."""
    from quizapp.decks import MAX_DECK_BYTES

    return MAX_DECK_BYTES


def read_input(path: Path) -> str:
    """The text of a file to import, refusing one over the size limit before reading it."""
    try:
        raw = tomlio.read_bytes(path, _max_import_bytes(), "an import")
    except FileNotFoundError as exc:
        raise InteropError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    except tomlio.FileProblem as exc:
        raise InteropError([str(exc)]) from None
    return decode_input(raw, path)


def detect_format(path: Path, text: str) -> str:
    """The import format of a text file (``anki``, ``csv``, ``tsv`` or ``quizlet``);
    see ``detect.detect_layout``, which also finds the separator, header and HTML."""
    from quizapp.interop.detect import detect_layout

    if path.suffix.lower() in PACKAGE_SUFFIXES:
        raise InteropError([f"{path}: an Anki package or collection is imported as a whole "
                            "(quizapp deck import FILE.apkg), not as text"])
    layout = detect_layout(path, text)
    if layout.fmt == "csv" and layout.delimiter == "\t":
        return "tsv"
    return layout.fmt


def import_file(
    path: Path | str,
    fmt: str = "auto",
    deck_id: str | None = None,
    title: str | None = None,
    progress: ProgressCallback | None = None,
    *,
    separator: str | None = None,
    row_separator: str | None = None,
    html: bool | None = None,
    strict: bool = False,
) -> ImportResult:
    """Read ``path`` as ``fmt`` and build one validated deck from all its rows. The deck
    id defaults to a slug of the title, which defaults to Anki's ``#deck:`` header or the
    file name (``import_text_decks`` splits a file with an Anki deck column instead).

    ``separator``, ``row_separator`` (Quizlet's card separator) and ``html`` override what
    detection finds. A row that cannot become a card is skipped with a warning, or
    refused with ``strict``; ``ImportResult.skipped`` counts them by reason."""
    return import_text_decks(path, fmt, deck_id, title, progress, separator=separator,
                             row_separator=row_separator, html=html, strict=strict,
                             split=False)[0]


def import_text_decks(
    path: Path | str,
    fmt: str = "auto",
    deck_id: str | None = None,
    title: str | None = None,
    progress: ProgressCallback | None = None,
    *,
    separator: str | None = None,
    row_separator: str | None = None,
    html: bool | None = None,
    strict: bool = False,
    deck: str | None = None,
    split: bool = True,
) -> list[ImportResult]:
    """Like ``import_file``, but an Anki text export with a deck column (notes of several
    decks) gives one deck per Anki deck, as a package does; ``deck`` keeps one of them."""
    from quizapp.interop.anki import deck_fields, read_anki_text
    from quizapp.interop.anki_import import deck_ids
    from quizapp.interop.csv_io import DECK_KEY, read_quizlet, read_table
    from quizapp.interop.detect import detect_layout, separator_value

    path = Path(path)
    if fmt not in IMPORT_FORMATS:
        raise InteropError([f"{path}: unknown import format {fmt!r} "
                            f"(use {', '.join(IMPORT_FORMATS)})"])
    if path.suffix.lower() in PACKAGE_SUFFIXES or is_package(path):
        raise InteropError([f"{path}: an Anki package or collection is imported as a whole "
                            "(quizapp deck import FILE.apkg), not as text"])
    text = read_input(path)
    sep = separator_value(separator) if separator is not None else None
    if row_separator is not None:
        row_separator = "\n" if row_separator.lower() in ("newline", "\\n") else (
            separator_value(row_separator))
        fmt = "quizlet" if fmt == "auto" else fmt
    layout = detect_layout(path, text, fmt=fmt, separator=sep, html=html)
    deck_name = None
    info: dict[str, object] = {}
    if layout.fmt == "anki":
        rows, warnings, deck_name = read_anki_text(text, path, progress)
        info = deck_fields(text)
    elif layout.fmt == "quizlet" and (row_separator not in (None, "\n") or fmt == "quizlet"):
        rows, warnings = read_quizlet(text, path, layout.delimiter, row_separator or "\n",
                                      progress, html=layout.html, strict=strict)
    else:
        rows, warnings = read_table(text, path, layout.delimiter, progress=progress,
                                    html=layout.html, header_row=layout.header is not False,
                                    quoting=layout.quoting, tag_column=layout.tag_column)
    _cloze_rows(rows)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.values.pop(DECK_KEY, "").strip(), []).append(row)
    ids = deck_ids(n for n in groups if n)
    if deck is not None:
        wanted = deck.strip().casefold()
        names = [n for n in groups if n and (n.casefold() == wanted or ids[n] == deck)]
        if not names:
            listing = ", ".join(repr(n) for n in groups if n) or "no deck column"
            raise InteropError([f"{path}: no deck {deck!r} in this file ({listing})"])
        groups = {names[0]: groups[names[0]]}
    elif not split or len(groups) == 1:
        only = next(iter(groups)) if len(groups) == 1 else ""
        groups = {only: rows}
    elif deck_id or title:
        raise InteropError([f"{path}: the file holds notes of {len(groups)} Anki decks; --id "
                            "and --title need one: pick it with --deck NAME"])
    file_id = info.pop("id", None)
    file_title = info.pop("title", None)
    results = []
    for name, deck_rows in groups.items():
        deck_title = (title or (name if split and name else None) or file_title or deck_name
                      or path.stem.replace("_", " ").replace("-", " ").strip() or "Imported")
        the_id = deck_id
        if the_id is None:
            the_id = file_id if isinstance(file_id, str) and len(groups) == 1 else None
            the_id = the_id or (ids[name] if split and name else None)
            the_id = (the_id or slugify(deck_title) or slugify(path.stem)
                      or deck_id_for(deck_title, "imported"))
        skipped = Skipped()
        built = build_deck(deck_rows, path, the_id, deck_title, strict=strict, skipped=skipped,
                           info=dict(info))
        if layout.fmt == "anki":  # Anki's own export: keep the notes the cards came from
            from quizapp.interop.origin import text_notes

            built = text_notes(built, deck_rows)
        results.append(ImportResult(built, warnings + skipped.warnings, layout.describe(),
                                    skipped.reasons))
        warnings = []  # the file's warnings are reported once
    return results


def _cloze_rows(rows: list) -> None:
    """A row with no kind whose question holds ``{{c1::...}}`` is a cloze card."""
    for row in rows:
        if not (row.values.get("kind") or "").strip() and CLOZE.search(row.values.get("question", "")):
            row.values["kind"] = "cloze"


def export_deck(deck: Deck, fmt: str, *, media_folder: Path | None = None,
                warnings: list[str] | None = None) -> bytes:
    """The exported file's bytes: ``anki`` (tab-separated text with Anki's headers),
    ``apkg`` (through genanki) or ``csv``. ``media_folder``: the deck's pictures and
    sounds (an ``.apkg`` packs those its cards show; Anki text names them); ``warnings``
    gathers what could not go back to Anki as it is in the deck."""
    if fmt == "anki":
        from quizapp.interop.anki import write_anki_text

        return write_anki_text(deck, media_folder=media_folder,
                               warnings=warnings).encode("utf-8")
    if fmt == "csv":
        from quizapp.interop.csv_io import write_csv

        # UTF-8 with a BOM: Excel then reads the text as UTF-8 (without it, “ ” and é turn
        # into mojibake); other spreadsheets and quizapp's import skip the BOM.
        return b"\xef\xbb\xbf" + write_csv(deck).encode("utf-8")
    if fmt == "apkg":
        from quizapp.interop.apkg import apkg_bytes

        return apkg_bytes(deck, media_folder=media_folder, warnings=warnings)
    raise InteropError([f"{deck.id}: unknown export format {fmt!r} (use {', '.join(EXPORT_FORMATS)})"])
