"""Safe file writes: a temp file in the same folder, flush, fsync, ``os.replace``."""

from __future__ import annotations

import errno
import functools
import os
import tempfile
from pathlib import Path


def link_target(path: Path) -> Path:
    """The file a write to ``path`` is to replace: for a symlink (a deck or settings file
    kept in a git repository or a synced folder) its target, so that the link stays a
    link and the edit lands where the person keeps the file; else ``path`` itself."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a crash leaves the old file or the new one."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` atomically. ``mode`` sets the new file's permissions
    (default: the old file's, or what the umask gives a new file). A symlink stays one: the
    file it points to is replaced (``link_target``)."""
    path = link_target(path)
    _make_parent(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600): give it the old file's mode, or for a new
        # file the mode any other new file gets under the person's umask.
        if mode is None:
            mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(path.parent)


def write_new_text(path: Path, text: str) -> None:
    """Create ``path`` with ``text`` atomically; never replaces an existing file
    (raises ``FileExistsError``)."""
    path = Path(path)
    _make_parent(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.link(tmp, path)  # fails if path exists, unlike os.replace
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    fsync_dir(path.parent)


def _make_parent(path: Path) -> None:
    """Create the folder ``path`` goes in. A file standing where a folder should be is
    ``NotADirectoryError`` naming it (mkdir would say "File exists", which misleads)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise NotADirectoryError(errno.ENOTDIR, f"{path.parent} is not a folder") from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@functools.cache
def source_digest(names: tuple[str, ...]) -> str:
    """A digest of these quizapp source files (paths inside the package) and of the
    pydantic that checks what they read: a cache that keeps a verdict of this code (a deck
    was valid, a snapshot passed its check) names it, so another version's verdict is not
    trusted. Read from the files, so that nothing here imports pydantic."""
    import hashlib
    import importlib.util

    here = Path(__file__).parent
    code = b"\0".join((here / name).read_bytes() for name in names)
    spec = importlib.util.find_spec("pydantic")
    origin = spec.origin if spec is not None else None
    pydantic_version = Path(origin).with_name("version.py").read_bytes() if origin else b""
    return hashlib.sha256(code + b"\0" + pydantic_version).hexdigest()[:16]
