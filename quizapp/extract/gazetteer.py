"""The built-in word lists (kept as data in ``data/*.toml``): places, given names, occasions."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

DATA = Path(__file__).resolve().parent / "data"


@cache
def _load(name: str) -> dict:
    with open(DATA / name, "rb") as handle:
        return tomllib.load(handle)


@cache
def cities() -> Mapping[str, str]:
    """City name -> country (read-only)."""
    return MappingProxyType(dict(_load("places.toml")["cities"]))


@cache
def countries() -> frozenset[str]:
    data = _load("places.toml")
    return frozenset(data["countries"]) | frozenset(data["country_aliases"])


@cache
def occasion_groups() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(g) for g in _load("places.toml")["occasions"]["groups"])


@cache
def given_names() -> Mapping[str, str]:
    """Given name -> "m" or "f"."""
    data = _load("names.toml")
    out = {name: "f" for name in data["female"]}
    out.update({name: "m" for name in data["male"]})
    return MappingProxyType(out)


MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Capitalised words that are never a person's surname or a place: they start sentences or
# name institutions, days and months.
STOPWORDS = {
    "A", "An", "The", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We",
    "I", "You", "His", "Her", "Their", "Our", "In", "On", "At", "For", "From", "With", "By",
    "After", "Before", "During", "When", "While", "If", "But", "And", "Or", "As", "So",
    "Yes", "No", "Not", "Mr", "Mrs", "Ms", "Dr", "Sir", "Madam", "Street", "Road", "Avenue",
    "House", "Office", "Department", "Ministry", "Council", "Committee", "Party", "Union",
    "Bank", "Court", "Senate", "Congress", "Parliament", "Kremlin", "Government", "State",
    "River", "Square", "Hall", "Bridge", "Park", "Centre", "Center", "University", "College",
    "School", "Hospital", "Church", "Station", "Airport", "Harbour", "Harbor", "Market",
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western",
    "Republican", "Democrat", "Democrats", "Democratic", "Conservative", "Labour", "Liberal",
    "Group", "Summit", "War", "World", "Day", "Week", "Year", "Month", "Today", "Tomorrow",
    "Yesterday", "Coronavirus", "Covid", "Internet", "Trust", "Foundation", "Museum",
    "Authority", "Agency", "Service", "Board", "Commission", "Institute", "Police", "Army",
    "Navy", "Company", "Corporation", "Association", "Society", "League", "Club", "Team",
    "Times", "News", "Post", "Press", "Radio", "Television", "Council", "Assembly",
    *MONTHS, *WEEKDAYS,
}
