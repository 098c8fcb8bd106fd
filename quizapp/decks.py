"""Find, load, validate and write decks.

A deck is a TOML file described by ``models.Deck``. Every problem with a deck file is
reported as one line that names the file, the line where it can be found and the field,
for example ``decks/x.toml:12: cards[3].answr: unknown field``. Card indexes count from 0,
in the order of the ``[[cards]]`` tables.

Before a file is parsed it is checked cheaply: its size (at most ``MAX_DECK_BYTES``, read
from the file system before anything is read), its encoding (UTF-8 without a byte order
mark) and how deeply its arrays and tables nest (at most ``MAX_NESTING``), so that no file
can exhaust memory or the parser's recursion.

Deck files are only ever written to ``deck_path(folder, deck_id)``, which refuses an id
that could name a file outside ``folder``.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import marshal
import re
import struct
import sys
import time
import unicodedata
import weakref
import zlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import astuple, dataclass, field
from functools import cached_property
from operator import attrgetter
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import TypeAdapter, ValidationError

from quizapp import errors, tomlio
from quizapp.deckindex import (
    CacheFolder,
    CacheHead,
    DeckSummary,
    Glimpse,  # noqa: F401  (part of the decks API, as is survey)
    Origin,
    code_stamp,
    deck_files,
    glance,  # noqa: F401
    identity,
    settled,
    survey,  # noqa: F401
)
from quizapp.fsutil import atomic_write_bytes, atomic_write_text, link_target, write_new_text
from quizapp.models import CARD_DEFAULTS, CARD_FIELDS, DECK_FORMAT, EMPTY, Card, Deck, DeckInfo
from quizapp.models import AnkiSource, SharedLists
from quizapp.paths import Locations


# 100,000 cards with realistic text (a question of about 100 characters, an answer, three
# distractors or an order list, an explanation, tags: ``python -m quizapp.bench``) make a
# 37 MB deck; the limit leaves room for longer texts and still refuses a file that could
# exhaust memory. Readers and writers check the same limit.
MAX_DECK_BYTES = 64 * 1024 * 1024
MAX_NESTING = tomlio.MAX_NESTING
# A big deck is parsed about this many bytes at a time (``tomlio.toml_pieces``),
# so that a screen waiting on the loading thread is not frozen for the whole parse.
PIECE_BYTES = 1024 * 1024
DECK_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
DECK_ID_MAX = 80


DeckError = errors.DeckError  # part of the decks API: ``problems`` holds one line each


format_loc = tomlio.format_loc


def _problem(path: Path | str, line: int | None, where: str, message: str) -> str:
    return tomlio.problem(path, line, where, message)


# --------------------------------------------------------------------------- deck ids


def deck_id_problem(deck_id: object) -> str | None:
    """Why ``deck_id`` cannot be a deck id (it becomes a file name), or None if it can."""
    if not isinstance(deck_id, str):
        return "a deck id must be a string"
    if not deck_id:
        return "a deck id must not be empty"
    if "\x00" in deck_id:
        return "a deck id must not contain a NUL character"
    if deck_id.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", deck_id):
        return f"a deck id must not be an absolute path (got {deck_id!r})"
    if ".." in deck_id:
        return f"a deck id must not contain '..' (got {deck_id!r})"
    if "/" in deck_id or "\\" in deck_id:
        return f"a deck id must not contain '/' or '\\' (got {deck_id!r})"
    if len(deck_id) > DECK_ID_MAX:
        return f"a deck id may be at most {DECK_ID_MAX} characters long"
    if not DECK_ID_PATTERN.match(deck_id):
        return (
            "a deck id may only use letters, digits, '-' and '_', "
            f"and must start with a letter or digit (got {deck_id!r})"
        )
    return None


def slugify(text: str, max_length: int = 60) -> str:
    """A lowercase ASCII slug of ``text`` (``"Capitals of Europe!"`` -> ``capitals-of-europe``);
    empty when nothing of ``text`` survives (for example text in another script)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def deck_id_for(title: str, fallback: str) -> str:
    """A deck id for a deck called ``title``: its slug, as decks always got (a deck made
    before keeps its id for ``--update``); for a title a slug keeps nothing of (another
    script: "Русский"), ``fallback`` and a hash of the title, so that two such decks get
    two ids (as cards and Anki decks do), and the same title the same id again. A title
    whose slug keeps only part of it ("漢字 N5" -> n5) may meet another deck's id: the
    import then says that deck's title, not only "--update"."""
    slug = slugify(title)
    if slug:
        return slug
    return f"{fallback}-{hashlib.sha1(title.encode('utf-8')).hexdigest()[:10]}"


def deck_path(folder: Path, deck_id: str) -> Path:
    """The file a deck with ``deck_id`` is written to inside ``folder``.

    Raises ``DeckError`` for an id that is not a safe file name, and checks that the path
    really is inside ``folder`` (so no id can make a write escape it). The file itself is
    not resolved: a deck of the person's own that is a symlink there (to a deck kept in a
    git repository) is updated through its link; a new deck never replaces anything."""
    reason = deck_id_problem(deck_id)
    if reason:
        raise DeckError([f"{folder}: deck.id: {reason}"])
    base = Path(folder).resolve()
    path = base / f"{deck_id}.toml"
    if path.parent != base or path.name != f"{deck_id}.toml":
        raise DeckError([f"{folder}: deck.id: {deck_id!r} would be written outside the folder"])
    return path


