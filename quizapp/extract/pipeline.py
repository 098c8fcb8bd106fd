"""Article text -> ``models.Dataset``, plus a report of what was left out and why.

``extract(text, title=None, source="")`` runs the rules (layout, quotes, people,
attribution, places, dates) and builds a dataset in the bundled dataset's schema. Every
quote and encounter carries ``evidence``: its character span in ``text`` and the rule
that found it. Generated fields (summaries, facts) come from fixed templates; apart from
the quotes themselves, no sentence of the article is copied into the dataset.

Title: the ``title`` argument, else the article's first line (after a date line or byline) when it reads like a title
(see ``layout``), else "An article about A and B" naming the two people mentioned most,
else "Untitled article".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from quizapp.extract.attribution import Attributor, sentence_starts
from quizapp.extract.dates import (
    DateMention,
    date_line,
    find_dates,
    find_relative,
    find_years,
    resolve_relative,
)
from quizapp.extract.entities import Entities, Mention, find_people, slug
from quizapp.extract.entities import Person as FoundPerson
from quizapp.extract.gazetteer import MONTHS
from quizapp.extract.layout import Layout, analyse
from quizapp.extract.places import (
    FoundEncounter,
    encounter_from_heading,
    countries_named,
    encounters_in_sentences,
    places_in_prose,
)
from quizapp.extract.quotes import QuoteSpan, find_quotes, join_interrupted
from quizapp.extract.transcript import Turn, find_turns
from quizapp.models import (
    Article,
    Dataset,
    Encounter,
    Evidence,
    Fact,
    Person,
    Place,
    Quote,
)

NO_CREDIT = "not given"


@dataclass(frozen=True)
class Note:
    """Something found but left out (or kept with a gap), with the reason."""

    kind: str  # abstained, question, scare-quote, title, term, unclosed-quote, relative-date,
    # caption, encounter
    start: int
    end: int
    text: str
    reason: str


@dataclass
class Extraction:
    dataset: Dataset
    notes: list[Note] = field(default_factory=list)
    quotes: list[QuoteSpan] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    layout: Layout | None = None
    entities: Entities | None = None
    countries: list[str] = field(default_factory=list)  # countries the body names

    @property
    def attributed(self) -> list[Quote]:
        return [q for q in self.dataset.quotes if q.speaker is not None]


def _title(layout: Layout, entities: Entities, title: str | None) -> tuple[str, str]:
    if title and title.strip():
        return title.strip(), "given"
    if layout.title is not None:
        return layout.title.text, "first-line"
    counts = Counter(m.person for m in entities.mentions)
    top = [entities.people[pid].name for pid, _ in counts.most_common(2) if pid in entities.people]
    if len(top) == 2:
        return f"An article about {top[0]} and {top[1]}", "placeholder-people"
    if top:
        return f"An article about {top[0]}", "placeholder-people"
    return "Untitled article", "placeholder"


def _label(e: FoundEncounter) -> str:
    return f"{e.city}, {e.country} ({e.occasion}, {MONTHS[e.month - 1]} {e.year})"


def _label_speaker(turn: Turn, entities: Entities) -> tuple[str | None, str]:
    """The person a transcript label names (found in the text, or new), and why not."""
    people = list(entities.people.values())
    if turn.name is None:
        # "ORTIZ:" is an acronym unless one person of the article has that surname
        same = [p for p in people if not p.is_organisation and p.surname == turn.surname]
        if len(same) != 1 or turn.surname is None:
            return None, f"the label {turn.label!r} names no person"
    else:
        words = turn.name.split()
        same = [p for p in people if p.name == turn.name]
        if not same and len(words) == 1:
            same = [p for p in people if p.surname == words[0]]
    if len(same) == 1:
        person = same[0]
    elif len(same) > 1:
        return None, f"the label {turn.label!r} could be {' or '.join(p.name for p in same)}"
    elif len(words) == 1 and not _formal_label(turn.label):
        return None, f"the label {turn.label!r} is not a person named in the article"
    else:
        pid = base = slug(turn.name)
        n = 2
        while pid in entities.people:
            pid, n = f"{base}-{n}", n + 1
        person = FoundPerson(id=pid, name=turn.name, surname=words[-1], gender=None,
                             rule="speaker-label", first=turn.label_start)
        entities.people[pid] = person
    entities.mentions.append(Mention(turn.label_start, turn.label_start + len(turn.label),
                                     person.id))
    entities.mentions.sort(key=lambda m: m.start)
    return person.id, ""


def _formal_label(label: str) -> bool:
    head = label.split(",")[0]
    return head.isupper() or "," in label or any(
        w.rstrip(".").casefold() in {"mr", "mrs", "ms", "dr"} for w in head.split())


_ANSWER_LABEL = re.compile(r"A\.?|ANSWER|Answer")


def _interviewee(turns: list[Turn], entities: Entities) -> tuple[str | None, str]:
    """Who answers an interview laid out as questions and "A:" answers: the one person
    named before its first turn, when questions are asked at all."""
    if not turns or not any(t.question for t in turns):
        return None, "an answer in an interview with no questions"
    first = turns[0].label_start
    named = {m.person for m in entities.mentions
             if m.end <= first and not entities.people[m.person].is_organisation}
    if len(named) == 1:
        return named.pop(), ""
    if not named:
        return None, "the interview's introduction names no one"
    names = " or ".join(sorted(entities.people[p].name for p in named))
    return None, f"the answers could be {names}'s"


def _turn_quotes(text: str, turns: list[Turn], entities: Entities,
                 marked: list[QuoteSpan]) -> list[QuoteSpan]:
    """A transcript's turns as quotes, each with the speaker its label names (or a reason).
    A turn that opens with quote marks (``NAME: “...”``) is that quote, given the label's
    speaker when no rule gave it one."""
    out = []
    interviewee = _interviewee(turns, entities)
    for turn in turns:
        words = " ".join(text[turn.start:turn.end].split())
        if not words or turn.question:
            continue  # a question is reported by the caller, not quoted
        if _ANSWER_LABEL.fullmatch(turn.label):
            # "Q: ... / A: ...": the answers are the interviewee's, the one person the
            # introduction names
            speaker, reason = interviewee
        else:
            speaker, reason = _label_speaker(turn, entities)
        opening = next((q for q in marked if q.open == turn.start), None)
        if opening is not None:
            if speaker and opening.speaker is None:
                opening.speaker, opening.rule, opening.reason = speaker, "speaker-label", None
                opening.kind = "quote" if opening.kind in ("scare", "short") else opening.kind
            continue
        out.append(QuoteSpan(open=turn.start, close=turn.end - 1, parts=[(turn.start, turn.end)],
                             text=words, paragraph=turn.paragraph,
                             last_paragraph=turn.paragraph, kind="quote", speaker=speaker,
                             rule="speaker-label" if speaker else None,
                             reason=reason or None))
    return out


# Words that put a weekday ahead of the article's date: "is expected to visit on Friday".
_FUTURE = re.compile(
    r"\b(?:will|won[’']t|would|shall|(?:is|are|was|were)\s+(?:expected|due|scheduled|set|"
    r"planning|going)\s+to|plans?\s+to|intends?\s+to|next|until|upcoming|coming)\b",
    re.IGNORECASE)


def _sentence_start(text: str, start: int, end: int, pos: int) -> int:
    return max(s for s in sentence_starts(text, start, end) if s <= pos)


_WIRE_DATELINE = re.compile(r"[A-Z][A-Z .'’/-]+,?[^—–\n]{0,60}?[ \t]+[—–]+[ \t]")


def _full_date(found: list[DateMention]) -> tuple[date, int] | None:
    """The last of ``found`` that has a day, as (date, its end), if any."""
    for d in reversed(found):
        if d.day is not None and d.month is not None:
            try:
                return date(d.year, d.month, d.day), d.end
            except ValueError:
                return None
    return None


def _date_line(layout: Layout):
    """The article's own date: a line near the top that is only a date."""
    if layout.dateline is not None:
        return date_line(layout.dateline.text)
    for block in [*layout.headings, *layout.paragraphs[:3]][:6]:
        if block.start > 600:
            break
        found = date_line(block.text)
        if found is not None:
            return found
    # A title that ends with the day: "News briefs: April 14, 2010".
    if layout.title is not None:
        found = _full_date(find_dates(layout.text, layout.title.start, layout.title.end))
        if found is not None and not layout.text[found[1]:layout.title.end].strip(" .)"):
            return found[0]
    first = layout.paragraphs[0] if layout.paragraphs else None
    # A wire dateline: "NAIROBI, Kenya (June 3, 2023) — ...", "BERLIN, Sept. 29, 2024 — ...".
    wire = _WIRE_DATELINE.match(layout.text, first.start, first.end) if first else None
    if wire is not None:
        found = _full_date(find_dates(layout.text, first.start, wire.end()))
        if found is not None:
            return found[0]
    # A photo caption atop the story ends with its place and date, wire style: "... shakes
    # hands with the minister in Lyon, Oct. 13, 2014." That date is the story's.
    if first is not None and first.start <= 600:
        dates = find_dates(layout.text, first.start, first.end)
        last = dates[-1] if dates else None
        if (last is not None and last.day is not None and last.month is not None
                and re.fullmatch(r"\.?\s*", layout.text[last.end:first.end])
                and layout.text[:last.start].rstrip().endswith(",")):
            try:
                return date(last.year, last.month, last.day)
            except ValueError:
                return None
    return None


