"""People: a per-article entity table that links every mention of one person.

A person is found by one of these rules (``Person.rule``):
- ``given-name``: a known given name followed by a capitalised surname ("Dana Ortiz");
- ``title-name``: a title word followed by one or two capitalised words ("Senator Ortega",
  "Mr. Quill") when they are not a known place or a stopword;
- ``speaker-slot``: two capitalised words right next to a speech verb ("Dana Ortiz said",
  "said Dana Ortiz"), when neither is a place or a stopword;
- ``family-name-first``: a family name written first, as Korean names are ("Kim Min-jun",
  a family name of ``data/names.toml`` then two hyphenated syllables): "Kim" is the
  surname the article goes on with;
- ``kind-name``: an organisation named after the kind of body it is ("the union Unite
  said", "the airline Aerolux, which ..."), the name followed by a speech verb or
  punctuation, and no word of it a given name, a place or a name of a person found;
- ``label-surname``: an interview's label in capitals ("OKORO:") says Okoro is a person:
  the capitalised word before "Okoro" in the text is the given name ("appointed Adaeze
  Okoro"), known to the given-name list or not.

A surname may open with lower-case particles ("Lotte de Wit", "Ludwig van der Berg",
"Leila al-Amin"); the surname is "de Wit", found also capitalised at the start of a
sentence ("De Wit said").

Mentions of a person: the full name, the surname alone (also before ’s), and title plus
surname. A surname shared by two people links to neither. The full name, the surname and
"Title Surname" become the person's accepted answers (aliases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from quizapp.extract import gazetteer
from quizapp.extract.layout import Layout

# Latin letters with their accents ("José Müller", "Łukasz", "Søren"), as regex classes.
_LATIN = [chr(c) for c in range(0xC0, 0x250)]
UPPER = "A-Z" + "".join(c for c in _LATIN if c.isupper())
LOWER = "a-z" + "".join(c for c in _LATIN if c.islower())
CAPWORD = (rf"[{UPPER}](?:['’][{UPPER}])?[{LOWER}]+(?:[{UPPER}][{LOWER}]+)?"
           rf"(?:-[{UPPER}{LOWER}][{LOWER}]+)?")
# Lower-case particles that belong to a surname ("Lotte de Wit", "Ana da Silva",
# "Ludwig van der Berg", "Ahmed bin Khalid"); "al-"/"el-" are joined by a hyphen.
PARTICLE = r"(?:de|van|von|da|das|dos|del|della|der|den|di|du|la|le|bin|binti|ibn|ter)"
SURNAME = rf"(?:(?:{PARTICLE})[ \t]+){{0,2}}{CAPWORD}|(?:al|el)-{CAPWORD}"
TITLES = [
    "Prime Minister", "Vice President", "Foreign Minister", "Defence Minister",
    "Defense Minister", "Secretary of State", "Special Counsel", "President", "Senator",
    "Sen.", "Representative", "Rep.", "Governor", "Gov.", "Mayor", "Chancellor", "Minister",
    "Secretary", "Ambassador", "Counsel", "General", "Gen.", "Judge", "Speaker", "King",
    "Queen", "Prince", "Princess", "Pope", "Premier", "Professor", "Prof.", "Dr.", "Mr.",
    "Mrs.", "Ms.", "Mr", "Mrs", "Ms", "Dr", "Chief", "Director", "Commissioner", "Captain",
    "Coach", "Chef", "Inspector", "Detective", "Officer", "Sheriff",
]
# Titles that may introduce a person known by no other name ("Mr. Quill", "Senator Ortega").
PERSON_TITLES = [
    "Prime Minister", "Vice President", "Foreign Minister", "Special Counsel", "President",
    "Senator", "Sen.", "Representative", "Rep.", "Governor", "Gov.", "Mayor", "Chancellor",
    "Ambassador", "Judge", "King", "Queen", "Prince", "Princess", "Pope", "Premier",
    "Professor", "Prof.", "Dr.", "Mr.", "Mrs.", "Ms.", "Mr", "Mrs", "Ms", "Dr",
]
_PERSON_TITLE_ALT = "|".join(re.escape(t) for t in sorted(PERSON_TITLES, key=len, reverse=True))
_TITLE_ALT = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
_MODIFIER = r"(?:US|UK|EU|UN|U\.S\.|" + CAPWORD + r")"
# Optional modifiers (nationality, party, region) + a title word, right before a name.
ROLE_BEFORE = re.compile(rf"(?:(?:{_MODIFIER})\s+){{0,2}}(?:{_TITLE_ALT})\s+$")
_LOWER_ROLE_BEFORE = re.compile(
    r"(?<![\w’'])(?:[a-z]+\s+){0,3}(?:adviser|advisor|spokesman|spokeswoman|spokesperson|aide|"
    r"envoy|minister|secretary|chief|director|lawyer|attorney)\s+$"
)
SPEECH = (
    r"(?:said|says|told|tells|added|adds|asked|insisted|noted|warned|replied|explained|wrote|"
    r"writes|declared|recalled|argued|stated|remarked|joked|quipped|answered|admitted|"
    r"conceded|tweeted|posted|continued|announced|acknowledged|cautioned|observed|"
    r"responded|countered|recounted|suggested|emphasized|emphasised|stressed)"
)
_NOT_ROLE_WORDS = {"including", "and", "or", "the", "a", "an", "with", "by", "of", "as", "his",
                   "her", "their", "its", "then", "to", "for"}
# Sentence openers that are no part of an organisation's name ("In Congress", "But the").
_ORG_NEVER_FIRST = {
    "A", "An", "The", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We",
    "I", "You", "His", "Her", "Their", "Our", "In", "On", "At", "For", "From", "With", "By",
    "After", "Before", "During", "When", "While", "If", "But", "And", "Or", "As", "So", "Yes",
    "No", "Not", "Mr", "Mrs", "Ms", "Dr", "Sir", "Madam", "Both", "Each", "Every", "Some",
    "Many", "Most", "All", "Under", "Over", "Since", "Until", "Then", "Now", "Today",
}
# "says Harbour Radio host Dana Ortiz": capitalised words, then a lower-case role, then a
# name. The capitalised words name what the person works for (a programme, a company), so
# they are no person's name; the name after the role is the speaker.
_NOT_ROLE = (
    r"(?:for|of|to|with|at|from|by|in|on|about|near|and|or|but|nor|whom|who|whose|that|which|"
    r"as|after|before|during|when|while|where|since|until|than|because|if|into|onto|over|"
    r"under|outside|inside|across|against|among|between|within|without|through|via|per|"
    r"behind|beside|toward|towards|is|was|are|were|has|had|have|will|would|told|tells|said|"
    rf"says|asked|added|last|next|this|on|{PARTICLE})"
)
ROLE_THEN_NAME = re.compile(
    rf"[ \t]+(?:(?!{_NOT_ROLE}\b)[a-z][a-z-]*[ \t]+){{1,3}}({CAPWORD})[ \t]+({CAPWORD})(?![\w’'-])")
_THIRD_NAME = re.compile(rf"[ \t]+({SURNAME})(?![ \t]+[A-Z])(?![\w’'-])")
_DOUBLE_SURNAME = re.compile(
    rf"[ \t]+({CAPWORD})[ \t]+({CAPWORD})(?![ \t]+[A-Z])(?![\w’'-])")
_DETERMINER_BEFORE = re.compile(
    r"(?:^|\W)(?:[Aa]n?|[Tt]he|[Tt]his|[Tt]hat|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur|[Ii]ts|[Mm]y)\s+$")
_TITLE_WORDS = {w.rstrip(".") for t in TITLES for w in t.split()}
_HONORIFICS = {"Mr", "Mrs", "Ms", "Dr", "Prof"}
_MALE_TITLES = {"Mr", "Mr.", "King", "Prince"}
_FEMALE_TITLES = {"Mrs", "Mrs.", "Ms", "Ms.", "Queen", "Princess"}


# Organisations that speak ("the Harbour Board said", "said the Council"):
# capitalised words ending in a word that names a body, or "Body of Name".
ORG_HEADS = (
    "Service", "Council", "Church", "Department", "Ministry", "Agency", "Organization",
    "Organisation", "Commission", "Committee", "Party", "Union", "Office", "Bank", "Court",
    "Institute", "Foundation", "Association", "Federation", "Company", "Corporation", "Group",
    "Center", "Centre", "Authority", "Board", "Bureau", "Police", "Army", "Government",
    "Administration", "University", "Museum", "League", "Fund", "Assembly", "Parliament",
    "Congress", "Senate", "Kremlin", "Pentagon", "House", "Gallery", "Society", "Network",
)
_ORG_WORD = r"(?:[A-Z][\w&’'.-]*|U\.S\.|of|and|the)"
ORGANISATION = re.compile(
    rf"(?<![\w’'-])(?:The[ \t]+)?(?P<org>(?:[A-Z][\w&’'.-]*[ \t]+)(?:{_ORG_WORD}[ \t]+){{0,5}}?"
    rf"(?:{'|'.join(ORG_HEADS)})(?:[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z][\w’'-]*(?:[ \t]+[A-Z][\w’'-]*){{0,3}})?"
    rf"|(?:{'|'.join(ORG_HEADS)})[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z][\w’'-]*(?:[ \t]+[A-Z][\w’'-]*){{0,3}})"
    rf"(?![\w-])(?:[ \t]+\((?P<acronym>[A-Z]{{2,6}})\))?"
)


# What kind of body an organisation is, in lower case before its name ("the union Unite
# said", "the carmaker Volvo, which..."): the name is an organisation's, and "the union"
# later in the article is that organisation.
ORG_KINDS = (
    "union", "company", "firm", "ministry", "agency", "group", "charity", "party", "airline",
    "bank", "broadcaster", "newspaper", "network", "association", "federation", "regulator",
    "carmaker", "retailer", "manufacturer", "insurer", "operator", "lender", "club",
    "foundation", "organisation", "organization", "watchdog", "conglomerate", "chain",
)
_KIND_NAME = re.compile(
    rf"(?<![\w’'-])[Tt]he[ \t]+(?P<kind>{'|'.join(ORG_KINDS)})[ \t]+"
    rf"(?P<org>[A-Z][\w&’'.-]*(?:[ \t]+[A-Z][\w&’'.-]*){{0,3}}?)"
    rf"(?=[ \t]*(?:[,.;:)]|$)|[ \t]+{SPEECH}\b)")


@dataclass
class Person:
    id: str
    name: str
    surname: str
    gender: str | None  # "m", "f", "n" (an organisation) or unknown
    rule: str
    first: int  # position of the first mention
    role: str = ""
    titles: set[str] = field(default_factory=set)
    acronym: str = ""
    kind: str = ""  # an organisation's kind of body, as the article called it ("union")

    @property
    def is_organisation(self) -> bool:
        return self.gender == "n"

    @property
    def aliases(self) -> list[str]:
        if self.is_organisation:
            return [self.acronym] if self.acronym else []
        out = []
        if self.surname != self.name:
            out.append(self.surname)
        for title in sorted(self.titles):
            alias = f"{title} {self.surname}"
            if alias not in out and alias != self.name:
                out.append(alias)
        return out


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    person: str  # person id


@dataclass
class Entities:
    people: dict[str, Person]
    mentions: list[Mention]

    def at(self, start: int, end: int) -> list[Mention]:
        """Mentions lying inside [start, end)."""
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def before(self, pos: int) -> list[Mention]:
        return [m for m in self.mentions if m.end <= pos]


@lru_cache(maxsize=1)
def person_titles() -> frozenset[str]:
    """Lower-case titles that come before a person's name ("director", "chairman",
    "chief", "ceo", ...), from nameparser's maintained list."""
    from nameparser.config import CONSTANTS

    return frozenset(CONSTANTS.titles)


