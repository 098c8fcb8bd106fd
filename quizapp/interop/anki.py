"""Anki's plain-text notes: import (with its ``#key:value`` header lines) and export.

Headers read: ``#separator:`` (tab, comma, semicolon, space, pipe, colon or the character
itself), ``#html:`` (true: tags are stripped, entities unescaped, ``<br>`` becomes a line
break), ``#columns:`` (column names; Front/Back/Tags and our own column names are used,
others ignored), ``#tags:`` (tags for every card), ``#tags column:N``, ``#deck:`` (the
title when none is given). ``#notetype:`` is accepted; the columns named by ``#deck
column``, ``#notetype column`` and ``#guid column`` are skipped; any other header is
ignored with a warning.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from quizapp.interop.common import (
    InteropError,
    ProgressCallback,
    Row,
    card_cells,
    column_name,
    cloze_html,
    exact_html_to_text,
    guid_card_id,
    media_html,
    media_text,
    split_lines,
    text_to_html,
)
from quizapp.interop.csv_io import (
    DECK_KEY,
    GUID_KEY,
    NOTE_KEY,
    NOTETYPE_KEY,
    RECORD_KEY,
    read_table,
)
from quizapp.models import Deck

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|",
              "colon": ":"}
# Ours: Anki ignores headers it does not know; quizapp reads the deck's fields back.
DECK_HEADERS = {"quizapp id": "id", "quizapp title": "title", "quizapp description": "description",
                "quizapp source": "source", "quizapp tags": "tags"}
KNOWN_HEADERS = {"separator", "html", "columns", "tags", "tags column", "deck", "notetype",
                 "deck column", "notetype column", "guid column", *DECK_HEADERS}

# Our export's columns, in order: the note type (Basic, Basic (and reversed card) or
# Cloze), the guid (so Anki updates a note whose text changed), the note type's two fields
# and the tags; then what a quizapp card needs to come back unchanged.
EXPORT_COLUMNS = ("notetype", "guid", "Front", "Back", "Tags", "id", "kind", "distractors",
                  "accept", "explanation", "section", "reverse")
NOTETYPES = {"flip": "Basic", "reverse": "Basic (and reversed card)", "cloze": "Cloze"}
_QUESTION, _ANSWER = "\x00quizapp question", "\x00quizapp answer"  # keys of a row's values


def split_headers(text: str) -> tuple[dict[str, str], int, str]:
    """The ``#key:value`` lines at the top of ``text``: (headers, their count, the rest)."""
    headers: dict[str, str] = {}
    lines = split_lines(text)
    count = 0
    for line in lines:
        stripped = line.rstrip("\r\n")
        if not stripped.startswith("#") or ":" not in stripped:
            break
        key, _, value = stripped[1:].partition(":")
        headers[key.strip().lower()] = value
        count += 1
    return headers, count, "".join(lines[count:])


def looks_like_anki(text: str) -> bool:
    headers, _, _ = split_headers(text[:4096])
    return bool(set(headers) & KNOWN_HEADERS)


def _separator(value: str, source: Path | str) -> str:
    name = value.strip().lower()
    if name in SEPARATORS:
        return SEPARATORS[name]
    if len(value) == 1:
        return value
    raise InteropError([f"{source}:1: #separator: unknown separator {value!r} "
                        f"(use {', '.join(SEPARATORS)} or one character)"])


def _column_number(headers: dict[str, str], key: str, source: Path | str, line: int) -> int | None:
    if key not in headers:
        return None
    try:
        number = int(headers[key].strip())
    except ValueError:
        number = 0
    if number < 1:
        raise InteropError([f"{source}:{line}: #{key}: expected a column number from 1, "
                            f"got {headers[key]!r}"])
    return number - 1


