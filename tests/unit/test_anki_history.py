"""Anki's review log and quizapp's own answers, side by side: ``deck import --with-progress``
counts every Anki review exactly once, however the person mixes reviews in Anki, answers
in quizapp and imports (again, or cut short by a kill), and never rewinds a card's state
to an older review."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp import scheduling
from quizapp.interop.anki_import import DeckImport
from quizapp.interop.anki_progress import progress_events
from quizapp.interop.package import Collection, Review
from quizapp.models import AnswerEvent, CardRecord, Deck, ScoreFile
from quizapp.store import ScoreStore, dump_scores, fold, journal_entry, parse_snapshot

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
DECK = Deck.model_validate({"deck": {"id": "d", "title": "D"}, "cards": [
    {"id": "a", "kind": "flip", "question": "A?", "answer": "a"},
    {"id": "b", "kind": "flip", "question": "B?", "answer": "b"},
]})
IMPORTS = [DeckImport(anki_name="D", deck=DECK, anki_cards={101: "a", 102: "b"})]


def ms(at: datetime) -> int:
    return (at - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)


def collection(reviews: list[Review]) -> Collection:
    return Collection(notetypes={}, decks={}, notes={}, cards=[], reviews=list(reviews))


def quizapp_answer(scores: ScoreFile, card: str, at: datetime, rating: int, n: int) -> None:
    """An answer given in quizapp (what ``Session.grade`` writes)."""
    old = scores.cards.get("d", {}).get(card)
    fold(scores, AnswerEvent(id=f"q{n}", deck="d", card=card, session="s", at=at,
                             result="right" if rating > 1 else "wrong", rating=rating,
                             fsrs=scheduling.review(old.fsrs if old else None, rating, at)))


def import_history(scores: ScoreFile, reviews: list[Review], cut: int | None = None) -> int:
    """``deck import --with-progress``; ``cut``: killed after that many events were
    written. Returns the answers written."""
    events = progress_events(collection(reviews), IMPORTS, scores.cards, now=T0)
    answers = [e for e in events if e.type == "answer"]
    for event in answers[:cut]:
        fold(scores, event)
    return len(answers[:cut])


STEP = st.one_of(
    st.tuples(st.just("anki"), st.sampled_from([101, 102]), st.integers(1, 4)),
    st.tuples(st.just("quizapp"), st.sampled_from(["a", "b"]), st.integers(1, 4)),
    st.tuples(st.just("import"), st.none() | st.integers(0, 6), st.just(0)),
    st.tuples(st.just("reload"), st.just(0), st.just(0)),
)


@settings(max_examples=120, deadline=None)
@given(steps=st.lists(st.tuples(STEP, st.integers(1, 3000)), max_size=25),
       late=st.lists(st.tuples(st.sampled_from([101, 102]), st.integers(1, 4)), max_size=3))
def test_every_review_and_answer_is_counted_exactly_once(steps, late) -> None:
    """A person reviews in Anki, answers in quizapp and imports the package now and then
    (some imports killed part way, the score file written and read back in between); the
    Anki log is only exported at the import, so reviews older than quizapp answers come in
    late. After a last import (and one more, which adds nothing) each card counts each
    of its Anki reviews and quizapp answers once, from the first to the last; its state is
    that of its latest answer, wherever it was given."""
    scores, reviews = ScoreFile(), []
    answered: dict[str, list[tuple[datetime, int]]] = {"a": [], "b": []}  # card -> (time, rating)
    at = T0
    for n, ((kind, which, rating), minutes) in enumerate(steps):
        at += timedelta(minutes=minutes)
        if kind == "anki":
            reviews.append(Review(ms(at), which, rating, 1))
            answered[IMPORTS[0].anki_cards[which]].append((at, rating))
        elif kind == "quizapp":
            quizapp_answer(scores, which, at, rating, n)
            answered[which].append((at, rating))
        elif kind == "import":
            import_history(scores, reviews, which)
        else:
            text = dump_scores(scores)
            scores, _ = parse_snapshot(Path("scores.toml"), text.encode("utf-8"))
    for which, rating in late:  # reviewed in Anki after the last answer anywhere
        at += timedelta(minutes=5)
        reviews.append(Review(ms(at), which, rating, 1))
        answered[IMPORTS[0].anki_cards[which]].append((at, rating))
    import_history(scores, reviews)
    assert import_history(scores, reviews) == 0  # the same package again: nothing new
    for card, answers in answered.items():
        record = scores.cards.get("d", {}).get(card)
        if not answers:
            assert record is None
            continue
        assert record is not None
        right = sum(1 for _, rating in answers if rating > 1)
        assert (record.seen, record.right, record.wrong) == (len(answers), right,
                                                            len(answers) - right)
        assert record.first_answered == min(t for t, _ in answers)
        latest, rating = max(answers)
        assert record.last_answered == latest
        assert record.last_result == ("right" if rating > 1 else "wrong")
        assert record.fsrs is not None and record.fsrs.last_review == latest


def test_a_review_made_before_a_later_quizapp_answer_counts_without_rewinding() -> None:
    """Anki in the morning, quizapp at night, the Anki package exported the next day:
    the morning review is counted (seen, right or wrong, first answered); the card stays
    as the night's answer left it (due date, streak, last answer)."""
    scores = ScoreFile()
    quizapp_answer(scores, "a", T0 + timedelta(hours=12), 3, 1)
    night = scores.cards["d"]["a"]
    assert import_history(scores, [Review(ms(T0), 101, 1, 1)]) == 1
    card = scores.cards["d"]["a"]
    assert (card.seen, card.right, card.wrong) == (2, 1, 1)
    assert card.first_answered == T0
    assert (card.last_answered, card.streak, card.fsrs, card.last_answer) == (
        night.last_answered, night.streak, night.fsrs, night.last_answer)
    assert card.anki_review == ms(T0)
    # A later Anki review goes on from the night's state.
    after = T0 + timedelta(days=2)
    assert import_history(scores, [Review(ms(T0), 101, 1, 1), Review(ms(after), 101, 3, 1)]) == 1
    card = scores.cards["d"]["a"]
    assert card.seen == 3 and card.last_answered == after
    assert card.fsrs == scheduling.review(night.fsrs, 3, after)


