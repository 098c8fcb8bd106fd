"""The score file under SIGKILL and concurrent writers (real processes).

``tests/unit/store_writer.py`` appends one answer per card and prints ``ack <card>`` only after
``append`` returned. Whatever instant it is killed at, every acknowledged answer must be in
the file exactly once, nothing may be moved aside as corrupt, and loading must not fail.

Each writer is a real process of its own, killed with SIGKILL; it is forked from a
forkserver that imported quizapp once, instead of a fresh interpreter importing it again
for each of the 56 writers (about 0.2 s of CPU each, most of this file's cost).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.models import CardRecord, ScoreFile
from quizapp.store import ScoreStore, dump_scores, parse_journal
from tests.unit import store_writer

DECK = "crash-deck"
FORKS = multiprocessing.get_context("forkserver")
FORKS.set_forkserver_preload(["tests.unit.store_writer"])


class Writer:
    """A store_writer process and its output, read as a text stream (the part of Popen
    these tests use: stdout, send_signal, communicate, returncode)."""

    def __init__(self, argv: list[str]) -> None:
        self._pipe, child_end = FORKS.Pipe(duplex=False)
        self.process = FORKS.Process(target=store_writer.forked, args=(argv, child_end))
        self.process.start()
        child_end.close()  # the writer holds the only write end: its death is our EOF
        self.stdout = open(self._pipe.fileno(), encoding="utf-8", closefd=False)
        self.returncode: int | None = None

    def send_signal(self, sig: int) -> None:
        os.kill(self.process.pid, sig)

    def communicate(self, timeout: float) -> tuple[str, str]:
        """Wait for the process to end, then everything it printed that was not read yet
        (a few kB at most: it fits the pipe, so the writer never waits for us)."""
        self.process.join(timeout)
        if self.process.exitcode is None:
            self.process.kill()
            self.process.join()
            raise AssertionError(f"the writer did not end within {timeout} s")
        self.returncode = self.process.exitcode
        out = self.stdout.read()
        self.stdout.close()
        self._pipe.close()
        return out, ""


def start_writer(path: Path, prefix: str, *args: str) -> Writer:
    return Writer([str(path), prefix, *args])


def acked(output: str) -> list[str]:
    return [line.split(" ", 1)[1] for line in output.splitlines() if line.startswith("ack ")]


def kill(proc: Writer, first_lines: list[str]) -> str:
    """SIGKILL the writer; return all it printed."""
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return "".join(first_lines) + out


def check(path: Path, acknowledged: set[str]) -> ScoreFile:
    store = ScoreStore(path)
    scores = store.load()
    assert store.recovered == [], "a kill must never look like a corrupt file"
    cards = scores.cards.get(DECK, {})
    missing = acknowledged - set(cards)
    assert not missing, f"{len(missing)} acknowledged answers lost, e.g. {sorted(missing)[:3]}"
    twice = {card: r.seen for card, r in cards.items() if r.seen != 1}
    assert not twice, f"answers counted more than once: {twice}"
    return scores


def seed_big_snapshot(path: Path, n: int) -> None:
    """A snapshot with ``n`` records, so that a compaction takes long enough to be hit."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    records = {
        f"old-{i}": CardRecord(
            seen=1, right=1, streak=1, last_answered=at + timedelta(seconds=i), last_result="right"
        )
        for i in range(n)
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_scores(ScoreFile(cards={"old-deck": records})), encoding="utf-8")


def test_sigkill_at_random_moments_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    path = tmp_path / "scores.toml"
    rng = random.Random(20261128)
    acknowledged: set[str] = set()
    for round_ in range(16):
        proc = start_writer(path, f"r{round_}", "--compact-every", str(rng.choice([7, 40, 0])))
        first = proc.stdout.readline()  # the writer is up and appending
        time.sleep(rng.uniform(0, 0.15))
        acknowledged |= set(acked(kill(proc, [first])))
        check(path, acknowledged)
    assert len(acknowledged) > 2 * 16  # the writers really did run between the kills
    final = check(path, acknowledged)
    assert len(final.cards[DECK]) >= len(acknowledged)


