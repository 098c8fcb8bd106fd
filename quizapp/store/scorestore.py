"""``ScoreStore``: load, write (from the latest state, under the lock), compact, check,
recover. See the package doc (``quizapp/store/__init__.py``) for the files and promises."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import quizapp.store.files as files
from quizapp import tomlio
from quizapp.fsutil import atomic_write_bytes, fsync_dir
from quizapp.models import (
    AnswerEvent,
    CardRecord,
    RestoreEvent,
    ScoreFile,
    SessionEvent,
)
from quizapp.store.events import AnyEvent, answer_key, fold
from quizapp.store.files import Damaged, ScoreFileError, ScoreWriteError
from quizapp.store.journal import (
    END,
    EVENT,
    Folded,
    JournalContents,
    journal_entry,
    journal_header,
    parse_journal,
)
import quizapp.store.cache as snapshot_cache
from quizapp.store.snapshot import (
    dump_scores,
    mark_passed,
    parse_snapshot,
    passed_before,
    salvage_snapshot,
)

# ``maybe_compact`` folds the journal into the snapshot once it holds this many events and
# has grown to ``1 / JOURNAL_SHARE`` of the snapshot's size: the snapshot is rewritten after
# a number of answers in proportion to its size, so the cost per answer stays the same
# whether the person has 1,000 cards or 100,000 (and the journal read at start stays small).
COMPACT_AFTER = 500
JOURNAL_SHARE = 10

Lookup = Callable[[str, str], CardRecord | None]


@dataclass
class _Snapshot:
    """What was read of the snapshot, and how to tell later whether it changed since."""

    scores: ScoreFile
    folded: Folded | None = None
    key: tuple[int, int, int] | None = None  # (inode, size, mtime) of the bytes read
    sha256: str | None = None
    cached: bool = False  # read from a cache that matches these bytes


@dataclass
class _Folding:
    """A compaction made but not yet written: the files read, and what replaces them."""

    snapshot: _Snapshot
    journal: JournalContents
    scores: ScoreFile  # the snapshot with the journal folded in
    folded: Folded | None  # how much of the journal the new snapshot holds
    text: bytes | None  # the new snapshot (None: nothing to fold)
    cache: bytes | None  # its cache (None: none to write)


@dataclass
class RecoverResult:
    """What ``ScoreStore.recover`` merged back."""

    answers: int = 0  # answers added
    already: int = 0  # answers already in the scores (not added again)
    records: int = 0  # card records only the backup held, added
    fuller: int = 0  # card records the backup held more answers of, put back (see recover)
    sessions: int = 0  # sessions only the backup held, added
    unreadable: int = 0  # entries that could not be read at all
    problems: list[str] = field(default_factory=list)


class ScoreStore:
    """The score file of one person. See the package doc."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] | None = None) -> None:
        self.path = files.score_path(path)  # (a symlink stays one)
        self.recovered: list[Path] = []  # backups made of damaged files
        self.notices: list[str] = []  # one line per damaged file: what was kept, where
        self.warnings: list[str] = []  # problems that cost only time (a broken cache)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._scores: ScoreFile | None = None
        self._journal_events = 0
        # What of the files the in-memory scores hold: the snapshot read, and the journal
        # up to ``_journal_end`` (so a write under the lock reads only what came since).
        self._snapshot_key: tuple[int, int, int] | None = None
        self._snapshot_folded: Folded | None = None  # what of which journal it holds
        self._journal_inode: int | None = None
        self._journal_id: str | None = None
        self._journal_end = 0
        # In-memory state: writes and loads in different threads of this process (the UI
        # answering while a worker compacts) must not lose an answer from memory either.
        self._memory = threading.RLock()
        self._appended = 0  # events appended by this store so far
        self.last_folded: Folded | None = None  # what the last compaction folded in
        self._generation = 0  # counts the times the in-memory scores were replaced
        self._compacting = 0  # compactions of this store under way (here or in a child)
        self._unusable: tuple[int, int, int] | None = None  # a snapshot read_ahead refused
        self._unusable_error: ScoreFileError | None = None  # and why
        # The snapshot this store's last compaction wrote (stat key) and what it folded.
        self._compacted: tuple[tuple[int, int, int] | None, Folded] | None = None

    # ----------------------------------------------------------------------- paths

    @property
    def journal_path(self) -> Path:
        return files.journal_path(self.path)

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @property
    def cache_path(self) -> Path:
        return self.path.with_name(self.path.name + ".cache")

    @property
    def _old_cache_path(self) -> Path:
        """Where quizapp kept a JSON cache before (removed when the new one is written)."""
        return self.path.with_name(self.path.name + ".cache.json")

    # ----------------------------------------------------------------------- reading

    @property
    def scores(self) -> ScoreFile:
        """The folded scores (snapshot plus journal); loaded on first use."""
        if self._scores is None:
            return self.load()
        return self._scores

    @property
    def version(self) -> tuple[int, int, int]:
        """Changes whenever the in-memory scores may have (a write, another window's
        writes read, a reload): a screen can tell that its numbers are still current."""
        return (self._generation, self._appended, self._journal_events)

    @property
    def identity(self) -> tuple[object, ...]:
        """Which files, up to which byte, the in-memory scores hold: (snapshot inode, size
        and mtime; journal inode; journal bytes read). ``identity_on_disk`` equals it
        while nobody has written since (a summary kept for these scores is still true)."""
        with self._memory:
            inode = self._journal_inode
            return (self._snapshot_key, inode, self._journal_end if inode is not None else 0)

    @property
    def position(self) -> tuple[object, ...]:
        """Where in the files the in-memory scores are, in full: (snapshot inode, size and
        mtime; how much of which journal the snapshot holds; journal inode, id and bytes
        read). ``events_since`` takes it to tell what was written after."""
        with self._memory:
            folded = self._snapshot_folded
            inode = self._journal_inode
            return (self._snapshot_key, None if folded is None else (folded.id, folded.bytes),
                    inode, self._journal_id if inode is not None else None,
                    self._journal_end if inode is not None else 0)

    @staticmethod
    def identity_at(position: tuple[object, ...]) -> tuple[object, ...]:
        """``identity`` of scores at ``position``."""
        snapshot_key, _folded, inode, _journal_id, end = position
        return (snapshot_key, inode, end)

    def events_since(self, position: tuple[object, ...]
                     ) -> tuple[list[AnyEvent], tuple[object, ...]] | None:
        """The events written after scores that were at ``position`` (a ``position`` of
        this score file, kept from an earlier read), and the position after them, read
        from the journal alone: the snapshot is not read. None when they cannot be told so
        (the snapshot was replaced: a compaction or a hand edit; the journal was replaced,
        cut or is damaged): then the scores must be read whole. Reads only; raises
        ``ScoreFileError`` for an entry this quizapp does not know."""
        with self._locked(for_reading=True):
            if files.stat_key(self.path) != position[0]:
                rebased = self._rebased(position)
                if rebased is None:
                    return None
                position = rebased
            snapshot_key, folded, inode, journal_id, end = position
            try:
                st = os.stat(self.journal_path)
            except FileNotFoundError:
                return ([], position) if inode is None else None
            if inode is None:  # a journal begun since (after a compaction): read it whole
                journal = self._parse_journal(files.read_file(self.journal_path))
                if journal.damaged or not journal.exists:
                    return None
                pending = journal.pending(None if folded is None else Folded(*folded))
                return pending, (snapshot_key, folded, journal.inode, journal.id, journal.end)
            if st.st_ino != inode or st.st_size < end:
                return None
            if st.st_size == end:
                return [], position
            new = parse_journal(self.journal_path, files.read_tail(self.journal_path, end),
                                offset=end, journal_id=journal_id)
            if new.damaged or new.id != journal_id:
                return None
            return new.events, (snapshot_key, folded, inode, journal_id, new.end)

    def _rebased(self, position: tuple[object, ...]) -> tuple[object, ...] | None:
        """``position`` in the snapshot on disk now, when that snapshot holds exactly the
        scores at ``position``: this store's own compaction wrote it (the very file, by its
        stat identity) and folded that journal up to that very byte. The events since are
        then its journal's; None otherwise (another window's compaction, a hand edit: a
        snapshot's ``[journal]`` line alone does not tell what else changed)."""
        _key, _folded, _inode, journal_id, end = position
        with self._memory:
            compacted = self._compacted
        if compacted is None or journal_id is None:
            return None
        current, folded = compacted
        if (folded.id, folded.bytes) != (journal_id, end) or files.stat_key(self.path) != current:
            return None  # (folded more, or not the file it wrote: a hand edit since, say)
        return (current, (folded.id, folded.bytes), None, None, 0)

    def identity_on_disk(self) -> tuple[object, ...]:
        """``identity`` of the files as they are now, from their ``stat`` alone."""
        return files.identity_on_disk(self.path)

    def catch_up(self) -> bool:
        """Bring the in-memory scores up to date with what other windows (or a plain
        ``quizapp play``) wrote since; True if anything was read. Only ``stat`` calls
        while nothing changed, the journal's new tail when it grew, the whole files (the
        cache, if it matches) when someone compacted or edited the snapshot."""
        if self._scores is None or self.identity_on_disk() == self.identity:
            return False
        key = files.stat_key(self.path)
        if key is not None and key == self._unusable and self._unusable_error is not None:
            raise self._unusable_error  # the same file again: not read again until it changes
        with self._locked(for_reading=True), self._memory:
            before = self.version
            try:
                self._catch_up()
            except ScoreFileError as exc:
                self._unusable, self._unusable_error = key, exc
                raise
            return self.version != before

    def snapshot_changed(self) -> bool:
        """Whether the snapshot on disk is another than the one the in-memory scores hold
        (another window compacted, or a person edited it): one ``stat``. False while a
        compaction of this store's own is under way (it tells memory itself when done)."""
        if self._scores is None or self._compacting:
            return False
        key = files.stat_key(self.path)
        return key != self._snapshot_key and key != self._unusable

    def read_ahead(self) -> bool:
        """When the snapshot changed on disk (``snapshot_changed``), read the files again
        now, without the lock, as ``load`` does; True if it did. For a thread of its own,
        soon after the change: the next session start or answer (``catch_up`` under the
        lock, on the screen's thread) then finds memory current and reads no more than the
        journal's new tail, instead of the whole new snapshot. Memory is replaced only if
        nothing changed it while the files were read (else they are read again); nothing
        is written except what ``load`` writes (a damaged file put right, the cache)."""
        if not self.snapshot_changed():
            return False
        while True:
            with self._memory:
                before = (self.version, self.identity)
            key = files.stat_key(self.path)
            try:
                snapshot, journal = self._read_files()
            except ScoreFileError as exc:
                # Not read again until it changes; memory stays as it was. The caller
                # says why (the next session start or answer meets the same error).
                self._unusable, self._unusable_error = key, exc
                raise
            with self._memory:
                if (self.version, self.identity) == before:
                    self._install(snapshot, journal)
                    break
            if not self.snapshot_changed():
                return True  # another thread read the new files meanwhile
        cache = self._cache_for(snapshot)
        if cache is not None:
            self._keep_cache(snapshot.key, cache)
        return True

    @property
    def journal_events(self) -> int:
        """Events in the journal not yet folded into the snapshot (as far as we know)."""
        return self._journal_events

    def record(self, deck_id: str, card_id: str) -> CardRecord | None:
        return self.scores.cards.get(deck_id, {}).get(card_id)

    def load(self) -> ScoreFile:
        """Read snapshot and journal from disk and fold them; replaces the in-memory state.

        Without the lock, and never writing except to put a damaged file right (its
        backup made first; see ``notices``), so read-only commands change no score file.
        A load that had to parse the TOML leaves its cache (``scores.toml.cache``) for the
        next one, so only the first load after a hand edit or a lost cache is slow. A
        missing file gives empty scores and creates nothing. A newer format or a schema
        problem raises ``ScoreFileError`` and leaves the file alone.
        """
        while True:
            appended = self._appended
            snapshot, journal = self._read_files()
            cache = self._cache_for(snapshot)  # before the journal is folded into it
            with self._memory:
                if self._appended == appended:
                    self._install(snapshot, journal)
                    scores = self._scores
                    break
            # Another thread appended while we read: read again, its entry is on disk now.
        if cache is not None:
            self._keep_cache(snapshot.key, cache)
        assert scores is not None
        return scores

    # ----------------------------------------------------------------------- writing

    def write(self, build: Callable[[Lookup], Iterable[AnyEvent]]) -> list[AnyEvent]:
        """Append the events ``build`` makes from the latest state on disk, under the lock.

        ``build`` is called with the lock held and the in-memory scores brought up to date
        with every other window's writes, and gets a lookup of card records; so an answer's
        memory state starts from the card as it is now, not as this window last saw it.
        The events are on disk (fsynced) and folded in memory when this returns.
        """
        return self._write(build)

    def _write(self, build: Callable[[Lookup], Iterable[AnyEvent]], entry: bytes | None = None
               ) -> list[AnyEvent]:
        if self._scores is None:
            self.load()
        with self._locked(), self._memory:
            self._catch_up()
            events = list(build(self._lookup))
            if entry is None:
                entry = b"".join(journal_entry(event) for event in events)
            if entry:
                self._append_locked(entry)
                assert self._scores is not None
                for event in events:
                    fold(self._scores, event)
                self._journal_events += len(events)
                self._appended += len(events)
        for event in events:
            if isinstance(event, SessionEvent):  # played here until its end is written
                if event.session.end is None:
                    files.hold_session(self.path, event.session.id)
                else:
                    files.release_session(self.path, event.session.id)
        return events

    def hold_session(self, session_id: str) -> bool:
        """Mark a session as played in this window from now (a resume, before its first
        answer); False when another window holds it already."""
        return files.hold_session(self.path, session_id)

    def release_session(self, session_id: str) -> None:
        files.release_session(self.path, session_id)

    def played_elsewhere(self, session_ids: set[str]) -> set[str]:
        """Those of ``session_ids`` another running quizapp (another window) is playing
        now: begun or resumed there, its end not written yet, its process alive. Never
        resumed here too, or both would write answers into one session."""
        return files.played_elsewhere(self.path, session_ids)

    def append(self, *events: AnyEvent) -> None:
        """Add events to the journal and to the in-memory scores, in one write (see
        ``write``). Each event is its own checksummed entry, so a kill during the write
        keeps the complete ones."""
        # Checked before anything is created: a bad event never reaches the disk.
        entry = b"".join(journal_entry(event) for event in events)
        if entry:
            self._write(lambda _lookup: events, entry)

    def _lookup(self, deck_id: str, card_id: str) -> CardRecord | None:
        assert self._scores is not None
        return self._scores.cards.get(deck_id, {}).get(card_id)

    # ----------------------------------------------------------------------- compaction

    def compact(self, run_slow: Callable[[Callable[[], _Folding]], _Folding] | None = None
                ) -> None:
        """Fold the journal into the snapshot (atomically) and start a new journal.

        The slow part (reading, folding, writing the TOML text) runs without the lock, so
        appends from other threads and processes go on meanwhile; the lock is taken only
        to check nothing else compacted in between and to put the files in place. Safe
        against a kill at any instant. O(file size): run it off the UI thread. A failure
        to write (a full disk) raises ``ScoreWriteError`` saying the answers are safe in
        the journal; a cache that cannot be written is only a warning. ``run_slow`` runs
        the slow part (the compactor process runs it in a thread of idle priority; the
        part under the lock never runs there, so the lock is never held by a thread
        that waits for an idle core).
        """
        run = run_slow or (lambda slow: slow())
        self._compacting += 1
        try:
            if not self._commit(run(lambda: self._fold_files(locked=False)), locked=False):
                with self._locked():
                    self._commit(self._fold_files(locked=True), locked=True)
        finally:
            self._compacting -= 1

    def maybe_compact(self, threshold: int = COMPACT_AFTER, *, elsewhere: bool = False) -> bool:
        """Compact when the journal holds at least ``threshold`` events and a tenth of the
        snapshot's bytes (``JOURNAL_SHARE``); True if it did. ``elsewhere``: in another
        process (``compact_elsewhere``)."""
        if not self.compaction_due(threshold):
            return False
        if elsewhere:
            self.compact_elsewhere()
        else:
            self.compact()
        return True

    def compaction_due(self, threshold: int = COMPACT_AFTER) -> bool:
        """Whether the journal has grown enough to be folded in (see ``maybe_compact``)."""
        if self._journal_events < threshold:
            return False
        try:
            snapshot_bytes = os.stat(self.path).st_size
        except OSError:
            snapshot_bytes = 0
        return self._journal_end * JOURNAL_SHARE >= snapshot_bytes

    def compact_elsewhere(self) -> None:
        """``compact`` in a child process (``python -m quizapp.store.compactor``), so that
        this process's other threads (the app's screen) never wait for it: reading and
        writing a big snapshot holds Python's GIL for seconds at a time.

        When it is done, the in-memory scores are matched to the new files under the lock
        without reading the snapshot again (they already hold everything it folded); only
        if this process wrote in the meantime are the files read again. Raises
        ``ScoreWriteError`` / ``ScoreFileError`` with the child's message."""
        self._compacting += 1
        try:
            self._compact_elsewhere()
        finally:
            self._compacting -= 1

    def _compact_elsewhere(self) -> None:
        import json
        import subprocess
        import sys

        proc = subprocess.run(
            [sys.executable, "-m", "quizapp.store.compactor", str(self.path)],
            capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            lines = proc.stderr.strip().splitlines() or [f"compaction failed ({proc.returncode})"]
            error = ScoreWriteError if proc.returncode == 2 else ScoreFileError
            raise error(lines[-1])
        done = json.loads(proc.stdout.strip().splitlines()[-1])
        folded = done["folded"]
        with self._locked(), self._memory:
            current = files.stat_key(self.path)
            same = (folded is not None and self._scores is not None
                    and [self._journal_id, self._journal_end] == folded
                    and current is not None and list(current) == done["key"])
            if not same:
                # Written meanwhile: read what changed (all of it, unless another thread
                # of this process has read the new snapshot already).
                self._catch_up()
                return
            # The snapshot holds exactly what memory holds; the journal, what came since.
            raw = files.read_file(self.journal_path)
            journal = self._parse_journal(raw)
            if journal.damaged:
                self._install(*self._read_files(locked=True))
                return
            assert self._scores is not None
            for event in journal.events:
                fold(self._scores, event)
            self._journal_events = len(journal.events)
            self._snapshot_key, self._snapshot_folded = current, Folded(*folded)
            self._compacted = (current, Folded(*folded))
            self._journal_inode = journal.inode if journal.exists else None
            self._journal_id, self._journal_end = journal.id, journal.end

    # ----------------------------------------------------------------------- check/recover

    def check(self) -> list[str]:
        """Every problem of the snapshot, journal, cache and lock, one ``file: problem``
        line each; empty when all is well. Reads only: nothing is moved or written but a
        note in the cache folder. A snapshot whose very bytes passed the same check
        before (``snapshot.passed_before``: the check, or a load that parsed them) is
        hashed, not parsed again: the same bytes and code give the same verdict."""
        problems: list[str] = []
        hashed = files.hash_file(self.path)
        sha = hashed[0] if hashed is not None else None
        raw = None
        if sha is None or not passed_before(self.path, sha):  # (those bytes passed before)
            try:
                raw = files.read_file(self.path)
            except ScoreFileError as exc:
                problems.append(str(exc))
            sha = None if raw is None else hashlib.sha256(raw[0]).hexdigest()
        if raw is not None:
            try:
                parse_snapshot(self.path, raw[0])
            except Damaged as exc:
                kept = salvage_snapshot(self.path, raw[0])
                problems.append(f"{self.path}: {exc}; loading it keeps {kept.cards} card "
                                "records and backs the whole file up")
            except ScoreFileError as exc:
                problems.append(str(exc))
            else:
                assert sha is not None
                mark_passed(self.path, sha)
        try:
            jraw = files.read_file(self.journal_path)
        except ScoreFileError as exc:
            problems.append(str(exc))
            jraw = None
        if jraw is not None:
            try:
                journal = parse_journal(self.journal_path, jraw[0])
            except ScoreFileError as exc:
                problems.append(str(exc))
            else:
                if journal.damaged:
                    spans = ", ".join(f"{a}-{b}" for a, b in journal.damaged[:5])
                    problems.append(
                        f"{self.journal_path}: damaged (bytes {spans}); {journal.answers} "
                        f"answers are intact, {journal.unreadable} "
                        f"{'entry' if journal.unreadable == 1 else 'entries'} cannot be read")
        problems.extend(self._check_cache(sha))
        if os.path.lexists(self.lock_path) and not os.path.isfile(self.lock_path):
            problems.append(f"{self.lock_path}: not a regular file; quizapp cannot lock the scores")
        return problems

    def _check_cache(self, sha: str | None) -> list[str]:
        """``sha``: the SHA-256 of the snapshot's bytes (None: there is none)."""
        try:
            raw = tomlio.read_bytes(self.cache_path, files.MAX_SCORE_BYTES, "a cache")
        except FileNotFoundError:
            return []
        except tomlio.FileProblem as exc:
            return [f"{exc} (only speed is lost: the snapshot is read instead)"]
        if sha is None:
            return []
        try:
            snapshot_cache.decode(raw, sha)
        except Damaged as exc:
            return [f"{self.cache_path}: {exc} (only speed is lost: it is made again at "
                    "the next compaction)"]
        return []

    def recover(self, backup: Path) -> RecoverResult:
        """Merge what can be read of a backup (of the journal or of the snapshot) back in.

        From a journal backup: every answer that can be read, each once (answers already
        in the scores, or merged back before, are counted in ``already``), plus sessions
        the scores do not have. From a snapshot backup: card records and sessions the
        scores do not have at all; and for a card both have, the backup's record with the
        live journal's answers given after it folded on top, wherever that counts more
        answers than the live record (one rebuilt from the journal alone after a damaged
        snapshot); elsewhere the live record is newer and kept.
        """
        result = RecoverResult()
        try:
            raw = tomlio.read_bytes(backup, files.MAX_SCORE_BYTES, "a score file backup")
        except FileNotFoundError as exc:
            raise ScoreFileError(f"{backup}: cannot read: {exc.strerror or exc}") from None
        except tomlio.FileProblem as exc:
            raise ScoreFileError(str(exc)) from None
        if END.search(raw) or b"[[events]]" in raw:
            events, result.unreadable = _readable_events(backup, raw)
            self.write(lambda lookup: self._merge_events(events, result))
        else:
            salvaged = salvage_snapshot(backup, raw)
            self.write(lambda lookup: self._merge_snapshot(salvaged.scores, lookup, result))
        return result

    def _merge_events(self, events: list[AnyEvent], result: RecoverResult) -> list[AnyEvent]:
        assert self._scores is not None
        scores = self._scores
        done = set(scores.recovered) | self._live_answer_keys()
        done.update(r.last_answer for d in scores.cards.values() for r in d.values() if r.last_answer)
        sessions = {s.id for s in scores.sessions}  # a session the scores have is kept
        merged: set[str] = set()
        out: list[AnyEvent] = []
        for event in events:
            if isinstance(event, AnswerEvent):
                key = answer_key(event)
                if key in done or _anki_counted(scores, event):
                    result.already += 1
                    continue
                done.add(key)
                out.append(event.model_copy(update={"recovered": True}))
                result.answers += 1
            elif isinstance(event, SessionEvent) and event.session.id not in sessions:
                # Every event of it, in order: the session as its last one left it (an
                # event may hold only the cards missed since the one before).
                if event.session.id not in merged:
                    merged.add(event.session.id)
                    result.sessions += 1
                out.append(event)
        return out

    def _merge_snapshot(self, backup: ScoreFile, lookup: Lookup, result: RecoverResult) -> list[AnyEvent]:
        assert self._scores is not None
        out: list[AnyEvent] = []
        now = self._clock()
        later: dict[tuple[str, str], list[AnswerEvent]] | None = None
        for deck_id, records in sorted(backup.cards.items()):
            for card_id, record in sorted(records.items()):
                live = lookup(deck_id, card_id)
                if live is None:
                    out.append(RestoreEvent(deck=deck_id, card=card_id, at=now, record=record))
                    result.records += 1
                else:
                    if later is None:
                        later = {}
                        for event in self._live_answers():
                            later.setdefault((event.deck, event.card), []).append(event)
                    fuller = _with_answers(deck_id, card_id, record,
                                           later.get((deck_id, card_id), []))
                    if fuller.seen > live.seen:
                        out.append(RestoreEvent(deck=deck_id, card=card_id, at=now,
                                                record=fuller))
                        result.fuller += 1
                    else:
                        result.already += 1
        have = {s.id for s in self._scores.sessions}
        for session in backup.sessions:
            if session.id not in have:
                out.append(SessionEvent(session=session))
                result.sessions += 1
        return out

    def _live_answer_keys(self) -> set[str]:
        """Keys of the answers in the live journal (under the lock)."""
        return {answer_key(e) for e in self._live_answers()}

    def _live_answers(self) -> list[AnswerEvent]:
        """The answers in the live journal (under the lock)."""
        raw = files.read_file(self.journal_path)
        if raw is None:
            return []
        journal = parse_journal(self.journal_path, raw[0])
        return [e for e in journal.events if isinstance(e, AnswerEvent)]

    # ----------------------------------------------------------------------- internals

    def _locked(self, for_reading: bool = False):  # noqa: ANN202 - a context manager
        return files.locked(self.lock_path, for_reading)

    def _install(self, snapshot: _Snapshot, journal: JournalContents) -> None:
        """Make (snapshot + the journal's pending events) the in-memory state."""
        pending = journal.pending(snapshot.folded)
        scores = snapshot.scores
        for event in pending:
            fold(scores, event)
        self._scores, self._journal_events = scores, len(pending)
        self._generation += 1
        self._snapshot_key, self._snapshot_folded = snapshot.key, snapshot.folded
        self._journal_inode = journal.inode if journal.exists else None
        self._journal_id = journal.id
        self._journal_end = journal.end

    def _catch_up(self) -> None:
        """Under the lock: bring the in-memory scores up to date with the files, reading
        only what other windows appended since (everything, if someone compacted)."""
        if self._scores is None or files.stat_key(self.path) != self._snapshot_key:
            self._install(*self._read_files(locked=True))
            return
        try:
            st = os.stat(self.journal_path)
        except FileNotFoundError:
            if self._journal_inode is not None:
                self._install(*self._read_files(locked=True))
            return
        if self._journal_inode is None and self._begun_journal():
            return
        if st.st_ino != self._journal_inode or st.st_size < self._journal_end:
            self._install(*self._read_files(locked=True))
            return
        if st.st_size == self._journal_end:
            return
        tail = files.read_tail(self.journal_path, self._journal_end)
        new = parse_journal(self.journal_path, tail, offset=self._journal_end,
                            journal_id=self._journal_id)
        if new.damaged or new.id != self._journal_id:
            self._install(*self._read_files(locked=True))
            return
        assert self._scores is not None
        for event in new.events:
            fold(self._scores, event)
        self._journal_events += len(new.events)
        self._journal_end = new.end

    def _begun_journal(self) -> bool:
        """Under the lock, the snapshot unchanged, memory holding no journal: fold in the
        journal another window has begun since (after a compaction), read whole: it is
        small next to the snapshot, which need not be read again. False if it is damaged
        (the caller reads everything, and puts it right)."""
        journal = self._parse_journal(files.read_file(self.journal_path))
        if journal.damaged or not journal.exists:
            return False
        assert self._scores is not None
        pending = journal.pending(self._snapshot_folded)
        for event in pending:
            fold(self._scores, event)
        self._journal_events += len(pending)
        self._journal_inode, self._journal_id, self._journal_end = (
            journal.inode, journal.id, journal.end)
        return True

    def _read_files(self, locked: bool = False) -> tuple[_Snapshot, JournalContents]:
        """Read the journal, then the snapshot (without the lock unless ``locked``).

        That order makes a lock-free read consistent: a compaction writes the snapshot
        (naming how much of the journal it holds) before it removes or replaces the
        journal, so whichever of its steps falls between the two reads, the journal bytes
        read and the snapshot read agree on what is folded. Damage found without the lock
        is read again under it, and only then put right (backup first).
        """
        journal_raw = files.read_file(self.journal_path)
        snapshot = self._cached_snapshot()
        journal = self._parse_journal(journal_raw)
        if snapshot is None:  # no cache of the snapshot's bytes: read them
            snapshot_raw = files.read_file(self.path)
            try:
                snapshot = self._parse_snapshot(snapshot_raw)
            except Damaged as exc:
                if not locked:
                    return self._read_files_locked()
                assert snapshot_raw is not None
                snapshot = self._salvage_snapshot(snapshot_raw[0], str(exc))
        if journal.damaged:
            if not locked:
                return self._read_files_locked()
            assert journal_raw is not None
            journal = self._salvage_journal(journal_raw[0], journal, snapshot.folded)
        return snapshot, journal

    def _read_files_locked(self) -> tuple[_Snapshot, JournalContents]:
        with self._locked():
            return self._read_files(locked=True)

    def _parse_journal(self, raw: tuple[bytes, os.stat_result] | None) -> JournalContents:
        if raw is None:
            return JournalContents()
        data, st = raw
        journal = parse_journal(self.journal_path, data)
        journal.inode = st.st_ino
        return journal

    def _cached_snapshot(self) -> _Snapshot | None:
        """The snapshot from its cache, when there is one made from exactly the bytes of
        the snapshot now (found by hashing the file in pieces, without holding it)."""
        hashed = files.hash_file(self.path)
        if hashed is None:
            return None
        sha, st = hashed
        cached = self._read_cache(sha)
        if cached is None:
            return None
        return _Snapshot(cached.scores, cached.folded, (st.st_ino, st.st_size, st.st_mtime_ns),
                         sha, cached=True)

    def _parse_snapshot(self, raw: tuple[bytes, os.stat_result] | None) -> _Snapshot:
        if raw is None:
            return _Snapshot(ScoreFile())
        data, st = raw
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        scores, folded = parse_snapshot(self.path, data)
        sha = hashlib.sha256(data).hexdigest()
        mark_passed(self.path, sha)  # (what ``check`` asks: these bytes need no parse again)
        return _Snapshot(scores, folded, key, sha)

    def _read_cache(self, sha: str) -> snapshot_cache.Cached | None:
        """The cache, if it was made from exactly these snapshot bytes; else None (a
        broken one is a warning: only speed is lost)."""
        try:
            raw = tomlio.read_bytes(self.cache_path, files.MAX_SCORE_BYTES, "a cache")
        except FileNotFoundError:
            return None
        except tomlio.FileProblem as exc:
            self._warn(f"{exc}; reading {self.path.name} instead")
            return None
        try:
            return snapshot_cache.decode(raw, sha)
        except Damaged as exc:
            self._warn(f"{self.cache_path}: {exc}; made again from {self.path.name} "
                       "(only this load was slower)")
            return None

    def _warn(self, line: str) -> None:
        if line not in self.warnings:
            self.warnings.append(line)

    def _stamp(self) -> str:
        return self._clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    def _salvage_snapshot(self, raw: bytes, reason: str) -> _Snapshot:
        """Under the lock: back the damaged snapshot up whole, then replace it with its
        good part, so every window goes on from the same state."""
        salvaged = salvage_snapshot(self.path, raw)
        backup = files.link_aside(self.path, f".corrupt-{self._stamp()}")
        self.recovered.append(backup)
        text = dump_scores(salvaged.scores, salvaged.folded).encode("utf-8")
        try:
            atomic_write_bytes(self.path, text)
        except OSError as exc:
            raise ScoreWriteError(f"{self.path}: damaged and backed up to {backup}, but the "
                                  f"good part cannot be written: {exc.strerror or exc}") from None
        self.notices.append(
            f"{self.path}: {reason}; kept {salvaged.cards} card records and "
            f"{salvaged.sessions} sessions from it; the whole file is backed up in {backup}")
        st = os.stat(self.path)
        return _Snapshot(salvaged.scores, salvaged.folded, (st.st_ino, st.st_size, st.st_mtime_ns),
                         hashlib.sha256(text).hexdigest())

    def _salvage_journal(self, raw: bytes, journal: JournalContents,
                         folded: Folded | None) -> JournalContents:
        """Under the lock: move just the damaged bytes to a backup and rewrite the journal
        from its intact entries not yet in the snapshot (under a new id, so none is folded
        twice)."""
        damaged = b"".join(raw[a:b] for a, b in journal.damaged)
        backup = files.write_backup(self.journal_path, f".corrupt-{self._stamp()}", damaged)
        self.recovered.append(backup)
        fresh = journal_header() + b"".join(raw[a:b] for a, b in journal.pending_spans(folded))
        try:
            atomic_write_bytes(self.journal_path, fresh)
        except OSError as exc:
            raise ScoreWriteError(f"{self.journal_path}: damaged; its damaged bytes are in "
                                  f"{backup}, but it cannot be rewritten: {exc.strerror or exc}") from None
        self.notices.append(
            f"{self.journal_path}: damaged; kept {journal.answers} answers, "
            f"{journal.unreadable} {'entry' if journal.unreadable == 1 else 'entries'} could "
            f"not be read (the damaged bytes are in {backup}; `quizapp scores recover "
            f"{backup}` merges back any answer still readable)")
        repaired = parse_journal(self.journal_path, fresh)
        repaired.inode = os.stat(self.journal_path).st_ino
        return repaired

    def _cache_for(self, snapshot: _Snapshot) -> bytes | None:
        """The cache of a snapshot just read from its TOML (None if it came from the cache,
        or there is no file): made from exactly the bytes read, so that only the first
        load after a hand edit, or after the cache was lost, parses the TOML."""
        if snapshot.cached or snapshot.key is None or snapshot.sha256 is None:
            return None
        return self._cache_bytes(snapshot.scores, snapshot.sha256, snapshot.folded)

    def _keep_cache(self, key: tuple[int, int, int] | None, data: bytes) -> None:
        """Write the cache made by ``_cache_for`` for the snapshot with stat ``key``, under
        the lock and only while the snapshot is still that file: a compaction in another
        window meanwhile has written the cache of its own, newer snapshot. Never touches
        the snapshot or the journal; a failure is a speed-only warning."""
        try:
            with self._locked(for_reading=True):
                if files.stat_key(self.path) == key:
                    self._write_cache(data)
        except ScoreWriteError as exc:
            self._warn(f"{self.cache_path}: cannot write the cache ({exc}); only speed is lost")

    def _cache_bytes(self, scores: ScoreFile, sha: str, folded: Folded | None) -> bytes | None:
        try:
            return snapshot_cache.encode(scores, sha, folded)
        except ValueError as exc:  # a value the cache cannot hold: only speed is lost
            self._warn(f"{self.cache_path}: cannot make the cache ({exc}); only speed is lost")
            return None

    def _write_cache(self, data: bytes) -> None:
        try:
            self._old_cache_path.unlink(missing_ok=True)  # an older quizapp's cache
        except OSError:
            pass
        try:
            atomic_write_bytes(self.cache_path, data)
        except OSError as exc:
            # Only speed is lost: the next load reads the TOML and tries again.
            self._warn(f"{self.cache_path}: cannot write the cache ({exc.strerror or exc}); "
                       "only speed is lost")
            try:
                self.cache_path.unlink()
            except OSError:
                pass

    def _fold_files(self, locked: bool) -> _Folding:
        """The slow part of a compaction: read the files, fold the journal in, make the
        new snapshot's TOML text and its cache (nothing is written)."""
        snapshot, journal = self._read_files(locked=locked)
        scores = snapshot.scores
        pending = journal.pending(snapshot.folded)
        for event in pending:
            fold(scores, event)
        text = cache = None
        folded = snapshot.folded
        if pending:
            folded = Folded(journal.id, journal.end) if journal.id is not None else None
            text = dump_scores(scores, folded).encode("utf-8")
            cache = self._cache_bytes(scores, hashlib.sha256(text).hexdigest(), folded)
        elif snapshot.key is not None and not snapshot.cached:
            assert snapshot.sha256 is not None
            cache = self._cache_bytes(scores, snapshot.sha256, snapshot.folded)
        return _Folding(snapshot, journal, scores, folded, text, cache)

    def _commit(self, done: _Folding, locked: bool) -> bool:
        """Put a compaction's files in place; False (nothing written) if, unlocked, another
        one got in first."""
        snapshot, journal, scores, folded, text, cache = (
            done.snapshot, done.journal, done.scores, done.folded, done.text, done.cache)
        with nullcontext() if locked else self._locked():
            if not locked and not self._unchanged(snapshot, journal):
                return False
            if text is not None:
                try:
                    atomic_write_bytes(self.path, text)
                except OSError as exc:
                    raise ScoreWriteError(
                        f"{self.path}: cannot fold the journal into it: {exc.strerror or exc}; "
                        f"every answer is safe in {self.journal_path.name}, and folding is "
                        "tried again next time") from None
            if cache is not None:
                self._write_cache(cache)
            tail, new_journal = self._replace_journal(journal)
            files.remove_stale_temp_files(self.path)
            self.last_folded = folded if text is not None else None
            with self._memory:
                for event in tail:
                    fold(scores, event)
                self._scores, self._journal_events = scores, len(tail)
                self._generation += 1
                self._snapshot_key, self._snapshot_folded = files.stat_key(self.path), folded
                self._journal_inode, self._journal_id, self._journal_end = new_journal
                if text is not None and folded is not None:
                    self._compacted = (self._snapshot_key, folded)
        return True

    def _unchanged(self, snapshot: _Snapshot, journal: JournalContents) -> bool:
        """Under the lock: are the files still the ones read (the journal may have grown)?"""
        if files.stat_key(self.path) != snapshot.key:
            return False
        current = files.stat_key(self.journal_path)
        if not journal.exists:
            return current is None
        return current is not None and current[0] == journal.inode and current[1] >= journal.end

    def _replace_journal(self, journal: JournalContents) -> tuple[list[AnyEvent], tuple[int | None, str | None, int]]:
        """Under the lock, once the snapshot holds the journal up to ``journal.end``: delete
        the journal or, if entries were completed after that point, replace it with a new
        journal holding just those. Returns the events carried over, and the journal now
        on disk (inode, id, end) for the in-memory state.

        What follows the last entry is either an entry finished since the read, or a dead
        writer's fragment (no append is in progress while we hold the lock), which goes.
        """
        if not journal.exists:
            return [], (None, None, 0)
        tail = files.read_tail(self.journal_path, journal.end)
        header = journal_header()
        fresh = header + tail
        carried = parse_journal(self.journal_path, fresh)
        if carried.damaged:
            # Leave it for the next load to put right; readers skip the part now folded.
            return [], (journal.inode, journal.id, journal.end)
        try:
            if carried.events:
                atomic_write_bytes(self.journal_path, fresh)
                return carried.events, (os.stat(self.journal_path).st_ino, carried.id, carried.end)
            self.journal_path.unlink()
        except OSError as exc:
            raise ScoreWriteError(
                f"{self.journal_path}: cannot start a new journal: {exc.strerror or exc}; the "
                f"snapshot holds every answer, and the next load skips those already in it"
            ) from None
        fsync_dir(self.path.parent)
        return [], (None, None, 0)

    def _append_locked(self, entry: bytes) -> None:
        flags = os.O_RDWR | os.O_APPEND | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
        try:
            try:
                fd = os.open(self.journal_path, flags)
            except FileNotFoundError:
                fd = -1
            if fd >= 0 and os.fstat(fd).st_size == 0:
                os.close(fd)  # an empty journal holds nothing: give it a header below
                fd = -1
            if fd < 0:
                journal_id = os.urandom(16).hex()
                atomic_write_bytes(self.journal_path, journal_header(journal_id))
                fd = os.open(self.journal_path, flags)
                self._journal_id = journal_id
                self._journal_inode = os.fstat(fd).st_ino
                self._journal_end = os.fstat(fd).st_size
        except OSError as exc:
            raise ScoreWriteError(f"{self.journal_path}: cannot write: {exc.strerror or exc}") from None
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                # The last writer was killed mid-entry: start on a line of our own.
                entry = b"\n" + entry
            view = memoryview(entry)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            self._journal_end = os.fstat(fd).st_size
        except OSError as exc:
            raise ScoreWriteError(
                f"{self.journal_path}: cannot save the answer: {exc.strerror or exc}") from None
        finally:
            os.close(fd)


def _with_answers(deck_id: str, card_id: str, record: CardRecord,
                  answers: list[AnswerEvent]) -> CardRecord:
    """``record`` (from a backup) with the card's ``answers`` given after its last one."""
    if not answers:
        return record
    scores = ScoreFile.model_construct(cards={deck_id: {card_id: record}}, sessions=[], recovered=[])
    last = record.last_answered
    for event in answers:
        if last is None or event.at > last:
            fold(scores, event)
    return scores.cards[deck_id][card_id]


def _anki_counted(scores: ScoreFile, event: AnswerEvent) -> bool:
    """Whether ``event`` is an Anki review its card's record counts already (an import
    since brought it in again: see ``CardRecord.anki_review``)."""
    if event.anki_review is None:
        return False
    record = scores.cards.get(event.deck, {}).get(event.card)
    return record is not None and record.anki_review is not None and (
        record.anki_review >= event.anki_review)


def _readable_events(path: Path, raw: bytes) -> tuple[list[AnyEvent], int]:
    """Every event that can still be read from a journal backup, and how many entries could
    not be read at all. An entry counts as readable when its TOML parses and the event
    validates, even if its checksum no longer matches (the person asked for it back)."""
    journal = parse_journal(path, raw, strict=False)
    events: list[AnyEvent] = list(journal.events)
    unreadable = 0
    for a, b in journal.damaged:
        for chunk in _entry_chunks(raw[a:b]):
            try:
                data = tomlio.parse_toml(tomlio.decode_text(chunk, path), path)
                events.append(EVENT.validate_python(data["events"][0]))
            except Exception:  # noqa: BLE001 - any failure means this entry is unreadable
                unreadable += 1
    return events, unreadable


def _entry_chunks(damaged: bytes) -> list[bytes]:
    """The pieces of damaged journal bytes that may each be one ``[[events]]`` entry."""
    pieces = damaged.split(b"[[events]]")
    return [b"[[events]]" + piece.split(b"\n# end len=", 1)[0].split(b"# end len=", 1)[0]
            for piece in pieces[1:]]

