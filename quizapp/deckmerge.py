"""An article's deck made again: which card made now is which card made before.

A person's answers are recorded under (deck id, card id). When an article is edited and
imported again (``import-article --update``), each card made now is matched to the card
made before that asks about the same thing, and takes that card's id, so its answers stay
with it and the score file needs no change:

1. the same kind of card about the same thing (``contentids.card_subject``: the same quote
   words, the same encounter), in order when the same thing is asked twice;
2. else a near match: the same kind of card with the same answer, about a passage that
   is at least ``NEAR`` alike (a typo fixed, a word changed: "I do not frame them" ->
   "I never frame them"), the most alike first. A lightly edited quote is still the
   question the person learnt; with its answer changed too, it is a new question.

The same quote with another answer (its speaker corrected) keeps its id, as a card whose
answer is edited in the browser does: the question is the same one. It is listed
(``reanswered``) so the person knows that what they learnt there has changed.

Cards made by earlier versions of quizapp, whose ids counted the quotes' positions, match
the same way (their text says what they ask). A card matched by nothing is new: it gets
its own id (``contentids.content_ids``), never one the old deck or the score file already
knows for the deck (``known``), so no earlier answers land on it. A card of the old deck
matched by nothing is removed; its answers stay in the score file.

Pure: nothing is read or written here.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Collection
from dataclasses import dataclass

from rapidfuzz import fuzz

from quizapp.contentids import card_subject
from quizapp.models import Card, Deck
from quizapp.text import comparable

NEAR = 0.8


@dataclass(frozen=True)
class Merge:
    """The new deck with the ids it keeps, and what happened to each card (ids)."""

    deck: Deck
    kept: list[str]       # cards made again, under their old ids (new deck's order)
    reworded: list[str]   # of ``kept``: matched by a near match (their passage changed)
    reanswered: list[str]  # of ``kept``: the same passage with another answer
    added: list[str]      # new cards
    removed: list[str]    # old cards matched by nothing (old deck's order)


def merge(old: Deck | None, new: Deck, known: Collection[str] = ()) -> Merge:
    """``new`` with each card that asks what a card of ``old`` asked under that card's id
    (see the module doc). ``known``: ids the score file has records of for this deck; a
    new card takes none of them, nor any id of ``old``."""
    before = list(old.cards) if old is not None else []
    keys_new = [_key(c) for c in new.cards]
    keys_old = [_key(c) for c in before]
    match: dict[int, int] = {}  # new index -> old index
    waiting: dict[tuple[str, str], deque[int]] = defaultdict(deque)
    for j, key in enumerate(keys_old):
        waiting[key].append(j)
    for i, key in enumerate(keys_new):
        if waiting[key]:
            match[i] = waiting[key].popleft()
    near = _near_matches(new.cards, keys_new, before, keys_old, match)
    match.update(near)

    taken = {c.id for c in before} | set(known)
    cards: list[Card] = []
    added: list[str] = []
    for i, card in enumerate(new.cards):
        if i in match:
            cards.append(card.model_copy(update={"id": before[match[i]].id}))
            continue
        card_id, n = card.id, 2
        while card_id in taken:
            card_id, n = f"{card.id}-{n}", n + 1
        taken.add(card_id)
        cards.append(card if card_id == card.id else card.model_copy(update={"id": card_id}))
        added.append(card_id)
    matched_old = set(match.values())
    return Merge(
        deck=Deck(format=new.format, deck=new.deck, cards=cards),
        kept=[cards[i].id for i in sorted(match)],
        reworded=[cards[i].id for i in sorted(near)],
        reanswered=[cards[i].id for i in sorted(match)
                    if _answer(new.cards[i]) != _answer(before[match[i]])],
        added=added,
        removed=[c.id for j, c in enumerate(before) if j not in matched_old],
    )


def _key(card: Card) -> tuple[str, str]:
    return card.id.split(".", 1)[0], card_subject(card)


def _answer(card: Card) -> object:
    if isinstance(card.answer, list):
        return tuple(comparable(a) for a in card.answer)
    return comparable(card.answer or "")


def _near_matches(new: list[Card], keys_new: list[tuple[str, str]], old: list[Card],
                  keys_old: list[tuple[str, str]], exact: dict[int, int]) -> dict[int, int]:
    """New index -> old index for the cards left over after exact matches: same kind and
    answer, passages at least ``NEAR`` alike, the most alike pairs first."""
    taken = set(exact.values())
    pools: dict[tuple[str, object], list[int]] = defaultdict(list)
    for j, card in enumerate(old):
        if j not in taken:
            pools[keys_old[j][0], _answer(card)].append(j)
    pairs = []
    for i, card in enumerate(new):
        if i in exact:
            continue
        for j in pools.get((keys_new[i][0], _answer(card)), ()):
            # rapidfuzz's ratio (difflib's, in C): 400 near-identical quotes that all
            # changed take 0.2 s, not difflib's 25 s.
            ratio = fuzz.ratio(keys_new[i][1], keys_old[j][1], score_cutoff=NEAR * 100)
            if ratio:
                pairs.append((-ratio, j, i))
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, j, i in sorted(pairs):
        if i not in out and j not in used:
            out[i] = j
            used.add(j)
    return out
