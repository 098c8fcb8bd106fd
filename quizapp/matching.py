"""Is this typed answer right?

Lenient where a person would be (case, accents, punctuation, extra spaces, small typos,
any accepted alias), strict where it matters: digits must match exactly, and a response
that is (or is nearer to) a different real answer never counts ("Trump" for "Putin").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_ARTICLES = {"the", "a", "an"}


def normalize(text: str) -> str:
    """Casefolded, accents removed, punctuation dropped, spaces collapsed, leading article dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = _PUNCT.sub(" ", stripped.casefold().replace("_", " "))
    words = _SPACE.sub(" ", folded).strip().split(" ")
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def allowed_typos(answer: str) -> int:
    """Edit distance tolerated for a normalized answer of this length."""
    n = len(answer.replace(" ", ""))
    if n <= 3:
        return 0
    if n <= 6:
        return 1
    if n <= 12:
        return 2
    return min(4, n // 6)


@dataclass(frozen=True)
class Match:
    correct: bool
    matched: str | None = None  # which accepted answer it matched
    exact: bool = False  # equal after normalizing (no typo)


def check(response: str, answers: Iterable[str], rivals: Iterable[str] = ()) -> Match:
    """Check a typed ``response`` against the accepted ``answers``.

    ``rivals`` are other real answers from the deck (other people, places, dates): a
    response equal to one, or nearer to one than to every accepted answer, is wrong.
    """
    said = normalize(response)
    if not said:
        return Match(False)
    accepted = [(a, normalize(a)) for a in answers]
    for original, norm in accepted:
        # "G20" is "G-20", "buenos-aires" is "Buenos Aires": spacing never matters.
        if said.replace(" ", "") == norm.replace(" ", ""):
            return Match(True, original, exact=True)
    accepted_norms = {norm for _, norm in accepted}
    rival_norms = [r for r in {normalize(r) for r in rivals} if r and r not in accepted_norms]
    if said in rival_norms:
        return Match(False)
    best: tuple[int, str] | None = None
    for original, norm in accepted:
        if _DIGITS.findall(said) != _DIGITS.findall(norm):
            continue
        distance = Levenshtein.distance(said, norm)
        if distance <= allowed_typos(norm) and (best is None or distance < best[0]):
            best = (distance, original)
    if best is None:
        return Match(False)
    distance, original = best
    if any(Levenshtein.distance(said, r) <= distance for r in rival_norms):
        return Match(False)
    return Match(True, original)