def test_records_counted_by_an_older_quizapp_are_not_counted_twice() -> None:
    """Before ``anki_review`` quizapp imported only reviews after a card's last answer.
    A record it made (its first answer at the time of an Anki review) keeps the old rule
    for what came before its last answer; a record of quizapp's own answers only gets
    all of the card's Anki reviews."""
    r1, r2, q, r3, r4 = (T0 + timedelta(hours=h) for h in (0, 1, 5, 3, 8))
    older = CardRecord(seen=3, right=2, wrong=1, first_answered=r1, last_answered=q,
                       last_result="right", last_answer="q1",
                       fsrs=scheduling.review(None, 3, q))
    own = older.model_copy(update={"seen": 1, "right": 1, "wrong": 0, "first_answered": q})
    scores = ScoreFile(cards={"d": {"a": older, "b": own}})
    reviews = [Review(ms(r1), 101, 3, 0), Review(ms(r2), 101, 1, 1), Review(ms(r3), 101, 3, 1),
               Review(ms(r4), 101, 3, 1),
               Review(ms(r1), 102, 3, 0), Review(ms(r4), 102, 3, 1)]
    assert import_history(scores, reviews) == 1 + 2
    a, b = scores.cards["d"]["a"], scores.cards["d"]["b"]
    assert a.seen == 4 and a.last_answered == r4  # only r4 is after its last answer
    assert b.seen == 3 and b.first_answered == r1 and b.last_answered == r4
    assert import_history(scores, reviews) == 0


def test_two_windows_importing_the_same_package_count_it_once(tmp_path: Path) -> None:
    """Each import is made under the score file's lock from the scores as they are then:
    the window that imports second finds the first one's answers and adds nothing, even
    though it read the score file before the first one wrote."""
    path = tmp_path / "scores.toml"
    first, second = ScoreStore(path), ScoreStore(path)
    first.load(), second.load()
    reviews = [Review(ms(T0), 101, 3, 0), Review(ms(T0 + timedelta(days=1)), 101, 4, 1)]

    def build(store: ScoreStore):
        return lambda _lookup: progress_events(collection(reviews), IMPORTS,
                                               store.scores.cards, now=T0)

    assert len(first.write(build(first))) == 2
    assert second.write(build(second)) == []
    assert ScoreStore(path).record("d", "a").seen == 2


