"""Card-level commands: `quizapp suspend DECK CARD`, `quizapp unsuspend DECK CARD` and
`quizapp leeches [--json]`.

A suspended card is never asked (play, review or due) until it is unsuspended; its
answers so far are kept. A leech is a card missed ``leech_threshold`` times or more
(settings, default 8): worth rewriting or suspending.
"""

from __future__ import annotations

import argparse

LEECHES_FORMAT = 1


def register(subparsers) -> None:
    from quizapp.cli import add_location_options

    for name, verb in (("suspend", "suspend"), ("unsuspend", "unsuspend")):
        parser = subparsers.add_parser(
            name,
            help=f"{verb} one card" + (" (it is not asked until unsuspended)" if name == "suspend" else ""),
            description=(
                "Suspend a card: it is left out of every session (play, review, due) until "
                "you unsuspend it. Its answers so far are kept."
                if name == "suspend"
                else "Unsuspend a card: it is asked again in play, review and due sessions."
            ),
        )
        parser.add_argument("deck", metavar="DECK", help="the deck id")
        parser.add_argument("card", metavar="CARD", help="the card id (see `quizapp leeches`)")
        add_location_options(parser)
        parser.set_defaults(func=run_suspend, suspend=name == "suspend")

    parser = subparsers.add_parser(
        "leeches",
        help="list the cards missed so often they are worth rewriting or suspending",
        description="List the cards answered wrong leech_threshold times or more (settings, "
        "default 8), most missed first. --json prints {\"format\": 1, \"threshold\": N, "
        "\"leeches\": [{\"deck\", \"card\", \"question\", \"wrong\", \"right\", \"suspended\"}]}.",
    )
    parser.add_argument("--json", action="store_true", help="print the list as JSON")
    add_location_options(parser)
    parser.set_defaults(func=run_leeches)


def run_suspend(args: argparse.Namespace) -> int:
    from quizapp.commands.common import open_workspace, say_error
    from quizapp.errors import NotFound

    workspace = open_workspace(args)
    if workspace is None:
        return 1
    try:
        changed = workspace.set_suspended(args.deck, args.card, args.suspend)
    except NotFound as exc:
        say_error(str(exc))
        return 1
    except OSError as exc:
        say_error(f"{workspace.store.path}: cannot write: {exc.strerror or exc}")
        return 1
    card = f"{args.deck}/{args.card}"
    if not changed:
        print(f"{card} is already {'suspended' if args.suspend else 'active (not suspended)'}.")
    elif args.suspend:
        print(f"Suspended {card}: it will not be asked until `quizapp unsuspend {args.deck} {args.card}`.")
    else:
        print(f"Unsuspended {card}: it will be asked again.")
    return 0


def run_leeches(args: argparse.Namespace) -> int:
    import json

    from quizapp import review
    from quizapp.commands.common import open_workspace
    from quizapp.text import visible

    workspace = open_workspace(args)
    if workspace is None:
        return 1
    threshold = workspace.settings.leech_threshold
    found = review.leeches(workspace.scores, workspace.catalog, threshold)
    if args.json:
        data = {
            "format": LEECHES_FORMAT,
            "threshold": threshold,
            "leeches": [
                {"deck": l.deck_id, "card": l.card.id, "question": l.card.question,
                 "wrong": l.wrong, "right": l.right, "suspended": l.suspended}
                for l in found
            ],
        }
        print(json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False))
        return 0
    if not found:
        print(f"No leeches: no card has been missed {threshold} times or more.")
        return 0
    print(f"Cards missed {threshold} times or more (rewrite them, or `quizapp suspend DECK CARD`):")
    for l in found:
        mark = "  [suspended]" if l.suspended else ""
        print(f"  {l.wrong:>3} wrong {l.right:>3} right  {l.deck_id} {l.card.id}{mark}")
        print(f"      {visible(l.card.question, one_line=True)}")
    return 0
