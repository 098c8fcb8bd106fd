"""The score store: folding events, the TOML snapshot and journal, bad files."""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizapp.models import (
    AnswerEvent,
    CardRecord,
    FsrsState,
    RestoreEvent,
    ScoreFile,
    SessionEvent,
    SessionRecord,
    SuspendEvent,
)
from quizapp.store import ScoreFileError, ScoreStore, dump_scores, fold

T0 = datetime(2026, 11, 28, 10, 15, tzinfo=UTC)
CLOCK = datetime(2026, 11, 28, 10, 15, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def answer(
    card: str, result: str = "right", minutes: int = 0, deck: str = "deck-a", **kw
) -> AnswerEvent:
    return AnswerEvent(deck=deck, card=card, session="s1", at=at(minutes), result=result, **kw)


def session(sid: str, start: int, end: int | None = None, **kw) -> SessionEvent:
    return SessionEvent(
        session=SessionRecord(
            id=sid,
            deck="deck-a",
            mode="all",
            start=at(start),
            end=None if end is None else at(end),
            **kw,
        )
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "scores.toml"


def new_store(path: Path) -> ScoreStore:
    return ScoreStore(path, clock=lambda: CLOCK)


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --------------------------------------------------------------------------- fold


def test_fold_answers_count_streak_and_last_result() -> None:
    scores = ScoreFile()
    for minutes, result in enumerate(["right", "right", "wrong", "right"]):
        fold(scores, answer("c1", result, minutes))
    record = scores.cards["deck-a"]["c1"]
    assert (record.seen, record.right, record.wrong, record.streak) == (4, 3, 1, 1)
    assert record.last_result == "right"
    assert record.last_answered == at(3)
    assert record.first_answered == at(0)


def test_fold_keeps_fsrs_state_when_an_answer_has_none() -> None:
    state = FsrsState(state=2, stability=3.25, difficulty=4.5, due=at(60), last_review=at(0))
    scores = fold(ScoreFile(), answer("c1", fsrs=state))
    fold(scores, answer("c1", "wrong", 1))
    assert scores.cards["deck-a"]["c1"].fsrs == state
    newer = state.model_copy(update={"due": at(90)})
    fold(scores, answer("c1", "right", 2, fsrs=newer))
    assert scores.cards["deck-a"]["c1"].fsrs == newer


def test_fold_restore_puts_the_record_back_or_removes_it() -> None:
    scores = ScoreFile()
    fold(scores, answer("c1"))
    before = scores.cards["deck-a"]["c1"].model_copy()
    fold(scores, answer("c1", "wrong", 1))
    fold(scores, RestoreEvent(deck="deck-a", card="c1", at=at(2), record=before))
    assert scores.cards["deck-a"]["c1"] == before
    fold(scores, RestoreEvent(deck="deck-a", card="c1", at=at(3)))
    assert "deck-a" not in scores.cards  # the card had no record: nothing is left behind


def test_fold_session_is_upserted_and_kept_in_start_order() -> None:
    scores = ScoreFile()
    fold(scores, session("late", 30))
    fold(scores, session("early", 0))
    fold(scores, session("early", 0, end=5, score=3, total=4, missed=["c2"]))
    assert [s.id for s in scores.sessions] == ["early", "late"]
    early = scores.sessions[0]
    assert (early.end, early.score, early.total, early.missed) == (at(5), 3, 4, ["c2"])


def test_fold_suspend_sets_and_clears_the_flag() -> None:
    scores = fold(ScoreFile(), SuspendEvent(deck="deck-a", card="c9", at=at(0), suspended=True))
    assert scores.cards["deck-a"]["c9"] == CardRecord(suspended=True)
    fold(scores, answer("c9"))
    fold(scores, SuspendEvent(deck="deck-a", card="c9", at=at(1), suspended=False))
    record = scores.cards["deck-a"]["c9"]
    assert (record.suspended, record.seen) == (False, 1)


# --------------------------------------------------------------------------- round trips


def test_missing_file_loads_empty_and_creates_nothing(path: Path) -> None:
    store = new_store(path)
    assert store.load() == ScoreFile()
    assert store.record("deck-a", "c1") is None
    assert not path.parent.exists()


def test_append_creates_the_file_and_a_reload_gives_the_same_scores(path: Path) -> None:
    store = new_store(path)
    events = [
        session("s1", 0),
        answer("c1"),
        answer("c2", "wrong", 1),
        answer("c1", "right", 2),
        SuspendEvent(deck="deck-b", card="x.1", at=at(3), suspended=True),
        session("s1", 0, end=4, score=2, total=3, missed=["c2"]),
    ]
    for event in events:
        store.append(event)
    assert store.record("deck-a", "c1").seen == 2
    assert not path.exists()  # nothing compacted yet: the answers are in the journal
    journal = tomllib.loads(store.journal_path.read_text(encoding="utf-8"))
    assert [e["type"] for e in journal["events"]] == [
        "session",
        "answer",
        "answer",
        "answer",
        "suspend",
        "session",
    ]

    reloaded = new_store(path).load()
    assert reloaded == store.scores
    expected = ScoreFile()
    for event in events:
        fold(expected, event)
    assert reloaded == expected


def test_compact_folds_the_journal_into_the_snapshot(path: Path) -> None:
    store = new_store(path)
    store.append(answer("c1"))
    store.append(answer("c1", "wrong", 1))
    before = store.scores.model_copy(deep=True)
    store.compact()
    assert not store.journal_path.exists()
    assert store.journal_events == 0
    assert new_store(path).load() == before
    # Compacting again with nothing new leaves the snapshot byte for byte as it was.
    text = path.read_bytes()
    store.compact()
    assert path.read_bytes() == text
    store.append(answer("c2", minutes=2))
    assert new_store(path).load().cards["deck-a"].keys() == {"c1", "c2"}


def test_a_second_store_sees_the_other_ones_answers_on_load(path: Path) -> None:
    first, second = new_store(path), new_store(path)
    first.append(answer("c1"))
    second.append(answer("c2"))
    second.compact()
    first.append(answer("c3"))
    assert set(first.load().cards["deck-a"]) == {"c1", "c2", "c3"}
    assert set(second.load().cards["deck-a"]) == {"c1", "c2", "c3"}


def test_kill_between_snapshot_write_and_journal_delete_counts_nothing_twice(path: Path) -> None:
    store = new_store(path)
    for i in range(3):
        store.append(answer(f"c{i}", minutes=i))
    journal = store.journal_path.read_bytes()
    store.compact()
    # The state a kill right after the snapshot's os.replace leaves behind:
    store.journal_path.write_bytes(journal)
    reloaded = new_store(path).load()
    assert [r.seen for r in reloaded.cards["deck-a"].values()] == [1, 1, 1]
    # Answers appended to that journal afterwards are not in the snapshot: they count.
    new_store(path).append(answer("c0", "wrong", 5))
    expected = {"c0": (2, 1), "c1": (1, 0), "c2": (1, 0)}
    seen_wrong = {c: (r.seen, r.wrong) for c, r in new_store(path).load().cards["deck-a"].items()}
    assert seen_wrong == expected
    new_store(path).compact()
    seen_wrong = {c: (r.seen, r.wrong) for c, r in new_store(path).load().cards["deck-a"].items()}
    assert seen_wrong == expected


def test_append_does_not_rewrite_the_snapshot(path: Path) -> None:
    """Recording an answer costs the same however big the file is: the snapshot is not touched."""
    store = new_store(path)
    for i in range(50):
        store.append(answer(f"c{i}"))
    store.compact()
    before = path.stat()
    store.append(answer("c0", "wrong", 1))
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )
    assert new_store(path).record("deck-a", "c0").wrong == 1


def test_naive_datetime_is_refused_and_nothing_is_written(path: Path) -> None:
    store = new_store(path)
    naive = AnswerEvent(
        deck="d", card="c", session="s", at=datetime(2026, 1, 1, 12), result="right"
    )
    with pytest.raises(ValueError, match=r"AnswerEvent\.at: datetime must be timezone-aware"):
        store.append(naive)
    assert not path.parent.exists()


# --------------------------------------------------------------------------- the TOML text


def test_output_is_sorted_stable_and_utc(path: Path) -> None:
    store = new_store(path)
    plus_two = timezone(timedelta(hours=2))
    store.append(session("s-late", 30))
    store.append(session("s-early", 0))
    for deck, card in [("zeta", "b"), ("alpha", "z.9"), ("zeta", "a"), ("alpha", "a:1")]:
        store.append(
            AnswerEvent(
                deck=deck,
                card=card,
                session="s-early",
                at=datetime(2026, 11, 28, 12, 0, tzinfo=plus_two),
                result="right",
            )
        )
    store.compact()
    text = path.read_text(encoding="utf-8")
    headers = re.findall(r"^\[cards\.([^\]]+)\]$", text, flags=re.MULTILINE)
    assert headers == ['alpha."a:1"', 'alpha."z.9"', "zeta.a", "zeta.b"]
    assert re.findall(r'^\[\[sessions\]\]\nid = "(.*)"$', text, flags=re.MULTILINE) == [
        "s-early",
        "s-late",
    ]
    assert "last_answered = 2026-11-28 10:00:00+00:00" in text  # 12:00 at +02:00, stored as UTC
    assert "null" not in text and "None" not in text
    # The same scores dump to the same bytes, and a reload dumps identically.
    assert dump_scores(store.scores) == dump_scores(new_store(path).load())
    store.compact()
    assert path.read_text(encoding="utf-8") == text


def test_fsrs_state_survives_save_and_reload_without_none_fields(path: Path) -> None:
    state = FsrsState(
        state=1, step=0, stability=None, difficulty=None, due=at(10), last_review=None
    )
    reviewed = FsrsState(
        state=2,
        stability=2.3065,
        difficulty=6.413327460433599,
        due=at(60 * 24 * 3),
        last_review=at(1),
    )
    store = new_store(path)
    store.append(answer("learning", fsrs=state))
    store.append(answer("review", fsrs=reviewed))
    store.compact()
    text = path.read_text(encoding="utf-8")
    learning = text.split("[cards.deck-a.learning.fsrs]")[1].split("\n\n")[0]
    assert (
        "stability" not in learning
        and "difficulty" not in learning
        and "last_review" not in learning
    )
    reloaded = new_store(path).load()
    assert reloaded.cards["deck-a"]["learning"].fsrs == state
    assert reloaded.cards["deck-a"]["review"].fsrs == reviewed
    assert reloaded.cards["deck-a"]["review"].fsrs.difficulty == 6.413327460433599


# --------------------------------------------------------------------------- bad files


def test_newer_format_is_refused_and_the_file_is_not_touched(path: Path) -> None:
    path.parent.mkdir(parents=True)
    original = b'format = 3\n[cards.deck-a.c1]\nseen = 4\nfancy = "new"\n'
    path.write_bytes(original)
    store = new_store(path)
    message = f"{path}:1: format: 3 is newer than this quizapp reads (2); not touched"
    with pytest.raises(ScoreFileError) as caught:
        store.load()
    assert str(caught.value) == message
    with pytest.raises(ScoreFileError, match="newer than this quizapp"):
        store.append(answer("c1"))
    with pytest.raises(ScoreFileError, match="newer than this quizapp"):
        store.compact()
    assert path.read_bytes() == original
    assert store.recovered == []
    assert files(path.parent) == ["scores.toml"]  # not even a lock file was made


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "format = 1\n[cards.deck-a.c1]\nseen = 1\nsen = 2\n",
            "4: cards.deck-a.c1.sen: unknown field",
        ),
        (
            'format = 1\n[cards.deck-a.c1]\nseen = "many"\n',
            "3: cards.deck-a.c1.seen: must be a whole number",
        ),
        (
            'format = 1\n[cards.deck-a.c1]\nright = 1\nseen = -5\n',
            "4: cards.deck-a.c1.seen: must be 0 or more",
        ),
        (
            'format = 1\n[cards.deck-a.c1]\nseen = 99999999999999999999\n',
            "3: cards.deck-a.c1.seen: must be 1000000000 or less",
        ),
        (
            'format = 1\n[[sessions]]\nid = "s"\ndeck = "d"\nmode = "all"\nscore = -1\n'
            'start = 2026-01-01T10:00:00Z\n',
            "6: sessions[0].score: must be 0 or more",
        ),
        ("[cards.d.c]\nseen = 1\n", " format: required field is missing"),
        (
            'format = 1\n[[sessions]]\nid = "s"\ndeck = "d"\nmode = "all"\nstart = 2026-01-01T10:00:00\n',
            "sessions[0].start: datetime must include a timezone (UTC)",
        ),
        (
            "format = 1\n[cards.d.c]\nfirst_answered = 2026-01-01T10:00:00\n",
            "cards.d.c.first_answered: datetime must include a timezone (UTC)",
        ),
        ('format = "one"\n', "1: format: must be a whole number from 1 up"),
        ("format = true\n", "1: format: must be a whole number from 1 up"),
        ('format = 1\njournal = "abc"\n', "journal: must be a table with exactly id and bytes"),
        (
            'format = 1\n[journal]\nid = "abc"\nbytes = -4\n',
            "journal.bytes: must be a whole number from 0 up",
        ),
    ],
)
def test_schema_errors_name_file_and_field_and_leave_the_file_alone(
    path: Path, text: str, problem: str
) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    store = new_store(path)
    with pytest.raises(ScoreFileError) as caught:
        store.load()
    sep = ":" if problem[0].isdigit() else ": "
    assert str(caught.value).startswith(f"{path}{sep}{problem.lstrip()}")
    assert "\n" not in str(caught.value)
    assert path.read_text(encoding="utf-8") == text
    assert store.recovered == []


