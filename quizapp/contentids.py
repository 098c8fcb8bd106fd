"""Ids that follow what a record says, not where the article put it.

A person's answers are recorded by card id, and an extracted dataset numbers its quotes by
position ("reyes-02"): a quote deleted, inserted or moved handed the answers of one
question to another. ``content_ids`` names an extracted dataset's quotes, encounters and
facts by what they say, so the cards ``generate`` makes from them keep their ids when the
article is edited around them. ``card_subject`` reads back from a generated card what it
asks about, also from cards made before ids followed content: ``deckmerge`` matches an
article's new cards to its old ones by it.

Pure: nothing is read or written here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from quizapp.generate import MONTHS
from quizapp.models import Card, Dataset, Fact

ID_HASH_DIGITS = 6


def content_key(text: str) -> str:
    """What two copies of a passage share when they say the same words: Unicode forms
    (NFKC), case, punctuation and spacing do not count ("It's over," -> "it s over")."""
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def content_hash(text: str) -> str:
    """A short, stable hash of a passage's words (``content_key``): "3f9a2c"."""
    return hashlib.sha1(content_key(text).encode("utf-8")).hexdigest()[:ID_HASH_DIGITS]


def quoted(text: str) -> str | None:
    """The passage between a text's first “ and its last ”, or None."""
    start, end = text.find("“"), text.rfind("”")
    return text[start + 1:end] if 0 <= start < end else None


def content_ids(ds: Dataset) -> Dataset:
    """``ds`` with the ids of its quotes, encounters and facts made from what they say,
    so that the cards made from them keep their ids when the article is edited around
    them (a quote deleted, inserted or moved, a paragraph added). An extracted dataset
    numbers its quotes by position; a person's answers are recorded by card id, and a
    position-numbered card hands them to another question when the article changes.

    - a quote: ``<speaker>-<hash of its words>`` ("reyes-3f9a2c"; "unattributed-..."),
    - an encounter: ``<place>-<year>-<month>`` ("vienna-2015-03"; the extractor merges
      two encounters of one place and month, so this names one),
    - a fact that quotes one of the quotes: ``said-<that quote's id>``, any other fact
      ``fact-<hash of its question>``.

    The words are hashed as ``content_key`` folds them, so a changed curly quote or
    capital does not make a new card. The same words twice (a repeated quote) get -2,
    -3 in the article's order. Everything else is kept, and the result is checked like
    any dataset. A hand-made dataset (the bundled one) keeps its own ids: this is for
    the extractor's."""
    encounters = _renamed(ds.encounters, lambda e: f"{e.place}-{e.year}-{e.month:02d}")
    quotes = _renamed(ds.quotes, lambda q: f"{q.speaker or 'unattributed'}-{content_hash(q.text)}")
    by_words = {}
    for q in ds.quotes:
        by_words.setdefault(content_key(q.text), quotes[q.id])

    def fact_id(f: Fact) -> str:
        passage = quoted(f.question)
        if passage is not None and content_key(passage) in by_words:
            return f"said-{by_words[content_key(passage)]}"
        return f"fact-{content_hash(f.question)}"

    facts = _renamed(ds.facts, fact_id)

    def moved(e: str | None) -> str | None:
        return None if e is None else encounters[e]

    return Dataset.model_validate({
        **ds.model_dump(exclude={"encounters", "quotes", "facts"}),
        "encounters": [e.model_copy(update={"id": encounters[e.id]}) for e in ds.encounters],
        "quotes": [q.model_copy(update={"id": quotes[q.id], "encounter": moved(q.encounter)})
                   for q in ds.quotes],
        "facts": [f.model_copy(update={"id": facts[f.id], "encounter": moved(f.encounter)})
                  for f in ds.facts],
    })


def _renamed(records, name) -> dict[str, str]:
    """Old id -> new id (``name(record)``; a name given before gets -2, -3...)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for record in records:
        base = new = name(record)
        n = 2
        while new in taken:
            new, n = f"{base}-{n}", n + 1
        taken.add(new)
        out[record.id] = new
    return out


_LABEL = re.compile(rf"^(?P<city>.+?) \(.*, (?P<when>(?:{'|'.join(MONTHS)}) \d{{4}})\): ")


def card_subject(card: Card) -> str:
    """What a generated card asks about, read from its text, as ``content_key`` folds it:
    for a quote card ("who", "quote") and a fact that quotes someone ("what", "flip"),
    the quote's words; for an encounter card ("where", "when", "occasion") its city and
    month, from the explanation; for an order card the group it orders (its id). Cards
    made by earlier versions of quizapp (whose ids counted positions) read the same, so
    ``deckmerge`` can match them to the cards made now. Anything else: the question."""
    family = card.id.split(".", 1)[0]
    if family == "order":
        return content_key(card.id)
    if family in ("where", "when", "occasion"):
        label = _LABEL.match(card.explanation)
        if label is not None:
            return content_key(f"{label['city']} {label['when']}")
    passage = card_passage(card)
    return content_key(passage if passage is not None else card.question)


def card_passage(card: Card) -> str | None:
    """The quote a generated card asks about, as written (a "quote" card's question has a
    gap: its explanation holds the whole quote), or None when it quotes nothing."""
    family = card.id.split(".", 1)[0]
    if family in ("where", "when", "occasion", "order"):
        return None
    return quoted(card.explanation if family == "quote" else card.question)
