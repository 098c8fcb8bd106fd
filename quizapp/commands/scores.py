"""`quizapp scores check` and `quizapp scores recover BACKUP`: look after the score file,
the way Anki's Check Database does (``quizapp.store``)."""

from __future__ import annotations

import argparse
from pathlib import Path

DESCRIPTION = """\
Look after the score file (scores.toml, its .journal, .cache and .lock).

  check            verify the snapshot, journal, cache and lock; print one `file: problem`
                   line per problem and exit 1, or say all is well. Reads only.
  recover BACKUP   merge back what can still be read of a backup quizapp made of a damaged
                   file (scores.toml.corrupt-* or scores.toml.journal.corrupt-*), or of any
                   copy of the score file: each answer once (running it twice adds nothing),
                   and card records and sessions the scores do not have.

A damaged file is put right when quizapp next reads it: the intact part is kept, the rest
is backed up, and you are told how many answers were kept and where the backup is.
"""


def register(subparsers) -> None:
    from quizapp.cli import add_location_options

    parser = subparsers.add_parser(
        "scores",
        help="check the score file, or recover answers from a backup",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_location_options(parser)
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="verify the score files (read-only)",
                               description="Verify the snapshot, journal, cache and lock.")
    add_location_options(check)
    check.set_defaults(func=run_check)
    recover = actions.add_parser(
        "recover", help="merge the readable answers of a backup back (each once)",
        description="Merge back what can be read of a backup: each answer once.")
    recover.add_argument("backup", type=Path, metavar="BACKUP",
                         help="a scores.toml.journal.corrupt-* or scores.toml.corrupt-* file")
    add_location_options(recover)
    recover.set_defaults(func=run_recover)


def _store(args: argparse.Namespace):
    from quizapp.cli import locations
    from quizapp.store import ScoreStore

    return ScoreStore(locations(args).scores)


def run_check(args: argparse.Namespace) -> int:
    from quizapp.commands.common import say_error
    from quizapp.text import visible

    store = _store(args)
    problems = store.check()
    for problem in problems:
        print(visible(problem))
    if problems:
        say_error(f"{len(problems)} problem(s) found; nothing was changed")
        return 1
    print(f"{store.path}: all well")
    return 0


def run_recover(args: argparse.Namespace) -> int:
    from quizapp.commands.common import say_error
    from quizapp.store import ScoreFileError

    store = _store(args)
    try:
        result = store.recover(args.backup)
    except ScoreFileError as exc:
        say_error(str(exc))
        return 1
    except OSError as exc:
        say_error(f"{store.path}: cannot write: {exc.strerror or exc}")
        return 1
    for notice in [*store.notices, *store.warnings]:
        say_error(f"warning: {notice}")
    parts = [f"{result.answers} answer(s) merged back"]
    if result.already:
        parts.append(f"{result.already} already in the scores (not added again)")
    if result.records:
        parts.append(f"{result.records} card record(s) only the backup had")
    if result.fuller:
        parts.append(f"{result.fuller} card record(s) with more answers in the backup, put back")
    if result.sessions:
        parts.append(f"{result.sessions} session(s)")
    if result.unreadable:
        parts.append(f"{result.unreadable} entr{'y' if result.unreadable == 1 else 'ies'} "
                     "could not be read")
    print(f"{args.backup}: " + "; ".join(parts))
    return 0