def read_anki_text(text: str, source: Path | str,
                   progress: ProgressCallback | None = None) -> tuple[list[Row], list[str], str | None]:
    """Rows of an Anki text export, the warnings, and the ``#deck:`` name if any."""
    headers, count, body = split_headers(text)
    line_of = {key: n + 1 for n, key in enumerate(headers)}
    warnings = [f"{source}:{line_of[key]}: header #{key} ignored"
                for key in headers if key not in KNOWN_HEADERS]
    delimiter = _separator(headers["separator"], source) if "separator" in headers else "\t"
    html_value = headers.get("html", "false").strip().lower()
    if html_value not in ("true", "false"):
        raise InteropError([f"{source}:{line_of['html']}: #html: expected true or false, "
                            f"got {headers['html']!r}"])
    tag_column = _column_number(headers, "tags column", source, line_of.get("tags column", 1))
    skip = [n for key in ("deck column", "notetype column", "guid column")
            if (n := _column_number(headers, key, source, line_of.get(key, 1))) is not None]
    columns = None
    exact = False
    notetype_column = _column_number(headers, "notetype column", source,
                                     line_of.get("notetype column", 1))
    guid_column = _column_number(headers, "guid column", source, line_of.get("guid column", 1))
    deck_column = _column_number(headers, "deck column", source, line_of.get("deck column", 1))
    origin_at = 0
    if "columns" in headers:
        names = headers["columns"].split(delimiter)
        layout = exact_layout(names) if html_value == "true" else None
        exact = layout is not None
        origin_at = layout or 0
        columns = [None if i in skip or (exact and i >= origin_at > 0) else column_name(name)
                   for i, name in enumerate(names)]
        if "question" not in columns or "answer" not in columns:
            raise InteropError([f"{source}:{line_of['columns']}: #columns: needs a question "
                                "column (Front) and an answer column (Back)"])
        ignored = [n.strip() for i, (n, c) in enumerate(zip(names, columns))
                   if c is None and i not in skip and not exact]
        if ignored:
            warnings.append(f"{source}:{line_of['columns']}: columns ignored: {', '.join(ignored)}")
    rows, more = read_table(body, source, delimiter, progress=progress, first_line=count + 1,
                            columns=columns, html=html_value == "true", tag_column=tag_column,
                            skip_columns=skip, header_row=False, exact=exact,
                            keep={n: key for n, key in ((notetype_column, NOTETYPE_KEY),
                                                        (guid_column, GUID_KEY),
                                                        (deck_column, DECK_KEY),
                                                        (-1, RECORD_KEY),
                                                        (origin_at or None, _QUESTION),
                                                        (origin_at + 1 if origin_at else None,
                                                         _ANSWER))
                                  if n is not None},
                            more_fields=notetype_column is not None and columns is None)
    if notetype_column is not None and guid_column is not None and not exact:
        _keep_notes(rows, {*skip, *([tag_column] if tag_column is not None else [])},
                    html_value == "true")
    if notetype_column is not None:
        decode = (exact_html_to_text if exact else media_text) if html_value == "true" else str
        _notetype_rows(rows, {*skip, *([tag_column] if tag_column is not None else [])},
                       decode, extra_fields=columns is None)
    for row in rows:
        row.values.pop(RECORD_KEY, None)
        question, answer = row.values.pop(_QUESTION, ""), row.values.pop(_ANSWER, "")
        if question:  # a card that went out as its Anki note: its text as quizapp had it
            row.values["question"] = exact_html_to_text(question)
            row.values["answer"] = exact_html_to_text(answer)
    for row in rows:  # Anki's guid gives the card the id an .apkg import gives it
        guid = row.values.pop(GUID_KEY, "").strip()
        if guid and not (row.values.get("id") or "").strip():
            row.values["id"] = guid_card_id(guid)
    every = headers.get("tags", "").split()
    if every:  # "#tags:a b" tags every note
        for row in rows:
            row.values["tags"] = " ".join([*every, *row.values.get("tags", "").split()])
    deck_name = headers.get("deck", "").strip() or None
    return rows, warnings + more, deck_name


def deck_fields(text: str) -> dict[str, object]:
    """The deck fields our export carries in ``#quizapp ...:`` headers."""
    headers, _, _ = split_headers(text[:1024 * 1024])
    out: dict[str, object] = {}
    for header, name in DECK_HEADERS.items():
        if header in headers:
            value = exact_html_to_text(headers[header])
            out[name] = value.split() if name == "tags" else value
    return out


def _keep_notes(rows: list[Row], not_fields: set[int], html: bool) -> None:
    """Anki's own export names each note's guid and type: each row keeps them and the
    note's fields (as HTML) under ``NOTE_KEY`` (guid, type, fields, joined by \x1f), so
    the deck can keep where its cards came from (``origin.text_notes``)."""
    for row in rows:
        guid = row.values.get(GUID_KEY, "").strip()
        notetype = row.values.get(NOTETYPE_KEY, "").strip()
        if not guid or not notetype:
            continue
        cells = row.values.get(RECORD_KEY, "").split("\x1f")
        fields = [c if html else text_to_html(c) for i, c in enumerate(cells)
                  if i not in not_fields]
        while len(fields) > 2 and not fields[-1]:
            fields.pop()  # Anki fills every row to the widest note type's fields
        row.values[NOTE_KEY] = "\x1f".join([guid, notetype, *fields])


