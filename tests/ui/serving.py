"""Running `quizapp serve` in tests: its own port, score file and decks, stopped as a
person or a service manager would stop it. (No tests here.)"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from quizapp.store import ScoreStore

DECK_ID = "web-capitals"
DECK = f"""\
format = 1

[deck]
id = "{DECK_ID}"
title = "Capitals on the web"

[[cards]]
id = "france"
kind = "text"
question = "What is the capital of France?"
answer = "Paris"

[[cards]]
id = "japan"
kind = "text"
question = "What is the capital of Japan?"
answer = "Tokyo"
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """`quizapp serve` in a process group of its own, as a shell would run it."""

    def __init__(self, tmp_path: Path) -> None:
        self.scores = tmp_path / "scores.toml"
        self.decks = tmp_path / "decks"
        self.decks.mkdir()
        (self.decks / f"{DECK_ID}.toml").write_text(DECK, encoding="utf-8")
        self.log = tmp_path / "serve.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.port = 0

    def start(self, *options: str) -> None:
        for _ in range(5):  # another process may take the free port first: try another
            port = free_port()
            with self.log.open("wb") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "quizapp", "serve", "--port", str(port),
                     "--scores", str(self.scores), "--decks", str(self.decks), *options],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True)
            self.port = port
            self.url = f"http://127.0.0.1:{port}/"
            if self._wait_ready():
                return
        raise RuntimeError(f"quizapp serve did not start:\n{self.output()}")

    def _wait_ready(self) -> bool:
        assert self.process is not None
        while self.process.poll() is None:
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    if response.status == 200:
                        return True
            except OSError:
                pass
            try:  # not up yet: give the process a moment (it returns as soon as it exits)
                self.process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                pass
        return False

    def page(self, headers: dict[str, str] | None = None) -> str:
        request = urllib.request.Request(self.url, headers=headers or {})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read().decode("utf-8")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, how: str) -> int:
        """ctrl+c in the server's terminal (SIGINT to its whole process group, the tabs'
        apps included), or SIGTERM to the server alone. Returns its exit code."""
        assert self.process is not None
        if how == "ctrl+c":
            os.killpg(self.process.pid, signal.SIGINT)
        else:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def scores_now(self):
        store = ScoreStore(self.scores)
        store.load()
        return store.scores
