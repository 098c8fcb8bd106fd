"""The score file: a TOML snapshot plus an append-only journal, locked, cheap per answer.

Four files live side by side (``scores.toml`` stands for whatever path was chosen):

``scores.toml``
    The snapshot: a ``ScoreFile`` as human-readable TOML. Deck ids and card ids are
    sorted, sessions are in start order, datetimes are UTC, ``None`` fields are left out,
    so the same scores always give the same bytes and the file diffs and merges in git.
    It is only ever replaced whole (temp file in the same folder, fsync, ``os.replace``),
    so a kill at any instant leaves the old snapshot or the new one. Its ``[journal]``
    table says which journal (``id``) and how much of it (``bytes``) is already folded
    in (see "Compaction").

``scores.toml.journal``
    Answers since the last compaction. The first entry is a header ``journal = "<id>"``,
    then one ``[[events]]`` table per event, so the file is itself TOML. After every entry
    comes a comment line ``# end len=N crc32=X`` (the entry's length in bytes and
    checksum). Recording an answer appends its entries (the answer and the session's
    updated record) in one write and fsyncs the file: the cost does
    not grow with the number of cards, and once ``append`` returns the answer is on disk.
    ``append`` checks that the entry reads back before writing it (a bad entry would make
    every later load fail) and refuses datetimes without a timezone.

``scores.toml.lock``
    An empty file for ``fcntl.flock``, held by every append and by the short final step of
    a compaction, so two processes (two terminals) never interleave writes or lose an
    answer. Each operation opens the lock file anew, so two threads of one process (the
    UI appending while a worker compacts) exclude each other the same way. It is never
    deleted (deleting lock files reopens the race).

``scores.toml.cache.json``
    The snapshot again, as JSON, with the SHA-256 of the snapshot bytes it was made
    from. Python reads TOML slowly (about 10 s for 100k cards on a busy machine);
    pydantic reads this JSON several times faster. It is written at compaction and used
    only while the hash matches, so it is never the truth: a hand-edited snapshot is read
    as TOML, and a broken or missing cache only costs time.

A score file that is a symlink stays one: the store works on the link's target, and the
journal, lock and cache live next to the target.

Reading (``load``)
    Without the lock, and never writing (except to move a damaged file aside), so
    read-only commands such as ``quizapp stats`` change nothing. The journal is read
    before the snapshot; since a compaction writes the snapshot (saying how much of the
    journal it holds) before it removes or replaces the journal, the two reads agree
    whichever step of a concurrent compaction falls between them. An entry counts only
    when its end line is complete and its checksum matches. A process killed in the
    middle of an append leaves a partial entry that was never acknowledged to anyone; it
    is skipped, and the next append starts on a fresh line after it, so the entries
    before and after it are kept. Anything else that does not check out (a bad checksum,
    text that is not the start of an entry, an entry that is not TOML) means the journal
    is damaged: see "Bad files". Loading costs O(file size): load in a worker.

Compaction (``compact``)
    Read as above and fold, then write the TOML text, all without the lock (appends go on
    meanwhile). Then, under the lock: check that no other compaction replaced the files in
    between (if one did, start over, this time under the lock throughout); write the
    snapshot atomically with ``[journal] id = <the journal's id>, bytes = <where the last
    complete entry read ends>`` (not the file's length: another writer's entry may have
    been half written when it was read); then delete the journal or, if entries were
    completed after that point, replace it with a new journal holding just those (a dead
    writer's fragment is dropped there). If the process dies between writing the
    snapshot and replacing the journal, readers skip the entries that start within those
    bytes (they are in the snapshot) and fold only what came after, so no answer is
    counted twice or lost. Compaction also removes temp files a killed compaction left
    behind. It costs O(file size): callers run it when a session ends, off the UI thread
    (``maybe_compact`` does it only once the journal holds ``COMPACT_AFTER`` events).

Bad files (the score file is never truncated and never silently replaced)
    - A snapshot that is not UTF-8 or not TOML, or a damaged journal, is moved aside to a
      timestamped backup (``scores.toml.corrupt-20261128T101500Z``; ``-1``, ``-2``... are
      added rather than overwrite an existing backup: a hard link then unlink, or, where
      the file system has no hard links, a rename after checking the name is free, under
      the lock). The backup path is appended to ``ScoreStore.recovered`` and the caller
      tells the person (UI and command line print it). The store then starts from what
      is left (an empty snapshot, or the snapshot without the damaged journal).
    - A snapshot whose ``format`` is newer than this quizapp reads raises
      ``ScoreFileError`` and is not touched; so does a snapshot that is valid TOML but does
      not fit the schema (unknown key, wrong type, naive datetime), and a journal entry of
      an unknown kind (written by a newer quizapp): the message names the file and the
      field, because a person can fix such a file by hand, and moving it aside would hide
      data. A file that cannot be read at all (permissions) is reported the same way.
"""

