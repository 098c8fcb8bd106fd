"""Places and encounters.

- ``heading-encounter``: a heading "City, Country: Occasion, Month Year" is an encounter
  (where, what and when); the city needs no gazetteer entry, the structure is the evidence.
- ``in-city``: "in City" (also "at", "from", "to", "near", "outside") where City is a town
  of the gazetteer (GeoNames, see ``gazetteer``), so common capitalised words ("in Brief",
  "in Charge") never become places;
- ``town-of``: "the town of Ovada" (also city, village, port...) when the gazetteer does
  not know the town and the article names one country, which is the town's;
- ``dateline``: a paragraph that opens with a place in capitals and a dash
  ("GENEVA —", "SEOUL/TOKYO —"), or "City, Country —".
- ``sentence-encounter``: a sentence with a meeting verb ("met", "held talks", "visited",
  "hosted"...), a town of the gazetteer and a date with a month (written, or a relative
  date resolved against the article's date) is an encounter; its people are the people the
  sentence names (and the person a "He"/"She" subject stands for), its occasion the
  capitalised name after "at the"/"for the" (else "Meeting"). When someone who met is no
  person of the article ("Ortiz and Okafor met" with no Okafor named in full, "They met",
  a pronoun no rule resolves), the meeting is left out with the reason: a question naming
  only some of the people who met would be a broken sentence.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from quizapp.extract import gazetteer
from quizapp.extract.entities import CAPWORD, ORG_HEADS, SURNAME
from quizapp.extract.gazetteer import MONTHS
from quizapp.extract.layout import ENCOUNTER_HEADING as _HEADING
from quizapp.extract.layout import Span, heading_label

@dataclass
class FoundPlace:
    city: str
    country: str
    start: int
    end: int
    rule: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class FoundEncounter:
    city: str
    country: str
    occasion: str
    month: int
    year: int
    start: int
    end: int
    heading: str
    rule: str = "heading-encounter"

    @property
    def occasion_aliases(self) -> list[str]:
        for group in gazetteer.occasion_groups():
            if self.occasion.casefold() in (g.casefold() for g in group):
                return [g for g in group if g.casefold() != self.occasion.casefold()]
        return []


def encounter_from_heading(heading: Span) -> FoundEncounter | None:
    label = heading_label(heading.text)
    m = _HEADING.match(label)
    if m is None:
        return None
    offset = heading.start + heading.text.index(label)
    return FoundEncounter(
        city=m.group("city").strip(),
        country=m.group("country").strip(),
        occasion=m.group("occasion").strip(),
        month=MONTHS.index(m.group("month")) + 1,
        year=int(m.group("year")),
        start=offset,
        end=offset + len(label),
        heading=label,
    )


_NAME = r"[A-Z][\w’'.-]*(?:[ \t]+(?:[A-Z][\w’'.-]*|de|del|la|al|upon|on))*"
_PREPOSITION = re.compile(
    rf"\b(?:[Ii]n|[Aa]t|[Ff]rom|[Tt]o|[Nn]ear|[Oo]utside|[Aa]cross|of)[ \t]+(?P<name>{_NAME})"
    rf"(?P<more>(?:,?[ \t]+and[ \t]+{_NAME})?)")
_AND_NAME = re.compile(rf",?[ \t]+and[ \t]+(?P<name>{_NAME})")
_DATELINE = re.compile(r"(?P<name>[A-Z][A-Z .'’-]+(?:/[A-Z][A-Z .'’-]+)*)(?:,[^—–\n]{1,40})?[ \t]+[—–-]+[ \t]")


def _longest_place(words: list[str]) -> tuple[str, int] | None:
    """The longest leading run of ``words`` that names a town: (name, word count)."""
    cities = gazetteer.cities()
    for n in range(min(4, len(words)), 0, -1):
        name = " ".join(words[:n]).rstrip(".,")
        if name in cities:
            return name, n
    return None


# "the flooded town of Ovada": the words say it is a town, no gazetteer needed.
_TOWN_OF = re.compile(
    rf"\b(?:town|city|village|port|municipality|commune|hamlet|suburb)[ \t]+of[ \t]+"
    rf"(?P<name>[A-Z][\w’'-]+(?:[ \t]+(?:[A-Z][\w’'-]+|de|del|la|al|upon|on|sur))*)")


def places_in_prose(text: str, spans: list[tuple[int, int]],
                    country: str | None = None) -> list[FoundPlace]:
    """Towns named in the body. ``country``: the one country the article names, the
    country of a town the gazetteer lacks but the text calls one ("the town of X")."""
    cities = gazetteer.cities()
    found = []
    for start, end in spans:
        for m in _TOWN_OF.finditer(text, start, end):
            name = m.group("name")
            if name in cities or country is None or name in gazetteer.countries():
                continue  # a known town is read by the rule below, with its own country
            found.append(FoundPlace(name, country, m.start("name"), m.end("name"), "town-of"))
        for m in _PREPOSITION.finditer(text, start, end):
            hit = _longest_place(m.group("name").split())
            if hit is None:
                continue
            name, count = hit
            words = m.group("name").split()
            if len(words) > count and words[count].rstrip(".,") in ORG_HEADS:
                continue  # "from Leeds University": an institution, not the town
            s = m.start("name")
            found.append(FoundPlace(name, cities[name], s, s + len(name), "in-city"))
            more = _AND_NAME.match(text, m.end("name"), end)
            if more is not None:  # "in Lyon and Nantes"
                other = _longest_place(more.group("name").split())
                if other is not None and other[1] == len(more.group("name").split()):
                    s = more.start("name")
                    found.append(FoundPlace(other[0], cities[other[0]], s, s + len(other[0]),
                                            "in-city"))
        dateline = _DATELINE.match(text, start, end)
        if dateline is not None:
            pos = dateline.start("name")
            for part in dateline.group("name").split("/"):
                name = part.strip().title()
                if name in cities:
                    found.append(FoundPlace(name, cities[name], pos, pos + len(part), "dateline"))
                pos += len(part) + 1
    return found


_MEETING = re.compile(
    r"\b(?:met|meet|meets|meeting|held talks|hold talks|holds talks|talks with|visited|visits|"
    r"hosted|hosts|gathered|attended|attends|summit with|sat down with)\b")
_OCCASION = re.compile(
    r"\b(?:at|for|during)\s+(?:the|a)\s+(?P<occasion>(?:[A-Z0-9][\w’'-]*\s+){0,5}"
    r"(?:[A-Z0-9][\w’'-]*))")


# Last words of a place where people meet, never the occasion that brought them.
_VENUES = frozenset({
    "Palace", "Hall", "Hotel", "Stadium", "Arena", "Airport", "Station", "Square", "Castle",
    "Cathedral", "Hospital", "Embassy", "Residence", "Building", "Tower", "Park", "Garden",
    "Gardens", "Theatre", "Theater", "Club", "Library", "Chancellery", "Mansion", "Pavilion",
})


@dataclass
class SentenceEncounter:
    city: str
    occasion: str
    month: int
    year: int
    start: int
    end: int
    people: list[str]
    # Why the meeting is left out although the sentence tells one: not everyone who met
    # is known ("Ortiz and Okafor met ..." when Okafor is no person of the article).
    reason: str | None = None
    day: int | None = None  # when every date of the sentence gives the same day


_RUN = rf"(?:{CAPWORD}|{SURNAME})(?:[ \t]+(?:{SURNAME}))*"
# "Ortiz and Okafor", "Ortiz, Okafor and Lee": names joined to each other.
_JOINED = re.compile(rf"(?<![\w’'-])({_RUN})(?=(?:,[ \t]+|,?[ \t]+and[ \t]+|[ \t]+&[ \t]+)"
                     rf"({_RUN})(?![\w’'-]))")
# "Kim met Walsh ...": the name right before the meeting verb met someone too.
_WHO_MET = re.compile(
    rf"(?<![\w’'-])({_RUN})[ \t]+(?:[a-z]+ly[ \t]+|also[ \t]+|first[ \t]+|last[ \t]+|again[ \t]+)?"
    rf"(?:met|meets|visited|hosted|held talks)\b")
_MET_WHOM = re.compile(rf"\b(?:met|meets|meet|met with|held talks with|hosted|visited)[ \t]+({_RUN})")
_PRONOUN_SUBJECT = re.compile(r"(?:^|,[ \t]+)(?P<p>[Hh]e|[Ss]he|[Tt]hey|[Ww]e)[ \t]+[a-z]")


# Lower-case words that may follow a person's name ("met Walsh in Canberra"); any other
# ("met Japanese officials") makes the capitalised word an adjective, not a name.
_AFTER_NAME = {"in", "at", "on", "for", "and", "to", "during", "with", "last", "again", "of",
               "from", "after", "before", "when", "while", "as", "who", "whom", "over", "near",
               "twice", "once", "briefly", "privately", "there", "here", "but", "or"}


def _missing_person(sentence: str, s: int, entities, resolve) -> tuple[list[str], str | None]:
    """People a meeting sentence names beyond the entity table's mentions: (ids of people
    a pronoun subject stands for, reason when someone who met is not known)."""
    cities = gazetteer.cities()
    known = [(m.start - s, m.end - s) for m in entities.at(s, s + len(sentence))]
    pronoun = _PRONOUN_SUBJECT.search(sentence)
    if pronoun is not None:  # "He and Mills met ...": he is someone who met
        known.append(pronoun.span("p"))

    def unknown(start: int, name: str, subject: bool = False) -> bool:
        """A name no person of the article stands for ("French Foreign Minister Dana
        Ortiz" is known: a known name ends it). Before "met" a town is a person too."""
        end = start + len(name)
        covered = any(a < end and start < b for a, b in known)
        word = name.split()[0]
        after = re.match(r"[ \t]+([a-z]+)", sentence[end:])
        adjective = after is not None and after.group(1) not in _AFTER_NAME
        return not (covered or (name in cities and not subject) or name in gazetteer.countries()
                    or word in gazetteer.STOPWORDS or word in MONTHS or word in ORG_HEADS
                    or name.split()[-1] in ORG_HEADS or (adjective and not subject))

    for m in _JOINED.finditer(sentence):
        a, b = (m.start(1), m.group(1)), (m.start(2), m.group(2))
        for (pos, name), (other_pos, _) in ((a, b), (b, a)):
            if unknown(pos, name) and any(x <= other_pos < y for x, y in known):
                return [], f"{name!r} is not a person of the article"
    for m in _WHO_MET.finditer(sentence):
        if unknown(m.start(1), m.group(1), subject=True):
            return [], f"{m.group(1)!r} is not a person of the article"
    for m in _MET_WHOM.finditer(sentence):
        if unknown(m.start(1), m.group(1)):
            return [], f"{m.group(1)!r} is not a person of the article"
    if pronoun is None:
        return [], None
    word = pronoun.group("p")
    if word.lower() in ("they", "we"):
        return [], f"{word!r} met: who they are is not known"
    person, _, reason = resolve(word, s + pronoun.start("p"), s + pronoun.end("p"))
    if person is None:
        return [], f"{word!r} met: {reason}"
    return [person], None


def encounters_in_sentences(layout, entities, places: list[FoundPlace], dates,
                            resolve) -> list[SentenceEncounter]:
    """Meetings told in running text: a meeting verb, a place and a dated month.
    ``resolve(word, start, end)`` -> (person id, kind, reason) reads a pronoun subject
    ("He met Okafor in Lyon ..."); a meeting whose people are not all known is
    returned with a reason and no people."""
    from quizapp.extract.attribution import sentence_starts

    text = layout.text
    found: list[SentenceEncounter] = []
    for para in layout.paragraphs:
        starts = sentence_starts(text, para.start, para.end)
        bounds = list(zip(starts, [*starts[1:], para.end]))
        for s, e in bounds:
            sentence = text[s:e]
            if "“" in sentence or '"' in sentence or not _MEETING.search(sentence):
                continue
            here = [p for p in places if s <= p.start < e and p.rule in ("in-city", "town-of")]
            when = [d for d in dates if s <= d.start < e and d.month is not None]
            if len(here) != 1 or len({(d.year, d.month) for d in when}) != 1:
                continue  # two places or two dates: which met where is not clear
            people, reason = _missing_person(sentence, s, entities, resolve)
            for m in entities.at(s, e):
                person = entities.people[m.person]
                if not person.is_organisation and m.person not in people:
                    people.append(m.person)
            if not people and reason is None:
                continue
            occasion = _OCCASION.search(sentence)
            name = occasion.group("occasion").strip() if occasion else "Meeting"
            if (name in gazetteer.cities() or name in MONTHS
                    or name.split()[-1] in ORG_HEADS or name.split()[-1] in _VENUES):
                name = "Meeting"  # "at the Grand Palace": where they met, not why
            days = {d.day for d in when}
            day = days.pop() if len(days) == 1 else None
            if day is not None and day > calendar.monthrange(when[0].year, when[0].month)[1]:
                day = None  # "February 29, 2023": a slip of the article's; month and year stand
            found.append(SentenceEncounter(here[0].city, name, when[0].month, when[0].year,
                                           s, e, people, reason, day=day))
    return found


def countries_named(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Countries the body names (for the record of places; questions ask about towns)."""
    names = gazetteer.countries()
    found: list[str] = []
    for start, end in spans:
        for m in re.finditer(rf"(?<![\w-]){_NAME}", text[start:end]):
            words = m.group(0).split()
            for n in range(min(4, len(words)), 0, -1):
                name = " ".join(words[:n]).rstrip(".,")
                if name in names and name not in found:
                    found.append(name)
                    break
    return found
