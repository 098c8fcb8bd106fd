"""``scores.toml.cache``: the snapshot again, in a form that loads fast. Never the truth.

Reading a 100,000-card snapshot as TOML takes seconds; this cache holds the same scores as
compact tuples (times as whole microseconds since 1970, UTC) written with ``marshal``, and
loads in a fraction of a second. It is used only while it was made from exactly the
snapshot's current bytes (their SHA-256 is in its first line), so a hand edit of
``scores.toml`` is always seen: the TOML is read instead, and that load makes the cache
again (so only the first load after an edit is slow). The first line also gives the
payload's length and CRC-32, so a cache cut off or changed on disk is noticed. A cache that
is broken, foreign or of another version only costs time (the caller warns once, reads the
TOML and makes the cache again); deleting it is always safe.

First line: ``quizapp scores cache 3 <snapshot sha256> <payload bytes> <crc32>``, then the
marshalled payload::

    (format, journal id | None, journal bytes, recovered keys,
     times: [microseconds since 1970, each distinct time once],
     sessions: [tuple of SessionRecord's fields],
     cards: [(deck id, [marshalled ([card ids], [record tuples]), one per CHUNK records])])

A record's times are indexes into ``times`` plus one (0 is "no time"), so equal times are
one object in memory too (an answer's time is usually its memory state's last review).
"""

from __future__ import annotations

import gc
import marshal
import re
import sys
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from quizapp.models import SCORES_FORMAT, ScoreFile, SessionRecord
from quizapp.store.files import Damaged
from quizapp.store.journal import Folded
from quizapp.store.records import Memory, Record

VERSION = 5  # 2 was the JSON cache (scores.toml.cache.json); 3 had no chunks; 4 no anki_review
# Records per marshalled chunk: only one chunk's tuples are in memory at once, and a
# thread reading the cache holds the GIL for one chunk at a time (a few ms at most,
# so a screen in another thread keeps drawing; 5,000 held it for 10-30 ms).
CHUNK = 1000
_MAGIC = b"quizapp scores cache %d " % VERSION
_HEAD = re.compile(rb"quizapp scores cache (\d+) ([0-9a-f]{64}) (\d{1,12}) ([0-9a-f]{8})\n")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_SESSION_FIELDS = tuple(SessionRecord.model_fields)
_SESSION_TIMES = frozenset({"start", "end"})


@dataclass
class Cached:
    scores: ScoreFile
    folded: Folded | None


# --------------------------------------------------------------------------- writing


def _us(moment: datetime | None) -> int | None:
    return None if moment is None else (moment - _EPOCH) // _US


class _Times:
    """Each distinct time once; a time's number is its index plus one (0: no time)."""

    def __init__(self) -> None:
        self.numbers: dict[datetime | None, int] = {None: 0}
        self.values: list[int] = []

    def number(self, moment: datetime) -> int:
        self.values.append(_us(moment))
        number = self.numbers[moment] = len(self.values)
        return number


def _rows(records: dict[str, Any], ids: list[str], times: _Times) -> list[tuple[Any, ...]]:
    numbers, new = times.numbers, times.number
    rows = []
    for card_id in ids:
        rec = records[card_id]
        first, last = rec.first_answered, rec.last_answered
        first_n = numbers.get(first)
        if first_n is None:
            first_n = new(first)
        last_n = numbers.get(last)
        if last_n is None:
            last_n = new(last)
        mem = rec.fsrs
        if mem is None:
            memory = None
        else:
            due, review = mem.due, mem.last_review
            due_n = numbers.get(due)
            if due_n is None:
                due_n = new(due)
            review_n = numbers.get(review)
            if review_n is None:
                review_n = new(review)
            memory = (mem.state, mem.step, mem.stability, mem.difficulty, due_n, review_n)
        rows.append((rec.seen, rec.right, rec.wrong, rec.streak, first_n, last_n,
                     rec.last_result, rec.last_answer, rec.suspended, rec.anki_review, memory))
    return rows


def _session_row(session: SessionRecord) -> tuple[Any, ...]:
    return tuple(_us(getattr(session, name)) if name in _SESSION_TIMES else getattr(session, name)
                 for name in _SESSION_FIELDS)


