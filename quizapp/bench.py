"""How quizapp scales: ``python -m quizapp.bench`` (not a test; nothing here is asserted).

Generates decks of 1k, 10k and 100k cards (mixed kinds, texts of about 100 characters)
and score files with a record for every card (three answers each, FSRS state) and a
session for every 33 cards, in a temp folder, then prints each measure as
small / big / ratio:

- start to home: a real start (a fresh process running ``quizapp`` with no command,
  headless at 80x24) until home's first frame that shows every deck with its numbers and
  the keys; also a bare Textual app started the same way (a fresh process, to its first
  frame), and the ratio to it. "cold" is the first start (it fills the deck cache when
  it is empty), "warm" the ones after. The two are started in turns (``--start-rounds``
  rounds, the order swapped every round, so a change in the machine's load falls on both
  alike); the rows show the medians, and the ratio is the median of the rounds' ratios,
  with the middle half of them beside it. The CPU time of each process until then is
  shown too;
- session start (a whole deck in order, to its first question), first typed answer,
  last answer to summary: through the app's pilot, with the big deck and score file;
- the command line: ``stats --json``, ``due``, ``deck validate``, CSV and .apkg export,
  ``deck import`` of a CSV (fresh processes, warm caches), and ``stats --json`` again after
  an answer was added elsewhere (the kept tally brought up to date with the journal's new
  answers: the cost of an outside change);
- loading a deck cold (no cache) against a bare ``tomllib`` parse of the same file, and
  refusing the same deck with one field misspelt (the time to say where);
- saving one edited card as the browser does, and the reload of the deck that follows;
- compaction of a journal of answers, and the longest stall of the app's event loop while
  a compaction runs in a thread, against the longest stall when idle;
- peak memory (VmHWM) of each process; "memory at home" is the app's peak once home is
  drawn and the decks and scores are all loaded.

The machine may be shared: run it twice and trust the ratios more than the seconds.
Starts vary a lot from run to run on a shared machine (another process on the other core
slows this one's CPU by a third at times), so the start rows take many rounds and print
how much the rounds' ratios spread.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.benchprobe import peak_kib

DECK_ID = "bench"
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
KINDS = ("text", "choice", "flip", "order")
WORDS = ["summit", "meeting", "treaty", "minister", "border", "election", "capital", "harbour", "council", "river", "valley", "museum", "archive", "garden", "bridge", "station", "castle", "library", "senate", "market", "theatre", "island", "province", "festival"]


def _text(rng: random.Random, length: int) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize()


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_deck_file(path: Path, n: int, seed: int = 1) -> None:
    """A deck of ``n`` cards of every kind, with realistic text lengths."""
    rng = random.Random(seed)
    out = [f"format = 1\n\n[deck]\nid = {_toml_str(DECK_ID)}\ntitle = \"Bench {n}\"\n"
           f"description = \"{n} generated cards\"\n"]
    for i in range(n):
        kind = KINDS[i % 4]
        question = f"{_text(rng, 90)} number {i}?"
        lines = [f"\n[[cards]]\nid = \"card-{i}\"\nkind = \"{kind}\"",
                 f"question = {_toml_str(question)}"]
        if kind == "order":
            items = [f"{_text(rng, 12)} {i}-{k}" for k in range(4)]
            lines.append(f"answer = [{', '.join(map(_toml_str, items))}]")
        else:
            lines.append(f"answer = {_toml_str(f'{_text(rng, 14)} {i}')}")
        if kind == "choice":
            wrong = [f"{_text(rng, 14)} {i}-{k}" for k in range(3)]
            lines.append(f"distractors = [{', '.join(map(_toml_str, wrong))}]")
        if kind == "text":
            lines.append(f"accept = [{_toml_str(f'answer {i}')}]")
        lines.append(f"explanation = {_toml_str(_text(rng, 100))}")
        lines.append(f"tags = [\"{('who', 'where', 'when', 'what')[i % 4]}\", \"bench\"]")
        out.append("\n".join(lines) + "\n")
    path.write_text("".join(out), encoding="utf-8")


def _with_a_typo(deck: Path, path: Path) -> Path:
    """A copy of ``deck`` at ``path`` with one field misspelt (``kidn`` for the first
    ``answer`` past 60% of the cards), as a person fixing an import meets it."""
    text = deck.read_text(encoding="utf-8")
    field = "\nanswer = "
    at = text.index(field, int(len(text) * 0.6))
    path.write_text(text[:at] + "\nkidn = " + text[at + len(field):], encoding="utf-8")
    return path


def write_scores_file(path: Path, n: int) -> None:
    """A snapshot with a record for each of ``n`` cards and a session per 33 cards."""
    from quizapp.models import CardRecord, FsrsState, ScoreFile, SessionRecord
    from quizapp.store import dump_scores

    cards = {}
    for i in range(n):
        at = START + timedelta(minutes=i % 40000)
        cards[f"card-{i}"] = CardRecord(
            seen=3, right=2 if i % 5 else 1, wrong=1 if i % 5 else 2, streak=1 if i % 3 else 0,
            first_answered=at - timedelta(days=3), last_answered=at,
            last_result="right" if i % 3 else "wrong",
            fsrs=FsrsState(state=2, step=None, stability=3.0 + i % 40, difficulty=5.5,
                           due=at + timedelta(days=1 + i % 50), last_review=at),
        )
    sessions = []
    for s in range(n // 33 + 10):
        at = START + timedelta(hours=s)
        sessions.append(SessionRecord(id=f"s{s:06d}", deck=DECK_ID, mode="order:100", start=at,
                                      end=at + timedelta(minutes=9), score=70, total=100,
                                      missed=[f"card-{(s * 7 + k) % n}" for k in range(30)]))
    path.write_text(dump_scores(ScoreFile(cards={DECK_ID: cards}, sessions=sessions)),
                    encoding="utf-8")
    # As after a person's first compaction: the snapshot's cache is there ("warm").
    from quizapp.store import ScoreStore

    ScoreStore(path).compact()


def write_csv_file(path: Path, n: int, seed: int = 2) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "answer"])
        for i in range(n):
            writer.writerow([f"{_text(rng, 140)} number {i}?", f"{_text(rng, 20)} {i}"])


# --------------------------------------------------------------------------- processes


# Runs ``python -m quizapp ARGS`` and, at exit, writes the process's own peak memory
# (VmHWM) to the file named by $QUIZAPP_BENCH_PEAK. The kernel's ru_maxrss of a child is no
# use here: it counts the memory of this (big) process, which the child started as.
_PEAK_WRAPPER = (
    "import atexit, os, runpy, sys\n"
    "def _peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            open(os.environ['QUIZAPP_BENCH_PEAK'], 'w').write(line.split()[1])\n"
    "atexit.register(_peak)\n"
    "sys.argv[0] = 'quizapp'\n"
    "runpy.run_module('quizapp', run_name='__main__', alter_sys=True)\n"
)


def run_process(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(seconds, peak MiB, stdout) of one fresh ``python -m quizapp ...`` process (``argv``
    as ``[python, "-m", "quizapp", *args]``)."""
    own_peak = Path("/proc/self/status").exists() and argv[1:3] == ["-m", "quizapp"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(prefix="quizapp-bench-peak-") as peak_file:
        if own_peak:
            argv = [argv[0], "-c", _PEAK_WRAPPER, *argv[3:]]
            env = dict(env, QUIZAPP_BENCH_PEAK=peak_file.name)
        started = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): "
                               f"{err.read().decode()[-2000:]}")
        peak = usage.ru_maxrss / 1024
        if own_peak:
            text = Path(peak_file.name).read_text().strip()
            peak = int(text) / 1024 if text else peak
        return elapsed, peak, out.read().decode()


