"""What a screen asks of the app. Screens never import the app: they post one of these
messages (it bubbles up to the app) and the app decides where to go.

The app handles each with ``@on(messages.X)``; a screen that shows data is given the
``Workspace`` it reads (a narrow, textual-free interface) when it is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # (a start imports no plan: one is made when a person plays)
    from quizapp.plan import PlayPlan
    from quizapp.session import Session


class Play(Message):
    """Start ``plan`` (``replace``: in place of the current screen, the summary)."""

    def __init__(self, plan: PlayPlan, *, replace: bool = False) -> None:
        super().__init__()
        self.plan = plan
        self.replace = replace


class ChooseHowToPlay(Message):
    """Ask how to play deck ``deck_id`` (in order, shuffled, N questions), then play it."""

    def __init__(self, deck_id: str) -> None:
        super().__init__()
        self.deck_id = deck_id


class Browse(Message):
    """Show the cards of deck ``deck_id``."""

    def __init__(self, deck_id: str) -> None:
        super().__init__()
        self.deck_id = deck_id


class GoHome(Message):
    """Back to the list of decks (a session under way is ended properly)."""


class SessionOver(Message):
    """The last question of ``session`` was answered or skipped: show the summary."""

    def __init__(self, session: Session, plan: PlayPlan) -> None:
        super().__init__()
        self.session = session
        self.plan = plan


class QuitDuringSession(Message):
    """The person confirmed quitting in the middle of ``session``: end it and exit."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session


class DataChanged(Message):
    """Decks or scores changed on disk (a deck saved or imported, a card suspended):
    ``decks`` asks for the decks to be found again, else only the counts are redrawn."""

    def __init__(self, *, decks: bool) -> None:
        super().__init__()
        self.decks = decks


class OpenStats(Message):
    """Show the stats screen."""


class OpenImport(Message):
    """Ask for a file to import as a new deck."""
