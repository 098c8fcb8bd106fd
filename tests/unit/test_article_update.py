"""`import-article --update` of an edited article: every answer stays with the question it
was given to (scores are kept by card id), for decks imported now and for decks imported
before card ids followed content (their ids counted the quotes' positions).

The answers go through the real session and score store; each card is answered a number of
times of its own (card i of a deck i times, right and wrong in turn), so an answer that
moved to another question shows as a different record there.

``tests/fixtures/positional-decks``: ``pier.txt`` and the three decks quizapp made from it
with ``import-article pier.txt --id pier`` before this change (main at dcd75f0).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from quizapp import decks
from quizapp.cli import main
from quizapp.paths import Locations
from quizapp.session import Session
from quizapp.store import ScoreStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "positional-decks"
ORIGINAL = (FIXTURES / "pier.txt").read_text(encoding="utf-8")
DECKS = ("pier-who", "pier-where-when", "pier-story")

DELETED = "We will rebuild the east pier before the winter storms arrive"
INSERTED = "The harbour master has never once asked me about the pier"
REWORDED = {  # a light edit: the question is still the one the person learnt
    "Every fisherman in this town has asked me for the pier":
        "Every fisherman in this town asked me for the pier",
}

# The article edited: the Genoa section moved before Lyon, the first quote of Lyon deleted,
# a quote inserted into Genoa, and one quote lightly reworded.
EDITED = """\
Harbour council splits over the new pier

By Sam Lee

Mayor Dana Ortiz and councillor Ben Okafor have argued about the pier for two years.

Genoa, Italy: Harbour Summit, June 2022

“I have counted the boats myself and there are fewer each year,” Okafor said.

“The harbour master has never once asked me about the pier,” Okafor said.

“Every fisherman in this town has asked me for the pier,” Ortiz said.

Lyon, France: Ports Conference, May 2021

