"""A development corpus: articles with hand-made gold files, and the figures over all of them.

A corpus is a folder of ``NAME.txt`` articles, each with a ``NAME.gold.toml`` written by a
person reading the article::

    people = ["Dana Ortiz", "Harbour Board"]   # who speaks or is named (people, organisations)
    places = ["Porto", "Portugal"]
    dates = ["2006-10-11", "2008-04", "2021"]  # day, month or year precision

    [[quotes]]
    speaker = "Dana Ortiz"                     # left out: the text names no speaker
    text = "The pumps never stopped"           # the quote, or enough of it to know it

Speaker precision and recall are counted as in ``evaluate``: a predicted speaker is right
when its name (or an alias) is the gold speaker's full name or surname; a quote is the
same quote when one's words contain the other's or they share most words. Places count
as found when the extractor lists a town of that name, or names that country. Dates count as
found when the extractor found a date with that year (and month, and day, as far as the
gold gives them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from quizapp import tomlio
from quizapp.errors import QuizappError
from quizapp.extract.evaluate import quotes_match, words


class GoldQuote(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    speaker: str | None = None


# "2006-10-11", "2008-04" or "2021": a day, a month or a year.
GoldDate = Annotated[str, StringConstraints(pattern=r"^\d{1,4}(?:-\d{2}(?:-\d{2})?)?$")]


class Gold(BaseModel):
    model_config = ConfigDict(extra="forbid")
    people: list[str] = []
    places: list[str] = []
    dates: list[GoldDate] = []
    quotes: list[GoldQuote] = []


class GoldError(QuizappError):
    """A gold file could not be read; the message names the file and the field."""


MAX_GOLD_BYTES = 1_000_000


def load_gold(path: Path) -> Gold:
    try:
        text = tomlio.decode_text(tomlio.read_bytes(path, MAX_GOLD_BYTES, "a gold file"), path)
        data = tomlio.parse_toml(text, path)
    except OSError as exc:
        raise GoldError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomlio.FileProblem as exc:
        raise GoldError(str(exc)) from None
    try:
        return Gold.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"]
        if err["type"] == "string_pattern_mismatch":
            msg = f"{err['input']!r} is no date: write 2021-03-14, 2021-03 or 2021"
        raise GoldError(f"{path}: {where}: {msg}") from None


def _key(name: str) -> str:
    return " ".join(words(name))


def same_speaker(names: list[str], gold_name: str) -> bool:
    """``names``: the predicted person's name first, then aliases."""
    gold = _key(gold_name)
    gold_forms = {gold, gold.split()[-1]} if gold else set()
    predicted = {_key(n) for n in names}
    return _key(names[0]) in gold_forms or gold in predicted


@dataclass
class Score:
    name: str
    gold_quotes: int = 0  # gold quotes with a speaker
    attributed: int = 0  # predicted quotes with a speaker
    correct: int = 0
    found: int = 0
    gold_places: int = 0
    places_found: int = 0
    gold_dates: int = 0
    dates_found: int = 0
    errors: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.attributed if self.attributed else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold_quotes if self.gold_quotes else 1.0

    def add(self, other: Score) -> None:
        for name in ("gold_quotes", "attributed", "correct", "found", "gold_places",
                     "places_found", "gold_dates", "dates_found"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _date_found(gold: str, dates) -> bool:
    parts = [int(p) for p in gold.split("-")]
    for d in dates:
        have = [d.year, d.month, d.day]
        if all(have[i] == parts[i] for i in range(len(parts))):
            return True
    return False


def score(name: str, extraction, gold: Gold) -> Score:
    """Compare one article's extraction (``pipeline.Extraction``) with its gold file."""
    ds = extraction.dataset
    people = {p.id: [p.name, *p.aliases] for p in ds.people}
    result = Score(name)
    for q in ds.quotes:
        if q.speaker is None:
            continue
        result.attributed += 1
        matches = [g for g in gold.quotes if quotes_match(q.text, g.text)]
        if any(g.speaker and same_speaker(people[q.speaker], g.speaker) for g in matches):
            result.correct += 1
        else:
            said = ", ".join(g.speaker or "no one" for g in matches) or "no such quote"
            result.errors.append(f"“{q.text[:60]}” given to {people[q.speaker][0]}; gold: {said}")
    for g in gold.quotes:
        if g.speaker is None:
            continue
        result.gold_quotes += 1
        matches = [q for q in ds.quotes if quotes_match(q.text, g.text)]
        if any(q.speaker and same_speaker(people[q.speaker], g.speaker) for q in matches):
            result.found += 1
        else:
            why = "not found" if not matches else "no speaker or another"
            result.missed.append(f"“{g.text[:60]}” ({g.speaker}): {why}")
    names = {_key(n) for p in ds.places for n in (p.city, p.country, *p.aliases)}
    names |= {_key(n) for n in extraction.countries}
    result.gold_places = len(gold.places)
    result.places_found = sum(1 for p in gold.places if _key(p) in names)
    result.gold_dates = len(gold.dates)
    result.dates_found = sum(1 for d in gold.dates if _date_found(d, extraction.dates))
    return result


def corpus_articles(folder: Path) -> list[tuple[Path, Path]]:
    """(article, gold) pairs of a corpus folder, by name; articles without gold are skipped."""
    pairs = []
    for article in sorted(Path(folder).glob("*.txt")):
        gold = article.with_name(article.stem + ".gold.toml")
        if gold.is_file():
            pairs.append((article, gold))
    return pairs


def evaluate_corpus(folder: Path, extract_file) -> tuple[list[Score], Score]:
    """Score every article of ``folder``; ``extract_file(path)`` returns its extraction."""
    scores = []
    total = Score("total")
    for article, gold_path in corpus_articles(folder):
        one = score(article.stem, extract_file(article), load_gold(gold_path))
        scores.append(one)
        total.add(one)
    return scores, total


def format_table(scores: list[Score], total: Score | None, details: bool = False) -> str:
    """A Markdown table: one row per article, then the total (if given)."""
    width = max([len(s.name) for s in scores] + [7])
    lines = [
        f"| {'article':<{width}} | quotes | attributed | right | precision | recall | places | dates |",
        f"| {'-' * width} | -----: | ---------: | ----: | --------: | -----: | -----: | ----: |",
    ]
    for s in [*scores, *([total] if total is not None else [])]:
        name = f"**{s.name}**" if s is total else s.name
        lines.append(
            f"| {name:<{width}} | {s.gold_quotes:>6} | {s.attributed:>10} | {s.correct:>5} "
            f"| {s.precision:>9.2f} | {s.recall:>6.2f} "
            f"| {s.places_found:>2}/{s.gold_places:<3} | {s.dates_found:>2}/{s.gold_dates:<2} |"
        )
    if details:
        for s in scores:
            for e in s.errors:
                lines.append(f"{s.name}: wrong: {e}")
            for m in s.missed:
                lines.append(f"{s.name}: missed: {m}")
    return "\n".join(lines)