def run_child(argv: list[str], env: dict[str, str]) -> dict:
    """Run this module in child mode; the child prints JSON, with perf_counter stamps
    (CLOCK_MONOTONIC is the same clock in every process)."""
    return _child([sys.executable, "-m", "quizapp.bench", *argv], env)


def run_start(mode: str, env: dict[str, str]) -> dict:
    """One start row's process: ``bare`` or ``home`` (``bench_pilot.child``), in a plain
    ``python -c`` that imports nothing else, as each program starts on its own."""
    return _child([sys.executable, "-c",
                   "from quizapp.benchprobe import peak_kib\n"
                   f"from quizapp.ui.bench_pilot import child; child({mode!r}, peak_kib)"], env)


def _child(argv: list[str], env: dict[str, str]) -> dict:
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"child {argv} failed: {proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["home"] = result.pop("home_at") - started
    return result


@dataclass
class Starts:
    """The start rows of one size: the bare app's and quizapp's warm starts, in rounds."""

    cold: dict
    bare: list[dict]
    home: list[dict]

    def median(self, side: str, key: str = "home") -> float:
        return statistics.median(run[key] for run in getattr(self, side))

    def ratios(self, key: str = "home") -> list[float]:
        """Each round's quizapp start over its bare start."""
        return sorted(h[key] / b[key] for b, h in zip(self.bare, self.home))

    def ratio(self, key: str = "home") -> str:
        """The median of the rounds' ratios, and their middle half."""
        ratios = self.ratios(key)
        q1, _q2, q3 = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
        return f"{statistics.median(ratios):.2f}x (middle half {q1:.2f}-{q3:.2f}x)"