# --------------------------------------------------------------------------- reading


def read_deck_text(path: Path | str) -> str:
    """The text of a deck file, after the cheap checks (see ``tomlio``): a regular file,
    at most ``MAX_DECK_BYTES`` read, UTF-8 without a byte order mark."""
    return decode_deck_bytes(read_deck_bytes(path), path)


def read_deck_bytes(path: Path | str) -> bytes:
    """The bytes of a deck file: a regular file, at most ``MAX_DECK_BYTES`` read."""
    try:
        return tomlio.read_bytes(path, MAX_DECK_BYTES, "a deck")
    except FileNotFoundError as exc:
        raise DeckError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    except tomlio.FileProblem as exc:
        raise DeckError([str(exc)]) from None


def deck_size_problem(size: int, path: Path | str) -> str | None:
    """Why a deck of ``size`` bytes cannot be used, or None. Readers and writers share it,
    so quizapp never writes a deck that it would then refuse to read."""
    if size > MAX_DECK_BYTES:
        return (f"{path}: file is {size:,} bytes; a deck may be at most "
                f"{tomlio.size_text(MAX_DECK_BYTES)}")
    return None


def decode_deck_bytes(raw: bytes, path: Path | str) -> str:
    try:
        return tomlio.decode_text(raw, path)
    except tomlio.FileProblem as exc:
        raise DeckError([str(exc)]) from None


# --------------------------------------------------------------------------- layout


@dataclass
class _Layout:
    """Where the table headers of a TOML text are (``tomlio.scan``), and its lines."""

    lines: list[str]
    headers: list[tomlio.Header]

    @cached_property
    def card_headers(self) -> list[int]:
        """Indexes into ``headers`` of the ``[[cards]]`` tables, in order."""
        return [i for i, h in enumerate(self.headers) if h.array and h.name == "cards"]


def _scan(text: str) -> _Layout:
    """The layout of deck text, to place an error on its line."""
    return _Layout(text.split("\n"), tomlio.scan(text).headers)


def _key_line(layout: _Layout, first: int, last: int, key: str) -> int | None:
    """The 1-based line of ``key = ...`` between lines ``first`` and ``last`` (inclusive)."""
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*[=.]")
    for number in range(first, min(last, len(layout.lines)) + 1):
        if pattern.match(layout.lines[number - 1]):
            return number
    return None


def _block_end(layout: _Layout, header_index: int) -> int:
    following = layout.headers[header_index + 1:header_index + 2]
    return following[0].line - 1 if following else len(layout.lines)


def line_of(layout: _Layout, loc: Sequence[Any]) -> int | None:
    """The line a field of the deck is on: the key's line inside its table, else the
    table's header line, else None."""
    if not loc:
        return None
    top = loc[0]
    if top == "cards" and len(loc) > 1 and isinstance(loc[1], int):
        arrays = layout.card_headers
        if loc[1] >= len(arrays):
            return None
        index = arrays[loc[1]]
        header = layout.headers[index]
        if len(loc) > 2 and isinstance(loc[2], str):
            found = _key_line(layout, header.line + 1, _block_end(layout, index), loc[2])
            if found:
                return found
        return header.line
    if isinstance(top, str):
        tables = [i for i, h in enumerate(layout.headers) if not h.array and h.name == top]
        if tables:
            index = tables[0]
            header = layout.headers[index]
            if len(loc) > 1 and isinstance(loc[1], str):
                found = _key_line(layout, header.line + 1, _block_end(layout, index), loc[1])
                if found:
                    return found
            return header.line
        first_header = layout.headers[0].line - 1 if layout.headers else len(layout.lines)
        found = _key_line(layout, 1, first_header, top)
        if found:
            return found
        if top == "cards":
            arrays = [h for h in layout.headers if h.array and h.name == "cards"]
            return arrays[0].line if arrays else None
    return None


# --------------------------------------------------------------------------- validation

# pydantic names the branch of a union in the error location; a person does not need it.
_ANSWER_TYPE = "must be a string (a list of strings for an order card)"
_UNION_TAGS = {"str", "list[str]", "function-after[_not_blank(), str]",
               "list[function-after[_not_blank(), str]]"}


