"""The score file's plumbing: reading, locking, backups. The store's only platform code.

Everything that differs between Linux, macOS and Windows is here: the lock (``flock``
on Unix, ``LockFileEx`` through ``portalocker`` on Windows), hard links (missing on
some file systems and on FAT), and the mode a new file gets. ``signals.py`` holds the
same for signals.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quizapp import errors, tomlio
from quizapp.fsutil import fsync_dir

# The largest snapshot, journal or cache read: a year of daily study is a few MB, and
# 100k cards about 25 MB. Larger is not a score file.
MAX_SCORE_BYTES = 256 * 1024 * 1024

_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS}


ScoreFileError = errors.ScoreFileError  # part of the store API


class ScoreWriteError(ScoreFileError, OSError):
    """Writing a score file failed (a full disk, a read-only folder). Also an ``OSError``,
    so callers that guard writes with ``except OSError`` still catch it."""

    def __init__(self, message: str) -> None:
        ScoreFileError.__init__(self, message)

    def __str__(self) -> str:
        return str(self.args[0])


class Damaged(Exception):
    """Bytes quizapp wrote that no longer read back (cut off, a flipped byte, garbage)."""


def read_file(path: Path) -> tuple[bytes, os.stat_result] | None:
    """A file's bytes and the stat of the very file they came from; None when missing."""
    try:
        return tomlio.read_file(path, MAX_SCORE_BYTES, "a score file")
    except FileNotFoundError:
        return None
    except tomlio.FileProblem as exc:
        raise ScoreFileError(str(exc)) from None


def hash_file(path: Path) -> tuple[str, os.stat_result] | None:
    """The SHA-256 of a regular file's bytes and the ``fstat`` of the very file hashed,
    read in pieces (a 35 MB snapshot is never in memory whole just to find its cache);
    None when the file is missing or is not a regular file of at most ``MAX_SCORE_BYTES``
    (``read_file`` then says what is wrong with it)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(
        os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_SCORE_BYTES:
            return None
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest(), st
    except OSError:
        return None
    finally:
        os.close(fd)


def read_tail(path: Path, start: int) -> bytes:
    """The bytes of ``path`` from ``start`` on (what was appended since a read)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(start)
            return handle.read(MAX_SCORE_BYTES + 1)
    except OSError as exc:
        raise ScoreFileError(f"{path}: cannot read: {exc.strerror or exc}") from None


def stat_key(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime) of ``path``, or None when it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def score_path(path: Path) -> Path:
    """Where the store works for the score file ``path``: a symlink (say into a dotfiles
    repository) stays one, so the snapshot is replaced, and the journal and lock kept,
    next to its target."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def journal_path(path: Path) -> Path:
    """The journal of the snapshot ``path`` (``score_path``)."""
    return path.with_name(path.name + ".journal")


def identity_on_disk(path: Path) -> tuple[object, ...]:
    """Which files, up to which byte, make the scores of snapshot ``path`` (``score_path``)
    now, from their ``stat`` alone: (snapshot inode, size and mtime; journal inode and
    size). ``ScoreStore.identity`` is the same for the scores it read."""
    try:
        st = os.stat(journal_path(path))
        journal: tuple[object, int] = (st.st_ino, st.st_size)
    except FileNotFoundError:
        journal = (None, 0)
    return (stat_key(path), *journal)


@contextmanager
def locked(lock_path: Path, for_reading: bool = False) -> Iterator[None]:
    """Hold ``lock_path`` (an exclusive lock) for the duration of the block.

    Each call opens the lock file anew, so two threads of one process exclude each other
    as two processes do. The lock file is never deleted (that reopens the race). A reader
    in a folder it cannot write to goes on without the lock.
    """
    if not for_reading:
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ScoreWriteError(
                f"{lock_path.parent}: cannot create the folder: {exc.strerror or exc}"
            ) from None
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        if for_reading:
            yield
            return
        raise ScoreWriteError(f"{lock_path}: cannot lock: {exc.strerror or exc}") from None
    with os.fdopen(fd, "r+b") as handle:
        try:
            _lock(handle)
        except OSError as exc:
            raise ScoreWriteError(f"{lock_path}: cannot lock: {exc}") from None
        yield  # closing the file releases the lock


def _lock(handle) -> None:
    """Wait for an exclusive lock on ``handle``'s file (closing the file releases it).
    On Unix this is ``flock``, as portalocker does it there; portalocker itself is
    imported on Windows only: its import resolves its own version from the installed
    packages' metadata (more than the rest of the store's imports), and every start
    reads the scores."""
    if os.name == "nt":
        import portalocker

        try:
            portalocker.lock(handle, portalocker.LOCK_EX)
        except portalocker.LockException as exc:
            raise OSError(str(exc)) from None
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


def free_name(path: Path, suffix: str) -> Path:
    """``path`` + ``suffix``, then ``-1``, ``-2``... : the first name not taken."""
    n = 0
    while True:
        candidate = path.with_name(f"{path.name}{suffix}" + (f"-{n}" if n else ""))
        if not os.path.lexists(candidate):
            return candidate
        n += 1


def move_aside(path: Path, suffix: str) -> Path:
    """Rename ``path`` to a backup named ``path`` + ``suffix`` that never overwrites
    another file (a hard link then unlink; where the file system has no hard links, a
    rename after checking the name is free: the caller holds the lock)."""
    backup = link_aside(path, suffix)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ScoreWriteError(f"{path}: cannot move it aside: {exc.strerror or exc}") from None
    fsync_dir(path.parent)
    return backup


def link_aside(path: Path, suffix: str) -> Path:
    """A backup of ``path`` under a free name, leaving ``path`` in place where the file
    system has hard links (else ``path`` is renamed)."""
    while True:
        backup = free_name(path, suffix)
        try:
            os.link(path, backup)  # fails if ``backup`` exists: never clobbers
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise ScoreWriteError(
                    f"{path}: damaged, and cannot be backed up: {exc.strerror or exc}"
                ) from None
            try:
                os.rename(path, backup)
            except OSError as exc2:
                raise ScoreWriteError(
                    f"{path}: damaged, and cannot be backed up: {exc2.strerror or exc2}"
                ) from None
        fsync_dir(path.parent)
        return backup


def write_backup(path: Path, suffix: str, data: bytes) -> Path:
    """A new file next to ``path`` holding ``data``, under a name no other file has."""
    while True:
        backup = free_name(path, suffix)
        try:
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise ScoreWriteError(f"{backup}: cannot write a backup: {exc.strerror or exc}") from None
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except OSError as exc:
            os.close(fd)
            os.unlink(backup)
            raise ScoreWriteError(f"{backup}: cannot write a backup: {exc.strerror or exc}") from None
        os.close(fd)
        fsync_dir(path.parent)
        return backup


def remove_stale_temp_files(path: Path) -> None:
    """Temp files left by a writer killed mid-write (the caller holds the lock)."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            stale.unlink()
        except OSError:
            pass  # only tidiness is lost


