"""Reading Anki packages (``.apkg``, ``.colpkg``): the zip, its collection and its media.

A package is a zip holding an SQLite collection and numbered media files:

- Anki 2.1.50+ (the default since): ``collection.anki21b`` compressed with zstd, a
  ``media`` list that is a zstd-compressed protobuf, zstd-compressed media files, and a
  ``collection.anki2`` that only tells older versions to update.
- older packages and "legacy" exports: ``collection.anki21`` (or ``collection.anki2``),
  a JSON ``media`` list, media files as they are.

Nothing here trusts the file: member names are checked, every member is read with a
cap (whatever its header says), the collection is opened read-only from a private
temporary copy, and a database without Anki's tables is refused. ``read_package``
returns plain data (``Collection``); turning it into decks is ``anki_import``'s job.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from quizapp.interop.common import InteropError

MAX_PACKAGE_BYTES = 2 * 1024 ** 3  # the .apkg file itself
MAX_COLLECTION_BYTES = 512 * 1024 ** 2  # the collection once decompressed
MAX_MEDIA_FILE_BYTES = 256 * 1024 ** 2  # one media file once decompressed
MAX_MEDIA_TOTAL_BYTES = 4 * 1024 ** 3  # all media once decompressed
MAX_MEMBERS = 200_000
MAX_MEDIA_LIST_BYTES = 64 * 1024 ** 2
CHUNK = 1024 * 1024

COLLECTION_NAMES = ("collection.anki21b", "collection.anki21", "collection.anki2")
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


@dataclass
class NoteType:
    id: int
    name: str
    cloze: bool
    fields: list[str]
    templates: list[tuple[str, str, str]]  # (name, question format, answer format) by ord
    css: str = ""


@dataclass
class Note:
    id: int
    guid: str
    notetype: int
    tags: list[str]
    fields: list[str]


@dataclass
class AnkiCard:
    id: int
    note: int
    deck: int  # its home deck (a card moved into a filtered deck counts in its own)
    ord: int
    suspended: bool = False


@dataclass
class Review:
    """One row of Anki's review log: when (ms since the epoch), which card, which button."""

    at_ms: int
    card: int
    ease: int  # 1 Again, 2 Hard, 3 Good, 4 Easy; 0: a manual reschedule
    kind: int  # 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled


@dataclass
class Collection:
    notetypes: dict[int, NoteType]
    decks: dict[int, tuple[str, str]]  # id -> (name with "::", description)
    notes: dict[int, Note]
    cards: list[AnkiCard]
    reviews: list[Review]
    media: dict[str, str] = field(default_factory=dict)  # media file name -> zip member
    # A bare collection file: its media are the files of the folder Anki keeps beside it
    # (``collection.media`` for ``collection.anki2``), named in ``media`` as themselves.
    media_folder: Path | None = None


# --------------------------------------------------------------------------- protobuf


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("bad varint")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def proto_fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) pairs of a protobuf message: ints for varints and fixed
    numbers, bytes for length-delimited fields (the few Anki messages read here need no
    more than that)."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            yield number, value
        elif wire == 2:
            length, pos = _varint(data, pos)
            if pos + length > len(data):
                raise ValueError("truncated field")
            yield number, data[pos:pos + length]
            pos += length
        elif wire == 1:
            yield number, int.from_bytes(data[pos:pos + 8], "little")
            pos += 8
        elif wire == 5:
            yield number, int.from_bytes(data[pos:pos + 4], "little")
            pos += 4
        else:
            raise ValueError(f"unsupported wire type {wire}")


def _proto_get(data: bytes, number: int, default: int | bytes) -> int | bytes:
    for n, value in proto_fields(data):
        if n == number:
            return value
    return default


# --------------------------------------------------------------------------- zip


def _check_names(path: Path, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InteropError([f"{path}: the package holds {len(infos):,} files (at most "
                            f"{MAX_MEMBERS:,}); refused"])
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if (not name or name.startswith(("/", "\\")) or ".." in parts or "\x00" in name
                or re.match(r"^[A-Za-z]:", name)):
            raise InteropError([f"{path}: member {name!r} has an unsafe path; this is not a "
                                "package Anki wrote, refused"])
    return infos


def read_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int,
                out=None) -> bytes | None:
    """A member's bytes (or written to ``out``), refused past ``limit`` bytes however
    small its header says it is."""
    what = info.filename
    if info.file_size > limit:
        raise InteropError([f"{path}: {what} would be {info.file_size:,} bytes (at most "
                            f"{limit:,}); refused"])
    try:
        with archive.open(info) as member:
            return _capped(member.read, path, what, limit, out)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise InteropError([f"{path}: {what} cannot be read: {exc}"]) from None