def validation_problems(
    path: Path | str,
    error: ValidationError,
    text: str | None = None,
    *,
    line_for: Callable[[Sequence[Any]], int | None] | None = None,
    skip_duplicate_ids: bool = False,
) -> list[str]:
    """One line per pydantic error: ``path:line: field: message``.

    The line is found in ``text`` (the deck's TOML) when given, or by ``line_for(loc)``
    (an importer maps a card to its source row); without either, it is left out."""
    if line_for is None and text is not None:
        layout = _scan(text)
        line_for = lambda loc: line_of(layout, loc)  # noqa: E731
    lines: list[str] = []
    seen: set[tuple[str, str]] = set()
    for item in error.errors():
        loc = [p for p in item["loc"] if not (isinstance(p, str) and p in _UNION_TAGS)]
        message = tomlio.plain_message(item)
        # A model-level check names its field first ("answer: ..."): move it into the path.
        head, sep, rest = message.partition(": ")
        if sep and head.isidentifier() and item["type"] == "value_error":
            loc, message = [*loc, head], rest
        if skip_duplicate_ids and loc == ["cards"] and message.startswith("duplicate card id"):
            continue
        message = _friendlier(item, loc, message)
        where = format_loc(loc) or "(top level)"
        if (where, message) in seen:
            continue
        # A union field (a card's answer) fails in each of its branches: once one branch
        # said what is wrong ("must not be empty"), the other's "must be a list" is noise.
        if message == _ANSWER_TYPE and any(w == where for w, _ in seen):
            continue
        seen.add((where, message))
        line = line_for(loc) if line_for else None
        lines.append(_problem(path, line, where, message))
    return lines


def _friendlier(item: dict[str, Any], loc: list[Any], message: str) -> str:
    kind = item["type"]
    field_name = loc[-1] if loc else ""
    if kind == "literal_error" and field_name == "kind":
        return f"unknown kind {item.get('input')!r} (use choice, text, flip, order or cloze)"
    if kind == "string_pattern_mismatch" and loc == ["deck", "id"]:
        return deck_id_problem(item.get("input")) or message
    if kind == "string_pattern_mismatch" and field_name == "id":
        return ("a card id may only use letters, digits and - _ . : and must start with a "
                f"letter or digit (got {item.get('input')!r})")
    if kind in ("string_type", "list_type") and field_name == "answer":
        return _ANSWER_TYPE
    return message


def _raw_problems(data: dict[str, Any], path: Path | str,
                  line_for: Callable[[Sequence[Any]], int | None]) -> list[str]:
    """Checks made on the parsed TOML before pydantic, for clearer messages."""
    problems: list[str] = []
    cards = data.get("cards")
    if isinstance(cards, list):
        first: dict[str, int] = {}
        for index, card_id in enumerate(map(_card_id, cards)):
            if card_id is None:
                continue
            if card_id in first:
                loc = ("cards", index, "id")
                problems.append(_problem(path, line_for(loc), format_loc(loc),
                                         f"duplicate card id {card_id!r} "
                                         f"(already used by cards[{first[card_id]}])"))
            else:
                first[card_id] = index
    return problems


# The SHA-256 of the text each deck in memory was read from: id(deck) -> (a weak reference
# to it, the digest). ``deckedit`` trusts a splice without reading the whole deck back only
# over a file that still holds exactly that text.
_READ_FROM: dict[int, tuple[weakref.ref[Deck], str]] = {}


def digest_of_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _mark(deck: Deck, digest: str) -> Deck:
    key = id(deck)
    _READ_FROM[key] = (weakref.ref(deck, lambda _gone: _READ_FROM.pop(key, None)), digest)
    return deck


def read_from(deck: Deck) -> str | None:
    """The SHA-256 of the text ``deck`` was read from (``parse_deck``, the deck cache),
    or None for a deck made by a program."""
    found = _READ_FROM.get(id(deck))
    return found[1] if found is not None and found[0]() is deck else None


def parse_deck(text: str, path: Path | str, *, digest: str | None = None) -> Deck:
    """Parse and validate deck text; raise ``DeckError`` naming ``path``, each field and
    its line.

    The text is parsed once (``tomlio.parse_toml``, with its guards; a big deck a piece at
    a time, ``_deck_in_pieces``). The scan that finds the line of a table or key runs only
    when there is a problem to place, over the piece that holds it when the deck was read
    in pieces, and the nesting of the data is measured only when the deck is not valid (a
    valid deck nests 4 levels at most), so a good deck costs the parser and the model, no
    more, and a big deck with one mistake about as much. The deck remembers the SHA-256
    of ``text`` (``read_from``): ``digest``, when the caller has it already."""
    if text.startswith("\ufeff"):
        raise DeckError([f"{path}:1: file starts with a byte order mark (BOM); "
                         "save it as UTF-8 without a BOM"])
    size = len(text) if text.isascii() else len(text.encode("utf-8"))
    too_big = deck_size_problem(size, path)
    if too_big:
        raise DeckError([too_big])
    found = _deck_in_pieces(text)
    if isinstance(found, Deck):
        return _mark(_shared(found), digest or digest_of_text(text))
    if found is not None:  # read in pieces, and something is wrong: found from the pieces
        data, place = found
    else:
        try:
            data = tomlio.parse_toml(text, path, MAX_NESTING, check_depth=False)
        except tomlio.TooDeep as exc:  # (the text was scanned for it once, before this)
            raise DeckError([_deep_problem(path, exc.line)]) from None
        except tomlio.FileProblem as exc:
            raise DeckError([str(exc)]) from None
        place = _Whole(text)
    return _mark(_shared(_checked(data, path, place)), digest or digest_of_text(text))


