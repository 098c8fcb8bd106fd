"""The deck cache's index: what home shows of each deck before any deck is loaded.

Each entry of the deck cache (``decks.DeckCache``, ``*.deck`` in the user cache folder)
starts with a small head: the deck file it is for (path, SHA-256, identity when it was
read) and what home needs (id, title, description, card counts). ``survey`` reads only
these heads. Nothing here imports pydantic or the card models, so that a start can draw
home from the index first and leave those to the thread that loads the decks.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import stat as stat_module
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from quizapp.paths import Locations, cache_dir

Origin = Literal["bundled", "user", "extra"]

# A deck file bigger than this takes a noticeable time to check when it is new or changed
# (a second or more per 10 MB): a start reads such a file after the others (``glance``).
BIG_DECK_BYTES = 1024 * 1024

# A file whose mtime and ctime are this much older than the moment it was read cannot
# change without its identity changing (file times are set from a clock that may lag by
# a few milliseconds; nothing can set a ctime back).
SETTLED_NS = 2_000_000_000


def settled(stamp: Sequence[int], read_at: int) -> bool:
    return max(stamp[3], stamp[4]) < read_at - SETTLED_NS


def identity(st: os.stat_result) -> tuple[int, ...]:
    """What changes whenever a file's content may have: a hand edit changes the size or
    the mtime, and always the ctime (which no program can set back)."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# The code a cache entry's verdict comes from: the deck model, and the code that reads a
# deck file and words its problems (an entry may keep a file's problems, as lines).
_VERDICT_CODE = ("models.py", "decks.py", "tomlio.py")


@functools.cache
def code_stamp() -> str:
    """This quizapp's deck model, deck reader and the pydantic that checked it, so that a
    cache made by another version is not used. Read from their files: nothing here
    imports pydantic, so that home can draw from the index before pydantic is loaded."""
    from quizapp import __version__
    from quizapp.fsutil import source_digest

    return f"{__version__}/marshal{marshal.version}/{source_digest(_VERDICT_CODE)}"


@dataclass(frozen=True)
class DeckSummary:
    """What the home screen shows of a deck before its cards are loaded: read from the
    head of its deck cache entry (or from the deck itself)."""

    id: str
    title: str
    description: str
    cards: int  # the cards of the file
    asked: int  # the cards a session asks (cloze deletions and reversed cards apart)


@dataclass(frozen=True)
class CacheHead:
    """The head of a deck cache entry: which file and bytes it is for, and what the home
    screen needs (``summary``) without loading the cards; or, for a file that is not a
    good deck, its problems (``summary`` is None then, and there are no cards)."""

    path: Path  # the entry
    key: str  # the deck file (resolved)
    digest: str  # SHA-256 of the deck file's bytes
    stamp: tuple[int, ...]  # the deck file's identity when it was read
    read_at: int
    info: tuple[object, ...]  # format, id, title, description, source, tags
    summary: DeckSummary | None
    chunks: tuple[tuple[int, int], ...]  # (length, crc32) of each chunk of cards
    offset: int  # where the first chunk starts
    # A broken file's problems, each line without the file's name it started with
    # (``problems_of`` puts back the name the caller reads the file by).
    problems: tuple[str, ...] = ()

    def problems_of(self, path: Path | str) -> list[str]:
        """The file's problems, as lines naming it ``path``."""
        return [f"{path}{rest}" for rest in self.problems]


class CacheFolder:
    """The deck cache's folder, as far as the index needs it: where an entry is, and its
    head (``decks.DeckCache`` adds the cards)."""

    FORMAT = 3
    MAGIC = b"QZDECK\x00\x03"
    CHUNK = 4096

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else cache_dir() / "decks"
        # One line per entry found damaged, foreign or unsafe (it is not used, and is made
        # again): only time was lost, which is all these lines say.
        self.damaged: list[str] = []

    def _damaged(self, deck: Path | str, why: str) -> None:
        self.damaged.append(f"{deck}: {why}; made again (this start was only slower)")

    def entry_path(self, key: Path) -> Path:
        return self.folder / f"{hashlib.sha256(str(key).encode('utf-8')).hexdigest()[:32]}.deck"

    def _open(self, entry: Path, deck: Path | str) -> BinaryIO | None:
        try:
            fd = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            st = os.fstat(fd)
        except OSError:
            os.close(fd)
            return None
        if (not stat_module.S_ISREG(st.st_mode) or st.st_uid != os.getuid()
                or st.st_mode & 0o022):
            os.close(fd)
            self._damaged(deck, "its deck cache entry is not a private file of this user")
            return None
        return os.fdopen(fd, "rb")

    def head(self, key: Path) -> CacheHead | None:
        """The head of the entry for the deck file ``key``, or None (none, foreign,
        damaged, made by another quizapp)."""
        entry = self.entry_path(key)
        handle = self._open(entry, key)
        if handle is None:
            return None
        with handle:
            try:
                start = handle.read(len(self.MAGIC) + 4)
                if start[:6] == self.MAGIC[:6] and start[:len(self.MAGIC)] != self.MAGIC:
                    return None  # another version's entry: made again, nothing to say
                if len(start) != len(self.MAGIC) + 4 or not start.startswith(self.MAGIC):
                    self._damaged(key, "its deck cache entry was not a quizapp cache file")
                    return None
                (size,) = struct.unpack("<I", start[len(self.MAGIC):])
                raw = handle.read(size)
                fields = marshal.loads(raw)
                (version, code, name, digest, stamp, read_at, info, summary, chunks,
                 problems) = fields
                head = CacheHead(entry, name, digest, tuple(stamp), read_at, tuple(info),
                                 None if summary is None else DeckSummary(*summary),
                                 tuple(map(tuple, chunks)), len(start) + size,
                                 tuple(map(str, problems)))
            except (OSError, ValueError, EOFError, TypeError, struct.error):
                self._damaged(key, "its deck cache entry was damaged")
                return None
        if (version, code, name) != (self.FORMAT, code_stamp(), str(key)):
            return None  # made by another quizapp, or for another file
        return head


