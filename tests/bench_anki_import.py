"""How .apkg import time grows with the package: 1,000 vs 10,000 notes.

    .venv/bin/python tests/bench_anki_import.py

Builds the packages with Anki's own library (half Basic, a quarter Basic-and-reversed, a
quarter Cloze with two gaps), then times ``import_package`` (unzip, zstd, SQLite, render
every note, validate the decks) in CPU time and prints the times and their ratio
(linear: ~10x or less, as a part of the work is fixed).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from anki.collection import Collection, ExportAnkiPackageOptions

from quizapp.interop import import_package


def build(folder: Path, notes: int) -> Path:
    col = Collection(str(folder / f"c{notes}.anki2"))
    deck = col.decks.id("Bench::Sub")
    types = [col.models.by_name(n) for n in ("Basic", "Basic", "Basic (and reversed card)", "Cloze")]
    for i in range(notes):
        notetype = types[i % 4]
        note = col.new_note(notetype)
        if notetype["name"] == "Cloze":
            note["Text"] = f"Fact {i}: {{{{c1::alpha {i}}}}} then {{{{c2::beta {i}}}}}"
        else:
            note["Front"] = f"Question <b>{i}</b>?"
            note["Back"] = f"Answer {i}<br>second line"
        note.tags = [f"t{i % 10}", "bench::tag"]
        col.add_note(note, deck)
    out = folder / f"bench-{notes}.apkg"
    col.export_anki_package(out_path=str(out), options=ExportAnkiPackageOptions(
        with_scheduling=False, with_media=False, legacy=False), limit=None)
    col.close()
    return out


def timed(path: Path, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()  # CPU time: other work on the machine does not count
        decks, _ = import_package(path)
        best = min(best, time.process_time() - start)
    assert sum(len(d.deck.cards) for d in decks) > 0
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small, big = build(Path(tmp), 1_000), build(Path(tmp), 10_000)
        t_small, t_big = timed(small), timed(big)
    print(f"import 1,000 notes:  {t_small * 1000:7.0f} ms")
    print(f"import 10,000 notes: {t_big * 1000:7.0f} ms")
    print(f"10x the notes takes {t_big / t_small:.1f}x the time")


if __name__ == "__main__":
    main()
