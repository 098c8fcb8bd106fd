"""Changing the deck files of the user decks folder: writing new decks and updates,
removing a deck, exporting one, an Anki package's media, and editing one card.

The ``Workspace`` offers these to both front ends (``plan_decks``, ``write_decks``,
``deck_to_remove``, ``export_deck``, ``stage_media``); here is the work and the values it
returns, which each front end puts into its own words. Nothing here prints or asks.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from quizapp.decks import Catalog, DeckEntry, DeckError, dump_deck, load_deck_cached
from quizapp.decks import read_deck_text, remember
from quizapp.errors import InteropError, NotFound
from quizapp.fsutil import atomic_write_bytes, atomic_write_text, link_target
from quizapp.models import Deck
from quizapp.paths import Locations

if TYPE_CHECKING:
    from quizapp.interop.update import Install


@dataclass(frozen=True)
class DeckChanges:
    """What writing decks into the user decks folder would do (``Workspace.plan_decks``);
    nothing is written yet. Each ``Install`` is a new deck, or one replacing a deck of
    the person's own with its ``plan`` (cards added, changed, removed)."""

    installs: tuple[Install, ...]

    @property
    def losing(self) -> int:
        """How many cards with progress would leave their deck: a front end asks the
        person before ``write_decks`` when there are any."""
        return sum(len(i.plan.removed_with_progress) for i in self.installs if i.plan)


class StagedMedia:
    """An Anki package's media, unpacked before its decks are written (see
    ``Workspace.stage_media``); ``folder`` is None when the decks need none."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def place(self, deck_id: str, deck_file: Path) -> tuple[Path, int] | None:
        """Move deck ``deck_id``'s media into the folder beside ``deck_file`` (files
        already there are kept): that folder and how many files were new, or None when
        the deck has no media. Raises ``OSError``; the deck itself is written already."""
        if self.folder is None:
            return None
        from quizapp.interop.package import place_media

        target = deck_file.with_suffix(".media")
        return target, len(place_media(self.folder / deck_id, target))

    def __enter__(self) -> StagedMedia:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.folder is not None:
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)


@dataclass(frozen=True)
class CannotRemove:
    """Why ``deck_id`` is not a deck that may be removed: none has that id
    (``unknown-deck``), it is bundled with quizapp (``bundled``), or it is in an extra
    deck folder (``elsewhere``: the person deletes that file themselves)."""

    reason: Literal["unknown-deck", "bundled", "elsewhere"]
    deck_id: str
    entry: DeckEntry | None = None


# --------------------------------------------------------------------------- new decks


def plan(locations: Locations, catalog: Catalog, decks: Sequence[Deck], source: Path | str,
         *, update: bool = False, texts: Sequence[str] | None = None,
         hint: str | None = None) -> DeckChanges:
    """What writing ``decks`` into the user decks folder would do; nothing is written (see
    ``Workspace.plan_decks``). Raises ``DeckError`` naming ``source`` and every clash."""
    from quizapp.interop.update import prepare_install

    try:
        installs = prepare_install(locations, list(decks), update=update, source=str(source),
                                   hint=hint, catalog=catalog,
                                   texts=list(texts) if texts is not None else None)
    except InteropError as exc:
        raise DeckError(exc.problems) from None
    return DeckChanges(tuple(installs))


def write(changes: DeckChanges, written: Callable[[Install], object] | None = None) -> None:
    """Write the planned decks in order (see ``Workspace.write_decks``); raises
    ``DeckError`` naming the file at the first that cannot be written."""
    from quizapp.interop.update import write_install

    for install in changes.installs:
        if install.old is None or install.old != install.deck:
            try:
                write_install(install)
            except FileExistsError:
                raise DeckError([f"{install.target}: already exists; nothing more was "
                                 "written"]) from None
            except OSError as exc:
                raise DeckError([f"{install.target}: cannot write: "
                                 f"{exc.strerror or exc}"]) from None
        if written is not None:
            written(install)


def stage_media(package: Path, collection: object, media: dict[str, set[str]],
                decks_folder: Path) -> StagedMedia:
    """An Anki package's media, unpacked and checked before its decks are written (see
    ``Workspace.stage_media``)."""
    from quizapp.interop.package import stage_media as unpack

    return StagedMedia(unpack(package, collection, media, decks_folder))


# --------------------------------------------------------------------------- removing


def to_remove(catalog: Catalog, user_decks: Path, deck_id: str) -> DeckEntry | CannotRemove:
    """The deck file that removing ``deck_id`` deletes, or why none may be (see
    ``Workspace.deck_to_remove``)."""
    entry = catalog.get(deck_id)
    if entry is not None and entry.origin != "user":
        entry = _shadowed_user_deck(catalog, user_decks, deck_id) or entry
    if entry is None:
        return CannotRemove("unknown-deck", deck_id)
    if entry.origin == "bundled":
        return CannotRemove("bundled", deck_id, entry)
    if entry.origin != "user":
        return CannotRemove("elsewhere", deck_id, entry)
    return entry


def _shadowed_user_deck(catalog: Catalog, user_decks: Path, deck_id: str) -> DeckEntry | None:
    """A deck of the person's own with ``deck_id`` that another deck shadows."""
    folder = user_decks.resolve()
    for path, _kept in catalog.shadowed:
        if path.parent.resolve() != folder:  # (the file may be a symlink to elsewhere)
            continue
        try:
            deck = load_deck_cached(path)
        except DeckError:
            continue
        if deck.id == deck_id:
            return DeckEntry(deck, path, "user")
    return None