def _checked(data: dict[str, Any], path: Path | str, place: _Whole | _Pieces) -> Deck:
    """The deck of ``data`` (a deck's parsed TOML), or ``DeckError`` with every problem
    of it, each placed on its line by ``place`` (the deck's text).

    ``data`` is checked once by the model; only when something is wrong is its nesting
    measured and the text scanned to place each problem. The cards of ``data`` may be
    ``Card``s already (the pieces of a big deck that were good): the model takes them as
    they are, so the verdict is the one the whole text's tables would get."""
    invalid: ValidationError | None = None  # the model's verdict, placed below
    if not _has_duplicate_ids(data):
        try:
            with tomlio.gc_paused():
                deck = Deck.model_validate(data)
        except ValidationError as exc:
            invalid = exc
        else:
            version = data.get("format")
            if type(version) is int and version <= DECK_FORMAT:  # present, and not "1"/true
                return deck
    # Something is wrong: find what, and where. Every level the scan counts is a level of
    # the data, so the text is scanned for a line too deep only when the data is too deep.
    if tomlio.data_depth(data, MAX_NESTING) > MAX_NESTING:
        line = place.too_deep()
        if line is not None:
            raise DeckError([_deep_problem(path, line)])
        raise DeckError([f"{path}: tables nest more than {MAX_NESTING} levels deep; "
                         "a deck never needs that"])
    line_for = place.line_for
    if "format" not in data:
        raise DeckError([_problem(path, 1, "format", "required field is missing (a deck starts "
                                  f"with format = {DECK_FORMAT})")])
    version = data["format"]
    if not isinstance(version, int) or isinstance(version, bool):
        raise DeckError([_problem(path, line_for(["format"]), "format",
                                  f"must be a whole number (format = {DECK_FORMAT}), "
                                  f"not {version!r}")])
    if version > DECK_FORMAT:
        raise DeckError([_problem(path, line_for(["format"]), "format",
                                  f"deck format {version} is newer than this quizapp reads "
                                  f"(format {DECK_FORMAT}); update quizapp to use this deck")])
    raw = _raw_problems(data, path, line_for)
    try:
        if invalid is not None:
            raise invalid  # checked once already: not again
        deck = Deck.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(path, exc, line_for=line_for,
                                       skip_duplicate_ids=bool(raw))
        raise DeckError(raw + problems) from None
    if raw:
        raise DeckError(raw)
    return deck


class _Whole:
    """Places problems in a deck's text read whole: one scan of it, when first needed."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _scanned(self) -> tomlio.Scan:
        return tomlio.scan(self.text, MAX_NESTING)

    def too_deep(self) -> int | None:
        return self._scanned.too_deep

    def line_for(self, loc: Sequence[Any]) -> int | None:
        return line_of(self._layout, loc)

    @cached_property
    def _layout(self) -> _Layout:
        return _Layout(self.text.split("\n"), self._scanned.headers)


class _Pieces:
    """Places problems in a big deck's text read in pieces (``_deck_in_pieces``): a
    problem of a card is found on its line by a scan of the piece that holds the card
    alone (a megabyte), not of the whole text (seconds at 100,000 cards); one of the top
    table, by a scan of the first piece, which holds it all (``tomlio.toml_pieces``)."""

    def __init__(self, text: str, offsets: list[int], firsts: list[int],
                 failed: list[int]) -> None:
        self.text = text
        self.offsets = offsets  # where each piece starts in the text
        self.firsts = firsts  # the index of each piece's first card
        self.failed = failed  # the pieces whose cards are tables still (not good cards)
        self._pieces: dict[int, tuple[tomlio.Scan, _Layout, int]] = {}

    def _piece(self, k: int) -> tuple[tomlio.Scan, _Layout, int]:
        """Piece ``k``'s scan, its layout, and how many lines come before it."""
        found = self._pieces.get(k)
        if found is None:
            start = self.offsets[k]
            end = self.offsets[k + 1] if k + 1 < len(self.offsets) else len(self.text)
            piece = self.text[start:end]
            scanned = tomlio.scan(piece, MAX_NESTING)
            found = (scanned, _Layout(piece.split("\n"), scanned.headers),
                     self.text.count("\n", 0, start))
            self._pieces[k] = found
        return found

    def too_deep(self) -> int | None:
        # Only the top table and cards still as tables can nest deeply (a good card nests
        # two levels), so only their pieces are scanned, in the order of the text.
        for k in sorted({0, *self.failed}):
            scanned, _layout, before = self._piece(k)
            if scanned.too_deep is not None:
                return before + scanned.too_deep
        return None

    def line_for(self, loc: Sequence[Any]) -> int | None:
        if len(loc) > 1 and loc[0] == "cards" and isinstance(loc[1], int) and loc[1] >= 0:
            k = bisect.bisect_right(self.firsts, loc[1]) - 1
            _scanned, layout, before = self._piece(k)
            line = line_of(layout, ["cards", loc[1] - self.firsts[k], *loc[2:]])
            return None if line is None else before + line
        return line_of(self._piece(0)[1], loc)


@functools.cache
def _cards_check() -> Callable[[Any], list[Card]]:
    """Checks a list of ``[[cards]]`` tables as a deck's ``cards`` field does."""
    return TypeAdapter(list[Card]).validate_python


