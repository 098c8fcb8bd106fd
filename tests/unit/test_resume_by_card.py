"""Resuming an in-order session goes on after the last card it asked, by card id in the
deck as it is now: cards removed or added since never make it skip a card it never asked
(issue 11: it went by position, so removing an answered card skipped the next one)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.decks import write_deck
from quizapp.models import Deck, SessionRecord
from quizapp.session import resume_cards
from quizapp.store import ScoreStore

CARDS = [{"id": f"q{n}", "kind": "text", "question": f"Capital number {n}?",
          "answer": f"City{n}"} for n in range(1, 7)]


def deck_of(cards: list[dict]) -> Deck:
    return Deck.model_validate({"deck": {"id": "capitals", "title": "Capitals"}, "cards": cards})


@pytest.fixture
def play(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    decks = tmp_path / "decks"
    write_deck(deck_of(CARDS), decks / "capitals.toml")
    scores = tmp_path / "scores.toml"

    def run(*argv: str, stdin: str = "", cards: list[dict] | None = None) -> str:
        if cards is not None:  # the deck file as the person edited it
            write_deck(deck_of(cards), decks / "capitals.toml")
        capsys.readouterr()
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        assert main(["play", "capitals", "--plain", *argv,
                     "--decks", str(decks), "--scores", str(scores)]) == 0
        return capsys.readouterr().out

    run.scores = scores  # type: ignore[attr-defined]
    return run


def asked(out: str) -> list[str]:
    """The questions plain mode asked, in order (before its summary)."""
    return [line.split("Capital number ")[1].rstrip("?").strip()
            for line in out.split("Score:")[0].splitlines() if "Capital number " in line]


def test_removing_the_answered_card_does_not_skip_the_next_one(play) -> None:
    # QA's repro: card 1 answered, quit, card 1 removed from the deck file.
    play(stdin="City1\n:q\n")
    out = play("--resume", stdin="City2\nCity3\nCity4\nCity5\nCity6\n", cards=CARDS[1:])
    assert asked(out) == ["2", "3", "4", "5", "6"]
    # Numbered on from the session's first part: 1 asked before, 5 now.
    assert "resumed at question 2 of 6" in out and "Score: 6/6" in out
    assert ScoreStore(play.scores).load().sessions[-1].finished


def test_removing_a_card_before_the_stop_does_not_skip_one(play) -> None:
    play(stdin="City1\nCity2\nCity3\n:q\n")
    out = play("--resume", stdin="City4\nCity5\nCity6\n", cards=[CARDS[0], *CARDS[2:]])
    assert asked(out) == ["4", "5", "6"]


def test_adding_a_card_before_the_stop_asks_on_from_the_last_card(play) -> None:
    play(stdin="City1\nCity2\n:q\n")
    new = {"id": "q0", "kind": "text", "question": "Capital number 0?", "answer": "City0"}
    out = play("--resume", stdin="City3\nCity4\nCity5\nCity6\n", cards=[new, *CARDS])
    assert asked(out) == ["3", "4", "5", "6"]


def test_a_skipped_last_card_that_was_removed_falls_back_to_the_answers(play) -> None:
    # q2 skipped (the last card asked), then removed: on after q1, the last card answered.
    play(stdin="City1\n:s\n:q\n")
    record = ScoreStore(play.scores).load().sessions[-1]
    assert record.last_card == "q2" and record.asked == 2
    out = play("--resume", stdin="City3\nCity4\nCity5\nCity6\n", cards=[CARDS[0], *CARDS[2:]])
    assert asked(out) == ["3", "4", "5", "6"]
    assert "Skipped: 1" in out


def test_an_unedited_deck_resumes_at_the_next_question(play) -> None:
    play(stdin="City1\nCity2\n:q\n")
    out = play("--resume", stdin="City3\nCity4\nCity5\nCity6\n")
    assert "resumed at question 3 of 6" in out and asked(out) == ["3", "4", "5", "6"]


def test_a_record_without_last_card_resumes_by_position() -> None:
    # Score files written before ``last_card`` existed keep resuming as they did.
    old = SessionRecord(id="s", deck="capitals", mode="order",
                        start=datetime(2026, 1, 1, tzinfo=UTC), score=2, total=2,
                        planned=6, asked=2)
    assert [c.id for c in resume_cards(deck_of(CARDS), old)] == ["q3", "q4", "q5", "q6"]
    assert [c.id for c in resume_cards(deck_of(CARDS), old, skip={"q4"})] == ["q3", "q5", "q6"]
