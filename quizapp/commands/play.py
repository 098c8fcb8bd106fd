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
        ":s skips, :u undoes the last answer and :q quits, keeping what was answered.",
    )
    parser.add_argument("deck", metavar="DECK", help="the deck id (see `quizapp deck list`)")
    parser.add_argument("--plain", action="store_true", help="ask line by line, without the app")
    parser.add_argument("--shuffle", action="store_true", help="shuffle the cards")
    parser.add_argument("-n", "--count", type=int, metavar="N", help="ask only N questions")
    parser.add_argument("--seed", type=int, help="seed for shuffling (repeatable sessions)")
    add_location_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from quizapp.cli import open_app

    if args.count is not None and args.count < 1:
        print("quizapp: play: -n must be at least 1", file=sys.stderr)
        return 2
    if not args.plain:
        mode = "shuffle" if args.shuffle else "order"
        if args.count:
            mode = f"{mode}:{args.count}"
        return open_app(args, deck_id=args.deck, mode=mode)

    from quizapp.commands.review import open_context, play_plain
    from quizapp.review import suspended_ids
    from quizapp.session import NoCards, Session

    ctx = open_context(args)
    if ctx is None:
        return 1
    entry = ctx.catalog.get(args.deck)
    if entry is None:
        ctx.unknown_deck(args.deck)
        return 1
    deck = entry.deck
    try:
        session = Session.for_deck(
            deck,
            mode="shuffle" if args.shuffle else "order",
            limit=args.count,
            recorder=ctx.store,
            seed=args.seed,
            skip=suspended_ids(ctx.store.scores, deck.id),
        )
    except NoCards:
        print(f"Every card of {deck.id} is suspended: `quizapp unsuspend {deck.id} CARD` "
              "brings one back.")
        return 0
    return play_plain(ctx, session, deck.deck.title)
