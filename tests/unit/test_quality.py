"""Question-quality checks: each finds the poor question a person would notice, and the
bundled decks, `deck validate --lint` and `import-article` use them."""

from __future__ import annotations

from pathlib import Path

from quizapp import paths
from quizapp.cli import main
from quizapp.generate import build_decks, load_dataset
from quizapp.models import Card, Deck, DeckInfo
from quizapp.quality import check_card, check_dataset_decks, check_deck


def _checks(**card) -> list[str]:
    return [f.check for f in check_card("d", Card(**{"id": "c", "kind": "choice", **card}))]


def test_the_question_giving_the_answer_away() -> None:
    assert _checks(question="Which city hosts the Paris summit?", answer="Paris",
                   distractors=["Lyon"]) == ["answer-in-question"]
    # A significant word of a longer answer counts too ("the 1918 armistice" beside
    # an option "WWI Armistice Ceremony").
    assert _checks(question="What ended with the armistice of 1918?",
                   answer="WWI Armistice Ceremony", distractors=["G-20", "APEC"]) == [
        "answer-in-question"]
    assert _checks(question="Which city hosts the summit?", answer="Paris",
                   distractors=["Lyon"]) == []


def test_blanks_anyone_can_fill() -> None:
    def gap(question: str, answer: str) -> list[str]:
        return _checks(kind="text", question=question, answer=answer, distractors=[])

    assert gap("Complete the quote: “Yes, of _____ I will.”", "the") == ["guessable-blank"]
    assert gap("Complete the quote: “on the _____”", "fly") == ["guessable-blank"]
    assert gap("Complete the quote. He was asked about Alaska: “Why _____ Alaska?”",
               "Alaska") == ["guessable-blank"]
    assert gap("Complete the quote: “We will study the _____ carefully.”", "detail") == []


def test_wrong_options_that_cannot_be_wrong_or_cannot_be_right() -> None:
    assert _checks(question="Who said it? “Fine.”", answer="Dana Ortiz",
                   distractors=["Dana Ortiz.", "Ann Lee"]) == ["distractor-equals-answer"]
    assert _checks(question="Who said it? “Lee went through a lot with me”",
                   answer="Dana Ortiz", distractors=["Ann Lee", "Bo Kim"]) == [
        "distractor-in-quote"]
    assert _checks(question="What brought them to Osaka?", answer="G-20",
                   accept=["G-20 summit"], distractors=["Summit", "APEC"]) == [
        "distractor-inside-answer"]


def test_near_duplicate_questions_in_one_deck() -> None:
    cards = [Card(id=f"c{i}", kind="choice", question=q, answer="A", distractors=["B"])
             for i, q in enumerate(["Who said it? “We will win this.”",
                                    "Who said it? “We will win this!”",
                                    "Who said it? “Something else entirely.”"])]
    deck = Deck(deck=DeckInfo(id="d", title="D"), cards=cards)
    assert [(f.card, f.check) for f in check_deck(deck)] == [("c1", "near-duplicate")]


def test_dataset_checks_find_caption_people_wrong_types_and_ties() -> None:
    ds = load_dataset(paths.bundled_dataset())
    decks = build_decks(ds)
    assert check_dataset_decks(ds, decks) == []  # the bundled decks pass
    who = next(d for d in decks if d.id == "who-said-it")
    card = who.cards[0]
    caption = next(p for p in ds.people if p.caption_only)
    bad = card.model_copy(update={"distractors": [caption.name, "Helsinki, Finland"]})
    where = next(d for d in decks if d.id == "where-and-when")
    order = next(c for c in where.cards if c.id == "order.year-2018")
    tied = order.model_copy(update={"answer": ["Paris: WWI Armistice Ceremony",
                                               "Buenos Aires: G-20"]})
    decks = [who.model_copy(update={"cards": [bad]}),
             where.model_copy(update={"cards": [tied]})]
    assert sorted(f.check for f in check_dataset_decks(ds, decks)) == [
        "distractor-not-in-article", "distractor-wrong-type", "order-tie"]


def test_deck_validate_lint_names_the_file_card_and_reason(tmp_path: Path, capsys) -> None:
    path = tmp_path / "poor.toml"
    path.write_text(
        'format = 1\n[deck]\nid = "poor"\ntitle = "Poor"\n\n'
        '[[cards]]\nid = "gap"\nkind = "text"\nquestion = "Complete: “really _____”"\n'
        'answer = "bad"\n', encoding="utf-8")
    assert main(["deck", "validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["deck", "validate", "--lint", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}: cards[gap]: guessable-blank:" in out


def test_the_bundled_decks_pass_the_lint(capsys) -> None:
    files = sorted(str(p) for p in paths.bundled_decks_dir().glob("*.toml"))
    assert main(["deck", "validate", "--lint", *files]) == 0
    assert main(["generate", "--check"]) == 0