@pytest.mark.parametrize(
    "damage",
    [
        b"this is [not toml\n\x00\x01",
        b"format = 1\n[cards.d.c]\nseen = 1\n\xff\xfe not utf-8\n",
        b"[cards\n",
        b"",
        b"\x00" * 4096,
    ],
    ids=["not-toml", "not-utf8", "cut-short", "empty", "zeros"],
)
def test_corrupt_snapshot_is_backed_up_never_overwritten(path: Path, damage: bytes) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(damage)
    store = new_store(path)
    assert store.load() == ScoreFile()
    backup = path.parent / "scores.toml.corrupt-20261128T101500Z"
    assert store.recovered == [backup]
    assert backup.read_bytes() == damage
    assert len(store.notices) == 1 and str(backup) in store.notices[0]
    # The snapshot is now its good part (here: nothing), so every window agrees on it.
    assert new_store(path).load() == ScoreFile() and new_store(path).load() is not None
    # Life goes on in a new file; the backup stays as it was.
    store.append(answer("c1"))
    store.compact()
    assert new_store(path).record("deck-a", "c1").seen == 1
    assert backup.read_bytes() == damage


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        # A date typed wrong, a closing quote dropped, a letter saved in Latin-1.
        (lambda t: t.replace("first_answered = 2026-11-28", "first_answered = 2026-13-28", 1),
         "not valid TOML"),
        (lambda t: t.replace('last_result = "right"', 'last_result = "right', 1), "not valid TOML"),
        (lambda t: t.replace('last_result = "right"', 'last_result = "r\xe9ussi"', 1),
         "not UTF-8 text"),
    ],
    ids=["bad-date", "open-quote", "latin-1"],
)
def test_a_whole_file_with_a_typing_mistake_is_refused_not_salvaged(
    path: Path, edit, problem: str
) -> None:
    """A file that still ends with its end line was edited, not cut off: keeping 'its good
    part' would drop the record with the mistake and every one after it."""
    store = new_store(path)
    for n in range(3):
        store.append(answer(f"c{n}", minutes=n))
    store.compact()
    text = path.read_text(encoding="utf-8")
    edited = edit(text)
    assert edited != text and edited.rstrip().endswith("3 card records, 0 sessions")
    path.write_bytes(edited.encode("latin-1" if problem == "not UTF-8 text" else "utf-8"))
    before = path.read_bytes()
    reader = new_store(path)
    with pytest.raises(ScoreFileError) as caught:
        reader.load()
    message = str(caught.value)
    assert re.match(rf"{re.escape(str(path))}:\d+: {problem}", message), message
    assert "correct that line" in message and "\n" not in message
    assert path.read_bytes() == before and reader.recovered == []
    assert [p.name for p in path.parent.iterdir() if "corrupt" in p.name] == []
    # Once the line is put right, every record is there.
    path.write_text(text, encoding="utf-8")
    assert {f"c{n}" for n in range(3)} == set(new_store(path).load().cards["deck-a"])