def _deck_in_pieces(text: str) -> Deck | tuple[dict[str, Any], _Pieces] | None:
    """A big deck read a piece at a time (``tomlio.toml_pieces``), each piece's cards
    checked and made before the next piece is parsed, so that only one piece's dict tree
    is alive at a time (the whole tree of a 100,000-card deck took about 350 MB, twice the
    cards it makes). None when the text is to be read whole: a small deck, or a text the
    pieces do not read as the whole would.

    A deck with a problem is read to its end all the same: the pieces whose cards are
    good keep them as cards, the others as tables, and the deck's data and where its
    pieces are (``_Pieces``) are returned for ``_checked`` to find every problem and its
    line, as for the whole text (a 100,000-card deck with one typo took ten times as
    long as a good one when it was parsed and scanned whole again)."""
    check = _cards_check()
    with tomlio.gc_paused():
        pieces = tomlio.toml_pieces(text, "cards", PIECE_BYTES)
        first = next(pieces)
        if first is None:
            return None
        head = first[1]
        cards: list[Any] = []
        offsets: list[int] = []
        firsts: list[int] = []
        failed: list[int] = []
        piece: tuple[int, Any] | None = first[0], head["cards"]
        while piece is not None:
            offset, items = piece
            offsets.append(offset)
            firsts.append(len(cards))
            try:
                cards.extend(check(items))
            except ValidationError:
                failed.append(len(offsets) - 1)
                cards.extend(items)  # as tables: ``_checked`` says what is wrong with them
            del items, piece
            piece = next(pieces, _END)
            if piece is _END:
                break
            if piece is None:
                return None
        head["cards"] = cards
        if not failed:
            version = head.get("format")
            try:
                deck = Deck.model_validate(head)
            except ValidationError:
                pass
            else:
                if type(version) is int and version <= DECK_FORMAT:  # as _checked demands
                    return deck
    return head, _Pieces(text, offsets, firsts, failed)


_END = (-1, None)  # the end of a deck's pieces


def _shared(deck: Deck) -> Deck:
    """The deck just parsed, its cards sharing their equal lists (``Card.share``)."""
    shared = SharedLists()
    for card in deck.cards:
        card.share(shared)
    return deck


def _deep_problem(path: Path | str, line: int | None) -> str:
    return _problem(path, line, "", f"arrays or tables nest more than {MAX_NESTING} "
                    "levels deep; a deck never needs that")


def _card_id(card: object) -> str | None:
    """The id of a card of a deck's data: a good card's, or a table's when it is text."""
    if type(card) is Card:
        return card.id
    found = card.get("id") if isinstance(card, dict) else None
    return found if isinstance(found, str) else None


def _has_duplicate_ids(data: dict[str, Any]) -> bool:
    cards = data.get("cards")
    if not isinstance(cards, list):
        return False
    ids = [i for i in map(_card_id, cards) if i is not None]
    return len(set(ids)) != len(ids)


def load_deck(path: Path) -> Deck:
    """Read, check and validate one deck file (raises ``DeckError``)."""
    return parse_deck(read_deck_text(path), path)


# The decks discover() has parsed, keyed by file; reused while the file's identity
# (device, inode, size, mtime, ctime) is unchanged. An atomic write makes a new inode, so
# a deck written by write_deck is always read again.
_CACHE: dict[Path, _Loaded] = {}
# The deck quizapp itself last wrote to each file (``remember``): resolved path ->
# (SHA-256 of the text written, the deck it reads as).
_WRITTEN: dict[Path, tuple[str, Deck]] = {}
# Deck cache entries found damaged since the last ``discover`` (see ``Catalog.notices``).
_NOTICES: list[str] = []


def remember(path: Path, text: str, deck: Deck) -> None:
    """After ``text``, which reads as ``deck``, was written to ``path``: the next load of
    that file in this run finds the deck without parsing it (and puts it in the deck cache
    for the next run). The file is still read and its SHA-256 compared, so a change made
    by anyone else since is seen."""
    digest = digest_of_text(text)
    _WRITTEN[Path(path).resolve()] = (digest, _mark(deck, digest))


def keep_written(path: Path, text: str, deck: Deck, written_from: int) -> None:
    """After quizapp wrote ``text``, which ``parse_deck`` read as ``deck``, to ``path``
    (the write began at ``written_from``, a ``time.time_ns()``): the next load finds the
    deck without parsing it, in this run (``remember``) and the next (the deck cache),
    so a 100,000-card import is not parsed again by the first start after it. The file
    is still hashed when loaded, until a load finds it settled, so a change made by
    anyone else meanwhile is seen."""
    remember(path, text, deck)
    key = Path(path).resolve()
    try:
        stamp = identity(key.stat())
    except OSError:
        return
    DeckCache().put(key, _WRITTEN[key][0], deck, stamp=stamp, read_at=written_from)