def measure_starts(env: dict[str, str], rounds: int) -> Starts:
    """A bare Textual app and quizapp started in turns, ``rounds`` times each after a
    first (cold) quizapp start; the order swaps every round."""
    run_start("bare", env)  # (the first process after a pause reads its files from disk)
    cold = run_start("home", env)
    bare: list[dict] = []
    home: list[dict] = []
    for r in range(rounds):
        if r % 2:
            home.append(run_start("home", env))
            bare.append(run_start("bare", env))
        else:
            bare.append(run_start("bare", env))
            home.append(run_start("home", env))
    return Starts(cold, bare, home)


def child_main(mode: str) -> None:
    from quizapp.ui import bench_pilot

    if mode in ("bare", "home"):
        bench_pilot.child(mode, peak_kib)
        return
    result = asyncio.run(bench_pilot.run_app(deck_id=DECK_ID, start=START, peak_kib=peak_kib))
    print(json.dumps(result))


# --------------------------------------------------------------------------- parent


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def measure(sizes: list[int], keep: Path | None, repeat: int, run_commands: bool = True,
            start_only: bool = False, commands_only: bool = False,
            start_rounds: int = 40) -> None:
    root = keep or Path(tempfile.mkdtemp(prefix="quizapp-bench-"))
    print(f"# quizapp bench: {', '.join(f'{n:,}' for n in sizes)} cards, in {root}")
    print(f"# python {sys.version.split()[0]}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.1f}")
    rows: dict[str, dict[int, float]] = {}
    peaks: dict[str, dict[int, float]] = {}
    files: dict[int, dict[str, Path]] = {}
    starts: dict[int, Starts] = {}

    def note(name: str, n: int, seconds: float, peak: float | None = None) -> None:
        rows.setdefault(name, {})[n] = min(seconds, rows.get(name, {}).get(n, float("inf")))
        if peak is not None:
            peaks.setdefault(name, {})[n] = peak

    for n in sizes:
        folder = root / f"n{n}"
        (folder / "decks").mkdir(parents=True, exist_ok=True)
        deck = folder / "decks" / f"{DECK_ID}.toml"
        scores = folder / "scores.toml"
        table = folder / "import.csv"
        if not deck.exists():
            write_deck_file(deck, n)
        if not scores.exists():
            write_scores_file(scores, n)
        if not table.exists():
            write_csv_file(table, n)
        files[n] = {"deck": deck, "scores": scores, "csv": table, "folder": folder}
        print(f"# {n:,} cards: deck {deck.stat().st_size / 2**20:.1f} MiB, "
              f"scores {scores.stat().st_size / 2**20:.1f} MiB", flush=True)

    # Deck loading, cold, in this process, against a bare tomllib parse of the same text.
    import tomllib

    from quizapp import decks

    for n in sizes if not start_only else ():
        path = files[n]["deck"]
        typo = _with_a_typo(path, files[n]["folder"] / "typo.toml")
        for _ in range(repeat):
            gc.collect()
            started = time.perf_counter()
            tomllib.loads(path.read_text(encoding="utf-8"))
            note("tomllib parse (baseline)", n, time.perf_counter() - started)
            gc.collect()
            started = time.perf_counter()
            decks.load_deck(path)
            note("load a deck, cold (no cache)", n, time.perf_counter() - started)
            gc.collect()
            started = time.perf_counter()
            try:  # the same deck with one field misspelt: the time to say where
                decks.load_deck(typo)
            except decks.DeckError:
                pass
            note("refuse the deck with one typo, cold", n, time.perf_counter() - started)

    # Saving one edited card, as the browser does (only that card's table is rewritten and
    # read back), and the reload that follows; the deck cache goes in the bench's folder.
    import shutil

    from quizapp.models import Deck
    from quizapp.workspace import file_stamp, update_deck

    os.environ["QUIZAPP_CACHE_DIR"] = str(root / "edit-cache")
    for n in sizes if not (start_only or commands_only) else ():
        for r in range(repeat):
            path = root / f"edit-{n}.toml"
            shutil.copyfile(files[n]["deck"], path)
            old = decks.load_deck_cached(path)
            cards = list(old.cards)
            cards[n // 2] = cards[n // 2].model_copy(update={"answer": f"edited {r}"})
            new = Deck(format=old.format, deck=old.deck, cards=cards)
            gc.collect()
            started = time.perf_counter()
            update_deck(path, old, new, file_stamp(path))
            decks.load_deck_cached(path)
            note("save one edited card, and reload the deck", n, time.perf_counter() - started)

    for n in sizes:
        f = files[n]
        folder = f["folder"]
        env = dict(os.environ, QUIZAPP_DATA_DIR=str(folder / "data"),
                   QUIZAPP_CONFIG_DIR=str(folder / "config"),
                   QUIZAPP_CACHE_DIR=str(folder / "cache"),
                   QUIZAPP_SCORES=str(f["scores"]), QUIZAPP_DECKS=str(f["deck"].parent))
        # Started as a person's Python starts them: compiled modules are kept between runs.
        # Where PYTHONDONTWRITEBYTECODE is set, every start would compile quizapp from its
        # source again (a sixth of a small start), which no installed program pays.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        cli = [sys.executable, "-m", "quizapp"]
        if commands_only:  # the deck cache made (or made again) before anything is timed
            run_process(cli + ["deck", "list"], env)
        if not commands_only:  # (medians of the rounds, not the fastest run)
            starts[n] = runs = measure_starts(env, start_rounds)
            note("bare Textual app to first screen", n, runs.median("bare"),
                 max(run["peak_mib"] for run in runs.bare))
            note("bare Textual app to first screen, CPU", n, runs.median("bare", "cpu"))
            note("start to home (cold)", n, runs.cold["home"], runs.cold["peak_mib"])
            note("start to home (warm)", n, runs.median("home"),
                 max(run["peak_mib"] for run in runs.home))
            note("start to home (warm), CPU", n, runs.median("home", "cpu"))
        for _ in range(repeat if not (start_only or commands_only) else 0):  # the fastest run
            full = run_child(["--child", "full"], env)
            for key, name in (("session_start", "session start (whole deck, to first question)"),
                              ("typed_answer", "first typed answer"),
                              ("summary", "last answer to summary"),
                              ("compact", "compaction (snapshot + 250 answers)"),
                              ("stall_idle", "longest UI stall, idle"),
                              ("stall_compact", "longest UI stall, compacting")):
                note(name, n, full[key])
            note("memory at home", n, 0, full["peak_mib_loaded"])
        commands = {
            "stats --json": ["stats", "--json"],
            "due": ["due"],
            "deck validate": ["deck", "validate", str(f["deck"])],
            "CSV export": ["deck", "export", DECK_ID, str(folder / "out.csv"), "--force"],
            ".apkg export": ["deck", "export", DECK_ID, str(folder / "out.apkg"), "--force"],
        }
        run_commands = run_commands and not start_only
        for name, args in (commands if run_commands else {}).items():
            for _ in range(repeat):
                seconds, peak, _out = run_process(cli + args, env)
                note(name, n, seconds, peak)
        for r in range(repeat if run_commands else 0):
            # Another window answered since the numbers were last counted: the kept tally
            # takes in just that answer.
            from quizapp.models import AnswerEvent
            from quizapp.store import ScoreStore

            ScoreStore(f["scores"]).append(AnswerEvent(
                deck=DECK_ID, card="card-1", session="bench", result="right",
                at=START + timedelta(days=60, seconds=time.time() % 86400)))
            seconds, peak, _out = run_process(cli + ["stats", "--json"], env)
            note("stats --json after an answer elsewhere", n, seconds, peak)
        for r in range(repeat if run_commands else 0):
            import_env = dict(env, QUIZAPP_DATA_DIR=str(folder / f"import-{r}-{time.time_ns()}"))
            seconds, peak, _out = run_process(
                cli + ["deck", "import", str(f["csv"]), "--id", f"imported-{r}"], import_env)
            note("deck import of a CSV", n, seconds, peak)
        print(f"# measured {n:,}", flush=True)

    small, big = sizes[0], sizes[-1]
    print()
    print(f"| measure | {' | '.join(f'{n:,}' for n in sizes)} | {big:,} / {small:,} | peak MiB at {big:,} |")
    print(f"|---|{'---|' * len(sizes)}---|---|")
    for name, values in rows.items():
        if name == "memory at home" or len(values) < len(sizes):
            continue
        cells = " | ".join(_fmt(values[n]) for n in sizes)
        ratio = values[big] / values[small] if values[small] else float("nan")
        peak = peaks.get(name, {}).get(big)
        print(f"| {name} | {cells} | {ratio:.1f}x | {'' if peak is None else f'{peak:.0f}'} |")
    if commands_only:
        return
    if start_only:
        print()
        for n in sizes:
            print(f"{n:>7,} cards: {_start_line(starts[n])}")
        return
    mem = peaks["memory at home"]
    print(f"| memory at home (peak, MiB) | {' | '.join(f'{mem[n]:.0f}' for n in sizes)} | "
          f"{mem[big] / mem[small]:.1f}x | |")
    print()
    for n in sizes:
        load = rows["load a deck, cold (no cache)"][n]
        base = rows["tomllib parse (baseline)"][n]
        stall = rows["longest UI stall, compacting"][n] / rows["longest UI stall, idle"][n]
        print(f"{n:>7,} cards: {_start_line(starts[n])}; "
              f"cold deck load {load / base:.2f}x tomllib; "
              f"UI stall while compacting {stall:.2f}x idle")


def _start_line(runs: Starts) -> str:
    cold = runs.cold["home"] / runs.median("bare")
    drawn = sum(bool(run.get("from_index")) for run in runs.home)
    return (f"start to home {runs.ratio()} a bare Textual app warm, "
            f"median of {len(runs.home)} rounds (CPU time {runs.ratio('cpu')}; "
            f"cold {cold:.2f}x; {drawn} of {len(runs.home)} drawn from the deck cache's index)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quizapp.bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="card counts, smallest first (default: 1000,10000,100000)")
    parser.add_argument("--dir", type=Path, help="keep the generated files here (reused)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each measure but the start rows; the fastest is kept (default 2)")
    parser.add_argument("--no-commands", action="store_true",
                        help="skip the command-line measures (stats, due, validate, exports, import)")
    parser.add_argument("--start-only", action="store_true",
                        help="only the start rows: a bare Textual app, start to home cold and warm")
    parser.add_argument("--commands-only", action="store_true",
                        help="only a cold deck load and the command-line rows (stats, due, "
                        "validate, exports, import)")
    parser.add_argument("--start-rounds", type=int, default=40,
                        help="rounds of the start rows (a bare app and quizapp, started in "
                        "turns; default 40): their medians are shown")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_main(args.child)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    measure(sizes, args.dir, max(1, args.repeat), run_commands=not args.no_commands,
            start_only=args.start_only, commands_only=args.commands_only,
            start_rounds=max(1, args.start_rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
