"""`quizapp review / due / stats / suspend / unsuspend / leeches` from the command line."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.decks import write_deck
from quizapp.models import Deck
from quizapp.session import Session
from quizapp.store import ScoreStore

DECK = Deck.model_validate(
    {
        "deck": {"id": "capitals", "title": "Capitals"},
        "cards": [
            {"id": "fr", "kind": "text", "question": "Capital of France?", "answer": "Paris",
             "tags": ["where"]},
            {"id": "fi", "kind": "text", "question": "Capital of Finland?", "answer": "Helsinki",
             "tags": ["where"]},
            {"id": "jp", "kind": "text", "question": "Capital of Japan?", "answer": "Tokyo",
             "tags": ["where"]},
        ],
    }
)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    decks = tmp_path / "decks"
    write_deck(DECK, decks / "capitals.toml")
    scores = tmp_path / "scores.toml"

    def run(*argv: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return main([*argv, "--decks", str(decks), "--scores", str(scores)])

    return run, scores


def play(scores: Path, answers: dict[str, str], at: datetime | None = None) -> None:
    """One pass over the deck through the real session engine and store."""
    clock = iter(at + timedelta(seconds=30 * i) for i in range(1000)) if at else None
    kwargs = {"now": lambda: next(clock)} if clock else {}
    session = Session.for_deck(DECK, recorder=ScoreStore(scores), **kwargs)
    while session.current is not None:
        session.answer(answers[session.current.card.id])
        session.advance()
    session.finish()


def test_review_with_nothing_missed_says_so_and_starts_nothing(env, capsys) -> None:
    run, scores = env
    assert run("review", "capitals", "--plain") == 0
    out = capsys.readouterr().out
    assert out.startswith("Nothing to review in capitals yet")
    assert "Question" not in out and not scores.exists()

    play(scores, {"fr": "Paris", "fi": "Helsinki", "jp": "Tokyo"})
    assert run("review") == 0  # would open the app if anything were missed
    assert capsys.readouterr().out == (
        "Nothing to review: you have not missed a single card. Well done!\n")


def test_review_plain_rounds_until_right_and_the_card_leaves_after_two_rights(env, capsys) -> None:
    run, scores = env
    play(scores, {"fr": "Paris", "fi": "Oslo", "jp": "Tokyo"})
    capsys.readouterr()

    # Wrong twice: the card comes back in a second and a third round, then right.
    assert run("review", "capitals", "--plain", stdin="Oslo\nStockholm\nHelsinki\n") == 0
    out = capsys.readouterr().out
    assert out.count("Your answer") == 3 and "Question 1/1, round 3" in out
    assert out.count("Wrong. The answer: Helsinki") == 2 and "Right!" in out
    assert "Capital of France?" not in out
    assert ScoreStore(scores).load().cards["capitals"]["fi"].streak == 1

    # One right answer is not enough (review_streak is 2): it is still on the list.
    assert run("review", "capitals", "--plain", stdin="Helsinki\n") == 0
    assert "Capital of Finland?" in capsys.readouterr().out

    assert run("review", "capitals", "--plain") == 0
    out = capsys.readouterr().out
    assert out.startswith("Nothing to review in capitals: every card you missed has since "
                          "been answered right 2 times in a row")


def test_review_unknown_deck_is_one_line_error(env, capsys) -> None:
    run, _ = env
    assert run("review", "nope", "--plain") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no deck with id 'nope'" in err[0] and "capitals" in err[0]


def test_due_lists_counts_and_studies_plain(env, capsys) -> None:
    run, scores = env
    assert run("due", "capitals") == 0
    out = capsys.readouterr().out
    assert "capitals     0     3  Capitals" in out

    # Answered 40 days ago: every card is due again by now.
    play(scores, {"fr": "Paris", "fi": "Oslo", "jp": "Tokyo"},
         at=datetime.now(timezone.utc) - timedelta(days=40))
    assert run("due", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == 1 and list(data) == sorted(data)
    mine = next(d for d in data["decks"] if d["id"] == "capitals")
    assert mine == {"id": "capitals", "title": "Capitals", "due": 3, "new": 0}

    # Due mode asks the most overdue first: Finland was missed, so it fell due first.
    assert run("due", "capitals", "--plain", stdin="Helsinki\nParis\nTokyo\n") == 0
    out = capsys.readouterr().out
    assert out.index("Capital of Finland?") < out.index("Capital of France?")
    assert run("due", "capitals") == 0
    out = capsys.readouterr().out
    assert "capitals     0     0" in out and "Nothing is due right now" in out


def test_stats_text_and_json(env, capsys) -> None:
    run, scores = env
    play(scores, {"fr": "Paris", "fi": "Oslo", "jp": "Tokyo"})
    assert run("stats") == 0
    out = capsys.readouterr().out
    assert "capitals" in out and "66.7%" in out
    assert "1 wrong  capitals/fi" in out and "Capital of Finland?" in out
    assert "Study streak: 1 day (studied today)" in out

    assert run("stats", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == 1
    deck = next(d for d in data["decks"] if d["id"] == "capitals")
    assert (deck["history"], deck["missed"], deck["sessions"]) == ([66.7], 1, 1)
    assert data["most_missed"][0]["card"] == "fi"


def test_suspend_unsuspend_and_leeches(env, capsys) -> None:
    run, scores = env
    for _ in range(8):
        play(scores, {"fr": "Paris", "fi": "Oslo", "jp": "Tokyo"})
    capsys.readouterr()
    assert run("leeches") == 0
    out = capsys.readouterr().out
    assert "8 wrong   0 right  capitals fi" in out and "[suspended]" not in out

    assert run("suspend", "capitals", "fi") == 0
    assert "Suspended capitals/fi" in capsys.readouterr().out
    assert run("review", "capitals", "--plain") == 0
    assert capsys.readouterr().out.startswith(
        "Nothing to review in capitals: the only cards you missed are suspended")
    assert run("leeches", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["leeches"][0]["card"] == "fi" and data["leeches"][0]["suspended"] is True

    assert run("suspend", "capitals", "fi") == 0
    assert "already suspended" in capsys.readouterr().out
    assert run("unsuspend", "capitals", "fi") == 0
    capsys.readouterr()
    assert run("review", "capitals", "--plain", stdin=":q\n") == 0
    assert "Capital of Finland?" in capsys.readouterr().out

    assert run("suspend", "capitals", "xx") == 1
    assert capsys.readouterr().err.strip() == "quizapp: deck 'capitals' has no card with id 'xx'"


@pytest.mark.parametrize("argv", [["stats"], ["due"], ["review", "--plain"], ["leeches"],
                                  ["suspend", "capitals", "fr"]])
def test_a_refused_score_file_is_one_line_and_untouched(env, capsys, argv) -> None:
    run, scores = env
    original = "format = 99\n[cards.capitals.fr]\nseen = 1\n"
    scores.write_text(original, encoding="utf-8")
    assert run(*argv) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and str(scores) in err[0] and "format: 99 is newer" in err[0]
    assert captured.out == ""
    assert scores.read_text(encoding="utf-8") == original


def test_a_damaged_score_file_is_moved_aside_and_reported(env, capsys) -> None:
    run, scores = env
    scores.write_text("this is [not toml\n", encoding="utf-8")
    assert run("stats") == 0
    err = capsys.readouterr().err
    backups = list(scores.parent.glob("scores.toml.corrupt-*"))
    assert len(backups) == 1 and str(backups[0]) in err
    assert backups[0].read_text(encoding="utf-8") == "this is [not toml\n"


def test_a_damaged_journal_is_named_and_the_snapshot_kept(env, capsys) -> None:
    run, scores = env
    play(scores, {"fr": "Paris", "fi": "Oslo", "jp": "Tokyo"})
    ScoreStore(scores).compact()
    snapshot = scores.read_bytes()
    journal = Path(f"{scores}.journal")
    journal.write_bytes(b"\x00\xffnot a journal entry\n")
    assert run("stats") == 0
    err = capsys.readouterr().err.strip().splitlines()
    backups = list(scores.parent.glob("scores.toml.journal.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == b"\x00\xffnot a journal entry\n"
    assert len(err) == 1 and err[0].startswith(
        f"quizapp: warning: {journal}: damaged; kept 0 answers, 1 entry could not be read "
        f"(the damaged bytes are in {backups[0]};")
    assert scores.read_bytes() == snapshot
    assert ScoreStore(scores).load().cards["capitals"]["fi"].wrong == 1


def test_plain_play_that_cannot_save_stops_with_one_line(env, capsys, monkeypatch) -> None:
    import errno

    run, scores = env
    real_append = ScoreStore._append_locked
    calls = []

    def append_until_full(self, entry: bytes) -> None:
        calls.append(entry)
        if len(calls) > 1:  # the first answer (with its session record) fits, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_append(self, entry)

    monkeypatch.setattr(ScoreStore, "_append_locked", append_until_full)
    assert run("play", "capitals", "--plain", stdin="Paris\nHelsinki\nTokyo\n") == 1
    captured = capsys.readouterr()
    assert captured.err == f"quizapp: {scores}: cannot save answers: No space left on device\n"
    assert "Right!" in captured.out and "Traceback" not in captured.err
    monkeypatch.setattr(ScoreStore, "_append_locked", real_append)
    cards = ScoreStore(scores).load().cards["capitals"]
    assert cards["fr"].right == 1 and "fi" not in cards  # the first answer was kept


def test_plain_sessions_fold_the_journal_only_once_it_is_long(env, capsys) -> None:
    from quizapp.models import SuspendEvent
    from quizapp.store import COMPACT_AFTER

    run, scores = env
    journal = Path(f"{scores}.journal")
    assert run("play", "capitals", "--plain", stdin="Paris\nOslo\nTokyo\n") == 0
    # A short session leaves its answers in the journal: no O(file) rewrite at every run.
    assert journal.exists() and not scores.exists()
    store = ScoreStore(scores)
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for i in range(COMPACT_AFTER):
        store.append(SuspendEvent(deck="capitals", card="jp", at=at, suspended=i % 2 == 0))
    assert run("review", "capitals", "--plain", stdin="Helsinki\n") == 0
    assert "Right!" in capsys.readouterr().out
    # Folded into the snapshot (in the background, as the session began); only this
    # session's own entries are left in a short journal.
    after = ScoreStore(scores)
    after.load()
    assert scores.exists() and after.journal_events < 10
    cards = after.scores.cards["capitals"]
    assert cards["fi"].seen == 2 and cards["fr"].right == 1


def test_a_one_question_session_says_question_not_questions(env, capsys) -> None:
    run, _ = env
    assert run("play", "capitals", "--plain", "-n", "1", stdin="Paris\n") == 0
    assert capsys.readouterr().out.startswith("== Capitals: 1 question (:s skip")


def test_plain_play_leaves_out_a_suspended_card(env, capsys) -> None:
    run, _ = env
    assert run("suspend", "capitals", "fi") == 0
    assert run("play", "capitals", "--plain", stdin="Paris\nTokyo\n") == 0
    out = capsys.readouterr().out
    assert "== Capitals: 2 questions" in out and "Capital of Finland?" not in out
    assert "Score: 2/2" in out


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"review_streak = \xff\n", "1: not UTF-8 text (bad byte 0xff at offset 16); save it as UTF-8"),
     (b"review_streak = 0\n", "1: review_streak: must be 1 or more"),
     (b"colour = 'red'\n", "1: colour: unknown field")],
)
def test_a_bad_settings_file_is_one_warning_and_untouched(env, capsys, content, problem) -> None:
    from quizapp.paths import Locations

    run, _ = env
    settings = Locations.from_env().settings
    settings.parent.mkdir(parents=True)
    settings.write_bytes(content)
    assert run("leeches") == 0
    err = capsys.readouterr().err.strip().splitlines()
    sep = "" if problem[0].isdigit() else " "
    assert err == [f"quizapp: warning: {settings}:{sep}{problem} (using the default settings)"]
    assert settings.read_bytes() == content


def test_every_settings_problem_is_one_line_with_its_line_and_field(env, capsys) -> None:
    from quizapp.paths import Locations

    run, _ = env
    settings = Locations.from_env().settings
    settings.parent.mkdir(parents=True)
    content = (b'# my settings\ntheme = "gruvbox"\nnew_per_day = -3\nreview_streek = 2\n'
               b'leech_threshold = "many"\n')
    settings.write_bytes(content)
    assert run("leeches") == 0
    assert capsys.readouterr().err.splitlines() == [
        f"quizapp: warning: {settings}:3: new_per_day: must be 0 or more",
        f"quizapp: warning: {settings}:5: leech_threshold: must be a whole number",
        f"quizapp: warning: {settings}:4: review_streek: unknown field (using the default settings)",
    ]
    assert settings.read_bytes() == content


def test_an_escape_sequence_in_a_score_file_key_is_shown_not_obeyed(env, capsys) -> None:
    run, scores = env
    original = 'format = 1\n[cards."a\\u001b[31m".x]\nseen = 1\nbogus = 1\n'
    scores.write_text(original, encoding="utf-8")
    assert run("stats") == 1
    err = capsys.readouterr().err
    assert err == f"quizapp: {scores}:4: cards.a␛[31m.x.bogus: unknown field\n"
    assert scores.read_text(encoding="utf-8") == original


def test_plain_play_of_a_deck_whose_cards_are_all_suspended_asks_nothing(env, capsys) -> None:
    run, scores = env
    for card in ("fr", "fi", "jp"):
        assert run("suspend", "capitals", card) == 0
    capsys.readouterr()
    before = Path(f"{scores}.journal").read_bytes()
    assert run("play", "capitals", "--plain", stdin="Paris\n") == 0
    out = capsys.readouterr().out
    assert out == ("Every card of capitals is suspended: `quizapp unsuspend capitals CARD` "
                   "brings one back.\n")
    assert Path(f"{scores}.journal").read_bytes() == before


def test_review_after_a_deck_is_removed_does_not_praise_its_missed_cards(env, capsys) -> None:
    run, scores = env
    play(scores, {"fr": "Paris", "fi": "Oslo", "jp": "Tokyo"})
    (scores.parent / "decks" / "capitals.toml").unlink()
    assert run("review", "--plain") == 0
    out = capsys.readouterr().out
    assert out.startswith("Nothing to review") and "Well done" not in out


def test_a_closed_stdout_is_not_reported_as_a_score_file_problem(env, tmp_path: Path) -> None:
    import subprocess
    import sys

    _, scores = env
    play(scores, {"fr": "Paris", "fi": "Oslo", "jp": "Tokyo"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "quizapp", "review", "capitals", "--plain",
         "--decks", str(tmp_path / "decks"), "--scores", str(scores)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout.readline().startswith(b"== Review: Capitals")
    proc.stdout.close()  # like `| head -1`
    _, err = proc.communicate(b"Oslo\n" * 20, timeout=60)
    assert b"cannot save" not in err and b"Traceback" not in err


def test_the_settings_file_changes_the_streak_the_new_card_limit_and_the_leech_threshold(
    env, capsys
) -> None:
    from quizapp.paths import Locations

    run, scores = env
    settings = Locations.from_env().settings
    settings.parent.mkdir(parents=True)
    settings.write_text("review_streak = 1\nnew_per_day = 1\nleech_threshold = 2\n", encoding="utf-8")
    assert run("due", "--json") == 0
    [mine] = [d for d in json.loads(capsys.readouterr().out)["decks"] if d["id"] == "capitals"]
    assert mine["new"] == 1  # 3 new cards, 1 a day

    play(scores, {"fr": "Paris", "fi": "Oslo", "jp": "Tokyo"})
    play(scores, {"fr": "Paris", "fi": "Oslo", "jp": "Tokyo"})
    capsys.readouterr()
    assert run("leeches") == 0
    assert "2 wrong   0 right  capitals fi" in capsys.readouterr().out  # a leech after 2 misses
    play(scores, {"fr": "Paris", "fi": "Helsinki", "jp": "Tokyo"})
    assert run("review", "capitals", "--plain") == 0  # one right answer is enough now
    assert capsys.readouterr().out.startswith("Nothing to review in capitals")


def test_a_title_with_a_line_break_stays_on_its_line_in_lists_and_plain_headers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """A deck title holding a newline and ESC: the due table keeps one row per deck and
    plain mode one header line (the break shows as ⏎, ESC as ␛), as in the app."""
    decks = tmp_path / "decks"
    title = "Line\nbreak \x1b[7m"
    write_deck(DECK.model_copy(update={"deck": DECK.deck.model_copy(update={"title": title})}),
               decks / "capitals.toml")
    common = ["--decks", str(decks), "--scores", str(tmp_path / "scores.toml")]
    assert main(["due", "capitals", *common]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("capitals")]
    assert rows == ["capitals     0     3  Line ⏎ break ␛[7m"]
    monkeypatch.setattr("sys.stdin", io.StringIO(":q\n"))
    main(["play", "capitals", "--plain", *common])
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if line.startswith("== "))
    assert header.startswith("== Line ⏎ break ␛[7m: 3 questions")
    assert "\x1b" not in out