“The budget cannot carry a second pier this decade,” Okafor said.
"""


def asks(card) -> tuple[str, str]:
    """What a card asks, as a person reads it: its kind and quote (for an encounter card
    the encounter its explanation names, whatever the question's wording; for an order
    card its question)."""
    family = card.id.split(".")[0]
    if family in ("where", "when", "occasion"):
        return family, card.explanation
    if family == "order":
        return family, card.question
    found = re.search(r"“(.*)”", card.explanation if family == "quote" else card.question)
    assert found, card.question
    return family, REWORDED.get(found.group(1), found.group(1))


def shape(record) -> tuple[int, int, int] | None:
    return None if record is None else (record.seen, record.right, record.wrong)


def answer_cards(where: Locations) -> dict[tuple[str, tuple[str, str]], tuple[str, tuple]]:
    """Play every deck through the score store: card i of a deck is answered i times.
    Returns (deck, what the card asks) -> (card id, its record's seen/right/wrong)."""
    store = ScoreStore(where.scores)
    for deck_id in DECKS:
        deck = decks.load_deck(where.user_decks / f"{deck_id}.toml")
        for rounds in range(len(deck.cards)):
            session = Session.for_deck(deck, recorder=store)
            while (item := session.current) is not None:
                i = deck.cards.index(item.card)
                if i <= rounds:
                    session.skip()
                    continue
                right = (i + rounds) % 2 == 0
                card = item.card
                if card.kind == "flip":
                    session.grade(3 if right else 1)
                elif card.kind == "order":
                    session.answer(card.answer if right else card.answer[::-1])
                elif right:
                    session.answer(card.answer_text)
                else:
                    session.answer(card.distractors[0] if card.distractors else "no idea")
                session.advance()
            session.finish()
    records = ScoreStore(where.scores).load().cards
    out = {}
    for deck_id in DECKS:
        deck = decks.load_deck(where.user_decks / f"{deck_id}.toml")
        for card in deck.cards:
            out[deck_id, asks(card)] = (card.id, shape(records.get(deck_id, {}).get(card.id)))
    return out


def assert_answers_stayed(where: Locations, before: dict) -> set[str]:
    """Every card of the updated decks holds the answers given to the question it asks (a
    new question none), and the answers of removed questions are still in the score file
    under their old ids. Returns the ids of the new decks' cards."""
    records = ScoreStore(where.scores).load().cards
    ids = set()
    asked_now = set()
    for deck_id in DECKS:
        deck = decks.load_deck(where.user_decks / f"{deck_id}.toml")
        for card in deck.cards:
            key = (deck_id, asks(card))
            asked_now.add(key)
            ids.add(card.id)
            expected = before[key][1] if key in before else None
            assert shape(records.get(deck_id, {}).get(card.id)) == expected, (card.id, key)
    gone = [(key, old) for key, old in before.items() if key not in asked_now]
    assert {key[1][1] for key, _ in gone if key[1][0] == "who"} == {DELETED}
    for (deck_id, _), (card_id, old_shape) in gone:
        assert shape(records.get(deck_id, {}).get(card_id)) == old_shape
    return ids


def test_update_keeps_each_answer_with_its_question(tmp_path: Path, capsys) -> None:
    """Import, answer, edit the article (a quote deleted, one inserted, one reworded, the
    sections swapped), --update: each answer is still on the question with its quote."""
    article = tmp_path / "pier.txt"
    article.write_text(ORIGINAL, encoding="utf-8")
    assert main(["import-article", str(article), "--id", "pier"]) == 0
    where = Locations.from_env()
    before = answer_cards(where)
    article.write_text(EDITED, encoding="utf-8")
    capsys.readouterr()
    assert main(["import-article", str(article), "--id", "pier", "--update", "--yes"]) == 0
    out = capsys.readouterr().out
    new_ids = assert_answers_stayed(where, before)
    # The inserted quote's cards are the only new ones, and take no id an earlier card had.
    old_ids = {card_id for card_id, _ in before.values()}
    added = {asks(card) for d in DECKS
             for card in decks.load_deck(where.user_decks / f"{d}.toml").cards
             if card.id not in old_ids}
    assert {quote for _, quote in added} == {INSERTED}
    # what --update says about the who-said-it deck
    who_line = next(line for line in out.splitlines() if line.startswith("pier-who: "))
    assert who_line == ("pier-who: kept 6, added 2, removed 2 (1 answered: its answers "
                        "stay in the score file)")
    lines = out.splitlines()
    reworded = [line for line in lines if line.startswith("  reworded, progress kept: who.")]
    fisherman = before["pier-who", ("who", "Every fisherman in this town asked me for the pier")]
    assert len(reworded) == 1 and reworded[0].startswith(
        f"  reworded, progress kept: {fisherman[0]}: “Every fisherman in this town")
    removed = [line for line in lines if line.startswith("  removed: ")][:2]
    assert [line.split(":")[1].strip().split(".")[0] for line in removed] == ["who", "quote"]
    assert all("“We will rebuild the east pier" in line for line in removed)
    # (the deck's first card, the deleted quote's who card, was never answered)
    assert "(answered)" not in removed[0] and "(answered)" in removed[1]
    assert "pier-where-when: cards unchanged, in the article's new order" in out


def test_update_of_a_deck_with_positional_ids(tmp_path: Path, capsys) -> None:
    """A deck imported before ids followed content (who.ortiz-01, who.okafor-02...): its
    cards keep their old ids, so the answers need no migration, and no new card takes the
    id of a card that was numbered by position."""
    where = Locations.from_env()
    where.user_decks.mkdir(parents=True)
    for deck_id in DECKS:
        shutil.copy(FIXTURES / f"{deck_id}.toml", where.user_decks)
    before = answer_cards(where)
    assert before["pier-who", ("who", DELETED)][0] == "who.ortiz-01"
    article = tmp_path / "pier.txt"
    article.write_text(EDITED, encoding="utf-8")
    assert main(["import-article", str(article), "--id", "pier", "--update", "--yes"]) == 0
    out = capsys.readouterr().out
    new_ids = assert_answers_stayed(where, before)
    old_ids = {card_id for card_id, _ in before.values()}
    # The quote now first in the article kept its positional id (it was the fourth).
    who = decks.load_deck(where.user_decks / "pier-who.toml")
    assert asks(who.cards[0])[1].startswith("I have counted the boats")
    assert who.cards[0].id == "who.okafor-04"
    added = sorted(new_ids - old_ids)
    assert added and not any(re.search(r"-0\d$", i) for i in added)
    assert "pier-who: kept 6, added 2, removed 2" in out


def test_update_without_yes_asks_and_changes_nothing(tmp_path: Path, capsys, monkeypatch) -> None:
    """An answered question would leave: without a terminal and --yes nothing is written."""
    import io
    import sys

    article = tmp_path / "pier.txt"
    article.write_text(ORIGINAL, encoding="utf-8")
    assert main(["import-article", str(article), "--id", "pier"]) == 0
    where = Locations.from_env()
    answer_cards(where)
    files = {d: (where.user_decks / f"{d}.toml").read_bytes() for d in DECKS}
    article.write_text(EDITED, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    capsys.readouterr()
    assert main(["import-article", str(article), "--id", "pier", "--update"]) == 1
    err = capsys.readouterr().err
    assert "card(s) with answers would be removed; confirm on a terminal, or pass --yes" in err
    assert {d: (where.user_decks / f"{d}.toml").read_bytes() for d in DECKS} == files


def test_update_after_a_title_edit_points_at_the_decks_made_before(tmp_path: Path,
                                                                    capsys) -> None:
    """Deck ids come from the title: with the title edited, --update finds no deck of
    those ids. Adding a second set beside the first would leave the answers behind, so it
    names the id the article's decks have and writes nothing."""
    article = tmp_path / "pier.txt"
    article.write_text(ORIGINAL, encoding="utf-8")
    assert main(["import-article", str(article)]) == 0
    where = Locations.from_env()
    made = sorted(p.name for p in where.user_decks.glob("*.toml"))
    article.write_text(ORIGINAL.replace("splits over", "fights about"), encoding="utf-8")
    capsys.readouterr()
    assert main(["import-article", str(article), "--update"]) == 1
    err = capsys.readouterr().err
    old_id = made[0].rsplit("-", 1)[0]  # harbour-council-splits-new-story -> ...-new
    assert f"have the id {old_id!r}" in err and f"pass --id {old_id} to update them" in err
    assert sorted(p.name for p in where.user_decks.glob("*.toml")) == made
    assert main(["import-article", str(article), "--update", "--id", old_id]) == 0
    assert sorted(p.name for p in where.user_decks.glob("*.toml")) == made


def test_a_deck_the_edited_article_no_longer_fills_is_left_and_named(tmp_path: Path,
                                                                      capsys) -> None:
    """The encounters' headings gone: no where-and-when cards are made. That deck and its
    answers are left as they are, and the update says so."""
    article = tmp_path / "pier.txt"
    article.write_text(ORIGINAL, encoding="utf-8")
    assert main(["import-article", str(article), "--id", "pier"]) == 0
    where = Locations.from_env()
    kept = (where.user_decks / "pier-where-when.toml").read_bytes()
    flat = "\n".join(line for line in ORIGINAL.splitlines() if ": " not in line or "“" in line)
    article.write_text(flat, encoding="utf-8")
    capsys.readouterr()
    assert main(["import-article", str(article), "--id", "pier", "--update", "--yes"]) == 0
    out = capsys.readouterr().out
    assert ("pier-where-when: the article gives it no cards any more; left as it is "
            "(`quizapp deck remove pier-where-when` removes it)") in out
    assert (where.user_decks / "pier-where-when.toml").read_bytes() == kept
