"""How much does recording one answer cost as the score file grows? (not a pytest test)

    python tests/bench_store.py [--dir FOLDER] [--appends N]

Builds score files with 1,000 and 100,000 card records, then times ``append`` (one answer,
fsynced) on each and prints the median per-append cost and their ratio. Also prints what
the O(file) operations cost at each size: load from the TOML, load through the cache, and
compact (the first one reads the TOML, the next one the cache). ``--dir`` picks the folder
(the fsync cost depends on the disk; the default is a temp folder).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.models import AnswerEvent, CardRecord, FsrsState, ScoreFile
from quizapp.store import ScoreStore, dump_scores

START = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def build(path: Path, n: int) -> None:
    """A snapshot of ``n`` card records (with FSRS state) spread over 20 decks."""
    cards: dict[str, dict[str, CardRecord]] = {}
    for i in range(n):
        at = START - timedelta(minutes=i)
        cards.setdefault(f"deck-{i % 20}", {})[f"card-{i}"] = CardRecord(
            seen=3,
            right=2,
            wrong=1,
            streak=1,
            last_answered=at,
            last_result="right",
            fsrs=FsrsState(
                state=2, stability=4.2, difficulty=5.1, due=at + timedelta(days=4), last_review=at
            ),
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_scores(ScoreFile(cards=cards)), encoding="utf-8")


def measure(folder: Path, n: int, appends: int) -> dict[str, float]:
    path = folder / f"scores-{n}.toml"
    build(path, n)
    store = ScoreStore(path)
    started = time.perf_counter()
    store.load()
    load = time.perf_counter() - started
    costs = []
    for i in range(appends):
        event = AnswerEvent(
            deck=f"deck-{i % 20}",
            card=f"card-{i}",
            session="bench",
            at=START + timedelta(seconds=i),
            result="right" if i % 4 else "wrong",
        )
        started = time.perf_counter()
        store.append(event)
        costs.append(time.perf_counter() - started)
    started = time.perf_counter()
    store.compact()
    compact = time.perf_counter() - started
    started = time.perf_counter()
    ScoreStore(path).load()
    cached = time.perf_counter() - started
    for i in range(appends):  # a second round: this compaction reads through the cache
        store.append(
            AnswerEvent(
                deck="deck-0",
                card=f"card-{i}",
                session="bench-2",
                at=START + timedelta(hours=1, seconds=i),
                result="right",
            )
        )
    started = time.perf_counter()
    store.compact()
    compact_cached = time.perf_counter() - started
    return {
        "append": statistics.median(costs),
        "load": load,
        "cached": cached,
        "compact": compact,
        "compact_cached": compact_cached,
        "size": path.stat().st_size,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--appends", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        small = measure(Path(tmp), 1_000, args.appends)
        big = measure(Path(tmp), 100_000, args.appends)
    for name, result in (("1k", small), ("100k", big)):
        print(
            f"{name:>5} records: append {result['append'] * 1e6:8.0f} µs (median of {args.appends}), "
            f"load {result['load']:.2f} s (from TOML) / {result['cached']:.2f} s (cached), "
            f"compact {result['compact']:.2f} s / {result['compact_cached']:.2f} s (cached), "
            f"file {result['size'] / 1e6:.1f} MB"
        )
    print(f"per-append cost ratio 100k/1k: {big['append'] / small['append']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