def _capped(read, path: Path, what: str, limit: int, out=None) -> bytes | None:
    """Everything ``read(size)`` gives, chunk by chunk: written to ``out`` (None
    returned), else returned. Refused past ``limit`` bytes, as it comes (a zip bomb's
    header may lie about its size)."""
    total = 0
    chunks: list[bytes] = []
    while chunk := read(CHUNK):
        total += len(chunk)
        if total > limit:
            raise InteropError([f"{path}: {what} unpacks to more than {limit:,} "
                                "bytes; refused (a zip bomb?)"])
        if out is None:
            chunks.append(chunk)
        else:
            out.write(chunk)
    return None if out is not None else b"".join(chunks)


def zstd_decompress(path: Path, what: str, data: bytes, limit: int, out=None) -> bytes | None:
    """zstd data decompressed with a cap (streamed, so the frame header cannot lie)."""
    import zstandard

    try:
        reader = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True)
        with reader:
            return _capped(reader.read, path, what, limit, out)
    except zstandard.ZstdError as exc:
        raise InteropError([f"{path}: {what} is damaged (zstd: {exc})"]) from None


# --------------------------------------------------------------------------- reading


def read_package(path: Path) -> Collection:
    """The notes, note types, decks, cards, review log and media list of a package."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InteropError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    if not path.is_file():
        raise InteropError([f"{path}: not a regular file"])
    if size > MAX_PACKAGE_BYTES:
        raise InteropError([f"{path}: file is {size:,} bytes; a package may be at most "
                            f"{MAX_PACKAGE_BYTES:,}"])
    bare = _bare_collection(path)
    if bare is not None:
        return bare
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        what = "the file is empty" if size == 0 else "not a zip file"
        raise InteropError([f"{path}: not an Anki package ({what})"]) from None
    except OSError as exc:
        raise InteropError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    with archive:
        infos = {info.filename: info for info in _check_names(path, archive)}
        name = next((n for n in COLLECTION_NAMES if n in infos), None)
        if name is None:
            raise InteropError([f"{path}: not an Anki package (no collection.anki21b, "
                                "collection.anki21 or collection.anki2 inside)"])
        with tempfile.TemporaryDirectory(prefix="quizapp-anki-") as folder:
            db_path = Path(folder) / "collection.sqlite"
            with open(db_path, "wb") as out:
                if name.endswith("b"):
                    packed = read_member(path, archive, infos[name], MAX_COLLECTION_BYTES)
                    assert packed is not None
                    zstd_decompress(path, name, packed, MAX_COLLECTION_BYTES, out)
                    del packed
                else:
                    read_member(path, archive, infos[name], MAX_COLLECTION_BYTES, out)
            collection = _read_collection(path, name, db_path)
        collection.media = _media_list(path, archive, infos, zstd=name.endswith("b"))
    return collection


SQLITE_MAGIC = b"SQLite format 3\x00"


def _bare_collection(path: Path) -> Collection | None:
    """A collection file on its own (``collection.anki2``/``.anki21``, or zstd
    ``.anki21b``), read from a private copy; None when ``path`` is not one."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
            if head != SQLITE_MAGIC and not head.startswith(ZSTD_MAGIC):
                return None
            with tempfile.TemporaryDirectory(prefix="quizapp-anki-") as folder:
                db_path = Path(folder) / "collection.sqlite"
                handle.seek(0)
                with open(db_path, "wb") as out:
                    if head.startswith(ZSTD_MAGIC):
                        data = handle.read(MAX_COLLECTION_BYTES + 1)
                        zstd_decompress(path, path.name, data, MAX_COLLECTION_BYTES, out)
                    else:
                        total = 0
                        while chunk := handle.read(CHUNK):
                            total += len(chunk)
                            if total > MAX_COLLECTION_BYTES:
                                raise InteropError([f"{path}: more than "
                                                    f"{MAX_COLLECTION_BYTES:,} bytes; refused"])
                            out.write(chunk)
                collection = _read_collection(path, path.name, db_path)
    except OSError as exc:
        raise InteropError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    folder = path.with_suffix(".media")
    try:
        names = [entry.name for entry in os.scandir(folder)
                 if safe_media_name(entry.name) and entry.is_file(follow_symlinks=False)]
    except OSError:
        names = []  # no media folder beside it: the cards name their files
    if names:
        collection.media = {name: name for name in names}
        collection.media_folder = folder
    return collection