@settings(max_examples=25, deadline=None)
@given(whole=st.integers(0, 20), torn=st.sampled_from(["nothing", "half", "all but its end line"]))
def test_an_import_killed_part_way_is_completed_by_the_next_one(tmp_path_factory, whole,
                                                                torn) -> None:
    """The import's entries cut off (a process killed while writing): ``whole`` entries
    and part of the next. The next load keeps the complete ones, and importing again adds
    exactly the rest."""
    path = tmp_path_factory.mktemp("kill") / "scores.toml"
    store = ScoreStore(path)
    night = T0 + timedelta(hours=12, seconds=7)
    store.append(AnswerEvent(id="q1", deck="d", card="a", session="s", at=night,
                             result="right", rating=3, fsrs=scheduling.review(None, 3, night)))
    reviews = [Review(ms(T0 + timedelta(hours=h)), card, 1 + h % 4, 1)
               for h in range(0, 30, 3) for card in (101, 102)]
    events = progress_events(collection(reviews), IMPORTS, store.scores.cards, now=T0)
    entries = [journal_entry(event) for event in events]
    written = b"".join(entries[:whole])
    if whole < len(entries) and torn != "nothing":
        entry = entries[whole]
        written += entry[:len(entry) // 2] if torn == "half" else entry.split(b"# end len=")[0]
    with open(store.journal_path, "ab") as journal:
        journal.write(written)
    after = ScoreStore(path)
    after.write(lambda _lookup: progress_events(collection(reviews), IMPORTS,
                                                after.scores.cards, now=T0))
    final = ScoreStore(path)
    assert final.record("d", "a").seen == 10 + 1 and final.record("d", "b").seen == 10
    assert final.record("d", "a").last_answered == T0 + timedelta(hours=27)


def test_recovering_a_backup_of_an_import_adds_no_review_twice(tmp_path: Path) -> None:
    """A copy of the journal an import wrote, merged back with ``scores recover`` after
    the journal was folded into the snapshot: its Anki reviews are counted already (the
    records name the latest), so nothing is added."""
    path = tmp_path / "scores.toml"
    store = ScoreStore(path)
    reviews = [Review(ms(T0 + timedelta(hours=h)), 101, 3, 1) for h in range(4)]
    store.write(lambda _lookup: progress_events(collection(reviews), IMPORTS,
                                                store.scores.cards, now=T0))
    backup = tmp_path / "journal-copy"
    backup.write_bytes(store.journal_path.read_bytes())
    store.compact()
    result = store.recover(backup)
    assert (result.answers, result.already) == (0, 4)
    assert ScoreStore(path).record("d", "a").seen == 4


def test_a_history_written_in_batches_is_the_same_history(isolated_home: Path, monkeypatch,
                                                          capsys) -> None:
    """A big review log goes in batches (the earliest reviews first, the journal folded in
    between): the same answers, cards and suspends as in one write, each counted once."""
    from quizapp.cli import main
    from quizapp.interop import anki_progress

    monkeypatch.setattr(anki_progress, "BATCH", 1)
    package = Path(__file__).resolve().parent.parent / "fixtures" / "anki" / "sample-legacy.apkg"
    assert main(["deck", "import", str(package), "--with-progress"]) == 0
    out, err = capsys.readouterr()
    assert "review history: 3 answer(s) written so far..." in err  # (a long import goes on)
    assert "review history: 4 answer(s) of 2 card(s)" in out
    assert "1 card(s) suspended as in Anki" in out
    scores = ScoreStore(isolated_home / "data" / "scores.toml")
    france = scores.record("geography-capitals", "geo-france")
    assert (france.seen, france.right, france.wrong) == (3, 2, 1)
    assert scores.record("geography-capitals", "geo-japan").suspended
    assert main(["deck", "import", str(package), "--update", "--with-progress"]) == 0
    assert "review history: 0 answer(s)" in capsys.readouterr().out


def test_a_history_stopped_part_way_says_what_it_added(isolated_home: Path, monkeypatch,
                                                       capsys) -> None:
    """A failure after some batches (a full disk when folding the journal in): the command
    says what was added and that importing again adds the rest; it does, each once."""
    from quizapp.cli import main
    from quizapp.interop import anki_progress
    from quizapp.store import ScoreWriteError
    from quizapp.workspace import Workspace

    monkeypatch.setattr(anki_progress, "BATCH", 1)
    real = Workspace.compact
    calls = []

    def full_disk(self, **kw) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise ScoreWriteError("scores.toml: cannot fold the journal into it: No space left")
        real(self, **kw)

    monkeypatch.setattr(Workspace, "compact", full_disk)
    package = Path(__file__).resolve().parent.parent / "fixtures" / "anki" / "sample-legacy.apkg"
    assert main(["deck", "import", str(package), "--with-progress"]) == 1
    out, err = capsys.readouterr()
    assert "review history: 2 answer(s) of 1 card(s) added" in out
    assert "review history not all imported: scores.toml: cannot fold" in err
    assert "importing the package again with --with-progress adds the rest" in err
    assert main(["deck", "import", str(package), "--update", "--with-progress"]) == 0
    assert "review history: 2 answer(s) of 2 card(s)" in capsys.readouterr().out
    france = ScoreStore(isolated_home / "data" / "scores.toml").record("geography-capitals",
                                                                       "geo-france")
    assert (france.seen, france.right, france.wrong) == (3, 2, 1)
