"""The command line: parse, call the core, and import the UI only when it is opened.

Each subcommand lives in ``quizapp/commands/<name>.py`` and provides two functions:
``register(subparsers)`` adds its parser (and sets ``func=run``) and ``run(args) -> int``
does the work. Command modules import only the standard library at the top, so
``quizapp --help`` and the non-UI commands stay fast and never import textual.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from quizapp import __version__

COMMAND_MODULES = ("play", "review", "due", "stats", "cards", "deck", "generate", "extract",
                   "serve", "scores")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="A quiz and flashcard trainer for the terminal. "
        "With no command, opens the app on every deck it finds.",
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    add_location_options(parser)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"quizapp.commands.{name}").register(subparsers)
    return parser


def add_location_options(parser: argparse.ArgumentParser) -> None:
    """``--scores`` and ``--decks``, accepted before or after the command name."""
    parser.add_argument(
        "--scores",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="score file to use (default: $QUIZAPP_SCORES, else the user data folder)",
    )
    parser.add_argument(
        "--decks",
        type=Path,
        action="append",
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="an extra folder of decks (repeatable; also $QUIZAPP_DECKS)",
    )


def locations(args: argparse.Namespace):
    """The paths for this run, from the command line and the environment."""
    from quizapp.paths import Locations

    return Locations.from_env(getattr(args, "scores", None), getattr(args, "decks", None) or ())


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed, or not a real file
        return False


def no_terminal(plain: str) -> str | None:
    """Why the full-screen app cannot open here (stdin or stdout is a pipe, a file, cron,
    CI), as one line pointing to ``plain``, the line-by-line command; None on a terminal."""
    if os.environ.get("TEXTUAL_DRIVER"):  # Textual draws elsewhere (`quizapp serve`: a browser tab)
        return None
    streams = [name for name, stream in (("stdin", sys.stdin), ("stdout", sys.stdout))
               if not _is_terminal(stream)]
    if not streams:
        return None
    what = " and ".join(streams)
    verb = "are not terminals" if len(streams) > 1 else "is not a terminal"
    return (f"quizapp: {what} {verb}, so the app cannot open; "
            f"`{plain}` asks the questions line by line")


def open_app(
    args: argparse.Namespace,
    plan=None,
    *,
    workspace=None,
    session=None,
    plain: str = "quizapp play DECK --plain",
) -> int:
    """Open the Textual app (imported only here) on the home screen, or straight into
    ``plan``. A command that has already opened the ``workspace`` and started the
    ``session`` hands both over, so the app loads nothing again. Without a terminal it
    says so in one line naming ``plain`` (the line-by-line way) and returns 1: nothing
    was played."""
    reason = no_terminal(plain)
    if reason is not None:
        print(reason, file=sys.stderr)
        return 1
    from quizapp.ui import leave_to_exit

    app = app_for(args, plan, workspace=workspace, session=session)
    app.run()
    leave_to_exit()
    return app.return_code or 0


def app_for(args: argparse.Namespace, plan=None, *, workspace=None, session=None):
    """The app ``open_app`` runs (also what ``python -m quizapp.bench`` starts): the
    garbage collector paused until home shows the data, then the UI imported and made."""
    from quizapp.ui import collect_after_start

    collect_after_start()
    from quizapp.ui.app import make_app

    return make_app(locations(args), plan, workspace=workspace, session=session)


class _NotOnlyLocations(Exception):
    """The arguments are not just location options (``parse``)."""


class _LocationParser(argparse.ArgumentParser):
    def error(self, message: str):  # a mistake is worded by the whole parser
        raise _NotOnlyLocations(message)


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line's arguments (``argv``: ``sys.argv[1:]`` when None).

    ``quizapp`` with no command (the app), with or without location options, is parsed
    by a parser of those options alone, which gives the same namespace: building every
    command's parser (importing its module) is a twentieth of the app's start. Anything
    else, a command, help, the version or a mistake, goes to the whole parser."""
    args = list(sys.argv[1:] if argv is None else argv)
    parser = _LocationParser(prog="quizapp", add_help=False)
    add_location_options(parser)
    try:
        known, rest = parser.parse_known_args(args)  # (a command name is left in ``rest``)
    except _NotOnlyLocations:
        pass
    else:
        if not rest:
            return known
    return build_parser().parse_args(args)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    func = getattr(args, "func", None)
    try:
        if func is None:
            return open_app(args, plain="quizapp play DECK --plain")
        return int(func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
