"""The application layer both front ends use: starting a plan (or saying why there is
nothing to play), and writing new decks through the one writer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.decks import DeckError, write_deck
from quizapp.models import Card, Deck, DeckInfo
from quizapp.paths import Locations
from quizapp.plan import PlayPlan
from quizapp.session import Session
from quizapp.workspace import NothingToPlay, Workspace, deck_text

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CARDS = [Card(id=f"c{i}", kind="text", question=f"Question {i}?", answer=f"answer {i}")
         for i in range(3)]


def _locations(tmp_path: Path) -> Locations:
    folder = tmp_path / "decks"
    folder.mkdir()
    write_deck(Deck(deck=DeckInfo(id="caps", title="Caps"), cards=CARDS), folder / "caps.toml")
    return Locations(scores=tmp_path / "scores.toml", user_decks=tmp_path / "mine",
                     bundled_decks=tmp_path / "none", extra_decks=(folder,),
                     settings=tmp_path / "settings.toml")


def _open(tmp_path: Path) -> Workspace:
    return Workspace.open(_locations(tmp_path), clock=lambda: T0)


def _play(workspace: Workspace, answers: list[bool]) -> None:
    session = workspace.start(PlayPlan("deck", "caps"))
    assert isinstance(session, Session)
    for right in answers:
        item = session.current
        session.answer(item.card.answer if right else "no idea")
        session.advance()
    workspace.finish(session)


def _reason(workspace: Workspace, plan: PlayPlan) -> str:
    nothing = workspace.start(plan)
    assert isinstance(nothing, NothingToPlay), nothing
    return nothing.reason


def test_a_deck_plan_starts_its_session(tmp_path: Path) -> None:
    session = _open(tmp_path).start(PlayPlan("deck", "caps", "shuffle", 2), seed=1)
    assert isinstance(session, Session)
    assert (session.total, session.mode) == (2, "shuffle:2")


def test_an_unknown_deck_is_a_reason_naming_the_decks_there_are(tmp_path: Path) -> None:
    workspace = _open(tmp_path)
    for kind in ("deck", "review", "due"):
        nothing = workspace.start(PlayPlan(kind, "nope"))
        assert isinstance(nothing, NothingToPlay)
        assert (nothing.reason, nothing.decks) == ("unknown-deck", ("caps",))


def test_the_four_reasons_for_an_empty_review(tmp_path: Path) -> None:
    workspace = _open(tmp_path)
    review = PlayPlan("review", "caps")
    assert _reason(workspace, review) == "never-played"
    _play(workspace, [True, True, True])
    assert _reason(workspace, review) == "never-missed"
    _play(workspace, [False, True, True])
    assert isinstance(workspace.start(review), Session)  # c0 is missed now
    assert workspace.set_suspended("caps", "c0", True)
    assert _reason(workspace, review) == "missed-suspended"
    assert workspace.set_suspended("caps", "c0", False)
    _play(workspace, [True, True, True])
    _play(workspace, [True, True, True])
    nothing = workspace.start(review)
    assert isinstance(nothing, NothingToPlay)
    assert (nothing.reason, nothing.streak) == ("all-reviewed", 2)


def test_nothing_due_says_when_the_next_card_is(tmp_path: Path) -> None:
    workspace = _open(tmp_path)
    workspace.settings = workspace.settings.model_copy(update={"new_per_day": 0})
    assert _reason(workspace, PlayPlan("due", None)) == "nothing-due"
    _play(workspace, [True, True, True])
    nothing = workspace.start(PlayPlan("due", "caps"))
    assert isinstance(nothing, NothingToPlay) and nothing.reason == "nothing-due"
    assert nothing.next_due is not None and nothing.next_due > T0 + timedelta(minutes=1)


def test_a_deck_whose_cards_are_all_suspended(tmp_path: Path) -> None:
    workspace = _open(tmp_path)
    for card in CARDS:
        workspace.set_suspended("caps", card.id, True)
    assert _reason(workspace, PlayPlan("deck", "caps")) == "all-suspended"


def test_add_decks_writes_the_text_as_it_is_or_nothing(tmp_path: Path) -> None:
    workspace = _open(tmp_path)
    mine = Deck(deck=DeckInfo(id="mine", title="Mine"), cards=CARDS[:1])
    text = "# my own words\n" + deck_text(mine)
    [(deck, path)] = workspace.add_decks([text], "typed.toml")
    assert (deck.id, path.read_text(encoding="utf-8")) == ("mine", text)
    assert workspace.catalog.get("mine") is not None
    other = deck_text(Deck(deck=DeckInfo(id="other", title="Other"), cards=CARDS[:1]))
    with pytest.raises(DeckError) as error:
        workspace.add_decks([other, deck_text(mine)], "import.csv", hint="pick another id")
    [line] = error.value.problems
    assert line.startswith("import.csv: deck id 'mine' is already used by ")
    assert line.endswith("nothing was written; pick another id")
    assert not (workspace.locations.user_decks / "other.toml").exists()  # all or nothing


def test_an_update_says_how_many_cards_with_progress_it_would_remove(tmp_path: Path) -> None:
    workspace = _open(tmp_path)
    workspace.add_decks([deck_text(Deck(deck=DeckInfo(id="mine", title="Mine"), cards=CARDS))],
                        "mine.toml")
    session = workspace.start(PlayPlan("deck", "mine"))
    assert isinstance(session, Session)
    session.answer(session.current.card.answer)  # c0 now has progress
    workspace.finish(session)
    smaller = Deck(deck=DeckInfo(id="mine", title="Mine"), cards=CARDS[2:])
    changes = workspace.plan_decks([smaller], "new.csv", update=True)
    assert changes.losing == 1  # c0 had progress, c1 had none
    assert workspace.catalog.get("mine").deck.cards == CARDS  # nothing written yet
    written = []
    workspace.write_decks(changes, written.append)
    assert [i.deck.id for i in written] == ["mine"]
    assert workspace.reload_decks().get("mine").deck.cards == CARDS[2:]
    with pytest.raises(DeckError) as error:
        workspace.plan_decks([smaller], "new.csv")  # without update: the id is taken
    assert "deck id 'mine' is already used by" in error.value.problems[0]


def test_only_the_persons_own_decks_may_be_removed(tmp_path: Path) -> None:
    workspace = _open(tmp_path)
    [(_deck, path)] = workspace.add_decks(
        [deck_text(Deck(deck=DeckInfo(id="mine", title="Mine"), cards=CARDS))], "mine.toml")
    why = workspace.deck_to_remove("caps")  # in an extra deck folder
    assert (why.reason, why.entry.path) == ("elsewhere", tmp_path / "decks" / "caps.toml")
    assert workspace.deck_to_remove("nope").reason == "unknown-deck"
    entry = workspace.deck_to_remove("mine")
    assert entry.path == path
    workspace.remove_deck(entry)
    assert not path.exists() and workspace.catalog.get("mine") is None
    assert (tmp_path / "decks" / "caps.toml").exists()


def test_export_refuses_to_replace_a_file_unless_asked(tmp_path: Path) -> None:
    from quizapp.errors import NotFound

    workspace = _open(tmp_path)
    out = tmp_path / "caps.csv"
    out.write_text("mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        workspace.export_deck("caps", out, "csv")
    assert out.read_text(encoding="utf-8") == "mine\n"
    with pytest.raises(NotFound):
        workspace.export_deck("nope", out, "csv", replace=True)
    workspace.export_deck("caps", out, "csv", replace=True)
    assert "Question 1?" in out.read_text(encoding="utf-8")


def test_another_windows_answers_count_in_this_windows_sessions_and_numbers(tmp_path: Path) -> None:
    """QA 08:34: window A open on home, window B (or `quizapp play --plain`) misses a card;
    A's `m` and its numbers must see that miss, not say 'Nothing missed'."""
    a = _open(tmp_path)
    b = Workspace.open(a.locations, clock=lambda: T0)
    _play(a, [True, True, True])
    a.stats()
    review = PlayPlan("review", "caps")
    assert _reason(a, review) == "never-missed"
    _play(b, [False, True, True])  # written by the other window only
    assert a.stats().decks[0].missed == 1
    assert isinstance(a.start(review), Session)
    b.compact()  # the other window folds its journal: A reads the new snapshot
    _play(b, [False, False, True])
    assert a.stats().decks[0].missed == 2


