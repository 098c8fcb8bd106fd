"""Signals to a real quizapp process end the session like ctrl+q: plain mode on pipes,
and the app on a pseudo-terminal (its terminal put back afterwards)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from quizapp.models import AnswerEvent, SessionEvent
from quizapp.store import parse_journal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and ptys")

DECK = """format = 1

[deck]
id = "caps"
title = "Capitals"

[[cards]]
id = "fr"
kind = "text"
question = "Capital of France?"
answer = "Paris"

[[cards]]
id = "fi"
kind = "text"
question = "Capital of Finland?"
answer = "Helsinki"
"""


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    decks = tmp_path / "data" / "decks"
    decks.mkdir(parents=True)
    (decks / "caps.toml").write_text(DECK, encoding="utf-8")
    return {**os.environ, "QUIZAPP_DATA_DIR": str(tmp_path / "data"),
            "QUIZAPP_CONFIG_DIR": str(tmp_path / "config"), "PYTHONUNBUFFERED": "1"}


def sessions_on_file(env: dict[str, str]) -> list:
    """Each session's latest record in the journal."""
    journal = Path(env["QUIZAPP_DATA_DIR"]) / "scores.toml.journal"
    events = parse_journal(journal, journal.read_bytes()).events
    return list({e.session.id: e.session for e in events if isinstance(e, SessionEvent)}.values())


def wait_for_answers(env: dict[str, str], count: int, timeout: float = 30) -> None:
    """Wait until ``count`` answers are on disk (the state a person's keys led to)."""
    journal = Path(env["QUIZAPP_DATA_DIR"]) / "scores.toml.journal"
    deadline = time.monotonic() + timeout
    while True:
        if journal.exists():
            events = parse_journal(journal, journal.read_bytes()).events
            if sum(isinstance(e, AnswerEvent) for e in events) >= count:
                return
        assert time.monotonic() < deadline, "the answer never reached the score file"
        time.sleep(0.05)


class Output:
    """A process's output read in a thread, so a test can wait for text to appear. The
    thread never blocks in a read (select with a timeout), so ``stop`` can end it before
    the test closes the descriptor: a read in flight would keep the pipe or terminal open."""

    def __init__(self, fd: int) -> None:
        self.fd, self.data, self.closed = fd, b"", False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        import select

        while not self._stop.is_set():
            if not select.select([self.fd], [], [], 0.05)[0]:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                self.closed = True
                return
            self.data += chunk

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def wait_for(self, text: bytes, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.data:
            assert time.monotonic() < deadline, f"never saw {text!r}; got {self.data[-400:]!r}"
            assert not self.closed or text in self.data, f"ended before {text!r}: {self.data[-400:]!r}"
            time.sleep(0.02)


def quizapp(*args: str) -> list[str]:
    return [sys.executable, "-m", "quizapp", *args]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_plain_mode_ends_the_session_on_a_signal(home, sig) -> None:
    proc = subprocess.Popen(quizapp("play", "caps", "--plain"), env=home, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = Output(proc.stdout.fileno())
    out.wait_for(b"Your answer")
    proc.stdin.write(b"Paris\n")
    proc.stdin.flush()
    out.wait_for(b"Capital of Finland?")
    out.wait_for(b"Your answer", timeout=30)
    proc.send_signal(sig)
    assert proc.wait(timeout=60) == 128 + sig
    time.sleep(0.1)
    out.stop()
    assert b"Score: 1/1" in out.data and proc.stderr.read() == b""
    [session] = sessions_on_file(home)
    assert session.end is not None and (session.score, session.total) == (1, 1)


def test_plain_mode_ends_the_session_when_its_output_is_closed(home) -> None:
    """`quizapp play caps --plain | head -3`: SIGPIPE, no traceback, the end written."""
    import select

    read_end, write_end = os.pipe()
    proc = subprocess.Popen(quizapp("play", "caps", "--plain"), env=home, stdin=subprocess.PIPE,
                            stdout=write_end, stderr=subprocess.PIPE)
    os.close(write_end)
    seen = b""
    deadline = time.monotonic() + 60
    while b"Your answer" not in seen:  # read here, not in a thread: closing must leave no reader
        assert time.monotonic() < deadline, f"never saw the prompt; got {seen!r}"
        if select.select([read_end], [], [], 0.1)[0]:
            seen += os.read(read_end, 65536)
    os.close(read_end)  # the reader goes away, as `head` does
    proc.stdin.write(b"Paris\n")
    proc.stdin.flush()
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""
    [session] = sessions_on_file(home)
    assert session.end is not None and session.total == 1


def _app_on_a_pty(home: dict[str, str]) -> tuple[subprocess.Popen, int, int, Output]:
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

    def own_terminal() -> None:  # the pty becomes the child's controlling terminal
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(quizapp("play", "caps"), env={**home, "TERM": "xterm-256color"},
                            stdin=slave, stdout=slave, stderr=slave, preexec_fn=own_terminal)
    out = Output(master)
    out.wait_for(b"Capital of France?")
    os.write(master, b"Paris\r")
    wait_for_answers(home, 1)
    return proc, master, slave, out


def test_the_app_ends_like_ctrl_q_on_sigterm_and_puts_the_terminal_back(home) -> None:
    import termios

    proc, master, slave, out = _app_on_a_pty(home)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 143
    time.sleep(0.2)  # let the reader thread take the last bytes
    out.stop()
    tail = out.data[-2000:]
    assert b"\x1b[?1049l" in tail  # back to the normal screen
    assert b"\x1b[?25h" in tail  # cursor shown
    assert b"\x1b[?1000l" in tail  # mouse reporting off
    lflag = termios.tcgetattr(slave)[3]
    assert lflag & termios.ICANON and lflag & termios.ECHO  # cooked mode
    assert b"Traceback" not in out.data
    [session] = sessions_on_file(home)
    assert session.end is not None and (session.score, session.total) == (1, 1)
    os.close(master)
    os.close(slave)


def test_closing_the_apps_terminal_writes_the_session_end(home) -> None:
    proc, master, slave, out = _app_on_a_pty(home)
    out.stop()
    os.close(slave)
    os.close(master)  # the terminal window goes away: the kernel sends SIGHUP
    assert proc.wait(timeout=30) == 129
    [session] = sessions_on_file(home)
    assert session.end is not None and session.total == 1
