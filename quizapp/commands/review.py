"""`quizapp review [DECK] [--plain]`: drill the missed cards in rounds until each is right."""

from __future__ import annotations

import argparse

DESCRIPTION = """\
Review the cards you missed: those answered wrong that have not since been answered right
enough times in a row (settings: review_streak, default 2). A card answered wrong comes
back in a later round until it is answered right. Without DECK, every deck's missed cards
are mixed. With --plain the questions are asked line by line on stdin/stdout; at any prompt
:s skips, :u undoes the last answer and :q quits, keeping what was answered.
"""


def register(subparsers) -> None:
    from quizapp.cli import add_location_options

    parser = subparsers.add_parser(
        "review",
        help="review the cards you missed, in rounds until each is right",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("deck", nargs="?", metavar="DECK", help="only this deck (default: all)")
    parser.add_argument("--plain", action="store_true", help="ask line by line, without the app")
    parser.add_argument("--seed", type=int, help="seed for the question order (repeatable)")
    add_location_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.commands.common import play
    from quizapp.plan import PlayPlan

    deck = f" {args.deck}" if args.deck else ""
    return play(args, PlayPlan("review", args.deck), plain=args.plain, title="Review: {deck}",
                hint=f"quizapp review{deck} --plain")
