"""A score-file writer for the crash and concurrency tests (run as a subprocess).

    python tests/unit/store_writer.py SCORES PREFIX [--count N] [--compact-every K] [--slow-writes]

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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("scores", type=Path)
    parser.add_argument("prefix")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--compact-every", type=int, default=0)
    parser.add_argument("--deck", default="crash-deck")
    parser.add_argument("--slow-writes", action="store_true")
    args = parser.parse_args()

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
        print(f"ack {card}", flush=True)
        i += 1
        if args.compact_every and i % args.compact_every == 0:
            print("compacting", flush=True)
            store.compact()
            print("compacted", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
