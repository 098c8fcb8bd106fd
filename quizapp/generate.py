"""Dataset -> decks: pure and deterministic.

``build_decks(dataset)`` turns the article dataset into question decks; ``render(dataset)``
gives each deck's file name and TOML text. The same dataset always gives the same cards,
in the same order, with the same wrong options, so the files are byte-identical.

Card ids are derived from dataset ids (``who.<quote-id>``, ``when.<encounter-id>``...), so
rewording a question keeps the progress recorded against it. Every card carries exactly
one family tag (see ``FAMILIES``); statistics group accuracy by it. An extracted dataset's
ids are first made from what each record says (``contentids.content_ids``), so a card's
id follows its quote or encounter, not where the article put it.

Wrong options ("distractors") are of the answer's type and drawn from the dataset. A
distractor is never the answer or one of its aliases, and never another true answer: a
"when" question about one of two encounters in the same month does not offer that month
as wrong, and "who said it" never offers someone who said the same words.

Nothing here is about one article: questions name the people, places, occasions and
dates the dataset holds (an encounter's ``people`` are who the questions say met), and
fall back to wording without names when the dataset has none.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from quizapp import tomlio
from quizapp.decks import MAX_DECK_BYTES, dump_deck, validation_problems
from quizapp.errors import DatasetError  # noqa: F401 (raised here, part of this module's API)
from quizapp.models import Card, Dataset, Deck, DeckInfo, Encounter, Fact, Quote
from quizapp.quality import FUNCTION_WORDS, norm
from quizapp.text import comparable

FAMILIES = ("who", "where", "when", "occasion", "what", "quote", "order", "flip")
DISTRACTORS = 3
GAP = "_____"

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def load_dataset(path: Path) -> Dataset:
    """Read and validate a dataset file; raise ``DatasetError`` naming the file and field."""
    try:
        text = tomlio.decode_text(tomlio.read_bytes(path, MAX_DECK_BYTES, "a dataset"), path)
        data = tomlio.parse_toml(text, path)
    except FileNotFoundError as exc:
        raise DatasetError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    except tomlio.FileProblem as exc:
        raise DatasetError([str(exc)]) from None
    try:
        return Dataset.model_validate(data)
    except ValidationError as exc:
        lines = text.splitlines()
        problems = validation_problems(path, exc, line_for=lambda loc: _line_of(lines, loc))
        raise DatasetError([_locate_reference(p, path, data, lines) for p in problems]) from None


_REFERENCE = re.compile(r": \(top level\): (encounter|quote|fact) '([^']+)': (unknown (\w+) .*)$")


def _locate_reference(problem: str, path: Path, data: dict, lines: list[str]) -> str:
    """Point a broken reference ("quote 'x': unknown speaker 'y'") at its record's field."""
    match = _REFERENCE.search(problem)
    if match is None:
        return problem
    kind, record_id, message, field_name = match.groups()
    collection = f"{kind}s"
    records = data.get(collection)
    ids = [r.get("id") if isinstance(r, dict) else None for r in records or []]
    if record_id not in ids:
        return problem
    loc = (collection, ids.index(record_id), field_name)
    line = _line_of(lines, loc)
    where = f"{path}:{line}" if line else f"{path}"
    return f"{where}: {collection}[{loc[1]}].{field_name}: {message}"


_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?")


def _line_of(lines: list[str], loc) -> int | None:
    """The line (1-based) of a dataset field such as ``("quotes", 3, "text")``: the key's
    own line inside its table, else the table's header, else None."""
    if not loc or not isinstance(loc[0], str):
        return None
    headers = [(i, m.group(1), lines[i].lstrip().startswith("[["))
               for i, line in enumerate(lines) if (m := _HEADER.match(line))]
    if len(loc) > 1 and isinstance(loc[1], int):
        tables = [i for i, name, array in headers if array and name == loc[0]]
        if loc[1] >= len(tables):
            return None
        start, key = tables[loc[1]], loc[2] if len(loc) > 2 else None
    else:
        tables = [i for i, name, array in headers if not array and name == loc[0]]
        if tables:
            start, key = tables[0], loc[1] if len(loc) > 1 else None
        else:  # a top-level key, before the first table
            start, key = -1, loc[0]
    end = next((i for i, _, _ in headers if i > start), len(lines))
    if isinstance(key, str):
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(start + 1, end):
            if pattern.match(lines[i]):
                return i + 1
    return start + 1 if start >= 0 else None


