"""The tally kept on disk (``<cache folder>/stats/<name>.tally``): every sum ``tally.Tally``
keeps, and what each card counted for, so the numbers can be brought up to date with
answers written since (another window, a plain ``quizapp play``) by reading only the
journal's new entries: neither the decks nor the score file are read, and only the cards
those answers touch are counted again (``Workspace.advanced_summary``).

It is never the truth and is safe to delete. It is used only while the decks (their
SHA-256, from the deck cache's index), the settings that change counts and the local time
zone are as they were (``state_key``), and only from the very snapshot it was counted
from (stat identity) and the journal it had read up to a byte (``ScoreStore.events_since``);
anything else (a compaction, a hand edit, a broken or foreign file) means counting again.

Layout: a first line with the version, a second with the head's length and CRC-32, the
head (marshal), then the cards' chunks. The head holds the sums of each deck (those of
``tally._Deck``, without its cards) and, per deck, where its chunks are and their CRC-32.
A deck's cards (its asked cards and its records) are spread over chunks by a hash of the
card id, about ``CHUNK`` to a chunk, so a card is found by decoding one chunk; a chunk is
checked against its CRC when first decoded. Each card's row: (its place among the asked
cards, or -1 for a record of a card the deck does not ask; its question family; its
question; its record, times as microseconds since 1970). Only the cards ranked first
among the most missed are kept ranked (``Tally.worst_limit``).
"""

from __future__ import annotations

import gc
import io
import marshal
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, BinaryIO

from quizapp import stats
from quizapp.store.cache import session_of, session_row
from quizapp.store.records import Memory, Record
from quizapp.summaryfile import CountingSettings, summary_key, summary_path
from quizapp.tally import Tally, Unknown, _Deck

VERSION = 2  # 2: flip and order cards count in their kind's family
CHUNK = 1000
# The chunks of a tally bigger than this wait in a temporary file to be copied behind the
# head (which names where each one is), not in memory.
SPOOL_BYTES = 4 << 20
_MAGIC = b"quizapp tally state %d\n" % VERSION
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_COUNTS = ("new_cards", "learning", "mastered", "suspended", "leeches", "missed", "never",
           "due_always")


def state_path(scores_path: Path) -> Path:
    """Where the tally of the score file ``scores_path`` is kept (beside its summary)."""
    return summary_path(scores_path).with_suffix(".tally")


def state_key(decks: list[tuple[str, str, str, str]] | None,
              settings: CountingSettings) -> tuple[Any, ...] | None:
    """What the kept tally depends on besides the scores (None when it cannot be known)."""
    return summary_key(("tally", VERSION), decks, settings)


# --------------------------------------------------------------------------- records


def _us(moment: datetime | None) -> int | None:
    return None if moment is None else (moment - _EPOCH) // _US


def _at(us: int | None) -> datetime | None:
    return None if us is None else _EPOCH + timedelta(microseconds=us)