# --------------------------------------------------------------------------- live sessions
#
# A session being played holds a one-byte POSIX record lock (``lockf``) in
# ``<scores>.live``, at an offset made from its id, for as long as it is played: from its
# first answer until its end is written, or the process ends (the kernel drops the lock
# of a killed process, so a session cut short by a kill is free again at once). Another
# window asks before it resumes a session (``played_elsewhere``). Record locks belong to
# the process and closing any descriptor of the file drops them all, so each process
# keeps one descriptor per live file while it holds a session. Where ``fcntl`` is missing
# (Windows), no session is marked: resuming works as before.

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

_LIVE: dict[str, tuple[int, set[str]]] = {}  # live file -> (descriptor, sessions held)
_LIVE_GUARD = threading.Lock()
_HELD = {errno.EACCES, errno.EAGAIN}


def live_path(path: Path) -> Path:
    """The file whose locks mark the sessions being played (``score_path``)."""
    return path.with_name(path.name + ".live")


def _offset(session_id: str) -> int:
    return int.from_bytes(hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).digest()[:7],
                          "big")


def hold_session(path: Path, session_id: str) -> bool:
    """Mark session ``session_id`` of the score file ``path`` as played by this process,
    until ``release_session`` or the process ends. False when another process holds it
    already (it is played there: take another); True otherwise. Best effort: where it
    cannot be marked (no fcntl, a folder that cannot be written) it stays unmarked."""
    if fcntl is None:
        return True
    key = str(live_path(path))
    with _LIVE_GUARD:
        entry = _LIVE.get(key)
        if entry is not None and session_id in entry[1]:
            return True
        try:
            fd = entry[0] if entry is not None else os.open(
                key, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
        except OSError:
            return True
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _offset(session_id))
        except OSError as exc:
            if entry is None:
                os.close(fd)
            return exc.errno not in (errno.EAGAIN, errno.EACCES)
        if entry is None:
            entry = _LIVE[key] = (fd, set())
        entry[1].add(session_id)
        return True


def release_session(path: Path, session_id: str) -> None:
    """The session is no longer played here (its end is written)."""
    if fcntl is None:
        return
    key = str(live_path(path))
    with _LIVE_GUARD:
        entry = _LIVE.get(key)
        if entry is None or session_id not in entry[1]:
            return
        fd, held = entry
        held.discard(session_id)
        if held:
            try:
                fcntl.lockf(fd, fcntl.LOCK_UN, 1, _offset(session_id))
            except OSError:
                pass
        else:
            del _LIVE[key]
            os.close(fd)  # (drops the last lock)


def played_elsewhere(path: Path, session_ids: set[str]) -> set[str]:
    """Those of ``session_ids`` that another running process is playing now."""
    if fcntl is None or not session_ids:
        return set()
    key = str(live_path(path))
    with _LIVE_GUARD:
        entry = _LIVE.get(key)
        if entry is not None:
            fd, held = entry
        else:
            held = set()
            try:
                fd = os.open(key, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                return set()  # no session was ever marked (or none can be)
        elsewhere = set()
        try:
            for session_id in session_ids - held:
                offset = _offset(session_id)
                try:
                    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset)
                except OSError as exc:
                    if exc.errno in _HELD:
                        elsewhere.add(session_id)
                    continue
                fcntl.lockf(fd, fcntl.LOCK_UN, 1, offset)
        finally:
            if entry is None:
                os.close(fd)
        return elsewhere