def deck_files(locations: Locations) -> tuple[list[tuple[Path, Origin]], list[str]]:
    """Every deck file in the deck folders (bundled, user, then extra), each once, and a
    line for each extra folder that is not there."""
    origins: list[tuple[Path, Origin]] = [
        (locations.bundled_decks, "bundled"),
        (locations.user_decks, "user"),
        *((d, "extra") for d in locations.extra_decks),
    ]
    files: list[tuple[Path, Origin]] = []
    problems: list[str] = []
    visited: set[Path] = set()
    for folder, origin in origins:
        if not folder.is_dir():
            if origin == "extra":  # named by the person (--decks, $QUIZAPP_DECKS): say so
                state = "is a file, not a folder" if folder.exists() else "does not exist"
                problems.append(f"{folder}: deck folder {state} (from --decks or "
                                "$QUIZAPP_DECKS)")
            continue
        for path in sorted(folder.glob("*.toml")):
            if path.resolve() in visited:  # the same folder given twice
                continue
            visited.add(path.resolve())
            files.append((path, origin))
    return files, problems


@dataclass(frozen=True)
class Glimpse:
    """A deck as the deck cache's index describes it, before its cards are loaded."""

    summary: DeckSummary
    digest: str  # SHA-256 of the deck file's bytes (what the score side keys counts by)
    path: Path
    origin: Origin

    @property
    def id(self) -> str:
        return self.summary.id


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, read a megabyte at a time; None if it cannot be read."""
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        if not stat_module.S_ISREG(os.fstat(fd).st_mode):
            return None  # never wait on a pipe swapped in for the deck
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return digest.hexdigest()


@dataclass(frozen=True)
class Glance:
    """What the deck cache's index can say of the deck folders before anything is
    loaded (``glance``): the decks it vouches for, the problems it knows (a folder
    missing, the kept verdict of a file that is not a good deck), and the files it
    cannot vouch for (new, changed since they were cached), which only loading tells."""

    glimpses: list[Glimpse]
    problems: list[str]
    unread: list[Path]
    big: list[Path]  # those of ``unread`` over ``BIG_DECK_BYTES``: seconds to check each

    @property
    def whole(self) -> bool:
        """Every deck file is a good deck the index vouches for (``survey``)."""
        return not self.problems and not self.unread


def glance(locations: Locations) -> Glance | None:
    """Every deck file as the heads of the deck cache's entries describe it (a few
    hundred bytes each, no card loaded), so that home can draw at once, whatever the size
    of the decks and whether one of them is broken (a file not settled when it was cached
    is hashed first: one read of it). None when two decks share an id: which is shown
    and which is skipped is said by loading them."""
    files, problems = deck_files(locations)
    cache = CacheFolder()
    glimpses: list[Glimpse] = []
    unread: list[Path] = []
    big: list[Path] = []
    seen: set[str] = set()
    for path, origin in files:
        try:
            stamp = identity(path.stat())
        except OSError:
            unread.append(path)  # (gone since it was listed: loading says so)
            continue
        head = cache.head(path.resolve())
        if head is None or head.stamp != stamp or (
                not settled(stamp, head.read_at) and file_digest(path) != head.digest):
            unread.append(path)  # (a file saved just before it was cached, say by the browser)
            if stamp[2] > BIG_DECK_BYTES:
                big.append(path)
            continue
        if head.summary is None:
            problems.extend(head.problems_of(path))
            continue
        if head.summary.id in seen:
            return None  # shadowed: loading says so
        seen.add(head.summary.id)
        glimpses.append(Glimpse(head.summary, head.digest, path, origin))
    return Glance(glimpses, problems, unread, big)


def survey(locations: Locations) -> list[Glimpse] | None:
    """Every deck that ``discover`` would find, from the heads of the deck cache's
    entries alone (``glance``). None when that cannot be trusted: a deck file new, changed
    since it was cached (see ``load_deck_cached``), one that has problems or an id
    another file has, a deck folder missing; then the decks must be loaded to show them."""
    seen = glance(locations)
    return seen.glimpses if seen is not None and seen.whole else None
