"""How fast are hostile files refused? (not a pytest test: it prints times)

    python tests/bench_faults.py

The issue's cases: a 20 MB deck of thousands of deeply dotted [[t.t.t...]] headers (29 s
before), the same size of nested arrays, `deck import /dev/zero` (read without limit
before), and a FIFO among the decks (blocked forever before). Each must be refused in
well under 2 s; the figures go in the README ("Reliability").
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from quizapp.decks import DeckError, load_deck


def timed(label: str, action, baseline: bool = False) -> None:
    start = time.perf_counter()
    try:
        done = action()
        said = done.stdout + done.stderr if done is not None else ""
        outcome = "(the baseline: Python and quizapp starting)" if baseline else next(
            (line for line in said.splitlines() if "regular file" in line), "accepted (!)")
    except DeckError as exc:
        outcome = str(exc).splitlines()[0]
    print(f"{label:<40} {time.perf_counter() - start:6.3f} s  {outcome[-60:]}")


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    head = 'format = 1\n[deck]\nid = "x"\ntitle = "X"\n'
    dotted = folder / "dotted.toml"
    header = "[[" + ".".join(["t"] * 2000) + "]]\n"
    dotted.write_text(head + header * (20 * 1024 * 1024 // len(header)), encoding="utf-8")
    nested = folder / "nested.toml"
    nested.write_text(head + "x = " + "[" * (10 * 1024 * 1024) + "]" * (10 * 1024 * 1024),
                      encoding="utf-8")
    timed(f"deck of dotted headers ({dotted.stat().st_size >> 20} MB)", lambda: load_deck(dotted))
    timed(f"deck of nested arrays ({nested.stat().st_size >> 20} MB)", lambda: load_deck(nested))
    if Path("/dev/zero").exists():
        timed("deck import /dev/zero", lambda: subprocess.run(
            [sys.executable, "-m", "quizapp", "deck", "import", "/dev/zero", "--format", "csv"],
            capture_output=True, text=True, timeout=60))
    if hasattr(os, "mkfifo"):
        decks = folder / "decks"
        decks.mkdir()
        os.mkfifo(decks / "pipe.toml")
        env = {**os.environ, "QUIZAPP_DECKS": str(decks), "QUIZAPP_DATA_DIR": str(folder / "d")}
        timed("deck list with a FIFO among the decks", lambda: subprocess.run(
            [sys.executable, "-m", "quizapp", "deck", "list"], capture_output=True, text=True,
            timeout=60, env=env))
    timed("quizapp --version", lambda: subprocess.run(
        [sys.executable, "-m", "quizapp", "--version"], capture_output=True, text=True),
        baseline=True)


if __name__ == "__main__":
    main()
