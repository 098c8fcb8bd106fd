"""The one safe way quizapp reads a file: decks, the score file, settings, the cache.

Every file a person can point quizapp at is read through ``read_bytes`` (or
``read_toml``), which promises:

- **Only regular files.** A named pipe, socket, device or folder is refused at once with
  ``not a regular file`` and is never opened for a blocking read: the file is checked with
  ``stat`` first, then opened non-blocking and checked again with ``fstat`` (something may
  have been swapped in between).
- **Never more than the limit.** At most ``limit + 1`` bytes are read, whatever ``stat``
  says (``/dev/zero``, a file still growing, a lying file system).
- **No RecursionError from any TOML, nothing nested deeper than ``max_depth``.** The
  parser (``tomli``: ``tomllib``'s own code, compiled, with the same results and messages)
  refuses more than a few hundred levels by itself, without recursing that deep; what it
  returns is then measured without recursion, and only when that finds more than
  ``max_depth`` levels does ``check_nesting`` read the raw text to say on which line (it
  counts arrays, inline tables, table headers and dotted keys). So a good file is read in
  one pass: no separate scan of the text before the parser's own.
- **One error format.** Every problem is a ``FileProblem`` whose text is one line:
  ``file:line: field: message`` (line and field when known), for example
  ``decks/x.toml:12: cards[3].answr: unknown field``.
"""

from __future__ import annotations

import codecs
import functools
import gc
import os
import re
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.errors import QuizappError

MAX_NESTING = 8

_O_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the stat never blocks the open
    | getattr(os, "O_NOCTTY", 0)  # a terminal device never becomes our controlling tty
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)  # Windows: no newline translation
)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class FileProblem(QuizappError):
    """A file that cannot be used, as one line: ``file:line: field: message``."""

    def __init__(
        self, path: Path | str, message: str, *, line: int | None = None, field: str = ""
    ) -> None:
        self.path, self.message, self.line, self.field = path, message, line, field
        super().__init__(problem(path, line, field, message))


class TooDeep(FileProblem):
    """Arrays or tables nest more than the file may (``check_nesting``); ``line`` is the
    first line too deep."""


class NotTextError(FileProblem):
    """The bytes are not text quizapp can parse: not UTF-8, not TOML. (A file quizapp
    wrote itself and finds like this was damaged; see ``store``.)"""


def problem(path: Path | str, line: int | None, field: str, message: str) -> str:
    """The one error format: ``file:line: field: message`` (line and field when known)."""
    place = f"{path}:{line}" if line else f"{path}"
    return f"{place}: {field}: {message}" if field else f"{place}: {message}"