def test_a_second_corrupt_file_gets_its_own_backup(path: Path) -> None:
    path.parent.mkdir(parents=True)
    first = path.parent / "scores.toml.corrupt-20261128T101500Z"
    first.write_bytes(b"an older backup")
    path.write_bytes(b"garbage = = =")
    store = new_store(path)
    store.load()
    assert store.recovered == [path.parent / "scores.toml.corrupt-20261128T101500Z-1"]
    assert first.read_bytes() == b"an older backup"
    assert store.recovered[0].read_bytes() == b"garbage = = ="


def test_answers_in_the_journal_survive_a_corrupt_snapshot(path: Path) -> None:
    store = new_store(path)
    store.append(answer("c1"))
    store.compact()
    store.append(answer("c2", minutes=1))
    path.write_bytes(b"\x00\x00\x00 disk trouble")
    reloaded = new_store(path)
    assert set(reloaded.load().cards["deck-a"]) == {"c2"}
    assert len(reloaded.recovered) == 1


def _three_answers(path: Path) -> tuple[ScoreStore, bytes, int]:
    store = new_store(path)
    store.append(answer("c1"))
    store.append(answer("c2", minutes=1))
    before_last = store.journal_path.stat().st_size
    store.append(answer("c3", "wrong", 2, fsrs=FsrsState(state=1, step=0, due=at(5))))
    return store, store.journal_path.read_bytes(), before_last