_PLAIN = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe",
                        "þ": "th", "ð": "d", "ı": "i"})


def slug(text: str) -> str:
    """An id from a name: "José Müller" -> "jose-muller", "Søren Ørsted" -> "soren-orsted"."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.lower().translate(_PLAIN))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    s = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return s or "x"


# Words that end a place's name, never a person's ("Fair Isle", "Hudson River").
_PLACE_WORDS = frozenset({
    "Isle", "Island", "Islands", "River", "Lake", "Valley", "Street", "Road", "Avenue",
    "Square", "Bay", "Mountains", "Creek", "Peninsula", "Canyon", "Ocean", "Sea", "Gulf",
    "Strait", "Falls", "Beach", "Harbour", "Harbor", "Airport", "Station", "Boulevard",
})


def _not_a_name(word: str) -> bool:
    return (
        word in gazetteer.STOPWORDS
        or word in _PLACE_WORDS
        or word in gazetteer.countries()
        or word in gazetteer.big_cities()
        or word.rstrip("s") in {"American", "Russian", "European"}
    )


def fold(name: str) -> str:
    """A name as it is compared: "De Wit" at the start of a sentence is "de Wit"."""
    return name[:1].lower() + name[1:]


def surname_pattern(surname: str) -> str:
    """A regex for a surname in running text: a lower-case particle may be capitalised
    at the start of a sentence ("de Wit" / "De Wit")."""
    if surname[:1].islower():
        first = surname[0]
        return f"[{first}{first.upper()}]{re.escape(surname[1:])}"
    return re.escape(surname)


def _ends_a_place(before: str, name: str) -> bool:
    """Whether ``name`` (with the capitalised words right before it) is a town's name."""
    cities = gazetteer.cities()
    if " " in name and name in cities:
        return True
    words = re.findall(r"[^\W\d_][\w’'-]*", before[-40:])
    return any(" ".join([*words[-k:], name]) in cities for k in (1, 2)
               if len(words) >= k and words[-k][:1].isupper())


