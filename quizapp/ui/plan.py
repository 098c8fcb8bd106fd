"""What a person chose to play, kept so that "play again" builds the same kind of session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from quizapp.session import Item

Kind = Literal["deck", "review", "due", "missed"]
MODE_WORDS = {"order": "in order", "shuffle": "shuffled"}


@dataclass(frozen=True)
class PlayPlan:
    """What to play, so that "play again" can build the same kind of session:

    - ``deck``: one deck in ``order`` or ``shuffle``d, maybe only ``limit`` cards; with
      ``resume``, the deck's unfinished in-order session where it stopped;
    - ``review``: the missed list (of one deck, or every deck when ``deck_id`` is None);
    - ``due``: the cards FSRS says are due, plus today's new ones;
    - ``missed``: the cards (``items``) a session just missed, in rounds until right;
      ``origin`` is the plan of that session ("play again" plays it).
    """

    kind: Kind
    deck_id: str | None
    mode: Literal["order", "shuffle"] = "order"
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

    @classmethod
    def from_cli(cls, deck_id: str | None, mode: str | None) -> PlayPlan | None:
        """The plan asked for on the command line: ``order``, ``shuffle``, ``order:N``,
        ``shuffle:N``, ``resume`` (with a deck), ``review`` or ``due`` (with or without one)."""
        mode = mode or "order"
        if mode in ("review", "due"):
            return cls(mode, deck_id)
        if deck_id is None:
            return None
        if mode == "resume":
            return cls("deck", deck_id, "order", resume=True)
        how, _, count = mode.partition(":")
        return cls("deck", deck_id, "shuffle" if how == "shuffle" else "order",
                   int(count) if count.isdigit() else None)
