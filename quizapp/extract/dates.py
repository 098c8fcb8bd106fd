"""Dates: absolute forms are taken; relative ones are resolved against the article's date.

Taken: "July 2017" (``month-year``), "24 July 2017" (``day-month-year``),
"July 24, 2017" / "Oct. 24th, 2017" (``month-day-year``), "2017-07-24" (``iso-date``),
"24/07/2017" or "07/24/2017" when only one reading is a date (``numeric-date``; "1/12/2017"
is left out) and a year after "in", "since", "by" or "during"
(``year``). Relative dates ("Friday", "yesterday", "today", "tomorrow", "last year",
"last month") are resolved when the article has a date (``resolve_relative``: the page's
publication date, else a date line at the top of the article such as "Tuesday, October 21,
2008"); a weekday is the last such day on or before the article's date, as news reports
use them, or the next such day when its sentence looks ahead ("will", "would", "is expected
to");
a weekday right before a written date ("Thursday, March 14, 2024") is no relative date.
The article's date may also be the end of its title ("News briefs: April 14, 2010") or a
wire dateline ("NAIROBI, Kenya (June 3, 2023) — ..."). Without a date, or for vaguer forms ("last week"), they are reported and left
out of questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from quizapp.extract.gazetteer import MONTHS, WEEKDAYS

# Month names, and the abbreviations news style uses ("Oct. 17, 2007", "Sept. 3").
_MONTH = "|".join(MONTHS) + r"|(?:Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\."
_ORDINAL = r"(?:st|nd|rd|th)?"
_PATTERNS = [
    ("day-month-year", re.compile(rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)\b")),
    ("month-day-year", re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>(?:19|20)\d\d)\b")),
    ("month-year", re.compile(rf"\b(?P<month>{_MONTH}),?\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b")),
    # 2017-01-12 (ISO), and 12/01/2017 only when the day cannot be read as a month
    ("iso-date", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")),
    ("numeric-date", re.compile(r"(?<![\d/.])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d\d)\b")),
]


def month_number(name: str) -> int:
    """1-12 for a month name ("October"), its abbreviation ("Oct.") or digits ("10")."""
    if name.isdigit():
        return int(name)
    return next(i for i, m in enumerate(MONTHS, 1) if m[:3] == name[:3])
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
    month: int | None
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
            groups = m.groupdict()
            if rule == "numeric-date":
                a, b = int(groups["a"]), int(groups["b"])
                if a > 12 >= b:
                    groups.update(day=str(a), month=str(b))  # 25/12/2017
                elif b > 12 >= a:
                    groups.update(day=str(b), month=str(a))  # 12/25/2017
                else:
                    continue  # 1/12/2017: January or December? abstain
            day = groups.get("day")
            month = month_number(groups["month"])
            if (day is not None and not 1 <= int(day) <= 31) or not 1 <= month <= 12:
                continue
            found.append(DateMention(m.start(), m.end(), int(m.group("year")), month,
                                     int(day) if day else None, rule))
    return sorted(found, key=lambda d: d.start)


_YEAR = re.compile(r"\b(?:[Ii]n|since|[Bb]y|during|until|of)\s+(?P<year>(?:19|20)\d\d)\b(?!\s*[-–]\d)")
_LINE_MONTH = _MONTH + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b"
_WEEKDAY = "|".join(WEEKDAYS) + r"|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\b\.?"
# A page stamp's time after the date: "10:32 AM EST", "09.12 GMT", "at 3 p.m."
_TIME = (r"(?:,?\s+(?:at\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?"
         r"(?:\s+[A-Z]{2,5}(?:[+-]\d{1,2})?)?)?")
_DATE_LINE = re.compile(
    r"^(?:(?:Published|Posted|Updated|Last updated|Date)(?:\s+on)?:?\s+)?"
    rf"(?:(?:{_WEEKDAY}),?\s+)?(?:(?P<month>{_LINE_MONTH})\s+(?P<day>\d{{1,2}}){_ORDINAL},\s+"
    rf"(?P<year>(?:19|20)\d\d)|(?P<day2>\d{{1,2}}){_ORDINAL}\s+(?P<month2>{_LINE_MONTH})"
    rf"\s+(?P<year2>(?:19|20)\d\d)){_TIME}\.?$"
)


def find_years(text: str, start: int, end: int, taken: list[DateMention]) -> list[DateMention]:
    """Years on their own ("in 2015"), where no fuller date already covers them."""
    out = []
    for m in _YEAR.finditer(text, start, end):
        s, e = m.start("year"), m.end("year")
        if not any(d.start <= s < d.end for d in taken):
            out.append(DateMention(s, e, int(m.group("year")), None, None, "year"))
    return out


def date_line(text: str) -> date | None:
    """The date of a line that is only a date ("Tuesday, October 21, 2008", also
    "Published: 14 March 2022", a page stamp "Updated Mon 14 Mar 2022 09.12 GMT"), else None."""
    m = _DATE_LINE.match(text.strip())
    if m is None:
        return None
    month = m.group("month") or m.group("month2")
    day = int(m.group("day") or m.group("day2"))
    year = int(m.group("year") or m.group("year2"))
    try:
        return date(year, month_number(month), day)
    except ValueError:
        return None


def resolve_relative(rel: RelativeDate, anchor: date, future: bool = False) -> DateMention | None:
    """The date a relative mention means in an article of date ``anchor`` (None if vague).
    A weekday is the last such day on or before the article's date, or with ``future``
    (its sentence looks ahead: "will", "is expected to") the next one after it."""
    word = rel.text.casefold().replace("’", "'").removesuffix("'s")
    day: date | None = None
    if word in ("today", "tonight"):
        day = anchor
    elif word == "yesterday":
        day = anchor - timedelta(days=1)
    elif word == "tomorrow":
        day = anchor + timedelta(days=1)
    elif word.capitalize() in WEEKDAYS:
        target = WEEKDAYS.index(word.capitalize())
        if future:
            day = anchor + timedelta(days=(target - anchor.weekday()) % 7 or 7)
        else:
            day = anchor - timedelta(days=(anchor.weekday() - target) % 7)
    elif word == "last year":
        return DateMention(rel.start, rel.end, anchor.year - 1, None, None, "relative-date")
    elif word in ("this year", "next year"):
        year = anchor.year + (word == "next year")
        return DateMention(rel.start, rel.end, year, None, None, "relative-date")
    elif word in ("this month", "last month"):
        first = anchor.replace(day=1)
        if word == "last month":
            first = (first - timedelta(days=1)).replace(day=1)
        return DateMention(rel.start, rel.end, first.year, first.month, None, "relative-date")
    if day is None:
        return None
    return DateMention(rel.start, rel.end, day.year, day.month, day.day, "relative-date")


def find_relative(text: str, start: int = 0, end: int | None = None) -> list[RelativeDate]:
    end = len(text) if end is None else end
    out = []
    for m in _RELATIVE.finditer(text, start, end):
        word = m.group(0)
        if word[0].islower() and word.split("’")[0].split("'")[0].capitalize() in WEEKDAYS:
            continue  # "friday" in lower case is not a weekday name in running text
        out.append(RelativeDate(m.start(), m.end(), word))
    return out
