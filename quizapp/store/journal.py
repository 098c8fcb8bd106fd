"""The journal, ``scores.toml.journal``: answers since the last compaction, append-only.

The first entry is a header ``journal = "<id>"``, then one ``[[events]]`` table per
event, so the file is itself TOML. After every entry comes a comment line
``# end len=N crc32=X`` (the entry's length in bytes and its checksum), so each entry can
be checked, and found again, on its own.

Reading is salvage, never drop (``parse_journal``): every entry whose end line and
checksum check out is kept, before and after any damage. What lies between intact
entries is one of two things:

- a *torn* entry: the start of an entry with no end line, left by a writer killed in the
  middle of an append. It was never acknowledged to anyone (``append`` returns only after
  the whole write and fsync), so it is skipped without a word;
- *damage*: anything else (a flipped byte, so a checksum or end line that does not check
  out; garbage; an entry that is not TOML). Its bytes are reported as ``damaged`` spans;
  the store moves just those bytes to a backup and rewrites the journal from the intact
  entries (see ``ScoreStore``).
"""

from __future__ import annotations

import re
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import TypeAdapter, ValidationError

from quizapp import tomlio
from quizapp.models import AnswerEvent, Event
from quizapp.store.events import AnyEvent
from quizapp.store.files import ScoreFileError

EVENT: TypeAdapter[Any] = TypeAdapter(Event)
# An entry's end line. The checksum has a fixed width and comes last, so a line cut short
# never matches; only its final line break may be missing (the entry is then complete).
END = re.compile(rb"^# end len=(\d{1,9}) crc32=([0-9a-f]{8})(?:\n|\Z)", re.MULTILINE)
_ENTRY_STARTS = (b"[[events]]", b"journal = ")
BLANK = b" \t\r\n\x00"
_EVENT_TAGS = {"answer", "restore", "session", "suspend", "undo"}


@dataclass(frozen=True)
class Folded:
    """The part of a journal a snapshot already holds: entries starting before ``bytes``."""

    id: str
    bytes: int


@dataclass
class JournalContents:
    id: str | None = None
    events: list[AnyEvent] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # each event's entry bytes
    # Where the last intact entry ends. A compaction folds up to here, not to the end of
    # the file: without the lock it may have read another writer's entry half written.
    end: int = 0
    torn: int = 0  # partial entries skipped (a writer killed mid-append)
    damaged: list[tuple[int, int]] = field(default_factory=list)  # byte spans that are damage
    unreadable: int = 0  # entries (at least one per span) in the damaged spans
    exists: bool = False
    inode: int | None = None

    @property
    def starts(self) -> list[int]:
        return [start for start, _ in self.spans]

    @property
    def answers(self) -> int:
        return sum(isinstance(e, AnswerEvent) for e in self.events)

    def pending(self, folded: Folded | None) -> list[AnyEvent]:
        """The events a snapshot marked ``folded`` does not hold yet."""
        if folded is None or folded.id != self.id:
            return self.events
        return [e for e, (start, _) in zip(self.events, self.spans, strict=True)
                if start >= folded.bytes]

    def pending_spans(self, folded: Folded | None) -> list[tuple[int, int]]:
        if folded is None or folded.id != self.id:
            return self.spans
        return [span for span in self.spans if span[0] >= folded.bytes]


def frame(body: bytes) -> bytes:
    """One journal entry: the TOML body, then its end line (length and checksum)."""
    return body + b"# end len=%d crc32=%08x\n" % (len(body), zlib.crc32(body))


def journal_header(journal_id: str | None = None) -> bytes:
    return frame(tomli_w.dumps({"journal": journal_id or uuid.uuid4().hex}).encode("utf-8"))


def journal_entry(event: AnyEvent) -> bytes:
    """The bytes ``append`` adds to the journal for ``event``."""
    data = event.model_dump(exclude_none=True)
    naive = naive_field(data)
    if naive is not None:
        raise ValueError(f"{type(event).__name__}.{naive}: datetime must be timezone-aware (UTC)")
    body = tomli_w.dumps({"events": [utc(data)]}).encode("utf-8")
    # Never write an entry that would not read back (say, from a model_construct'ed event):
    # one bad entry would be damage in every later load.
    EVENT.validate_python(tomlio.parse_toml(body.decode("utf-8"), "journal entry")["events"][0])
    return frame(body)