def format_loc(loc: Iterable[Any]) -> str:
    """A field's path as a person reads it: ``("cards", 3, "answr")`` -> ``cards[3].answr``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# pydantic's wording for a value out of range or of the wrong type, in plain words.
_PLAIN = {
    "greater_than_equal": "must be {ge} or more",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be {le} or less",
    "less_than": "must be less than {lt}",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text (in quotes)",
    "list_type": "must be a list",
    "extra_forbidden": "unknown field",
    "missing": "required field is missing",
}


def plain_message(item: dict[str, Any]) -> str:
    """A pydantic error (one of ``ValidationError.errors()``) as a person says it:
    ``must be 0 or more`` rather than ``Input should be greater than or equal to 0``."""
    template = _PLAIN.get(item["type"])
    if template is None:
        return str(item["msg"]).removeprefix("Value error, ")
    try:
        return template.format(**(item.get("ctx") or {}))
    except (KeyError, IndexError):
        return str(item["msg"])


def size_text(limit: int) -> str:
    """``20 MB (20,971,520 bytes)``."""
    mb = limit / (1024 * 1024)
    return f"{mb:g} MB ({limit:,} bytes)" if mb >= 1 else f"{limit:,} bytes"


# --------------------------------------------------------------------------- reading


def read_file(path: Path | str, limit: int, what: str = "this file") -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file (at most ``limit``) and the ``fstat`` of the very file
    they came from.

    Raises ``FileNotFoundError`` when there is no file (callers decide what missing means)
    and ``FileProblem`` for anything else: not a regular file, over ``limit`` bytes
    (``what`` names the kind of file in that message: "a deck"), or unreadable.
    """
    try:
        before = os.stat(path)
        _require_regular(path, before.st_mode)
        _require_size(path, before.st_size, limit, what)
        fd = os.open(path, _O_FLAGS)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise FileProblem(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        _require_regular(path, st.st_mode)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise FileProblem(path, f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileProblem(path, f"file is over {size_text(limit)}; {what} may be at most that")
    return data, st


def read_bytes(path: Path | str, limit: int, what: str = "this file") -> bytes:
    """``read_file`` without the stat."""
    return read_file(path, limit, what)[0]


def _require_regular(path: Path | str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    raise FileProblem(path, f"not a regular file ({kind}); quizapp only reads regular files")


def _require_size(path: Path | str, size: int, limit: int, what: str) -> None:
    if size > limit:
        raise FileProblem(path, f"file is {size:,} bytes; {what} may be at most {size_text(limit)}")


def decode_text(raw: bytes, path: Path | str) -> str:
    """UTF-8 text without a byte order mark; ``NotTextError`` naming the line otherwise."""
    if raw.startswith(codecs.BOM_UTF8):
        raise NotTextError(
            path, "file starts with a byte order mark (BOM); save it as UTF-8 without a BOM", line=1
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NotTextError(
            path, "file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8",
            line=1,
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise NotTextError(
            path,
            f"not UTF-8 text (bad byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8",
            line=line,
        ) from None


def read_toml(
    path: Path | str, limit: int, what: str = "this file", max_depth: int = MAX_NESTING
) -> dict[str, Any]:
    """Read, decode, check and parse a TOML file: ``read_bytes``, ``decode_text``,
    ``parse_toml``. Every problem is a ``FileProblem``; a missing file ``FileNotFoundError``."""
    return parse_toml(decode_text(read_bytes(path, limit, what), path), path, max_depth)


# --------------------------------------------------------------------------- TOML


# A table header with more than MAX_NESTING dots (maybe inside quotes: check_nesting
# then decides exactly). Thousands of such headers made a 20 MB deck take 29 s to refuse.
_DEEP_HEADER = (r"^[ \t]*\[(?:[^\n\].]*\.){%d}" % MAX_NESTING, re.MULTILINE)
_TOML_LINE = (r"\s*\(at line (\d+), column \d+\)$", 0)
_AT_END = " (at end of document)"


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a big file becomes objects: parsing makes
    about ten objects per card or record, and the collections they would trigger cost more
    than the parse itself (nothing made here is garbage yet)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_toml(
    text: str, path: Path | str, max_depth: int = MAX_NESTING, *, check_depth: bool = True
) -> dict[str, Any]:
    """Parse TOML text; ``NotTextError`` with the line for a syntax error, ``FileProblem``
    for a file nested more than ``max_depth`` levels. ``check_depth=False`` leaves the
    depth to the caller (``require_depth``), for a schema that cannot nest deeply anyway."""
    import tomli as _toml  # (here, not at the top: home's first frame parses no TOML)

    if _compiled(_DEEP_HEADER).search(text):  # cheap (one regex pass): a header of many parts is
        check_nesting(text, path, max_depth)  # refused before the parser walks them all
    try:
        with gc_paused():
            data = _toml.loads(text)
    except _toml.TOMLDecodeError as exc:
        check_nesting(text, path, max_depth)  # too deep is the clearer message
        message = str(exc)
        m = _compiled(_TOML_LINE).search(message)
        if m:
            message, line = message[: m.start()], int(m.group(1))
        elif message.endswith(_AT_END):
            message, line = message.removesuffix(_AT_END), text.rstrip("\n").count("\n") + 1
        else:
            line = None
        raise NotTextError(path, f"not valid TOML: {message}", line=line) from None
    except RecursionError:  # the parser limits nesting itself; never let it escape
        check_nesting(text, path, max_depth)
        raise FileProblem(path, "nested too deeply to read") from None
    if check_depth:
        require_depth(data, path, max_depth, text)
    return data


def toml_pieces(text: str, array: str, piece_bytes: int) -> Iterator[tuple[int, Any] | None]:
    """A big TOML text parsed a piece of about ``piece_bytes`` at a time, each cut before
    a ``[[array]]`` header line: first the top table of the first piece (its ``array``
    holds the first piece's tables), then the list of ``array`` tables of each later
    piece, each with the offset in ``text`` where its piece starts (a problem found in a
    piece is placed on its line from that piece's text alone). Where the text is not to be
    read this way (too small to cut, or pieces that do not read as the whole would) it
    yields None instead, and stops: at once, or at any piece.

    The parser is compiled and holds the GIL for a whole call: one call over a 37 MB deck
    froze the screen of a thread waiting for it for seconds; between pieces it can run,
    and a caller can turn each piece into what it keeps before the next is parsed, so
    that only one piece's dict tree is alive at a time. The pieces are trusted only when
    they read as the whole would: every piece after the first holds nothing but
    ``[[array]]`` tables, and the first holds them too (so the array is one of tables,
    which the later pieces extend). A cut that is not at a real header (inside a
    multi-line string or array) leaves the piece before it unterminated, which the parser
    refuses; anything refused, or any doubt, is a None."""
    header = re.compile(rf"^\[\[{re.escape(array)}\]\][ \t]*$", re.MULTILINE)
    if len(text) <= 2 * piece_bytes or _compiled(_DEEP_HEADER).search(text):
        yield None
        return
    cuts = [0]
    while True:
        found = header.search(text, cuts[-1] + piece_bytes)
        if found is None:
            break
        cuts.append(found.start())
    if len(cuts) < 2 or not header.search(text, 0, cuts[1]):
        yield None
        return
    cuts.append(len(text))
    import tomli as _toml

    try:
        whole = _toml.loads(text[:cuts[1]])
    except (_toml.TOMLDecodeError, RecursionError):
        whole = None
    if whole is None or not isinstance(whole.get(array), list):
        yield None
        return
    yield 0, whole
    del whole
    for start, end in zip(cuts[1:], cuts[2:]):
        try:
            piece = _toml.loads(text[start:end])
        except (_toml.TOMLDecodeError, RecursionError):
            yield None
            return
        more = piece.pop(array, None)
        if piece or not isinstance(more, list):
            yield None
            return
        del piece
        yield start, more
        del more


def data_depth(data: Any, stop: int) -> int:
    """How deeply parsed TOML nests (the top table is 1), measured without recursion;
    stops counting past ``stop``."""
    deepest = 0
    stack = [(data, 0)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        level += 1
        if level > deepest:
            deepest = level
            if deepest > stop:
                return deepest
        stack.extend((child, level) for child in children if isinstance(child, (dict, list)))
    return deepest


def require_depth(data: Any, path: Path | str, max_depth: int, text: str) -> None:
    """Refuse parsed TOML nested more than ``max_depth`` levels, as ``check_nesting``
    would: every level it counts is at least one level of the data, so the text is read
    again only when the data nests deeper than that."""
    if data_depth(data, max_depth) > max_depth:
        check_nesting(text, path, max_depth)


_TOKEN = (r"[\"'#\[\]{}\n=,.]", 0)
_BASIC = (r'"(?:[^"\\\n]|\\.)*"', 0)
# A line that cannot change what ``scan`` finds but its line count, at the top level: an
# empty one, or a bare key set to a one-line string, a number, true/false, or a flat array
# of one-line strings (one level; ``scan`` steps over such lines at once when that level
# is allowed).
_STR = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_PLAIN_VALUE = rf'(?:{_STR}|-?[0-9]+|true|false)'
_FLAT_ARRAY = rf'\[[ \t]*(?:{_STR}[ \t]*(?:,[ \t]*{_STR}[ \t]*)*,?[ \t]*)?\]'
_PLAIN_LINE = (rf'[ \t]*(?:[A-Za-z0-9_-]+[ \t]*=[ \t]*{_PLAIN_VALUE}[ \t]*)?\n', 0)
_FLAT_LINE = (
    rf'[ \t]*(?:[A-Za-z0-9_-]+[ \t]*=[ \t]*(?:{_PLAIN_VALUE}|{_FLAT_ARRAY})[ \t]*)?\n', 0)
_NAME_NOISE = (r"[\"'\s]", 0)


@functools.cache
def _compiled(pattern: tuple[str, int]) -> re.Pattern[str]:
    """One of the patterns above (source, flags), compiled at its first use: a start
    that parses no TOML (home drawn from the deck cache's index) compiles none of them."""
    return re.compile(*pattern)


@dataclass(frozen=True)
class Header:
    """A ``[table]`` or ``[[array]]`` header: its 1-based line, where that line starts in
    the text, its name without quotes or spaces (``cards``, ``deck``, ``cards.extra``)."""

    line: int
    offset: int
    name: str
    array: bool


@dataclass
class Scan:
    """What one pass over TOML text finds: its table headers in order, and the line where
    it first nests deeper than allowed (None if it never does; the scan stops there)."""

    headers: list[Header]
    too_deep: int | None


def scan(text: str, max_depth: int = MAX_NESTING) -> Scan:
    """The one token scanner of TOML text (decks place errors with its headers,
    ``check_nesting`` refuses deep files with it, ``deckedit`` finds card tables by it).

    One pass, no recursion, stopping at the first level deeper than ``max_depth``. A level
    is an array or inline table, a part of a table header (``[a.b.c]`` is three) or of a
    dotted key (``a.b = 1`` is two); brackets inside strings and comments do not count.
    Malformed text (an unterminated string) ends the scan; the parser reports it.
    """
    n = len(text)
    pos = 0
    line = 1
    line_start = 0
    header = 0  # depth of the current [table] header
    headers: list[Header] = []
    stack: list[tuple[str, int]] = []  # open "[" / "{" and the depth of each
    key_mode = True  # reading a key (dots count) or a value (they do not)
    key_dots = 0
    search = _compiled(_TOKEN).search
    flat, plain_line = _compiled(_FLAT_LINE), _compiled(_PLAIN_LINE)
    while pos < n:
        if pos == line_start and not stack:  # most lines of a deck: stepped over whole
            plain = (flat if header < max_depth else plain_line).match
            m = plain(text, pos)
            while m is not None:
                pos = line_start = m.end()
                line += 1
                m = plain(text, pos)
            if pos >= n:
                break
        m = search(text, pos)
        if m is None:
            break
        ch = m.group()
        pos = m.start()
        if ch == "\n":
            line += 1
            pos += 1
            line_start = pos
            if not stack:
                key_mode, key_dots = True, 0
        elif ch == "#":
            end = text.find("\n", pos)
            pos = n if end < 0 else end
        elif ch == '"' or ch == "'":
            end = _string_end(text, pos, ch)
            if end < 0:
                break
            line += text.count("\n", pos, end)
            pos = end
        elif ch == ".":
            if key_mode:
                key_dots += 1
            pos += 1
        elif ch == "=":
            if key_mode:
                key_mode = False
                if _value_base(stack, header, key_dots) > max_depth:
                    return Scan(headers, line)
            pos += 1
        elif ch == ",":
            if stack and stack[-1][0] == "{":
                key_mode, key_dots = True, 0
            pos += 1
        elif ch == "[" and not stack and key_mode and not text[line_start:pos].strip():
            end, parts, name_end = _header(text, pos)
            if end < 0:
                break
            array = text.startswith("[[", pos)
            if name_end >= 0:
                array = array and text.startswith("]]", name_end)
                raw = text[pos + (2 if array else 1):name_end]
                headers.append(Header(line, line_start, _compiled(_NAME_NOISE).sub("", raw), array))
            header = parts
            if header > max_depth:
                return Scan(headers, line)
            pos = end
        elif ch == "[" or ch == "{":
            depth = _value_base(stack, header, key_dots) + 1
            if depth > max_depth:
                return Scan(headers, line)
            stack.append((ch, depth))
            key_mode, key_dots = ch == "{", 0
            pos += 1
        else:  # "]" or "}"
            if stack:
                stack.pop()
            key_mode = False
            pos += 1
    return Scan(headers, None)


def check_nesting(text: str, path: Path | str, max_depth: int = MAX_NESTING) -> None:
    """Refuse TOML text whose values would nest more than ``max_depth`` levels
    (``FileProblem`` naming the first line too deep; see ``scan`` for what counts)."""
    line = scan(text, max_depth).too_deep
    if line is not None:
        raise TooDeep(
            path, f"arrays or tables nest more than {max_depth} levels deep; "
            "quizapp's files never need that", line=line,
        )


def _value_base(stack: list[tuple[str, int]], header: int, key_dots: int) -> int:
    """How deep the table holding the value now being read is."""
    if not stack:
        return header + key_dots
    kind, depth = stack[-1]
    return depth + key_dots if kind == "{" else depth


def _string_end(text: str, pos: int, quote: str) -> int:
    """Where the string starting at ``pos`` ends (just after it), or -1 if it never does."""
    triple = quote * 3
    if text.startswith(triple, pos):
        search = pos + 3
        while True:
            end = text.find(triple, search)
            if end < 0:
                return -1
            if quote == '"':
                body = text[search:end]
                if (len(body) - len(body.rstrip("\\"))) % 2:
                    search = end + 1
                    continue
            end += 3
            while end < len(text) and text[end] == quote and end - pos < 8:
                end += 1  # up to two quotes may end the string's content
            return end
    if quote == '"':
        m = _compiled(_BASIC).match(text, pos)
        return -1 if m is None else m.end()
    end = text.find("'", pos + 1)
    return -1 if end < 0 or "\n" in text[pos:end] else end + 1


def _header(text: str, pos: int) -> tuple[int, int, int]:
    """A ``[table]`` or ``[[array]]`` header at ``pos``: (where it ends, how many parts,
    where its closing ``]`` is: -1 for a header never closed on its line)."""
    i = pos + (2 if text.startswith("[[", pos) else 1)
    parts = 1
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "]":
            return (i + 2 if text.startswith("]]", i) else i + 1), parts, i
        if ch == "\n":
            return i, parts, -1
        if ch == ".":
            parts += 1
        elif ch == '"' or ch == "'":
            end = _string_end(text, i, ch)
            if end < 0:
                return -1, parts, -1
            i = end
            continue
        i += 1
    return -1, parts, -1