def test_a_torn_last_entry_is_ignored_at_every_cut(path: Path) -> None:
    """A writer killed mid-append leaves part of an entry: the ones before it are all kept."""
    _, full, before_last = _three_answers(path)
    for cut in range(before_last, len(full) + 1):
        path.parent.joinpath("scores.toml.journal").write_bytes(full[:cut])
        store = new_store(path)
        cards = store.load().cards["deck-a"]
        # Only the final line break missing: the entry itself is whole and counts.
        expected = {"c1", "c2", "c3"} if cut >= len(full) - 1 else {"c1", "c2"}
        assert set(cards) == expected, f"cut at byte {cut}"
        assert store.recovered == []
        assert store.journal_events == len(expected)


def test_appending_after_a_torn_entry_keeps_everything_else(path: Path) -> None:
    _, full, before_last = _three_answers(path)
    for cut in (before_last + 1, before_last + 40, len(full) - 2, len(full) - 1):
        path.parent.joinpath("scores.toml.journal").write_bytes(full[:cut])
        expected = {"c1", "c2", "c4"} | ({"c3"} if cut == len(full) - 1 else set())
        store = new_store(path)
        store.append(answer("c4", minutes=3))
        assert set(new_store(path).load().cards["deck-a"]) == expected, f"cut at byte {cut}"
        store.compact()
        reloaded = new_store(path)
        assert set(reloaded.load().cards["deck-a"]) == expected
        assert reloaded.recovered == []
        path.unlink()