def _is_place_phrase(phrase: str) -> bool:
    return phrase in gazetteer.big_cities() or phrase in gazetteer.countries()


def find_people(layout: Layout, body: list[tuple[int, int]],
                label_surnames: frozenset[str] = frozenset()) -> Entities:
    """``body`` are the spans to read (paragraphs; metadata lines are left out).
    ``label_surnames``: surnames a transcript's labels give in capitals ("OKORO:" ->
    "Okoro"); a capitalised word right before one in the text is that person's given name
    ("appointed Adaeze Okoro"), even when the given-name list does not know it."""
    text = layout.text
    names = gazetteer.given_names()
    found: dict[str, Person] = {}  # full name -> person

    def add(full: str, surname: str, gender: str | None, rule: str, pos: int, title: str | None,
            role: str) -> None:
        if any(_not_a_name(w) for w in full.split()
               if w not in names and not re.fullmatch(PARTICLE, w)
               and not (rule == "family-name-first" and w == surname)) or _is_place_phrase(full):
            return
        person = found.get(full)
        if person is None:
            # "Mr. Quill" after "Harriet Quill", "De Wit" after "Lotte de Wit": the
            # same person.
            same = [p for p in found.values()
                    if fold(p.surname) == fold(full) and (full == surname or " " in p.surname)]
            if same:
                person = same[0]
            else:
                person = Person(id="", name=full, surname=surname, gender=gender, rule=rule, first=pos)
                # "Harriet Quill" after "Mr. Quill": upgrade the surname-only entry.
                key = next((k for k in found if fold(k) == fold(surname)), None)
                lone = found.pop(key) if key is not None else None
                if lone is not None and fold(lone.name) == fold(surname):
                    person.titles |= lone.titles
                    person.role = person.role or lone.role
                    person.first = min(person.first, lone.first)
                    person.gender = person.gender or lone.gender
                elif lone is not None:
                    found[key] = lone
                found[full] = person
        if rule == "family-name-first":
            person.surname = surname  # found by another rule as "Suk-yeol" first
        if title:
            person.titles.add(title)
            if person.gender is None:
                if title in _MALE_TITLES:
                    person.gender = "m"
                elif title in _FEMALE_TITLES:
                    person.gender = "f"
        if role and not person.role and role.rstrip(".") not in _HONORIFICS:
            person.role = role

    # Lookaheads, so that "Mayor Helen Varga" is tried at "Helen" as well as at "Mayor".
    full_re = re.compile(rf"\b(?=({CAPWORD})\s+(?:[A-Z]\.\s+)?({SURNAME})\b)")
    title_re = re.compile(rf"(?<![\w.])(?=({_PERSON_TITLE_ALT})\s+((?:{CAPWORD}\s+)?{CAPWORD})\b)")
    titled_re = re.compile(
        rf"(?<![\w.’'-])([A-Z][A-Za-z]+)[ \t]+({CAPWORD}(?:[ \t]+[A-Z]\.)?[ \t]+{CAPWORD})"
        rf"(?![ \t]+[A-Z])(?![\w’'-])")
    lower_titled_re = re.compile(
        rf"(?<![\w’'-])([a-z]+)[ \t]+({CAPWORD}[ \t]+{CAPWORD})(?![ \t]+[A-Z])(?![\w’'-])")
    slot_re = re.compile(
        rf"\b(?=({CAPWORD})\s+({CAPWORD})\s+{SPEECH}\b|{SPEECH}\s+({CAPWORD})\s+({CAPWORD})\b)"
    )
    for start, end in body:
        chunk = text[start:end]
        inside_name = -1  # end of the last three-word name: its second word starts no name
        for m in full_re.finditer(chunk):
            given, surname = m.group(1), m.group(2)
            if m.start() < inside_name:
                continue
            if _DETERMINER_BEFORE.search(chunk, 0, m.start()):
                continue  # "the Long Endgame", "a Grand Tour": a name never takes an article
            if _family_first(given, surname):
                continue  # "Kim Min-jun": the family name comes first (below)
            if given in names and not _not_a_name(surname.split()[-1]):
                full = f"{given} {surname}"
                # "Mary Ann Evans": a second given name, then the surname.
                third = _THIRD_NAME.match(chunk, m.end(2))
                if (third and surname in names and not _not_a_name(third.group(1))
                        and third.group(1) not in _TITLE_WORDS):
                    full, surname = f"{full} {third.group(1)}", third.group(1)
                    inside_name = third.end(1)
                # "Ana Maria Ortiz Okafor": two given names, then two surnames
                # (the last is the one the article goes on to use).
                double = _DOUBLE_SURNAME.match(chunk, m.end(2))
                if (not third and double and surname in names
                        and not any(_not_a_name(w) or w in _TITLE_WORDS or w in ORG_HEADS
                                    for w in double.groups())):
                    full = f"{full} {double.group(1)} {double.group(2)}"
                    surname, inside_name = double.group(2), double.end(2)
                if _ends_a_place(chunk[: m.start()], full):
                    continue  # "Vila Nova de Gaia", "San Juan de la Maguana": a town
                role, title = _role_before(chunk[: m.start()])
                add(full, surname, names[given], "given-name", start + m.start(), title, role)
        for m in title_re.finditer(chunk):
            title, rest = m.group(1), m.group(2)
            words = rest.split()
            if words[0] in names and len(words) == 2:
                continue  # "President Dana Ortiz": found by the given-name rule
            if len(words) == 1 and words[0] in names:
                continue  # "President Dana J. Ortiz": a given name alone is no surname
            if len(words) == 2 and _not_a_name(words[1]):
                words = words[:1]
            if _not_a_name(words[-1]) or any(_not_a_name(w) for w in words):
                continue
            full = " ".join(words)
            role, _ = _role_before(chunk[: m.end(1)] + " ")
            add(full, words[-1], None, "title-name", start + m.start(2), title, role)
        for m in titled_re.finditer(chunk):
            # "Acting Director Dana Ortiz", "Bureau Chief Ben K. Okafor": a title word (from
            # nameparser's list of some 800 titles) right before a two-word name.
            title, full = m.group(1), m.group(2)
            words = [w for w in full.split() if not re.fullmatch(r"[A-Z]\.", w)]
            if (title.lower() not in person_titles() or words[0] in names
                    or any(_not_a_name(w) or w in _TITLE_WORDS or w in ORG_HEADS
                           or w.lower() in person_titles() for w in words)):
                continue  # a given name first: the given-name rule has it
            add(full, words[-1], None, "titled-name", start + m.start(2), None, title)
        for m in lower_titled_re.finditer(chunk):
            # "rock singer Dana Ortiz", "the novelist Ben Okafor": a lower-case title word
            # (nameparser's list) right before a two-word name no other rule reads.
            title, full = m.group(1), m.group(2)
            words = full.split()
            if (title not in person_titles() or words[0] in names
                    or any(_not_a_name(w) or w in _TITLE_WORDS or w in ORG_HEADS
                           or w.lower() in person_titles() for w in words)):
                continue
            add(full, words[-1], None, "titled-name", start + m.start(2), None, title)
        for m in slot_re.finditer(chunk):
            first, last = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            if not m.group(1) and (later := ROLE_THEN_NAME.match(chunk, m.end(4))):
                # "said Harbour Radio host Dana Ortiz": the speaker is the name after the role
                first, last = later.group(1), later.group(2)
                if first in names:
                    continue  # the given-name rule has found it
            if first in names or _not_a_name(first) or _not_a_name(last):
                continue
            if first in _TITLE_WORDS or last in _TITLE_WORDS:
                continue  # "told Ukrainian President": a role, not a name
            add(f"{first} {last}", last, None, "speaker-slot", start + m.start(), None, "")
        for m in _FAMILY_FIRST.finditer(chunk):
            # "Kim Min-jun", "President Yoon Suk-yeol": family name, then a given name of
            # two hyphenated syllables; the article goes on with the family name.
            family, given = m.group(1), m.group(2)
            if not _family_first(family, given):
                continue
            role, title = _role_before(chunk[: m.start()])
            add(f"{family} {given}", family, None, "family-name-first", start + m.start(),
                title, role)

    for surname in sorted(label_surnames):
        label_re = re.compile(rf"(?<![\w.’'-])({CAPWORD})[ \t]+{re.escape(surname)}(?![\w’'-])")
        for start, end in body:
            for m in label_re.finditer(text, start, end):
                given = m.group(1)
                if (_not_a_name(given) or given in _TITLE_WORDS or given in ORG_HEADS
                        or given in _ORG_NEVER_FIRST or given.lower() in person_titles()):
                    continue
                role, title = _role_before(text[start:m.start()])
                gender = names[given] if given in names else None
                add(f"{given} {surname}", surname, gender, "label-surname", m.start(), title, role)

    for start, end in body:
        for m in ORGANISATION.finditer(text, start, end):
            name = m.group("org")
            first = name.split()[0]
            rest = name.split(None, 1)[1] if " " in name else ""
            if first in _ORG_NEVER_FIRST and ORGANISATION.fullmatch(rest):
                # "A Harbour Board spokesperson": the body without "A"
                name, first = rest, rest.split()[0]
            if first in _ORG_NEVER_FIRST or first in _TITLE_WORDS:
                continue  # "President of the Church...": a person's role, not the body
            if any(re.search(rf"\b{re.escape(p.name)}\b", name) for p in found.values()
                   if not p.is_organisation):
                continue  # "Judge Dana Ortiz of the Court of Appeals"
            if name in found or any(name in p.name for p in found.values()):
                continue
            person = Person(id="", name=name, surname=name, gender="n", rule="organisation",
                            first=start + m.start("org"), role="organisation")
            if m.group("acronym"):
                person.acronym = m.group("acronym")
            found[name] = person

    for start, end in body:
        for m in _KIND_NAME.finditer(text, start, end):
            # "the union Unite said", "the airline Aerolux, which ...": the name after the
            # kind of body, followed by a speech verb or punctuation (never "the company
            # Ortiz founded": a person's name there is followed by more of the sentence)
            name, words = m.group("org"), m.group("org").split()
            if (name in found or any(w in names or _not_a_name(w) or w in _TITLE_WORDS
                                     or w in ORG_HEADS for w in words)
                    or any(w in p.name.split() for p in found.values() for w in words)):
                continue
            found[name] = Person(id="", name=name, surname=name, gender="n",
                                 rule="kind-name", first=m.start("org"), role="organisation",
                                 kind=m.group("kind"))

    _first_word_names(text, body, list(found.values()))
    people = _assign_ids(found.values())
    mentions = _link(text, body, people)
    used = {m.person for m in mentions}
    return Entities(people={p.id: p for p in people if p.id in used}, mentions=mentions)


