"""FSRS memory state for each card, through the ``fsrs`` package (no hand-written scheduler).

Rating rule (documented in the README):
- ``flip`` cards: the person's own grade (1 Again, 2 Hard, 3 Good, 4 Easy);
- ``choice``, ``text`` and ``order`` cards: wrong is Again; right is Good; right and fast is
  Easy, where fast means answered within ``EASY_SECONDS`` for the card's kind.
"""

from __future__ import annotations

from datetime import datetime, timezone

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

from quizapp.models import Card, FsrsState

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
EASY_SECONDS = {"choice": 4.0, "text": 8.0, "order": 12.0}

# Fuzzing off: the same answers at the same times always give the same schedule.
_SCHEDULER = Scheduler(enable_fuzzing=False)


def rating_for(card: Card, correct: bool, duration_ms: int | None) -> int:
    """The FSRS rating for an answer to a choice, text or order card."""
    if not correct:
        return AGAIN
    limit = EASY_SECONDS.get(card.kind)
    if limit is not None and duration_ms is not None and duration_ms <= limit * 1000:
        return EASY
    return GOOD


def to_fsrs(state: FsrsState | None) -> FsrsCard:
    if state is None:
        return FsrsCard(card_id=0, due=datetime(1970, 1, 1, tzinfo=timezone.utc))
    return FsrsCard(
        card_id=0,
        state=state.state,
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def from_fsrs(card: FsrsCard) -> FsrsState:
    return FsrsState(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def review(state: FsrsState | None, rating: int, at: datetime) -> FsrsState:
    """The card's memory state after an answer rated ``rating`` at ``at`` (tz-aware)."""
    card, _log = _SCHEDULER.review_card(to_fsrs(state), Rating(rating), review_datetime=at)
    return from_fsrs(card)