# Folding a string is pure and the same few names are folded for every card: kept, so
# that distractors for hundreds of quotes do not fold every name hundreds of times.
_fold = lru_cache(maxsize=1 << 16)(comparable)
_norm = lru_cache(maxsize=1 << 16)(norm)


def _unique(items: Iterable[str], skip: Iterable[str] = ()) -> list[str]:
    """Items without repeats (by ``comparable``), leaving out anything folded into ``skip``."""
    seen = {_fold(s) for s in skip}
    out = []
    for item in items:
        key = _fold(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def pick_distractors(
    card_id: str, candidates: Iterable[str], wrong_to_offer: set[str],
    preferred: Iterable[str] = (), count: int = DISTRACTORS,
) -> list[str]:
    """Up to ``count`` wrong options, the same ones every run for the same card.

    ``wrong_to_offer`` holds the folded forms of every true answer and alias: none of them
    is ever offered. ``preferred`` candidates (for example people who are quoted at all)
    fill up to ``count - 1`` places first, so a question keeps at least one plausible
    decoy without always showing the same set.
    """
    # A candidate made only of words of a right answer ("Summit" beside "G-20 summit",
    # "Dana" beside "Dana Ortiz") is not wrong either.
    right_words = {w for form in wrong_to_offer for w in _norm(form).split()}
    pool = sorted(_unique(c for c in candidates if _fold(c) not in wrong_to_offer
                          and not (_norm(c) and set(_norm(c).split()) <= right_words)))
    in_pool = set(pool)
    favourites = [c for c in sorted(_unique(preferred)) if c in in_pool]
    rng = random.Random(card_id)
    chosen = rng.sample(favourites, min(len(favourites), count - 1)) if count > 1 else []
    taken = set(chosen)
    rest = [c for c in pool if c not in taken]
    chosen += rng.sample(rest, min(len(rest), count - len(chosen)))
    return sorted(chosen, key=_fold)


def month_year(encounter: Encounter) -> str:
    return f"{MONTHS[encounter.month - 1]} {encounter.year}"


def date_forms(encounter: Encounter) -> list[str]:
    """Other ways to type an encounter's month and year, and its whole date when the
    article gives the day ("May 20, 2023", "20 May 2023", "2023-05-20"; not 20/05/2023,
    which reads as another date in other countries)."""
    name = MONTHS[encounter.month - 1]
    m, y, d = encounter.month, encounter.year, encounter.day
    forms = [f"{name[:3]} {y}", f"{m}/{y}", f"{m:02d}/{y}", f"{y}-{m:02d}"]
    if d is not None:
        forms += [f"{name} {d}, {y}", f"{d} {name} {y}", f"{name[:3]} {d}, {y}",
                  f"{d} {name[:3]} {y}", f"{y}-{m:02d}-{d:02d}"]
    return forms


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


# Words too common to be worth asking for in "complete the quote".
_COMMON = frozenset(
    "a about all an and are as at be been but by do for from had has have he her his i if "
    "in is it its me my no not of on or our out so than that the their them there they "
    "this through to up us very was we well were what which who will with would yes you "
    "your really".split()
)


def gap_word(text: str, shown: str = "") -> tuple[str, str] | None:
    """The word to blank out of a quote and the quote with that word replaced by a gap.

    The word is the quote's longest content word (the first one if tied) that the question
    does not show anyway: not a function word, not a word used twice in the quote, not a
    word of ``shown`` (the lead and hint printed with the quote). None when no word
    qualifies, or for a quote of one or two words: a blank anyone can fill, or one that
    many words fill ("_____ devastated"), is no question.
    """
    words = list(re.finditer(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*", text))
    if len(words) < 3:
        return None  # "_____ devastated": too little around the gap to tell which word
    folded = [m.group().casefold() for m in words]
    visible = {w.casefold() for w in re.findall(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*", shown)}
    candidates = [m for m, f in zip(words, folded)
                  if f not in _COMMON and f not in FUNCTION_WORDS and len(f) >= 3
                  and folded.count(f) == 1 and f not in visible]
    if not candidates:
        return None
    best = max(candidates, key=lambda m: (len(m.group()), -m.start()))
    rest = [f for m, f in zip(words, folded) if m is not best]
    if sum(1 for f in rest if f not in FUNCTION_WORDS and f not in _COMMON) < 1:
        return None  # "on the _____": nothing but grammar left to go on
    return best.group(), text[: best.start()] + GAP + text[best.end():]


def apostrophe_forms(word: str) -> list[str]:
    """A word with curly apostrophes also accepted with straight ones, and the reverse."""
    forms = {word.replace("’", "'"), word.replace("'", "’")} - {word}
    return sorted(forms)


@dataclass(frozen=True)
class _Encounters:
    """Encounter lookups shared by the families."""

    dataset: Dataset

    def city_country(self, e: Encounter) -> str:
        place = self.dataset.place(e.place)
        return f"{place.city}, {place.country}"

    def place_forms(self, e: Encounter) -> list[str]:
        place = self.dataset.place(e.place)
        return [f"{place.city}, {place.country}", place.city, *place.aliases,
                *(f"{a}, {place.country}" for a in place.aliases)]

    def label(self, e: Encounter) -> str:
        """Names an encounter in an answer: city, occasion and date."""
        return f"{self.dataset.place(e.place).city} ({e.occasion}, {month_year(e)})"

    def dated_label(self, e: Encounter) -> str:
        """Names an encounter by city and date only."""
        return f"{self.dataset.place(e.place).city} ({month_year(e)})"

    def short_label(self, e: Encounter) -> str:
        """Names an encounter without its date (for order cards)."""
        return f"{self.dataset.place(e.place).city}: {e.occasion}"

    def occasion_forms(self, occasion: str) -> set[str]:
        """Every folded name of an occasion, merging aliases across encounters."""
        forms = {comparable(occasion)}
        for e in self.dataset.encounters:
            if comparable(e.occasion) == comparable(occasion):
                forms |= {comparable(a) for a in e.occasion_aliases}
        return forms

    def chronological(self, encounters: Iterable[Encounter] | None = None) -> list[Encounter]:
        """Earliest first; encounters of the same month keep the dataset's order."""
        pool = list(self.dataset.encounters if encounters is None else encounters)
        index = {e.id: i for i, e in enumerate(self.dataset.encounters)}
        return sorted(pool, key=lambda e: (e.year, e.month, index[e.id]))


def _choice_or_text(card: dict) -> Card:
    """A choice card, or a typed-answer card when the dataset has no wrong options."""
    if not card.get("distractors"):
        card = {**card, "kind": "text", "distractors": []}
    return Card(**card)


def _tags(family: str, *extra: str | None) -> list[str]:
    return [family, *(t for t in extra if t)]


def short_name(person) -> str:
    """How a question names a person: the surname when it is one of their names, else the name."""
    last = person.name.split()[-1]
    return last if comparable(last) in {comparable(a) for a in person.aliases} else person.name


def _join(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def who_met(ds: Dataset, e: Encounter) -> str | None:
    """The people who took part in an encounter, as a question names them ("Smith and Jones")."""
    if not e.people:
        return None
    return _join([short_name(ds.person(pid)) for pid in e.people])


def regulars(ds: Dataset) -> list[str]:
    """Ids of the people who took part in every encounter (in the first encounter's order)."""
    if not ds.encounters:
        return []
    first = ds.encounters[0].people
    return [pid for pid in first if all(pid in e.people for e in ds.encounters)]


def subject_tag(ds: Dataset) -> str:
    """The decks' shared tag: the people every encounter is about ("smith-jones"), else "article"."""
    return "-".join(regulars(ds)) or "article"


# --------------------------------------------------------------------------- families


def who_cards(ds: Dataset) -> list[Card]:
    """Quote -> speaker (choice).

    The people, their folded names and the pools of wrong options are worked out once per
    dataset, so an article of a few hundred quotes and people takes well under a second
    (each card looked everyone up again: 400 quotes took 40 s)."""
    by_id = {p.id: p for p in ds.people}
    speakers = sorted({q.speaker for q in ds.quotes if q.speaker})
    same_words: dict[str, set[str]] = {}
    for o in ds.quotes:
        if o.speaker:
            same_words.setdefault(comparable(o.text), set()).add(o.speaker)
    folded = {p.id: {comparable(x) for x in (p.name, *p.aliases)} for p in ds.people}
    always_right = {p.id for p in ds.people if p.caption_only}
    name_forms = {p.id: _name_forms(p) for p in ds.people}
    # the options of each kind: people for a person, organisations for an organisation
    pool = {kind: [p.name for p in ds.people if is_organisation(p) == kind]
            for kind in (False, True)}
    liked = {kind: [by_id[s].name for s in speakers if is_organisation(by_id[s]) == kind]
             for kind in (False, True)}
    cards = []
    for q in ds.quotes:
        if q.speaker is None:
            continue
        person = by_id[q.speaker]
        kind = is_organisation(person)
        if len(pool[kind]) < 2:
            continue  # the article's only person (or body): a question with one answer
        # Never offered as wrong: whoever said the same words, people named only outside
        # the article's body, and anyone the quote itself names (it is not their words).
        said_it = same_words[comparable(q.text)] | always_right | {
            pid for pid, names in name_forms.items() if _named_in(names, q.text)}
        wrong = set().union(*(folded[pid] for pid in said_it))
        hint = _quote_hint(ds, q)
        card_id = f"who.{q.id}"
        cards.append(_choice_or_text(dict(
            id=card_id,
            kind="choice",
            question=f"Who said it? “{q.text}”{hint}",
            answer=person.name,
            accept=_unique(person.aliases, skip=[person.name]),
            distractors=pick_distractors(card_id, pool[kind], wrong, preferred=liked[kind]),
            # the quote's setting, else who the speaker is (not the answer said twice)
            explanation=_sentence(f"{person.name}: {q.context}" if q.context
                                  else f"{person.name}, {person.role}" if person.role
                                  else person.name),
            tags=_tags("who", q.encounter),
            section=q.section,
        )))
    return cards


def is_organisation(person) -> bool:
    """Extracted datasets mark organisations that speak with the role "organisation"."""
    return person.role == "organisation"


def _name_forms(person) -> list[str]:
    """The ways a text may name a person: name, aliases, last word of the name."""
    return sorted(n for n in {person.name, *person.aliases, person.name.split()[-1]} if n)


def _named_in(names: list[str], text: str) -> bool:
    return any(n in text and re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text)
               for n in names)


def _quote_hint(ds: Dataset, q: Quote) -> str:
    if q.encounter is not None:
        e = ds.encounter(q.encounter)
        return f" ({ds.place(e.place).city}, {month_year(e)})"
    if q.year is not None:
        return f" ({q.year})"
    return ""


def quote_cards(ds: Dataset) -> list[Card]:
    """Complete the quote (typed): one word of the quote is a gap."""
    cards = []
    for q in ds.quotes:
        who = ds.person(q.speaker).name if q.speaker else "Unnamed speaker"
        lead = q.context or who
        gapped = gap_word(q.text, shown=f"{lead}{_quote_hint(ds, q)}")
        if gapped is None:
            continue
        word, text = gapped
        cards.append(Card(
            id=f"quote.{q.id}",
            kind="text",
            question=f"Complete the quote. {lead}{_quote_hint(ds, q)}: “{text}”",
            answer=word,
            accept=_unique([*apostrophe_forms(word), *_person_forms(ds, word)], skip=[word]),
            explanation=f"{who}: “{q.text}”",
            tags=_tags("quote", q.encounter),
            section=q.section,
        ))
    return cards


def _person_forms(ds: Dataset, word: str) -> list[str]:
    """If the missing word names a person (a surname), their other names count too."""
    for p in ds.people:
        if _fold(word) in {_fold(x) for x in (p.name, *p.aliases)}:
            return [p.name, *p.aliases]
    return []


def where_cards(ds: Dataset) -> list[Card]:
    """Encounter -> "City, Country" (choice)."""
    enc = _Encounters(ds)
    cards = []
    for e in ds.encounters:
        # Any encounter the question also fits (same occasion and date) is a true answer.
        same = [o for o in ds.encounters
                if comparable(o.occasion) == comparable(e.occasion) and (o.year, o.month) == (e.year, e.month)]
        wrong = {comparable(x) for o in same for x in enc.place_forms(o)}
        answer = enc.city_country(e)
        cards.append(_encounter_card(
            enc, e, "where", _where_question(ds, e), answer,
            accept=_unique(enc.place_forms(e), skip=[answer]),
            candidates=(f"{p.city}, {p.country}" for p in ds.places), wrong=wrong,
            preferred=(enc.city_country(o) for o in ds.encounters)))
    return cards


def _encounter_card(enc: _Encounters, e: Encounter, family: str, question: str, answer: str,
                    *, accept: list[str], candidates: Iterable[str], wrong: set[str],
                    preferred: Iterable[str] = ()) -> Card:
    """A choice card of ``family`` asked about encounter ``e`` (where, when, occasion):
    wrong options from ``candidates`` (``preferred`` first), none of them in ``wrong``."""
    card_id = f"{family}.{e.id}"
    return _choice_or_text(dict(
        id=card_id,
        kind="choice",
        question=question,
        answer=answer,
        accept=accept,
        distractors=pick_distractors(card_id, candidates, wrong, preferred=preferred),
        explanation=_sentence(f"{enc.label(e)}: {e.summary}"),
        tags=_tags(family, e.id),
        section=e.section,
    ))


def _where_question(ds: Dataset, e: Encounter) -> str:
    who = who_met(ds, e)
    if who is None:
        # the occasion as a label: any heading's words fit ("Agreement signed", "First
        # talks"), where "Where was the Agreement signed held" did not
        return f"Where was this: {e.occasion} ({month_year(e)})?"
    if len(e.people) == 1:  # one person crosses paths with no one: where were they
        return f"Where was {who} in {month_year(e)}{_occasion_note(e)}?"
    return f"Where did {who} cross paths in {month_year(e)}{_occasion_note(e)}?"


def when_cards(ds: Dataset) -> list[Card]:
    """Encounter -> "Month Year" (choice)."""
    enc = _Encounters(ds)
    cards = []
    for e in ds.encounters:
        # Every encounter the question also fits (same place and occasion) is a true answer.
        same = [o for o in ds.encounters
                if o.place == e.place and comparable(o.occasion) == comparable(e.occasion)]
        wrong = {comparable(x) for o in same for x in (month_year(o), *date_forms(o))}
        answer = month_year(e)
        cards.append(_encounter_card(
            enc, e, "when", _when_question(ds, e, enc.city_country(e)), answer,
            accept=_unique(date_forms(e), skip=[answer]),
            candidates=(month_year(o) for o in ds.encounters), wrong=wrong))
    return cards


def _when_question(ds: Dataset, e: Encounter, where: str) -> str:
    who = who_met(ds, e)
    if who is None:
        return f"When was this: {e.occasion} ({where})?"
    if len(e.people) == 1:
        return f"When was {who} in {where}{_occasion_note(e)}?"
    return f"When did {who} cross paths in {where}{_occasion_note(e)}?"


def _generic_occasion(e: Encounter) -> bool:
    """What an article's "met in Lyon" gives when it names no occasion: no clue to show."""
    return comparable(e.occasion) == "meeting"


def _occasion_note(e: Encounter) -> str:
    return "" if _generic_occasion(e) else f" ({e.occasion})"


def occasion_cards(ds: Dataset) -> list[Card]:
    """Encounter -> occasion (choice)."""
    enc = _Encounters(ds)
    cards = []
    for e in ds.encounters:
        if _generic_occasion(e):
            continue  # "What brought them to Lyon?" "Meeting": a question that tells nothing
        same = [o for o in ds.encounters
                if o.place == e.place and (o.year, o.month) == (e.year, e.month)]
        wrong = set().union(*(enc.occasion_forms(o.occasion) for o in same))
        # An occasion any of whose names is a right answer is not offered as wrong.
        # ... nor one that is a word of the answer's names ("summit" beside "G-20 summit").
        answer_words = {w for form in wrong for w in norm(form).split()}
        candidates = [o.occasion for o in ds.encounters
                      if not enc.occasion_forms(o.occasion) & wrong
                      and not set(norm(o.occasion).split()) <= answer_words]
        cards.append(_encounter_card(
            enc, e, "occasion", _occasion_question(ds, e, enc.city_country(e)), e.occasion,
            accept=_unique(e.occasion_aliases, skip=[e.occasion]),
            candidates=candidates, wrong=wrong))
    return cards


def _occasion_question(ds: Dataset, e: Encounter, where: str) -> str:
    who = who_met(ds, e)
    if who is None:
        return f"What took place in {where} in {month_year(e)}?"
    return f"What brought {who} to {where} in {month_year(e)}?"


def what_cards(ds: Dataset) -> list[Card]:
    """Fact -> the encounter it happened at (choice)."""
    enc = _Encounters(ds)
    cards = []
    for f in ds.facts:
        if f.encounter is None:
            continue
        e = ds.encounter(f.encounter)
        # The options name each encounter by city, occasion and date, or by city and date
        # when the statement already names the occasion; a statement naming the city
        # gives the answer away and is asked only as a flip card.
        label = next((lab for lab in (enc.label, enc.dated_label)
                      if not _leaks(lab(e), f.statement)), None)
        if label is None:
            continue
        answer = label(e)
        accept = _unique(enc.place_forms(e), skip=[answer])
        wrong = {comparable(answer), *(comparable(a) for a in accept)}
        card_id = f"what.{f.id}"
        cards.append(_choice_or_text(dict(
            id=card_id,
            kind="choice",
            question=f"Which encounter is this about? {f.statement}",
            answer=answer,
            accept=accept,
            distractors=pick_distractors(
                card_id, (label(o) for o in ds.encounters if o.id != e.id), wrong),
            explanation=_sentence(f"{enc.label(e)}: {e.summary}"),
            tags=_tags("what", e.id),
            section=f.section,
        )))
    return cards


def _leaks(answer: str, statement: str) -> bool:
    """Does the statement show a content word of the answer?"""
    shown = set(norm(statement).split())
    return any(w in shown for w in norm(answer).split()
               if len(w) >= 4 and not w.isdigit() and w not in FUNCTION_WORDS
               and w not in {comparable(m) for m in MONTHS})


def flip_cards(ds: Dataset) -> list[Card]:
    """One flip card per fact: the question on the front, the short answer on the back."""
    return [_flip(f) for f in ds.facts]


def _flip(f: Fact) -> Card:
    return Card(
        id=f"flip.{f.id}",
        kind="flip",
        question=f.question,
        answer=f.answer,
        accept=_unique(f.accept, skip=[f.answer]),
        explanation=f.statement,
        tags=_tags("flip", f.encounter),
        section=f.section,
    )


def order_cards(ds: Dataset) -> list[Card]:
    """Put encounters in order: all of them, each occasion that recurs, each busy year."""
    enc = _Encounters(ds)
    everyone = _join([short_name(ds.person(pid)) for pid in regulars(ds)])
    groups: list[tuple[str, str, list[Encounter]]] = [
        ("order.encounters",
         f"all of {everyone}'s encounters" if everyone else "all the encounters",
         list(ds.encounters)),
    ]
    occasions = _unique(e.occasion for e in ds.encounters)
    for occasion in occasions:
        members = [e for e in ds.encounters if comparable(e.occasion) == comparable(occasion)]
        slug = re.sub(r"[^a-z0-9]+", "-", comparable(occasion)).strip("-")
        groups.append((f"order.occasion-{slug}", f"the {occasion} encounters", members))
    for year in sorted({e.year for e in ds.encounters}):
        members = [e for e in ds.encounters if e.year == year]
        groups.append((f"order.year-{year}", f"the encounters of {year}", members))

    cards = []
    seen: set[tuple[str, ...]] = set()
    for card_id, what, members in groups:
        ordered = enc.chronological(members)
        # Two items of the same month cannot be put in order from their dates: the later
        # ones (in the dataset's order) are left out of the card.
        kept = [e for i, e in enumerate(ordered)
                if (e.year, e.month) not in {(o.year, o.month) for o in ordered[:i]}]
        if len(kept) < len(ordered):
            what = re.sub(r"^all (?:of )?", "", what)
            ordered = kept
        key = tuple(e.id for e in ordered)
        if len(ordered) < 2 or key in seen:
            continue
        seen.add(key)
        # Within one card, the labels must differ: fall back to the full label if not.
        labels = [enc.short_label(e) for e in ordered]
        if len({comparable(x) for x in labels}) != len(labels):
            labels = [enc.label(e) for e in ordered]
        cards.append(Card(
            id=card_id,
            kind="order",
            question=f"Put {what} in order, earliest first.",
            answer=labels,
            explanation=" → ".join(f"{enc.short_label(e)} ({month_year(e)})" for e in ordered),
            tags=_tags("order"),
            # An order card spans several sections; the introduction is where the article
            # sets out the run of encounters as a whole.
            section="introduction",
        ))
    return cards


# --------------------------------------------------------------------------- decks


def build_decks(ds: Dataset) -> list[Deck]:
    """The decks for a dataset, in a fixed order. Decks that would be empty are left out."""
    authors = " and ".join(ds.article.authors)
    source = f"{ds.article.title}; article by {authors}"
    if ds.article.source:
        source += f" ({ds.article.source})"
    everyone = _join([short_name(ds.person(pid)) for pid in regulars(ds)])
    where_when = (f"Where, when and why {everyone} met, and the order of their encounters."
                  if everyone else
                  "Where, when and why the article's encounters took place, and their order.")
    plans = [
        ("who-said-it", "Who said it?",
         "Match each quote from the article to the person who said it, then fill in the "
         "missing word of each quote.",
         who_cards(ds) + quote_cards(ds)),
        ("where-and-when", "Where and when",
         where_when,
         where_cards(ds) + when_cards(ds) + occasion_cards(ds) + order_cards(ds)),
        ("the-whole-story", "The whole story",
         "What happened at each encounter, and flash cards for the article's key facts.",
         what_cards(ds) + flip_cards(ds)),
    ]
    return [
        Deck(deck=DeckInfo(id=deck_id, title=title, description=description, source=source,
                           tags=[subject_tag(ds)]),
             cards=cards)
        for deck_id, title, description, cards in plans
        if cards
    ]


def deck_filename(deck: Deck) -> str:
    return f"{deck.id}.toml"


def render(ds: Dataset) -> dict[str, str]:
    """File name -> TOML text, for every deck of the dataset."""
    return {deck_filename(d): dump_deck(d) for d in build_decks(ds)}