def load_deck_cached(path: Path) -> Deck:
    """``load_deck``, remembering the result until the file changes: in memory, and for
    a good deck also on disk, in the user cache folder (see ``DeckCache``), so the next
    run does not parse it again.

    A file whose identity (device, inode, size, mtime, ctime) is the one recorded, and
    whose mtime and ctime were already ``SETTLED_NS`` old when it was read, is not read
    again (any change since would have set its ctime to a later time); any other file is
    read and its SHA-256 compared, so a hand edit is always seen.

    The returned ``Deck`` is shared with later calls: treat it as read-only, and
    ``model_copy(deep=True)`` it before changing it."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise DeckError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    key = path.resolve()
    stamp = identity(st)
    hit = _CACHE.get(key)
    if hit is not None and hit.stamp == stamp and settled(stamp, hit.read_at):
        result = hit.result
    else:
        disk = DeckCache()
        read_at = time.time_ns()
        result = None
        digest = None
        if hit is None:
            head = disk.head(key)
            if head is not None and head.stamp == stamp and settled(stamp, head.read_at):
                result, digest, read_at = disk.load(head, path), head.digest, head.read_at
        if result is None:
            try:
                raw = read_deck_bytes(path)
            except DeckError as exc:  # (not kept: nothing was read)
                result = exc
            else:
                digest = hashlib.sha256(raw).hexdigest()
                written = _WRITTEN.pop(key, None)
                from_entry = False  # the deck is the disk entry's own cards
                if hit is not None and hit.digest == digest:
                    result = hit.result  # touched, copied back: the same text
                elif written is not None and written[0] == digest:
                    result = written[1]
                else:
                    result = disk.get(key, digest, path)
                    from_entry = result is not None
                if result is None:
                    try:
                        text = decode_deck_bytes(raw, path)
                        raw = b""  # only the text is kept while the cards are made
                        result = parse_deck(text, path, digest=digest)
                    except DeckError as exc:
                        result = exc
                    text = ""
                if not disk.holds(key, digest, stamp, read_at):
                    if isinstance(result, DeckError):  # its verdict, for the next run
                        disk.put_problems(key, digest, path, result.problems, stamp=stamp,
                                          read_at=read_at)
                    else:
                        keep = disk.restamp if from_entry else disk.put
                        keep(key, digest, result, stamp=stamp, read_at=read_at)
        if isinstance(result, Deck) and digest is not None:
            _mark(result, digest)
        _CACHE[key] = _Loaded(stamp, read_at, digest, result)
        _NOTICES.extend(disk.damaged)
    if isinstance(result, DeckError):
        raise DeckError(list(result.problems))
    return result


@dataclass(frozen=True)
class _Loaded:
    stamp: tuple[int, ...]
    read_at: int  # time.time_ns() just before the file was read
    digest: str | None
    result: Deck | DeckError


# The columns of a cache chunk that hold lists (see ``DeckCache._chunk``).
_LIST_COLUMNS = tuple(CARD_FIELDS.index(name) for name in ("distractors", "accept", "tags"))


def summary_of(deck: Deck) -> DeckSummary:
    """What the deck cache's index keeps of ``deck`` for home."""
    info = deck.deck
    return DeckSummary(info.id, info.title, info.description, len(deck.cards), len(deck.asked))


