"""A score-file writer for the crash and concurrency tests (run as a process of its own).

    python tests/unit/store_writer.py SCORES PREFIX [--count N] [--compact-every K] [--slow-writes]

The tests run it as ``forked(argv, out)`` in a process forked from a forkserver that has
imported quizapp once, so each of their 56 writers does not pay a fresh interpreter's
start (about 0.2 s of CPU each); it is a real process all the same, killed by SIGKILL.

Appends one answer per card ``PREFIX-0``, ``PREFIX-1``... and prints ``ack <card id>``
(flushed) only after ``append`` has returned, so the test knows which answers were
acknowledged before it killed the process. Prints ``compacting`` / ``compacted`` around
each compaction. ``--count 0`` appends until killed. ``--slow-writes`` makes every
``os.write`` put down at most 7 bytes and then pause, so that a kill often lands in the
middle of a journal entry (a real torn write, made by a real killed process), and other
processes often read the journal while an entry is half written.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.models import AnswerEvent, FsrsState
from quizapp.store import ScoreStore

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser()
    parser.add_argument("scores", type=Path)
    parser.add_argument("prefix")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--compact-every", type=int, default=0)
    parser.add_argument("--deck", default="crash-deck")
    parser.add_argument("--slow-writes", action="store_true")
    args = parser.parse_args(argv)

    if args.slow_writes:
        real_write = os.write

        def slow_write(fd: int, data: bytes) -> int:
            written = real_write(fd, bytes(data[:7]))
            time.sleep(0.0003)  # after the write: others see the entry half written
            return written

        os.write = slow_write  # type: ignore[assignment]

    store = ScoreStore(args.scores)
    store.load()
    i = 0
    while args.count == 0 or i < args.count:
        card = f"{args.prefix}-{i}"
        at = START + timedelta(seconds=i)
        fsrs = FsrsState(
            state=2,
            step=None,
            stability=1.5 + i / 7,
            difficulty=5.0,
            due=at + timedelta(days=1),
            last_review=at,
        )
        store.append(
            AnswerEvent(
                deck=args.deck,
                card=card,
                session=args.prefix,
                at=at,
                result="right" if i % 3 else "wrong",
                fsrs=fsrs if i % 2 else None,
            )
        )
        print(f"ack {card}", file=out, flush=True)
        i += 1
        if args.compact_every and i % args.compact_every == 0:
            print("compacting", file=out, flush=True)
            store.compact()
            print("compacted", file=out, flush=True)
    return 0


def forked(argv: list[str], conn) -> None:
    """The body of a forked writer: ``main`` printing to the write end of a pipe (a
    multiprocessing Connection); an error is printed there too, then the process fails."""
    out = open(conn.fileno(), "w", buffering=1, encoding="utf-8", closefd=False)
    try:
        code = main(argv, out)
    except BaseException:
        import traceback

        print("error: " + traceback.format_exc(), file=out, flush=True)
        raise
    sys.exit(code)


if __name__ == "__main__":
    sys.exit(main())
