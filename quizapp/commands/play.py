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
    from quizapp.cli import open_app

    if args.count is not None and args.count < 1:
        print("quizapp: play: -n must be at least 1", file=sys.stderr)
        return 2
    if args.resume and (args.shuffle or args.count):
        print("quizapp: play: --resume goes on with an in-order session; leave out "
              "--shuffle and -n", file=sys.stderr)
        return 2
    plain_hint = f"quizapp play {args.deck} --plain" + (" --resume" if args.resume else "")
    if not args.plain and not args.resume:
        mode = "shuffle" if args.shuffle else "order"
        if args.count:
            mode = f"{mode}:{args.count}"
        return open_app(args, deck_id=args.deck, mode=mode, plain=plain_hint)

    from quizapp.commands.review import open_context, play_plain
    from quizapp.review import suspended_ids
    from quizapp.session import NoCards, Session
    from quizapp.stats import resumable

    ctx = open_context(args)
    if ctx is None:
        return 1
    entry = ctx.catalog.get(args.deck)
    if entry is None:
        ctx.unknown_deck(args.deck)
        return 1
    deck = entry.deck
    skip = suspended_ids(ctx.store.scores, deck.id)
    if args.resume:
        record = resumable(ctx.store.scores, deck.id)
        if record is None:
            print(f"quizapp: play: nothing to resume in {deck.id}: its last in-order session "
                  f"was finished, or none was played (`quizapp play {deck.id}` starts one)",
                  file=sys.stderr)
            return 1
        if not args.plain:
            return open_app(args, deck_id=args.deck, mode="resume", plain=plain_hint)
        try:
            session = Session.resume(deck, record, recorder=ctx.store, seed=args.seed, skip=skip)
        except NoCards:
            print(f"quizapp: play: {deck.id} has no card left after question {record.asked}",
                  file=sys.stderr)
            return 1
        title = f"{deck.deck.title} (resumed at question {session.position} of {session.total})"
        return play_plain(ctx, session, title)
    try:
        session = Session.for_deck(
            deck,
            mode="shuffle" if args.shuffle else "order",
            limit=args.count,
            recorder=ctx.store,
            seed=args.seed,
            skip=skip,
        )
    except NoCards:
        print(f"Every card of {deck.id} is suspended: `quizapp unsuspend {deck.id} CARD` "
              "brings one back.")
        return 0
    return play_plain(ctx, session, deck.deck.title)