_FAMILY_FIRST = re.compile(rf"(?<![\w’'.-])([{UPPER}][{LOWER}]+)[ \t]+([{UPPER}][{LOWER}]+-[{LOWER}]+)"
                           r"(?![\w’'-])")


def _family_first(family: str, given: str) -> bool:
    """Whether ``family given`` is a name written family name first: a family name of the
    list, then two hyphenated syllables, the second in lower case ("Kim Min-jun")."""
    return (family in gazetteer.family_first_names()
            and re.fullmatch(r"[A-Z][a-z]{1,5}-[a-z]{1,5}", given) is not None)


def _role_before(before: str) -> tuple[str, str | None]:
    """The role written right before a name ("Russian President") and its bare title."""
    m = ROLE_BEFORE.search(before)
    if m:
        words = m.group(0).split()
        while words and words[0] in gazetteer.STOPWORDS:
            words = words[1:]
        role = " ".join(words)
        title = next((t for t in sorted(TITLES, key=len, reverse=True) if role.endswith(t)), None)
        return role, title
    m = _LOWER_ROLE_BEFORE.search(before)
    if m:
        words = m.group(0).split()
        while words[:-1] and words[0] in _NOT_ROLE_WORDS:
            words = words[1:]
        return " ".join(words), None
    return "", None


