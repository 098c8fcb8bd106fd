"""Faults the score file must survive: two windows, cut-off snapshots, damaged journals.

Each test states the promise it proves (see README, "Reliability")."""

from __future__ import annotations

import os
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.models import AnswerEvent, Deck, ScoreFile
from quizapp.session import Session
from quizapp.store import ScoreStore, parse_journal

T0 = datetime(2026, 11, 28, 10, 15, tzinfo=UTC)

DECK = Deck.model_validate({
    "deck": {"id": "caps", "title": "Capitals"},
    "cards": [{"id": f"c{i}", "kind": "flip", "question": f"Q{i}", "answer": f"A{i}"}
              for i in range(3)],
})


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=7)
        return self.t


def cards_of(scores: ScoreFile) -> dict:
    """Card records without the answer ids (random per run), for comparing two runs."""
    return {(d, c): r.model_dump(exclude={"last_answer"})
            for d, recs in scores.cards.items() for c, r in recs.items()}


# --------------------------------------------------------------------------- two windows


def test_undo_in_one_window_never_erases_another_windows_answer(tmp_path: Path) -> None:
    """The issue's case: A opens, B answers X and quits, A answers X and undoes."""
    path = tmp_path / "scores.toml"
    clock = Clock()
    a_store, b_store = ScoreStore(path, clock=clock), ScoreStore(path, clock=clock)
    a = Session.for_deck(DECK, recorder=a_store, now=clock, seed=1)
    a_store.load()  # window A has read the scores before B answers
    b = Session.for_deck(DECK, recorder=b_store, now=clock, seed=1)
    b.grade(3)
    b.finish()
    a.grade(1)
    assert a_store.record("caps", "c0").seen == 2  # A's answer counted on top of B's
    a.undo()
    record = ScoreStore(path).load().cards["caps"]["c0"]
    assert (record.seen, record.right, record.wrong) == (1, 1, 0)
    # B's memory state is the card's state, not A's stale copy.
    assert record.fsrs is not None and record.fsrs.stability is not None


def test_an_answer_starts_its_memory_state_from_other_windows_answers(tmp_path: Path) -> None:
    path = tmp_path / "scores.toml"
    clock = Clock()
    a_store, b_store = ScoreStore(path, clock=clock), ScoreStore(path, clock=clock)
    a_store.load()
    b = Session.for_deck(DECK, recorder=b_store, now=clock, seed=1)
    b.grade(3)  # c0: first review, by B
    a = Session.for_deck(DECK, recorder=a_store, now=clock, seed=1)
    a.grade(3)  # c0: second review, by A, which had read the scores before B answered
    events = [e for e in parse_journal(path.with_name("scores.toml.journal"),
                                       path.with_name("scores.toml.journal").read_bytes()).events
              if isinstance(e, AnswerEvent)]
    first, second = events
    assert second.fsrs.state != 1 or second.fsrs.stability != first.fsrs.stability
    assert second.fsrs.due > first.fsrs.due  # a second Good pushes the card further out


OPS = st.lists(st.tuples(st.sampled_from("AB"), st.sampled_from(["grade1", "grade3", "undo",
                                                                 "skip", "compact"])),
               min_size=1, max_size=14)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_two_windows_end_exactly_as_one_window_doing_the_same_events(tmp_path: Path, ops) -> None:
    """Answers, undos and compactions from two windows, interleaved: the scores equal those
    of one window (one store in memory) doing the same things in the same order."""
    results = []
    for run, windows in enumerate((2, 1)):
        path = tmp_path / f"run{run}-{random.random()}" / "scores.toml"
        clock = Clock()
        stores = [ScoreStore(path, clock=clock) for _ in range(windows)]
        for store in stores:
            store.load()
        sessions = {name: Session.for_deck(DECK, recorder=stores[i % windows], now=clock,
                                           seed=5, mode="order")
                    for i, name in enumerate("AB")}
        for name, op in ops:
            session = sessions[name]
            store = stores["AB".index(name) % windows]
            if op == "undo":
                session.undo()
            elif op == "compact":
                store.compact()
            elif session.state == "feedback":
                session.advance()
            elif session.state == "asking":
                if op == "skip":
                    session.skip()
                else:
                    session.grade(1 if op == "grade1" else 3)
        results.append(cards_of(ScoreStore(path).load()))
    assert results[0] == results[1]


