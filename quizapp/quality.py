"""Is this a question worth asking? Checks on cards a generator (or a person) wrote.

``check_deck(deck)`` looks at the cards alone:

- ``answer-in-question``: the answer, one of its accepted forms, or a significant word of
  it, appears in the question (the question or its context gives the answer away);
- ``guessable-blank``: a "complete the quote" gap on a function word, a word of one or two
  letters, or a word the question shows elsewhere;
- ``distractor-equals-answer``: a wrong option that is the answer once case, punctuation
  and a leading "the" are ignored;
- ``distractor-in-quote``: a wrong option named inside the quote the question shows (the
  quote itself says it is not that person);
- ``distractor-inside-answer``: a wrong option that is a word of the answer or of one of its
  accepted forms ("Summit" beside an answer also called "G-20 summit");
- ``near-duplicate``: two questions that differ only in a few characters.

``check_dataset_decks(dataset, decks)`` adds what needs the article's data:

- ``distractor-wrong-type``: a wrong option of another kind than the answer (a place
  offered as a speaker);
- ``distractor-not-in-article``: a wrong option naming a person the article's body never
  mentions (named only in a photo caption or a byline);
- ``order-tie``: an order card with two items of the same date.

Every finding names the deck, the card and the reason, so a person can fix the card, and
``import-article`` can leave it out and say why.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass

from quizapp.models import Card, Dataset, Deck

# Words that carry no content: a gap on one of them is guessed from the grammar alone.
FUNCTION_WORDS = frozenset(
    "a about above after again against all also am an and any are as at be because been "
    "before being below between both but by can could did do does doing down during each "
    "even ever every few for from further had has have having he her here hers herself him "
    "himself his how i if in into is it its itself just let like lot made make many may me "
    "might more most much must my myself never no nor not now of off often on once one only "
    "or other ought our ours out over own quite rather really same say said she should so "
    "some still such than that the their theirs them then there these they this those "
    "through thus to too under until up upon us very was way we well were what when where "
    "which while who whom whose why will with would yes yet you your yours course thing "
    "things something anything nothing everything going got get".split()
)
NEAR_DUPLICATE = 95  # rapidfuzz ratio above which two questions are the same question
GAP = "_____"
_QUOTE = re.compile(r"“([^”]*)”")


@dataclass(frozen=True)
class Finding:
    deck: str
    card: str
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.deck}: cards[{self.card}]: {self.check}: {self.message}"


def norm(text: str) -> str:
    """Case, punctuation, spaces and a leading article do not make two answers differ."""
    words = re.findall(r"[\w]+", text.casefold().replace("’", "'"))
    while words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words)


def _has_phrase(text: str, phrase: str) -> bool:
    phrase = norm(phrase)
    return bool(phrase) and re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", norm(text)) is not None


def _significant_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_][\w’'-]*", text)
            if len(w) >= 4 and w.casefold() not in FUNCTION_WORDS and w[0].isupper()]


def _surname(name: str) -> list[str]:
    last = name.split()[-1] if name.split() else ""
    return [last] if len(last) >= 3 and last[0].isupper() else []


def _quoted(question: str) -> str:
    return " ".join(_QUOTE.findall(question))


def check_card(deck_id: str, card: Card) -> list[Finding]:
    out: list[Finding] = []

    def found(check: str, message: str) -> None:
        out.append(Finding(deck_id, card.id, check, message))

    if card.kind in ("choice", "text") and isinstance(card.answer, str):
        answer = card.answer
        question = card.question
        if GAP in question:
            gapped = question.replace(GAP, " ")
            if norm(answer) in FUNCTION_WORDS or len(norm(answer)) <= 2:
                found("guessable-blank", f"the gap is on {answer!r}, a word anyone can guess")
            elif _has_phrase(gapped, answer):
                found("guessable-blank", f"the gapped word {answer!r} is also shown in the question")
            elif quoted_gap := re.search(r"“([^”]*_____[^”]*)”", question):
                rest = norm(quoted_gap.group(1).replace(GAP, " ")).split()
                if not [w for w in rest if w not in FUNCTION_WORDS]:
                    found("guessable-blank", "the rest of the quote is only grammar words")
        else:
            forms = [answer, *card.accept]
            leak = next((f for f in forms if _has_phrase(question, f)), None)
            if leak is None and card.kind == "choice":
                leak = next((w for w in _significant_words(answer)
                             if _has_phrase(question, w)
                             and not any(_has_phrase(d, w) for d in card.distractors)), None)
            if leak is not None:
                found("answer-in-question", f"the question shows {leak!r}, part of the answer")
        quoted = _quoted(question)
        answer_forms = {norm(f) for f in [answer, *card.accept]}
        answer_words = {w for f in answer_forms for w in f.split()}
        for d in card.distractors:
            if norm(d) in answer_forms:
                found("distractor-equals-answer", f"the wrong option {d!r} is the answer")
            elif quoted and any(_has_phrase(quoted, w) for w in [d, *_significant_words(d),
                                                                  *_surname(d)]):
                found("distractor-in-quote", f"the wrong option {d!r} is named in the quote")
            elif norm(d) and set(norm(d).split()) <= answer_words:
                found("distractor-inside-answer",
                      f"the wrong option {d!r} is also a name of the answer")
    return out


def check_deck(deck: Deck) -> list[Finding]:
    from rapidfuzz import fuzz

    out = [f for card in deck.cards for f in check_card(deck.id, card)]
    questions = [(c.id, c.kind, norm(c.question)) for c in deck.cards if c.kind != "order"]
    for i, (a_id, a_kind, a) in enumerate(questions):
        for b_id, b_kind, b in questions[i + 1:]:
            if a and a_kind == b_kind and fuzz.ratio(a, b) >= NEAR_DUPLICATE:
                out.append(Finding(deck.id, b_id, "near-duplicate",
                                   f"asks the same as card {a_id}"))
    return out


def check_dataset_decks(ds: Dataset, decks: Iterable[Deck]) -> list[Finding]:
    """``check_deck`` for each deck, plus the checks that need the dataset."""
    people = {norm(n): p for p in ds.people for n in (p.name, *p.aliases)}
    places = {norm(f"{p.city}, {p.country}") for p in ds.places}
    labels = {}
    for e in ds.encounters:
        city = ds.place(e.place).city
        labels[norm(f"{city}: {e.occasion}")] = (e.year, e.month)
        month = calendar.month_name[e.month]
        labels[norm(f"{city} ({e.occasion}, {month} {e.year})")] = (e.year, e.month)
    out: list[Finding] = []
    for deck in decks:
        out += check_deck(deck)
        for card in deck.cards:
            family = card.id.split(".")[0]
            if card.kind == "choice" and family == "who":
                answer = people.get(norm(card.answer)) if isinstance(card.answer, str) else None
                for d in card.distractors:
                    person = people.get(norm(d))
                    if person is None:
                        out.append(Finding(deck.id, card.id, "distractor-wrong-type",
                                           f"{d!r} is not a person of the article"))
                    elif answer is not None and ((person.role == "organisation")
                                                 != (answer.role == "organisation")):
                        out.append(Finding(deck.id, card.id, "distractor-wrong-type",
                                           f"{d!r} is not of the answer's kind "
                                           "(a person and an organisation)"))
                    elif person.caption_only:
                        out.append(Finding(deck.id, card.id, "distractor-not-in-article",
                                           f"{d!r} is named only outside the article's body"))
            if card.kind == "choice" and family == "where":
                for d in card.distractors:
                    if norm(d) not in places:
                        out.append(Finding(deck.id, card.id, "distractor-wrong-type",
                                           f"{d!r} is not a place of the article"))
            if card.kind == "order" and isinstance(card.answer, list):
                dates = [labels.get(norm(item)) for item in card.answer]
                known = [d for d in dates if d is not None]
                if len(set(known)) < len(known):
                    out.append(Finding(deck.id, card.id, "order-tie",
                                       "two items have the same month and year"))
    return out