def _notetype_rows(rows: list[Row], not_fields: set[int], decode, extra_fields: bool) -> None:
    """Anki's own exports name each note's type: Cloze notes become cloze cards, "Basic
    (and reversed card)" ones reversed cards, "Basic (optional reversed card)" ones too
    when their third field (Add Reverse) is filled (unless a kind column says otherwise).
    Without a ``#columns`` header, the fields after the first two (a note type's own) are
    kept in the explanation, so nothing is lost."""
    for row in rows:
        notetype = row.values.pop(NOTETYPE_KEY, "").strip().casefold()
        cells = row.values.get(RECORD_KEY, "").split("\x1f")
        fields = [c for i, c in enumerate(cells) if i not in not_fields]
        optional = "reverse" in notetype and "optional" in notetype
        if extra_fields:
            more = fields[3:] if optional else fields[2:]
            more = [text for text in (decode(c) for c in more) if text.strip()]
            if more:
                before = [row.values["explanation"]] if row.values.get("explanation") else []
                row.values["explanation"] = "\n".join(before + more)
        if row.values.get("kind", "").strip():
            continue
        if "cloze" in notetype:
            row.values["kind"] = "cloze"
        elif "reverse" in notetype and (
                not optional or (len(fields) > 2 and fields[2].strip())):
            row.values["reverse"] = "true"


# A card imported from Anki goes back with its note's own fields in the field columns
# (Anki reads the columns after guid as the note's fields, in order: a note type of more
# than two fields gets "Field 3"... columns); these last columns hold the card's text as
# quizapp has it, for quizapp to read back exactly.
ORIGIN_COLUMNS = ("quizapp question", "quizapp answer")


def export_columns(extra_fields: int = 0, origin: bool = False) -> tuple[str, ...]:
    """Our export's columns, with ``extra_fields`` field columns after Back, and the
    quizapp text columns when some cards go back as their Anki notes (``origin``)."""
    more = tuple(f"Field {n}" for n in range(3, 3 + extra_fields))
    columns = EXPORT_COLUMNS[:4] + more + EXPORT_COLUMNS[4:]
    return columns + ORIGIN_COLUMNS if origin else columns


def exact_layout(names: list[str]) -> int | None:
    """For a ``#columns`` header our export wrote (an older one too), where the quizapp
    text columns start (0: it has none); None for any other header."""
    names = [n.strip() for n in names]
    origin = tuple(names[-2:]) == ORIGIN_COLUMNS
    extra = len(names) - len(EXPORT_COLUMNS) - (2 if origin else 0)
    if extra < 0 or tuple(names) != export_columns(extra, origin):
        return None
    return len(names) - 2 if origin else 0


# Anki's own note types, by name, with their number of fields: every collection has them
# (unless renamed), so a note of one goes back as that note, its fields as they were.
STOCK = {"Basic": 2, "Basic (and reversed card)": 2, "Basic (optional reversed card)": 3,
         "Basic (type in the answer)": 2, "Cloze": 2}


def _stock(origins, note) -> str | None:
    """The name of ``note``'s note type when it is one of Anki's own (``STOCK``)."""
    if isinstance(note.notetype, str):
        name, count = note.notetype, len(note.fields)
    else:
        notetype = origins.notetypes[note.notetype]
        name, count = notetype.name, len(notetype.fields)
    return name if name in STOCK and count <= STOCK[name] else None