# --------------------------------------------------------------------------- cut-off snapshots


def _snapshot(tmp_path: Path) -> tuple[Path, bytes, ScoreFile]:
    path = tmp_path / "scores.toml"
    store = ScoreStore(path, clock=Clock())
    clock = Clock()
    for deck in ("caps", "rivers"):
        session = Session.for_deck(DECK.model_copy(update={"deck": DECK.deck.model_copy(
            update={"id": deck})}), recorder=store, now=clock, seed=3)
        for grade in (3, 1, 4):
            session.grade(grade)
            session.advance()
        session.finish()
    store.compact()
    return path, path.read_bytes(), ScoreStore(path).load()


def _cuts(raw: bytes) -> list[int]:
    lines = [i + 1 for i, b in enumerate(raw) if b == ord("\n")]
    rng = random.Random(9)
    return sorted(set([0, *lines[:-1], *rng.sample(range(1, len(raw) - 1), 60)]))


def test_a_cut_off_snapshot_is_always_detected_and_its_good_part_kept(tmp_path: Path) -> None:
    """Every line boundary and a sample of byte offsets: each cut is noticed (backed up
    whole, reported) and what is kept is exactly what the whole file said."""
    path, raw, whole = _snapshot(tmp_path)
    assert raw.rstrip().splitlines()[-1].startswith(b"# end of scores: 6 card records, 2 sessions")
    original = cards_of(whole)
    for cut in _cuts(raw):
        for leftover in path.parent.iterdir():
            leftover.unlink()
        path.write_bytes(raw[:cut])
        store = ScoreStore(path, clock=Clock())
        scores = store.load()
        assert len(store.recovered) == 1, f"cut at byte {cut} went unnoticed"
        assert store.recovered[0].read_bytes() == raw[:cut]
        assert len(store.notices) == 1 and "kept" in store.notices[0]
        kept = cards_of(scores)
        assert all(original[key] == value for key, value in kept.items()), f"cut at {cut}"
        assert set(s.id for s in scores.sessions) <= set(s.id for s in whole.sessions)
        # The good part is now the snapshot: another window reads the same.
        assert cards_of(ScoreStore(path).load()) == kept


@pytest.mark.parametrize("damage", ["a junk header line", "a bad line inside a card's table",
                                    "a card's table given twice"])
def test_damage_in_the_middle_of_a_snapshot_costs_only_the_damaged_table(
    tmp_path: Path, damage: str
) -> None:
    """QA 08:39: one bad line mid-file used to drop every record after it and every
    session. Only the damaged card's record may go; the backup keeps the whole file.
    (The file is also cut off before its end line: damage in a file that is still whole is
    a hand edit, refused and left alone, test_store.py::test_a_whole_file_with_*.)"""
    path, raw, whole = _snapshot(tmp_path)
    raw = raw[:raw.rindex(b"# end of scores")]
    at = raw.index(b"[cards.rivers.c1]")
    end = raw.index(b"\n", at) + 1
    if damage == "a junk header line":
        text, lost = raw[:at] + b"[cards.broken\nthis is not toml\n\n" + raw[at:], set()
    elif damage == "a bad line inside a card's table":
        text, lost = raw[:end] + b"seen = = 3\n" + raw[end:], {("rivers", "c1")}
    else:  # after a junk line too; which of the two is right cannot be told: neither is kept
        table = raw[at:raw.index(b"\n\n", at) + 2]
        text = raw[:at] + b"[cards.broken\n\n" + raw[at:] + b"\n" + table.replace(
            b"seen = ", b"seen = 9", 1)
        lost = {("rivers", "c1")}
    path.write_bytes(text)
    store = ScoreStore(path, clock=Clock())
    scores = store.load()
    assert store.recovered[0].read_bytes() == text
    kept = {key: value for key, value in cards_of(whole).items() if key not in lost}
    assert cards_of(scores) == kept
    assert [s.id for s in scores.sessions] == [s.id for s in whole.sessions]
    assert f"kept {len(kept)} card records and 2 sessions" in store.notices[0]
    assert cards_of(ScoreStore(path).load()) == kept


