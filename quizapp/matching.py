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


_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_ARTICLES = {"the", "a", "an"}


def normalize(text: str) -> str:
    """Casefolded, accents removed, punctuation dropped, spaces collapsed, leading article dropped."""
    if text.isascii():  # nothing to decompose and no accents (most answers: much faster)
        stripped = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = _PUNCT.sub(" ", stripped.casefold().replace("_", " "))
    words = _SPACE.sub(" ", folded).strip().split(" ")
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def preload() -> None:
    """Import the fuzzy matcher now (``check`` imports it on the first typed answer)."""
    import rapidfuzz.distance  # noqa: F401
    import rapidfuzz.process  # noqa: F401


def allowed_typos(answer: str) -> int:
    """Typos tolerated for a normalized answer of this length.

    A typo is one edit: a letter added, dropped, changed, or two neighbours swapped
    (optimal string alignment distance). The allowance stays small so that a different
    real word ("published" for "punished", "Iran" for "Iraq") is not taken for a typo."""
    n = len(answer.replace(" ", ""))
    if n <= 4:
        return 0
    if n <= 9:
        return 1
    if n <= 15:
        return 2
    return 3


@dataclass(frozen=True)
class Rivals:
    """The normalized forms of a deck's real answers, made once per deck and session (a big
    deck has thousands; normalizing them again at every answer would cost more than the
    check itself).

    The ASCII forms are kept as one text, a form a line (``"\\nparis\\nosaka\\n"``): 250,000
    forms as separate strings in a set took 18 MB, as one text 5 MB, and finding
    ``"\\nparis\\n"`` in it is one fast search. Other forms (rare) are a set."""

    ascii: str
    other: frozenset[str]

    # Forms are normalized and joined this many at a time, so that making the rivals of a
    # big deck never holds every form as its own string at once.
    BATCH = 4096

    @classmethod
    def of(cls, texts: Iterable[str]) -> Rivals:
        parts: list[str] = []
        other: set[str] = set()
        batch: list[str] = []
        for text in texts:
            form = normalize(text)
            if not form:
                continue
            if form.isascii():
                batch.append(form)
                if len(batch) >= cls.BATCH:
                    parts.append("\n".join(batch))
                    batch.clear()
            else:
                other.add(form)
        if batch:
            parts.append("\n".join(batch))
        return cls("\n" + "\n".join(parts) + "\n" if parts else "\n", frozenset(other))

    def __contains__(self, form: str) -> bool:
        """Whether ``form`` (normalized, so one line) is one of the rivals."""
        if form.isascii():
            return bool(form) and f"\n{form}\n" in self.ascii
        return form in self.other

    def forms(self) -> list[str]:
        """Every rival form (made on demand: only a typo needs them all)."""
        inner = self.ascii[1:-1]
        return [*(inner.split("\n") if inner else ()), *self.other]


@dataclass(frozen=True)
class Match:
    correct: bool
    matched: str | None = None  # which accepted answer it matched
    exact: bool = False  # equal after normalizing (no typo)


def check(response: str, answers: Iterable[str], rivals: Rivals | Iterable[str] = ()) -> Match:
    """Check a typed ``response`` against the accepted ``answers``.

    ``rivals`` are other real answers from the deck (other people, places, dates): a
    response equal to one, or nearer to one than to every accepted answer, is wrong. Pass
    ``Rivals.of(texts)`` when checking many answers against the same deck.
    """
    if not isinstance(rivals, Rivals):
        rivals = Rivals.of(rivals)
    answers = list(answers)
    # An answer that is all punctuation ("[/]", "?!") normalizes to nothing: such an answer
    # is matched as typed (case and outer spaces aside), never leniently.
    typed = " ".join(response.split()).casefold()
    for original in answers:
        if typed and typed == " ".join(original.split()).casefold():
            return Match(True, original, exact=True)
    said = normalize(response)
    if not said:
        return Match(False)
    accepted = [(a, normalize(a)) for a in answers if normalize(a)]
    for original, norm in accepted:
        # "G20" is "G-20", "buenos-aires" is "Buenos Aires": spacing never matters.
        if said.replace(" ", "") == norm.replace(" ", ""):
            return Match(True, original, exact=True)
    accepted_norms = {norm for _, norm in accepted}
    if said in rivals and said not in accepted_norms:
        return Match(False)
    from rapidfuzz import process  # imported on the first typed answer, not at start
    from rapidfuzz.distance import OSA

    best: tuple[int, str] | None = None
    for original, norm in accepted:
        if _DIGITS.findall(said) != _DIGITS.findall(norm):
            continue
        distance = OSA.distance(said, norm)
        if distance <= allowed_typos(norm) and (best is None or distance < best[0]):
            best = (distance, original)
    if best is None:
        return Match(False)
    distance, original = best
    # Any rival (not itself accepted) at least as near as the accepted answer wins.
    near = process.extract_iter(
        said, rivals.forms(), scorer=OSA.distance, score_cutoff=distance
    )
    if any(rival not in accepted_norms for rival, _, _ in near):
        return Match(False)
    return Match(True, original)
