"""The snapshot, ``scores.toml``: the folded scores as human-readable TOML, and its cache.

Deck ids and card ids are sorted, sessions are in start order, datetimes are UTC, ``None``
fields are left out, so the same scores always give the same bytes and the file diffs and
merges in git. quizapp only ever replaces it whole (temp file, fsync, ``os.replace``).

A snapshot knows it is whole. Since score format 2 its last line is an end line::

    # end of scores: 1234 card records, 56 sessions

quizapp writes it last, so a copy cut off anywhere (a sync tool, a full disk, a person's
``head``) lacks it, and a cut inside it leaves a line that does not match. A format 2
snapshot without a complete end line is *cut off*: it is backed up whole, reported, and
the good part is kept (every table before the cut, minus the card whose table was cut).
The counts on the end line are for people: they are not checked, so a deliberate hand
edit (change a count, delete a card, add a table after the end line) still loads. Only
removing the end line itself makes a file look cut off; then the backup keeps every byte
and at most the last table is left out. Format 1 files (older quizapp) have no end line
and are read as before.

``scores.toml.cache`` holds the same scores in a form that loads fast (``cache.py``); it is
never the truth. In memory every card record is a ``records.Record``: the TOML is
validated as ``CardRecord`` (pydantic), then compacted.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from quizapp import tomlio
from quizapp.models import SCORES_FORMAT, CardRecord, ScoreFile, SessionRecord
from quizapp.store.events import session_order
from quizapp.store.files import Damaged, ScoreFileError
import quizapp.store.tomlwriter as tomlwriter
from quizapp.store.journal import Folded, naive_field
from quizapp.store.records import compact_cards, record_of

HEADER_COMMENT = (
    "# quizapp score file. Written by quizapp: deck ids and card ids are sorted, sessions are\n"
    "# in start order, times are UTC. Answers not yet folded in are in the .journal file.\n"
)
_HEADER_START = HEADER_COMMENT.split("\n", 1)[0].encode("utf-8")
END_LINE = re.compile(rb"^# end of scores: \d+ card records?, \d+ sessions?[ \t\r]*$", re.MULTILINE)
# The first format whose snapshots end with an end line.
FORMAT_WITH_END = 2


def end_line(scores: ScoreFile) -> str:
    cards = sum(len(records) for records in scores.cards.values())
    return f"# end of scores: {cards} card records, {len(scores.sessions)} sessions\n"


def dump_scores(scores: ScoreFile, folded: Folded | None = None) -> str:
    """The snapshot's TOML text: sorted, stable, UTC, no ``None`` (TOML has no null), and
    the end line last. The same text ``tomli_w.dumps`` writes for these scores (a test
    checks it), written faster (``tomlwriter``)."""
    data: dict[str, Any] = {"format": SCORES_FORMAT}
    if folded is not None:
        data["journal"] = {"id": folded.id, "bytes": folded.bytes}
    if scores.recovered:
        data["recovered"] = sorted(set(scores.recovered))
    times: dict[datetime, str] = {}
    decks = [_deck_text(deck_id, records, times)
             for deck_id, records in sorted(scores.cards.items()) if records]
    if decks:
        data["cards"] = tomlwriter.Rendered("\n".join(decks))
    if scores.sessions:
        data["sessions"] = [_session_data(s) for s in sorted(scores.sessions, key=session_order)]
    return HEADER_COMMENT + tomlwriter.dumps(data) + "\n" + end_line(scores)


def _deck_text(deck_id: str, records: dict[str, Any], times: dict[datetime, str]) -> str:
    """One deck's card tables, as ``tomli_w`` writes them: ``[cards.<deck>.<card>]`` with
    the record's fields in model order, then ``[cards.<deck>.<card>.fsrs]``; a blank line
    between cards. ``times`` remembers each time's text (an answer's time is usually its
    memory state's last review too)."""
    prefix = f"cards.{tomlwriter.key(deck_id)}."
    key = tomlwriter.key
    return "\n".join(_record_text(prefix + key(card_id), records[card_id], times)
                     for card_id in sorted(records))