def _read_collection(path: Path, name: str, db_path: Path) -> Collection:
    where = f"{path}: {name}"
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InteropError([f"{where}: not an Anki collection ({exc})"]) from None
    try:
        tables = {row[0] for row in conn.execute(
            "select name from sqlite_master where type = 'table'")}
        missing = {"col", "notes", "cards"} - tables
        if missing:
            raise InteropError([f"{where}: not an Anki collection (no table "
                                f"{', '.join(sorted(missing))})"])
        if "notetypes" in tables:
            notetypes, decks = _schema18(conn)
        else:
            notetypes, decks = _schema11(conn, where)
        notes = {}
        for nid, guid, mid, tags, flds in conn.execute(
                "select id, guid, mid, tags, flds from notes order by id"):
            notes[nid] = Note(nid, str(guid), mid, str(tags).split(), str(flds).split("\x1f"))
        cards = [AnkiCard(cid, nid, did, ord_, queue == -1) for cid, nid, did, ord_, queue in
                 conn.execute("select id, nid, case when odid != 0 then odid else did end, "
                              "ord, queue from cards order by nid, ord")]
        reviews = []
        if "revlog" in tables:
            reviews = [Review(*row) for row in conn.execute(
                "select id, cid, ease, type from revlog order by id")]
    except sqlite3.Error as exc:
        raise InteropError([f"{where}: not a readable Anki collection ({exc})"]) from None
    except (ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise InteropError([f"{where}: damaged Anki collection ({exc})"]) from None
    finally:
        conn.close()
    if not cards and notes:
        raise InteropError([f"{where}: the collection has notes but no cards"])
    return Collection(notetypes, decks, notes, cards, reviews)


def _schema18(conn: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, tuple[str, str]]]:
    """Anki 2.1.28+ collections: note types, fields and templates in their own tables."""
    notetypes: dict[int, NoteType] = {}
    for ntid, name, config in conn.execute("select id, name, config from notetypes"):
        kind = _proto_get(bytes(config), 1, 0)
        css = _text(_proto_get(bytes(config), 3, b""))
        notetypes[ntid] = NoteType(ntid, str(name), kind == 1, [], [], css)
    for ntid, _ord, name in conn.execute("select ntid, ord, name from fields order by ntid, ord"):
        if ntid in notetypes:
            notetypes[ntid].fields.append(str(name))
    for ntid, _ord, name, config in conn.execute(
            "select ntid, ord, name, config from templates order by ntid, ord"):
        if ntid in notetypes:
            config = bytes(config)
            q = _proto_get(config, 1, b"")
            a = _proto_get(config, 2, b"")
            notetypes[ntid].templates.append((str(name), _text(q), _text(a)))
    decks = {}
    for did, name, kind in conn.execute("select id, name, kind from decks"):
        description = ""
        normal = _proto_get(bytes(kind), 1, b"")
        if isinstance(normal, bytes) and normal:
            description = _text(_proto_get(normal, 4, b""))
        decks[did] = (str(name).replace("\x1f", "::"), description)
    return notetypes, decks


def _text(value: int | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _schema11(conn: sqlite3.Connection, where: str) -> tuple[dict[int, NoteType], dict[int, tuple[str, str]]]:
    """Older collections: note types and decks as JSON in the ``col`` row."""
    row = conn.execute("select models, decks from col").fetchone()
    if row is None:
        raise InteropError([f"{where}: not an Anki collection (the col table is empty)"])
    models, deck_rows = json.loads(row[0] or "{}"), json.loads(row[1] or "{}")
    notetypes = {}
    for model in models.values():
        fields = [str(f["name"]) for f in sorted(model.get("flds", []), key=lambda f: f["ord"])]
        templates = [(str(t.get("name", "")), str(t.get("qfmt", "")), str(t.get("afmt", "")))
                     for t in sorted(model.get("tmpls", []), key=lambda t: t["ord"])]
        ntid = int(model["id"])
        notetypes[ntid] = NoteType(ntid, str(model.get("name", "")), model.get("type") == 1,
                                   fields, templates, str(model.get("css", "") or ""))
    decks = {int(d["id"]): (str(d.get("name", "")), str(d.get("desc", "") or ""))
             for d in deck_rows.values()}
    return notetypes, decks


def _media_list(path: Path, archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo],
                zstd: bool) -> dict[str, str]:
    """Media file name -> zip member. Names that could escape a folder are left out."""
    info = infos.get("media")
    if info is None:
        return {}
    raw = read_member(path, archive, info, MAX_MEDIA_LIST_BYTES)
    assert raw is not None
    pairs: list[tuple[str, str]] = []
    try:
        if raw.startswith(ZSTD_MAGIC):
            raw = zstd_decompress(path, "media", raw, MAX_MEDIA_LIST_BYTES) or b""
            for index, (number, entry) in enumerate(
                    (n, v) for n, v in proto_fields(raw) if n == 1 and isinstance(v, bytes)):
                name = _text(_proto_get(entry, 1, b""))
                member = _proto_get(entry, 255, index)
                pairs.append((name, str(member)))
        else:
            listing = json.loads(raw.decode("utf-8") or "{}")
            pairs = [(str(name), str(member)) for member, name in listing.items()]
    except (ValueError, UnicodeDecodeError) as exc:
        raise InteropError([f"{path}: media list is damaged ({exc})"]) from None
    return {name: member for name, member in pairs
            if member in infos and safe_media_name(name)}


