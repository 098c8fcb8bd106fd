"""The score file: a TOML snapshot plus an append-only journal, locked, cheap per answer.

Split by concern, behind this one API:

- ``events.py``    what each event does to the scores (``fold``, pure);
- ``journal.py``   the journal's entries: framing, checksums, salvage;
- ``snapshot.py``  the snapshot's TOML (with its end line) and its salvage;
- ``cache.py``     the snapshot's cache, which loads fast;
- ``records.py``   card records in memory (compact, not pydantic models);
- ``files.py``     reading, locking, backups: the only platform-specific code;
- ``scorestore.py`` ``ScoreStore``, which puts them together.

Five files live side by side (``scores.toml`` stands for whatever path was chosen):

``scores.toml``
    The snapshot (see ``snapshot.py``): human-readable, sorted, ending with an end line
    so a cut-off copy is always noticed. Only ever replaced whole (temp file, fsync,
    ``os.replace``). Its ``[journal]`` table says which journal (``id``) and how much of
    it (``bytes``) is already folded in.

``scores.toml.journal``
    Every change since the last compaction, one checksummed entry per event (see
    ``journal.py``). Recording an answer appends its entries in one write and fsyncs: the
    cost does not grow with the number of cards, and once the write returns the answer is
    on disk.

``scores.toml.lock``
    Held by every write and by the short final step of a compaction (``portalocker``), so
    two windows never interleave writes. Each operation opens it anew, so two threads of
    one process exclude each other too. Never deleted.

``scores.toml.live``
    Marks the sessions being played: a window holds a lock on one byte of it per session
    it plays (``files.hold_session``), dropped when the session's end is written or the
    process ends, so another window never resumes a session still being played. Empty;
    never deleted.

``scores.toml.cache``
    The snapshot in a form that loads fast; never the truth, safe to delete (see
    ``cache.py``).

A score file that is a symlink stays one: the store works on the link's target.

Writing (``ScoreStore.write``)
    Every write (answer, undo, suspend, session record) is made from the latest state on
    disk, under the lock: the store first reads what other windows appended since its last
    read (or everything, if one compacted), then lets the caller build its events from
    that state. An answer's memory state therefore starts from the card including other
    windows' answers, and undo is an ``UndoEvent`` naming the answer it takes back, folded
    like any other event: it never writes back a record remembered from earlier, so it
    never erases another window's answer.

Reading (``load``)
    Without the lock, and never writing except to put a damaged file right, so read-only
    commands such as ``quizapp stats`` change nothing. The journal is read before the
    snapshot; since a compaction writes the snapshot before it removes or replaces the
    journal, the two reads agree whichever step of a concurrent compaction falls between.

Compaction (``compact``)
    Read and fold, write the TOML text, all without the lock (appends go on meanwhile).
    Then, under the lock: check no other compaction got in between (else start over,
    locked throughout); write the snapshot with ``[journal] bytes`` = where the last
    complete entry read ends; delete the journal or replace it with one holding just the
    entries completed since. A kill between the two steps leaves readers skipping the
    entries the snapshot holds. A full disk leaves every answer in the journal, and says so.

Damaged files (the score file is never truncated, silently replaced or partly dropped)
    - A snapshot that is cut off, not UTF-8 or not TOML is backed up whole
      (``scores.toml.corrupt-<UTC time>``, never overwriting another backup) and replaced
      by its good part; a journal keeps every intact entry and only its damaged bytes go
      to a backup (``scores.toml.journal.corrupt-<UTC time>``). ``ScoreStore.notices``
      says what was kept and where the backup is; the command line and the app show it.
      ``quizapp scores recover BACKUP`` merges back what can still be read of a backup,
      each answer once.
    - A newer ``format``, a schema problem (unknown key, a count out of range, a naive
      datetime) or an unknown event kind raises ``ScoreFileError`` naming the file, the
      field and the line, and leaves the file alone: a person can fix it by hand, and
      moving it aside would hide data.
"""

# Only the plain part is imported with the package: ``store.files`` (no pydantic), so a
# start can read the files' identity (``files.identity_on_disk``) before the models load.
# The rest is imported on first use of its name.
from typing import TYPE_CHECKING

from quizapp.store.files import (
    MAX_SCORE_BYTES,
    Damaged,
    ScoreFileError,
    ScoreWriteError,
)

if TYPE_CHECKING:
    from quizapp.store.events import AnyEvent, answer_key, fold
    from quizapp.store.journal import Folded, JournalContents, frame, journal_entry, parse_journal
    from quizapp.store.scorestore import COMPACT_AFTER, RecoverResult, ScoreStore
    from quizapp.store.snapshot import dump_scores, parse_snapshot, salvage_snapshot

_LAZY = {
    "AnyEvent": "events", "answer_key": "events", "fold": "events",
    "Folded": "journal", "JournalContents": "journal", "frame": "journal",
    "journal_entry": "journal", "parse_journal": "journal",
    "COMPACT_AFTER": "scorestore", "RecoverResult": "scorestore", "ScoreStore": "scorestore",
    "dump_scores": "snapshot", "parse_snapshot": "snapshot", "salvage_snapshot": "snapshot",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "COMPACT_AFTER",
    "MAX_SCORE_BYTES",
    "AnyEvent",
    "Damaged",
    "Folded",
    "JournalContents",
    "RecoverResult",
    "ScoreFileError",
    "ScoreStore",
    "ScoreWriteError",
    "answer_key",
    "dump_scores",
    "fold",
    "frame",
    "journal_entry",
    "parse_journal",
    "parse_snapshot",
    "salvage_snapshot",
]
