"""What the commands share: opening the workspace with every problem told on stderr,
playing a plan (in the app or line by line), and the words for "nothing to play".

Like every command module it imports only the standard library at the top, so
``quizapp --help`` stays fast and never imports textual.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from quizapp.plan import PlayPlan
    from quizapp.summaryfile import Summary
    from quizapp.session import Session
    from quizapp.workspace import NothingToPlay, Workspace


def say_error(message: str) -> None:
    """One line on stderr. Messages quote ids and text from people's files: their control
    characters are shown as symbols, never obeyed by the terminal."""
    from quizapp.text import visible

    print(f"quizapp: {visible(message)}", file=sys.stderr)


def kept_summary(args: argparse.Namespace) -> tuple[Summary, datetime] | None:
    """The numbers the last count kept (``Workspace.kept_summary``) and now, when the
    decks, scores and settings are as they were then, or when only answers were written
    since (``Workspace.advanced_summary`` counts just those); None when they must be
    counted (``open_workspace``, then ``stats``). Settings problems are
    told as warnings, as there."""
    from quizapp.cli import locations
    from quizapp.deckindex import survey
    from quizapp.workspace import Workspace

    workspace = Workspace(locations(args))
    workspace.load_settings()
    if workspace.settings_error is not None:
        return None  # counted the usual way, which says what is wrong with them
    glimpses = survey(workspace.locations)
    summary = workspace.kept_summary(glimpses)
    if summary is None and glimpses is not None:
        # Answered since (another window): those answers are counted on the kept tally.
        summary = workspace.advanced_summary(glimpses)
    return None if summary is None else (summary, workspace.clock())


def open_workspace(args: argparse.Namespace) -> Workspace | None:
    """The loaded workspace; None (after saying why on stderr) when the score file cannot
    be used. Deck problems, unreadable settings and moved-aside score files are told as
    warnings."""
    from quizapp.cli import locations
    from quizapp.store import ScoreFileError
    from quizapp.workspace import Workspace

    workspace = Workspace(locations(args))
    try:
        workspace.load()
        failed = None
    except ScoreFileError as exc:
        failed = exc
    for problem in workspace.catalog.problems:
        say_error(f"warning: {problem}")
    if workspace.settings_error is not None:
        *problems, last = workspace.settings_error.problems
        for problem in problems:
            say_error(f"warning: {problem}")
        say_error(f"warning: {last} (using the default settings)")
    if failed is not None:
        say_error(str(failed))
    for notice in workspace.notices:
        say_error(f"warning: {notice}")
    return workspace if failed is None else None


def unknown_deck(workspace: Workspace, deck_id: str) -> int:
    known = ", ".join(e.id for e in workspace.catalog.entries) or "none found"
    say_error(f"no deck with id {deck_id!r} (decks: {known})")
    return 1


def nothing_to_play(workspace: Workspace, nothing: NothingToPlay) -> int:
    """Say why there is nothing to play; the exit code (1 only for an unknown deck)."""
    plan = nothing.plan
    if nothing.reason == "unknown-deck":
        return unknown_deck(workspace, plan.deck_id or "")
    if nothing.reason == "nothing-to-resume":
        print(f"quizapp: play: nothing to resume in {plan.deck_id}: its last in-order session "
              f"was finished, or none was played (`quizapp play {plan.deck_id}` starts one)",
              file=sys.stderr)
        return 1
    if nothing.reason == "nothing-left":
        print(f"quizapp: play: {plan.deck_id} has no card left after question {nothing.asked}",
              file=sys.stderr)
        return 1
    print(nothing_message(nothing))
    return 0


def nothing_message(nothing: NothingToPlay) -> str:
    """The command line's words for an empty session."""
    deck_id = nothing.plan.deck_id
    where = f" in {deck_id}" if deck_id else ""
    reason = nothing.reason
    if reason == "all-suspended":
        return (f"Every card of {deck_id} is suspended: `quizapp unsuspend {deck_id} CARD` "
                "brings one back.")
    if reason == "never-played":
        return f"Nothing to review{where} yet: play a deck first, and any card you miss will wait here."
    if reason == "missed-suspended":
        return (f"Nothing to review{where}: the only cards you missed are suspended "
                "(`quizapp unsuspend DECK CARD` brings one back).")
    if reason == "never-missed":
        return f"Nothing to review{where}: you have not missed a single card. Well done!"
    if reason == "all-reviewed":
        times = "once" if nothing.streak == 1 else f"{nothing.streak} times in a row"
        return (f"Nothing to review{where}: every card you missed has since been answered "
                f"right {times}. Well done!")
    later = ""
    if nothing.next_due is not None:
        later = f" The next card is due at {local_time(nothing.next_due)}."
    return f"Nothing is due right now, and no new card is left for today.{later}"


def local_time(moment) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def play(args: argparse.Namespace, plan: PlayPlan, *, plain: bool, title: str, hint: str) -> int:
    """Open the workspace once, start ``plan`` and play it: in the app (which is handed
    the workspace and the session, so nothing is loaded twice) or, with ``plain``, line
    by line. ``title`` names what is played in plain mode ({deck} is the deck's title,
    {position} and {total} where the session starts); ``hint`` is the plain command
    named when there is no terminal for the app."""
    workspace = open_workspace(args)
    if workspace is None:
        return 1
    from quizapp.workspace import NothingToPlay

    started = workspace.start(plan, seed=getattr(args, "seed", None))
    if isinstance(started, NothingToPlay):
        return nothing_to_play(workspace, started)
    if not plain:
        from quizapp.cli import open_app

        return open_app(args, plan, workspace=workspace, session=started, plain=hint)
    entry = workspace.catalog.get(plan.deck_id) if plan.deck_id else None
    deck_title = entry.deck.deck.title if entry is not None else "all decks"
    return play_plain(workspace, started, title.format(
        deck=deck_title, position=started.position, total=started.total))


def play_plain(workspace: Workspace, session: Session, title: str) -> int:
    """Ask ``session`` line by line on stdin/stdout, then fold the journal when it is long.

    A score file that cannot be written stops the session with one line on stderr (exit
    1); every answer recorded before it is on disk.
    """
    from quizapp.plain import run_plain
    from quizapp.store import ScoreFileError

    folding = workspace.compact_in_background()  # a long journal is folded meanwhile
    try:
        code = run_plain(session, sys.stdin, sys.stdout, title=title)
    except BrokenPipeError:
        raise  # stdout was closed (``| head``): not the score file's fault
    except ScoreFileError as exc:  # names the file at fault
        sys.stdout.flush()
        say_error(str(exc))
        return 1
    except OSError as exc:
        sys.stdout.flush()
        say_error(f"{workspace.store.path}: cannot save answers: {exc.strerror or exc}")
        return 1
    try:
        failed = folding()
        if failed is not None:
            raise failed
        # Compaction is O(file): like the app, fold only once the journal is long.
        workspace.compact()
    except (ScoreFileError, OSError) as exc:
        # Every answer is on disk in the journal already: a warning, not a failure.
        say_error(f"warning: {exc}")
    return code