def test_the_whole_snapshot_and_a_deliberate_hand_edit_load_without_a_word(tmp_path: Path) -> None:
    path, raw, whole = _snapshot(tmp_path)
    for text in (
        raw,
        raw.replace(b"seen = 1\n", b"seen = 40\n", 1),  # a count changed
        raw.replace(b"suspended = false", b"suspended = true", 1),
        raw + b"\n[cards.extra.x]\nseen = 2\nright = 2\n",  # a table added after the end line
        b"\n".join(line for line in raw.split(b"\n") if not line.startswith(b"first_answered")),
    ):
        path.write_bytes(text)
        store = ScoreStore(path)
        store.load()
        assert store.recovered == [] and store.notices == []
    assert ScoreStore(path).load().cards["caps"]["c0"].first_answered is None


# --------------------------------------------------------------------------- damaged journals


def _journal(tmp_path: Path, n: int = 12) -> tuple[Path, bytes, list[tuple[int, int]]]:
    path = tmp_path / "scores.toml"
    store = ScoreStore(path)
    for i in range(n):
        store.append(AnswerEvent(id=f"a{i}", deck="caps", card=f"c{i}", session="s",
                                 at=T0 + timedelta(minutes=i), result="right"))
    journal = store.journal_path
    raw = journal.read_bytes()
    return path, raw, parse_journal(journal, raw).spans


def test_one_flipped_byte_loses_one_entry_never_the_journal(tmp_path: Path) -> None:
    """A flipped byte anywhere in an entry: every other answer is kept, the person is told
    kept/unreadable counts, and only the damaged entry's bytes are in the backup."""
    path, raw, spans = _journal(tmp_path)
    rng = random.Random(4)
    offsets = sorted(rng.sample(range(spans[0][0], len(raw)), 40))
    for offset in offsets:
        for leftover in path.parent.iterdir():
            leftover.unlink()
        damaged = bytearray(raw)
        damaged[offset] ^= 0x20 if damaged[offset] != 0x0A else 0x01
        path.with_name("scores.toml.journal").write_bytes(bytes(damaged))
        store = ScoreStore(path, clock=Clock())
        scores = store.load()
        hit = next(i for i, (a, b) in enumerate(spans) if a <= offset < b)
        kept = {c for c in scores.cards.get("caps", {})}
        assert kept == {f"c{i}" for i in range(12)} - {f"c{hit}"}, f"flip at {offset}"
        assert len(store.notices) == 1
        assert "kept 11 answers, 1 entry could not be read" in store.notices[0]
        backup = store.recovered[0].read_bytes()
        assert len(backup) <= spans[hit][1] - spans[hit][0]
        # The journal now reads clean, in every window.
        again = ScoreStore(path)
        assert set(again.load().cards["caps"]) == kept and again.notices == []


@pytest.mark.parametrize("where", ["end", "middle"])
def test_garbage_in_the_journal_keeps_every_entry_around_it(tmp_path: Path, where: str) -> None:
    path, raw, spans = _journal(tmp_path)
    cut = len(raw) if where == "end" else spans[5][1]
    damaged = raw[:cut] + b"garbage that is not an entry\n" + raw[cut:]
    path.with_name("scores.toml.journal").write_bytes(damaged)
    store = ScoreStore(path, clock=Clock())
    assert len(store.load().cards["caps"]) == 12
    assert "kept 12 answers, 1 entry could not be read" in store.notices[0]
    assert store.recovered[0].read_bytes() == b"garbage that is not an entry\n"


def test_recover_merges_a_backup_back_each_answer_once(tmp_path: Path) -> None:
    path, raw, spans = _journal(tmp_path)
    # One changed byte: the checksum fails, yet the entry still reads as an answer.
    start, end = spans[3]
    damaged = raw[:start] + raw[start:end].replace(b'session = "s"', b'session = "t"') + raw[end:]
    path.with_name("scores.toml.journal").write_bytes(damaged)
    store = ScoreStore(path, clock=Clock())
    assert "c3" not in store.load().cards["caps"]
    backup = store.recovered[0]
    result = store.recover(backup)
    assert (result.answers, result.already) == (1, 0)
    assert ScoreStore(path).load().cards["caps"]["c3"].seen == 1
    again = ScoreStore(path).recover(backup)
    assert (again.answers, again.already) == (0, 1)
    store.compact()
    third = ScoreStore(path).recover(backup)
    assert (third.answers, third.already) == (0, 1)
    assert ScoreStore(path).load().cards["caps"]["c3"].seen == 1


