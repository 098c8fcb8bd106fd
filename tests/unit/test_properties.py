"""Hypothesis properties of the store and the deck loader: whatever the input, a clear
error or a faithful result, never a crash."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.decks import DeckError, deck_data, dump_deck, parse_deck
from quizapp.models import (
    AnswerEvent,
    Card,
    CardRecord,
    Deck,
    DeckInfo,
    ScoreFile,
    SessionEvent,
    SessionRecord,
    SuspendEvent,
    UndoEvent,
)
from quizapp.store import ScoreStore, fold

T0 = datetime(2026, 1, 1, tzinfo=UTC)
IDS = st.sampled_from(["a", "b", "c.d", "e-f"])
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12).filter(str.strip)
MINUTES = st.integers(0, 10_000).map(lambda m: T0 + timedelta(minutes=m))

EVENT = st.one_of(
    st.builds(AnswerEvent, id=st.uuids().map(str), deck=IDS, card=IDS, session=TEXT, at=MINUTES,
              result=st.sampled_from(["right", "wrong"]), rating=st.integers(1, 4)),
    st.builds(SuspendEvent, deck=IDS, card=IDS, at=MINUTES, suspended=st.booleans()),
    st.builds(UndoEvent, deck=IDS, card=IDS, at=MINUTES, answer=st.uuids().map(str),
              result=st.sampled_from(["right", "wrong"]),
              before=st.none() | st.builds(CardRecord, seen=st.integers(0, 5))),
    st.builds(SessionEvent, session=st.builds(SessionRecord, id=IDS, deck=TEXT, mode=TEXT,
                                              start=MINUTES, score=st.integers(0, 9))),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(EVENT, max_size=25), split=st.integers(0, 25))
def test_the_store_gives_back_exactly_the_fold_of_its_events(tmp_path_factory, events, split) -> None:
    """Append in two writes with a compaction between: a fresh reader, the TOML and the
    cache all give the fold of the events, in order."""
    path = Path(tmp_path_factory.mktemp("p")) / "scores.toml"
    store = ScoreStore(path)
    store.append(*events[:split])
    store.compact()
    store.append(*events[split:])
    expected = ScoreFile()
    for event in events:
        fold(expected, event)
    assert ScoreStore(path).load() == expected
    store.compact()
    assert ScoreStore(path).load() == expected
    path.with_name("scores.toml.cache").unlink(missing_ok=True)
    assert ScoreStore(path).load() == expected


PIECES = st.sampled_from([*'[]{}="\'#.,\n \tabc1', "format = 1\n", "[[cards]]\n", "[deck]\n",
                          'id = "x"\n', 'kind = "flip"\n', "a.b.c.d.e.f.g.h.i = 1\n"])


@settings(max_examples=150, deadline=None)
@given(text=st.lists(PIECES, max_size=60).map("".join))
def test_any_text_is_a_deck_or_one_line_problems_never_a_crash(text: str) -> None:
    try:
        parse_deck(text, "d.toml")
    except DeckError as exc:
        assert exc.problems and all(p.startswith("d.toml") and "\n" not in p
                                    for p in exc.problems)


CARD = st.fixed_dictionaries({
    "id": st.text(string.ascii_lowercase, min_size=1, max_size=6),
    "kind": st.just("flip"),
    "question": TEXT,
    "answer": TEXT,
})


@settings(max_examples=60, deadline=None)
@given(cards=st.lists(CARD, min_size=1, max_size=5, unique_by=lambda c: c["id"]), title=TEXT)
def test_a_written_deck_loads_back_identical(cards, title) -> None:
    deck = Deck.model_validate({"deck": {"id": "d", "title": title}, "cards": cards})
    assert parse_deck(dump_deck(deck), "d.toml") == deck


ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.text(
    string.ascii_letters + ' "\\\n\t', min_size=60, max_size=120)
ANY_CARD = st.builds(
    Card.trusted, id=st.text(string.ascii_lowercase, min_size=1, max_size=6),
    kind=st.sampled_from(["choice", "text", "flip", "order", "cloze"]), question=ANY_TEXT,
    answer=st.none() | ANY_TEXT | st.lists(ANY_TEXT, max_size=3),
    distractors=st.lists(ANY_TEXT, max_size=3), accept=st.lists(ANY_TEXT, max_size=2),
    explanation=ANY_TEXT, tags=st.lists(ANY_TEXT, max_size=2), section=ANY_TEXT,
    reverse=st.booleans())


@settings(max_examples=150, deadline=None)
@given(cards=st.lists(ANY_CARD, max_size=6), title=ANY_TEXT, tags=st.lists(ANY_TEXT, max_size=2))
def test_a_deck_is_written_byte_for_byte_as_tomli_w_writes_its_data(cards, title, tags) -> None:
    """dump_deck writes each card's table itself (fast at 100k cards): the text must stay
    exactly what tomli_w wrote, the inline form of a deck of short cards included."""
    import tomli_w

    deck = Deck.model_construct(format=1, cards=cards,
                                deck=DeckInfo.model_construct(id="d", title=title, tags=tags))
    assert dump_deck(deck) == tomli_w.dumps(deck_data(deck), multiline_strings=False)
