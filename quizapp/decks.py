"""Find, load, validate and write decks.

A deck is a TOML file described by ``models.Deck``. Every problem with a deck file is
reported as one line that names the file and the field, for example
``decks/x.toml: cards[3].answr: unknown field``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomli_w
from pydantic import ValidationError

from quizapp.fsutil import atomic_write_text
from quizapp.models import Deck
from quizapp.paths import Locations

Origin = Literal["bundled", "user", "extra"]


class DeckError(Exception):
    """A deck file could not be used. ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def format_loc(loc: Iterable[Any]) -> str:
    """``("cards", 3, "answr")`` -> ``cards[3].answr``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_MESSAGES = {
    "extra_forbidden": "unknown field",
    "missing": "required field is missing",
}


def validation_problems(path: Path | str, error: ValidationError) -> list[str]:
    """One line per pydantic error: ``path: field: message``."""
    lines = []
    for item in error.errors():
        loc = [p for p in item["loc"] if not (isinstance(p, str) and p in _UNION_TAGS)]
        where = format_loc(loc) or "(top level)"
        message = _MESSAGES.get(item["type"]) or item["msg"]
        message = message.removeprefix("Value error, ")
        # A model-level check names its field first ("answer: ..."): move it into the path.
        head, sep, rest = message.partition(": ")
        if sep and head.isidentifier() and item["type"] == "value_error":
            where, message = (f"{where}.{head}" if loc else head), rest
        lines.append(f"{path}: {where}: {message}")
    return lines


# pydantic names the branch of a union in the error location; a person does not need it.
_UNION_TAGS = {"str", "list[str]", "function-after[_not_blank(), str]",
               "list[function-after[_not_blank(), str]]"}


def parse_deck(text: str, path: Path | str) -> Deck:
    """Parse and validate deck text; raise ``DeckError`` naming ``path`` and each field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DeckError([f"{path}: not valid TOML: {exc}"]) from None
    try:
        return Deck.model_validate(data)
    except ValidationError as exc:
        raise DeckError(validation_problems(path, exc)) from None


def load_deck(path: Path) -> Deck:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DeckError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DeckError([f"{path}: not UTF-8 text (byte {exc.start})"]) from None
    return parse_deck(text, path)


def dump_deck(deck: Deck) -> str:
    """Deterministic TOML text for a deck: the same deck always gives the same bytes."""
    data = deck.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    data = {"format": deck.format, **data}
    return tomli_w.dumps(data, multiline_strings=False)


def write_deck(deck: Deck, path: Path) -> None:
    """Write a deck atomically (temp file, fsync, rename)."""
    atomic_write_text(path, dump_deck(deck))


@dataclass(frozen=True)
class DeckEntry:
    deck: Deck
    path: Path
    origin: Origin

    @property
    def id(self) -> str:
        return self.deck.id

    @property
    def read_only(self) -> bool:
        return self.origin == "bundled"


@dataclass
class Catalog:
    """Every deck found, plus one line per file that could not be used or was shadowed."""

    entries: list[DeckEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def get(self, deck_id: str) -> DeckEntry | None:
        return next((e for e in self.entries if e.id == deck_id), None)


def discover(locations: Locations) -> Catalog:
    """Load every deck in the deck folders. The first deck with an id wins; later ones
    with the same id are reported, never silently shadowed."""
    catalog = Catalog()
    origins: list[tuple[Path, Origin]] = [
        (locations.bundled_decks, "bundled"),
        (locations.user_decks, "user"),
        *((d, "extra") for d in locations.extra_decks),
    ]
    seen: dict[str, Path] = {}
    for folder, origin in origins:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                deck = load_deck(path)
            except DeckError as exc:
                catalog.problems.extend(exc.problems)
                continue
            if deck.id in seen:
                catalog.problems.append(
                    f"{path}: deck.id: {deck.id!r} is already used by {seen[deck.id]}; skipped"
                )
                continue
            seen[deck.id] = path
            catalog.entries.append(DeckEntry(deck, path, origin))
    return catalog
