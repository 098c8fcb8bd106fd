"""FSRS through the fsrs package: the rating rule, and memory state that survives the score file."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import tomli_w
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

from quizapp import scheduling
from quizapp.models import AnswerEvent, Card, FsrsState
from quizapp.scheduling import Grade
from quizapp.store import ScoreStore

T0 = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=timezone.utc)

CHOICE = Card(id="c", kind="choice", question="Who?", answer="Putin", distractors=["Trump"])
SHORT_TEXT = Card(id="t", kind="text", question="When?", answer="2018")
LONG_TEXT = Card(id="l", kind="text", question="Where?", answer="Buenos Aires, Argentina",
                 accept=["Buenos Aires"])
ORDER = Card(id="o", kind="order", question="Order them", answer=["a", "b", "c"])


@pytest.mark.parametrize(
    ("card", "correct", "ms", "expected"),
    [
        (CHOICE, False, 1_000, Grade.AGAIN),
        (CHOICE, True, 5_000, Grade.EASY),
        (CHOICE, True, 5_001, Grade.GOOD),
        (CHOICE, True, None, Grade.GOOD),  # no measured time: never Easy
        (SHORT_TEXT, True, 5_200, Grade.EASY),  # 4 s + 4 chars * 0.3 s
        (SHORT_TEXT, True, 5_300, Grade.GOOD),
        # The shortest accepted answer sets the limit: "Buenos Aires" is 12 characters.
        (LONG_TEXT, True, 7_600, Grade.EASY),
        (LONG_TEXT, True, 7_700, Grade.GOOD),
        (LONG_TEXT, False, 100, Grade.AGAIN),
        (ORDER, True, 7_500, Grade.EASY),  # 3 items * 2.5 s
        (ORDER, True, 7_501, Grade.GOOD),
    ],
)
def test_rating_rule(card: Card, correct: bool, ms: int | None, expected: int) -> None:
    assert scheduling.rating_for(card, correct, ms) == expected


def _played(ratings: list[int], gaps_hours: list[float]) -> FsrsState:
    state, at = None, T0
    for rating, gap in zip(ratings, gaps_hours, strict=True):
        at += timedelta(hours=gap)
        state = scheduling.review(state, rating, at)
    assert state is not None
    return state


def _fields(card: FsrsCard) -> tuple:
    return (card.state, card.step, card.stability, card.difficulty, card.due, card.last_review)


def test_wrapper_gives_what_fsrs_gives() -> None:
    """The wrapper is fsrs itself (fuzzing off), not a scheduler of our own."""
    scheduler = Scheduler(enable_fuzzing=False)
    card, at = FsrsCard(card_id=1, due=T0), T0
    for rating, gap in [(Grade.GOOD, 0), (Grade.AGAIN, 0.2), (Grade.GOOD, 30), (Grade.EASY, 200)]:
        at += timedelta(hours=gap)
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=at)
    mine = scheduling.to_fsrs(_played([Grade.GOOD, Grade.AGAIN, Grade.GOOD, Grade.EASY], [0, 0.2, 30, 200]))
    assert _fields(mine) == _fields(card)


@pytest.mark.parametrize(
    ("ratings", "gaps"),
    [
        ([Grade.AGAIN], [0]),  # Learning, step 0
        ([Grade.GOOD, Grade.GOOD], [0, 0.5]),  # graduated: Review, step None
        ([Grade.EASY, Grade.AGAIN], [0, 300]),  # lapsed: Relearning
        ([Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.EASY], [0, 0.5, 100, 900]),
    ],
)
def test_state_survives_the_score_file_unchanged(tmp_path: Path, ratings, gaps) -> None:
    state = _played(ratings, gaps)
    original = scheduling.to_fsrs(state)

    store = ScoreStore(tmp_path / "scores.toml")
    store.append(AnswerEvent(deck="d", card="c", session="s", at=T0, result="right", fsrs=state))
    store.compact()  # now only in the TOML snapshot
    text = (tmp_path / "scores.toml").read_text(encoding="utf-8")
    assert "null" not in text and "None" not in text
    if original.step is None:
        assert "step =" not in text  # TOML has no null: the field is left out

    reloaded = ScoreStore(tmp_path / "scores.toml").load().cards["d"]["c"].fsrs
    back = scheduling.to_fsrs(reloaded)
    assert _fields(back) == _fields(original)
    assert back.due.tzinfo == timezone.utc and back.due.microsecond == original.due.microsecond
    # And the reloaded state schedules the next answer exactly as the original would.
    later = original.due + timedelta(days=3)
    assert scheduling.review(reloaded, Grade.GOOD, later) == scheduling.review(state, Grade.GOOD, later)


def test_state_round_trips_through_plain_toml() -> None:
    state = _played([Grade.GOOD, Grade.GOOD, Grade.EASY], [0, 0.3, 50])
    text = tomli_w.dumps({"fsrs": state.model_dump(exclude_none=True)})
    back = FsrsState.model_validate(tomllib.loads(text)["fsrs"])
    assert _fields(scheduling.to_fsrs(back)) == _fields(scheduling.to_fsrs(state))


def test_review_takes_any_aware_time_and_stores_utc() -> None:
    paris = timezone(timedelta(hours=1))
    state = scheduling.review(None, Grade.GOOD, T0.astimezone(paris))
    assert state.last_review == T0 and state.last_review.utcoffset() == timedelta(0)
    with pytest.raises(ValueError, match="no timezone"):
        scheduling.review(None, Grade.GOOD, T0.replace(tzinfo=None))


def test_right_answers_space_a_card_out_and_a_lapse_brings_it_back() -> None:
    good = _played([Grade.GOOD, Grade.GOOD, Grade.GOOD], [0, 0.5, 30])
    assert good.due - good.last_review > timedelta(days=2)
    lapsed = scheduling.review(good, Grade.AGAIN, good.due)
    assert lapsed.due - lapsed.last_review < timedelta(hours=1)
    assert scheduling.is_due(lapsed, lapsed.due) and not scheduling.is_due(good, good.last_review)


def test_the_stored_state_numbers_are_fsrs_own() -> None:
    """scheduling names two fsrs states without importing fsrs (home starts without it)."""
    from fsrs import State

    from quizapp.scheduling import LEARNING, REVIEW

    assert (LEARNING, REVIEW) == (int(State.Learning), int(State.Review))