def safe_media_name(name: str) -> bool:
    """A media file name that stays inside its folder."""
    return (bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name
            and "\x00" not in name and not name.startswith(".") and len(name) <= 255)


def extract_media(path: Path, collection: Collection, names: set[str], folder: Path,
                  zstd: bool | None = None) -> list[str]:
    """Copy the media files named in ``names`` from the package into ``folder`` (made
    if needed; files already there are kept). Returns the names written."""
    written: list[str] = []
    total = 0
    if collection.media_folder is not None:
        return _copy_media(collection, names, folder)
    if not zipfile.is_zipfile(path):
        return written  # a bare collection without a media folder: nothing to copy
    with zipfile.ZipFile(path) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        if zstd is None:
            zstd = "collection.anki21b" in infos
        for name in sorted(names):
            member = collection.media.get(name)
            if member is None:
                continue
            target = folder / name
            if target.exists():
                continue
            data = read_member(path, archive, infos[member], MAX_MEDIA_FILE_BYTES)
            assert data is not None
            if zstd and data.startswith(ZSTD_MAGIC):
                data = zstd_decompress(path, f"media {name!r}", data, MAX_MEDIA_FILE_BYTES) or b""
            total += len(data)
            if total > MAX_MEDIA_TOTAL_BYTES:
                raise InteropError([f"{path}: media unpack to more than "
                                    f"{MAX_MEDIA_TOTAL_BYTES:,} bytes; refused"])
            folder.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{name}.tmp-{os.getpid()}")
            with open(tmp, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
            written.append(name)
    return written


def _copy_media(collection: Collection, names: set[str], folder: Path) -> list[str]:
    """``extract_media`` for a bare collection: copies from the media folder beside it,
    with the same limits."""
    import shutil

    assert collection.media_folder is not None
    written = []
    total = 0
    for name in sorted(names):
        if name not in collection.media:
            continue
        source, target = collection.media_folder / name, folder / name
        if target.exists():
            continue
        size = source.stat().st_size
        if size > MAX_MEDIA_FILE_BYTES:
            raise InteropError([f"{source}: {size:,} bytes (a media file may have at most "
                                f"{MAX_MEDIA_FILE_BYTES:,}); refused"])
        total += size
        if total > MAX_MEDIA_TOTAL_BYTES:
            raise InteropError([f"{collection.media_folder}: media of more than "
                                f"{MAX_MEDIA_TOTAL_BYTES:,} bytes; refused"])
        folder.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{name}.tmp-{os.getpid()}")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
        written.append(name)
    return written


def stage_media(path: Path, collection: Collection, media: dict[str, set[str]],
                decks_folder: Path) -> Path | None:
    """Unpack the media each deck needs (``media``: deck id -> file names) into a new
    private folder inside ``decks_folder``, checked against the limits, before any deck is
    written; ``place_media`` then moves them beside their deck. None when there are none.
    On a problem the folder is removed and the ``InteropError``/``OSError`` raised."""
    import shutil

    if not any(media.values()):
        return None
    decks_folder.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".quizapp-media-", dir=decks_folder))
    try:
        for deck_id, names in media.items():
            if names:
                extract_media(path, collection, names, stage / deck_id)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return stage


def place_media(staged: Path, folder: Path) -> list[str]:
    """Move the files unpacked in ``staged`` into ``folder`` (made if needed), keeping any
    file already there. Returns the names moved in."""
    if not staged.is_dir():
        return []
    moved = []
    for source in sorted(staged.iterdir()):
        target = folder / source.name
        if target.exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        moved.append(source.name)
    return moved