def _record_text(name: str, rec: Any, times: dict[datetime, str]) -> str:
    # Counts, state and step are ints and stability/difficulty floats (validated, or
    # computed from validated values): ``f"{x}"`` is ``str(x)``, which tomli_w writes.
    string = tomlwriter.string
    first, last = rec.first_answered, rec.last_answered
    parts = [f"[{name}]\nseen = {rec.seen}\nright = {rec.right}\nwrong = {rec.wrong}\n"
             f"streak = {rec.streak}\n"]
    if first is not None:
        parts.append(f"first_answered = {times.get(first) or _time(first, times)}\n")
    if last is not None:
        parts.append(f"last_answered = {times.get(last) or _time(last, times)}\n")
    if rec.last_result is not None:
        parts.append(f"last_result = {string(rec.last_result)}\n")
    if rec.last_answer is not None:
        parts.append(f"last_answer = {string(rec.last_answer)}\n")
    parts.append("suspended = true\n" if rec.suspended else "suspended = false\n")
    if rec.anki_review is not None:
        parts.append(f"anki_review = {rec.anki_review}\n")
    mem = rec.fsrs
    if mem is not None:
        parts.append(f"\n[{name}.fsrs]\nstate = {mem.state}\n")
        if mem.step is not None:
            parts.append(f"step = {mem.step}\n")
        if mem.stability is not None:
            parts.append(f"stability = {mem.stability}\n")
        if mem.difficulty is not None:
            parts.append(f"difficulty = {mem.difficulty}\n")
        parts.append(f"due = {times.get(mem.due) or _time(mem.due, times)}\n")
        review = mem.last_review
        if review is not None:
            parts.append(f"last_review = {times.get(review) or _time(review, times)}\n")
    return "".join(parts)


def _time(moment: datetime, times: dict[datetime, str]) -> str:
    text = times[moment] = str(moment.astimezone(UTC))
    return text


def _session_data(session: SessionRecord) -> dict[str, Any]:
    data = session.model_dump(exclude_none=True)
    for name, value in data.items():
        if isinstance(value, datetime):
            data[name] = value.astimezone(UTC)
    return data


def parse_snapshot(path: Path, raw: bytes) -> tuple[ScoreFile, Folded | None]:
    """Parse snapshot bytes: (scores, which journal entries are already folded in).

    Raises ``Damaged`` for bytes that are not UTF-8 TOML or a snapshot cut off, and
    ``ScoreFileError`` for a newer format or a schema problem (a person can fix those by
    hand; the file is left alone).
    """
    if not raw.strip():
        raise Damaged("empty (quizapp never writes an empty snapshot)")
    with tomlio.gc_paused():  # 100k records: a quarter of the time went to collections
        try:
            text = tomlio.decode_text(raw, path)
            data = tomlio.parse_toml(text, path)
        except tomlio.NotTextError as exc:
            if _whole(raw):  # a hand edit gone wrong, not damage: the person fixes the line
                raise ScoreFileError(f"{exc}; the file is whole (it ends with its end line), "
                                     "so it is left as it is: correct that line") from None
            raise Damaged(_bare(exc)) from None
        except tomlio.FileProblem as exc:
            raise ScoreFileError(str(exc)) from None
        version = _version(path, data, raw, text)
        if version >= FORMAT_WITH_END and not END_LINE.search(raw):
            raise Damaged("cut off: its end line ('# end of scores: ...') is missing")
        return _validate(path, data, text)


def _whole(raw: bytes) -> bool:
    """Whether the snapshot's last line is its end line: quizapp wrote it whole, so bytes
    that no longer read as TOML or UTF-8 were edited by hand, not cut off by a crash."""
    last = raw.rstrip().rsplit(b"\n", 1)[-1]
    return END_LINE.fullmatch(last) is not None