def test_sigkill_in_the_middle_of_an_entry_leaves_a_torn_tail_that_is_skipped(
    tmp_path: Path,
) -> None:
    """With writes slowed to a few bytes each, kills land inside journal entries."""
    path = tmp_path / "scores.toml"
    journal = tmp_path / "scores.toml.journal"
    rng = random.Random(7)
    acknowledged: set[str] = set()
    for round_ in range(10):
        proc = start_writer(path, f"t{round_}", "--slow-writes")
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0, 0.1))
        acknowledged |= set(acked(kill(proc, [first])))
        check(path, acknowledged)
    torn = parse_journal(journal, journal.read_bytes()).torn  # one per round cut mid-entry
    print(f"{torn} of 10 kills cut an entry")
    assert torn >= 3, "the kills should have cut entries in half"
    ScoreStore(path).compact()
    check(path, acknowledged)


def test_two_writers_killed_together_mid_entry(tmp_path: Path) -> None:
    """Both slowed writers are killed; the one waiting for the lock often gets it and starts
    its own entry in between, so fragments pile up one after another."""
    path = tmp_path / "scores.toml"
    rng = random.Random(3)
    acknowledged: set[str] = set()
    for round_ in range(8):
        procs = [start_writer(path, f"w{round_}-{k}", "--slow-writes") for k in range(2)]
        firsts = [proc.stdout.readline() for proc in procs]
        time.sleep(rng.uniform(0, 0.1))
        for proc, first in zip(procs, firsts, strict=True):
            acknowledged |= set(acked(kill(proc, [first])))
        check(path, acknowledged)
    ScoreStore(path).compact()
    check(path, acknowledged)


def test_sigkill_during_compaction_loses_and_doubles_nothing(tmp_path: Path) -> None:
    path = tmp_path / "scores.toml"
    seed_big_snapshot(path, 2000)
    rng = random.Random(42)
    acknowledged: set[str] = set()
    hit_compaction = 0
    for round_ in range(10):
        proc = start_writer(path, f"c{round_}", "--compact-every", "3")
        lines = []
        while True:  # wait for a compaction to start, then kill somewhere inside it
            line = proc.stdout.readline()
            assert line, "".join(lines)  # it ended (an error is printed there too)
            lines.append(line)
            if line == "compacting\n":
                break
        time.sleep(rng.uniform(0, 0.05))
        output = kill(proc, lines)
        acknowledged |= set(acked(output))
        hit_compaction += output.endswith("compacting\n")  # killed before it finished
        scores = check(path, acknowledged)
        assert len(scores.cards["old-deck"]) == 2000
    assert hit_compaction >= 4, "the kills should land inside compactions"
    # Temp files from killed compactions are swept by the next compaction.
    ScoreStore(path).compact()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    check(path, acknowledged)


def test_two_concurrent_writers_lose_no_answer(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "scores.toml"
    n = 150
    writers = [
        start_writer(path, "left", "--count", str(n), "--compact-every", "25"),
        start_writer(path, "right", "--count", str(n), "--compact-every", "40"),
    ]
    outputs = []
    for proc in writers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs.append(acked(out))
    assert [len(o) for o in outputs] == [n, n]
    scores = check(path, set(outputs[0]) | set(outputs[1]))
    assert len(scores.cards[DECK]) == 2 * n
    ScoreStore(path).compact()
    assert len(ScoreStore(path).load().cards[DECK]) == 2 * n


def test_compaction_while_another_process_is_mid_entry_loses_nothing(tmp_path: Path) -> None:
    """One writer's entries trickle out a few bytes at a time while the other compacts after
    every second answer: compactions often read the journal with an entry half written."""
    path = tmp_path / "scores.toml"
    n = 150
    writers = [
        start_writer(path, "slow", "--count", str(n), "--slow-writes"),
        start_writer(path, "fast", "--count", str(n), "--compact-every", "2"),
    ]
    acknowledged: set[str] = set()
    for proc in writers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        acknowledged |= set(acked(out))
    assert len(acknowledged) == 2 * n
    scores = check(path, acknowledged)
    assert len(scores.cards[DECK]) == 2 * n


def test_appends_from_two_threads_while_compacting(tmp_path: Path) -> None:
    """A UI thread appending while a worker thread compacts the same store."""
    import threading

    from quizapp.models import AnswerEvent

    path = tmp_path / "scores.toml"
    store = ScoreStore(path)
    at = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    done = threading.Event()
    errors: list[BaseException] = []

    def compactor() -> None:
        try:
            while not done.is_set():
                store.compact()
                time.sleep(0.002)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    worker = threading.Thread(target=compactor)
    worker.start()
    try:
        for i in range(120):
            store.append(AnswerEvent(deck=DECK, card=f"t-{i}", session="s", at=at, result="right"))
    finally:
        done.set()
        worker.join()
    assert errors == []
    assert len(store.scores.cards[DECK]) == 120
    check(path, {f"t-{i}" for i in range(120)})