from __future__ import annotations

import errno
import fcntl
import glob
import hashlib
import os
import re
import threading
import tomllib  # noqa: F401 - journal_entry reads its own output back
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from quizapp import tomlio
from quizapp.fsutil import atomic_write_bytes, fsync_dir
from quizapp.models import (
    SCORES_FORMAT,
    AnswerEvent,
    CardRecord,
    Event,
    RestoreEvent,
    ScoreFile,
    SessionEvent,
    SuspendEvent,
)

AnyEvent = AnswerEvent | RestoreEvent | SessionEvent | SuspendEvent

# The largest snapshot, journal or cache read (a year of daily study is a few MB).
MAX_SCORE_BYTES = 256 * 1024 * 1024

# ``maybe_compact`` folds the journal into the snapshot once it holds this many events.
COMPACT_AFTER = 500

_EVENT = TypeAdapter(Event)
# An entry's end line. The checksum has a fixed width and comes last, so a line cut short
# never matches; only its final line break may be missing (the entry is then complete).
_END = re.compile(rb"^# end len=(\d{1,9}) crc32=([0-9a-f]{8})(?:\n|\Z)", re.MULTILINE)
_ENTRY_STARTS = (b"[[events]]", b"journal = ")
_BLANK = b" \t\r\n\x00"
_EVENT_TAGS = {"answer", "restore", "session", "suspend"}
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS}
_HEADER_COMMENT = (
    "# quizapp score file. Written by quizapp: deck ids and card ids are sorted, sessions are\n"
    "# in start order, times are UTC. Answers not yet folded in are in the .journal file.\n"
)


class ScoreFileError(Exception):
    """The score file cannot be used as it is; one line naming the file (and field)."""


class _Damaged(Exception):
    """A file that is not readable TOML (or a journal that does not check out)."""


# --------------------------------------------------------------------------- folding


def fold(scores: ScoreFile, event: AnyEvent) -> ScoreFile:
    """Apply one journal event to ``scores`` (in place) and return it."""
    if isinstance(event, AnswerEvent):
        deck = scores.cards.setdefault(event.deck, {})
        old = deck.get(event.card) or CardRecord()
        right = event.result == "right"
        update: dict[str, Any] = {
            "seen": old.seen + 1,
            "right": old.right + (1 if right else 0),
            "wrong": old.wrong + (0 if right else 1),
            "streak": old.streak + 1 if right else 0,
            "last_answered": event.at,
            "last_result": event.result,
        }
        if old.seen == 0:
            update["first_answered"] = event.at
        if event.fsrs is not None:
            update["fsrs"] = event.fsrs
        deck[event.card] = old.model_copy(update=update)
    elif isinstance(event, RestoreEvent):
        if event.record is None:
            deck = scores.cards.get(event.deck)
            if deck is not None:
                deck.pop(event.card, None)
                if not deck:
                    del scores.cards[event.deck]
        else:
            scores.cards.setdefault(event.deck, {})[event.card] = event.record.model_copy()
    elif isinstance(event, SessionEvent):
        new = event.session
        for index in range(len(scores.sessions) - 1, -1, -1):  # usually the latest session
            old_session = scores.sessions[index]
            if old_session.id == new.id:
                scores.sessions[index] = new
                if old_session.start != new.start:
                    scores.sessions.sort(key=_session_order)
                break
        else:
            scores.sessions.append(new)
            if len(scores.sessions) > 1 and _session_order(scores.sessions[-2]) > _session_order(
                new
            ):
                scores.sessions.sort(key=_session_order)
    elif isinstance(event, SuspendEvent):
        deck = scores.cards.setdefault(event.deck, {})
        old = deck.get(event.card) or CardRecord()
        deck[event.card] = old.model_copy(update={"suspended": event.suspended})
    else:
        raise TypeError(f"not a score journal event: {event!r}")
    return scores


