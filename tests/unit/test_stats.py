"""The stats numbers, checked against a score file written out by hand."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from quizapp.decks import Catalog, DeckEntry
from quizapp.models import CardRecord, Deck, ScoreFile, SessionRecord
from quizapp.settings import Settings
from quizapp.tally import compute_stats
from quizapp.store import ScoreStore

UTC = timezone.utc
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _choice(cid: str, tags: list[str]) -> dict:
    return {"id": cid, "kind": "choice", "question": f"Question {cid}?", "answer": f"yes {cid}",
            "distractors": [f"no {cid}"], "tags": tags}


HIST = Deck.model_validate(
    {
        "deck": {"id": "hist", "title": "History"},
        "cards": [
            _choice("w1", ["who", "hamburg"]),
            {"id": "w2", "kind": "text", "question": "Who [b]spoke[/b]?", "answer": "Putin",
             "tags": ["who"]},
            _choice("p1", ["where"]),
            {"id": "q1", "kind": "flip", "question": "Who said it?", "answer": "Trump",
             "tags": ["helsinki", "quote"]},
            {"id": "o1", "kind": "order", "question": "Order", "answer": ["a", "b"], "tags": ["order"]},
            {"id": "n1", "kind": "text", "question": "New one?", "answer": "x"},
            _choice("n2", ["misc"]),
        ],
    }
)
OTHER = Deck.model_validate(
    {"deck": {"id": "other", "title": "Other"}, "cards": [_choice("x1", []), _choice("x2", [])]}
)

SCORES = """\
format = 1

[cards.hist.w1]
seen = 10
right = 2
wrong = 8
streak = 0
first_answered = 2026-03-01T09:00:00Z
last_answered = 2026-03-10T09:00:00Z
last_result = "wrong"

[cards.hist.w1.fsrs]
state = 1
step = 0
stability = 0.5
difficulty = 8.0
due = 2026-03-10T09:01:00Z
last_review = 2026-03-10T09:00:00Z

[cards.hist.w2]
seen = 4
right = 3
wrong = 1
streak = 3
last_answered = 2026-03-09T20:00:00Z
last_result = "right"
fsrs = { state = 2, stability = 30.0, difficulty = 4.0, due = 2026-04-08T20:00:00Z, last_review = 2026-03-09T20:00:00Z }

[cards.hist.p1]
seen = 2
right = 1
wrong = 1
streak = 1
last_answered = 2026-03-08T10:00:00Z
last_result = "right"
fsrs = { state = 2, stability = 3.0, difficulty = 6.0, due = 2026-03-09T10:00:00Z, last_review = 2026-03-08T10:00:00Z }

[cards.hist.q1]
seen = 3
right = 3
streak = 3
last_answered = 2026-03-07T10:00:00Z
last_result = "right"
fsrs = { state = 2, stability = 21.0, difficulty = 3.0, due = 2026-03-28T10:00:00Z, last_review = 2026-03-07T10:00:00Z }

[cards.hist.o1]
seen = 1
wrong = 1
last_answered = 2026-03-06T10:03:00Z
last_result = "wrong"
suspended = true
fsrs = { state = 1, step = 0, stability = 0.2, difficulty = 9.0, due = 2026-03-06T10:04:00Z, last_review = 2026-03-06T10:03:00Z }

[cards.other.x1]
seen = 1
wrong = 1
last_answered = 2026-03-01T08:00:00Z
last_result = "wrong"

[[sessions]]
id = "empty"
deck = "hist"
mode = "order"
start = 2026-03-03T10:00:00Z

[[sessions]]
id = "mixed"
deck = "*"
mode = "review"
start = 2026-03-05T10:00:00Z
end = 2026-03-05T10:01:00Z
total = 1
missed = ["other/x1"]

[[sessions]]
id = "s1"
deck = "hist"
mode = "order"
start = 2026-03-06T10:00:00Z
end = 2026-03-06T10:05:00Z
score = 2
total = 5
missed = ["w1", "p1", "o1"]

[[sessions]]
id = "s2"
deck = "hist"
mode = "review"
start = 2026-03-08T10:00:00Z
end = 2026-03-08T10:02:00Z
score = 1
total = 2
missed = ["p1"]

[[sessions]]
id = "s3"
deck = "hist"
mode = "shuffle"
start = 2026-03-09T20:00:00Z
end = 2026-03-09T20:06:00Z
score = 4
total = 5

