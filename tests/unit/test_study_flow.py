"""The study flow's promises on the core and the command line: honest best/last (finished
sessions only), resume where an in-order session stopped, order questions that never give
the answer away, one progress count in review rounds, the intervals a flip grade would
give, and no full-screen app without a terminal."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp import scheduling
from quizapp.cli import main
from quizapp.decks import discover, write_deck
from quizapp.models import Deck, ScoreFile, SessionRecord
from quizapp.paths import Locations
from quizapp.plain import run_plain
from quizapp.session import Item, Session
from quizapp.stats import resumable
from quizapp.tally import compute_stats
from quizapp.store import ScoreStore

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

CAPITALS = Deck.model_validate({
    "deck": {"id": "capitals", "title": "Capitals"},
    "cards": [{"id": f"q{n}", "kind": "text", "question": f"Capital number {n}?",
               "answer": f"City{n}"} for n in range(1, 7)],
})
TWO = Deck.model_validate({
    "deck": {"id": "two", "title": "Two items"},
    "cards": [{"id": "o", "kind": "order", "question": "Smaller first",
               "answer": ["one", "two"]}],
})


class Ticker:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> datetime:
        self.t += timedelta(seconds=5)
        return self.t


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    decks = tmp_path / "decks"
    write_deck(CAPITALS, decks / "capitals.toml")
    write_deck(TWO, decks / "two.toml")
    scores = tmp_path / "scores.toml"

    def run(*argv: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return main([*argv, "--decks", str(decks), "--scores", str(scores)])

    catalog = discover(Locations(scores=scores, user_decks=tmp_path / "u",
                                 bundled_decks=tmp_path / "b", extra_decks=(decks,)))
    return run, scores, catalog


def _deck_stats(scores: Path, catalog, deck_id: str = "capitals"):
    return compute_stats(ScoreStore(scores).load(), catalog, T0 + timedelta(days=1)).deck(deck_id)


# ----------------------------------------------------------------------------- best / last


def test_a_session_quit_early_is_no_score_but_shown_as_how_far_it_got(cli, capsys) -> None:
    run, scores, catalog = cli
    # A whole session: 4 of 6 right.
    answers = "City1\nCity2\nwrong\nCity4\nwrong\nCity6\n"
    assert run("play", "capitals", "--plain", stdin=answers) == 0
    # Then quit after two right answers: 2/2 100% must not become the best or the last.
    assert run("play", "capitals", "--plain", stdin="City1\nCity2\n:q\n") == 0
    capsys.readouterr()
    deck = _deck_stats(scores, catalog)
    assert (deck.best.score, deck.best.total) == (4, 6)
    assert (deck.last.score, deck.last.total) == (4, 6)
    assert deck.history == [66.7]
    assert deck.unfinished is not None
    assert (deck.unfinished.total, deck.unfinished.planned) == (2, 6)
    # `quizapp stats` says the same, and how to go on.
    assert run("stats") == 0
    text = capsys.readouterr().out
    assert "Quit before the end (not counted as a score):" in text
    assert "2 of 6 answered (`quizapp play capitals --resume` goes on)" in text
    # `quizapp stats --json` says the same.
    assert run("stats", "--json") == 0
    decks = json.loads(capsys.readouterr().out)["decks"]
    data = next(d for d in decks if d["id"] == "capitals")
    assert data["best"]["percent"] == 66.7 and data["sessions"] == 1
    assert data["unfinished"]["total"] == 2 and data["unfinished"]["finished"] is False


def test_answering_the_last_question_finishes_even_when_quit_on_its_feedback() -> None:
    store_events = []

    class Recorder:
        def record(self, deck_id, card_id):
            return None

        def append(self, *events):
            store_events.extend(events)

        def write(self, build):
            self.append(*build(self.record))

    s = Session.for_deck(CAPITALS, recorder=Recorder(), now=Ticker())
    for n in range(1, 7):
        s.answer(f"City{n}")
        if n < 6:
            s.advance()
    record = s.finish()  # quit on the last feedback, without pressing Enter
    assert record.finished and (record.asked, record.planned) == (6, 6)


def test_records_from_before_planned_was_written_still_count_as_finished() -> None:
    old = SessionRecord(id="a", deck="capitals", mode="order", start=T0, end=T0, score=3,
                        total=6)
    assert old.finished


# ----------------------------------------------------------------------------- resume


def test_resume_goes_on_where_the_in_order_session_stopped(cli, capsys) -> None:
    run, scores, catalog = cli
    assert run("play", "capitals", "--plain", stdin="City1\nwrong\nCity3\n:q\n") == 0
    assert resumable(ScoreStore(scores).load(), "capitals") is not None
    capsys.readouterr()
    assert run("play", "capitals", "--plain", "--resume", stdin="City4\nCity5\nCity6\n") == 0
    out = capsys.readouterr().out
    assert "resumed at question 4 of 6" in out
    assert "Capital number 1?" not in out.split("Score:")[0]
    assert "Question 4/6" in out and "Question 6/6" in out
    # One finished session of 6, with the earlier part's score and miss.
    assert "Score: 5/6" in out and "Capital number 2?" in out.split("Missed:")[1]
    data = ScoreStore(scores).load()
    assert len(data.sessions) == 1 and data.sessions[0].finished
    deck = _deck_stats(scores, catalog)
    assert (deck.best.score, deck.best.total) == (5, 6) and deck.unfinished is None
    # Nothing is left to resume: said on stderr, exit 1.
    assert run("play", "capitals", "--plain", "--resume") == 1
    err = capsys.readouterr().err
    assert "nothing to resume in capitals" in err and len(err.strip().splitlines()) == 1


def test_the_summary_counts_skips_from_before_the_resume(cli, capsys) -> None:
    run, scores, catalog = cli
    assert run("play", "capitals", "--plain", stdin="City1\n:s\nCity3\n:q\n") == 0
    capsys.readouterr()
    assert run("play", "capitals", "--plain", "--resume", stdin="City4\n:s\nCity6\n") == 0
    out = capsys.readouterr().out
    # Q2 skipped before the resume and Q5 after it: 2 skipped, and the summary says 4 of 6
    # as Best does.
    assert "Score: 4/6" in out and "Skipped: 2" in out
    assert (_deck_stats(scores, catalog).best.score, _deck_stats(scores, catalog).best.out_of) == (4, 6)


def test_a_shuffled_session_is_not_resumable(cli, capsys) -> None:
    run, scores, _ = cli
    assert run("play", "capitals", "--plain", "--shuffle", stdin="x\n:q\n") == 0
    assert resumable(ScoreStore(scores).load(), "capitals") is None


# ----------------------------------------------------------------------------- order cards


def test_a_two_item_order_question_starts_either_way_round() -> None:
    starts = {tuple(Session.for_deck(TWO, seed=seed).order_items()) for seed in range(40)}
    assert starts == {("one", "two"), ("two", "one")}


def test_plain_order_prompt_shows_no_example_order(cli, capsys) -> None:
    run, _, _ = cli
    assert run("play", "two", "--plain", stdin="1 2\n") == 0
    out = capsys.readouterr().out
    prompt = next(line for line in out.splitlines() if "right order" in line)
    assert "2 1" not in prompt and "1 2" not in prompt and "e.g." not in prompt


# ----------------------------------------------------------------------------- rounds


def test_review_rounds_count_each_round_on_its_own() -> None:
    items = [Item("capitals", c) for c in CAPITALS.cards[:4]]
    s = Session(items, deck_label="capitals", mode="review", rounds=True)
    assert s.progress == (1, 4, 0)
    s.answer("wrong")  # comes back in round 2
    assert s.progress == (1, 4, 1)
    s.advance()
    s.answer("City2")
    s.advance()
    assert s.progress == (3, 4, 2)
    s.answer("wrong")
    s.advance()
    s.answer("City4")
    s.advance()
    assert (s.round, s.progress) == (2, (1, 2, 0))
    s.answer("City1")
    s.advance()
    assert (s.round, s.progress) == (2, (2, 2, 1))


# ----------------------------------------------------------------------------- intervals


def test_grade_intervals_come_from_fsrs_and_grow_with_the_grade() -> None:
    new = scheduling.next_intervals(None, T0)
    assert new[1] <= new[2] <= new[3] < new[4]
    # A card already learnt: each grade's interval is when the scheduler would make it due.
    state = scheduling.review(scheduling.review(None, 3, T0), 3, T0 + timedelta(days=2))
    later = state.due
    shown = scheduling.next_intervals(state, later)
    for rating, seconds in shown.items():
        assert scheduling.review(state, rating, later).due == later + timedelta(seconds=seconds)
    assert [scheduling.interval_label(s) for s in (30, 600, 7200, 3 * 86400, 65 * 86400,
                                                    548 * 86400)] == \
        ["<1m", "10m", "2h", "3d", "2mo", "1.5y"]


def test_plain_flip_prompt_names_each_grades_interval() -> None:
    deck = Deck.model_validate({"deck": {"id": "f", "title": "F"}, "cards": [
        {"id": "f1", "kind": "flip", "question": "Front", "answer": "Back"}]})
    out = io.StringIO()
    run_plain(Session.for_deck(deck), io.StringIO("\n3\n"), out)
    labels = {k: scheduling.interval_label(v)
              for k, v in scheduling.next_intervals(None, T0).items()}
    assert f"1 Again {labels[1]}, 2 Hard {labels[2]}, 3 Good {labels[3]}, 4 Easy {labels[4]}" \
        in out.getvalue()


# ----------------------------------------------------------------------------- no terminal


@pytest.mark.parametrize("argv, plain", [
    ((), "quizapp play DECK --plain"),
    (("play", "capitals"), "quizapp play capitals --plain"),
    (("review",), "quizapp review --plain"),
    (("due", "--study"), "quizapp due --plain"),
])
def test_without_a_terminal_the_app_does_not_start(cli, capsys, argv, plain) -> None:
    run, scores, _ = cli
    if argv[:1] == ("review",):  # something to review, so the command gets to the app
        assert run("play", "capitals", "--plain", stdin="wrong\n:q\n") == 0
        capsys.readouterr()
    assert run(*argv) == 1  # stdin and stdout are not terminals under pytest
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and f"`{plain}`" in lines[0]
    assert "stdin and stdout are not terminals, so the app cannot open" in lines[0]
    if argv[:1] != ("review",):
        assert not Path(scores).exists()  # nothing was played or written