def _session_order(session: Any) -> tuple[datetime, str]:
    return (session.start, session.id)


# --------------------------------------------------------------------------- TOML text


@dataclass(frozen=True)
class Folded:
    """The part of a journal a snapshot already holds: entries starting before ``bytes``."""

    id: str
    bytes: int


def dump_scores(scores: ScoreFile, folded: Folded | None = None) -> str:
    """The snapshot's TOML text: sorted, stable, UTC, no ``None`` (TOML has no null)."""
    data: dict[str, Any] = {"format": scores.format}
    if folded is not None:
        data["journal"] = {"id": folded.id, "bytes": folded.bytes}
    cards = {
        deck_id: {
            card_id: _utc(record.model_dump(exclude_none=True))
            for card_id, record in sorted(records.items())
        }
        for deck_id, records in sorted(scores.cards.items())
        if records
    }
    if cards:
        data["cards"] = cards
    if scores.sessions:
        data["sessions"] = [
            _utc(s.model_dump(exclude_none=True))
            for s in sorted(scores.sessions, key=_session_order)
        ]
    return _HEADER_COMMENT + tomli_w.dumps(data)


def _utc(value: Any) -> Any:
    """Every datetime in a dumped structure as UTC (they are checked to be tz-aware)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, dict):
        return {k: _utc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_utc(v) for v in value]
    return value


def _naive_field(value: Any, where: str = "") -> str | None:
    """The first datetime field without a timezone in a dumped structure, or None."""
    if isinstance(value, datetime):
        return where if value.tzinfo is None or value.utcoffset() is None else None
    if isinstance(value, dict):
        items: Iterator[tuple[str, Any]] = (
            (f"{where}.{k}" if where else str(k), v) for k, v in value.items()
        )
    elif isinstance(value, list):
        items = ((f"{where}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for sub_where, sub in items:
        found = _naive_field(sub, sub_where)
        if found is not None:
            return found
    return None


def _frame(body: bytes) -> bytes:
    """One journal entry: the TOML body, then its end line (length and checksum)."""
    return body + b"# end len=%d crc32=%08x\n" % (len(body), zlib.crc32(body))


def journal_entry(event: AnyEvent) -> bytes:
    """The bytes ``append`` adds to the journal for ``event``."""
    data = event.model_dump(exclude_none=True)
    naive = _naive_field(data)
    if naive is not None:
        raise ValueError(f"{type(event).__name__}.{naive}: datetime must be timezone-aware (UTC)")
    body = tomli_w.dumps({"events": [_utc(data)]}).encode("utf-8")
    # Never write an entry that would not read back (say, from a model_construct'ed event):
    # one bad entry would make every later load fail.
    _EVENT.validate_python(tomllib.loads(body.decode("utf-8"))["events"][0])
    return _frame(body)


def _format_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out:
            out += f".{part}"
        else:
            out = str(part)
    return out or "(top level)"


def _schema_problem(path: Path, error: ValidationError, prefix: str = "") -> str:
    first = error.errors()[0]
    loc = tuple(first["loc"])
    if prefix and loc and loc[0] in _EVENT_TAGS:
        loc = loc[1:]  # pydantic names the union branch first; a person does not need it
    where = _format_loc(loc)
    if prefix:
        where = prefix if where == "(top level)" else f"{prefix}.{where}"
    message = {"extra_forbidden": "unknown field", "missing": "required field is missing"}.get(
        first["type"], first["msg"]
    )
    return f"{path}: {where}: {message}"


def parse_snapshot(path: Path, raw: bytes) -> tuple[ScoreFile, Folded | None]:
    """Parse snapshot bytes: (scores, which journal entries are already folded in).

    Raises ``_Damaged`` for bytes that are not UTF-8 TOML, ``ScoreFileError`` for a newer
    format or a schema problem.
    """
    if not raw.strip():
        raise _Damaged("empty (quizapp never writes an empty snapshot)")
    try:
        data = tomlio.parse_toml(tomlio.decode_text(raw, path), path)
    except tomlio.NotTextError as exc:
        raise _Damaged(_bare(exc)) from None
    except tomlio.FileProblem as exc:
        raise ScoreFileError(str(exc)) from None
    version = data.get("format", SCORES_FORMAT)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ScoreFileError(f"{path}: format: must be a whole number from 1 up, not {version!r}")
    if version > SCORES_FORMAT:
        raise ScoreFileError(
            f"{path}: format {version} is newer than this quizapp reads ({SCORES_FORMAT}); not touched"
        )
    folded = _folded(path, data.pop("journal", None))
    try:
        scores = ScoreFile.model_validate(data)
    except ValidationError as exc:
        raise ScoreFileError(_schema_problem(path, exc)) from None
    naive = _naive_in_scores(scores)
    if naive is not None:
        raise ScoreFileError(f"{path}: {naive}: datetime must include a timezone (UTC)")
    scores.sessions.sort(key=_session_order)  # a hand-edited file may have them out of order
    return scores, folded


def _naive_in_scores(scores: ScoreFile) -> str | None:
    """Where the first datetime without a timezone is (a fast pass over 100k records)."""

    def naive(model: Any) -> bool:
        for value in model.__dict__.values():
            if isinstance(value, datetime):
                if value.tzinfo is None:
                    return True
            elif isinstance(value, BaseModel) and naive(value):
                return True
        return False

    for deck_id, records in scores.cards.items():
        for card_id, record in records.items():
            if naive(record):
                return _naive_field(
                    record.model_dump(exclude_none=True), f"cards.{deck_id}.{card_id}"
                )
    for index, session in enumerate(scores.sessions):
        if naive(session):
            return _naive_field(session.model_dump(exclude_none=True), f"sessions[{index}]")
    return None


def _folded(path: Path, value: Any) -> Folded | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"id", "bytes"}:
        raise ScoreFileError(f"{path}: journal: must be a table with exactly id and bytes")
    if not isinstance(value["id"], str):
        raise ScoreFileError(f"{path}: journal.id: must be a string")
    size = value["bytes"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ScoreFileError(f"{path}: journal.bytes: must be a whole number from 0 up")
    return Folded(value["id"], size)


@dataclass
class JournalContents:
    id: str | None = None
    events: list[AnyEvent] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # byte offset of each event's entry
    # Where the last complete entry ends. A compaction folds up to here, not to the end of
    # the file: without the lock it may have read another writer's entry half written.
    end: int = 0
    torn: int = 0  # partial entries skipped (a writer killed mid-append)
    exists: bool = False
    inode: int | None = None

    def pending(self, folded: Folded | None) -> list[AnyEvent]:
        """The events a snapshot marked ``folded`` does not hold yet."""
        if folded is None or folded.id != self.id:
            return self.events
        return [
            e for e, start in zip(self.events, self.starts, strict=True) if start >= folded.bytes
        ]


def _looks_torn(fragment: bytes) -> bool:
    """Is this the start of an entry cut short (not arbitrary damage)?

    Several writers killed in a row leave several fragments, each on a line of its own;
    the first line tells: it is an entry's first line, or the start of one.
    """
    first_line = fragment.strip(_BLANK).split(b"\n", 1)[0]
    return any(first_line.startswith(s) or s.startswith(first_line) for s in _ENTRY_STARTS)


def parse_journal(path: Path, raw: bytes) -> JournalContents:
    """Parse journal bytes. Raises ``_Damaged``, or ``ScoreFileError`` for an unknown event."""
    out = JournalContents(exists=True)
    pos = 0
    for match in _END.finditer(raw):
        length = int(match[1])
        start = match.start() - length
        if start < pos:
            raise _Damaged(f"the entry ending at byte {match.end()} overlaps the one before it")
        gap = raw[pos:start]
        if gap.strip(_BLANK):
            if not _looks_torn(gap):
                raise _Damaged(f"unexpected text at byte {pos}")
            out.torn += 1
        body = raw[start : match.start()]
        if zlib.crc32(body) != int(match[2], 16):
            raise _Damaged(f"checksum mismatch in the entry at byte {start}")
        try:
            data = tomlio.parse_toml(tomlio.decode_text(body, path), path)
        except tomlio.FileProblem as exc:
            raise _Damaged(f"the entry at byte {start} is not readable: {exc.message}") from None
        if set(data) == {"journal"} and isinstance(data["journal"], str):
            if out.id is not None or out.events:
                raise _Damaged(f"a second header at byte {start}")
            out.id = data["journal"]
        elif (
            set(data) == {"events"}
            and isinstance(data["events"], list)
            and len(data["events"]) == 1
        ):
            if out.id is None:
                raise _Damaged("events before the journal header")
            where = f"events[{len(out.events)}]"
            try:
                event = _EVENT.validate_python(data["events"][0])
            except ValidationError as exc:
                raise ScoreFileError(_schema_problem(path, exc, where)) from None
            naive = _naive_field(data["events"][0], where)
            if naive is not None:
                raise ScoreFileError(f"{path}: {naive}: datetime must include a timezone (UTC)")
            out.events.append(event)
            out.starts.append(start)
        else:
            raise _Damaged(f"the entry at byte {start} is neither a header nor one event")
        pos = out.end = match.end()
    tail = raw[pos:]
    if tail.strip(_BLANK):
        if not _looks_torn(tail):
            raise _Damaged(f"unexpected text at byte {pos}")
        out.torn += 1
    return out


# --------------------------------------------------------------------------- the store


class _Cache(BaseModel):
    """``scores.toml.cache.json``: the snapshot as JSON, which pydantic reads many times
    faster than Python reads TOML. Never the truth: used only while ``snapshot_sha256`` is
    the hash of the snapshot's current bytes, so a hand edit simply bypasses it."""

    model_config = ConfigDict(extra="forbid")

    cache: Literal[1] = 1
    snapshot_sha256: str
    journal_id: str | None = None
    journal_bytes: int = 0
    scores: ScoreFile