def test_recover_of_a_journal_copy_brings_a_session_back_as_its_last_event_left_it(
        tmp_path: Path) -> None:
    """QA 13:55: a session came back as it stood after its first answer (1/1), not as it
    ended (2/4), and with only the first missed cards."""
    from quizapp.models import Card, Deck, DeckInfo
    from quizapp.session import Session

    path = tmp_path / "scores.toml"
    store = ScoreStore(path)
    deck = Deck(deck=DeckInfo(id="d", title="D"), cards=[
        Card(id=f"t{i}", kind="text", question=f"Q{i}?", answer=f"A{i}") for i in range(4)])
    session = Session.for_deck(deck, recorder=store, seed=1)
    for n in range(4):
        session.answer(f"A{n}" if n in (0, 3) else "no")
        session.advance()
    ended = session.finish()
    copy = tmp_path / "journal-copy"
    copy.write_bytes(store.journal_path.read_bytes())
    store.journal_path.unlink()
    fresh = ScoreStore(path)
    result = fresh.recover(copy)
    assert (result.answers, result.sessions) == (4, 1)
    [back] = fresh.scores.sessions
    assert (back.score, back.total, back.missed, back.end) == (2, 4, ["t1", "t2"], ended.end)
    assert ScoreStore(path).load().sessions == fresh.scores.sessions


def test_recover_from_a_cut_off_snapshot_adds_only_what_the_scores_lack(tmp_path: Path) -> None:
    path, raw, whole = _snapshot(tmp_path)
    cut = raw.index(b"[cards.rivers")
    path.write_bytes(raw[:cut])
    store = ScoreStore(path, clock=Clock())
    assert "rivers" not in store.load().cards
    # The backup is cut too; recovering from a full copy made earlier brings rivers back.
    copy = tmp_path / "copy.toml"
    copy.write_bytes(raw)
    result = store.recover(copy)
    # rivers' three, and the caps card whose table ended at the cut (it may have been partial)
    assert result.records == 4 and result.sessions == 2  # sessions come after the cards
    assert cards_of(ScoreStore(path).load()) == cards_of(whole)
    assert store.recover(copy).records == 0


def test_recover_puts_back_a_record_the_backup_holds_more_answers_of(tmp_path: Path) -> None:
    """QA 08:39: after a damaged snapshot, a card answered again has a live record of the
    new answers alone; recovering from the backup gives its whole history plus them."""
    path, raw, whole = _snapshot(tmp_path)
    cut = raw.index(b"[cards.rivers")
    path.write_bytes(raw[:cut])
    store = ScoreStore(path, clock=Clock())
    assert "rivers" not in store.load().cards
    before = whole.cards["rivers"]["c0"]
    later = before.last_answered + timedelta(hours=1)
    store.append(AnswerEvent(deck="rivers", card="c0", session="later", at=later, result="wrong"))
    assert store.record("rivers", "c0").seen == 1
    copy = tmp_path / "copy.toml"  # a backup in which c0 had been answered six times
    table = b"[cards.rivers.c0]\nseen = 1\nright = 1\n"
    assert table in raw
    copy.write_bytes(raw.replace(table, b"[cards.rivers.c0]\nseen = 6\nright = 6\n"))
    result = store.recover(copy)
    assert result.fuller == 1
    now = ScoreStore(path).load().cards["rivers"]["c0"]
    assert (now.seen, now.right, now.wrong) == (7, 6, 1)
    assert now.last_answered == later and now.first_answered == before.first_answered
    assert store.recover(copy).fuller == 0  # the live record now holds the most


def test_recover_adds_a_backup_record_to_more_journal_answers_than_it_had(tmp_path: Path) -> None:
    """QA 09:03: the backup had 1 answer of c0, the live record was rebuilt from 3 later
    journal answers: the whole history is the backup's one plus those three."""
    path, raw, whole = _snapshot(tmp_path)
    path.write_bytes(raw[:raw.index(b"[cards.rivers")])
    store = ScoreStore(path, clock=Clock())
    store.load()
    before = whole.cards["rivers"]["c0"]
    for minutes in (60, 61, 62):
        store.append(AnswerEvent(deck="rivers", card="c0", session="later", result="wrong",
                                 at=before.last_answered + timedelta(minutes=minutes)))
    assert store.record("rivers", "c0").seen == 3
    copy = tmp_path / "copy.toml"
    copy.write_bytes(raw)
    assert store.recover(copy).fuller == 1
    now = ScoreStore(path).load().cards["rivers"]["c0"]
    assert (now.seen, now.right, now.wrong) == (4, before.right, before.wrong + 3)


