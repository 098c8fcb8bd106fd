"""`quizapp review [DECK] [--plain]`: drill the missed cards in rounds until each is right.

Also holds ``open_context``, the loading shared by the review, due, stats and card
commands: decks, settings and the score store, with every problem told on stderr.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any

DESCRIPTION = """\
Review the cards you missed: those answered wrong that have not since been answered right
enough times in a row (settings: review_streak, default 2). A card answered wrong comes
back in a later round until it is answered right. Without DECK, every deck's missed cards
are mixed. With --plain the questions are asked line by line on stdin/stdout; at any prompt
:s skips, :u undoes the last answer and :q quits, keeping what was answered.
"""


def say_error(message: str) -> None:
    """One line on stderr. Messages quote ids and text from people's files: their control
    characters are shown as symbols, never obeyed by the terminal."""
    from quizapp.text import visible

    print(f"quizapp: {visible(message)}", file=sys.stderr)


@dataclass
class Context:
    locations: Any
    catalog: Any  # decks.Catalog
    settings: Any  # settings.Settings
    store: Any  # store.ScoreStore (loaded)

    def unknown_deck(self, deck_id: str) -> None:
        known = ", ".join(e.id for e in self.catalog.entries) or "none found"
        say_error(f"no deck with id {deck_id!r} (decks: {known})")


def open_context(args: argparse.Namespace) -> Context | None:
    """Decks, settings and the loaded score store; None (after saying why on stderr) when
    the score file cannot be used. Deck problems, unreadable settings and moved-aside
    score files are reported as warnings."""
    from quizapp.cli import locations
    from quizapp.decks import discover
    from quizapp.settings import Settings, SettingsError, load_settings
    from quizapp.store import ScoreFileError, ScoreStore

    loc = locations(args)
    catalog = discover(loc)
    for problem in catalog.problems:
        say_error(f"warning: {problem}")
    try:
        settings = load_settings(loc.settings)
    except SettingsError as exc:
        say_error(f"warning: {exc} (using the default settings)")
        settings = Settings()
    store = ScoreStore(loc.scores)
    try:
        store.load()
    except ScoreFileError as exc:
        say_error(str(exc))
        return None
    finally:
        for backup in store.recovered:
            say_error(recovered_message(store, backup))
    return Context(loc, catalog, settings, store)


def recovered_message(store: Any, backup: Any) -> str:
    """One line saying which damaged file was moved aside, where, and what is kept."""
    if backup.name.startswith(store.journal_path.name + "."):
        return (
            f"{store.journal_path}: damaged; moved aside to {backup} (the answers saved "
            f"in {store.path.name} are kept; the journal's are only in the backup)"
        )
    return f"{store.path}: not a readable score file; moved aside to {backup}, starting a new one"


def play_plain(ctx: Context, session: Any, title: str) -> int:
    """Ask ``session`` line by line on stdin/stdout, then fold the journal when it is long.

    A score file that cannot be written stops the session with one line on stderr (exit
    1); every answer recorded before it is on disk.
    """
    from quizapp.plain import run_plain

    try:
        code = run_plain(session, sys.stdin, sys.stdout, title=title)
        # Compaction is O(file): like the app, fold only once the journal is long.
        ctx.store.maybe_compact()
    except BrokenPipeError:
        raise  # stdout was closed (``| head``): not the score file's fault
    except OSError as exc:
        sys.stdout.flush()
        say_error(f"{ctx.store.path}: cannot save answers: {exc.strerror or exc}")
        return 1
    return code


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


def nothing_missed_message(ctx: Context, deck_id: str | None) -> str:
    """The friendly line shown instead of an empty review."""
    where = f" in {deck_id}" if deck_id else ""
    cards = ctx.store.scores.cards
    # Only decks that still exist: a removed deck's scores are kept, but not reviewed.
    deck_ids = [deck_id] if deck_id else [entry.id for entry in ctx.catalog.entries]
    decks = [cards.get(d, {}) for d in deck_ids]
    records = [rec for deck in decks for rec in deck.values()]
    if not any(rec.seen for rec in records):
        return f"Nothing to review{where} yet: play a deck first, and any card you miss will wait here."
    if not any(rec.wrong and not rec.suspended for rec in records):
        if any(rec.wrong for rec in records):
            return (f"Nothing to review{where}: the only cards you missed are suspended "
                    "(`quizapp unsuspend DECK CARD` brings one back).")
        return f"Nothing to review{where}: you have not missed a single card. Well done!"
    streak = ctx.settings.review_streak
    times = "once" if streak == 1 else f"{streak} times in a row"
    return f"Nothing to review{where}: every card you missed has since been answered right {times}. Well done!"


def run(args: argparse.Namespace) -> int:
    from quizapp import review

    ctx = open_context(args)
    if ctx is None:
        return 1
    try:
        session = review.review_session(
            ctx.store.scores,
            ctx.catalog,
            args.deck,
            streak_needed=ctx.settings.review_streak,
            recorder=ctx.store,
            seed=args.seed,
        )
    except review.ReviewError:
        ctx.unknown_deck(args.deck)
        return 1
    if session is None:
        print(nothing_missed_message(ctx, args.deck))
        return 0
    if not args.plain:
        from quizapp.cli import open_app

        deck = f" {args.deck}" if args.deck else ""
        return open_app(args, deck_id=args.deck, mode="review",
                        plain=f"quizapp review{deck} --plain")

    title = ctx.catalog.get(args.deck).deck.deck.title if args.deck else "all decks"
    return play_plain(ctx, session, f"Review: {title}")
