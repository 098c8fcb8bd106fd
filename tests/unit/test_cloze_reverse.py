"""Cloze and reversed cards: each deletion and each direction is asked as its own card,
with its own progress, in the session engine and in plain mode."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.decks import DeckError, parse_deck
from quizapp.models import Card
from quizapp.session import Session
from quizapp.store import ScoreStore

DECK = """\
format = 1

[deck]
id = "mixed"
title = "Mixed"

[[cards]]
id = "bonjour"
kind = "cloze"
question = "{{c1::Bonjour}} means {{c2::hello::greeting}} in [b]French[/b]."
explanation = "Used all day."

[[cards]]
id = "rhine"
kind = "flip"
question = "Rhine"
answer = "a river in Europe"
reverse = true
"""


def test_cloze_asks_each_deletion_with_the_others_shown() -> None:
    deck = parse_deck(DECK, "mixed.toml")
    asked = {c.id: c for c in deck.asked}
    assert list(asked) == ["bonjour.c1", "bonjour.c2", "rhine", "rhine.reverse"]
    assert asked["bonjour.c1"].question == "[...] means hello in [b]French[/b]."
    assert asked["bonjour.c1"].answer == "Bonjour"
    assert asked["bonjour.c2"].question == "Bonjour means [greeting] in [b]French[/b]."
    assert asked["rhine.reverse"].question == "a river in Europe"
    assert asked["rhine.reverse"].answer == "Rhine"
    assert deck.card("bonjour.c2").answer == "hello"


def test_several_deletions_of_one_number_are_one_card() -> None:
    card = Card(id="x", kind="cloze", question="{{c1::A}} and {{c1::B}} then {{c2::C}}")
    first, second = card.asked()
    assert first.question == "[...] and [...] then C" and first.answer == "A, B"
    assert second.question == "A and B then [...]"


@pytest.mark.parametrize("body, message", [
    ('kind = "cloze"\nquestion = "no gaps here"', "needs at least one deletion"),
    ('kind = "cloze"\nquestion = "{{c1::}} gap"', "deletion c1 is empty"),
    ('kind = "cloze"\nquestion = "{{c1::a}}"\nanswer = "a"', "a cloze card has no answer"),
    ('kind = "order"\nquestion = "q"\nanswer = ["a", "b"]\nreverse = true',
     "only flip and text cards can be reversed"),
    ('kind = "flip"\nquestion = "q"', "answer: required field is missing"),
])
def test_bad_cloze_and_reverse_cards_name_the_field(body: str, message: str) -> None:
    text = f'format = 1\n[deck]\nid = "d"\ntitle = "D"\n[[cards]]\nid = "c"\n{body}\n'
    with pytest.raises(DeckError) as err:
        parse_deck(text, "d.toml")
    assert message in "\n".join(err.value.problems)
    assert "d.toml:" in err.value.problems[0]


def test_an_asked_id_may_not_clash_with_another_card() -> None:
    text = DECK + '\n[[cards]]\nid = "bonjour.c1"\nkind = "flip"\nquestion = "q"\nanswer = "a"\n'
    with pytest.raises(DeckError) as err:
        parse_deck(text, "mixed.toml")
    assert "duplicate card id 'bonjour.c1'" in "\n".join(err.value.problems)


def test_session_checks_cloze_with_the_lenient_matcher(tmp_path: Path) -> None:
    deck = parse_deck(DECK, "mixed.toml")
    store = ScoreStore(tmp_path / "scores.toml")
    store.load()
    session = Session.for_deck(deck, recorder=store)
    assert session.current.card.id == "bonjour.c1"
    assert session.answer("bonjur").correct  # one typo
    session.advance()
    assert not session.answer("goodbye").correct
    session.advance()
    session.grade(3)
    session.advance()
    session.grade(1)
    session.finish()
    records = ScoreStore(tmp_path / "scores.toml").load().cards["mixed"]
    assert records["bonjour.c1"].right == 1 and records["bonjour.c2"].wrong == 1
    assert records["rhine"].right == 1 and records["rhine.reverse"].wrong == 1


def test_plain_mode_plays_a_cloze_card(tmp_path: Path, monkeypatch, capsys) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "mixed.toml").write_text(DECK, encoding="utf-8")
    scores = tmp_path / "scores.toml"
    monkeypatch.setattr(sys, "stdin", io.StringIO("Bonjour\nhello\n\n3\n\n2\n"))
    assert main(["play", "mixed", "--plain", "--decks", str(folder), "--scores", str(scores)]) == 0
    out = capsys.readouterr().out
    assert "[...] means hello in [b]French[/b]." in out
    assert "Bonjour means [greeting] in [b]French[/b]." in out
    assert out.count("Right!") == 2
    assert "Answer: Rhine" in out  # the reversed card shows the front as its answer
    assert "Score: 4/4" in out
    assert set(ScoreStore(scores).load().cards["mixed"]) == {
        "bonjour.c1", "bonjour.c2", "rhine", "rhine.reverse"}
