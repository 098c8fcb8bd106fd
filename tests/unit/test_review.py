"""Missed cards, review rounds, the due list and its new-card limit, leeches and suspending."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizapp import review, scheduling
from quizapp.decks import Catalog, DeckEntry
from quizapp.errors import NotFound
from quizapp.models import CardRecord, Deck, FsrsState, ScoreFile, SessionRecord
from quizapp.store import ScoreStore

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
UTC = timezone.utc


def make_deck(deck_id: str, count: int) -> Deck:
    return Deck.model_validate(
        {
            "deck": {"id": deck_id, "title": deck_id.title()},
            "cards": [
                {"id": f"c{i}", "kind": "choice", "question": f"Question {i}?",
                 "answer": f"right {i}", "distractors": [f"wrong {i}"]}
                for i in range(1, count + 1)
            ],
        }
    )


def catalog(*decks: Deck) -> Catalog:
    return Catalog([DeckEntry(d, Path(f"{d.id}.toml"), "user") for d in decks])


def rec(**kw) -> CardRecord:
    return CardRecord(**kw)


def keys(items) -> list[str]:
    return [f"{i.deck_id}/{i.card.id}" for i in items]


class Clock:
    def __init__(self, start: datetime) -> None:
        self.t = start

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=10)  # every question takes 10 s: never "fast"
        return self.t


# --------------------------------------------------------------------------- missed


def test_missed_list_follows_wrong_answers_and_the_streak() -> None:
    cat = catalog(make_deck("alpha", 7), make_deck("beta", 2))
    scores = ScoreFile(
        cards={
            "alpha": {
                "c1": rec(seen=1, wrong=1, streak=0, last_result="wrong"),  # last answer wrong
                "c2": rec(seen=3, right=2, wrong=1, streak=1, last_result="right"),  # 1 right since
                "c3": rec(seen=3, right=2, wrong=1, streak=2, last_result="right"),  # 2 right: out
                "c4": rec(seen=5, right=5, streak=5, last_result="right"),  # never wrong
                "c5": rec(seen=1, wrong=1, last_result="wrong", suspended=True),
                "gone": rec(seen=1, wrong=1, last_result="wrong"),  # no longer in the deck
            },
            "beta": {"c2": rec(seen=1, wrong=1, last_result="wrong")},
        }
    )
    assert keys(review.missed_items(scores, cat, "alpha", streak_needed=2)) == ["alpha/c1", "alpha/c2"]
    assert keys(review.missed_items(scores, cat, streak_needed=2)) == ["alpha/c1", "alpha/c2", "beta/c2"]
    # A higher bar keeps c3 on the list; a bar of 1 takes c2 off.
    assert keys(review.missed_items(scores, cat, "alpha", streak_needed=3)) == [
        "alpha/c1", "alpha/c2", "alpha/c3"]
    assert keys(review.missed_items(scores, cat, "alpha", streak_needed=1)) == ["alpha/c1"]
    assert review.missed_counts(scores, cat, streak_needed=2) == {"alpha": 2, "beta": 1}
    with pytest.raises(NotFound, match="'nope'"):
        review.missed_items(scores, cat, "nope", streak_needed=2)


def test_cards_missed_in_the_last_session_are_included() -> None:
    """A session record can name a missed card whose record was lost (an old score file)."""
    cat = catalog(make_deck("alpha", 4))
    at = NOW - timedelta(days=1)
    scores = ScoreFile(
        sessions=[
            SessionRecord(id="old", deck="alpha", mode="order", start=at - timedelta(days=5),
                          missed=["c1"], total=4),
            SessionRecord(id="new", deck="alpha", mode="order", start=at, missed=["c3"], total=4),
            SessionRecord(id="mix", deck="*", mode="review", start=at, missed=["alpha/c4"], total=1),
        ]
    )
    assert keys(review.missed_items(scores, cat, "alpha", streak_needed=2)) == ["alpha/c3"]


def test_no_review_session_when_nothing_is_missed() -> None:
    cat = catalog(make_deck("alpha", 3))
    scores = ScoreFile(cards={"alpha": {"c1": rec(seen=2, right=2, streak=2)}})
    assert review.review_session(scores, cat, streak_needed=2) is None


def test_review_rounds_until_right_then_off_the_list_after_two_rights(tmp_path: Path) -> None:
    deck = make_deck("alpha", 3)
    cat = catalog(deck)
    store = ScoreStore(tmp_path / "scores.toml")
    clock = Clock(NOW)

    # A first session misses c1 and c2.
    first = review.Session.for_deck(deck, recorder=store, now=clock)
    for card_id in ("c1", "c2", "c3"):
        item = first.current
        assert item.card.id == card_id
        first.answer("right 3" if card_id == "c3" else "nope")
        first.advance()
    first.finish()
    assert keys(review.missed_items(store.scores, cat, streak_needed=2)) == ["alpha/c1", "alpha/c2"]

    # Review: c1 is answered wrong twice and comes back each time until it is right.
    session = review.review_session(store.scores, cat, "alpha", streak_needed=2,
                                    recorder=store, now=clock, seed=7)
    assert session is not None and session.rounds and session.mode == "review"
    asked = []
    wrong_left = {"c1": 2, "c2": 0}
    while session.current is not None:
        card = session.current.card
        asked.append(card.id)
        if wrong_left[card.id]:
            wrong_left[card.id] -= 1
            assert not session.answer("nope").correct
        else:
            assert session.answer(card.answer).correct
        session.advance()
    record = session.finish()
    assert sorted(asked) == ["c1", "c1", "c1", "c2"]
    assert asked[-1] == "c1"  # the last round holds only the card still wrong
    assert record.missed == ["c1"] and record.deck == "alpha"

    # Reloaded from disk: one right answer in a row each, so both stay on the list.
    scores = ScoreStore(tmp_path / "scores.toml").load()
    assert scores.cards["alpha"]["c1"].streak == 1
    assert keys(review.missed_items(scores, cat, streak_needed=2)) == ["alpha/c1", "alpha/c2"]

    # One more review, all right: streak 2, the list is empty.
    again = review.review_session(scores, cat, streak_needed=2, recorder=store, now=clock)
    assert again.deck_label == review.ALL_DECKS
    while again.current is not None:
        again.answer(again.current.card.answer)
        again.advance()
    again.finish()
    assert review.missed_items(ScoreStore(tmp_path / "scores.toml").load(), cat, streak_needed=2) == []


# --------------------------------------------------------------------------- due


def state(due: datetime, *, stage: int = scheduling.REVIEW) -> FsrsState:
    return FsrsState(state=stage, step=None if stage == scheduling.REVIEW else 0,
                     stability=5.0, difficulty=5.0, due=due, last_review=due - timedelta(days=5))


def seen(due: datetime, first: datetime | None = None, **kw) -> CardRecord:
    first = first or NOW - timedelta(days=30)
    return CardRecord(seen=2, right=2, streak=2, first_answered=first, last_answered=first,
                      last_result="right", fsrs=state(due), **kw)


def test_due_cards_most_overdue_first_then_new_cards_up_to_the_limit() -> None:
    alpha, beta = make_deck("alpha", 8), make_deck("beta", 3)
    cat = catalog(alpha, beta)
    scores = ScoreFile(
        cards={
            "alpha": {
                "c1": seen(NOW - timedelta(hours=1)),
                "c2": seen(NOW + timedelta(minutes=1)),  # not yet
                "c3": seen(NOW - timedelta(days=3)),
                "c4": seen(NOW),  # due exactly now counts
                "c5": seen(NOW - timedelta(days=9), suspended=True),
            },
            "beta": {"c1": seen(NOW - timedelta(days=2))},
        }
    )
    items = review.due_items(scores, cat, NOW, new_per_day=2, tz=UTC)
    assert keys(items) == [
        "alpha/c3", "beta/c1", "alpha/c1", "alpha/c4",  # most overdue first, across decks
        "alpha/c6", "alpha/c7", "beta/c2", "beta/c3",  # then new cards, 2 per deck
    ]
    assert keys(review.due_items(scores, cat, NOW, new_per_day=2, deck_id="beta", tz=UTC)) == [
        "beta/c1", "beta/c2", "beta/c3"]
    counts = review.due_counts(scores, cat, NOW, new_per_day=2, tz=UTC)
    assert counts == {"alpha": review.DueCount(3, 2), "beta": review.DueCount(1, 2)}
    assert review.next_due(scores, cat, "alpha") == NOW - timedelta(days=3)


def test_new_cards_introduced_today_count_against_the_daily_limit() -> None:
    cat = catalog(make_deck("alpha", 10))
    morning = NOW.replace(hour=8)
    scores = ScoreFile(
        cards={
            "alpha": {
                # First answered this morning (one graduated at once with Easy), one of
                # them since suspended: all three use up today's allowance.
                "c1": seen(NOW + timedelta(days=4), first=morning),
                "c2": seen(NOW + timedelta(days=4), first=morning, suspended=True),
                "c3": seen(NOW + timedelta(minutes=5), first=morning),
                # First answered yesterday: does not count today.
                "c4": seen(NOW + timedelta(days=1), first=NOW - timedelta(days=1)),
            }
        }
    )
    items = review.due_items(scores, cat, NOW, new_per_day=5, tz=UTC)
    assert keys(items) == ["alpha/c5", "alpha/c6"]  # 5 - 3 introduced today
    assert review.due_items(scores, cat, NOW, new_per_day=3, tz=UTC) == []
    assert review.due_session(scores, cat, NOW, new_per_day=3, tz=UTC) is None
    # "Today" is a local date. At UTC-10, NOW is 02:00 on March 10 and this morning's
    # 08:00 UTC was 22:00 on March 9: nothing was introduced "today" there.
    hawaii = timezone(timedelta(hours=-10))
    assert keys(review.due_items(scores, cat, NOW, new_per_day=5, tz=hawaii)) == [
        "alpha/c5", "alpha/c6", "alpha/c7", "alpha/c8", "alpha/c9"]


def test_due_session_is_one_pass_in_due_order(tmp_path: Path) -> None:
    cat = catalog(make_deck("alpha", 3))
    scores = ScoreFile(cards={"alpha": {"c2": seen(NOW - timedelta(days=1))}})
    session = review.due_session(scores, cat, NOW, new_per_day=1, tz=UTC)
    assert session is not None and session.mode == "due" and not session.rounds
    assert [session.current.card.id] == ["c2"]
    session.answer("nope")
    session.advance()
    assert session.current.card.id == "c1"
    session.answer("nope")
    assert session.advance() is None  # no rounds: FSRS brings missed cards back itself


# --------------------------------------------------------------------------- leeches, suspend


def test_leeches_are_marked_most_missed_first() -> None:
    cat = catalog(make_deck("alpha", 4))
    scores = ScoreFile(
        cards={"alpha": {
            "c1": rec(seen=9, wrong=8),
            "c2": rec(seen=7, wrong=7),
            "c3": rec(seen=12, wrong=11, suspended=True),
        }}
    )
    found = review.leeches(scores, cat, 8)
    assert [(l.card.id, l.wrong, l.suspended) for l in found] == [("c3", 11, True), ("c1", 8, False)]
    assert [l.card.id for l in review.leeches(scores, cat, 7)] == ["c3", "c1", "c2"]


def test_suspended_cards_leave_every_session_and_unsuspend_brings_them_back(tmp_path: Path) -> None:
    deck = make_deck("alpha", 3)
    cat = catalog(deck)
    store = ScoreStore(tmp_path / "scores.toml")
    session = review.Session.for_deck(deck, recorder=store, now=Clock(NOW - timedelta(days=2)))
    while session.current is not None:
        session.answer("nope")  # all wrong: all missed, all due soon
        session.advance()
    session.finish()

    assert review.set_suspended(store, cat, "alpha", "c2", True, NOW) is True
    assert review.set_suspended(store, cat, "alpha", "c2", True, NOW) is False  # no change
    scores = ScoreStore(tmp_path / "scores.toml").load()
    assert scores.cards["alpha"]["c2"].suspended and scores.cards["alpha"]["c2"].wrong == 1
    assert keys(review.missed_items(scores, cat, streak_needed=2)) == ["alpha/c1", "alpha/c3"]
    assert keys(review.due_items(scores, cat, NOW, new_per_day=5)) == ["alpha/c1", "alpha/c3"]
    assert review.suspended_ids(scores, "alpha") == {"c2"}
    drill = review.review_session(scores, cat, streak_needed=2, seed=1)
    asked = []
    while drill.current is not None:
        asked.append(drill.current.card.id)
        drill.answer(drill.current.card.answer)
        drill.advance()
    assert sorted(asked) == ["c1", "c3"]

    assert review.set_suspended(store, cat, "alpha", "c2", False, NOW) is True
    scores = ScoreStore(tmp_path / "scores.toml").load()
    assert keys(review.missed_items(scores, cat, streak_needed=2)) == ["alpha/c1", "alpha/c2", "alpha/c3"]

    with pytest.raises(NotFound, match="no card with id 'c9'"):
        review.set_suspended(store, cat, "alpha", "c9", True, NOW)
    with pytest.raises(NotFound, match="no deck with id 'zeta'"):
        review.set_suspended(store, cat, "zeta", "c1", True, NOW)


def test_review_across_decks_records_missed_cards_with_their_deck(tmp_path: Path) -> None:
    alpha, beta = make_deck("alpha", 2), make_deck("beta", 2)
    cat = catalog(alpha, beta)
    store = ScoreStore(tmp_path / "scores.toml")
    clock = Clock(NOW)
    for deck in (alpha, beta):
        s = review.Session.for_deck(deck, recorder=store, now=clock)
        s.answer("nope")  # c1 missed in each deck
        s.advance()
        s.answer(s.current.card.answer)
        s.advance()
        s.finish()
    session = review.review_session(store.scores, cat, streak_needed=2, recorder=store,
                                    now=clock, seed=3)
    while session.current is not None:
        card = session.current
        if card.deck_id == "beta" and session.round == 1:
            session.answer("nope")
        else:
            session.answer(card.card.answer)
        session.advance()
    record = session.finish()
    assert record.deck == review.ALL_DECKS and record.missed == ["beta/c1"]
    assert review.session_missed_keys(record.deck, record.missed) == {("beta", "c1")}
    scores = ScoreStore(tmp_path / "scores.toml").load()
    assert [(s.deck, s.mode) for s in scores.sessions][-1] == ("*", "review")
    # Both are still missed (one right answer each since); the per-deck counts add up.
    assert review.missed_counts(scores, cat, streak_needed=2) == {"alpha": 1, "beta": 1}
    assert keys(review.missed_items(scores, cat, streak_needed=2)) == ["alpha/c1", "beta/c1"]


# --------------------------------------------------------------------------- local dates


def _zones():
    from zoneinfo import ZoneInfo

    # DST at 01:00 or 02:00, half-hour and 45-minute offsets, a half-hour DST (Lord Howe),
    # changes at local midnight (Beirut, Havana, Santiago), and the date line.
    names = ["Europe/London", "America/New_York", "Asia/Kolkata", "America/St_Johns",
             "Asia/Kathmandu", "Australia/Lord_Howe", "Asia/Beirut", "America/Havana",
             "America/Santiago", "Pacific/Chatham", "Pacific/Apia", "UTC"]
    return [ZoneInfo(name) for name in names]


def test_local_dates_of_many_moments_are_exact_in_every_kind_of_zone() -> None:
    """One conversion per hour gives the same date as converting each moment, across
    every change of offset of 2024-2026, in zones where midnight falls inside a UTC hour."""
    from datetime import UTC, datetime, timedelta

    from quizapp.days import LocalDates, LocalDay

    start = datetime(2024, 1, 1, tzinfo=UTC)
    for tz in _zones():
        local = LocalDates(tz)
        days = [start + timedelta(days=d) for d in range(3 * 366)]
        # The days around each change of offset, and every 11th day.
        changes = {i for i in range(len(days) - 1)
                   if days[i].astimezone(tz).utcoffset() != days[i + 1].astimezone(tz).utcoffset()}
        chosen = sorted({j for i in changes for j in (i - 1, i, i + 1)} | set(range(0, len(days), 11)))
        moments = [days[i] + timedelta(hours=h, minutes=m)
                   for i in chosen if 0 <= i < len(days)
                   for h in range(24) for m in (0, 15, 29, 30, 44, 45, 59)]
        for moment in moments:
            assert local(moment) == moment.astimezone(tz).date(), (tz, moment)
        for moment in moments[:: 97]:
            day = LocalDay(moment.astimezone(tz).date(), tz)
            assert moment in day
            assert moment + timedelta(days=1, hours=2) not in day