def _version(path: Path, data: dict[str, Any], raw: bytes, text: str) -> int:
    if "format" not in data:
        if raw.startswith(_HEADER_START) or _HEADER_START.startswith(raw.rstrip()):
            raise Damaged("cut off before its format line")
        raise ScoreFileError(tomlio.problem(path, None, "format",
                                            f"required field is missing (format = {SCORES_FORMAT})"))
    version = data["format"]
    line = _line_of(text, ("format",))
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ScoreFileError(tomlio.problem(path, line, "format",
                                            f"must be a whole number from 1 up, not {version!r}"))
    if version > SCORES_FORMAT:
        raise ScoreFileError(tomlio.problem(
            path, line, "format",
            f"{version} is newer than this quizapp reads ({SCORES_FORMAT}); not touched"))
    return version


def _validate(path: Path, data: dict[str, Any], text: str) -> tuple[ScoreFile, Folded | None]:
    data = dict(data)
    folded = _folded(path, data.pop("journal", None))
    data["format"] = SCORES_FORMAT  # read as today's format; written back as it
    try:
        scores = ScoreFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        message = tomlio.plain_message(first)
        where = tomlio.format_loc(loc) or "(top level)"
        raise ScoreFileError(tomlio.problem(path, _line_of(text, loc), where, message)) from None
    naive = _naive_in_scores(scores)
    if naive is not None:
        raise ScoreFileError(tomlio.problem(path, None, naive,
                                            "datetime must include a timezone (UTC)"))
    scores.sessions.sort(key=session_order)  # a hand-edited file may have them out of order
    return compact(scores), folded


def compact(scores: ScoreFile) -> ScoreFile:
    """The same scores with every card record a compact ``records.Record`` (set without
    validation: assigning through pydantic would turn them back into models)."""
    return ScoreFile.model_construct(format=scores.format, cards=compact_cards(scores.cards),
                                     sessions=scores.sessions, recovered=scores.recovered)


def _bare(exc: tomlio.FileProblem) -> str:
    """A problem's text without the file name (the caller names the file)."""
    return f"line {exc.line}: {exc.message}" if exc.line else exc.message


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
                return naive_field(record.model_dump(exclude_none=True), f"cards.{deck_id}.{card_id}")
    for index, session in enumerate(scores.sessions):
        if naive(session):
            return naive_field(session.model_dump(exclude_none=True), f"sessions[{index}]")
    return None


# --------------------------------------------------------------------------- line numbers

_HEADER_LINE = re.compile(r"^[ \t]*\[\[?[^\n]*$", re.MULTILINE)


