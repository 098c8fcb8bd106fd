"""The command palette's own commands (ctrl+p): the main actions, found by typing.

Each command posts a message (``ui.messages``), the same one a key on a screen posts, so
the palette and the keys go through the same path in the app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.app import SystemCommand
from textual.message import Message

from quizapp.plan import PlayPlan
from quizapp.ui import messages
from quizapp.workspace import Workspace


def quiz_commands(workspace: Workspace, post: Callable[[Message], object]) -> Iterator[SystemCommand]:
    """The commands for the decks found in ``workspace``; choosing one calls ``post``."""
    yield SystemCommand("Home", "Go to the list of decks (ends the session)",
                        lambda: post(messages.GoHome()))
    for entry in workspace.catalog.entries:
        # Deck ids are letters, digits, - and _ only, so safe in the palette (which reads markup).
        yield SystemCommand(f"Play {entry.id}", "Start this deck (in order, shuffled or N questions)",
                            lambda deck_id=entry.id: post(messages.ChooseHowToPlay(deck_id)))
        yield SystemCommand(f"Browse {entry.id}", "Search this deck's cards (and edit a deck of yours)",
                            lambda deck_id=entry.id: post(messages.Browse(deck_id)))
    yield SystemCommand("Review missed cards", "Every deck's missed cards, in rounds until right",
                        lambda: post(messages.Play(PlayPlan("review", None))))
    yield SystemCommand("Study due cards", "The cards due today in every deck, and a few new ones",
                        lambda: post(messages.Play(PlayPlan("due", None))))
    yield SystemCommand("Stats", "Your progress: accuracy, most-missed cards, leeches, streak",
                        lambda: post(messages.OpenStats()))
    yield SystemCommand("Import a deck", "From an Anki text export, Quizlet, CSV or TSV file",
                        lambda: post(messages.OpenImport()))
