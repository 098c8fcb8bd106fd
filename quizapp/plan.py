"""What a person chose to play: the one description both front ends pass around.

The command line builds a ``PlayPlan`` from its options and hands it to the app (or to
plain mode) as it is, so nothing is turned into a string and parsed back; "play again"
builds the same kind of session from the plan it kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from quizapp.session import Item

Kind = Literal["deck", "review", "due", "missed"]
Mode = Literal["order", "shuffle"]
MODE_WORDS = {"order": "in order", "shuffle": "shuffled"}


@dataclass(frozen=True)
class PlayPlan:
    """What to play:

    - ``deck``: one deck in ``order`` or ``shuffle``d, maybe only ``limit`` cards; with
      ``resume``, the deck's unfinished in-order session where it stopped;
    - ``review``: the missed list (of one deck, or every deck when ``deck_id`` is None);
    - ``due``: the cards FSRS says are due, plus today's new ones;
    - ``missed``: the cards (``items``) a session just missed, in rounds until right;
      ``origin`` is the plan of that session ("play again" plays it).
    """

    kind: Kind
    deck_id: str | None
    mode: Mode = "order"
    limit: int | None = None
    items: tuple[Item, ...] = ()
    origin: PlayPlan | None = None
    resume: bool = False

    @property
    def label(self) -> str:
        where = self.deck_id or "all decks"
        if self.kind == "deck":
            how = MODE_WORDS[self.mode] if self.limit is None else f"{self.limit} questions"
            how = f"{how}, resumed" if self.resume else how
        else:
            how = {"review": "review of missed", "due": "due cards", "missed": "missed again"}[self.kind]
        return f"{where} · {how}"
