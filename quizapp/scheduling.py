"""FSRS memory state for each card, through the ``fsrs`` package (no hand-written scheduler).

Every answer, in any mode, moves the card's memory state on by one FSRS review; the state
is kept in the score file (``CardRecord.fsrs``) and decides when the card is due again.

Rating rule (also in the README, "Review and spaced repetition"):

- ``flip`` cards: the person's own grade (1 Again, 2 Hard, 3 Good, 4 Easy).
- ``choice``, ``text`` and ``order`` cards: wrong is Again; right is Good; right *and
  fast* is Easy. Fast means within ``easy_limit_ms(card)``:

  - ``choice``: 5 seconds;
  - ``text``: 4 seconds plus 0.3 seconds per character of the shortest accepted answer
    (typing a long name takes longer than typing a year);
  - ``order``: 2.5 seconds per item to arrange.

  An answer without a measured time is never Easy. Hard is never given automatically:
  "right but slow" is still Good, so a slow typist is not punished.

Storage: ``FsrsState`` holds the fields of ``fsrs.Card`` except ``card_id``; TOML has no
null, so the score file leaves out the fields that are None and reads them back as None.
Times are stored in UTC, and ``to_fsrs(from_fsrs(card))`` gives back the same card
(``card_id`` aside): the same state, step, floats and datetimes.
"""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fsrs import Card as FsrsCard
    from fsrs import Scheduler

    from quizapp.models import Card, FsrsState

# The fsrs package (and the models) are imported when a card is first scheduled, not when
# this module is: the home screen and the counts only read stored states (``is_due``).



class Grade(IntEnum):
    """How well a card was known: the FSRS rating of an answer (``fsrs.Rating``'s values).
    A person grades a flip card with it; the other kinds get one from ``rating_for``."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        """``Again``, ``Hard``, ``Good``, ``Easy``: the word the front ends show."""
        return self.name.title()


# fsrs card states (fsrs.State's values; a test checks them): a new card starts in Learning.
LEARNING, REVIEW = 1, 2

CHOICE_EASY_MS = 5_000
TEXT_EASY_BASE_MS = 4_000
TEXT_EASY_PER_CHAR_MS = 300
ORDER_EASY_PER_ITEM_MS = 2_500

@functools.cache
def _scheduler() -> Scheduler:
    from fsrs import Scheduler

    # Fuzzing off: the same answers at the same times always give the same schedule.
    return Scheduler(enable_fuzzing=False)


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def preload() -> None:
    """Import fsrs now (it is imported when a card is first scheduled otherwise)."""
    _scheduler()


def easy_limit_ms(card: Card) -> int | None:
    """How fast a right answer must be to count as Easy (None: never, e.g. flip cards)."""
    if card.kind == "choice":
        return CHOICE_EASY_MS
    if card.kind in ("text", "cloze"):
        shortest = min(len(a.strip()) for a in card.answers)
        return TEXT_EASY_BASE_MS + TEXT_EASY_PER_CHAR_MS * shortest
    if card.kind == "order":
        return ORDER_EASY_PER_ITEM_MS * len(card.answer)
    return None


def rating_for(card: Card, correct: bool, duration_ms: int | None) -> int:
    """The FSRS rating for an answer to a choice, text or order card (see the module doc)."""
    if not correct:
        return Grade.AGAIN
    limit = easy_limit_ms(card)
    if limit is not None and duration_ms is not None and duration_ms <= limit:
        return Grade.EASY
    return Grade.GOOD


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"time {moment.isoformat()} has no timezone")
    return moment.astimezone(timezone.utc)


def to_fsrs(state: FsrsState | None) -> FsrsCard:
    """An ``fsrs.Card`` for a stored state; a brand-new card when ``state`` is None."""
    from fsrs import Card as FsrsCard
    from fsrs import State

    if state is None:
        return FsrsCard(card_id=0, due=_EPOCH)
    return FsrsCard(
        card_id=0,
        state=State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=_utc(state.due),
        last_review=None if state.last_review is None else _utc(state.last_review),
    )


def from_fsrs(card: FsrsCard) -> FsrsState:
    """The storable state of an ``fsrs.Card`` (its ``card_id`` is not kept)."""
    from quizapp.models import FsrsState  # (the grades and the counts need no model)

    return FsrsState(
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due),
        last_review=None if card.last_review is None else _utc(card.last_review),
    )


def review(state: FsrsState | None, rating: int, at: datetime) -> FsrsState:
    """The card's memory state after an answer rated ``rating`` (1-4) at ``at`` (tz-aware)."""
    from fsrs import Rating

    card, _log = _scheduler().review_card(to_fsrs(state), Rating(rating),
                                          review_datetime=_utc(at))
    return from_fsrs(card)


def is_due(state: FsrsState | None, now: datetime) -> bool:
    """True when a card that has been answered is due again at ``now``."""
    return state is not None and _utc(state.due) <= _utc(now)


def next_intervals(state: FsrsState | None, at: datetime) -> dict[int, float]:
    """For each grade (1-4), the seconds until the card would be due again if graded so at
    ``at``: what the grade buttons of a flip card say (``interval_label``)."""
    from fsrs import Rating

    card = to_fsrs(state)
    out = {}
    for rating in Grade:
        after, _log = _scheduler().review_card(card, Rating(rating), review_datetime=_utc(at))
        out[rating] = max(0.0, (after.due - _utc(at)).total_seconds())
    return out


def interval_label(seconds: float) -> str:
    """A short interval as Anki writes it: ``<1m``, ``10m``, ``3h``, ``9d``, ``2mo``, ``1.5y``."""
    minutes = seconds / 60
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{round(days / 30)}mo"
    years = days / 365
    return f"{years:.1f}".removesuffix(".0") + "y"