def utc(value: Any) -> Any:
    """Every datetime in a dumped structure as UTC (they are checked to be tz-aware)."""
    from datetime import UTC

    if isinstance(value, datetime):
        return value.astimezone(UTC)
    if isinstance(value, dict):
        return {k: utc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [utc(v) for v in value]
    return value


def naive_field(value: Any, where: str = "") -> str | None:
    """The first datetime field without a timezone in a dumped structure, or None."""
    if isinstance(value, datetime):
        return where if value.tzinfo is None or value.utcoffset() is None else None
    if isinstance(value, dict):
        items = [(f"{where}.{k}" if where else str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [(f"{where}[{i}]", v) for i, v in enumerate(value)]
    else:
        return None
    for sub_where, sub in items:
        found = naive_field(sub, sub_where)
        if found is not None:
            return found
    return None


def schema_problem(path: Path, error: ValidationError, prefix: str = "") -> str:
    """One line for a pydantic error: ``file: field: message``."""
    first = error.errors()[0]
    loc = tuple(first["loc"])
    if prefix and loc and loc[0] in _EVENT_TAGS:
        loc = loc[1:]  # pydantic names the union branch first; a person does not need it
    where = tomlio.format_loc(loc) or "(top level)"
    if prefix:
        where = prefix if where == "(top level)" else f"{prefix}.{where}"
    message = tomlio.plain_message(first)
    return tomlio.problem(path, None, where, message)


def _looks_torn(fragment: bytes) -> bool:
    """Is this the start of an entry cut short (not arbitrary damage)?

    Several writers killed in a row leave several fragments, each on a line of its own;
    the first line tells: it is an entry's first line, or the start of one.
    """
    first_line = fragment.strip(BLANK).split(b"\n", 1)[0]
    return any(first_line.startswith(s) or s.startswith(first_line) for s in _ENTRY_STARTS)


_LEN = re.compile(rb"# end len=\d{1,9}")
_CRC_PREFIX = re.compile(rb"[0-9a-f]{0,7}")


def _partial_end_line(line: bytes) -> bool:
    """Is ``line`` an end line cut short (a torn write), not a whole one gone bad?"""
    m = _LEN.match(line)
    if m is None:
        return b"# end len=".startswith(line)
    rest = line[m.end():]
    if b" crc32=".startswith(rest):
        return True
    return rest.startswith(b" crc32=") and _CRC_PREFIX.fullmatch(rest[7:]) is not None


def parse_journal(path: Path, raw: bytes, *, offset: int = 0, journal_id: str | None = None,
                  strict: bool = True) -> JournalContents:
    """Every intact entry of journal bytes, and where the damage is (never raises for it).

    ``offset`` is where ``raw`` starts in the file (reading only what was appended since
    the last read, with the journal's ``journal_id`` already known). Raises
    ``ScoreFileError`` for an intact entry of an event this quizapp does not know (a newer
    quizapp wrote it: the file is left alone), unless ``strict`` is false (a backup being
    recovered), when such entries count as unreadable.
    """
    out = JournalContents(id=journal_id, exists=True, end=offset)
    pos = 0  # within raw
    bad_end = False  # a complete end line that did not check out lies in the current gap
    for match in END.finditer(raw):
        length = int(match[1])
        start = match.start() - length
        body = raw[start : match.start()] if start >= pos else b""
        if start < pos or zlib.crc32(body) != int(match[2], 16):
            bad_end = True
            continue
        event = _entry(path, body, offset + start, out, strict)
        if event is _NOT_AN_ENTRY:
            bad_end = True
            continue
        _gap(out, raw, pos, start, offset, bad_end)
        bad_end = False
        if event is not None:
            out.events.append(event)
            out.spans.append((offset + start, offset + match.end()))
        pos = match.end()
        out.end = offset + pos
    _gap(out, raw, pos, len(raw), offset, bad_end)
    if out.damaged:
        out.unreadable = sum(
            max(1, raw.count(b"# end len=", a - offset, b - offset)) for a, b in out.damaged
        )
    return out


_NOT_AN_ENTRY = object()


def _entry(path: Path, body: bytes, start: int, out: JournalContents, strict: bool) -> Any:
    """The event of an intact entry (None for the header), or ``_NOT_AN_ENTRY``."""
    try:
        data = tomlio.parse_toml(tomlio.decode_text(body, path), path)
    except tomlio.FileProblem:
        return _NOT_AN_ENTRY
    if set(data) == {"journal"} and isinstance(data["journal"], str):
        if out.id is not None or out.events:
            return _NOT_AN_ENTRY  # a second header
        out.id = data["journal"]
        return None
    if not (set(data) == {"events"} and isinstance(data["events"], list)
            and len(data["events"]) == 1 and isinstance(data["events"][0], dict)):
        return _NOT_AN_ENTRY
    where = f"events[{len(out.events)}]"
    try:
        event = EVENT.validate_python(data["events"][0])
        naive = naive_field(data["events"][0], where)
        if naive is not None:
            raise ScoreFileError(tomlio.problem(path, None, naive,
                                                "datetime must include a timezone (UTC)"))
    except ValidationError as exc:
        if strict:
            raise ScoreFileError(schema_problem(path, exc, where)
                                 + f" (the entry at byte {start}; left as it is)") from None
        return _NOT_AN_ENTRY
    except ScoreFileError:
        if strict:
            raise
        return _NOT_AN_ENTRY
    return event


def _gap(out: JournalContents, raw: bytes, a: int, b: int, offset: int, bad_end: bool) -> None:
    """Judge the bytes between two intact entries: blank, torn, or damage."""
    gap = raw[a:b]
    if not gap.strip(BLANK):
        return
    if not bad_end and _looks_torn(gap) and all(
        _partial_end_line(line.strip(BLANK))
        for line in gap.split(b"\n") if line.startswith(b"# end")
    ):
        out.torn += 1
        return
    out.damaged.append((offset + a, offset + b))
