"""Change a deck file the way a person would: only the cards that changed.

A hand-written deck has comments, blank lines, an order of keys and a way of quoting that
are the person's own. ``edit_deck_text(text, old, new)`` returns the text of the file once
it holds ``new`` instead of ``old``, and everything outside the changed cards is left
byte for byte as it was:

- a changed card's ``[[cards]]`` table is rewritten with ``tomlkit``, which keeps the
  comments and layout inside that table for the keys that did not change;
- a removed card's table goes (with the comment lines right above its header);
- an added card's table is appended at the end of the file.

Only the changed tables go through ``tomlkit`` (a pure-Python parser that takes about a
second per thousand cards), so a change in a deck of 100,000 cards costs a scan of the
text, not a round trip of the whole file. What changed is always read back: when the file
still holds exactly the text ``old`` was read from (the same SHA-256, see
``decks.read_from``), each rewritten or added table is parsed back on its own and must
read as its card, and each table it replaces must read as the old card on its own (which
also tells that the splice starts and ends at table headers); otherwise the whole
spliced text is parsed back and compared with ``new``. Whenever the splice cannot be
trusted (the cards are not ``[[cards]]`` tables, the deck's own header changed, the order
of cards changed) the whole deck is written afresh by ``decks.dump_deck``, as before.

Nothing is written from a stale copy: every card the change touches must still read, in
the file, as it does in ``old``, and a whole deck is written afresh only over a file that
still holds exactly ``old``. Otherwise (someone saved the file since it was read) a
``DeckError`` says so and nothing is written, so no earlier save is ever undone.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from typing import Any

import tomli
import tomli_w
import tomlkit

from quizapp import decks, tomlio
from quizapp.decks import DeckError, dump_deck, parse_deck
from quizapp.models import Card, Deck

# A table header alone on its line: ``[deck]``, ``[[cards]]`` (spaces and a comment allowed).
_HEADER_LINE = re.compile(r"^[ \t]*\[\[?[ \t]*([A-Za-z0-9_.\-\"' \t]+?)[ \t]*\]\]?[ \t]*(?:#.*)?$",
                          re.MULTILINE)
_CARDS = re.compile(r"[ \t]*\[\[[ \t]*(?:cards|\"cards\"|'cards')[ \t]*\]\]")


def card_data(card: Card) -> dict[str, Any]:
    """A card as the deck file holds it (what ``dump_deck`` writes for it)."""
    return card.model_dump(mode="python", exclude_none=True, exclude_defaults=True)


def edit_deck_text(text: str, old: Deck, new: Deck, path: str = "deck") -> str:
    """The text of a deck file that held ``old`` as ``text``, changed to hold ``new``
    (see the module doc). Raises ``DeckError`` when ``new`` is not a deck that loads."""
    if decks.read_from(old) == decks.digest_of_text(text):
        # The file holds exactly the text ``old`` was read from: only what the splice
        # touches needs reading back (a 100,000-card deck is not parsed again).
        for scanned in (False, True):
            spliced = _splice(text, old, new, scanned=scanned, quick=True)
            if spliced is not None:
                _check_whole(spliced, new, path)
                return spliced
    for scanned in (False, True):
        try:
            spliced = _splice(text, old, new, scanned=scanned)
        except _ChangedOnDisk as changed:
            raise _changed_on_disk(path, changed.card_id) from None
        if spliced is None:
            continue
        try:
            if parse_deck(spliced, path) == new:
                return spliced
        except DeckError:
            pass
    # The whole deck is written afresh only over a file that still holds exactly ``old``:
    # a deck read before someone else's save must never overwrite that save.
    try:
        on_disk = parse_deck(text, path)
    except DeckError:
        on_disk = None
    if on_disk != old:
        raise _changed_on_disk(path, None)
    fresh = dump_deck(new)
    parse_deck(fresh, path)
    return fresh


def _check_whole(text: str, new: Deck, path: str) -> None:
    """What a spliced deck needs besides its rewritten tables reading back: every card
    id once (cloze and reverse ids included), and no more text than a deck may hold."""
    too_big = decks.deck_size_problem(len(text.encode("utf-8")), path)
    if too_big:
        raise DeckError([f"{too_big}; nothing was written"])
    try:
        Deck.check_unique_ids(new.cards)
    except ValueError as exc:
        raise DeckError([f"{path}: cards: {exc}; nothing was written"]) from None


class _ChangedOnDisk(Exception):
    """A card that is to change no longer reads, in the file, as the deck we started from."""

    def __init__(self, card_id: str) -> None:
        super().__init__(card_id)
        self.card_id = card_id


def _changed_on_disk(path: str, card_id: str | None) -> DeckError:
    what = f"card {card_id!r}" if card_id else "the deck"
    return DeckError([f"{path}: {what} changed in the file since it was read; nothing was "
                      "written (reload the deck, then make the change again)"])


def _holds(table_text: str, card: Card) -> bool:
    """Whether one ``[[cards]]`` table of the file reads as ``card`` (and nothing else:
    this also tells that the table's text starts and ends at table headers)."""
    try:
        data = tomli.loads(table_text if table_text.endswith("\n") else table_text + "\n")
        [card_data] = data.pop("cards")
        return not data and Card.model_validate(card_data) == card
    except (tomli.TOMLDecodeError, KeyError, TypeError, ValueError):
        return False


# --------------------------------------------------------------------------- splicing


def _splice(text: str, old: Deck, new: Deck, *, scanned: bool, quick: bool = False) -> str | None:
    """The spliced text, or None when a splice cannot show the change. ``scanned`` finds
    the tables with the full scanner (which knows strings and comments) instead of the
    quick line match. ``quick`` (for a text known to hold ``old``): each rewritten or
    added table is read back on its own, and a table that does not read as its card
    means the quick match was fooled (None), not that the file changed."""
    if (old.format, old.deck) != (new.format, new.deck):
        return None
    old_ids = [c.id for c in old.cards]
    new_by_id = {c.id: c for c in new.cards}
    kept = [i for i in old_ids if i in new_by_id]
    known = set(old_ids)
    added = [c for c in new.cards if c.id not in known]
    if [c.id for c in new.cards] != kept + [c.id for c in added]:
        return None  # cards moved: not a change a splice can show faithfully
    spans = _card_spans(text, len(old.cards), scanned=scanned)
    if spans is None:
        return None
    out: list[str] = []
    pos = 0
    for index, card in enumerate(old.cards):
        replacement = new_by_id.get(card.id)
        if replacement is card or replacement == card:
            continue
        start, body, end = spans(index)
        if not _holds(text[body:end], card):
            if quick:
                return None
            raise _ChangedOnDisk(card.id)
        if replacement is None:  # removed, with the comments right above it
            out.append(text[pos:start])
            pos = _blank_lines_after(text, end)
            continue
        out.append(text[pos:body])
        table = _rewrite_table(text[body:end], card_data(replacement))
        if quick and not _holds(table, replacement):
            return None
        out.append(table)
        pos = end
    out.append(text[pos:])
    result = "".join(out)
    for card in added:
        if result and not result.endswith("\n"):
            result += "\n"
        table = "[[cards]]\n" + tomli_w.dumps(card_data(card), multiline_strings=False)
        if quick and not _holds(table, card):
            return None
        result += "\n" + table
    return result


def _card_spans(
    text: str, count: int, *, scanned: bool
) -> Callable[[int], tuple[int, int, int]] | None:
    """Where the ``[[cards]]`` table number ``i`` is: ``spans(i)`` gives (start of the
    comment lines right above its header, start of its header, end of its last line of
    content), worked out only for the tables asked about. None unless there are exactly
    ``count`` card tables."""
    if scanned:
        headers, cards = _scanned_headers(text)
    else:  # a header-like line inside a multi-line string fools this; the parse-back tells
        headers, cards = _header_lines(text)
    if len(cards) != count:
        return None

    def spans(index: int) -> tuple[int, int, int]:
        start = cards[index]
        at = bisect.bisect_right(headers, start)
        following = headers[at] if at < len(headers) else len(text)
        return _comments_above(text, start), start, _content_end(text, start, following)

    return spans


def _header_lines(text: str) -> tuple[list[int], list[int]]:
    """Where the lines that look like table headers start, and those of ``[[cards]]``,
    found fast: only lines that start with ``[`` are looked at (a header indented by
    spaces is missed, so the tables do not add up or a table does not read back alone,
    and the caller takes the full scanner)."""
    headers: list[int] = []
    cards: list[int] = []
    for start in _bracket_lines(text):
        m = _HEADER_LINE.match(text, start)
        if m is not None:
            headers.append(start)
            if _CARDS.match(m.group()):
                cards.append(start)
    return headers, cards


def _bracket_lines(text: str) -> Iterator[int]:
    """Where each line that starts with ``[`` starts."""
    if text.startswith("["):
        yield 0
    found = text.find("\n[")
    while found >= 0:
        yield found + 1
        found = text.find("\n[", found + 1)


def _scanned_headers(text: str) -> tuple[list[int], list[int]]:
    headers = tomlio.scan(text).headers
    return [h.offset for h in headers], [h.offset for h in headers if h.array and h.name == "cards"]


def _content_end(text: str, start: int, limit: int) -> int:
    """The end (after its newline) of the last line between ``start`` and ``limit`` that
    is not blank or a comment: what follows belongs to the next table."""
    lines = text[start:limit].split("\n")
    end = start
    pos = start
    for line in lines:
        pos_next = pos + len(line) + 1
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            end = min(pos_next, len(text))
        pos = pos_next
    return end


def _blank_lines_after(text: str, pos: int) -> int:
    """Past the blank lines that start at ``pos``."""
    while pos < len(text):
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end + 1
        if text[pos:line_end].strip():
            break
        pos = line_end
    return pos


def _comments_above(text: str, start: int) -> int:
    """Where the comment lines right above ``start`` (no blank line between) begin."""
    pos = start
    while pos > 0:
        line_start = text.rfind("\n", 0, pos - 1) + 1
        if not text[line_start:pos].strip().startswith("#"):
            break
        pos = line_start
    return pos


def _rewrite_table(table_text: str, data: dict[str, Any]) -> str:
    """One ``[[cards]]`` table with its keys set to ``data``: unchanged keys keep their
    text and comments, changed ones are rewritten, missing ones go, new ones are added."""
    document = tomlkit.parse(table_text if table_text.endswith("\n") else table_text + "\n")
    table = document["cards"][0]
    for key in [k for k in table if k not in data]:
        del table[key]
    for key, value in data.items():
        if key not in table or _plain(table[key]) != value:
            table[key] = value
    rendered = tomlkit.dumps(document)
    return rendered if table_text.endswith("\n") else rendered.rstrip("\n")


def _plain(value: Any) -> Any:
    return value.unwrap() if hasattr(value, "unwrap") else value