def encode(scores: ScoreFile, sha: str, folded: Folded | None) -> bytes:
    """The cache's bytes for ``scores``, read from the snapshot bytes with hash ``sha``.
    Raises ``ValueError`` for a value it cannot hold (the caller skips the cache)."""
    cards = []
    when = _Times()
    for deck_id, records in scores.cards.items():
        ids = list(records)
        chunks = [marshal.dumps((ids[i:i + CHUNK], _rows(records, ids[i:i + CHUNK], when)))
                  for i in range(0, len(ids), CHUNK)]
        cards.append((deck_id, chunks))
    payload = marshal.dumps((
        scores.format, folded.id if folded else None, folded.bytes if folded else 0,
        list(scores.recovered), when.values, [_session_row(s) for s in scores.sessions], cards))
    head = _MAGIC + b"%s %d %08x\n" % (sha.encode("ascii"), len(payload), zlib.crc32(payload))
    return head + payload


# --------------------------------------------------------------------------- reading


def decode(raw: bytes, sha: str) -> Cached | None:
    """The cached scores if ``raw`` was made from the snapshot bytes with hash ``sha``;
    None if it was made from other bytes (or holds a newer format: the TOML is read, and
    refused, instead). Raises ``Damaged`` for bytes that are not a whole cache of this
    version."""
    head = _HEAD.match(raw, 0, 200)
    if head is None or int(head[1]) != VERSION:
        raise Damaged("not a cache of this quizapp version")
    if head[2].decode("ascii") != sha:
        return None  # made from other snapshot bytes (a hand edit, an older snapshot)
    payload = memoryview(raw)[head.end():]
    if len(payload) != int(head[3]) or zlib.crc32(payload) != int(head[4], 16):
        raise Damaged("cut off or changed")
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of new objects, none of them in a cycle
    try:
        fmt, journal_id, journal_bytes, recovered, us, sessions, cards = marshal.loads(payload)
        if fmt > SCORES_FORMAT:
            return None
        times = [None, *(_EPOCH + timedelta(microseconds=u) for u in us)]
        scores = ScoreFile.model_construct(
            format=fmt, recovered=list(recovered),
            sessions=[_session(row) for row in sessions],
            cards={deck_id: _records(chunks, times) for deck_id, chunks in cards})
    except (ValueError, TypeError, EOFError, IndexError, OverflowError) as exc:
        raise Damaged(f"unreadable ({exc})") from None
    finally:
        if collecting:
            gc.enable()
    folded = None if journal_id is None else Folded(journal_id, journal_bytes)
    return Cached(scores, folded)


def _records(chunks: list[bytes], when: list[datetime | None]) -> dict[str, Record]:
    out: dict[str, Record] = {}
    for chunk in chunks:
        ids, rows = marshal.loads(chunk)
        _add_records(out, ids, rows, when)
    return out


def _add_records(out: dict[str, Record], ids: list[str], rows: list[tuple[Any, ...]],
                 when: list[datetime | None]) -> None:
    new_record, new_memory = Record.__new__, Memory.__new__
    intern = sys.intern  # card ids: the same strings as the deck's own (decks intern them)
    if len(ids) != len(rows):
        raise ValueError("card ids and records differ in number")
    for card_id, (seen, right, wrong, streak, first, last, result, answer, suspended,
                  anki_review, mem) in zip(ids, rows, strict=True):
        rec = new_record(Record)
        rec.seen, rec.right, rec.wrong, rec.streak = seen, right, wrong, streak
        rec.first_answered, rec.last_answered = when[first], when[last]
        rec.last_result, rec.last_answer, rec.suspended = result, answer, suspended
        rec.anki_review = anki_review
        if mem is None:
            rec.fsrs = None
        else:
            memory = rec.fsrs = new_memory(Memory)
            (memory.state, memory.step, memory.stability, memory.difficulty, due,
             review) = mem
            memory.due, memory.last_review = when[due], when[review]
        out[intern(card_id)] = rec


def session_row(session: SessionRecord) -> tuple[Any, ...]:
    """A session as the cache keeps it (plain values: ``marshal`` can write it)."""
    return _session_row(session)


def session_of(row: tuple[Any, ...]) -> SessionRecord:
    """The session ``session_row`` gave; raises ``ValueError`` for a row of another shape."""
    return _session(row)


def _session(row: tuple[Any, ...]) -> SessionRecord:
    if len(row) != len(_SESSION_FIELDS):
        raise ValueError("a session of another shape")
    data = {name: (None if value is None else _EPOCH + timedelta(microseconds=value))
            if name in _SESSION_TIMES else value
            for name, value in zip(_SESSION_FIELDS, row, strict=True)}
    if data.get("missed") is not None:
        data["missed"] = list(data["missed"])
    return SessionRecord.model_construct(**data)