def _header_path(line: str) -> tuple[tuple[str, ...], bool] | None:
    """The key path of a table header line (``[cards.a."b.c"]`` -> (cards, a, b.c))."""
    stripped = line.split("#", 1)[0].strip() if '"' not in line and "'" not in line else line.strip()
    try:
        data = tomllib.loads(stripped)
    except tomllib.TOMLDecodeError:
        return None
    parts: list[str] = []
    node: Any = data
    while isinstance(node, (dict, list)) and node:
        if isinstance(node, list):
            node = node[-1]
            continue
        key = next(iter(node))
        parts.append(key)
        node = node[key]
    return tuple(parts), stripped.startswith("[[")


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of a field of the snapshot (the key's line, else its table's), if found."""
    lines = text.split("\n")
    key = str(loc[-1]) if loc and not isinstance(loc[-1], int) else None
    if loc and loc[0] == "sessions" and len(loc) > 1 and isinstance(loc[1], int):
        table: tuple[str, ...] = ("sessions",)
        nth, key = loc[1], (str(loc[2]) if len(loc) > 2 else None)
    else:
        table, nth = tuple(str(p) for p in loc[:-1]), 0
    found = -1 if table else 0
    count = 0
    for number, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith("["):
            if found >= 0 and table:
                break  # the table ended without the key
            header = _header_path(stripped)
            if header is not None and header[0] == table:
                if count == nth:
                    found = number
                count += 1
            continue
        if found >= 0 and key and re.match(rf"\s*(\"?){re.escape(key)}\1\s*=", line):
            return number + 1
    return found + 1 if found >= 0 and table else None


# --------------------------------------------------------------------------- salvage


@dataclass
class Salvaged:
    scores: ScoreFile
    folded: Folded | None
    cards: int  # card records kept
    sessions: int  # sessions kept


def salvage_snapshot(path: Path, raw: bytes) -> Salvaged:
    """The good part of a damaged snapshot: every table but the damaged ones.

    The text is cut at the start of a table header before the first bad byte (for a
    cut-off file, the last header), the latest cut that parses is kept, and the card whose
    table the cut went through is left out (its record may be partial). The tables after
    the damaged one are then read one by one (``_read_rest``): each that parses is kept,
    and a card any of whose tables does not is left out. Records that do not validate are
    left out one by one. Never raises for damage.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = raw[: exc.start].decode("utf-8")
    starts = [m.start() for m in _HEADER_LINE.finditer(text)]
    starts.append(len(text))  # the whole text may parse (a cut at a line end)
    data: dict[str, Any] = {}
    cut_header: tuple[str, ...] | None = None
    lo, hi = 0, len(starts) - 1
    best = -1
    while lo <= hi:  # the latest cut that parses (parsing is monotone in the cut point)
        mid = (lo + hi) // 2
        try:
            tomlio.check_nesting(text[: starts[mid]], path)
            tomllib.loads(text[: starts[mid]])
        except (tomllib.TOMLDecodeError, tomlio.FileProblem, RecursionError):
            hi = mid - 1
        else:
            best, lo = mid, mid + 1
    if best >= 0:
        cut = starts[best]
        data = tomllib.loads(text[:cut])
        broken = text[cut:].split("\n", 1)[0] if cut < len(text) else None
        header = _header_path(broken) if broken is not None else None
        if header is None and (broken is not None or not END_LINE.search(raw)):
            # The cut went through a header that may have been the last kept table's
            # sub-table, or everything parsed but the end line is missing: the last table
            # kept may lack a sub-table. (A junk line that starts with "[" is neither.)
            last = _HEADER_LINE.findall(text[:cut])
            if last and (broken is None or _may_extend(last[-1], broken)):
                header = _header_path(last[-1])
        cut_header = header[0] if header else None
    rest = starts[best + 1:]
    bad = _read_rest(data, text, rest)
    if len(rest) > 1 and not END_LINE.search(raw):  # cut off too: its last table may be partial
        header = _header_path(text[rest[-2]:].split("\n", 1)[0])
        if header is not None:
            bad.add(header[0][:3])
    return _keep_valid(data, cut_header, bad)


def _may_extend(header: str, broken: str) -> bool:
    """Whether the damaged header line ``broken`` may have named a sub-table of the table
    whose header is ``header`` (or was cut off inside such a name)."""
    base = header.strip().rstrip("]") + "."
    broken = broken.strip()
    return broken.startswith(base) or base.startswith(broken)


def _read_rest(data: dict[str, Any], text: str, starts: list[int]) -> set[tuple[str, ...]]:
    """Add to ``data`` each table between ``starts`` (header offsets, the text's end
    last) that parses on its own and does not clash with what is already there. Returns
    the key paths, up to the card, of the tables that could not be read."""
    bad: set[tuple[str, ...]] = set()
    for a, b in zip(starts, starts[1:], strict=False):
        piece = text[a:b]
        try:
            part = tomllib.loads(piece)
        except (tomllib.TOMLDecodeError, RecursionError):
            part = None
        if part is None or not _fits(data, part):
            header = _header_path(piece.split("\n", 1)[0])
            if header is not None:
                bad.add(header[0][:3])
            continue
        _merge(data, part)
    return bad


def _fits(have: dict[str, Any], part: dict[str, Any]) -> bool:
    """Whether the table ``part`` adds to ``have`` without redefining anything in it."""
    for key, value in part.items():
        if key not in have:
            continue
        old = have[key]
        if isinstance(old, dict) and isinstance(value, dict):
            if not _fits(old, value):
                return False
        elif not (isinstance(old, list) and isinstance(value, list)):
            return False  # a key or table given twice: the later one is not trusted
    return True