class DeckCache(CacheFolder):
    """Parsed, validated decks in the user cache folder (``paths.cache_dir()/decks``).

    Never the truth and safe to delete: an entry is used only for the same file (its
    resolved path) with the same bytes (their SHA-256), or the same settled identity (see
    ``load_deck_cached``), and a deck model of this very quizapp; anything else, a damaged
    entry included, is a miss and the deck file is parsed again. Writes are atomic and
    their failures only cost time.

    An entry is a head (``CacheHead``) and the cards in chunks of ``CHUNK`` cards, each a
    ``marshal`` of plain columns (ids, kinds, questions...) with its CRC-32: loading needs
    no validation and no pickle, makes each card once (``Card.trusted``) and never holds
    more than one chunk's columns besides the cards. Only files owned by this user and
    writable by no one else are read; the folder is made private (0700)."""

    CHUNK = 4096

    def get(self, key: Path, digest: str, path: Path | str | None = None) -> Deck | DeckError | None:
        """The verdict cached for the file ``key`` whose bytes have SHA-256 ``digest``: its
        deck, or its problems (naming the file ``path``, ``key`` if not given)."""
        head = self.head(key)
        if head is None or head.digest != digest:
            return None
        return self.load(head, path)

    def load(self, head: CacheHead, path: Path | str | None = None) -> Deck | DeckError | None:
        """The verdict of an entry: its deck (None when its cards are damaged), or the
        problems of its file (naming it ``path``, the entry's own file if not given)."""
        if head.summary is None:
            return DeckError(head.problems_of(head.key if path is None else path))
        handle = self._open(head.path, head.key)
        if handle is None:
            return None
        cards: list[Card] = []
        make = Card.trusted
        shared = SharedLists()
        with handle, tomlio.gc_paused():
            try:
                handle.seek(head.offset)
                for length, crc in head.chunks:
                    raw = handle.read(length)
                    if len(raw) != length or zlib.crc32(raw) != crc:
                        self._damaged(head.key, "its deck cache entry was damaged")
                        return None
                    columns = list(marshal.loads(raw))
                    del raw
                    columns[0] = map(sys.intern, columns[0])
                    columns[1] = map(sys.intern, columns[1])
                    columns[8] = map(sys.intern, columns[8])
                    columns[4] = [d or EMPTY for d in columns[4]]
                    columns[5] = [a or EMPTY for a in columns[5]]
                    columns[7] = map(shared.tags, columns[7])
                    cards.extend(map(make, *columns))
                    del columns
            except (OSError, ValueError, EOFError, TypeError):
                self._damaged(head.key, "its deck cache entry was damaged")
                return None
        if len(cards) != head.summary.cards:
            self._damaged(head.key, "its deck cache entry was damaged")
            return None
        version, deck_id, title, description, source, tags, anki = head.info
        if anki is not None:  # where an imported deck's cards came from in Anki
            anki = AnkiSource.model_validate(anki)
        info = DeckInfo.model_construct(id=deck_id, title=title, description=description,
                                        source=source, tags=list(tags), anki=anki)
        return Deck.model_construct(format=version, deck=info, cards=cards)

    def holds(self, key: Path, digest: str, stamp: Sequence[int], read_at: int) -> bool:
        """The entry for the file ``key`` is already as ``put`` would make it now: the same
        bytes and identity, and no more settled with ``read_at`` than it is (and nothing
        of it was found damaged)."""
        head = None if self.damaged else self.head(key)
        return (head is not None and head.digest == digest and head.stamp == tuple(stamp)
                and settled(stamp, head.read_at) == settled(stamp, read_at))

    def put_problems(self, key: Path, digest: str, path: Path | str, problems: Sequence[str],
                     *, stamp: Sequence[int], read_at: int) -> None:
        """Keep the problems of the file ``key`` (read as ``path``) whose bytes have SHA-256
        ``digest``: the next run says them without reading the file again, as long as
        its identity is ``stamp`` (a hand edit changes it). Lines that do not start with
        the file's name are not kept (nothing is, then)."""
        name = str(path)
        if not problems or not all(line.startswith(name) for line in problems):
            return
        try:
            self._write(key, (self.FORMAT, code_stamp(), str(key), digest, tuple(stamp),
                              read_at, (), None, (),
                              tuple(line[len(name):] for line in problems)), [])
        except (OSError, ValueError):
            pass  # no cache: the next run reads the file again

    def put(self, key: Path, digest: str, deck: Deck, *, stamp: Sequence[int] = (),
            read_at: int = 0) -> None:
        """Keep ``deck`` as the deck of the file ``key`` whose bytes have SHA-256
        ``digest`` (``stamp``: the file's identity when it was read at ``read_at``)."""
        try:
            chunks = [self._chunk(deck.cards[i:i + self.CHUNK])
                      for i in range(0, len(deck.cards), self.CHUNK)]
            info = deck.deck
            self._write(key, (
                self.FORMAT, code_stamp(), str(key), digest, tuple(stamp), read_at,
                (deck.format, info.id, info.title, info.description, info.source,
                 list(info.tags), None if info.anki is None else info.anki.model_dump()),
                tuple(astuple(summary_of(deck))),
                tuple((len(c), zlib.crc32(c)) for c in chunks), ()), chunks)
        except (OSError, ValueError):
            pass  # no cache: the next run parses the deck again

    def restamp(self, key: Path, digest: str, deck: Deck, *, stamp: Sequence[int],
                read_at: int) -> None:
        """``put``, for a deck just loaded from this very entry (the file's bytes are the
        same, its identity or ``read_at`` are not): the entry's cards are copied as they
        are, checked against their CRCs, instead of being made again (a second at 100,000
        cards, paid by the first start after every save)."""
        head = None if self.damaged else self.head(key)
        if head is not None and head.summary is None:
            head = None  # (an entry of problems: the deck is made anew)
        handle = self._open(head.path, head.key) if head is not None else None
        if head is None or handle is None or head.digest != digest:
            self.put(key, digest, deck, stamp=stamp, read_at=read_at)
            return
        with handle:
            try:
                handle.seek(head.offset)
                chunks = [handle.read(length) for length, _crc in head.chunks]
            except OSError:
                chunks = []
        if len(chunks) != len(head.chunks) or any(
                zlib.crc32(chunk) != crc for chunk, (_length, crc) in zip(chunks, head.chunks)):
            self.put(key, digest, deck, stamp=stamp, read_at=read_at)
            return
        try:
            self._write(key, (self.FORMAT, code_stamp(), head.key, digest, tuple(stamp), read_at,
                              head.info, tuple(astuple(head.summary)), head.chunks, ()), chunks)
        except (OSError, ValueError):
            pass

    def _write(self, key: Path, fields: tuple[object, ...], chunks: list[bytes]) -> None:
        head = marshal.dumps(fields)
        data = b"".join([self.MAGIC, struct.pack("<I", len(head)), head, *chunks])
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write_bytes(self.entry_path(key), data, mode=0o600)

    @staticmethod
    def _chunk(cards: list[Card]) -> bytes:
        # One column per field, made by C loops; lists go as plain lists (a FrozenList is
        # not marshalled) and loading shares them again, and interns kinds and sections.
        columns = [tuple(map(attrgetter(name), cards)) for name in CARD_FIELDS]
        for index in _LIST_COLUMNS:
            columns[index] = tuple(map(list, columns[index]))
        return marshal.dumps(tuple(columns))

    def clear(self) -> None:
        """Delete every entry (the next load of each deck parses it)."""
        for pattern in ("*.deck", "*.pickle"):  # .pickle: entries of older quizapps
            for entry in self.folder.glob(pattern):
                entry.unlink(missing_ok=True)


