"""The one safe reader (quizapp.tomlio): regular files only, capped reads, a nesting guard
that never lets a RecursionError out, and one ``file:line: field: message`` format."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from quizapp import tomlio
from quizapp.tomlio import FileProblem, NotTextError

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def read_in_thread(path: Path, limit: int = 1000) -> object:
    """What reading ``path`` gives (bytes or the exception), failing if it blocks."""
    result: list[object] = []

    def run() -> None:
        try:
            result.append(tomlio.read_bytes(path, limit))
        except BaseException as exc:  # noqa: BLE001 - the test looks at what came out
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), f"reading {path} blocked"
    return result[0]


@needs_fifo
def test_a_named_pipe_is_refused_at_once_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "deck.toml"
    os.mkfifo(fifo)
    got = read_in_thread(fifo)
    assert isinstance(got, FileProblem)
    assert str(got) == f"{fifo}: not a regular file (a named pipe); quizapp only reads regular files"


def test_folders_sockets_and_devices_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    specials = {folder: "a folder"}
    if hasattr(socket, "AF_UNIX"):
        sock_path = tmp_path / "s.toml"
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(sock_path))
        specials[sock_path] = "a socket"
    if Path("/dev/zero").exists():
        specials[Path("/dev/zero")] = "a character device"
    for path, kind in specials.items():
        got = read_in_thread(path)
        assert isinstance(got, FileProblem) and f"not a regular file ({kind})" in str(got)


def test_reads_never_pass_the_limit_whatever_stat_says(tmp_path: Path) -> None:
    exact = tmp_path / "exact.toml"
    exact.write_bytes(b"x" * 1000)
    assert tomlio.read_bytes(exact, 1000) == b"x" * 1000
    over = tmp_path / "over.toml"
    over.write_bytes(b"x" * 1001)
    with pytest.raises(FileProblem, match=r"over\.toml: file is 1,001 bytes; a deck may be at most 1,000 bytes"):
        tomlio.read_bytes(over, 1000, "a deck")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_file_whose_stat_size_lies_is_still_capped() -> None:
    # /proc files say 0 bytes and hold more: only the capped read notices.
    with pytest.raises(FileProblem, match=r"file is over 10 bytes; this file may be at most that"):
        tomlio.read_bytes("/proc/self/status", 10)


def test_a_missing_file_is_left_to_the_caller(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        tomlio.read_bytes(tmp_path / "nope.toml", 10)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(b"\xef\xbb\xbfx = 1", "f.toml:1: file starts with a byte order mark (BOM)"),
     (b"x = 1\ny = '\xff'", "f.toml:2: not UTF-8 text (bad byte 0xff at offset 11)"),
     (b"x = 1\ny = [\n", "f.toml:2: not valid TOML: Invalid value")],
)
def test_text_problems_name_file_and_line(raw: bytes, expected: str) -> None:
    with pytest.raises(NotTextError) as caught:
        tomlio.parse_toml(tomlio.decode_text(raw, "f.toml"), "f.toml")
    assert str(caught.value).startswith(expected)
    assert "\n" not in str(caught.value)


DEEP = [
    "x = " + "[" * 100_000 + "]" * 100_000,
    "x = " + "{a = " * 50_000,
    "x = [{a = [{b = [{c = [{d = [1]}]}]}]}]",
    "[" + ".".join(["t"] * 12) + "]\nx = 1",
    "\n".join("[[" + ".".join(["t"] * 500) + "]]" for _ in range(50)),
    "a.b.c.d.e.f.g.h.i.j = 1",
    "x = {a.b.c.d.e.f.g.h.i = 1}",
    "[a.b.c.d.e]\nf.g.h.i = [1]",
]
DEEP_LINE = [2, 2, 2, 2, 2, 2, 2, 3]  # where the level too deep is (line 1 is "ok = 1")


@pytest.mark.parametrize(("text", "line"), zip(DEEP, DEEP_LINE, strict=True))
def test_deep_nesting_is_refused_in_a_small_stack_thread(text: str, line: int) -> None:
    result: list[object] = []

    def run() -> None:
        try:
            tomlio.parse_toml("ok = 1\n" + text + "\n", "deep.toml")
        except BaseException as exc:  # noqa: BLE001
            result.append(exc)

    threading.stack_size(512 * 1024)
    try:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join()
    finally:
        threading.stack_size(0)
    assert len(result) == 1 and type(result[0]) is tomlio.TooDeep  # (a FileProblem)
    assert str(result[0]).startswith(f"deep.toml:{line}: arrays or tables nest more than 8 levels deep")


@pytest.mark.parametrize(
    "text",
    ['x = "[[[[[[[[[[[[[[[[["', "x = '{{{{{{{{{{{{{{{{'", 'x = """\n[[[[[[[[[[[[[[[\n"""',
     "# [[[[[[[[[[[[[[[[[[[[\nx = 1", '["a.b.c.d.e.f.g.h.i.j"]\nx = 1',
     "[cards.deck.card]\nfsrs = {state = 1, due = 2026-01-01T00:00:00Z}",
     'a.b.c.d.e.f.g.h = [1]', "x = [3.14, 2.71, 1e10]", 'x = "\\"[[[[[[[[[[[[["'],
)
def test_brackets_and_dots_inside_strings_comments_and_numbers_do_not_count(text: str) -> None:
    tomlio.parse_toml(text, "ok.toml")


def test_one_error_format() -> None:
    assert tomlio.problem("d.toml", 12, "cards[3].answr", "unknown field") == (
        "d.toml:12: cards[3].answr: unknown field")
    assert tomlio.problem("d.toml", None, "", "cannot read") == "d.toml: cannot read"
    assert tomlio.format_loc(("cards", 3, "answr")) == "cards[3].answr"


@needs_fifo
def test_a_fifo_among_decks_does_not_hang_the_command_line(tmp_path: Path) -> None:
    """The issue's hang: `deck list` with a FIFO in the decks folder waited forever."""
    decks = tmp_path / "decks"
    decks.mkdir()
    os.mkfifo(decks / "pipe.toml")
    env = {**os.environ, "QUIZAPP_DATA_DIR": str(tmp_path / "data"),
           "QUIZAPP_CONFIG_DIR": str(tmp_path / "config"), "QUIZAPP_DECKS": str(decks)}
    done = subprocess.run([sys.executable, "-m", "quizapp", "deck", "list"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert f"{decks / 'pipe.toml'}: not a regular file (a named pipe)" in done.stdout + done.stderr


# Pieces of TOML text, good and bad, that ``scan`` must read the same way whether it steps
# over the plain lines of a deck at once or token by token.
_FRAGMENTS = [
    'id = "c1"\n', 'question = "What is [this]? \\"quoted\\" {x}"\n', "answer = 42\n",
    'tags = ["a", "b,c", "[d]"]\n', "tags = []\n", 'x = ["a",\n  "b"]\n', "reverse = true\n",
    "[[cards]]\n", "[deck]\n", "[a.b.c.d.e.f.g.h]\n", "[a.b.c.d.e.f.g]\n", "[a]\n",
    'q = """multi\nline = "x"\n[[cards]]\n"""\n', "# a comment = [1]\n", 'k = "x" # note\n',
    "x = [[[[[[[[[1]]]]]]]]]\n", "x = [[[[1]]]]\n", "a.b.c.d.e.f.g.h.i = 1\n", 'a.b = "x"\n',
    "t = {a = [1, {b = 2}]}\n", 'bad = "unterminated\n', "oops\n", "  ind = 1\n", "\n",
    "y = 'literal [x]'\n", 'z = "\\\\"\n', "n = -3\n", 'e = ""\n', 'f = """"\n',
    "v = [\n", "]\n", "w = {\n", "k\t=\t\"tab\"\n", "crlf = 1\r\n",
]


@pytest.mark.parametrize("seed", range(40))
def test_the_scan_steps_over_plain_lines_without_changing_what_it_finds(seed: int,
                                                                        monkeypatch) -> None:
    """``scan`` reads the plain lines of a deck (``key = "text"``, a flat list of
    strings) a line at a time, for speed (a 100k-card deck's problems are placed with it):
    what it finds (headers, lines, the first line too deep) is what reading every token
    finds, whatever surrounds those lines."""
    import random

    rng = random.Random(seed)
    texts = ["".join(rng.choice(_FRAGMENTS) for _ in range(rng.randint(1, 60)))
             for _ in range(50)]
    fast = [tomlio.scan(text, depth) for text in texts for depth in (2, 8)]
    never = (r"(?!)", 0)  # a pattern (source, flags) that matches nothing
    monkeypatch.setattr(tomlio, "_FLAT_LINE", never)
    monkeypatch.setattr(tomlio, "_PLAIN_LINE", never)
    slow = [tomlio.scan(text, depth) for text in texts for depth in (2, 8)]
    assert fast == slow
    assert any(s.too_deep for s in slow) and any(s.headers for s in slow)
