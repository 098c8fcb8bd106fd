"""Searching the cards of a deck: a pure index both the browser and any other front end use.

``CardIndex`` is built once per version of a deck: one casefolded string per card (id,
question, answers, distractors, accepted answers, explanation) and its tags, so a search is
a plain substring scan. A query is words (each must occur) and ``tag:NAME`` filters.
"""

from __future__ import annotations

from collections.abc import Sequence

from quizapp.models import Card


def search_text(card: Card) -> str:
    """Everything a search looks at, lowercased (casefolded) into one string."""
    answer = card.answer if isinstance(card.answer, list) else [card.answer_text]
    parts = [card.id, card.question, *answer, *card.distractors, *card.accept, card.explanation]
    return "\n".join(parts).casefold()


def parse_query(query: str) -> tuple[list[str], list[str]]:
    """``"paris tag:geo"`` -> words ``["paris"]`` and tags ``["geo"]`` (all casefolded)."""
    words: list[str] = []
    tags: list[str] = []
    for token in query.split():
        if token.casefold().startswith("tag:") and len(token) > 4:
            tags.append(token[4:].casefold())
        else:
            words.append(token.casefold())
    return words, tags


class CardIndex:
    """The search text and tags of every card of one deck, built once."""

    def __init__(self, cards: Sequence[Card]) -> None:
        self.by_id = {card.id: card for card in cards}
        self.texts = [search_text(card) for card in cards]
        # The cards of a big deck share their tags lists (``models.SharedLists``): one set
        # per list, not one per card.
        sets: dict[int, tuple[list[str], frozenset[str]]] = {}
        self.tags: list[frozenset[str]] = []
        for card in cards:
            found = sets.get(id(card.tags))
            if found is None or found[0] is not card.tags:
                found = sets[id(card.tags)] = (card.tags,
                                               frozenset(t.casefold() for t in card.tags))
            self.tags.append(found[1])

    def matches(self, query: str, tag: str | None = None) -> list[int]:
        """Indexes of the cards holding every word of ``query`` (as substrings) and every
        ``tag:NAME`` of it, and ``tag`` when given."""
        words, tags = parse_query(query)
        if tag:
            tags.append(tag.casefold())
        found = range(len(self.texts))
        if tags:
            wanted = set(tags)
            found = [i for i in found if wanted <= self.tags[i]]
        for word in words:
            texts = self.texts
            found = [i for i in found if word in texts[i]]
        return list(found)


def all_tags(cards: Sequence[Card]) -> list[str]:
    return sorted({tag for card in cards for tag in card.tags}, key=str.casefold)