def validate_file(path: Path | str) -> list[str]:
    """Every problem of one deck file, as lines (empty when the file is a valid deck)."""
    try:
        load_deck(Path(path))
    except DeckError as exc:
        return exc.problems
    return []


# --------------------------------------------------------------------------- writing


def dump_deck(deck: Deck) -> str:
    """Deterministic TOML text for a deck: the same deck always gives the same bytes,
    byte for byte what ``tomli_w.dumps`` writes for the deck's data (``deck_data``).

    Each card's table is written straight from the card (as ``tomli_w`` would write its
    ``model_dump``) by the snapshot's fast writer (``store.tomlwriter``): a 100,000-card
    deck took seconds through ``tomli_w`` and pydantic's serializer."""
    from quizapp.store import tomlwriter

    cards = deck.cards
    if not cards or all(_fits_inline(card) for card in cards):
        return tomli_w.dumps(deck_data(deck), multiline_strings=False)  # cards = [{...}]
    info = deck.deck.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    tables = tomlwriter.Rendered("\n".join(map(_card_table, cards)))
    return tomlwriter.dumps({"format": deck.format, "deck": info, "cards": tables})


def deck_data(deck: Deck) -> dict[str, Any]:
    """The deck as the data of its TOML file (what ``dump_deck`` writes)."""
    data = deck.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    return {"format": deck.format, **data}


def _fits_inline(card: Card) -> bool:
    """``tomli_w``'s rule: an array of tables that each fit on a line of their own is
    written inline (``cards = [{ ... }, ...]``), not as ``[[cards]]`` tables."""
    from quizapp.store import tomlwriter

    line = tomlwriter.INDENT + tomlwriter.inline_table(
        card.model_dump(exclude_none=True, exclude_defaults=True)) + ","
    return len(line) <= tomlwriter.MAX_LINE_LENGTH and "\n" not in line


def _card_table(card: Card) -> str:
    """A card's ``[[cards]]`` table: its fields in order, those left at their default
    (or None) left out, as ``Card.model_dump(exclude_none=True, exclude_defaults=True)``."""
    from quizapp.store.tomlwriter import literal

    out = ["[[cards]]\n"]
    for name, value in zip(CARD_FIELDS, card.values()):
        if value is None or (name in CARD_DEFAULTS and value == CARD_DEFAULTS[name]):
            continue
        out.append(f"{name} = {literal(value)}\n")
    return "".join(out)


def write_new_file(path: Path, text: str) -> None:
    """Create a deck file with ``text`` atomically; never replaces an existing file
    (``FileExistsError``). Refuses (``DeckError``) text over the size a deck may have, so
    nothing is written that the reader would refuse."""
    too_big = deck_size_problem(len(text.encode("utf-8")), path)
    if too_big:
        raise DeckError([f"{too_big}; nothing was written"])
    write_new_text(path, text)


def write_deck(deck: Deck, path: Path) -> None:
    """Write a deck atomically (temp file, fsync, rename). The text is parsed back first,
    with the reader's own checks (size included), so a deck that would not load (say,
    duplicate ids appended after validation, or more text than a deck may hold) is never
    written."""
    text = dump_deck(deck)
    parse_deck(text, path)
    atomic_write_text(link_target(path), text)  # (a symlinked deck stays one)


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class DeckEntry:
    deck: Deck
    path: Path
    origin: Origin

    @property
    def id(self) -> str:
        return self.deck.id

    @property
    def read_only(self) -> bool:
        return self.origin == "bundled"


@dataclass
class Catalog:
    """Every deck found, plus one line per file that could not be used or was shadowed.

    ``shadowed`` pairs each skipped file with the file whose deck kept the id."""

    entries: list[DeckEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    shadowed: list[tuple[Path, Path]] = field(default_factory=list)
    # Worth telling but harmless: a damaged deck cache entry (it cost only time).
    notices: list[str] = field(default_factory=list)

    def get(self, deck_id: str) -> DeckEntry | None:
        return next((e for e in self.entries if e.id == deck_id), None)


def discover(locations: Locations, *, leave: Collection[Path] = ()) -> Catalog:
    """Load every deck in the deck folders (bundled, user, then extra). The first deck
    with an id wins; later ones with the same id are reported, never silently shadowed.
    Parsed decks are cached per file until it changes, so calling this again is cheap.
    The files in ``leave`` are left out (a start reads big new files after the others)."""
    files, problems = deck_files(locations)
    catalog = Catalog(problems=problems)
    seen: dict[str, DeckEntry] = {}
    for path, origin in files:
        if path in leave:
            continue
        try:
            deck = load_deck_cached(path)
        except DeckError as exc:
            catalog.problems.extend(exc.problems)
            continue
        if deck.id in seen:
            kept = seen[deck.id]
            catalog.problems.append(
                f"{path}: deck.id: {deck.id!r} is already used by {kept.path} "
                f"({kept.origin}); this deck is skipped until one of them gets another id"
            )
            catalog.shadowed.append((path, kept.path))
            continue
        entry = DeckEntry(deck, path, origin)
        seen[deck.id] = entry
        catalog.entries.append(entry)
    catalog.notices.extend(dict.fromkeys(_NOTICES))
    _NOTICES.clear()
    return catalog
