"""`quizapp play DECK`: play one deck, in the app or line by line with --plain."""

from __future__ import annotations

import argparse
import sys


def register(subparsers) -> None:
    from quizapp.cli import add_location_options

    parser = subparsers.add_parser(
        "play",
        help="play one deck (in the app, or line by line with --plain)",
        description="Play one deck. With --plain the questions are asked line by line on "
        "stdin/stdout (for scripts, screen readers and dumb terminals); at any prompt "
        ":s skips, :u undoes the last answer and :q quits, keeping what was answered. "
        "--resume goes on with the deck's last in-order session where it stopped.",
    )
    parser.add_argument("deck", metavar="DECK", help="the deck id (see `quizapp deck list`)")
    parser.add_argument("--plain", action="store_true", help="ask line by line, without the app")
    parser.add_argument("--shuffle", action="store_true", help="shuffle the cards")
    parser.add_argument("-n", "--count", type=int, metavar="N", help="ask only N questions")
    parser.add_argument("--seed", type=int, help="seed for shuffling (repeatable sessions)")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="go on with the last in-order session of DECK where it stopped",
    )
    add_location_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.commands.common import play
    from quizapp.plan import PlayPlan

    if args.count is not None and args.count < 1:
        print("quizapp: play: -n must be at least 1", file=sys.stderr)
        return 2
    if args.resume and (args.shuffle or args.count):
        print("quizapp: play: --resume goes on with an in-order session; leave out "
              "--shuffle and -n", file=sys.stderr)
        return 2
    plan = PlayPlan("deck", args.deck, "shuffle" if args.shuffle else "order", args.count,
                    resume=args.resume)
    hint = f"quizapp play {args.deck} --plain" + (" --resume" if args.resume else "")
    title = "{deck} (resumed at question {position} of {total})" if args.resume else "{deck}"
    return play(args, plan, plain=args.plain, title=title, hint=hint)