_OTHER_WINDOW = """
import sys
from datetime import datetime
from pathlib import Path
from quizapp.models import AnswerEvent, SessionEvent, SessionRecord
from quizapp.store import ScoreStore

at = datetime.fromisoformat(sys.argv[2])
ScoreStore(Path(sys.argv[1])).append(
    AnswerEvent(id="w1-a", deck="caps", card="c0", session="w1", at=at, result="right"),
    SessionEvent(session=SessionRecord(id="w1", deck="caps", mode="order", start=at, score=1,
                                       total=1, planned=3, asked=1, last_card="c0")))
print("playing", flush=True)
sys.stdin.read()  # plays on until the test closes its input
"""


def test_resume_never_picks_a_session_another_window_is_still_playing(tmp_path: Path) -> None:
    """QA 15:38: a window killed after two answers, another still playing the deck (its
    session started later): --resume goes on with the killed one, not with the one being
    played, which would then get answers from two windows under one id."""
    import subprocess
    import sys

    workspace = _open(tmp_path)
    killed = workspace.start(PlayPlan("deck", "caps"))
    assert isinstance(killed, Session)
    for _ in range(2):
        killed.answer(killed.current.card.answer)
        killed.advance()
    # (Killed: its end is never written. This process's hold on it goes with the kill.)
    from quizapp.store import files

    files.release_session(workspace.store.path, killed.id)
    with subprocess.Popen(
            [sys.executable, "-c", _OTHER_WINDOW, str(workspace.store.path),
             (T0 + timedelta(minutes=5)).isoformat()],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as other:
        try:
            assert other.stdout.readline() == "playing\n"  # (waits for the other window)
            again = Workspace.open(_locations_again(tmp_path), clock=lambda: T0)
            resumed = again.start(PlayPlan("deck", "caps", resume=True))
            assert isinstance(resumed, Session) and resumed.id == killed.id
            assert resumed.position == 3  # the killed one's third question
            assert again.resume_point(again.catalog.get("caps"))[0].id == killed.id
        finally:
            other.stdin.close()  # the other window ends
    # The other window ended (closed): its session may be resumed now, as the latest.
    after = Workspace.open(_locations_again(tmp_path), clock=lambda: T0)
    assert after.resume_point(after.catalog.get("caps"))[0].id == "w1"


_RESUMING_WINDOW = """
import sys
from datetime import datetime
from pathlib import Path
from quizapp.paths import Locations
from quizapp.plan import PlayPlan
from quizapp.workspace import Workspace

home = Path(sys.argv[1])
where = Locations(scores=home / "scores.toml", user_decks=home / "mine",
                  bundled_decks=home / "none", extra_decks=(home / "decks",),
                  settings=home / "settings.toml")
session = Workspace.open(where).start(PlayPlan("deck", "caps", resume=True))
print(getattr(session, "id", "nothing"), flush=True)
sys.stdin.read()  # sits on its first question until the test closes its input
"""


def test_a_session_resumed_in_one_window_is_not_resumed_in_another_before_an_answer(
        tmp_path: Path) -> None:
    """REVIEW 16:48: a window that has resumed a session and not answered yet holds it
    too, so a second window's --resume never takes the same session."""
    import subprocess
    import sys

    workspace = _open(tmp_path)
    killed = workspace.start(PlayPlan("deck", "caps"))
    assert isinstance(killed, Session)
    killed.answer(killed.current.card.answer)
    killed.advance()
    from quizapp.store import files

    files.release_session(workspace.store.path, killed.id)  # (as the kill would)
    with subprocess.Popen([sys.executable, "-c", _RESUMING_WINDOW, str(tmp_path)],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as other:
        try:
            assert other.stdout.readline() == f"{killed.id}\n"  # resumed there, no answer
            again = Workspace.open(_locations_again(tmp_path), clock=lambda: T0)
            assert _reason(again, PlayPlan("deck", "caps", resume=True)) == "nothing-to-resume"
            assert again.resume_point(again.catalog.get("caps")) is None
        finally:
            other.stdin.close()
    after = Workspace.open(_locations_again(tmp_path), clock=lambda: T0)
    resumed = after.start(PlayPlan("deck", "caps", resume=True))
    assert isinstance(resumed, Session) and resumed.id == killed.id  # free again


def _locations_again(tmp_path: Path) -> Locations:
    """The locations ``_locations`` made, without writing the deck again."""
    return Locations(scores=tmp_path / "scores.toml", user_decks=tmp_path / "mine",
                     bundled_decks=tmp_path / "none", extra_decks=(tmp_path / "decks",),
                     settings=tmp_path / "settings.toml")


def test_a_start_goes_on_from_the_kept_tally_past_its_own_compaction(tmp_path: Path) -> None:
    """A start takes the numbers the last full count kept and the answers written since,
    not a count of every card; it goes on so after a compaction of its own (the journal
    it read is folded and replaced then). The numbers are those of a full count."""
    from quizapp.store import ScoreStore
    from quizapp.tally import Tally, compute_stats

    first = _open(tmp_path)
    _play(first, [True, False, True])
    first.stats()  # a full count: kept on disk
    again = Workspace.open(_locations_again(tmp_path), clock=lambda: T0)

    def no_count(*args, **kwargs):
        raise AssertionError("every card was counted")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Tally, "build", no_count)
        _play(first, [False, False, True])  # another window, after the count
        assert again.stats().deck("caps").missed == 2
        _play(again, [True, True, False])
        patch.setattr(ScoreStore, "compaction_due", lambda self, threshold=0: True)
        again.compact()
        assert not again.store.journal_path.exists()  # folded into the snapshot
        _play(again, [False, True, True])
        numbers = again.stats()
    fresh = compute_stats(ScoreStore(again.store.path).load(), again.catalog, T0)
    assert numbers.to_dict() == fresh.to_dict()


def test_a_score_folder_that_cannot_be_written_is_told_at_the_start(tmp_path: Path,
                                                                    monkeypatch) -> None:
    """QA s5: on a read-only score folder every answer of a whole session said "not
    saved". The workspace now says so once, before the first answer, naming the folder."""
    import os

    workspace = _open(tmp_path)
    assert workspace.notices == []  # a writable folder: nothing to tell
    real_access = os.access
    # A read-only mount (what the system answers for one; root cannot make one here).
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == tmp_path
                        else real_access(path, mode))
    [notice] = workspace.notices
    assert notice.startswith(f"{tmp_path}: cannot be written") and "not be saved" in notice


def test_a_score_folder_under_a_file_is_told_at_the_start(tmp_path: Path) -> None:
    """A scores path whose folder cannot be made (a file is in the way) is told too."""
    from quizapp.workspace import unwritable

    (tmp_path / "data").write_text("not a folder", encoding="utf-8")
    message = unwritable(tmp_path / "data" / "quizapp" / "scores.toml")
    assert message is not None and message.startswith(f"{tmp_path / 'data'}: cannot be written")
    assert unwritable(tmp_path / "fresh" / "quizapp" / "scores.toml") is None  # made when needed