def test_a_damaged_journal_is_moved_aside_and_the_snapshot_kept(path: Path) -> None:
    store = new_store(path)
    store.append(answer("c1"))
    store.compact()
    store.append(answer("c2", minutes=1))
    store.append(answer("c3", minutes=2))
    whole = store.journal_path.read_bytes()
    damaged = whole.replace(b'card = "c2"', b'card = "c7"')
    store.journal_path.write_bytes(damaged)
    reloaded = new_store(path)
    # Only the damaged entry is lost; the intact one after it is kept.
    assert set(reloaded.load().cards["deck-a"]) == {"c1", "c3"}
    backup = path.parent / "scores.toml.journal.corrupt-20261128T101500Z"
    assert reloaded.recovered == [backup]
    assert b'card = "c7"' in backup.read_bytes() and b'card = "c3"' not in backup.read_bytes()
    assert len(backup.read_bytes()) < len(damaged) // 2
    assert "kept 1 answers, 1 entry could not be read" in reloaded.notices[0]
    reloaded.append(answer("c4", minutes=3))
    assert set(new_store(path).load().cards["deck-a"]) == {"c1", "c3", "c4"}


def test_an_unknown_event_kind_is_refused_and_left_alone(path: Path) -> None:
    store = new_store(path)
    store.append(answer("c1"))
    from quizapp.store import frame as _frame  # the framing a newer quizapp would also use

    body = b'[[events]]\ntype = "teleport"\ndeck = "deck-a"\n'
    with store.journal_path.open("ab") as handle:
        handle.write(_frame(body))
    original = store.journal_path.read_bytes()
    with pytest.raises(ScoreFileError) as caught:
        new_store(path).load()
    assert str(caught.value).startswith(f"{store.journal_path}: events[1]")
    assert "teleport" in str(caught.value)
    assert store.journal_path.read_bytes() == original


def test_stale_temp_files_from_a_killed_compaction_are_cleaned_up(path: Path) -> None:
    store = new_store(path)
    store.append(answer("c1"))
    stale = path.parent / ".scores.toml.abc123.tmp"
    stale.write_bytes(b"half a snapshot")
    store.compact()
    assert files(path.parent) == ["scores.toml", "scores.toml.cache", "scores.toml.lock"]
    assert new_store(path).record("deck-a", "c1").seen == 1


def test_unreadable_file_is_reported_not_moved(path: Path) -> None:
    if os.geteuid() == 0:
        # root reads anything; a folder in place of the file is unreadable for everyone.
        path.mkdir(parents=True)
    else:
        path.parent.mkdir(parents=True)
        path.write_text("format = 1\n", encoding="utf-8")
        path.chmod(0)
    store = new_store(path)
    problem = "not a regular file" if path.is_dir() else "cannot read: "
    with pytest.raises(ScoreFileError, match=rf"^{re.escape(str(path))}: {problem}"):
        store.load()
    assert store.recovered == []
    assert path.exists()


def test_copying_the_file_elsewhere_keeps_everything(path: Path, tmp_path: Path) -> None:
    """The snapshot plus journal is self-contained: copy both and the copy reads the same."""
    store = new_store(path)
    store.append(answer("c1"))
    store.compact()
    store.append(answer("c2", minutes=1))
    copy = tmp_path / "copy" / "scores.toml"
    copy.parent.mkdir()
    shutil.copy(path, copy)
    shutil.copy(store.journal_path, copy.with_name("scores.toml.journal"))
    assert new_store(copy).load() == store.scores


def test_a_naive_time_in_a_card_record_is_named(path: Path) -> None:
    path.parent.mkdir(parents=True)
    text = (
        'format = 1\n[cards.deck-a."c.1"]\nseen = 1\n[cards.deck-a."c.1".fsrs]\nstate = 1\n'
        "due = 2026-01-01T10:00:00\n"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        ScoreFileError, match=r"cards\.deck-a\.c\.1\.fsrs\.due: datetime must include a timezone"
    ):
        new_store(path).load()
    assert path.read_text(encoding="utf-8") == text


def test_an_event_that_would_not_read_back_is_refused(path: Path) -> None:
    store = new_store(path)
    store.append(answer("c1"))
    journal = store.journal_path.read_bytes()
    broken = AnswerEvent.model_construct(
        type="answer", deck="deck-a", card="", session="s1", at=at(1), result="maybe"
    )
    with pytest.raises(ValueError):
        store.append(broken)
    assert store.journal_path.read_bytes() == journal
    assert new_store(path).record("deck-a", "c1").seen == 1


