"""Big collections: nothing is written that cannot be read back, and a parsed deck is
cached in the user cache folder without ever standing in for an edited file.

(Speed is measured by ``python -m quizapp.bench``, never asserted here.)"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp import deckindex, decks
from quizapp.cli import main
from quizapp.decks import DeckCache, DeckError, load_deck_cached, parse_deck, write_deck
from quizapp.models import AnswerEvent, Card, CardRecord, Deck, DeckInfo, ScoreFile
from quizapp.paths import Locations, cache_dir
from quizapp.store import COMPACT_AFTER, ScoreFileError, ScoreStore, dump_scores

DECK = """\
format = 1

[deck]
id = "cached"
title = "Cached"

[[cards]]
id = "c1"
kind = "text"
question = "Capital of France?"
answer = "Paris"
"""


def make_deck(n: int, text: str = "x" * 50) -> Deck:
    cards = [Card(id=f"card-{i}", kind="flip", question=f"{text} {i}?", answer=f"answer {i}")
             for i in range(n)]
    return Deck(deck=DeckInfo(id="big", title="Big"), cards=cards)


def fresh_memory() -> None:
    """Forget the decks parsed in this process (as a new run would)."""
    decks._CACHE.clear()
    decks._WRITTEN.clear()
    decks._NOTICES.clear()


# --------------------------------------------------------------------------- writers


def test_write_deck_refuses_a_deck_the_reader_would_refuse(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(decks, "MAX_DECK_BYTES", 4000)
    path = tmp_path / "big.toml"
    small = make_deck(3)
    write_deck(small, path)
    before = path.read_bytes()
    with pytest.raises(DeckError) as caught:
        write_deck(make_deck(100), path)
    [problem] = caught.value.problems
    assert problem.startswith(f"{path}: file is ")
    assert "a deck may be at most" in problem
    assert path.read_bytes() == before  # the old deck is untouched
    assert decks.load_deck(path) == small


def test_deck_import_refuses_a_deck_too_big_to_read_and_writes_nothing(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    """The CSV is small enough to import, but the deck it makes would be over the limit
    (the issue's 'imported 100000 cards' that then never loaded)."""
    monkeypatch.setattr(decks, "MAX_DECK_BYTES", 8000)
    table = tmp_path / "cards.csv"
    table.write_text("question,answer\n" + "".join(
        f"question number {i} about something,answer {i}\n" for i in range(100)), encoding="utf-8")
    assert table.stat().st_size < 8000
    assert main(["deck", "import", str(table), "--id", "imported"]) == 1
    err = capsys.readouterr().err
    assert "imported.toml: file is " in err and "a deck may be at most" in err
    user_decks = Locations.from_env().user_decks
    assert not user_decks.exists() or list(user_decks.iterdir()) == []


def test_deck_text_over_the_limit_is_refused_when_parsed(monkeypatch) -> None:
    monkeypatch.setattr(decks, "MAX_DECK_BYTES", len(DECK) - 1)
    with pytest.raises(DeckError) as caught:
        parse_deck(DECK, "d.toml")
    assert caught.value.problems == [
        f"d.toml: file is {len(DECK):,} bytes; a deck may be at most {len(DECK) - 1:,} bytes"]


def test_a_written_deck_reads_back_whatever_its_size() -> None:
    deck = make_deck(2000, text="long text " * 20)
    text = decks.dump_deck(deck)
    assert parse_deck(text, "again.toml") == deck


# --------------------------------------------------------------------------- deck cache


def test_a_deck_is_parsed_once_then_read_from_the_cache(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "cached.toml"
    path.write_text(DECK, encoding="utf-8")
    first = load_deck_cached(path)
    entries = list((cache_dir() / "decks").glob("*.deck"))
    assert len(entries) == 1
    assert entries[0].stat().st_mode & 0o077 == 0  # private

    fresh_memory()

    def no_parsing(*args, **kwargs):
        raise AssertionError("the deck was parsed again")

    monkeypatch.setattr(decks, "parse_deck", no_parsing)
    assert load_deck_cached(path) == first


def test_an_imported_deck_is_not_parsed_again_by_the_next_start(tmp_path: Path, monkeypatch,
                                                                capsys) -> None:
    """``deck import`` reads the deck it wrote back (to be sure it loads): that reading is
    kept in the deck cache, so the first start after importing 100,000 cards does not
    parse them again. A change to the file made since is still seen."""
    table = tmp_path / "cards.csv"
    table.write_text("question,answer\n" + "".join(
        f"question number {i}?,answer {i}\n" for i in range(50)), encoding="utf-8")
    assert main(["deck", "import", str(table), "--id", "imported"]) == 0
    capsys.readouterr()
    where = Locations.from_env()
    path = where.user_decks / "imported.toml"
    fresh_memory()
    real = decks.parse_deck

    def no_parsing(*args, **kwargs):
        raise AssertionError("the deck was parsed again")

    monkeypatch.setattr(decks, "parse_deck", no_parsing)
    assert [g.summary.cards for g in decks.survey(where) if g.id == "imported"] == [50]
    deck = load_deck_cached(path)
    assert len(deck.cards) == 50 and deck.cards[7].answer == "answer 7"
    fresh_memory()
    monkeypatch.setattr(decks, "parse_deck", real)
    path.write_text(path.read_text(encoding="utf-8").replace('"answer 7"', '"changed"'),
                    encoding="utf-8")
    assert load_deck_cached(path).cards[7].answer == "changed"


def test_a_touched_deck_keeps_its_cache_entry_without_making_its_cards_again(
        tmp_path: Path, monkeypatch) -> None:
    """Same bytes, new identity (copied back, touched, saved unchanged): the deck comes
    from its entry, and the entry is written again for the new identity by copying its
    cards as they are (making them again cost a second at 100,000 cards)."""
    path = tmp_path / "cached.toml"
    path.write_text(DECK, encoding="utf-8")
    first = load_deck_cached(path)
    fresh_memory()
    os.utime(path, ns=(10**18, 10**18))  # touched: long settled by the next read

    def no_making(*args, **kwargs):
        raise AssertionError("made again")

    chunk = DeckCache.__dict__["_chunk"]
    monkeypatch.setattr(decks, "parse_deck", no_making)
    monkeypatch.setattr(DeckCache, "_chunk", staticmethod(no_making))
    assert load_deck_cached(path) == first
    monkeypatch.setattr(decks, "parse_deck", parse_deck)
    monkeypatch.setattr(DeckCache, "_chunk", chunk)
    head = DeckCache().head(path.resolve())
    assert head is not None and head.stamp == deckindex.identity(path.stat())
    fresh_memory()
    assert load_deck_cached(path) == first  # from the rewritten entry, settled: no read
    [entry] = (cache_dir() / "decks").glob("*.deck")
    entry.write_bytes(entry.read_bytes().replace(b"Paris", b"Parix"))
    fresh_memory()
    os.utime(path, ns=(10**18 + 10**9, 10**18 + 10**9))
    assert load_deck_cached(path).cards[0].answer == "Paris"  # damaged: parsed, made again
    fresh_memory()
    assert b"Paris" in entry.read_bytes() and load_deck_cached(path) == first


def test_a_hand_edit_invalidates_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "cached.toml"
    path.write_text(DECK, encoding="utf-8")
    assert load_deck_cached(path).cards[0].answer == "Paris"
    fresh_memory()
    # Same size, same mtime: only the content tells the edit apart.
    stat = path.stat()
    path.write_text(DECK.replace("Paris", "Lyonn"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert load_deck_cached(path).cards[0].answer == "Lyonn"
    fresh_memory()
    path.write_text(DECK.replace('answer = "Paris"', 'answr = "Paris"'), encoding="utf-8")
    with pytest.raises(DeckError) as caught:
        load_deck_cached(path)
    assert caught.value.problems[0].startswith(f"{path}:")


def test_a_broken_deck_keeps_its_verdict_until_it_is_edited(tmp_path: Path, monkeypatch) -> None:
    """A deck file with a mistake is told once: the next run (a start, ``deck validate``)
    says the same lines without parsing it again (a 100k-card deck with one typo cost
    every start its whole check), named as the caller names the file; any edit of it is
    seen, and the kept verdict is never the truth: deleting the cache only costs time."""
    monkeypatch.setattr(deckindex, "SETTLED_NS", 0)  # every file counts as settled at once
    path = tmp_path / "broken.toml"
    path.write_text(DECK.replace('answer = "Paris"', 'kidn = "Paris"'), encoding="utf-8")
    with pytest.raises(DeckError) as first:
        load_deck_cached(path)
    told = first.value.problems
    assert told == [f"{path}:7: cards[0].answer: required field is missing",
                    f"{path}:11: cards[0].kidn: unknown field"]
    fresh_memory()
    real_parse = decks.parse_deck

    def no_parsing(*args, **kwargs):
        raise AssertionError("the deck was parsed again")

    monkeypatch.setattr(decks, "parse_deck", no_parsing)
    with pytest.raises(DeckError) as again:
        load_deck_cached(path)
    assert again.value.problems == told
    # Named as the caller names it (a relative path from ``deck validate``).
    monkeypatch.chdir(tmp_path)
    fresh_memory()
    with pytest.raises(DeckError) as relative:
        load_deck_cached(Path("broken.toml"))
    assert relative.value.problems == [line.replace(str(path), "broken.toml") for line in told]
    # A hand edit of the same size and mtime is seen (its ctime changed).
    stat = path.stat()
    path.write_text(DECK.replace('answer = "Paris"', 'kidz = "Paris"'), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    monkeypatch.setattr(decks, "parse_deck", real_parse)
    fresh_memory()
    with pytest.raises(DeckError) as edited:
        load_deck_cached(path)
    assert edited.value.problems == [line.replace("kidn", "kidz") for line in told]
    path.write_text(DECK, encoding="utf-8")  # mended: a deck again
    fresh_memory()
    assert load_deck_cached(path).cards[0].answer == "Paris"
    path.write_text(DECK.replace('answer = "Paris"', 'kidn = "Paris"'), encoding="utf-8")
    fresh_memory()
    with pytest.raises(DeckError):
        load_deck_cached(path)
    DeckCache().clear()
    fresh_memory()
    with pytest.raises(DeckError) as cleared:
        load_deck_cached(path)
    assert cleared.value.problems == told


def test_the_cache_is_safe_to_delete_or_damage(tmp_path: Path) -> None:
    path = tmp_path / "cached.toml"
    path.write_text(DECK, encoding="utf-8")
    deck = load_deck_cached(path)
    [entry] = (cache_dir() / "decks").glob("*.deck")
    entry.write_bytes(b"not a pickle")
    fresh_memory()
    assert load_deck_cached(path) == deck
    DeckCache().clear()
    assert list((cache_dir() / "decks").glob("*.deck")) == []
    fresh_memory()
    assert load_deck_cached(path) == deck


def test_a_damaged_card_in_the_cache_is_never_shown_and_the_entry_is_made_again(
    tmp_path: Path,
) -> None:
    """One byte of a card's text flipped in the cache: the deck comes from the file, as
    written, the entry is rebuilt, and the one thing said is that it cost time; a file
    that is no cache entry at all is treated the same."""
    folder = tmp_path / "decks"
    folder.mkdir()
    path = folder / "cached.toml"
    path.write_text(DECK, encoding="utf-8")
    where = Locations(scores=tmp_path / "scores.toml", user_decks=tmp_path / "none",
                      bundled_decks=tmp_path / "none", extra_decks=(folder,),
                      settings=tmp_path / "settings.toml")
    fresh_memory()
    assert decks.discover(where).notices == []
    [entry] = (cache_dir() / "decks").glob("*.deck")
    data = entry.read_bytes()
    assert data.count(b"Paris") == 1
    for damage in (data.replace(b"Paris", b"Parix"), b"PK\x03\x04 something else"):
        entry.write_bytes(damage)
        fresh_memory()
        catalog = decks.discover(where)
        assert catalog.get("cached").deck.cards[0].answer == "Paris"
        assert catalog.problems == []
        [notice] = catalog.notices
        assert notice.startswith(f"{path.resolve()}: its deck cache entry was ")
        assert notice.endswith("made again (this start was only slower)")
        assert b"Paris" in entry.read_bytes()  # rebuilt
        fresh_memory()
        catalog = decks.discover(where)
        assert catalog.get("cached").deck.cards[0].answer == "Paris"
        assert catalog.notices == []


def test_a_settled_deck_is_not_read_again_but_any_edit_of_it_is_seen(
    tmp_path: Path, monkeypatch
) -> None:
    """A deck file untouched for a while loads from the cache without being read (its
    identity says enough); an edit that keeps its size and mtime still changes its ctime,
    and is seen."""
    monkeypatch.setattr(deckindex, "SETTLED_NS", 0)  # every file counts as settled at once
    path = tmp_path / "cached.toml"
    path.write_text(DECK, encoding="utf-8")
    first = load_deck_cached(path)
    fresh_memory()
    real_read = decks.read_deck_bytes

    def not_read(*args, **kwargs):
        raise AssertionError("the deck file was read again")

    monkeypatch.setattr(decks, "read_deck_bytes", not_read)
    assert load_deck_cached(path) == first
    monkeypatch.setattr(decks, "read_deck_bytes", real_read)
    stat = path.stat()
    path.write_text(DECK.replace("Paris", "Lyonn"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    fresh_memory()
    assert load_deck_cached(path).cards[0].answer == "Lyonn"
    path.write_text(DECK.replace("Paris", "Romee"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert load_deck_cached(path).cards[0].answer == "Romee"  # in memory too


def test_a_cache_entry_for_another_file_or_writable_by_others_is_not_used(tmp_path: Path) -> None:
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    one.write_text(DECK, encoding="utf-8")
    two.write_text(DECK.replace("Paris", "Rome"), encoding="utf-8")
    load_deck_cached(one)
    cache = DeckCache()
    # Put one's entry where two's would be: its header names the other file, so a miss.
    cache.entry_path(two.resolve()).write_bytes(cache.entry_path(one.resolve()).read_bytes())
    fresh_memory()
    assert load_deck_cached(two).cards[0].answer == "Rome"
    entry = cache.entry_path(one.resolve())
    digest = hashlib.sha256(one.read_bytes()).hexdigest()
    entry.chmod(0o666)
    assert cache.get(one.resolve(), digest) is None
    entry.chmod(0o600)
    assert cache.get(one.resolve(), digest) is not None


def test_discover_sees_a_deck_edited_after_it_was_cached(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    path = folder / "cached.toml"
    path.write_text(DECK, encoding="utf-8")
    monkeypatch.setenv("QUIZAPP_DECKS", str(folder))
    catalog = decks.discover(Locations.from_env())
    assert catalog.get("cached").deck.deck.title == "Cached"
    path.write_text(DECK.replace('title = "Cached"', 'title = "Edited"'), encoding="utf-8")
    fresh_memory()
    assert decks.discover(Locations.from_env()).get("cached").deck.deck.title == "Edited"


# --------------------------------------------------------------------------- compaction


def _answer(card: str, minute: int) -> AnswerEvent:
    return AnswerEvent(deck="d", card=card, session="s", result="right",
                       at=datetime(2026, 11, 28, 10, tzinfo=UTC) + timedelta(minutes=minute))


def _snapshot_with(path: Path, records: int) -> None:
    cards = {f"c{i}": CardRecord(seen=1, right=1, streak=1) for i in range(records)}
    path.write_text(dump_scores(ScoreFile(cards={"d": cards})), encoding="utf-8")


def test_compaction_waits_until_the_journal_is_big_next_to_the_snapshot(tmp_path: Path) -> None:
    small, big = tmp_path / "small.toml", tmp_path / "big.toml"
    _snapshot_with(small, 10)
    _snapshot_with(big, 20_000)
    for path in (small, big):
        store = ScoreStore(path)
        store.append(*(_answer(f"c{i}", i) for i in range(COMPACT_AFTER)))
        if path is small:
            assert store.compaction_due()  # a tiny snapshot: fold at the usual count
        else:
            assert not store.compaction_due()  # a 20,000-card one: not after 500 answers
            assert not store.maybe_compact()
            assert store.journal_path.exists()
            while store.journal_path.stat().st_size * 10 < path.stat().st_size:
                store.append(*(_answer(f"c{i}", i) for i in range(COMPACT_AFTER)))
            assert store.compaction_due()


def test_compaction_in_another_process_keeps_every_answer(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "scores.toml"
    _snapshot_with(path, 5)
    store = ScoreStore(path)
    store.append(*(_answer(f"c{i}", i) for i in range(8)))
    store.compact_elsewhere()
    assert not store.journal_path.exists()  # folded in
    assert store.journal_events == 0
    on_disk = ScoreStore(path).load()
    assert on_disk.cards == store.scores.cards
    assert on_disk.cards["d"]["c3"].seen == 2
    assert on_disk.cards["d"]["c7"].seen == 1

    # The store knows the new files: the next answer does not read the snapshot again.
    def no_reading(*args, **kwargs):
        raise AssertionError("the snapshot was read again")

    monkeypatch.setattr(store, "_read_files", no_reading)
    store.append(_answer("c0", 100))
    assert ScoreStore(path).load().cards["d"]["c0"].seen == 3


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="no idle scheduling class here")
def test_the_compactor_never_holds_the_lock_at_idle_priority(tmp_path: Path, monkeypatch) -> None:
    """The compactor folds at idle priority (a woken screen preempts it at once), but an
    answer in the app waits for the score file's lock: a compactor starved of the CPU
    while it holds the lock would keep that answer waiting. The lock is taken only at
    normal priority, and every answer is folded in."""
    from quizapp.store import compactor, files

    path = tmp_path / "scores.toml"
    _snapshot_with(path, 5)
    ScoreStore(path).append(*(_answer(f"c{i}", i) for i in range(8)))
    policies: list[tuple[str, int]] = []
    real_locked, real_read = files.locked, ScoreStore._read_files

    def locked(*args, **kwargs):
        policies.append(("lock", os.sched_getscheduler(0)))
        return real_locked(*args, **kwargs)

    def read_files(self, *args, **kwargs):
        policies.append(("read", os.sched_getscheduler(0)))
        return real_read(self, *args, **kwargs)

    monkeypatch.setattr(files, "locked", locked)
    monkeypatch.setattr(ScoreStore, "_read_files", read_files)
    monkeypatch.setattr(os, "nice", lambda _n: 0)  # the test process keeps its priority
    assert compactor.main([str(path)]) == 0
    assert ("read", os.SCHED_IDLE) in policies
    assert [p for what, p in policies if what == "lock"] == [os.SCHED_OTHER]
    assert not ScoreStore(path).journal_path.exists()
    assert ScoreStore(path).load().cards["d"]["c3"].seen == 2


def test_another_windows_compaction_is_read_ahead_so_the_next_answer_reads_no_snapshot(
        tmp_path: Path, monkeypatch) -> None:
    """Another window answers and compacts: this window reads the new files in a thread
    (``read_ahead``), so its next session start and answer (``catch_up`` and ``append``
    on the screen's thread) read no snapshot, and every answer of both windows counts."""
    path = tmp_path / "scores.toml"
    _snapshot_with(path, 5)
    here, there = ScoreStore(path), ScoreStore(path)
    here.load()
    assert not here.snapshot_changed() and not here.read_ahead()  # nothing new: no read
    there.append(_answer("c1", 1), _answer("c2", 2))
    assert not here.snapshot_changed()  # only the journal grew: catch_up reads its tail
    there.compact()
    assert here.snapshot_changed()
    assert here.read_ahead()
    assert not here.snapshot_changed()
    assert here.scores.cards["d"]["c1"].seen == 2  # the other window's answer

    def no_reading(*args, **kwargs):
        raise AssertionError("the snapshot was read on the screen's thread")

    with monkeypatch.context() as mp:  # (undo() alone would undo the isolated home too)
        mp.setattr(here, "_read_files", no_reading)
        there.append(_answer("c3", 3))
        assert here.catch_up()  # the journal's new tail only
        here.append(_answer("c1", 4))
    on_disk = ScoreStore(path).load()
    assert on_disk.cards == here.scores.cards
    assert [on_disk.cards["d"][c].seen for c in ("c1", "c2", "c3")] == [3, 2, 2]


def test_a_hand_edit_with_a_mistake_is_refused_by_read_ahead_once_and_memory_kept(
        tmp_path: Path) -> None:
    """QA 14:03: a mistake in a hand edit of scores.toml made the app's read-ahead worker
    fail (the app died with a traceback). It raises the one-line error once, keeps the
    scores in memory, and does not read that file again until it changes."""
    path = tmp_path / "scores.toml"
    _snapshot_with(path, 3)
    here = ScoreStore(path)
    here.load()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("seen = 1", "sene = 1", 1), encoding="utf-8")
    assert here.snapshot_changed()
    with pytest.raises(ScoreFileError) as caught:
        here.read_ahead()
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    assert not here.snapshot_changed() and not here.read_ahead()  # not again and again
    assert here.scores.cards["d"]["c0"].seen == 1
    path.write_text(text.replace("seen = 1", "seen = 4", 1), encoding="utf-8")  # put right
    assert here.read_ahead() and here.scores.cards["d"]["c0"].seen == 4


def test_an_answer_given_while_the_files_are_read_ahead_is_kept(tmp_path: Path, monkeypatch
                                                                 ) -> None:
    """This window answers while it reads another window's compaction: the answer is not
    lost from memory by the files read before it (they are read again)."""
    path = tmp_path / "scores.toml"
    _snapshot_with(path, 5)
    here, there = ScoreStore(path), ScoreStore(path)
    here.load()
    there.append(_answer("c1", 1))
    there.compact()
    real_read = ScoreStore._read_files
    reads = []

    def read_then_answer(self, *args, **kwargs):
        read = real_read(self, *args, **kwargs)
        reads.append(read)
        if len(reads) == 1:
            # The screen's thread records an answer meanwhile (it catches up by itself).
            monkeypatch.setattr(ScoreStore, "_read_files", real_read)
            here.append(_answer("c4", 5))
            monkeypatch.setattr(ScoreStore, "_read_files", read_then_answer)
        return read

    monkeypatch.setattr(ScoreStore, "_read_files", read_then_answer)
    assert here.read_ahead()
    assert here.scores.cards["d"]["c4"].seen == 2 and here.scores.cards["d"]["c1"].seen == 2
    assert ScoreStore(path).load().cards == here.scores.cards


def test_an_answer_late_in_a_long_session_writes_no_more_than_an_early_one(tmp_path: Path
                                                                           ) -> None:
    """QA 13:04: each answer's journal entry carried the session's whole list of missed
    cards, so a long session's journal grew with the square of its answers (37 MB after
    3,155 answers on the 100k deck). An entry now carries only the names missed since;
    the session's record on file still lists every missed card, in order, also through
    an undo, a compaction in between and a fresh read."""
    from quizapp.session import Session

    cards = [Card(id=f"c{i}", kind="text", question=f"Q{i}?", answer=f"A{i}") for i in range(300)]
    big = Deck(deck=DeckInfo(id="d", title="Long"), cards=cards)
    path = tmp_path / "scores.toml"
    store = ScoreStore(path)
    clock = iter(datetime(2026, 11, 28, 10, tzinfo=UTC) + timedelta(seconds=s)
                 for s in range(10_000))
    session = Session.for_deck(big, recorder=store, now=lambda: next(clock), seed=1)
    entry_bytes = []
    for n in range(300):
        before = store.journal_path.stat().st_size if store.journal_path.exists() else 0
        session.answer("wrong")
        entry_bytes.append(store.journal_path.stat().st_size - before)
        if n == 150:
            store.compact()  # the record on file is whole in the snapshot; later ones add to it
        if n == 299:
            session.undo()  # the last miss taken back: the list on file loses it
            session.answer("still wrong")
        session.advance()
    assert max(entry_bytes[250:290]) <= min(entry_bytes[10:50]) + 40  # a longer name at most
    record = session.finish()
    assert record.missed == [f"c{i}" for i in range(300)]
    for scores in (store.scores, ScoreStore(path).load()):
        [on_file] = scores.sessions
        assert on_file.missed == record.missed and on_file.score == 0 and on_file.total == 300


def test_an_answer_late_in_a_long_session_looks_at_no_more_steps_than_an_early_one() -> None:
    """QA 13:27: a plain session of 12,000 questions went from 100 questions a second to
    30: the score, the cards answered and the missed cards were counted again over every
    earlier answer at each answer. They are kept as answers are given and taken back; an
    undo and the numbers still agree with the answers."""
    from quizapp.session import Session

    class Steps(list):
        looked_at = 0

        def __iter__(self):
            Steps.looked_at += len(self)
            return super().__iter__()

    cards = [Card(id=f"c{i}", kind="text", question=f"Q{i}?", answer=f"A{i}") for i in range(400)]
    session = Session.for_deck(Deck(deck=DeckInfo(id="d", title="Long"), cards=cards), seed=1)
    session._steps = Steps()
    looked_at = []
    for n in range(400):
        before = Steps.looked_at
        session.answer(f"A{n}" if n % 2 else "wrong")
        session.session_record()
        looked_at.append(Steps.looked_at - before)
        if n == 398:  # a miss taken back, and answered right
            session.undo()
            session.answer("A398")
        session.advance()
    assert max(looked_at[300:]) <= max(looked_at[:10])
    record = session.finish()
    assert (record.score, record.total) == (201, 400)
    assert record.missed == [f"c{i}" for i in range(0, 398, 2)]


def test_a_review_of_many_missed_cards_looks_at_no_more_of_its_queue_late_than_early() -> None:
    """QA 14:10: in a review of 95,000 missed cards each answer took 1.5-2.5 s: the
    progress line counted every card's round over the whole queue several times per
    answer. The rounds are kept as the queue grows and shrinks; the counts still agree."""
    from quizapp.session import Item, Session

    class Queue(list):
        looked_at = 0

        def __iter__(self):
            Queue.looked_at += len(self)
            return super().__iter__()

        def __getitem__(self, index):
            Queue.looked_at += 1
            return super().__getitem__(index)

    cards = [Card(id=f"c{i}", kind="text", question=f"Q{i}?", answer=f"A{i}") for i in range(600)]
    session = Session([Item("d", c) for c in cards], deck_label="d", mode="review",
                      rounds=True, seed=1)
    session._queue = Queue(session._queue)
    looked_at = []
    for n in range(600):
        before = Queue.looked_at
        session.answer(f"A{n}" if n % 3 else "wrong")
        session.progress, session.round
        looked_at.append(Queue.looked_at - before)
        session.advance()
    assert max(looked_at[500:]) <= max(looked_at[:20])
    assert session.round == 2 and session.progress == (1, 200, 0)


def test_compaction_in_another_process_reports_a_file_it_cannot_use(tmp_path: Path) -> None:
    path = tmp_path / "scores.toml"
    _snapshot_with(path, 2)
    store = ScoreStore(path)
    store.append(_answer("c0", 1))
    path.write_text(path.read_text(encoding="utf-8").replace("format = 2", "format = 99"),
                    encoding="utf-8")
    with pytest.raises(ScoreFileError) as caught:
        store.compact_elsewhere()
    assert str(path) in str(caught.value) and "newer" in str(caught.value)
    assert store.journal_path.exists()  # the answer is still there


def test_cards_of_a_cached_deck_share_equal_lists_that_nobody_can_change(tmp_path: Path) -> None:
    """Equal tags (and empty lists) are one list for the whole deck: changing it in place
    through one card, which would change every card, is refused; a copy is a new card."""
    path = tmp_path / "shared.toml"
    write_deck(Deck(deck=DeckInfo(id="shared", title="Shared"), cards=[
        Card(id=f"c{i}", kind="flip", question=f"Q{i}?", answer="A", tags=["geo", "eu"])
        for i in range(3)]), path)
    for deck in (load_deck_cached(path), (fresh_memory(), load_deck_cached(path))[1]):
        first, second = deck.cards[0], deck.cards[1]
        assert first.tags == ["geo", "eu"] and first.tags is second.tags
        with pytest.raises(TypeError):
            first.tags.append("asia")
        changed = first.model_copy(update={"tags": [*first.tags, "asia"]})
        assert changed.tags == ["geo", "eu", "asia"] and second.tags == ["geo", "eu"]
        assert parse_deck(decks.dump_deck(deck), "again.toml") == deck


def test_the_index_shows_decks_without_loading_them_and_only_while_it_is_true(
    tmp_path: Path, monkeypatch
) -> None:
    """survey() gives each deck's title and counts from the deck cache alone; once a deck
    file is edited, or a broken deck joins the folder, it gives nothing (home then waits
    for the decks to load, which see the edit and report the problem)."""
    monkeypatch.setattr(deckindex, "SETTLED_NS", 0)
    folder = tmp_path / "decks"
    folder.mkdir()
    path = folder / "cached.toml"
    path.write_text(DECK, encoding="utf-8")
    where = Locations(scores=tmp_path / "scores.toml", user_decks=tmp_path / "none",
                      bundled_decks=tmp_path / "none", extra_decks=(folder,),
                      settings=tmp_path / "settings.toml")
    assert decks.survey(where) is None  # never loaded: nothing to show from
    decks.discover(where)
    fresh_memory()

    def not_loaded(*args, **kwargs):
        raise AssertionError("a deck was loaded")

    with monkeypatch.context() as mp:  # (undo() alone would undo the isolated home too)
        mp.setattr(decks, "load_deck_cached", not_loaded)
        [glimpse] = decks.survey(where)
        assert (glimpse.id, glimpse.summary.title, glimpse.summary.asked) == ("cached", "Cached", 1)
        mp.setattr(deckindex, "SETTLED_NS", 10**18)  # cached just after it was written:
        assert [g.summary.title for g in decks.survey(where)] == ["Cached"]  # hashed, still shown
        mp.setattr(deckindex, "SETTLED_NS", 0)
        assert glimpse.digest == hashlib.sha256(path.read_bytes()).hexdigest()
        path.write_text(DECK.replace('title = "Cached"', 'title = "Edited"'), encoding="utf-8")
        assert decks.survey(where) is None
    monkeypatch.setattr(deckindex, "SETTLED_NS", 0)
    decks.discover(where)
    assert [g.summary.title for g in decks.survey(where)] == ["Edited"]
    (folder / "broken.toml").write_text("format = 1\n[deck\n", encoding="utf-8")
    assert decks.survey(where) is None


def test_the_index_shows_the_good_decks_beside_a_broken_one_and_its_kept_problems(
    tmp_path: Path, monkeypatch
) -> None:
    """glance() (what home draws at once) shows the decks the deck cache vouches for even
    when another file is broken: a file it cannot vouch for (new, edited) is listed as
    still to be read, and once read, its problems are listed from the kept verdict,
    without reading the file."""
    monkeypatch.setattr(deckindex, "SETTLED_NS", 0)
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "cached.toml").write_text(DECK, encoding="utf-8")
    where = Locations(scores=tmp_path / "scores.toml", user_decks=tmp_path / "none",
                      bundled_decks=tmp_path / "none", extra_decks=(folder,),
                      settings=tmp_path / "settings.toml")
    decks.discover(where)
    broken = folder / "typo.toml"
    broken.write_text(DECK.replace('id = "cached"', 'id = "typo"').replace("answer", "kidn"),
                      encoding="utf-8")
    seen = decks.glance(where)
    assert [g.id for g in seen.glimpses] == ["cached"]
    assert seen.unread == [broken] and seen.problems == [] and seen.big == []  # (small)
    told = decks.discover(where).problems
    assert told and all(line.startswith(f"{broken}:") for line in told)
    fresh_memory()
    monkeypatch.setattr(decks, "load_deck_cached", lambda *a: pytest.fail("a deck was loaded"))
    seen = decks.glance(where)
    assert [g.id for g in seen.glimpses] == ["cached"]
    assert seen.unread == [] and seen.problems == told
    assert decks.survey(where) is None  # (not every file is a deck: commands load them)


def test_a_big_deck_parsed_in_pieces_reads_exactly_as_parsed_whole(monkeypatch) -> None:
    """A big deck is parsed a piece at a time (so the screen is not frozen meanwhile); it
    must read exactly as the whole text does, and a text whose pieces would not (a header
    line inside a multi-line string, the deck table after the cards) is parsed whole."""
    monkeypatch.setattr(decks, "PIECE_BYTES", 300)
    plain = decks.dump_deck(make_deck(40))
    tricky = plain.replace('question = "x', 'question = """Which line\n[[cards]]\nis not a '
                           'table?"""\nexplanation = "x', 5)
    moved = plain.replace('[deck]\nid = "big"\ntitle = "Big"\n', "") + (
        '\n[deck]\nid = "big"\ntitle = "Big"\n')
    for text in (plain, tricky, moved):
        in_pieces = parse_deck(text, "d.toml")
        monkeypatch.setattr(decks, "PIECE_BYTES", 10**9)
        assert in_pieces == parse_deck(text, "d.toml")
        monkeypatch.setattr(decks, "PIECE_BYTES", 300)
    assert parse_deck(tricky, "d.toml").cards[0].question.startswith("Which line\n[[cards]]")
    broken = plain.replace('answer = "answer 30"', 'answr = "answer 30"')
    with pytest.raises(DeckError) as caught:
        parse_deck(broken, "d.toml")
    line = broken.splitlines().index('answr = "answer 30"') + 1
    assert f"d.toml:{line}: cards[30].answr: unknown field" in caught.value.problems
    monkeypatch.setattr(decks, "PIECE_BYTES", 10**9)
    with pytest.raises(DeckError) as whole:
        parse_deck(broken, "d.toml")
    assert caught.value.problems == whole.value.problems
    # Each piece's cards are checked as it is read; a problem anywhere (a card id used in
    # two pieces, a format given as text, an empty answer in the first piece) is found and
    # placed from the whole text, exactly as when the deck is read whole.
    bad = [plain.replace('id = "card-39"', 'id = "card-2"'),
           plain.replace("format = 1", 'format = "1"'),
           plain.replace('answer = "answer 1"\n', 'answer = " "\n')]
    assert all(text != plain for text in bad)
    for text in bad:
        monkeypatch.setattr(decks, "PIECE_BYTES", 300)
        with pytest.raises(DeckError) as caught:
            parse_deck(text, "d.toml")
        monkeypatch.setattr(decks, "PIECE_BYTES", 10**9)
        with pytest.raises(DeckError) as whole:
            parse_deck(text, "d.toml")
        assert caught.value.problems == whole.value.problems and whole.value.problems


def test_a_good_big_deck_never_holds_the_whole_text_as_tables(monkeypatch) -> None:
    """A good big deck's cards are made piece by piece: the text is never parsed whole
    into tables (for 100,000 cards that tree took about 350 MB, twice the cards)."""
    monkeypatch.setattr(decks, "PIECE_BYTES", 300)
    text = decks.dump_deck(make_deck(40))

    def whole(*_args, **_kwargs):
        raise AssertionError("parsed whole")

    monkeypatch.setattr(decks.tomlio, "parse_toml", whole)
    assert parse_deck(text, "d.toml") == make_deck(40)


def test_a_deck_with_a_mistake_is_scanned_and_checked_once(monkeypatch) -> None:
    """QA 14:19: a 100k-card deck with one typo took 37 s to say where it is, against 2 s
    for the same deck without it: the text was scanned twice and the cards checked once
    more than needed. One scan places every problem; the model's verdict is kept."""
    from quizapp import models, tomlio

    scans: list[int] = []
    checks: list[int] = []
    real_scan, real_validate = tomlio.scan, models.Deck.model_validate
    monkeypatch.setattr(tomlio, "scan", lambda *a, **k: scans.append(1) or real_scan(*a, **k))
    monkeypatch.setattr(models.Deck, "model_validate",
                        classmethod(lambda cls, *a, **k: checks.append(1) or real_validate(*a, **k)))
    cards = "".join(f'[[cards]]\nid = "c{i}"\nkind = "flip"\nquestion = "Q{i}"\nanswer = "A{i}"\n\n'
                    for i in range(50))
    text = f'format = 1\n\n[deck]\nid = "d"\ntitle = "D"\n\n{cards}'.replace(
        'answer = "A30"', 'kidn = "A30"')
    with pytest.raises(DeckError) as raised:
        parse_deck(text, "d.toml")
    line = text.split("\n").index('kidn = "A30"') + 1
    assert f"d.toml:{line}: cards[30].kidn: unknown field" in str(raised.value)
    assert len(scans) == 1 and len(checks) == 1


def test_a_big_deck_with_mistakes_is_told_from_its_pieces_exactly_as_from_the_whole_text(
    monkeypatch,
) -> None:
    """QA 14:19: a 100k-card deck with one typo took ten times as long to refuse as the
    good deck took to read: it was parsed and scanned whole again to say where. Now the
    pieces that were read say it, with the very lines the whole text gives (file, line,
    field), and neither the whole text is parsed again nor scanned."""
    from quizapp import tomlio

    plain = decks.dump_deck(make_deck(40))
    first_piece_card = 'answer = "answer 1"\n'
    late_card = 'answer = "answer 30"\n'
    bad = [
        plain.replace(late_card, 'kidn = "answer 30"\n'),  # QA's typo: a field misspelt
        plain.replace(late_card, ""),  # a missing answer
        plain.replace(late_card, 'answer = ""\n').replace(first_piece_card, 'answr = "1"\n')
        .replace('id = "card-20"', 'id = "card 20"'),  # one in each of three pieces
        plain.replace(late_card, 'answer = "answer 30"\nreverse = "yes"\n')
        .replace('title = "Big"', 'title = "Big"\ncolour = "red"'),  # the deck's table too
        plain.replace('id = "card-39"', 'id = "card-2"').replace(late_card, "answer = 3\n"),
        plain.replace("format = 1\n", "").replace(late_card, 'kidn = "x"\n'),
        plain.replace("format = 1", "format = 7").replace(late_card, 'kidn = "x"\n'),
        plain.replace(late_card, 'answer = [[[[[[[[["x"]]]]]]]]]\n'),  # nested too deep
        plain.replace('answer = "answer', 'answr = "answer'),  # every card
    ]
    assert all(text != plain and text.count("[[cards]]") == 40 for text in bad)
    scanned: list[int] = []
    real_scan = tomlio.scan
    monkeypatch.setattr(tomlio, "scan", lambda text, *a: scanned.append(len(text))
                        or real_scan(text, *a))
    for text in bad:
        monkeypatch.setattr(decks, "PIECE_BYTES", 10**9)
        with pytest.raises(DeckError) as whole:
            parse_deck(text, "d.toml")
        monkeypatch.setattr(decks, "PIECE_BYTES", 300)
        real_parse, scanned[:] = tomlio.parse_toml, []

        def not_whole(*_args, **_kwargs):
            raise AssertionError("parsed whole")

        monkeypatch.setattr(tomlio, "parse_toml", not_whole)
        with pytest.raises(DeckError) as pieces:
            parse_deck(text, "d.toml")
        monkeypatch.setattr(tomlio, "parse_toml", real_parse)
        assert pieces.value.problems == whole.value.problems
        assert all(":" in line for line in whole.value.problems)
        assert all(n < len(text) / 3 for n in scanned)  # pieces, never the whole text
    line = bad[0].split("\n").index('kidn = "answer 30"') + 1
    card = bad[0].split("\n").index('id = "card-30"')  # the line of its [[cards]] header
    with pytest.raises(DeckError) as typo:
        parse_deck(bad[0], "d.toml")
    assert typo.value.problems == [f"d.toml:{card}: cards[30].answer: required field is missing",
                                   f"d.toml:{line}: cards[30].kidn: unknown field"]