def _row(rec: Any, epoch: datetime = _EPOCH, us: timedelta = _US) -> tuple[Any, ...] | None:
    if rec is None:
        return None
    mem = rec.fsrs
    first, last = rec.first_answered, rec.last_answered
    if mem is None:
        memory = None
    else:
        due, review = mem.due, mem.last_review
        memory = (mem.state, mem.step, mem.stability, mem.difficulty,
                  None if due is None else (due - epoch) // us,
                  None if review is None else (review - epoch) // us)
    return (rec.seen, rec.right, rec.wrong, rec.streak,
            None if first is None else (first - epoch) // us,
            None if last is None else (last - epoch) // us,
            rec.last_result, rec.last_answer, rec.suspended, memory)


def _record(row: tuple[Any, ...]) -> Record:
    (seen, right, wrong, streak, first, last, result, answer, suspended, mem) = row
    rec = Record.__new__(Record)
    rec.seen, rec.right, rec.wrong, rec.streak = seen, right, wrong, streak
    rec.first_answered, rec.last_answered = _at(first), _at(last)
    rec.last_result, rec.last_answer, rec.suspended = result, answer, suspended
    rec.anki_review = None  # (which Anki reviews the counts hold is the score file's to say)
    if mem is None:
        rec.fsrs = None
    else:
        memory = rec.fsrs = Memory.__new__(Memory)
        memory.state, memory.step, memory.stability, memory.difficulty, due, review = mem
        memory.due, memory.last_review = _at(due), _at(review)
    return rec


class _Facts:
    """What the numbers need of an asked card: its id, family (as its one tag) and
    question (``stats.family_of`` and the most-missed list read them)."""

    __slots__ = ("id", "question", "tags", "kind")

    def __init__(self, card_id: str, family: str, question: str) -> None:
        self.id, self.question = card_id, question
        self.tags = () if family == stats.OTHER else (family,)
        self.kind = ""  # (the family is the tag: a kind is never needed to tell it)


def _bucket(card_id: str, buckets: int) -> int:
    return zlib.crc32(card_id.encode("utf-8", "surrogatepass")) % buckets


class KeptCards:
    """A deck's cards and records, read from the kept tally chunk by chunk as they are
    asked for; it stands for ``_Deck.counted`` (card id -> record) too."""

    def __init__(self, chunks: list[tuple[Any, int]]) -> None:
        self._chunks = chunks  # (bytes or a view of them, crc32), one per bucket
        self._open: dict[int, dict[str, list[Any]]] = {}  # bucket -> card id -> row

    def _rows(self, card_id: str) -> dict[str, list[Any]]:
        b = _bucket(card_id, len(self._chunks))
        rows = self._open.get(b)
        if rows is None:
            rows = self._open[b] = self._decode(b)
        return rows

    def _decode(self, b: int) -> dict[str, list[Any]]:
        data, crc = self._chunks[b]
        if zlib.crc32(data) != crc:
            raise Unknown("a chunk changed on disk")
        try:
            ids, rows = marshal.loads(data)
            return {card_id: list(row) for card_id, row in zip(ids, rows, strict=True)}
        except (ValueError, TypeError, EOFError) as exc:
            raise Unknown(f"a chunk does not read back ({exc})") from None

    def position(self, card_id: str) -> int | None:
        row = self._rows(card_id).get(card_id)
        return None if row is None or row[0] < 0 else row[0]

    def card(self, card_id: str) -> _Facts:
        row = self._rows(card_id)[card_id]
        return _Facts(card_id, row[1], row[2])

    def get(self, card_id: str, default: Any = None) -> Any:
        row = self._rows(card_id).get(card_id)
        if row is None or row[3] is None:
            return default
        if type(row[3]) is tuple:
            row[3] = _record(row[3])
        return row[3]

    def __getitem__(self, card_id: str) -> Any:
        rec = self.get(card_id)
        if rec is None:
            raise KeyError(card_id)
        return rec

    def __setitem__(self, card_id: str, rec: Any) -> None:
        rows = self._rows(card_id)
        row = rows.get(card_id)
        if row is None:
            rows[card_id] = [-1, None, None, rec]
        else:
            row[3] = rec

    def pop(self, card_id: str, default: Any = None) -> Any:
        rows = self._rows(card_id)
        row = rows.get(card_id)
        if row is None or row[3] is None:
            return default
        rec = self.get(card_id)
        if row[0] < 0:
            del rows[card_id]
        else:
            row[3] = None
        return rec

    def values(self) -> list[Any]:
        """Every record (every chunk decoded: only when a deck's latest answer was taken
        back, rare)."""
        for b in range(len(self._chunks)):
            if b not in self._open:
                self._open[b] = self._decode(b)
        return [self.get(card_id) for rows in self._open.values() for card_id, row in rows.items()
                if row[3] is not None]

    def chunks(self) -> list[tuple[bytes, int]]:
        """The chunks as they are now: those never opened as they were read."""
        out = []
        for b, kept in enumerate(self._chunks):
            rows = self._open.get(b)
            if rows is None:
                out.append(kept)
            else:
                out.append(_chunk(list(rows), [(r[0], r[1], r[2], _row(r[3]) if type(r[3]) is not tuple else r[3])
                                               for r in rows.values()]))
        return out


class _KeptDeck(_Deck):
    """A deck's sums read back; its cards come from ``KeptCards`` (``counted``)."""

    def position(self, card_id: str) -> int | None:
        return self.counted.position(card_id)

    def card_at(self, card_id: str, n: int) -> Any:
        return self.counted.card(card_id)


def _chunk(ids: list[str], rows: list[tuple[Any, ...]]) -> tuple[bytes, int]:
    data = marshal.dumps((ids, rows))
    return data, zlib.crc32(data)


def _deck_chunks(deck: _Deck) -> Iterator[tuple[bytes, int]]:
    """A deck's card chunks, each made when the one before is written."""
    if isinstance(deck.counted, KeptCards):
        yield from deck.counted.chunks()
        return
    counted, asked, family, row = deck.counted, deck.cards_asked, stats.family_of, _row
    others = [card_id for card_id in counted if deck.position(card_id) is None]
    count = max(1, -(-(len(asked) + len(others)) // CHUNK))
    crc = zlib.crc32
    # Which chunk each card goes to first, then one chunk's rows at a time: the rows of
    # every card at once were ~100 MB at 100k cards, more than the whole tally.
    asked_in: list[list[int]] = [[] for _ in range(count)]
    for n, card in enumerate(asked):
        asked_in[crc(card.id.encode("utf-8", "surrogatepass")) % count].append(n)
    others_in: list[list[str]] = [[] for _ in range(count)]
    for card_id in others:
        others_in[crc(card_id.encode("utf-8", "surrogatepass")) % count].append(card_id)
    for positions, other_ids in zip(asked_in, others_in):
        ids: list[str] = []
        rows: list[tuple[Any, ...]] = []
        for n in positions:
            card = asked[n]
            ids.append(card.id)
            rows.append((n, family(card), card.question, row(counted.get(card.id))))
        for card_id in other_ids:
            ids.append(card_id)
            rows.append((-1, None, None, row(counted[card_id])))
        yield _chunk(ids, rows)


# --------------------------------------------------------------------------- writing


def _result(r: Any) -> tuple[Any, ...] | None:
    return None if r is None else (r.score, r.total, r.mode, _us(r.at), r.planned, r.finished)


def _unresult(t: Any) -> Any:
    return None if t is None else stats.SessionResult(t[0], t[1], t[2], _at(t[3]), t[4], t[5])


def _days(counter: dict[date, int]) -> dict[int, int]:
    return {day.toordinal(): n for day, n in counter.items()}


def _undays(plain: dict[int, int]) -> dict[date, int]:
    return {date.fromordinal(day): n for day, n in plain.items()}


def state_bytes(tally: Tally, key: tuple[Any, ...], position: tuple[Any, ...],
                sessions: list[Any] | bytes) -> bytes:
    """The kept tally's bytes: ``tally`` counted from the scores at ``position``
    (``ScoreStore.position``), whose sessions are ``sessions`` (or their chunk as kept)."""
    magic, head, rest = state_parts(tally, key, position, sessions)
    with rest:
        return magic + head + rest.read()


def state_parts(tally: Tally, key: tuple[Any, ...], position: tuple[Any, ...],
                sessions: list[Any] | bytes) -> tuple[bytes, bytes, BinaryIO]:
    """``state_bytes`` as its parts, for ``save_state`` to write one after another: the
    first line, the head, and the chunks in a temporary file (written as each is made,
    so that a 25 MB tally at 100k cards is never held whole)."""
    collecting = gc.isenabled()
    gc.disable()  # a row per card, none of them in a cycle
    try:
        return _state_parts(tally, key, position, sessions)
    finally:
        if collecting:
            gc.enable()


def _state_parts(tally: Tally, key: tuple[Any, ...], position: tuple[Any, ...],
                 sessions: list[Any] | bytes) -> tuple[bytes, bytes, BinaryIO]:
    blobs = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    offset = 0

    def place(data: bytes, crc: int) -> tuple[int, int, int]:
        nonlocal offset
        blobs.write(data)
        offset += len(data)
        return (offset - len(data), len(data), crc)

    if not isinstance(sessions, bytes):
        sessions = marshal.dumps([session_row(s) for s in sessions])
    sessions_at = place(sessions, zlib.crc32(sessions))
    decks = []
    for deck in tally.decks.values():
        chunks = [place(data, crc) for data, crc in _deck_chunks(deck)]
        decks.append((deck.deck_id, deck.title, deck.cards, sorted(deck.last_missed),
                      [getattr(deck, name) for name in _COUNTS],
                      {name: list(fam) for name, fam in deck.families.items()},
                      deck.due_times, _days(deck.introduced), _days(deck.answered_days),
                      _us(deck.latest), chunks))
    most = tally.most_missed()
    kept = {(cid, n) for _w, _d, n, cid in most}
    worst = {deck.deck_id: [(cid, w, n) for cid, (w, n) in deck.worst.items() if (cid, n) in kept]
             for deck in tally.decks.values()}
    limit = most[-1][:3] if len(most) == stats.MOST_MISSED else None
    numbers = {deck_id: ([_result(r) for r in results], _result(unfinished), _us(latest))
               for deck_id, (results, unfinished, latest) in tally.session_numbers.items()}
    head = marshal.dumps((repr(key), position, tally.order, limit, worst, sessions_at, numbers,
                          sorted(d.toordinal() for d in tally.session_days),
                          _days(tally.daily), decks))
    blobs.seek(0)
    return _MAGIC + b"%d %08x\n" % (len(head), zlib.crc32(head)), head, blobs


def save_state(path: Path, data: bytes | tuple[bytes, bytes, BinaryIO]) -> None:
    """Keep the tally's bytes (or ``state_parts``); a failure only costs time later. Not
    synced to disk: a file cut off by a crash fails its checks and is counted again."""
    parts = (data, b"", io.BytesIO()) if isinstance(data, bytes) else data
    with parts[2]:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(parts[0])
                    handle.write(parts[1])
                    shutil.copyfileobj(parts[2], handle)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass


# --------------------------------------------------------------------------- reading


class Kept:
    """A kept tally read back: the ``tally`` (its cards read as needed), the
    ``position`` of the scores it was counted from, their sessions (``sessions``) and the
    ``key`` it was kept for."""

    def __init__(self, tally: Tally, position: tuple[Any, ...], sessions: bytes,
                 key: tuple[Any, ...]) -> None:
        self.tally, self.position, self._sessions, self.key = tally, position, sessions, key

    def sessions(self) -> list[Any]:
        try:
            return [session_of(row) for row in marshal.loads(self._sessions)]
        except (ValueError, TypeError, EOFError) as exc:
            raise Unknown(f"the sessions do not read back ({exc})") from None

    def state_bytes(self, key: tuple[Any, ...], position: tuple[Any, ...]) -> bytes:
        """The bytes to keep for the tally as it is now, at ``position``."""
        magic, head, rest = self.state_parts(key, position)
        with rest:
            return magic + head + rest.read()

    def state_parts(self, key: tuple[Any, ...], position: tuple[Any, ...]
                    ) -> tuple[bytes, bytes, BinaryIO]:
        """``state_bytes`` as its parts (see ``state_parts``)."""
        tally = self.tally
        sessions = tally.sessions if tally.sessions is not None else self._sessions
        return state_parts(tally, key, position, sessions)


def load_state(path: Path, key: tuple[Any, ...] | None, settings: Any,
               tz: tzinfo | None = None) -> Kept | None:
    """The tally kept for exactly ``key``; None if there is none, it is for other inputs
    or it does not read back."""
    if key is None:
        return None
    collecting = gc.isenabled()
    gc.disable()  # (a collection over a big collection's records, for a few new objects)
    try:
        return _load_state(path, key, settings, tz)
    finally:
        if collecting:
            gc.enable()


def _load_state(path: Path, key: tuple[Any, ...], settings: Any,
                tz: tzinfo | None) -> Kept | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        if not raw.startswith(_MAGIC):
            return None
        line_end = raw.index(b"\n", len(_MAGIC))
        size, crc = raw[len(_MAGIC):line_end].split()
        start = line_end + 1
        head = raw[start:start + int(size)]
        if len(head) != int(size) or zlib.crc32(head) != int(crc, 16):
            return None
        (kept_key, position, order, limit, worst, sessions_at, numbers, session_days, daily,
         decks) = marshal.loads(head)
        if kept_key != repr(key):
            return None
        body = memoryview(raw)[start + int(size):]

        def blob(at: tuple[int, int, int]) -> tuple[Any, int]:
            where, length, crc = at
            data = body[where:where + length]  # (copied only when decoded)
            if len(data) != length:
                raise Unknown("cut off")
            return data, crc

        tally = Tally(settings, tz)
        tally.order = list(order)
        tally.worst_limit = None if limit is None else tuple(limit)
        for (deck_id, title, cards, last_missed, counts, families, due_times, introduced,
             answered_days, latest, chunks) in decks:
            deck = _KeptDeck(deck_id, title, cards)
            deck.counted = KeptCards([blob(at) for at in chunks])  # type: ignore[assignment]
            deck.last_missed = frozenset(last_missed)
            for name, value in zip(_COUNTS, counts, strict=True):
                setattr(deck, name, value)
            deck.families = {name: list(fam) for name, fam in families.items()}
            deck.due_times = list(due_times)
            deck.introduced = _undays(introduced)
            deck.answered_days = _undays(answered_days)
            deck.latest = _at(latest)
            deck.worst = {cid: (w, n) for cid, w, n in worst.get(deck_id, ())}
            tally.decks[deck_id] = deck
        tally.session_numbers = {
            deck_id: ([_unresult(r) for r in results], _unresult(unfinished), _at(latest))
            for deck_id, (results, unfinished, latest) in numbers.items()}
        tally.session_days = {date.fromordinal(d) for d in session_days}
        tally.daily = _undays(daily)
        sessions, crc = blob(sessions_at)
        if zlib.crc32(sessions) != crc:
            return None
        return Kept(tally, tuple(position), bytes(sessions), key)
    except (ValueError, TypeError, EOFError, IndexError, KeyError, Unknown):
        return None