def test_a_symlinked_score_file_stays_a_symlink(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "scores.toml"
    target.parent.mkdir()
    path.parent.mkdir(parents=True)
    path.symlink_to(target)
    store = new_store(path)
    store.append(answer("c1"))
    store.compact()
    assert path.is_symlink()
    assert tomllib.loads(target.read_text(encoding="utf-8"))["cards"]["deck-a"]["c1"]["seen"] == 1
    assert new_store(path).record("deck-a", "c1").seen == 1


def test_backup_without_hard_links_still_never_clobbers(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system without hard links the damaged file is renamed, still not over a backup."""
    import errno

    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path.parent.mkdir(parents=True)
    (path.parent / "scores.toml.corrupt-20261128T101500Z").write_bytes(b"older")
    path.write_bytes(b"[[[ broken")
    store = new_store(path)
    assert store.load() == ScoreFile()
    assert store.recovered == [path.parent / "scores.toml.corrupt-20261128T101500Z-1"]
    assert store.recovered[0].read_bytes() == b"[[[ broken"
    assert (path.parent / "scores.toml.corrupt-20261128T101500Z").read_bytes() == b"older"
    assert path.read_bytes() != b"[[[ broken"  # replaced by its good part (nothing)


def test_sessions_out_of_order_in_a_hand_edited_file_are_read_in_start_order(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(
        "format = 1\n"
        '[[sessions]]\nid = "b"\ndeck = "d"\nmode = "all"\nstart = 2026-02-01T10:00:00Z\n'
        '[[sessions]]\nid = "a"\ndeck = "d"\nmode = "all"\nstart = 2026-01-01T10:00:00Z\n',
        encoding="utf-8",
    )
    store = new_store(path)
    assert [s.id for s in store.load().sessions] == ["a", "b"]
    store.append(session("c", 0))
    assert [s.id for s in new_store(path).load().sessions] == ["a", "b", "c"]


# --------------------------------------------------------------------------- the cache and compaction races


def test_load_reads_the_cache_made_from_these_exact_bytes(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = new_store(path)
    store.append(session("s1", 0))
    store.append(answer("c1", fsrs=FsrsState(state=2, stability=1.25, due=at(99))))
    store.compact()
    expected = new_store(path).load()

    def no_toml(text: str, *args: object) -> dict:
        raise AssertionError("the TOML was parsed although the cache matches")

    monkeypatch.setattr("quizapp.tomlio.parse_toml", no_toml)
    assert new_store(path).load() == expected


def test_a_hand_edited_snapshot_bypasses_the_cache(path: Path, monkeypatch) -> None:
    store = new_store(path)
    store.append(answer("c1"))
    store.compact()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("seen = 1", "seen = 41"), encoding="utf-8")
    store.append(answer("c2"))  # not yet folded: the cache is of the snapshot alone
    journal = store.journal_path.read_bytes()
    edited = path.read_bytes()
    assert new_store(path).record("deck-a", "c1").seen == 41  # parses, and makes the cache
    assert path.read_bytes() == edited and store.journal_path.read_bytes() == journal

    def no_toml(*args: object) -> None:
        raise AssertionError("scores.toml was parsed although the cache matches")

    # Only the first load after the edit is slow: the next ones use the cache made then.
    monkeypatch.setattr("quizapp.store.scorestore.parse_snapshot", no_toml)
    again = new_store(path)
    assert again.record("deck-a", "c1").seen == 41 and again.record("deck-a", "c2").seen == 1
    assert again.warnings == []


def test_a_deleted_cache_is_made_again_by_the_next_load(path: Path, monkeypatch) -> None:
    store = new_store(path)
    store.append(answer("c1"), answer("c2", "wrong", 1))
    store.compact()
    store.cache_path.unlink()
    assert new_store(path).load() == store.scores
    assert store.cache_path.exists()

    def no_toml(*args: object) -> None:
        raise AssertionError("scores.toml was parsed although the cache matches")

    monkeypatch.setattr("quizapp.store.scorestore.parse_snapshot", no_toml)
    assert new_store(path).load() == store.scores


def test_a_load_never_puts_back_the_cache_of_a_snapshot_replaced_meanwhile(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another window compacts while this one parses the old snapshot: the newer
    snapshot's cache (written by that compaction) stays, and is used by the next load."""
    store = new_store(path)
    store.append(answer("c1"))
    store.compact()
    store.cache_path.unlink()
    other = new_store(path)
    other.append(answer("c2"))
    real = ScoreStore._cache_for

    def compacted_meanwhile(self: ScoreStore, snapshot):  # noqa: ANN001, ANN202
        made = real(self, snapshot)
        if self is not other:
            other.compact()
        return made

    monkeypatch.setattr(ScoreStore, "_cache_for", compacted_meanwhile)
    late = new_store(path)
    late.load()
    newer = store.cache_path.read_bytes()
    monkeypatch.setattr(ScoreStore, "_cache_for", real)

    def no_toml(*args: object) -> None:
        raise AssertionError("scores.toml was parsed although the cache matches")

    monkeypatch.setattr("quizapp.store.scorestore.parse_snapshot", no_toml)
    fresh = new_store(path)
    assert fresh.record("deck-a", "c2").seen == 1 and fresh.warnings == []
    assert store.cache_path.read_bytes() == newer


def _no_snapshot_parse(*args: object) -> None:
    raise AssertionError("scores.toml was parsed although the cache matches")


def _broken(good: bytes, how: str) -> bytes:
    """A cache made useless in one of the ways a file goes wrong."""
    from quizapp.store.cache import VERSION

    head, payload = good.split(b"\n", 1)
    return {
        "empty": b"",
        "json of an older quizapp": b'{"cache":2,"snapshot_sha256":"x"}',
        "cut off": good[: len(good) - 7],
        "a byte changed": head + b"\n" + payload[:20] + bytes([payload[20] ^ 1]) + payload[21:],
        "another version": good.replace(b"cache %d " % VERSION, b"cache 99 ", 1),
        "garbage payload": head + b"\n" + b"\xff" * len(payload),
    }[how]


@pytest.mark.parametrize("how", ["empty", "json of an older quizapp", "cut off", "a byte changed",
                                 "another version", "garbage payload"])
def test_a_broken_cache_is_ignored_with_a_speed_only_warning_and_rebuilt(
    path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = new_store(path)
    store.append(answer("c1"), answer("c2", "wrong", 1))
    store.compact()
    good = store.cache_path.read_bytes()
    store.cache_path.write_bytes(_broken(good, how))
    reloaded = new_store(path)
    assert reloaded.record("deck-a", "c1").seen == 1
    assert reloaded.record("deck-a", "c2").wrong == 1
    assert reloaded.recovered == [] and reloaded.notices == []
    [warning] = reloaded.warnings
    assert warning.startswith(f"{store.cache_path}: ") and "only this load was slower" in warning
    # The load that read the TOML made the cache again: the next one is fast and quiet.
    assert reloaded.check() == []
    monkeypatch.setattr("quizapp.store.scorestore.parse_snapshot", _no_snapshot_parse)
    again = new_store(path)
    assert again.load() == store.scores
    assert again.warnings == []


def test_a_cache_does_not_let_a_newer_format_in(path: Path) -> None:
    import hashlib

    from quizapp.models import ScoreFile
    from quizapp.store import cache

    path.parent.mkdir(parents=True)
    snapshot = b"format = 3\n"
    path.write_bytes(snapshot)
    newer = ScoreFile.model_construct(format=3, cards={}, sessions=[], recovered=[])
    new_store(path).cache_path.write_bytes(
        cache.encode(newer, hashlib.sha256(snapshot).hexdigest(), None))
    with pytest.raises(ScoreFileError, match="format: 3 is newer"):
        new_store(path).load()
    assert path.read_bytes() == snapshot


def test_load_of_an_existing_file_writes_nothing(path: Path) -> None:
    store = new_store(path)
    store.append(answer("c1"))
    store.compact()
    store.append(answer("c2"))
    store.lock_path.unlink()
    before = {name: (path.parent / name).read_bytes() for name in files(path.parent)}
    new_store(path).load()
    assert {name: (path.parent / name).read_bytes() for name in files(path.parent)} == before


def test_an_answer_appended_while_compaction_writes_is_carried_over(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compaction does its slow part without the lock: an append in that window survives."""
    import quizapp.store.scorestore as store_module

    store = new_store(path)
    for i in range(3):
        store.append(answer(f"c{i}", minutes=i))
    other = new_store(path)
    real_dump = store_module.dump_scores

    def dump_while_someone_answers(*args, **kwargs):
        other.append(answer("c0", "wrong", 10))
        return real_dump(*args, **kwargs)

    monkeypatch.setattr(store_module, "dump_scores", dump_while_someone_answers)
    store.compact()
    monkeypatch.setattr(store_module, "dump_scores", real_dump)

    assert store.journal_events == 1  # the new journal holds only the late answer
    assert store.record("deck-a", "c0").seen == 2
    reloaded = new_store(path)
    assert {c: r.seen for c, r in reloaded.load().cards["deck-a"].items()} == {
        "c0": 2,
        "c1": 1,
        "c2": 1,
    }
    assert reloaded.journal_events == 1
    new_store(path).compact()
    assert {c: r.seen for c, r in new_store(path).load().cards["deck-a"].items()} == {
        "c0": 2,
        "c1": 1,
        "c2": 1,
    }
    assert not reloaded.journal_path.exists()


def test_a_compaction_that_loses_the_race_starts_over_under_the_lock(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizapp.store.scorestore as store_module

    store = new_store(path)
    for i in range(3):
        store.append(answer(f"c{i}", minutes=i))
    other = new_store(path)
    real_dump = store_module.dump_scores
    calls = []

    def dump_while_another_compacts(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            other.append(answer("c3", minutes=3))
            other.compact()  # finishes first: our snapshot read is now stale
        return real_dump(*args, **kwargs)

    monkeypatch.setattr(store_module, "dump_scores", dump_while_another_compacts)
    store.compact()
    monkeypatch.setattr(store_module, "dump_scores", real_dump)
    # Ours (thrown away: the files changed under it) and the other's; started over under
    # the lock, ours found everything folded already.
    assert len(calls) == 2
    expected = {"c0": 1, "c1": 1, "c2": 1, "c3": 1}
    assert {c: r.seen for c, r in store.scores.cards["deck-a"].items()} == expected
    assert {c: r.seen for c, r in new_store(path).load().cards["deck-a"].items()} == expected


def test_ids_with_quotes_brackets_and_control_characters_round_trip(path: Path) -> None:
    """Ids are data: whatever the events carry is written as TOML strings and read back."""
    odd = [
        "[bold]x[/]",
        'say "hi"',
        "tab\tnew\nline",
        "esc\x1b[31m",
        "[@click=app.quit]",
        "ünï ✓",
        "a.b.c",
    ]
    store = new_store(path)
    for i, name in enumerate(odd):
        store.append(AnswerEvent(deck=name, card=name, session=name, at=at(i), result="right"))
        store.append(
            SessionEvent(
                session=SessionRecord(id=name, deck=name, mode=name, start=at(i), missed=[name])
            )
        )
    store.compact()
    reloaded = new_store(path)
    scores = reloaded.load()
    assert scores == store.scores
    assert set(scores.cards) == set(odd)
    assert [s.missed for s in scores.sessions] == [[name] for name in odd]
    assert reloaded.recovered == []
    # And through the TOML, not only the cache.
    reloaded.cache_path.unlink()
    assert new_store(path).load() == store.scores


def test_an_entry_half_written_when_compaction_reads_is_not_lost(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compaction reads without the lock, so it may see another process's entry half written.
    That entry is finished (and acknowledged) before compaction takes the lock: it must count."""
    import quizapp.store.scorestore as store_module

    store = new_store(path)
    store.append(answer("c1"))
    store.append(answer("c2", minutes=1))
    late = store_module.journal_entry(answer("c3", "wrong", 2))
    half = len(late) // 2
    with store.journal_path.open("ab") as handle:  # a writer in the middle of its os.write
        handle.write(late[:half])
    real_dump = store_module.dump_scores

    def dump_while_the_writer_finishes(*args, **kwargs):
        with store.journal_path.open("ab") as handle:
            handle.write(late[half:])
        return real_dump(*args, **kwargs)

    monkeypatch.setattr(store_module, "dump_scores", dump_while_the_writer_finishes)
    store.compact()
    monkeypatch.setattr(store_module, "dump_scores", real_dump)
    expected = {"c1": (1, 0), "c2": (1, 0), "c3": (1, 1)}
    for reader in (store.scores, new_store(path).load()):
        assert {c: (r.seen, r.wrong) for c, r in reader.cards["deck-a"].items()} == expected
    new_store(path).compact()
    loaded = new_store(path).load()
    assert {c: (r.seen, r.wrong) for c, r in loaded.cards["deck-a"].items()} == expected


def test_a_dead_writers_fragment_is_dropped_at_compaction(path: Path) -> None:
    store = new_store(path)
    store.append(answer("c1"))
    store.append(answer("c2", minutes=1))
    with store.journal_path.open("ab") as handle:
        handle.write(b'[[events]]\ntype = "answer"\ndeck = "de')
    store.compact()
    assert not store.journal_path.exists()
    assert set(new_store(path).load().cards["deck-a"]) == {"c1", "c2"}


def test_an_answer_recorded_while_another_thread_reloads_stays_in_memory(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizapp.store.scorestore as store_module

    store = new_store(path)
    store.append(answer("c1"))
    real_parse = store_module.parse_journal
    calls = []

    def parse_while_the_ui_answers(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # the reload has read the journal; now the UI records an answer
            store.append(SuspendEvent(deck="deck-a", card="c1", at=at(1), suspended=True))
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(store_module, "parse_journal", parse_while_the_ui_answers)
    store.load()
    assert store.record("deck-a", "c1").suspended is True
    assert store.journal_events == 2


@pytest.mark.parametrize("where", ["tail", "middle"])
def test_fragments_of_several_killed_writers_in_a_row_are_skipped(path: Path, where: str) -> None:
    """Found by the stress run: a writer killed after "[[event", the next one killed too."""
    store = new_store(path)
    store.append(answer("c1"))
    with store.journal_path.open("ab") as handle:
        handle.write(b"[[event")
    store.append(answer("c2", minutes=1))  # puts itself on a new line after the fragment
    with store.journal_path.open("ab") as handle:
        handle.write(b'[[event\n[[events]]\ntype = "a\n[')
    if where == "middle":
        store.append(answer("c3", minutes=2))
    reloaded = new_store(path)
    expected = {"c1", "c2"} | ({"c3"} if where == "middle" else set())
    assert set(reloaded.load().cards["deck-a"]) == expected
    assert reloaded.recovered == []
    reloaded.compact()
    assert set(new_store(path).load().cards["deck-a"]) == expected


def test_several_events_in_one_append_are_all_kept(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from quizapp.models import AnswerEvent, SessionEvent, SessionRecord

    at = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    store = ScoreStore(tmp_path / "scores.toml")
    store.append(
        AnswerEvent(deck="d", card="c", session="s1", at=at, result="right"),
        SessionEvent(session=SessionRecord(id="s1", deck="d", mode="order", start=at, score=1,
                                           total=1)),
    )
    fresh = ScoreStore(tmp_path / "scores.toml").load()
    assert fresh.cards["d"]["c"].right == 1
    assert [(x.id, x.score, x.total) for x in fresh.sessions] == [("s1", 1, 1)]
