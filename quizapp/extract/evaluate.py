"""Measure an extracted dataset against a hand-made (gold) one.

Quotes are matched by their words: case, quote marks, apostrophes and punctuation are
ignored, and a predicted quote matches a gold quote when one's words contain the other's
or they share at least 60% of the shorter one's words. People are compared by name: a
predicted speaker is right when its name or one of its aliases is the gold speaker's name
or one of the gold speaker's aliases.

- precision: of the predicted quotes given a speaker, the share whose speaker is right.
  A prediction with a speaker that matches no gold quote, or matches one the gold leaves
  without a speaker, counts as wrong. Abstentions (no speaker) are not counted.
- recall: of the gold quotes that have a speaker, the share matched by a prediction with
  the right speaker.
- encounters: gold encounters found with the same city and the same month and year.
- people: gold people found under one of their names (for information; not a target).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizapp.models import Dataset, Person

_TOKEN = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    text = text.casefold().replace("’", "'").replace("‘", "'")
    text = re.sub(r"'", "", text)
    return _TOKEN.findall(text)


def quotes_match(a: str, b: str) -> bool:
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    sa, sb = " ".join(wa), " ".join(wb)
    if sa in sb or sb in sa:
        return True
    shorter = min(len(set(wa)), len(set(wb)))
    return len(set(wa) & set(wb)) / shorter >= 0.6 and shorter >= 3


def _names(person: Person) -> set[str]:
    return {" ".join(words(n)) for n in (person.name, *person.aliases)}


@dataclass
class Evaluation:
    gold_quotes: int  # gold quotes with a speaker
    predicted_attributed: int
    correct: int
    found: int  # gold quotes (with a speaker) found with the right speaker
    abstained: int
    gold_encounters: int
    encounters_found: int
    gold_people: int = 0
    people_found: int = 0
    errors: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    missed_encounters: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted_attributed if self.predicted_attributed else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold_quotes if self.gold_quotes else 1.0


def evaluate(predicted: Dataset, gold: Dataset) -> Evaluation:
    gold_people = {p.id: p for p in gold.people}
    pred_people = {p.id: p for p in predicted.people}

    def same_person(pred_id: str, gold_id: str) -> bool:
        return bool(_names(pred_people[pred_id]) & _names(gold_people[gold_id]))

    attributed = [q for q in predicted.quotes if q.speaker is not None]
    correct = 0
    errors = []
    for q in attributed:
        matches = [g for g in gold.quotes if quotes_match(q.text, g.text)]
        good = any(g.speaker is not None and same_person(q.speaker, g.speaker) for g in matches)
        if good:
            correct += 1
            continue
        said_by = pred_people[q.speaker].name
        if not matches:
            errors.append(f"“{q.text}” given to {said_by}; the gold has no such quote")
        else:
            gold_said = ", ".join(gold_people[g.speaker].name if g.speaker else "no one"
                                  for g in matches)
            errors.append(f"“{q.text}” given to {said_by}; the gold says {gold_said}")
    gold_with_speaker = [g for g in gold.quotes if g.speaker is not None]
    found = 0
    missed = []
    for g in gold_with_speaker:
        matches = [q for q in predicted.quotes if quotes_match(q.text, g.text)]
        if any(q.speaker is not None and same_person(q.speaker, g.speaker) for q in matches):
            found += 1
        elif not matches:
            missed.append(f"“{g.text}” ({gold_people[g.speaker].name}): not found")
        else:
            missed.append(f"“{g.text}” ({gold_people[g.speaker].name}): no speaker or another")

    gold_places = {p.id: p for p in gold.places}
    pred_places = {p.id: p for p in predicted.places}
    encounters_found = 0
    missed_encounters = []
    for g in gold.encounters:
        city = gold_places[g.place].city.casefold()
        hit = any(pred_places[e.place].city.casefold() == city and e.month == g.month
                  and e.year == g.year for e in predicted.encounters)
        if hit:
            encounters_found += 1
        else:
            missed_encounters.append(f"{gold_places[g.place].city} {g.month:02d}/{g.year}")
    people_found = sum(1 for g in gold.people
                       if any(_names(p) & _names(g) for p in predicted.people))
    return Evaluation(
        gold_people=len(gold.people),
        people_found=people_found,
        gold_quotes=len(gold_with_speaker),
        predicted_attributed=len(attributed),
        correct=correct,
        found=found,
        abstained=sum(1 for q in predicted.quotes if q.speaker is None),
        gold_encounters=len(gold.encounters),
        encounters_found=encounters_found,
        errors=errors,
        missed=missed,
        missed_encounters=missed_encounters,
    )


def format_evaluation(result: Evaluation) -> str:
    lines = [
        f"speaker precision: {result.precision:.1%} "
        f"({result.correct} of {result.predicted_attributed} attributed quotes right)",
        f"speaker recall:    {result.recall:.1%} "
        f"({result.found} of {result.gold_quotes} gold quotes with a speaker found)",
        f"abstained:         {result.abstained} "
        f"{'quote' if result.abstained == 1 else 'quotes'} kept without a speaker",
        f"encounters:        {result.encounters_found}/{result.gold_encounters} "
        f"with place and month/year right",
        f"people:            {result.people_found}/{result.gold_people} of the gold's people found",
    ]
    lines += [f"  wrong: {e}" for e in result.errors]
    lines += [f"  missed: {m}" for m in result.missed]
    lines += [f"  missed encounter: {m}" for m in result.missed_encounters]
    return "\n".join(lines)