def _assign_ids(people) -> list[Person]:
    people = sorted(people, key=lambda p: p.first)
    surnames: dict[str, int] = {}
    for p in people:
        surnames[p.surname] = surnames.get(p.surname, 0) + 1
    taken: set[str] = set()
    for p in people:
        base = slug(p.surname if surnames[p.surname] == 1 else p.name)
        pid, n = base, 2
        while pid in taken:
            pid, n = f"{base}-{n}", n + 1
        p.id = pid
        taken.add(pid)
    return people


def _first_word_names(text: str, body: list[tuple[int, int]], people: list[Person]) -> None:
    """A person the article calls by the first word of a two-word name ("Xi Jinping ... Xi
    said", a family name written first; "Helen Parker ... Helen said" in a feature): when
    that word alone speaks ("Xi said", "said Xi") and the last word never stands alone,
    the first word is the name the article uses, so it is the surname here. Not for a word
    another person's name also has, nor for a word that is no name ("He", a title)."""
    words_of = [p.name.split() for p in people if not p.is_organisation]
    for person in people:
        words = person.name.split()
        if (person.is_organisation or len(words) != 2 or person.surname != words[1]
                or words[0] in gazetteer.STOPWORDS or words[0] in _TITLE_WORDS
                or sum(words[0] in w for w in words_of) != 1):
            continue
        first, last = map(re.escape, words)
        alone = re.compile(rf"(?<![\w’'.-]){first}(?![\w’'-])(?![ \t]+{last}\b)")
        speaks = re.compile(rf"(?<![\w’'.-]){first}[ \t]+(?:{ADVERB}[ \t]+)?{SPEECH}\b|"
                            rf"\b{SPEECH}[ \t]+{first}(?![\w’'-])(?![ \t]+[A-Z])")
        bare_last = re.compile(rf"(?<![\w’'-]){last}(?![\w’'-])")
        full = re.compile(rf"\b{first}[ \t]+{last}\b")
        chunks = [text[s:e] for s, e in body]
        if (any(speaks.search(c) for c in chunks) and any(alone.search(c) for c in chunks)
                and sum(len(bare_last.findall(c)) for c in chunks)
                == sum(len(full.findall(c)) for c in chunks)):
            person.surname = words[0]


