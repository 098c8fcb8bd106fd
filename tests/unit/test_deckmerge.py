"""Card ids that follow the content: ``contentids.content_ids`` names an article's quotes,
encounters and facts by what they say, and ``deckmerge.merge`` gives each card made again
the id of the card made before that asks the same, so a person's answers stay with it."""

from __future__ import annotations

from pathlib import Path

from quizapp.contentids import card_subject, content_ids
from quizapp.deckmerge import merge
from quizapp.generate import build_decks, load_dataset
from quizapp.models import Card, Deck, DeckInfo

DATASET = Path(__file__).resolve().parents[2] / "quizapp" / "datasets" / "trump_putin.toml"


def who(card_id: str, quote: str, speaker: str = "Dana Ortiz") -> Card:
    other = "Ben Okafor" if speaker != "Ben Okafor" else "Dana Ortiz"
    return Card(id=card_id, kind="choice", question=f"Who said it? “{quote}” (Lyon, May 2021)",
                answer=speaker, distractors=[other], explanation=f"{speaker}.", tags=["who"])


def deck(*cards: Card) -> Deck:
    return Deck(deck=DeckInfo(id="pier-who", title="Who said it: pier"), cards=list(cards))


def test_content_ids_do_not_depend_on_where_a_record_stands() -> None:
    """The same article with its quotes, encounters and facts in another order: every card
    asks the same under the same id."""
    ds = load_dataset(DATASET)
    moved = ds.model_copy(update={"quotes": ds.quotes[::-1], "encounters": ds.encounters[::-1],
                                  "facts": ds.facts[::-1]})

    def asked(dataset) -> dict[str, str]:
        return {c.id: c.question for d in build_decks(content_ids(dataset)) for c in d.cards
                if not c.id.startswith("order.")}

    assert asked(moved) == asked(ds)
    # and no two cards share an id
    assert len(asked(ds)) == sum(1 for d in build_decks(ds) for c in d.cards
                                 if not c.id.startswith("order."))


def test_a_repeated_quote_gets_an_id_of_its_own() -> None:
    ds = load_dataset(DATASET)
    first = ds.quotes[0]
    twice = ds.model_copy(update={"quotes": [first, first.model_copy(update={"id": "again"}),
                                             *ds.quotes[1:]]})
    ids = [q.id for q in content_ids(twice).quotes[:2]]
    assert ids[1] == f"{ids[0]}-2"


def test_card_subject_reads_a_card_made_before_ids_followed_content() -> None:
    old = who("who.ortiz-03", "We will rebuild the east pier")
    new = who("who.ortiz-9cfbff", "We will rebuild the east pier!")
    assert card_subject(old) == card_subject(new) == "we will rebuild the east pier"


def test_an_unchanged_quote_keeps_its_id_wherever_it_moved() -> None:
    before = deck(who("who.ortiz-01", "We will rebuild the east pier"),
                  who("who.okafor-02", "The budget cannot carry it", "Ben Okafor"))
    after = deck(who("who.okafor-aaaaaa", "The budget cannot carry it", "Ben Okafor"),
                 who("who.ortiz-bbbbbb", "We will rebuild the east pier"))
    result = merge(before, after)
    assert [c.id for c in result.deck.cards] == ["who.okafor-02", "who.ortiz-01"]
    assert (result.added, result.removed, result.reworded) == ([], [], [])


def test_a_lightly_reworded_quote_keeps_its_id_only_with_the_same_answer() -> None:
    """A word changed is still the question the person learnt; a word changed and a new
    speaker is another question."""
    before = deck(who("who.ortiz-01", "Every fisherman in this town asked me for the pier"))
    same_speaker = merge(before, deck(
        who("who.ortiz-cccccc", "Every fisherman in this town has asked me for the pier")))
    assert [c.id for c in same_speaker.deck.cards] == ["who.ortiz-01"]
    assert same_speaker.reworded == ["who.ortiz-01"]
    other_speaker = merge(before, deck(who(
        "who.okafor-cccccc", "Every fisherman in this town has asked me for the pier",
        "Ben Okafor")))
    assert other_speaker.added == ["who.okafor-cccccc"]
    assert other_speaker.removed == ["who.ortiz-01"]


def test_a_rewritten_quote_is_a_new_question() -> None:
    before = deck(who("who.ortiz-01", "Every fisherman in this town asked me for the pier"))
    result = merge(before, deck(who("who.ortiz-dddddd", "The pier will be finished by May")))
    assert (result.kept, result.added, result.removed) == ([], ["who.ortiz-dddddd"],
                                                           ["who.ortiz-01"])


def test_the_most_alike_old_card_is_the_one_kept() -> None:
    before = deck(who("who.ortiz-01", "We will rebuild the east pier next spring"),
                  who("who.ortiz-02", "We will rebuild the west pier next spring"))
    result = merge(before, deck(who("who.ortiz-eeeeee",
                                    "We will rebuild the west pier in spring")))
    assert [c.id for c in result.deck.cards] == ["who.ortiz-02"]
    assert result.reworded == ["who.ortiz-02"] and result.removed == ["who.ortiz-01"]


def test_a_new_card_never_takes_an_id_answers_were_given_to() -> None:
    """The score file knows the id (a card removed by an earlier update, a deck removed
    and imported again), or the old deck has it: the new card gets another one."""
    card = who("who.ortiz-abcdef", "A quote nobody said before")
    result = merge(None, deck(card), known={"who.ortiz-abcdef", "who.ortiz-abcdef-2"})
    assert [c.id for c in result.deck.cards] == ["who.ortiz-abcdef-3"]
    old = deck(who("who.ortiz-abcdef", "Quite another quote with its own words"))
    result = merge(old, deck(card))
    assert result.added == ["who.ortiz-abcdef-2"] and result.removed == ["who.ortiz-abcdef"]


def test_the_same_quote_twice_is_matched_in_order() -> None:
    before = deck(who("who.ortiz-01", "Yes, we will"), who("who.ortiz-03", "Yes, we will"))
    after = deck(who("who.ortiz-ffffff", "Yes, we will"), who("who.ortiz-ffffff-2", "Yes, we will"))
    assert [c.id for c in merge(before, after).deck.cards] == ["who.ortiz-01", "who.ortiz-03"]


def test_the_same_quote_with_its_speaker_corrected_keeps_its_id_and_says_so() -> None:
    """The question is the same one (as when a card's answer is edited); the update lists
    it, since what the person learnt there has changed."""
    before = deck(who("who.ortiz-01", "The budget cannot carry it"))
    result = merge(before, deck(who("who.okafor-aaaaaa", "The budget cannot carry it",
                                    "Ben Okafor")))
    assert [c.id for c in result.deck.cards] == ["who.ortiz-01"]
    assert result.deck.cards[0].answer == "Ben Okafor"
    assert result.reanswered == ["who.ortiz-01"] and result.reworded == []