# --------------------------------------------------------------------------- exporting


def export(catalog: Catalog, deck_id: str, out: Path, fmt: str, *,
           replace: bool = False, warnings: list[str] | None = None) -> DeckEntry:
    """Write deck ``deck_id`` to ``out`` in format ``fmt`` (see ``Workspace.export_deck``);
    the pictures and sounds its cards show come from the media folder beside its file."""
    from quizapp.interop import export_deck

    entry = catalog.get(deck_id)
    if entry is None:
        raise NotFound(f"no deck with id {deck_id!r}")
    if out.exists() and not replace:
        raise FileExistsError(errno.EEXIST, "already exists", str(out))
    if out.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(out))
    media = entry.path.with_suffix(".media")
    atomic_write_bytes(out, export_deck(entry.deck, fmt, media_folder=media, warnings=warnings))
    return entry


# --------------------------------------------------------------------------- editing

Stamp = tuple[int, int, int]


def file_stamp(path: Path) -> Stamp | None:
    """What tells that a file changed (inode, size, modification time); None if missing."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def update_deck(path: Path, old: Deck, new: Deck, stamp: Stamp | None) -> Stamp | None:
    """Write ``new`` over the deck file ``path``, which held ``old`` when it had ``stamp``.
    Only the cards that changed are rewritten: the person's comments and layout elsewhere
    stay as they were (``deckedit``).

    Raises ``DeckError`` (nothing written) when the file changed on disk since, or when
    ``new`` would not load back; ``OSError`` when it cannot be written. Returns the
    file's new stamp."""
    if stamp is not None and file_stamp(path) != stamp:
        raise DeckError([f"{path}: the file changed on disk since the browser opened it; "
                         "nothing was written. Go back and reload (r) to see it."])
    from quizapp.deckedit import edit_deck_text  # tomlkit: imported on the first edit

    text = edit_deck_text(read_deck_text(path), old, new, str(path))
    atomic_write_text(link_target(path), text)  # (a symlinked deck stays one)
    stamp = file_stamp(path)
    remember(path, text, new)  # the reload that follows need not parse the deck again
    return stamp


def deck_text(deck: Deck) -> str:
    """The TOML text of a deck made by a program (an import, an article)."""
    return dump_deck(deck)
