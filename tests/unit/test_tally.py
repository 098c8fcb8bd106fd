"""Counts kept up to date (``tally.Tally``) equal a full recount, and the summary kept on
disk is used only while nothing it depends on has changed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.cli import main
from quizapp.decks import Catalog, DeckEntry, write_deck
from quizapp.models import (
    AnswerEvent,
    CardRecord,
    Deck,
    FsrsState,
    RestoreEvent,
    ScoreFile,
    SessionEvent,
    SessionRecord,
    SuspendEvent,
    UndoEvent,
)
from quizapp.settings import Settings
from quizapp.store import ScoreStore, fold
from quizapp.summaryfile import load_summary, save_summary
from quizapp.tally import Tally, Unknown, compute_stats
from quizapp.tallyfile import Kept, load_state, state_bytes

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
TAGS = ["who", "where", "misc"]
DECK = Deck.model_validate({
    "deck": {"id": "d", "title": "D"},
    "cards": [{"id": f"c{i}", "kind": "text", "question": f"Q{i}?", "answer": f"a{i}",
               "tags": [TAGS[i % 3]]} for i in range(8)]
    + [{"id": "cl", "kind": "cloze", "question": "{{c1::x}} and {{c2::y}}"}],
})
IDS = [c.id for c in DECK.asked] + ["gone"]
AT = st.integers(-30 * 24, 2 * 24).map(lambda h: NOW + timedelta(hours=h, minutes=h % 11))
MEMORY = st.none() | st.builds(FsrsState, state=st.integers(1, 3), due=AT,
                               stability=st.none() | st.floats(0, 60))
EVENT = st.one_of(
    st.builds(AnswerEvent, id=st.sampled_from(["a1", "a2", "a3"]), deck=st.sampled_from(["d", "x"]),
              card=st.sampled_from(IDS), session=st.just("s"), at=AT,
              result=st.sampled_from(["right", "wrong"]), fsrs=MEMORY),
    # (an Anki review brought in by ``deck import --with-progress``: older than the card's
    # last answer, it counts without moving the card's state)
    st.builds(AnswerEvent, deck=st.just("d"), card=st.sampled_from(IDS), session=st.just("anki-import"),
              at=AT, result=st.sampled_from(["right", "wrong"]), fsrs=MEMORY,
              anki_review=st.integers(0, 10**13)),
    st.builds(UndoEvent, deck=st.just("d"), card=st.sampled_from(IDS), at=AT,
              answer=st.sampled_from(["a1", "a2", "a3"]), result=st.sampled_from(["right", "wrong"]),
              before=st.none() | st.builds(CardRecord, seen=st.integers(0, 3), wrong=st.integers(0, 3))),
    st.builds(SuspendEvent, deck=st.just("d"), card=st.sampled_from(IDS), at=AT,
              suspended=st.booleans()),
    # (``scores recover`` and older undos: a record put back, or dropped)
    st.builds(RestoreEvent, deck=st.just("d"), card=st.sampled_from(IDS), at=AT,
              record=st.none() | st.builds(CardRecord, seen=st.integers(1, 3), wrong=st.integers(0, 3))),
    st.builds(SessionEvent, session=st.builds(
        SessionRecord, id=st.sampled_from(["s1", "s2"]), deck=st.just("d"),
        mode=st.sampled_from(["order", "review"]), start=AT, total=st.integers(0, 3),
        missed=st.lists(st.sampled_from(IDS), max_size=3))),
)


def _numbers(tally: Tally, now: datetime) -> dict:
    stats = tally.stats(now)
    return {**stats.to_dict(), "daily": stats.daily}


@settings(max_examples=80, deadline=None)
@given(first=st.lists(EVENT, max_size=12), then=st.lists(EVENT, min_size=1, max_size=12),
       later=st.integers(0, 72))
def test_counts_after_answers_equal_a_full_recount(first, then, later) -> None:
    """Answers, undos, suspends and sessions, folded as the store folds them: the tally
    brought up to date equals one counted afresh, now and hours later (cards fall due)."""
    scores = ScoreFile()
    for event in first:
        fold(scores, event)
    catalog = Catalog(entries=[DeckEntry(DECK, Path("d.toml"), "user")])
    chosen = Settings(leech_threshold=2, new_per_day=3)
    tally = Tally.build(scores, catalog, chosen, UTC)
    for event in then:
        fold(scores, event)
    tally.refresh(scores, catalog)
    fresh = Tally.build(scores, catalog, chosen, UTC)
    for now in (NOW, NOW + timedelta(hours=later)):
        assert _numbers(tally, now) == _numbers(fresh, now)
    # The same scores read again (new objects, equal values), then one more event.
    again = ScoreFile.model_construct(
        cards={d: {c: r.model_copy() for c, r in recs.items()} for d, recs in scores.cards.items()},
        sessions=list(scores.sessions), recovered=list(scores.recovered))
    fold(again, then[0])
    tally.refresh(again, catalog)
    assert _numbers(tally, NOW) == _numbers(Tally.build(again, catalog, chosen, UTC), NOW)


def _kept(tally: Tally, path: Path, data: bytes, settings: Settings) -> Kept:
    path.write_bytes(data)
    kept = load_state(path, ("key",), settings, UTC)
    assert kept is not None
    return kept


@settings(max_examples=80, deadline=None)
@given(first=st.lists(EVENT, max_size=12), then=st.lists(EVENT, min_size=1, max_size=12),
       more=st.lists(EVENT, min_size=1, max_size=6), last=st.lists(EVENT, min_size=1, max_size=6),
       later=st.integers(0, 72), ranked=st.sampled_from([2, 10]))
def test_a_kept_tally_brought_up_to_date_equals_a_full_recount(first, then, more, last, later,
                                                               ranked) -> None:
    """The tally kept on disk, read back and given only the events written since (what
    ``quizapp stats`` and a start of the app do after other windows' answers), equals one
    counted afresh from every card: after one batch of events, after a second given to
    the same tally (as the app goes on), and after it was kept and read back again. Only
    the most-missed list may be unknown (a card ranked in it lost a wrong answer): then
    it says so, and the numbers are counted in full instead."""
    import tempfile

    from quizapp import stats

    kept_ranked, stats.MOST_MISSED = stats.MOST_MISSED, ranked
    try:
        scores = ScoreFile()
        for event in first:
            fold(scores, event)
        catalog = Catalog(entries=[DeckEntry(DECK, Path("d.toml"), "user")])
        chosen = Settings(leech_threshold=2, new_per_day=3)
        path = Path(tempfile.mkdtemp()) / "x.tally"
        tally = Tally.build(scores, catalog, chosen, UTC)
        kept = _kept(tally, path, state_bytes(tally, ("key",), ("at", 1), scores.sessions), chosen)
        assert kept.position == ("at", 1)
        for events in (then, more, last):
            for event in events:
                fold(scores, event)
            kept.tally.apply(events, kept.sessions)
            fresh = Tally.build(scores, catalog, chosen, UTC)
            try:
                numbers = [_numbers(kept.tally, now) for now in (NOW, NOW + timedelta(hours=later))]
            except Unknown:
                assert ranked == 2  # (with 9 cards, ten are never all ranked)
                return
            assert numbers == [_numbers(fresh, now) for now in (NOW, NOW + timedelta(hours=later))]
            if events is more:
                kept = _kept(kept.tally, path, kept.state_bytes(("key",), ("at", 2)), chosen)
    finally:
        stats.MOST_MISSED = kept_ranked


def test_the_summary_on_disk_gives_the_same_numbers_at_any_moment(tmp_path: Path) -> None:
    scores = ScoreFile(cards={"d": {
        "c0": CardRecord(seen=2, right=1, wrong=1, last_answered=NOW - timedelta(days=1),
                         first_answered=NOW - timedelta(days=2),
                         fsrs=FsrsState(state=2, stability=3.0, due=NOW + timedelta(hours=5))),
        "c1": CardRecord(seen=1, right=1, first_answered=NOW, last_answered=NOW,
                         fsrs=FsrsState(state=1, due=NOW - timedelta(minutes=1)))}},
        sessions=[SessionRecord(id="s", deck="d", mode="order", start=NOW - timedelta(days=1),
                                end=NOW - timedelta(days=1, minutes=-5), score=1, total=2,
                                planned=9, asked=2, missed=["c0"])])
    catalog = Catalog(entries=[DeckEntry(DECK, Path("d.toml"), "user")])
    tally = Tally.build(scores, catalog, Settings(), UTC)
    path = tmp_path / "stats" / "x.summary"
    save_summary(path, ("key",), tally.summary())
    kept = load_summary(path, ("key",))
    assert kept is not None
    for hours in (0, 6, 30):
        now = NOW + timedelta(hours=hours)
        assert kept.stats(now, UTC).to_dict() == tally.stats(now).to_dict()
    assert kept.stats(NOW + timedelta(hours=6), UTC).deck("d").due == 2  # c0 fell due
    assert kept.next_due("d") == NOW - timedelta(minutes=1)
    assert load_summary(path, ("another key",)) is None
    path.write_bytes(path.read_bytes()[:-3])  # cut off: counted again, never a wrong number
    assert load_summary(path, ("key",)) is None


# --------------------------------------------------------------------------- the commands


@pytest.fixture
def stats_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setattr("quizapp.deckindex.SETTLED_NS", 0)  # no wait for the deck file to settle
    # As in a fresh process: decks that other tests loaded are not remembered in memory
    # (each command writes the deck cache's index when it reads a deck).
    monkeypatch.setattr("quizapp.decks._CACHE", {})
    decks = tmp_path / "decks"
    write_deck(DECK, decks / "d.toml")
    scores = tmp_path / "scores.toml"

    def run(*argv: str) -> dict:
        assert main([*argv, "--json", "--decks", str(decks), "--scores", str(scores)]) == 0
        data = json.loads(capsys.readouterr().out)
        data.pop("generated_at", None)
        data.pop("now", None)
        return data

    return run, scores, decks


def _answer(scores: Path, card: str, result: str, minutes: int = 0) -> None:
    at = datetime.now(UTC) - timedelta(minutes=minutes)
    ScoreStore(scores).append(AnswerEvent(id=f"{card}-{minutes}", deck="d", card=card, session="s",
                                          at=at, result=result))


def test_stats_and_due_use_the_kept_numbers_only_while_nothing_changed(stats_cli) -> None:
    run, scores, decks = stats_cli
    _answer(scores, "c0", "wrong", 5)
    counted = run("stats"), run("due")

    def no_reading(*args, **kwargs):
        raise AssertionError("the decks or the snapshot were read")

    # (Patched in a context of its own: undoing the test's monkeypatch would also undo
    # conftest's, and point the commands at the person's own folders.)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("quizapp.store.scorestore.ScoreStore.load", no_reading)
        patch.setattr("quizapp.workspace.discover", no_reading)
        assert (run("stats"), run("due")) == counted

    # Another window answers: the journal grew. Only its new entries are read, on top of
    # the tally the last count kept: not the decks, not the snapshot.
    _answer(scores, "c1", "wrong", 1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("quizapp.store.scorestore.ScoreStore.load", no_reading)
        patch.setattr("quizapp.workspace.discover", no_reading)
        after = run("stats")
    _answer(scores, "c2", "right", 0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("quizapp.store.scorestore.ScoreStore.load", no_reading)
        patch.setattr("quizapp.workspace.discover", no_reading)
        due = run("due")
    assert after["cards"]["learning"] == counted[0]["cards"]["learning"] + 1
    assert [m["card"] for m in after["most_missed"]] == ["c0", "c1"]
    assert due["new"] == counted[1]["new"] - 2  # c1 and c2: two more new cards seen today
    assert run("stats") == compute_json(scores, decks)

    # A hand edit of the snapshot is always seen.
    ScoreStore(scores).compact()
    run("stats")
    text = scores.read_text(encoding="utf-8")
    scores.write_text(text.replace("wrong = 1", "wrong = 7", 1), encoding="utf-8")
    edited = run("stats")
    assert max(m["wrong"] for m in edited["most_missed"]) == 7
    assert edited == compute_json(scores, decks)


def compute_json(scores: Path, decks: Path) -> dict:
    """The numbers counted afresh from the files, as the command finds them."""
    from quizapp.cli import build_parser, locations
    from quizapp.decks import discover

    args = build_parser().parse_args(["stats", "--decks", str(decks), "--scores", str(scores)])
    catalog = discover(locations(args))
    data = json.loads(compute_stats(ScoreStore(scores).load(), catalog, datetime.now(UTC)).to_json())
    data.pop("generated_at")
    return data


def test_a_damaged_or_missing_kept_tally_only_costs_a_full_count(stats_cli) -> None:
    """The kept tally is never the truth: cut off or deleted, the numbers after another
    window's answer are counted from the files, and right."""
    from quizapp.tallyfile import state_path

    run, scores, decks = stats_cli
    _answer(scores, "c0", "wrong", 5)
    run("stats")
    kept = state_path(scores)
    assert kept.exists()
    kept.write_bytes(kept.read_bytes()[:-40])
    _answer(scores, "c1", "wrong", 2)
    assert run("stats") == compute_json(scores, decks)
    kept.unlink()
    _answer(scores, "c3", "right", 1)
    assert run("stats") == compute_json(scores, decks)
    assert kept.exists()  # kept again by that count
