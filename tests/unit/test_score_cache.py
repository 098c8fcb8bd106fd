"""The compact in-memory records and the snapshot cache give back exactly the scores the
TOML holds, whatever they are."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.models import CardRecord, FsrsState, ScoreFile, SessionRecord, UndoEvent
from quizapp.store import ScoreStore, dump_scores, parse_snapshot
from quizapp.store import cache as score_cache
from quizapp.store.journal import Folded
from quizapp.store.records import Record, record_of

T0 = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
TIMES = st.integers(-10**6, 10**6).map(lambda s: T0 + timedelta(seconds=s, microseconds=s % 997))
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))])
ZONED = st.builds(lambda t, z: t.astimezone(z), TIMES, ZONES)
IDS = st.text("abc.-_ é\"'\\#=[]", min_size=1, max_size=6).filter(str.strip)
COUNTS = st.integers(0, 10**9)
FLOATS = st.floats(0, 1e6, allow_nan=False) | st.none()

MEMORY = st.builds(FsrsState, state=st.integers(0, 3), step=st.none() | st.integers(0, 5),
                   stability=FLOATS, difficulty=FLOATS, due=ZONED,
                   last_review=st.none() | ZONED)
RECORD = st.builds(CardRecord, seen=COUNTS, right=COUNTS, wrong=COUNTS, streak=COUNTS,
                   first_answered=st.none() | ZONED, last_answered=st.none() | ZONED,
                   last_result=st.none() | st.sampled_from(["right", "wrong"]),
                   last_answer=st.none() | IDS, suspended=st.booleans(),
                   anki_review=st.none() | st.integers(0, 2**62), fsrs=st.none() | MEMORY)
SESSION = st.builds(SessionRecord, id=IDS, deck=IDS, mode=IDS, start=ZONED,
                    end=st.none() | ZONED, score=COUNTS, total=COUNTS,
                    missed=st.lists(IDS, max_size=3), planned=st.none() | COUNTS,
                    asked=st.none() | COUNTS, last_card=st.none() | IDS)
SCORES = st.builds(ScoreFile,
                   cards=st.dictionaries(IDS, st.dictionaries(IDS, RECORD, max_size=4), max_size=3),
                   sessions=st.lists(SESSION, max_size=4),
                   recovered=st.lists(IDS, max_size=3))


@settings(max_examples=60, deadline=None)
@given(scores=SCORES, folded=st.none() | st.builds(Folded, IDS, st.integers(0, 10**9)))
def test_the_cache_gives_back_exactly_the_scores_it_was_made_from(scores, folded) -> None:
    raw = score_cache.encode(scores, "ab" * 32, folded)
    cached = score_cache.decode(raw, "ab" * 32)
    assert cached is not None
    assert cached.scores == scores
    assert cached.folded == folded
    assert [s.model_dump() for s in cached.scores.sessions] == [s.model_dump() for s in scores.sessions]
    # Read back, its records are the compact ones, and they compare equal to the models.
    for deck_id, records in cached.scores.cards.items():
        for card_id, rec in records.items():
            assert type(rec) is Record
            assert rec == scores.cards[deck_id][card_id] == rec
            assert rec.model_dump(exclude_none=True) == scores.cards[deck_id][card_id].model_dump(exclude_none=True)
    # Made from other snapshot bytes: not used.
    assert score_cache.decode(raw, "cd" * 32) is None


@settings(max_examples=40, deadline=None)
@given(scores=SCORES)
def test_compact_records_read_and_write_the_snapshot_like_the_models(scores) -> None:
    """A snapshot read back holds ``Record``s that equal the models, and writes the same
    bytes again."""
    text = dump_scores(scores)
    parsed, _folded = parse_snapshot(Path("scores.toml"), text.encode("utf-8"))
    # What a snapshot keeps: decks with records, sessions in start order, each key once.
    expected = ScoreFile(cards={d: recs for d, recs in scores.cards.items() if recs},
                         sessions=sorted(scores.sessions, key=lambda s: (s.start, s.id)),
                         recovered=sorted(set(scores.recovered)))
    assert parsed == expected
    assert all(type(r) is Record for recs in parsed.cards.values() for r in recs.values())
    assert dump_scores(parsed) == text


@given(record=RECORD, update=st.fixed_dictionaries({}, optional={"seen": COUNTS, "suspended": st.booleans()}))
def test_a_record_copies_and_dumps_like_a_card_record(record, update) -> None:
    compact = record_of(record)
    assert compact.model_copy(update=update) == record.model_copy(update=update)
    assert compact.model_dump(exclude={"last_answer"}) == record.model_dump(exclude={"last_answer"})
    # An event given a compact record holds the same record.
    undo = UndoEvent(deck="d", card="c", at=T0, answer="a", result="right", before=compact)
    assert undo.before == record
    assert Record().is_empty() and not Record(suspended=True).is_empty()


def test_a_store_keeps_compact_records_whatever_it_read(tmp_path: Path) -> None:
    """From the TOML, from the cache and after answers: records are ``Record``s."""
    path = tmp_path / "scores.toml"
    scores = ScoreFile(cards={"d": {"c": CardRecord(seen=1, right=1, last_answered=T0)}})
    path.write_text(dump_scores(scores), encoding="utf-8")
    store = ScoreStore(path)
    assert type(store.record("d", "c")) is Record
    store.compact()  # writes the cache
    cached = ScoreStore(path)
    assert cached.record("d", "c") == scores.cards["d"]["c"]
    assert type(cached.record("d", "c")) is Record
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert score_cache.decode(cached.cache_path.read_bytes(), sha) is not None


# --------------------------------------------------------------------------- the snapshot writer


def _tomli_w_snapshot(scores: ScoreFile, folded: Folded | None) -> str:
    """The snapshot as quizapp wrote it with ``tomli_w`` (the reference for the fast writer)."""
    import tomli_w

    from quizapp.store.journal import utc
    from quizapp.store.snapshot import HEADER_COMMENT, end_line

    data: dict = {"format": 2}
    if folded is not None:
        data["journal"] = {"id": folded.id, "bytes": folded.bytes}
    if scores.recovered:
        data["recovered"] = sorted(set(scores.recovered))
    cards = {d: {c: utc(r.model_dump(exclude_none=True)) for c, r in sorted(recs.items())}
             for d, recs in sorted(scores.cards.items()) if recs}
    if cards:
        data["cards"] = cards
    if scores.sessions:
        data["sessions"] = [utc(s.model_dump(exclude_none=True))
                            for s in sorted(scores.sessions, key=lambda s: (s.start, s.id))]
    return HEADER_COMMENT + tomli_w.dumps(data) + "\n" + end_line(scores)


# Short ids make sessions short enough for tomli_w to write them as one inline array.
SHORT = st.text("ab", min_size=1, max_size=2)
SHORT_SESSION = st.builds(SessionRecord, id=SHORT, deck=SHORT, mode=SHORT, start=TIMES,
                          score=st.integers(0, 9), total=st.integers(0, 9))
ODD_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8).filter(str.strip)
SNAPSHOTS = st.builds(
    ScoreFile,
    cards=st.dictionaries(IDS | ODD_TEXT, st.dictionaries(IDS | ODD_TEXT, RECORD, max_size=4), max_size=3),
    sessions=st.lists(SESSION, max_size=4) | st.lists(SHORT_SESSION, min_size=1, max_size=3),
    recovered=st.lists(IDS | ODD_TEXT, max_size=3))


@settings(max_examples=150, deadline=None)
@given(scores=SNAPSHOTS, folded=st.none() | st.builds(Folded, IDS | ODD_TEXT, st.integers(0, 10**9)),
       compact=st.booleans())
def test_the_fast_snapshot_writer_writes_what_tomli_w_wrote(scores, folded, compact) -> None:
    """Byte for byte: the same sorted, diff-friendly text, from models or compact records,
    whatever the ids, texts, times and zones."""
    from quizapp.store.snapshot import compact as compacted

    expected = _tomli_w_snapshot(scores, folded)
    assert dump_scores(compacted(scores) if compact else scores, folded) == expected


@settings(max_examples=150, deadline=None)
@given(data=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ODD_TEXT | TIMES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ODD_TEXT | IDS, inner, max_size=3),
    max_leaves=12).filter(lambda d: isinstance(d, dict)).map(
        lambda d: {k: v for k, v in d.items() if v is not None}))
def test_the_fast_toml_writer_equals_tomli_w_on_any_table(data) -> None:
    import tomli_w

    from quizapp.store import tomlwriter

    try:
        expected = tomli_w.dumps(data)
    except (TypeError, ValueError):
        return  # (None inside lists: neither writes it)
    assert tomlwriter.dumps(data) == expected
