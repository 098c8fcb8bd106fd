"""Places and encounters.

- ``heading-encounter``: a heading "City, Country: Occasion, Month Year" is an encounter
  (where, what and when); the city needs no gazetteer entry, the structure is the evidence.
- ``in-city``: "in City" where City is in the built-in gazetteer (``data/places.toml``),
  so common capitalised words ("in Brief", "in Charge") never become places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizapp.extract import gazetteer
from quizapp.extract.gazetteer import MONTHS
from quizapp.extract.layout import Span, heading_label

_HEADING = re.compile(
    rf"^(?P<city>[A-Z][\w .'’-]{{1,40}}?),\s+(?P<country>[A-Z][\w .'’-]{{1,40}}?):\s+"
    rf"(?P<occasion>\S.{{0,80}}?),\s+(?P<month>{'|'.join(MONTHS)})\s+(?P<year>(?:19|20)\d\d)$"
)


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


def places_in_prose(text: str, spans: list[tuple[int, int]]) -> list[FoundPlace]:
    cities = gazetteer.cities()
    names = sorted(cities, key=len, reverse=True)
    pattern = re.compile(r"\b[Ii]n\s+(?P<city>" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")
    found = []
    for start, end in spans:
        for m in pattern.finditer(text, start, end):
            found.append(FoundPlace(m.group("city"), cities[m.group("city")],
                                    m.start("city"), m.end("city"), "in-city"))
    return found