_AFTER_CAPITAL = re.compile(r"[A-Z][\w’'.-]*[ \t]+$")
ADVERB = r"(?:[a-z]+ly|also|then|later|again|once)"


def _link(text: str, body: list[tuple[int, int]], people: list[Person]) -> list[Mention]:
    surnames: dict[str, list[Person]] = {}
    for p in people:
        surnames.setdefault(p.surname, []).append(p)
    patterns: list[tuple[str, re.Pattern[str], Person]] = []
    for p in people:
        patterns.append((p.name, re.compile(rf"\b{re.escape(p.name)}\b"), p))
        if p.acronym:
            patterns.append((p.acronym, re.compile(rf"\b{re.escape(p.acronym)}\b"), p))
        if len(surnames[p.surname]) == 1 and p.surname != p.name:
            patterns.append((p.surname,
                             re.compile(rf"(?<![\w-]){surname_pattern(p.surname)}(?![\w-])"), p))
    mentions: list[Mention] = []
    # longest names first, so "Dana Ortiz" is one mention, not two
    patterns.sort(key=lambda pp: -len(pp[0]))
    for start, end in body:
        taken: list[tuple[int, int]] = []  # spans already linked in this paragraph
        chunk = text[start:end]
        for literal, pattern, person in patterns:
            if literal[1:] not in chunk:
                continue  # a plain substring test first: long articles name hundreds
            for m in pattern.finditer(chunk):
                s, e = start + m.start(), start + m.end()
                if any(s < te and ts < e for ts, te in taken):
                    continue
                if (literal == person.surname and person.rule == "family-name-first"
                        and _AFTER_CAPITAL.search(chunk, 0, m.start())):
                    continue  # "Hyde Park", "Full Moon": a place's or a thing's name
                taken.append((s, e))
                mentions.append(Mention(s, e, person.id))
    mentions.sort(key=lambda m: m.start)
    return mentions