def write_anki_text(deck: Deck, *, media_folder: Path | None = None,
                    warnings: list[str] | None = None) -> str:
    """A text file Anki imports as Basic, Basic (and reversed card) and Cloze notes, each
    with a guid derived from the card id (a card whose text changed updates its note),
    HTML-escaped so card text shows literally, and neutralised so no cell starts a
    spreadsheet formula or an Anki header. The columns after Tags and the ``#quizapp``
    headers bring the deck back into quizapp unchanged.

    A card imported from Anki whose note type is one of Anki's own (``STOCK``) goes back as
    its note (``origin``): its guid, its note type's name and its fields, so that Anki
    updates that note; a card of another note type goes as a quizapp note with its
    note's guid (a warning says so: Anki's text import cannot make a note type, and a
    collection without it would import nothing). Pictures and sounds are named as
    Anki names them (``<img src="flag.png">``, ``[sound:hi.mp3]``) when the deck's media
    folder has the file; Anki's text import does not copy files (a warning says where
    they are)."""
    from quizapp.interop.apkg import media_names, note_guid
    from quizapp.interop.origin import Origins

    warnings = warnings if warnings is not None else []
    media = media_names(media_folder)
    used: set[str] = set()
    origins = Origins(deck)
    notes = deck.deck.anki.notes if deck.deck.anki is not None else []
    stock = [n for n in notes if _stock(origins, n) is not None]
    extra = max([STOCK[_stock(origins, n)] - 2 for n in stock] + [0])
    columns = export_columns(extra, bool(origins.by_card))
    out = io.StringIO()
    out.write("#separator:tab\n#html:true\n")
    out.write(f"#notetype column:{columns.index('notetype') + 1}\n")
    out.write(f"#guid column:{columns.index('guid') + 1}\n")
    title = "".join(ch if ch.isprintable() else " " for ch in deck.deck.title)
    out.write(f"#deck:{title}\n")
    info = deck.deck
    out.write(f"#quizapp id:{info.id}\n")
    for header, name in DECK_HEADERS.items():
        value = getattr(info, name)
        if name == "tags":
            value = " ".join(value)
        if value and name != "id":
            out.write(f"#{header}:{text_to_html(value)}\n")
    out.write("#columns:" + "\t".join(columns) + "\n")
    out.write(f"#tags column:{columns.index('Tags') + 1}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    width = 2 + extra
    done: set[int] = set()
    custom: set[str] = set()
    for index, card in enumerate(deck.cards):
        cells = card_cells(card, f"{deck.id}: cards[{index}]")
        html = {key: text_to_html(value) for key, value in cells.items()}
        note = origins.note_of(card)
        mine: list[str] = []
        guid = None
        if note is not None:
            first = id(note) not in done
            done.add(id(note))
            name = _stock(origins, note)
            if name is not None:
                found = origins.note_out(note, media, used, warnings) if first else None
                mine = [html["question"], html["answer"]]
                # A further card of a note that went out with its first card: a row with
                # no note and an empty first field, which Anki skips and quizapp reads.
                notetype, guid, fields = (name, found.guid, found.fields) if found else ("", "", [])
            else:
                # A note type Anki's text import cannot make (it names a note type the
                # collection must have): the card goes as a quizapp note, with the note's
                # guid, so the collection it came from does not take it for a new note.
                custom.add(note.notetype if isinstance(note.notetype, str)
                           else origins.notetypes[note.notetype].name)
                mine = [html["question"], html["answer"]]
                if first:
                    guid, note = note.guid, None
                else:  # its further cards: rows Anki skips, as above
                    notetype, guid, fields = "", "", []
        if note is None:
            kind = "cloze" if card.kind == "cloze" else "reverse" if card.reverse else "flip"
            notetype, guid = NOTETYPES[kind], guid or note_guid(deck.id, card.id)
            question = (cloze_html(card.question, media, used) if card.kind == "cloze"
                        else media_html(card.question, media, used))
            back = card.explanation if card.kind == "cloze" else cells["answer"]
            fields = [question, media_html(back, media, used)]
        fields = (fields + [""] * width)[:width]
        row = [notetype, guid, *fields, html["tags"], html["id"], html["kind"],
               html["distractors"], html["accept"], html["explanation"], html["section"],
               html["reverse"]]
        if origins.by_card:
            row += mine or ["", ""]
        writer.writerow(row)
    if custom:
        warnings.append(f"{deck.id}: notes of note type(s) {', '.join(sorted(custom))} go as "
                        "Basic/Cloze notes with their own guids (Anki's text import cannot "
                        "make a note type; the collection they came from reports them as "
                        "conflicting): export an .apkg to update them in Anki")
    if used and media_folder is not None:
        warnings.append(f"{deck.id}: its cards show {len(used)} picture or sound file(s) from "
                        f"{media_folder}; Anki's text import does not copy files: put them in "
                        "your Anki profile's collection.media folder")
    return out.getvalue()