def test_check_reports_each_file_at_fault_and_changes_nothing(tmp_path: Path) -> None:
    path, raw, spans = _journal(tmp_path)
    journal = path.with_name("scores.toml.journal")
    assert ScoreStore(path).check() == []
    journal.write_bytes(raw + b"junk\n")
    path.write_bytes(b"format = 2\n[cards.caps.c0]\nseen = 1\n")
    path.with_name("scores.toml.cache").mkdir()
    before = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.is_file()}
    problems = ScoreStore(path).check()
    assert [p.split(":", 1)[0] for p in problems] == [
        str(path), str(journal), str(path.with_name("scores.toml.cache"))]
    assert "cut off" in problems[0] and "12 answers are intact" in problems[1]
    assert {p.name: p.read_bytes() for p in path.parent.iterdir() if p.is_file()} == before



# --------------------------------------------------------------------------- errors name the file


def test_a_full_disk_during_compaction_says_the_answers_are_safe(tmp_path: Path, monkeypatch) -> None:
    import errno

    import quizapp.store.scorestore as scorestore
    from quizapp.store import ScoreWriteError

    path, raw, spans = _journal(tmp_path)
    real = scorestore.atomic_write_bytes

    def full(target, data):
        if Path(target) == path:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, data)

    monkeypatch.setattr(scorestore, "atomic_write_bytes", full)
    with pytest.raises(ScoreWriteError) as caught:
        ScoreStore(path).compact()
    message = str(caught.value)
    assert message.startswith(f"{path}: cannot fold the journal into it: No space left")
    assert "every answer is safe in scores.toml.journal" in message and "tried again" in message
    monkeypatch.setattr(scorestore, "atomic_write_bytes", real)
    assert len(ScoreStore(path).load().cards["caps"]) == 12
    assert path.with_name("scores.toml.journal").read_bytes() == raw


def test_a_folder_where_the_cache_belongs_never_blocks_compaction(tmp_path: Path) -> None:
    path, raw, spans = _journal(tmp_path)
    cache = path.with_name("scores.toml.cache")
    cache.mkdir()
    store = ScoreStore(path)
    store.compact()
    assert path.exists() and not path.with_name("scores.toml.journal").exists()
    assert any(w.startswith(f"{cache}: cannot write the cache") for w in store.warnings)
    reader = ScoreStore(path)
    snapshot = path.read_bytes()
    assert len(reader.load().cards["caps"]) == 12
    assert reader.warnings and reader.warnings[0].startswith(f"{cache}: not a regular file")
    # The load tried to make the cache again: only a warning, the scores untouched.
    assert any(w.startswith(f"{cache}: cannot write the cache") for w in reader.warnings[1:])
    assert path.read_bytes() == snapshot and cache.is_dir()


def test_a_read_only_journal_is_named_not_the_score_file(tmp_path: Path, monkeypatch) -> None:
    import errno

    from quizapp.store import ScoreWriteError

    path, raw, spans = _journal(tmp_path)
    journal = path.with_name("scores.toml.journal")
    journal.chmod(0o444)
    real_open = os.open

    def as_a_user(target, flags, *args):  # root writes through permissions; people do not
        if Path(target) == journal and flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(target, flags, *args)

    monkeypatch.setattr(os, "open", as_a_user)
    with pytest.raises(ScoreWriteError, match=rf"^{re.escape(str(journal))}: cannot write"):
        ScoreStore(path).append(AnswerEvent(deck="caps", card="x", session="s", at=T0,
                                            result="right"))


def test_a_broken_lock_is_named(tmp_path: Path) -> None:
    from quizapp.store import ScoreWriteError

    path, raw, spans = _journal(tmp_path)
    lock = path.with_name("scores.toml.lock")
    lock.unlink()
    lock.mkdir()
    with pytest.raises(ScoreWriteError, match=rf"^{re.escape(str(lock))}: cannot lock"):
        ScoreStore(path).append(AnswerEvent(deck="caps", card="x", session="s", at=T0,
                                            result="right"))
    assert ScoreStore(path).check()[-1].startswith(f"{lock}: not a regular file")