def _merge(have: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        old = have.get(key)
        if isinstance(old, dict):
            _merge(old, value)
        elif isinstance(old, list):
            old.extend(value)  # one more table of an array of tables ([[sessions]])
        else:
            have[key] = value


def _keep_valid(data: dict[str, Any], cut: tuple[str, ...] | None,
                bad: set[tuple[str, ...]] = frozenset()) -> Salvaged:
    folded = None
    journal = data.get("journal")
    if isinstance(journal, dict) and isinstance(journal.get("id"), str) and isinstance(
        journal.get("bytes"), int) and not isinstance(journal.get("bytes"), bool) and journal["bytes"] >= 0:
        folded = Folded(journal["id"], journal["bytes"])
    scores = ScoreFile()
    cards = data.get("cards")
    if isinstance(cards, dict):
        for deck_id, records in cards.items():
            if not isinstance(records, dict):
                continue
            for card_id, record in records.items():
                if cut is not None and cut[:3] == ("cards", deck_id, card_id):
                    continue  # the cut went through this card's tables
                if ("cards", deck_id, card_id) in bad:
                    continue  # one of its tables was damaged: the record may be partial
                try:
                    valid = CardRecord.model_validate(record)
                except ValidationError:
                    continue
                if _naive_in_scores(ScoreFile(cards={deck_id: {card_id: valid}})) is None:
                    scores.cards.setdefault(deck_id, {})[card_id] = record_of(valid)
    sessions = data.get("sessions")
    if isinstance(sessions, list):
        for session in sessions:
            try:
                valid_session = SessionRecord.model_validate(session)
            except ValidationError:
                continue
            if _naive_in_scores(ScoreFile(sessions=[valid_session])) is None:
                scores.sessions.append(valid_session)
        if cut == ("sessions",) and scores.sessions:
            scores.sessions.pop()  # the cut went through the last session
    if isinstance(data.get("recovered"), list):
        scores.recovered = [k for k in data["recovered"] if isinstance(k, str)]
    scores.sessions.sort(key=session_order)
    count = sum(len(r) for r in scores.cards.values())
    return Salvaged(scores, folded, count, len(scores.sessions))


# --------------------------------------------------------------------------- checked before
#
# ``quizapp scores check`` parses and checks the whole snapshot (seconds at 100k cards). A
# snapshot whose bytes passed that very check before (the check itself, or a load that
# read the TOML, which checks the same) need not be parsed again to say it has no
# problem: the same bytes and the same code give the same verdict. Kept in the cache
# folder, one line per score file: the SHA-256 of the bytes that passed and the code that
# passed them (``check_stamp``). Never the truth: lost, it only costs one full check.

_CHECK_CODE = ("models.py", "tomlio.py", "store/snapshot.py", "store/records.py")


def check_stamp() -> str:
    """This quizapp's snapshot reader and model, and the pydantic that checks them."""
    from quizapp import __version__
    from quizapp.fsutil import source_digest

    return f"{__version__}/{source_digest(_CHECK_CODE)}"


def checked_path(path: Path) -> Path:
    """Where the last snapshot bytes of score file ``path`` to pass the check are named."""
    import hashlib

    from quizapp import paths

    name = hashlib.sha256(str(path).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return paths.cache_dir() / "scores" / f"{name}.checked"


def passed_before(path: Path, sha: str) -> bool:
    """Whether snapshot bytes with SHA-256 ``sha`` passed ``parse_snapshot`` by this code."""
    try:
        return checked_path(path).read_text(encoding="ascii").split() == [sha, check_stamp()]
    except (OSError, ValueError):
        return False


def mark_passed(path: Path, sha: str) -> None:
    """Snapshot bytes with SHA-256 ``sha`` passed ``parse_snapshot`` (a failure to note it
    only costs a full check later)."""
    from quizapp.fsutil import atomic_write_bytes

    try:
        atomic_write_bytes(checked_path(path), f"{sha} {check_stamp()}\n".encode("ascii"))
    except OSError:
        pass