@dataclass
class _Snapshot:
    """What was read of the snapshot, and how to tell later whether it changed since."""

    scores: ScoreFile
    folded: Folded | None = None
    key: tuple[int, int, int] | None = None  # (inode, size, mtime) of the bytes read; None: no file
    sha256: str | None = None
    cached: bool = False  # read from a cache that matches these bytes


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _read_file(path: Path) -> tuple[bytes, os.stat_result] | None:
    """A file's bytes and the stat of the very file they came from; None when missing."""
    try:
        return tomlio.read_file(path, MAX_SCORE_BYTES, "a score file")
    except FileNotFoundError:
        return None
    except tomlio.FileProblem as exc:
        raise ScoreFileError(str(exc)) from None


def _bare(exc: tomlio.FileProblem) -> str:
    """A problem's text without the file name (the caller names the file)."""
    return f"line {exc.line}: {exc.message}" if exc.line else exc.message


def _journal_header() -> bytes:
    return _frame(tomli_w.dumps({"journal": uuid.uuid4().hex}).encode("utf-8"))


class ScoreStore:
    """The score file of one person: load, append answers, compact. See the module doc."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] | None = None) -> None:
        path = Path(path)
        # A score file that is a symlink (say into a dotfiles repository) stays one: the
        # snapshot is replaced, and the journal and lock kept, next to its target.
        self.path = Path(os.path.realpath(path)) if path.is_symlink() else path
        self.recovered: list[Path] = []
        self._clock = clock or (lambda: datetime.now(UTC))
        self._scores: ScoreFile | None = None
        self._journal_events = 0
        # In-memory state: appends and loads in different threads of this process (the UI
        # answering while a worker reloads) must not lose an answer from memory either.
        self._memory = threading.Lock()
        self._appended = 0  # appends made by this store so far

    @property
    def journal_path(self) -> Path:
        return self.path.with_name(self.path.name + ".journal")

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @property
    def cache_path(self) -> Path:
        return self.path.with_name(self.path.name + ".cache.json")

    @property
    def scores(self) -> ScoreFile:
        """The folded scores (snapshot plus journal); loaded on first use."""
        if self._scores is None:
            return self.load()
        return self._scores

    @property
    def journal_events(self) -> int:
        """Events in the journal not yet folded into the snapshot (as far as we know)."""
        return self._journal_events

    def record(self, deck_id: str, card_id: str) -> CardRecord | None:
        return self.scores.cards.get(deck_id, {}).get(card_id)

    def load(self) -> ScoreFile:
        """Read snapshot and journal from disk and fold them; replaces the in-memory state.

        A missing file gives empty scores and creates nothing; loading never writes
        (except to move a damaged file aside). Damaged files are moved aside (see
        ``recovered``); a newer format or a schema problem raises ``ScoreFileError``.
        """
        while True:
            appended = self._appended
            snapshot, journal = self._read_state()
            pending = journal.pending(snapshot.folded)
            for event in pending:
                fold(snapshot.scores, event)
            with self._memory:
                if self._appended == appended:
                    self._scores, self._journal_events = snapshot.scores, len(pending)
                    return snapshot.scores
            # Another thread appended while we read: read again, its entry is on disk now.

    def append(self, *events: AnyEvent) -> None:
        """Add events to the journal and to the in-memory scores, in one write.

        The events are on disk (fsynced) when this returns. The cost does not depend on the
        size of the score file. Creates the folder and the files on first use. Each event
        is its own checksummed entry, so a kill during the write keeps the complete ones.
        """
        entry = b"".join(journal_entry(event) for event in events)
        if not entry:
            return
        if self._scores is None:
            self.load()
        with self._locked():
            self._append_locked(entry)
            with self._memory:
                assert self._scores is not None
                for event in events:
                    fold(self._scores, event)
                self._journal_events += len(events)
                self._appended += len(events)

    def compact(self) -> None:
        """Fold the journal into the snapshot (atomically) and start a new journal.

        The slow part (reading, folding, writing the TOML text) runs without the lock, so
        appends from other threads and processes go on meanwhile; the lock is taken only
        to check nothing else compacted in between and to put the files in place. Safe
        against a kill at any instant. O(file size): run it off the UI thread.
        """
        if not self._compact(locked=False):
            with self._locked():
                self._compact(locked=True)

    def maybe_compact(self, threshold: int = COMPACT_AFTER) -> bool:
        """Compact when the journal holds at least ``threshold`` events; True if it did."""
        if self._journal_events < threshold:
            return False
        self.compact()
        return True

    # ----------------------------------------------------------------------- internals

    @contextmanager
    def _locked(self, for_reading: bool = False) -> Iterator[None]:
        """Hold ``scores.toml.lock`` (an exclusive flock) for the duration of the block.

        Each call opens the lock file anew, so two threads exclude each other too. A
        reader in a folder it cannot write to goes on without the lock.
        """
        if not for_reading:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError:
            if not for_reading:
                raise
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _read_state(self, locked: bool = False) -> tuple[_Snapshot, JournalContents]:
        """Read the journal, then the snapshot, without the lock.

        That order makes a lock-free read consistent: a compaction writes the snapshot
        (naming how much of the journal it holds) before it removes or replaces the
        journal, so whichever of its steps falls between the two reads, the journal bytes
        read and the snapshot read agree on what is folded. Damage found without the lock
        is read again under it, and only then moved aside.
        """
        journal_raw = _read_file(self.journal_path)
        snapshot_raw = _read_file(self.path)
        try:
            journal = self._parse_journal(journal_raw)
        except _Damaged:
            if not locked:
                return self._read_state_locked()
            self._move_aside(self.journal_path)
            journal = JournalContents()
        try:
            snapshot = self._parse_snapshot(snapshot_raw)
        except _Damaged:
            if not locked:
                return self._read_state_locked()
            self._move_aside(self.path)
            snapshot = _Snapshot(ScoreFile())
        return snapshot, journal

    def _read_state_locked(self) -> tuple[_Snapshot, JournalContents]:
        with self._locked(for_reading=True):
            return self._read_state(locked=True)

    def _parse_journal(self, raw: tuple[bytes, os.stat_result] | None) -> JournalContents:
        if raw is None:
            return JournalContents()
        data, st = raw
        journal = parse_journal(self.journal_path, data)
        journal.inode = st.st_ino
        return journal

    def _parse_snapshot(self, raw: tuple[bytes, os.stat_result] | None) -> _Snapshot:
        if raw is None:
            return _Snapshot(ScoreFile())
        data, st = raw
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        sha = hashlib.sha256(data).hexdigest()
        cache = self._read_cache(sha)
        if cache is not None:
            folded = (
                None if cache.journal_id is None else Folded(cache.journal_id, cache.journal_bytes)
            )
            return _Snapshot(cache.scores, folded, key, sha, cached=True)
        scores, folded = parse_snapshot(self.path, data)
        return _Snapshot(scores, folded, key, sha)

    def _read_cache(self, sha: str) -> _Cache | None:
        """The cache, if it was made from exactly these snapshot bytes; else None."""
        try:
            raw = tomlio.read_bytes(self.cache_path, MAX_SCORE_BYTES, "a cache")
        except (OSError, tomlio.FileProblem):
            return None  # no cache (or an unreadable one): read the TOML
        if sha.encode("ascii") not in raw[:256]:
            return None  # made from other bytes: not worth parsing
        try:
            cache = _Cache.model_validate_json(raw)
        except ValueError:
            return None  # a cache from another version, or cut short: read the TOML
        if cache.snapshot_sha256 != sha or cache.scores.format > SCORES_FORMAT:
            return None
        cache.scores.sessions.sort(key=_session_order)
        return cache

    @staticmethod
    def _cache_bytes(scores: ScoreFile, sha: str, folded: Folded | None) -> bytes:
        cache = _Cache.model_construct(
            cache=1,
            snapshot_sha256=sha,
            journal_id=folded.id if folded else None,
            journal_bytes=folded.bytes if folded else 0,
            scores=scores,
        )
        return cache.model_dump_json(exclude_none=True).encode("utf-8")

    def _write_cache(self, data: bytes) -> None:
        try:
            atomic_write_bytes(self.cache_path, data)
        except OSError:
            # Only speed is lost: the next load reads the TOML, the next compaction retries.
            self.cache_path.unlink(missing_ok=True)

    def _compact(self, locked: bool) -> bool:
        """One compaction; False (nothing written) if, unlocked, another one got in first."""
        snapshot, journal = self._read_state(locked=locked)
        scores = snapshot.scores
        pending = journal.pending(snapshot.folded)
        for event in pending:
            fold(scores, event)
        # The slow part, before the lock: the TOML text and the cache.
        text = cache = None
        if pending:
            assert journal.id is not None
            folded = Folded(journal.id, journal.end)
            text = dump_scores(scores, folded).encode("utf-8")
            cache = self._cache_bytes(scores, hashlib.sha256(text).hexdigest(), folded)
        elif snapshot.key is not None and not snapshot.cached:
            assert snapshot.sha256 is not None
            cache = self._cache_bytes(scores, snapshot.sha256, snapshot.folded)
        with nullcontext() if locked else self._locked():
            if not locked and not self._unchanged(snapshot, journal):
                return False
            if text is not None:
                atomic_write_bytes(self.path, text)
            if cache is not None:
                self._write_cache(cache)
            tail = self._replace_journal(journal)
            for event in tail:
                fold(scores, event)
            self._remove_stale_temp_files()
            with self._memory:
                self._scores, self._journal_events = scores, len(tail)
        return True

    def _unchanged(self, snapshot: _Snapshot, journal: JournalContents) -> bool:
        """Under the lock: are the files still the ones read (the journal may have grown)?"""
        if _stat_key(self.path) != snapshot.key:
            return False
        current = _stat_key(self.journal_path)
        if not journal.exists:
            return current is None
        return current is not None and current[0] == journal.inode and current[1] >= journal.end

    def _replace_journal(self, journal: JournalContents) -> list[AnyEvent]:
        """Under the lock, once the snapshot holds the journal up to ``journal.end``: delete
        the journal or, if entries were completed after that point, replace it with a new
        journal holding just those. Returns the events carried over.

        What follows the last entry is either an entry finished since the read, or a dead
        writer's fragment (no append is in progress while we hold the lock), which goes.
        """
        if not journal.exists:
            return []
        with open(self.journal_path, "rb") as handle:
            handle.seek(journal.end)
            tail = handle.read()
        fresh = _journal_header() + tail
        try:
            carried = parse_journal(self.journal_path, fresh).events
        except (_Damaged, ScoreFileError):
            # Leave it for the next load to judge; readers skip the part now folded.
            return []
        if carried:
            atomic_write_bytes(self.journal_path, fresh)
        else:
            self.journal_path.unlink()
            fsync_dir(self.path.parent)
        return carried

    def _move_aside(self, path: Path) -> Path:
        """Rename a damaged file to a timestamped backup that never overwrites another."""
        stamp = self._clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        base = f"{path.name}.corrupt-{stamp}"
        n = 0
        while True:
            backup = path.with_name(base if n == 0 else f"{base}-{n}")
            try:
                try:
                    os.link(path, backup)  # fails if ``backup`` exists: never clobbers
                except FileExistsError:
                    n += 1
                    continue
                except OSError as exc:
                    if exc.errno not in _NO_HARD_LINKS:
                        raise
                    # A file system without hard links: check, then rename (we hold the
                    # lock, so no other quizapp makes a backup in between).
                    if os.path.lexists(backup):
                        n += 1
                        continue
                    os.rename(path, backup)
                else:
                    os.unlink(path)
            except OSError as exc:
                raise ScoreFileError(
                    f"{path}: damaged, and cannot be moved aside: {exc.strerror or exc}"
                ) from None
            break
        fsync_dir(path.parent)
        self.recovered.append(backup)
        return backup

    def _remove_stale_temp_files(self) -> None:
        """Temp files left by a writer killed mid-write (we hold the lock: none is live)."""
        for stale in self.path.parent.glob(f".{glob.escape(self.path.name)}.*.tmp"):
            stale.unlink(missing_ok=True)

    def _append_locked(self, entry: bytes) -> None:
        flags = os.O_RDWR | os.O_APPEND | os.O_CLOEXEC
        try:
            fd = os.open(self.journal_path, flags)
        except FileNotFoundError:
            fd = -1
        if fd >= 0 and os.fstat(fd).st_size == 0:
            os.close(fd)  # an empty journal holds nothing: give it a header below
            fd = -1
        if fd < 0:
            atomic_write_bytes(self.journal_path, _journal_header())  # also fsyncs the folder
            fd = os.open(self.journal_path, flags)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                # The last writer was killed mid-entry: start on a line of our own.
                entry = b"\n" + entry
            view = memoryview(entry)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