[[sessions]]
id = "s4"
deck = "hist"
mode = "order:3"
start = 2026-03-10T09:00:00Z
end = 2026-03-10T09:04:00Z
score = 1
total = 3
missed = ["w1"]
"""


def load(tmp_path: Path):
    path = tmp_path / "scores.toml"
    path.write_text(SCORES, encoding="utf-8")
    scores = ScoreStore(path).load()
    catalog = Catalog([DeckEntry(HIST, Path("hist.toml"), "user"),
                       DeckEntry(OTHER, Path("other.toml"), "user")])
    return scores, catalog


def test_per_deck_numbers(tmp_path: Path) -> None:
    scores, catalog = load(tmp_path)
    stats = compute_stats(scores, catalog, NOW, settings=Settings(new_per_day=1), tz=UTC)
    hist = stats.deck("hist")
    # Review sessions and the empty session are not deck scores.
    assert hist.history == [40.0, 80.0, 33.3]
    assert (hist.best.score, hist.best.total, hist.best.mode) == (4, 5, "shuffle")
    assert (hist.last.percent, hist.last.mode) == (33.3, "order:3")
    assert hist.last_played == datetime(2026, 3, 10, 9, 4, tzinfo=UTC)
    assert (hist.cards, hist.missed, hist.due, hist.new) == (7, 2, 2, 1)
    assert (hist.suspended, hist.leeches) == (1, 1)
    other = stats.deck("other")
    assert other.history == [] and other.best is None and other.last is None
    # x1 has answers but no memory state: due at once. x2 is new.
    assert (other.cards, other.missed, other.due, other.new) == (2, 1, 1, 1)
    assert other.last_played == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def test_families_most_missed_counts_and_streak(tmp_path: Path) -> None:
    scores, catalog = load(tmp_path)
    stats = compute_stats(scores, catalog, NOW, tz=UTC)
    assert [(f.family, f.cards, f.right, f.wrong, f.percent) for f in stats.families] == [
        ("who", 2, 5, 9, 35.7),
        ("where", 1, 1, 1, 50.0),
        ("quote", 1, 3, 0, 100.0),
        ("order", 1, 0, 1, 0.0),
        ("other", 4, 0, 1, 0.0),
    ]
    assert [(m.deck_id, m.card_id, m.wrong, m.leech, m.suspended) for m in stats.most_missed] == [
        ("hist", "w1", 8, True, False),
        ("hist", "w2", 1, False, False),
        ("hist", "p1", 1, False, False),
        ("hist", "o1", 1, False, True),
        ("other", "x1", 1, False, False),
    ]
    assert stats.most_missed[1].question == "Who [b]spoke[/b]?"
    c = stats.counts
    assert (c.new, c.learning, c.mastered, c.total, c.suspended, c.leeches) == (3, 4, 2, 9, 1, 1)
    # Studied on March 1 and 5-10: six days in a row up to today.
    assert (stats.streak_days, stats.studied_today) == (6, True)


@pytest.mark.parametrize(
    ("now", "streak", "today"),
    [
        (datetime(2026, 3, 11, 23, 0, tzinfo=UTC), 6, False),  # not broken until the day ends
        (datetime(2026, 3, 12, 0, 30, tzinfo=UTC), 0, False),
        (datetime(2026, 3, 5, 18, 0, tzinfo=UTC), 1, True),
    ],
)
def test_streak_counts_back_from_today_or_yesterday(tmp_path: Path, now, streak, today) -> None:
    scores, catalog = load(tmp_path)
    stats = compute_stats(scores, catalog, now, tz=UTC)
    assert (stats.streak_days, stats.studied_today) == (streak, today)


def test_more_than_ten_missed_cards_keeps_the_ten_worst() -> None:
    deck = Deck.model_validate({"deck": {"id": "big", "title": "Big"},
                                "cards": [_choice(f"c{i}", []) for i in range(12)]})

    scores = ScoreFile(cards={"big": {f"c{i}": CardRecord(seen=i + 1, wrong=i + 1) for i in range(12)}})
    stats = compute_stats(scores, Catalog([DeckEntry(deck, Path("b.toml"), "user")]), NOW, tz=UTC)
    assert [m.card_id for m in stats.most_missed] == [f"c{i}" for i in range(11, 1, -1)]


def test_json_shape_is_stable(tmp_path: Path) -> None:
    scores, catalog = load(tmp_path)
    stats = compute_stats(scores, catalog, NOW, tz=UTC)
    text = stats.to_json()
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)  # sorted keys
    assert data["format"] == 1 and data["generated_at"] == "2026-03-10T12:00:00+00:00"
    assert set(data) == {"format", "generated_at", "streak_days", "studied_today", "cards",
                         "decks", "families", "most_missed"}
    assert data["cards"] == {"total": 9, "new": 3, "learning": 4, "mastered": 2,
                             "suspended": 1, "leeches": 1}
    hist = data["decks"][0]
    assert set(hist) == {"id", "title", "cards", "missed", "due", "new", "suspended", "leeches",
                         "sessions", "history", "best", "last", "unfinished", "last_played"}
    assert hist["best"] == {"score": 4, "total": 5, "out_of": 5, "percent": 80.0, "mode": "shuffle",
                            "at": "2026-03-09T20:00:00+00:00", "planned": None,
                            "finished": True}
    assert data["decks"][1]["best"] is None
    assert data["families"][0] == {"family": "who", "cards": 2, "answers": 14, "right": 5,
                                   "wrong": 9, "percent": 35.7}
    assert data["most_missed"][0] == {"deck": "hist", "card": "w1", "question": "Question w1?",
                                      "wrong": 8, "right": 2, "leech": True, "suspended": False}


def test_skipped_questions_count_against_best_and_last(tmp_path: Path) -> None:
    """Answering 1 of 22 questions right and skipping the other 21 is 1/22, not 1/1 100%:
    it must not beat an honest 80% run as Best."""
    scores, catalog = load(tmp_path)
    scores.sessions.append(SessionRecord(
        id="s5", deck="hist", mode="order", start=datetime(2026, 3, 10, 10, 0, tzinfo=UTC),
        end=datetime(2026, 3, 10, 10, 5, tzinfo=UTC), score=1, total=1, planned=22, asked=22))
    hist = compute_stats(scores, catalog, NOW, tz=UTC).deck("hist")
    assert (hist.last.score, hist.last.out_of, hist.last.percent) == (1, 22, 4.5)
    assert (hist.best.score, hist.best.out_of, hist.best.percent) == (4, 5, 80.0)
    assert hist.history[-1] == 4.5


# --------------------------------------------------------------------------- one pass = the definitions

from datetime import timedelta  # noqa: E402

from hypothesis import given, settings as hsettings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from quizapp import review  # noqa: E402
from quizapp.models import FsrsState  # noqa: E402

_AT = st.integers(-20 * 24, 3 * 24).map(lambda h: NOW + timedelta(hours=h, minutes=h % 7))
_RECORD = st.builds(
    CardRecord, seen=st.integers(0, 4), right=st.integers(0, 3), wrong=st.just(0) | st.integers(0, 9),
    streak=st.integers(0, 3), first_answered=st.none() | _AT, last_answered=st.none() | _AT,
    suspended=st.booleans(),
    fsrs=st.none() | st.builds(FsrsState, state=st.integers(0, 3), due=_AT,
                               stability=st.none() | st.floats(0, 60)))
_IDS = [c.id for c in HIST.asked] + ["gone"]


@hsettings(max_examples=150, deadline=None)
@given(hist=st.dictionaries(st.sampled_from(_IDS), _RECORD),
       other=st.dictionaries(st.sampled_from(["x1", "x2"]), _RECORD),
       missed=st.lists(st.sampled_from(_IDS), max_size=6),
       streak=st.integers(1, 3), per_day=st.integers(0, 3), leech=st.integers(2, 9))
def test_every_deck_number_is_the_review_definition(hist, other, missed, streak, per_day, leech) -> None:
    """compute_stats counts in one pass what ``quizapp.review`` defines card by card."""
    scores = ScoreFile(cards={"hist": hist, "other": other},
                       sessions=[SessionRecord(id="s", deck="hist", mode="order", start=NOW - timedelta(days=1),
                                               total=1, missed=missed)])
    catalog = Catalog(entries=[DeckEntry(HIST, Path("h.toml"), "user"),
                               DeckEntry(OTHER, Path("o.toml"), "user")])
    chosen = Settings(review_streak=streak, new_per_day=per_day, leech_threshold=leech)
    stats = compute_stats(scores, catalog, NOW, settings=chosen, tz=UTC)
    missed_counts = review.missed_counts(scores, catalog, streak_needed=streak)
    due = review.due_counts(scores, catalog, NOW, new_per_day=per_day, tz=UTC)
    worst = []
    for deck in stats.decks:
        entry = catalog.get(deck.deck_id)
        records = scores.cards[deck.deck_id]
        assert (deck.missed, deck.due, deck.new) == (
            missed_counts[deck.deck_id], due[deck.deck_id].due, due[deck.deck_id].new)
        asked = [(c, records.get(c.id)) for c in entry.deck.asked]
        assert deck.suspended == sum(1 for _c, r in asked if r is not None and r.suspended)
        assert deck.leeches == sum(1 for _c, r in asked if review.is_leech(r, leech))
        worst += [(c, r, deck.deck_id) for c, r in asked if r is not None and r.wrong > 0]
    assert [(m.deck_id, m.card_id) for m in stats.most_missed] == [
        (d, c.id) for c, r, d in sorted(worst, key=lambda t: -t[1].wrong)[:10]]
    every = [records.get(c.id) for e in catalog.entries
             for records in [scores.cards[e.id]] for c in e.deck.asked]
    assert stats.counts.new == sum(1 for r in every if review.is_new(r))
    assert stats.counts.total == len(every)


def test_a_flip_or_order_card_without_a_family_tag_counts_in_its_kind() -> None:
    """QA 16:39: 8,000 flip cards of an Anki deck showed as 'other' beside 'flip 46 cards'
    (the bundled decks' tagged ones)."""
    from quizapp.stats import family_of

    deck = Deck.model_validate({"deck": {"id": "mine", "title": "Mine"}, "cards": [
        {"id": "f", "kind": "flip", "question": "Hund", "answer": "dog", "tags": ["german"]},
        {"id": "o", "kind": "order", "question": "Order", "answer": ["a", "b"]},
        {"id": "t", "kind": "text", "question": "Capital of Peru?", "answer": "Lima"},
        {"id": "q", "kind": "flip", "question": "Who said it?", "answer": "x", "tags": ["quote"]},
    ]})
    assert [family_of(card) for card in deck.cards] == ["flip", "order", "other", "quote"]
