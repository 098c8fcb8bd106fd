"""`quizapp generate`: write the question decks from the article dataset.

The same dataset always gives byte-identical deck files. ``--check`` writes nothing and
exits 1 naming every deck file that is missing or differs from what the dataset gives,
and every card that fails the question-quality checks (``quizapp.quality``).
Files in the output folder that the generator does not produce are left alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "write the bundled question decks from the article dataset"

DESCRIPTION = """\
Generate question decks from a dataset of the article (a TOML file described by
quizapp.models.Dataset). Writes one TOML file per deck into the output folder; the same
dataset always gives byte-identical files. Other files in the folder are never removed.
"""

EXIT_STALE = 1
EXIT_BAD_DATASET = 2


def register(subparsers) -> None:
    from quizapp.cli import add_location_options

    parser = subparsers.add_parser(
        "generate",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "dataset",
        nargs="?",
        type=Path,
        metavar="DATASET",
        help="dataset file (default: the article dataset shipped with quizapp)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="folder to write the decks into (default: the bundled decks/ folder)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and name each deck file that is missing or out of date, "
        "and each card that fails the question-quality checks",
    )
    add_location_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp import paths
    from quizapp.fsutil import atomic_write_text
    from quizapp.generate import DatasetError, load_dataset, render

    dataset_path = args.dataset if args.dataset is not None else paths.bundled_dataset()
    out_dir = args.out if args.out is not None else paths.bundled_decks_dir()
    try:
        dataset = load_dataset(dataset_path)
        files = render(dataset)
    except DatasetError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_BAD_DATASET

    if args.check:
        problems = []
        for name, text in files.items():
            state = _state(out_dir / name, text)
            if state != "same":
                problems.append(f"{out_dir / name}: {state}")
        for line in problems:
            print(line, file=sys.stderr)
        if problems:
            print(f"{len(problems)} deck file(s) need `quizapp generate`", file=sys.stderr)
            return EXIT_STALE
        from quizapp.generate import build_decks
        from quizapp.quality import check_dataset_decks
        from quizapp.text import visible

        findings = check_dataset_decks(dataset, build_decks(dataset))
        for finding in findings:
            print(visible(f"{out_dir / finding.deck}.toml: {finding}"), file=sys.stderr)
        if findings:
            print(f"{len(findings)} card(s) fail the question-quality checks", file=sys.stderr)
            return EXIT_STALE
        print(f"all {len(files)} deck files in {out_dir} are up to date")
        return 0

    for name, text in files.items():
        path = out_dir / name
        state = _state(path, text)
        if state == "same":
            print(f"{path}: unchanged")
            continue
        try:
            atomic_write_text(path, text)
        except OSError as exc:
            print(f"{path}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"{path}: {'written' if state == 'missing' else 'updated'}")
    return 0


def _state(path: Path, text: str) -> str:
    """"same", "missing" or "stale" (the file differs from what the dataset gives)."""
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    return "same" if current == text.encode("utf-8") else "stale"
