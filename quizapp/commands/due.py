"""`quizapp due [DECK] [--json] [--study] [--plain]`: what spaced repetition asks for now.

Without --study (or --plain) it only lists, per deck, the cards due now and the new cards
today's limit still allows. With --study it opens the app in "Due" mode; with --plain it
asks the due cards line by line instead.
"""

from __future__ import annotations

import argparse
import sys

DUE_FORMAT = 1

DESCRIPTION = """\
List the cards that spaced repetition (FSRS) asks for now, per deck: cards answered before
that are due again, and new cards, at most new_per_day per deck per day (settings, default
10). --study reviews them in the app (most overdue first, then the new cards); --plain
reviews them line by line on stdin/stdout (:s skip, :u undo, :q quit).

--json prints {"format": 1, "now": ISO time, "due": N, "new": N,
               "decks": [{"id", "title", "due", "new"}]} with sorted keys.
"""


def register(subparsers) -> None:
    from quizapp.cli import add_location_options

    parser = subparsers.add_parser(
        "due",
        help="list the cards due for review per deck (--study/--plain to review them)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("deck", nargs="?", metavar="DECK", help="only this deck (default: all)")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.add_argument("--study", action="store_true", help="review the due cards in the app")
    parser.add_argument(
        "--plain", action="store_true", help="review the due cards line by line (implies --study)"
    )
    parser.add_argument("--seed", type=int, help="seed for the choice order (repeatable)")
    add_location_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import json

    from quizapp import review
    from quizapp.commands.common import (
        kept_summary,
        nothing_message,
        open_workspace,
        play,
        unknown_deck,
    )
    from quizapp.plan import PlayPlan
    from quizapp.text import visible
    from quizapp.workspace import NothingToPlay

    if args.json and (args.study or args.plain):
        print("quizapp: due: --json lists only; leave out --study/--plain", file=sys.stderr)
        return 2
    plan = PlayPlan("due", args.deck)
    if args.study or args.plain:
        deck = f" {args.deck}" if args.deck else ""
        return play(args, plan, plain=args.plain, title="Due: {deck}",
                    hint=f"quizapp due{deck} --plain")
    kept = kept_summary(args)  # the numbers of the last count, if nothing changed since
    if kept is not None and (args.deck is None or any(d.deck_id == args.deck for d in kept[0].decks)):
        summary, now = kept
        decks = summary.stats(now).decks
        next_due = summary.next_due
    else:
        workspace = open_workspace(args)
        if workspace is None:
            return 1
        if args.deck is not None and workspace.catalog.get(args.deck) is None:
            return unknown_deck(workspace, args.deck)
        now = workspace.clock()
        decks = workspace.stats().decks

        def next_due(deck_id: str | None) -> object:
            return review.next_due(workspace.scores, workspace.catalog, deck_id)

    entries = [d for d in decks if args.deck is None or d.deck_id == args.deck]
    total_due = sum(d.due for d in entries)
    total_new = sum(d.new for d in entries)
    if args.json:
        data = {
            "format": DUE_FORMAT,
            "now": now.isoformat(),
            "due": total_due,
            "new": total_new,
            "decks": [
                {"id": d.deck_id, "title": d.title, "due": d.due, "new": d.new}
                for d in entries
            ],
        }
        print(json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False))
        return 0
    if not entries:
        print("No decks found.")
        return 0
    width = max(len(d.deck_id) for d in entries)
    print(f"{'deck':<{width}}  {'due':>4}  {'new':>4}  title")
    for d in entries:
        print(f"{d.deck_id:<{width}}  {d.due:>4}  {d.new:>4}  {visible(d.title, one_line=True)}")
    print(f"{'total':<{width}}  {total_due:>4}  {total_new:>4}")
    if total_due + total_new == 0:
        print(nothing_message(NothingToPlay("nothing-due", plan, next_due=next_due(args.deck))))
    else:
        deck = f" {args.deck}" if args.deck else ""
        print(f"Study them with `quizapp due{deck} --study` (or --plain).")
    return 0
