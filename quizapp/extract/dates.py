"""Dates: absolute forms are taken, relative ones are reported and skipped.

Taken: "July 2017" (``month-year``), "24 July 2017" (``day-month-year``) and
"July 24, 2017" (``month-day-year``). Skipped, because nothing in the text anchors them:
weekdays ("Friday", "Friday’s"), "yesterday", "today", "tomorrow", "last/next week"...
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.extract.gazetteer import MONTHS, WEEKDAYS

_MONTH = "|".join(MONTHS)
_PATTERNS = [
    ("day-month-year", re.compile(rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)\b")),
    ("month-day-year", re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)\b")),
    ("month-year", re.compile(rf"\b(?P<month>{_MONTH}),?\s+(?P<year>(?:19|20)\d\d)\b")),
]
_RELATIVE = re.compile(
    rf"\b(?:(?:{'|'.join(WEEKDAYS)})(?:[’']s)?|yesterday|today|tomorrow|tonight|"
    r"(?:last|next|this) (?:week|month|year|weekend))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int
    month: int
    day: int | None
    rule: str


@dataclass(frozen=True)
class RelativeDate:
    start: int
    end: int
    text: str


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    end = len(text) if end is None else end
    found: list[DateMention] = []
    for rule, pattern in _PATTERNS:
        for m in pattern.finditer(text, start, end):
            if any(m.start() < d.end and d.start < m.end() for d in found):
                continue
            day = m.groupdict().get("day")
            if day is not None and not 1 <= int(day) <= 31:
                continue
            found.append(DateMention(m.start(), m.end(), int(m.group("year")),
                                     MONTHS.index(m.group("month")) + 1,
                                     int(day) if day else None, rule))
    return sorted(found, key=lambda d: d.start)


def find_relative(text: str, start: int = 0, end: int | None = None) -> list[RelativeDate]:
    end = len(text) if end is None else end
    out = []
    for m in _RELATIVE.finditer(text, start, end):
        word = m.group(0)
        if word[0].islower() and word.split("’")[0].split("'")[0].capitalize() in WEEKDAYS:
            continue  # "friday" in lower case is not a weekday name in running text
        out.append(RelativeDate(m.start(), m.end(), word))
    return out
