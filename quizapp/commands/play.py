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


def open_store(locations):
    """The score store, loaded; prints where a corrupt file was moved. None on a refused file."""
    from quizapp.store import ScoreFileError, ScoreStore

    store = ScoreStore(locations.scores)
    try:
        store.load()
    except ScoreFileError as exc:
        print(f"quizapp: {exc}", file=sys.stderr)
        return None
    for backup in store.recovered:
        print(
            f"quizapp: the score file could not be read; it was moved aside to {backup} "
            "and a new one is started",
            file=sys.stderr,
        )
    return store


def find_deck(locations, deck_id: str):
    """The deck with this id, or None after printing why not."""
    from quizapp.decks import discover

    catalog = discover(locations)
    entry = catalog.get(deck_id)
    if entry is None:
        known = ", ".join(e.id for e in catalog.entries) or "none"
        print(f"quizapp: no deck with id {deck_id!r} (decks: {known})", file=sys.stderr)
        for problem in catalog.problems:
            print(f"quizapp: {problem}", file=sys.stderr)
        return None
    return entry.deck


def run(args: argparse.Namespace) -> int:
    from quizapp.cli import locations, open_app

    if args.count is not None and args.count < 1:
        print("quizapp: play: -n must be at least 1", file=sys.stderr)
        return 2
    loc = locations(args)
    if not args.plain:
        mode = "shuffle" if args.shuffle else "order"
        if args.count:
            mode = f"{mode}:{args.count}"
        return open_app(args, deck_id=args.deck, mode=mode)

    from quizapp.plain import run_plain
    from quizapp.session import Session

    deck = find_deck(loc, args.deck)
    if deck is None:
        return 1
    store = open_store(loc)
    if store is None:
        return 1
    suspended = {cid for cid, rec in store.scores.cards.get(deck.id, {}).items() if rec.suspended}
    session = Session.for_deck(
        deck,
        mode="shuffle" if args.shuffle else "order",
        limit=args.count,
        recorder=store,
        seed=args.seed,
        skip=suspended,
    )
    code = run_plain(session, sys.stdin, sys.stdout, title=deck.deck.title)
    store.compact()
    return code