def extract(text: str, *, title: str | None = None, source: str = "",
            published: date | None = None) -> Extraction:
    layout = analyse(text)
    para_spans = [(p.start, p.end) for p in layout.paragraphs]
    quote_spans, problems = find_quotes(layout)
    quote_spans = join_interrupted(text, quote_spans)
    turns = find_turns(layout)
    entities = find_people(layout, para_spans,
                           frozenset(t.surname for t in turns if t.surname))
    attributor = Attributor(layout, quote_spans, entities)
    attributor.attribute()
    notes: list[Note] = []
    for turn in turns:
        if turn.question:  # an interviewer's question is no one's quotation to quiz on
            words = " ".join(text[turn.start:turn.end].split())
            notes.append(Note("question", turn.label_start, turn.end, words[:60],
                              f"a question ({turn.label}:), not a quotation"))
    quote_spans = sorted(quote_spans + _turn_quotes(text, turns, entities, quote_spans),
                         key=lambda q: q.open)
    for problem in problems:
        notes.append(Note("unclosed-quote", problem.start, problem.end,
                          text[problem.start:problem.end][:60], problem.message))
    if layout.caption is not None:
        c = layout.caption
        notes.append(Note("caption", c.start, c.end, c.text[:60],
                          "photo caption (followed by a credit line): not read as article text"))

    # ---- places and encounters
    found_encounters = [e for e in (encounter_from_heading(h) for h in layout.headings) if e]
    places: dict[str, Place] = {}
    place_ids: dict[str, str] = {}

    def add_place(city: str, country: str, pos: int) -> str:
        key = city.casefold()
        if key not in place_ids:
            pid = slug(city)
            while pid in places:
                pid += "-2"
            places[pid] = Place(id=pid, city=city, country=country, section=layout.section_at(pos))
            place_ids[key] = pid
        return place_ids[key]

    encounters: list[Encounter] = []
    heading_encounter: dict[str, str] = {}
    for e in found_encounters:
        pid = add_place(e.city, e.country, e.start)
        same = next((x for x in encounters
                     if x.place == pid and (x.month, x.year) == (e.month, e.year)), None)
        if same is not None:  # the same encounter under a second heading
            heading_encounter[e.heading] = same.id
            continue
        eid = slug(f"{e.city}-{e.year}")
        if any(x.id == eid for x in encounters):
            eid = slug(f"{e.city}-{MONTHS[e.month - 1]}-{e.year}")
        encounters.append(Encounter(
            id=eid, place=pid, occasion=e.occasion, occasion_aliases=e.occasion_aliases,
            month=e.month, year=e.year,
            summary=f"Meeting in {_label(e)}",
            section=e.heading,
            evidence=Evidence(start=e.start, end=e.end, rule=e.rule),
        ))
        heading_encounter[e.heading] = eid
    countries = countries_named(text, para_spans)
    prose_places = places_in_prose(text, para_spans,
                                   countries[0] if len(countries) == 1 else None)
    for p in prose_places:
        add_place(p.city, p.country, p.start)

    # ---- dates
    anchor = published or _date_line(layout)
    dates: list[DateMention] = []
    if layout.dateline is not None and (own := date_line(layout.dateline.text)) is not None:
        d = layout.dateline
        dates.append(DateMention(d.start, d.end, own.year, own.month, own.day, "article-date"))
    for start, end in para_spans + [(h.start, h.end) for h in layout.headings]:
        found = find_dates(text, start, end)
        dates.extend(found + find_years(text, start, end, found))
        for rel in find_relative(text, start, end):
            if any(re.fullmatch(r",?[ \t]*", text[rel.end:d.start]) for d in found
                   if d.day is not None and d.start >= rel.end):
                continue  # "Thursday, March 14, 2024": the weekday of a written date
            ahead = _FUTURE.search(text[_sentence_start(text, start, end, rel.start):rel.start])
            resolved = (resolve_relative(rel, anchor, future=ahead is not None)
                        if anchor is not None else None)
            if resolved is not None:
                dates.append(resolved)
            else:
                why = ("relative date with no anchor in the text: skipped" if anchor is None
                       else "relative date too vague to place: skipped")
                notes.append(Note("relative-date", rel.start, rel.end, rel.text, why))
    dates.sort(key=lambda d: d.start)

    # ---- encounters told in sentences
    for found in encounters_in_sentences(layout, entities, prose_places, dates,
                                         attributor.resolve):
        if found.reason is not None:
            notes.append(Note("encounter", found.start, found.end,
                              " ".join(text[found.start:found.end].split())[:60],
                              found.reason))
            continue
        pid = place_ids[found.city.casefold()]
        same = next((x for x in encounters
                     if x.place == pid and (x.month, x.year) == (found.month, found.year)), None)
        if same is not None:
            # A heading's encounter ("Town, Country: Talks, May 2024") told again in a
            # sentence ("Ortiz and Okafor met in Town on May 12, 2024"): the sentence says
            # who met, so its questions name them.
            if not same.people and found.people:
                same.people = found.people
                same.day = same.day or found.day
            continue
        eid = base = slug(f"{found.city}-{found.year}")
        n = 2
        while any(x.id == eid for x in encounters):
            eid, n = f"{base}-{n}", n + 1
        encounters.append(Encounter(
            id=eid, place=pid, occasion=found.occasion, month=found.month, year=found.year,
            day=found.day,
            summary=f"{found.occasion} in {found.city}, {MONTHS[found.month - 1]} "
                    f"{f'{found.day}, ' if found.day else ''}{found.year}",
            section=layout.section_at(found.start),
            evidence=Evidence(start=found.start, end=found.end, rule="sentence-encounter"),
            people=found.people,
        ))

    # ---- people
    people: list[Person] = []
    alias_count = Counter(a.casefold() for p in entities.people.values() for a in p.aliases)
    speaking = {q.speaker for q in quote_spans if q.speaker and q.kind not in ("scare", "title", "term")}
    for p in sorted(entities.people.values(), key=lambda p: p.first):
        if p.is_organisation and p.id not in speaking:
            continue  # an organisation is only kept as the speaker of a quote
        first = min(m.start for m in entities.mentions if m.person == p.id)
        # A surname two people share is no answer for either of them.
        aliases = [a for a in p.aliases if alias_count[a.casefold()] == 1]
        people.append(Person(id=p.id, name=p.name, aliases=aliases, role=p.role,
                             section=layout.section_at(first)))

    # ---- quotes
    quotes: list[Quote] = []
    facts: list[Fact] = []
    by_id = {e.id: e for e in encounters}
    labels = {e.heading: e for e in found_encounters}
    n = 0
    for q in quote_spans:
        snippet = q.text if len(q.text) <= 60 else q.text[:57] + "..."
        if q.kind in ("scare", "title", "term"):
            kind = {"scare": "scare-quote", "title": "title", "term": "term"}[q.kind]
            notes.append(Note(kind, q.start, q.end, snippet, q.reason or "not a quotation"))
            continue
        n += 1
        section = layout.section_at(q.open)
        eid = heading_encounter.get(section)
        speaker = q.speaker
        qid = f"{speaker or 'unattributed'}-{n:02d}"
        rule = q.rule or "quote-marks"
        quotes.append(Quote(
            id=qid, speaker=speaker, text=q.text, encounter=eid,
            year=by_id[eid].year if eid else None, section=section,
            evidence=Evidence(start=q.start, end=q.end, rule=rule,
                              pieces=[(p.start, p.end) for p in q.pieces] or None),
        ))
        if speaker is None:
            notes.append(Note("abstained", q.start, q.end, snippet, q.reason or "no speaker found"))
        elif eid is not None:
            name = entities.people[speaker].name
            label = _label(labels[section])
            facts.append(Fact(
                id=f"said-{qid}", encounter=eid,
                question=f"At which encounter did {name} say “{q.text}”?",
                answer=label,
                accept=[labels[section].city],
                statement=f"{name} was quoted saying “{q.text}”",
                section=section,
                evidence=Evidence(start=q.start, end=q.end, rule="quote-at-encounter"),
            ))

    title_text, _ = _title(layout, entities, title)
    dataset = Dataset(
        article=Article(title=title_text, authors=layout.authors,
                        photo_credit=layout.photo_credit or NO_CREDIT, source=source),
        people=people,
        places=list(places.values()),
        encounters=encounters,
        quotes=quotes,
        facts=facts,
    )
    notes.sort(key=lambda note: note.start)
    return Extraction(dataset=dataset, notes=notes, quotes=quote_spans, dates=dates,
                      layout=layout, entities=entities,
                      countries=countries)
