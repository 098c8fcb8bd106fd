"""The vocabulary: pydantic models for the article dataset, decks and the score file.

These models are the single description of every file format. All of them forbid unknown
keys (``extra="forbid"``), so a misspelt key is an error rather than silently ignored.
TOML has no null: optional fields are left out of the file when they are ``None``
(dump with ``exclude_none=True``) and read back as ``None``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from datetime import datetime
from operator import attrgetter
from typing import Annotated, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import SerializationInfo, ValidatorFunctionWrapHandler
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from quizapp.text import comparable

DATASET_FORMAT = 1
DECK_FORMAT = 1
# 2: the snapshot ends with an end line (store/snapshot.py), answers carry an id, undo is
# an event naming the answer it takes back. Format 1 files are still read.
SCORES_FORMAT = 2
# The largest count a score file may hold (a card answered every second for 30 years is
# 10^9): a larger one is damage or a typo, never study.
MAX_COUNT = 10**9


class Model(BaseModel):
    """Base for every file model: unknown keys are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


NonBlank = Annotated[str, AfterValidator(_not_blank)]

# Ids are safe in file names and TOML keys: no "/", "..", NUL, spaces or absolute paths.
DataId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
DeckId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", max_length=80)]
CardId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", max_length=160)]


# --------------------------------------------------------------------------- dataset


class Evidence(Model):
    """Where in the article a record's evidence is: a character span and the rule that found it.

    ``pieces``: for a quote the article interrupts with its attribution (“A,” she said, “and
    b.”), the span of each quoted piece (the quote's text is their texts joined with " … ")."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    rule: NonBlank
    pieces: list[tuple[int, int]] | None = None


class Article(Model):
    title: NonBlank
    authors: list[NonBlank]
    photo_credit: NonBlank
    source: str = ""


class Person(Model):
    id: DataId
    name: NonBlank
    aliases: list[NonBlank] = []
    role: str = ""
    section: NonBlank
    # Named only outside the article's body (a photo caption, a byline): never a wrong option.
    caption_only: bool = False


class Place(Model):
    id: DataId
    city: NonBlank
    country: NonBlank
    aliases: list[NonBlank] = []
    section: NonBlank


class Encounter(Model):
    id: DataId
    place: DataId
    occasion: NonBlank
    occasion_aliases: list[NonBlank] = []
    month: int = Field(ge=1, le=12)
    year: int = Field(ge=1900, le=2100)
    # The day, when the article gives one: the questions ask for the month and year, and
    # a typed answer with the article's own date counts too.
    day: int | None = Field(default=None, ge=1, le=31)
    summary: NonBlank
    section: NonBlank
    evidence: Evidence | None = None
    # Who took part (person ids): the questions about the encounter name them.
    people: list[DataId] = []

    @model_validator(mode="after")
    def _a_real_day(self) -> Encounter:
        import calendar

        if self.day is not None and self.day > calendar.monthrange(self.year, self.month)[1]:
            raise ValueError(f"day {self.day} is not a day of {calendar.month_name[self.month]} "
                             f"{self.year}")
        return self


class Quote(Model):
    id: DataId
    speaker: DataId | None = None
    text: NonBlank
    encounter: DataId | None = None
    context: str = ""
    year: int | None = Field(default=None, ge=1900, le=2100)
    section: NonBlank
    evidence: Evidence | None = None


class Fact(Model):
    id: DataId
    encounter: DataId | None = None
    question: NonBlank
    answer: NonBlank
    accept: list[NonBlank] = []
    statement: NonBlank
    section: NonBlank
    evidence: Evidence | None = None


class Dataset(Model):
    format: int = DATASET_FORMAT
    article: Article
    people: list[Person] = []
    places: list[Place] = []
    encounters: list[Encounter] = []
    quotes: list[Quote] = []
    facts: list[Fact] = []

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: int) -> int:
        if value > DATASET_FORMAT:
            raise ValueError(f"format {value} is newer than this quizapp reads ({DATASET_FORMAT})")
        return value

    @model_validator(mode="after")
    def _references_resolve(self) -> Dataset:
        for name in ("people", "places", "encounters", "quotes", "facts"):
            seen: set[str] = set()
            for record in getattr(self, name):
                if record.id in seen:
                    raise ValueError(f"{name}: duplicate id {record.id!r}")
                seen.add(record.id)
        people = {p.id for p in self.people}
        places = {p.id for p in self.places}
        encounters = {e.id for e in self.encounters}
        for e in self.encounters:
            if e.place not in places:
                raise ValueError(f"encounter {e.id!r}: unknown place {e.place!r}")
            for pid in e.people:
                if pid not in people:
                    raise ValueError(f"encounter {e.id!r}: unknown people {pid!r}")
        for q in self.quotes:
            if q.speaker is not None and q.speaker not in people:
                raise ValueError(f"quote {q.id!r}: unknown speaker {q.speaker!r}")
            if q.encounter is not None and q.encounter not in encounters:
                raise ValueError(f"quote {q.id!r}: unknown encounter {q.encounter!r}")
        for f in self.facts:
            if f.encounter is not None and f.encounter not in encounters:
                raise ValueError(f"fact {f.id!r}: unknown encounter {f.encounter!r}")
        return self

    def person(self, person_id: str) -> Person:
        return next(p for p in self.people if p.id == person_id)

    def place(self, place_id: str) -> Place:
        return next(p for p in self.places if p.id == place_id)

    def encounter(self, encounter_id: str) -> Encounter:
        return next(e for e in self.encounters if e.id == encounter_id)


# --------------------------------------------------------------------------- decks

CardKind = Literal["choice", "text", "flip", "order", "cloze"]

# Anki's cloze deletion: {{c1::answer}} or {{c1::answer::hint}}.
CLOZE = re.compile(r"\{\{c(\d{1,3})::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
CLOZE_BLANK = "[...]"


_CLOZE_OPEN = re.compile(r"\{\{c(\d{1,3})::")


def _nested(text: str) -> bool:
    """Whether a deletion holds another (Anki 2.1.56+: ``{{c1::a {{c2::b}} c}}``)."""
    if text.count("{{c") < 2:
        return False
    return any("{{c" in m.group(0)[3:] for m in CLOZE.finditer(text))


def _cloze_tree(text: str) -> list[str | tuple[int, list, str | None]]:
    """The text as pieces: plain strings and deletions ``(number, pieces, hint)``, a
    deletion inside another as one of its pieces. An opening that is never closed is
    text. The hint is what follows the deletion's first ``::`` at its own level."""
    root: list = []
    stack: list[tuple[int, list]] = []  # open deletions: (number, pieces so far)
    pieces, pos = root, 0
    while pos < len(text):
        opening = _CLOZE_OPEN.match(text, pos)
        if opening:
            stack.append((int(opening.group(1)), []))
            pieces, pos = stack[-1][1], opening.end()
            continue
        if stack and text.startswith("}}", pos):
            number, inner = stack.pop()
            hint = None
            for i, piece in enumerate(inner):  # split at the first :: of its own text
                if isinstance(piece, str) and "::" in piece:
                    head, tail = piece.split("::", 1)
                    hint = tail + "".join(_plain(x) for x in inner[i + 1:])
                    inner = [*inner[:i], head] if head else inner[:i]
                    break
            pieces = stack[-1][1] if stack else root
            pieces.append((number, inner, hint))
            pos += 2
            continue
        nxt = [i for i in (text.find("{{c", pos + 1), text.find("}}", pos) if stack else -1)
               if i != -1]
        end = min(nxt) if nxt else len(text)
        if pieces and isinstance(pieces[-1], str):
            pieces[-1] += text[pos:end]
        else:
            pieces.append(text[pos:end])
        pos = end
    while stack:  # never closed: its opening and pieces are text again
        number, inner = stack.pop()
        pieces = stack[-1][1] if stack else root
        pieces.extend([f"{{{{c{number}::", *inner])
    return root


def _plain(piece: str | tuple) -> str:
    """A piece written back as cloze text (a hint keeps any deletion markers as text)."""
    if isinstance(piece, str):
        return piece
    number, inner, hint = piece
    tail = f"::{hint}" if hint is not None else ""
    return f"{{{{c{number}::{''.join(_plain(x) for x in inner)}{tail}}}}}"


def _deletions(pieces: list) -> list[tuple[int, list, str | None]]:
    out = []
    for piece in pieces:
        if not isinstance(piece, str):
            out.append(piece)
            out.extend(_deletions(piece[1]))
    return out


def cloze_numbers(text: str) -> list[int]:
    """The deletion numbers in a cloze text, ascending, each once."""
    if not _nested(text):
        return sorted({int(m.group(1)) for m in CLOZE.finditer(text)})
    return sorted({d[0] for d in _deletions(_cloze_tree(text))})


def cloze_answers(text: str) -> list[tuple[int, str]]:
    """Every deletion's number and answer (all deletions shown inside it), in order."""
    if not _nested(text):
        return [(int(m.group(1)), m.group(2)) for m in CLOZE.finditer(text)]
    return [(n, _shown(inner, 0, [])) for n, inner, _ in _deletions(_cloze_tree(text))]


def _shown(pieces: list, number: int, answers: list[str]) -> str:
    """The pieces with deletion ``number`` blanked (its answer added to ``answers``) and
    every other deletion shown."""
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        n, inner, hint = piece
        if n == number:
            answers.append(_shown(inner, 0, []))
            out.append(f"[{hint.strip()}]" if hint and hint.strip() else CLOZE_BLANK)
        else:
            out.append(_shown(inner, number, answers))
    return "".join(out)


def cloze_prompt(text: str, number: int) -> tuple[str, str]:
    """Deletion ``number`` asked: (the text with it blanked, or ``[hint]``, and the other
    deletions shown; its answer, several deletions of one number joined by ``, ``)."""
    answers: list[str] = []
    if _nested(text):  # a deletion inside another is blanked inside the shown one
        return _shown(_cloze_tree(text), number, answers), ", ".join(answers)

    def put(match: re.Match[str]) -> str:
        if int(match.group(1)) != number:
            return match.group(2)
        answers.append(match.group(2))
        hint = (match.group(3) or "").strip()
        return f"[{hint}]" if hint else CLOZE_BLANK

    return CLOZE.sub(put, text), ", ".join(answers)


def cloze_text(text: str) -> str:
    """The cloze text with every deletion shown (its answers in place)."""
    if _nested(text):
        return _shown(_cloze_tree(text), 0, [])
    return CLOZE.sub(lambda m: m.group(2), text)


class CardModel(Model):
    """One card as written in a deck file: what a ``[[cards]]`` table may hold, checked.

    Only the boundaries use it (reading a deck file, the card editor, imports); what they
    check becomes a ``Card``. A ``cloze`` card holds Anki-style deletions in its
    ``question`` and no ``answer``; each deletion number is asked as its own card.
    ``reverse = true`` on a ``flip`` or ``text`` card also asks it back to front.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True, title="Card")

    id: CardId
    kind: CardKind
    question: NonBlank
    answer: NonBlank | list[NonBlank] | None = Field(default=None, validate_default=True)
    # A new empty list from a factory: a default of ``[]`` is deep-copied for every card
    # that leaves the field out (150,000 copies in a 100,000-card deck).
    distractors: list[NonBlank] = Field(default_factory=list)
    accept: list[NonBlank] = Field(default_factory=list)
    explanation: str = ""
    tags: list[NonBlank] = Field(default_factory=list)
    section: str = ""
    reverse: bool = False

    @field_validator("answer")
    @classmethod
    def _answer_needed(cls, value: object, info: ValidationInfo) -> object:
        # Only a cloze card goes without an answer (reported like any missing field).
        if value is None and info.data.get("kind", "cloze") != "cloze":
            raise PydanticCustomError("missing", "Field required")
        return value

    @model_validator(mode="after")
    def _fits_kind(self) -> CardModel:
        if self.reverse and self.kind not in ("flip", "text"):
            raise ValueError(f"reverse: only flip and text cards can be reversed, not {self.kind}")
        if self.kind == "cloze":
            if self.answer is not None:
                raise ValueError("answer: a cloze card has no answer field; its answers are "
                                 "the {{c1::...}} deletions in the question")
            if self.distractors:
                raise ValueError("distractors: a cloze card has no distractors")
            if not cloze_numbers(self.question):
                raise ValueError("question: a cloze card needs at least one deletion such as "
                                 "{{c1::answer}}")
            for number, answer in cloze_answers(self.question):
                if not answer.strip():
                    raise ValueError(f"question: deletion c{number} is empty")
            return self
        if self.kind == "order":
            if not isinstance(self.answer, list) or len(self.answer) < 2:
                raise ValueError("answer: an order card needs a list of at least 2 items")
            if len({comparable(a) for a in self.answer}) != len(self.answer):
                raise ValueError("answer: an order card's items must all differ")
        elif isinstance(self.answer, list):
            raise ValueError(f"answer: a {self.kind} card's answer is one string, not a list")
        if self.kind == "choice":
            if not self.distractors:
                raise ValueError("distractors: a choice card needs at least one distractor")
            right = {comparable(a) for a in [self.answer, *self.accept] if isinstance(a, str)}
            for d in self.distractors:
                if comparable(d) in right:
                    raise ValueError(f"distractors: {d!r} is the answer itself")
            if len({comparable(d) for d in self.distractors}) != len(self.distractors):
                raise ValueError("distractors: the same distractor is listed twice")
        return self

class FrozenList(list):  # type: ignore[type-arg]
    """A list nobody may change. The cards of a big deck share equal ones (one empty list,
    one list per set of tags) instead of each holding its own; it is still a ``list``
    (``==``, ``isinstance``, iteration, copies with ``list(...)``)."""

    __slots__ = ()

    def _read_only(self, *args: object, **kwargs: object) -> None:
        raise TypeError("a card's lists are read-only: copy one with list(...) to change it")

    append = extend = insert = remove = pop = clear = sort = reverse = _read_only
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple[object, ...]:
        return (list, (list(self),))

    def __copy__(self) -> list[object]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, object]) -> list[object]:
        return list(self)


EMPTY: list[str] = FrozenList()


class SharedLists:
    """Equal lists of a deck's cards as one shared ``FrozenList`` each (see
    ``Card.share``): an empty list is ``EMPTY``, a card's tags the deck's one list of
    those tags."""

    def __init__(self) -> None:
        self._tags: dict[tuple[str, ...], list[str]] = {}

    def tags(self, tags: Iterable[str]) -> list[str]:
        key = tuple(tags)
        if not key:
            return EMPTY
        found = self._tags.get(key)
        if found is None:
            found = self._tags[key] = FrozenList(sys.intern(t) for t in key)
        return found


CARD_FIELDS = ("id", "kind", "question", "answer", "distractors", "accept", "explanation",
               "tags", "section", "reverse")
_CARD_FIELDS = CARD_FIELDS
_LIST_FIELDS = ("distractors", "accept", "tags")
_card_values = attrgetter(*_CARD_FIELDS)  # a checked CardModel's fields, in one C call
# What ``model_dump(exclude_defaults=True)`` leaves out (as pydantic did).
CARD_DEFAULTS: dict[str, object] = {"answer": None, "distractors": [], "accept": [],
                                     "explanation": "", "tags": [], "section": "",
                                     "reverse": False}


class Card:
    """One card of a deck, as a session, the browser and the exports use it.

    A compact object (``__slots__``: about a hundred bytes besides its text), since a deck
    may hold 100,000 of them. It is checked where it comes from outside (``Card(...)``
    and ``Card.model_validate`` go through ``CardModel``, so they raise the same
    ``ValidationError``); a deck read from the deck cache makes its cards with
    ``Card.trusted``, without checking again what was checked when the cache was made.
    It speaks the part of pydantic's API that quizapp uses (``model_validate``,
    ``model_copy``, ``model_dump``, ``==``), and can be a field of a pydantic model.
    Treat it as read-only: cards are shared between a deck and its sessions.

    ``asked()`` gives the cards a session asks.
    """

    __slots__ = _CARD_FIELDS

    id: str
    kind: CardKind
    question: str
    answer: str | list[str] | None
    distractors: list[str]
    accept: list[str]
    explanation: str
    tags: list[str]
    section: str
    reverse: bool

    def __init__(self, **fields: object) -> None:
        model = CardModel(**fields)
        for name in _CARD_FIELDS:
            setattr(self, name, getattr(model, name))

    @classmethod
    def trusted(cls, id: str, kind: CardKind, question: str, answer: str | list[str] | None,
                distractors: list[str], accept: list[str], explanation: str, tags: list[str],
                section: str, reverse: bool) -> Card:
        """A card from values already checked (the deck cache, a copy): no validation."""
        card = object.__new__(cls)
        card.id, card.kind, card.question, card.answer = id, kind, question, answer
        card.distractors, card.accept, card.explanation = distractors, accept, explanation
        card.tags, card.section, card.reverse = tags, section, reverse
        return card

    @classmethod
    def model_validate(cls, obj: object) -> Card:
        """A card from a ``[[cards]]`` table's data (or a card, as it is)."""
        if isinstance(obj, Card):
            return obj
        return cls._from_model(CardModel.model_validate(obj))

    @classmethod
    def _from_model(cls, model: CardModel, shared: SharedLists | None = None) -> Card:
        card = cls.trusted(*_card_values(model))
        return card.share(shared) if shared is not None else card

    def share(self, shared: SharedLists) -> Card:
        """This card with its empty lists and its tags shared with the other cards of its
        deck (``SharedLists``), its kind and section interned: a big deck then holds one
        copy of each. Changes this card (it is new: a deck's cards are shared only once
        they are made)."""
        self.id = sys.intern(self.id)  # the score file's records share it
        self.kind = sys.intern(self.kind)  # type: ignore[assignment]
        self.section = sys.intern(self.section) if len(self.section) < 64 else self.section
        self.distractors = self.distractors or EMPTY
        self.accept = self.accept or EMPTY
        self.tags = shared.tags(self.tags)
        return self

    def values(self) -> tuple[object, ...]:
        """The fields in ``Card.trusted``'s order."""
        return (self.id, self.kind, self.question, self.answer, self.distractors, self.accept,
                self.explanation, self.tags, self.section, self.reverse)

    def model_copy(self, *, update: dict[str, object] | None = None, deep: bool = False) -> Card:
        """A copy with ``update`` applied, unchecked (as pydantic's ``model_copy``)."""
        values = dict(zip(_CARD_FIELDS, self.values()))
        if deep:
            for name in (*_LIST_FIELDS, "answer"):
                if isinstance(values[name], list):
                    values[name] = list(values[name])
        if update:
            unknown = set(update) - set(_CARD_FIELDS)
            if unknown:
                raise TypeError(f"Card has no field {sorted(unknown)[0]!r}")
            values.update(update)
        return Card.trusted(**values)  # type: ignore[arg-type]

    def model_dump(self, *, mode: str = "python", exclude_none: bool = False,
                   exclude_defaults: bool = False) -> dict[str, object]:
        """The card as a ``[[cards]]`` table's data (lists copied)."""
        out: dict[str, object] = {}
        for name in _CARD_FIELDS:
            value = getattr(self, name)
            if exclude_none and value is None:
                continue
            if exclude_defaults and name in CARD_DEFAULTS and value == CARD_DEFAULTS[name]:
                continue
            out[name] = list(value) if isinstance(value, list) else value
        return out

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, Card):
            return NotImplemented
        return self.values() == other.values()

    __hash__ = None  # type: ignore[assignment]  # equal by value, and not frozen

    def __repr__(self) -> str:
        return "Card(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in _CARD_FIELDS) + ")"

    def __reduce__(self) -> tuple[object, ...]:
        return (Card.trusted, self.values())

    @classmethod
    def __get_pydantic_core_schema__(cls, source: object, handler: object) -> CoreSchema:
        # In a pydantic model (a Deck): a Card stays as it is, anything else is checked by
        # CardModel (its errors keep their place: cards[3].answer) and becomes a Card.
        def to_card(value: object, validate: ValidatorFunctionWrapHandler) -> Card:
            if isinstance(value, Card):
                return value
            return cls._from_model(validate(value))

        def dump(card: Card, info: SerializationInfo) -> dict[str, object]:
            return card.model_dump(exclude_none=info.exclude_none,
                                   exclude_defaults=info.exclude_defaults)

        return core_schema.no_info_wrap_validator_function(
            to_card, CardModel.__pydantic_core_schema__,
            serialization=core_schema.plain_serializer_function_ser_schema(dump, info_arg=True))

    @property
    def answers(self) -> list[str]:
        """The answer and every accepted alternative (not for order cards)."""
        assert isinstance(self.answer, str)
        return [self.answer, *self.accept]

    @property
    def answer_text(self) -> str:
        """The answer as one line of text, for feedback and summaries."""
        if isinstance(self.answer, list):
            return " → ".join(self.answer)
        if self.answer is None:  # a cloze card as written: its text with every deletion shown
            return cloze_text(self.question)
        return self.answer

    def asked_ids(self) -> list[str]:
        """The ids of ``asked()``, without making the cards."""
        if self.kind == "cloze":
            return [f"{self.id}.c{n}" for n in cloze_numbers(self.question)]
        if self.reverse:
            return [self.id, f"{self.id}.reverse"]
        return [self.id]

    def asked(self) -> list[Card]:
        """The cards a session asks for this one: itself; for a cloze card one per
        deletion number (ids ``<id>.c1``, ``<id>.c2``...); for ``reverse`` also the back
        asked for the front (id ``<id>.reverse``). Copies of this validated card."""
        if self.kind == "cloze":
            out = []
            for number in cloze_numbers(self.question):
                prompt, answer = cloze_prompt(self.question, number)
                out.append(self.model_copy(update={
                    "id": f"{self.id}.c{number}", "question": prompt, "answer": answer}))
            return out
        if self.reverse:
            assert isinstance(self.answer, str)
            back = self.model_copy(update={
                "id": f"{self.id}.reverse", "question": self.answer, "answer": self.question,
                "accept": [], "reverse": False})
            return [self, back]
        return [self]


class AnkiTemplate(Model):
    """One card template of an Anki note type: its name and its two sides (Anki's
    ``{{Field}}`` syntax, as Anki holds them)."""

    name: str
    front: str
    back: str


class AnkiNotetype(Model):
    """An Anki note type some of a deck's cards came from, as Anki had it: an export
    rebuilds it with the same id, fields and templates, so Anki takes its notes back as
    the same notes."""

    id: int = Field(gt=0)
    name: NonBlank
    cloze: bool = False
    fields: list[str] = Field(min_length=1)
    templates: list[AnkiTemplate] = []
    css: str = ""


class AnkiNote(Model):
    """The Anki note some cards of a deck came from: its guid, note type and fields (its
    HTML, as Anki had it), the deck's cards made of it, and the Anki cards (template
    numbers, from 0) it had. ``imported``: a digest of those cards as the import made
    them; a card edited since no longer matches it, so an export writes the edit into
    the note's fields instead of sending the note back as it was."""

    guid: NonBlank
    # the id of one of ``notetypes``; a name when the note came from Anki's text export,
    # which names its note type but does not describe it
    notetype: int | NonBlank
    fields: list[str]
    cards: list[CardId] = Field(min_length=1)
    ords: list[Annotated[int, Field(ge=0)]] = []
    imported: str = ""


class AnkiSource(Model):
    """Where a deck's cards came from in Anki (``[deck.anki]``, written by an import of
    an Anki package): exporting the deck back to Anki then updates these notes in place
    instead of adding copies beside them. Cards made in quizapp have no note here."""

    notetypes: list[AnkiNotetype] = []
    notes: list[AnkiNote] = []

    @model_validator(mode="after")
    def _notetypes_known(self) -> AnkiSource:
        known = {t.id for t in self.notetypes}
        if len(known) != len(self.notetypes):
            raise ValueError("notetypes: two note types share an id")
        for index, note in enumerate(self.notes):
            if isinstance(note.notetype, int) and note.notetype not in known:
                raise ValueError(f"notes[{index}].notetype: no note type with id "
                                 f"{note.notetype} in notetypes")
        return self


class DeckInfo(Model):
    id: DeckId
    title: NonBlank
    description: str = ""
    source: str = ""
    tags: list[NonBlank] = []
    anki: AnkiSource | None = None


# Deck.asked per cards list (kept outside the model so that equality and copies of a deck
# are unchanged): id(cards) -> (cards, its length then, the asked cards).
_ASKED: dict[int, tuple[list[Card], int, list[Card]]] = {}


class Deck(Model):
    format: int = DECK_FORMAT
    deck: DeckInfo
    cards: list[Card] = Field(min_length=1)

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: int) -> int:
        if value != DECK_FORMAT:
            raise ValueError(f"unsupported deck format {value} (this quizapp reads {DECK_FORMAT})")
        return value

    @field_validator("cards")
    @classmethod
    def _unique_ids(cls, cards: list[Card]) -> list[Card]:
        cls.check_unique_ids(cards)
        return cards

    @staticmethod
    def check_unique_ids(cards: list[Card]) -> None:
        """Raise ``ValueError`` when two cards, or the cards they ask, share an id."""
        seen: set[str] = set()
        for card in cards:
            if card.id in seen:
                raise ValueError(f"duplicate card id {card.id!r}")
            seen.add(card.id)
        for card in cards:
            if card.kind == "cloze" or card.reverse:
                for asked_id in card.asked_ids():
                    if asked_id != card.id and asked_id in seen:
                        raise ValueError(f"duplicate card id {asked_id!r} (card {card.id!r} "
                                         "asks a card with that id)")
                    seen.add(asked_id)

    @property
    def id(self) -> str:
        return self.deck.id

    @property
    def asked(self) -> list[Card]:
        """Every card a session asks, in deck order (cloze deletions and reversed cards
        each on their own, with their own progress). A new list each time (the cards in
        it are shared); made once for as long as the deck keeps the same cards."""
        cache = _ASKED.get(id(self.cards))
        if cache is None or cache[0] is not self.cards or cache[1] != len(self.cards):
            cache = (self.cards, len(self.cards),
                     [asked for card in self.cards for asked in card.asked()])
            if len(_ASKED) >= 64:
                _ASKED.clear()  # decks seen long ago are made again when asked for
            _ASKED[id(self.cards)] = cache
        return list(cache[2])

    def card(self, card_id: str) -> Card | None:
        """The asked card with this id (a card of the file or one it asks)."""
        found = next((c for c in self.cards if c.id == card_id), None)
        if found is not None:
            return found
        return next((c for c in self.asked if c.id == card_id), None)


# --------------------------------------------------------------------------- score file

Result = Literal["right", "wrong"]


class FsrsState(Model):
    """An fsrs ``Card``'s memory state, without its None fields (TOML has no null)."""

    # In memory the store keeps ``store.records.Memory`` objects; an event given one reads
    # its attributes.
    model_config = ConfigDict(from_attributes=True)

    state: int
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime
    last_review: datetime | None = None


Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


class CardRecord(Model):
    """What the score file keeps for one card of one deck (in memory the store keeps
    ``store.records.Record`` objects, which have these fields; an event given one, such as
    ``UndoEvent.before``, reads its attributes)."""

    model_config = ConfigDict(from_attributes=True)

    seen: Count = 0
    right: Count = 0
    wrong: Count = 0
    streak: Count = 0
    # When the card was first answered (None in records written before this field existed).
    first_answered: datetime | None = None
    last_answered: datetime | None = None
    last_result: Result | None = None
    # The id of the answer that made this record (an undo naming it restores the record
    # from before it). None in records written before answers had ids.
    last_answer: str | None = None
    suspended: bool = False
    # The latest Anki review counted in this record (its revlog id: when it was made, in
    # ms since 1970), by ``deck import --with-progress``: the card's Anki reviews up to it
    # are in the counts, later ones are not yet. None: none counted (or only by a quizapp
    # older than this field, see ``interop.anki_progress``).
    anki_review: int | None = Field(default=None, ge=0)
    fsrs: FsrsState | None = None


class SessionRecord(Model):
    id: NonBlank
    deck: NonBlank
    mode: NonBlank
    start: datetime
    end: datetime | None = None
    score: Count = 0
    total: Count = 0
    missed: list[str] = []
    # How far the session got: ``asked`` of its ``planned`` questions were answered or
    # skipped. A session is finished when it got to the end (asked >= planned); records
    # written before these fields existed leave them out and count as finished.
    planned: int | None = Field(default=None, ge=0)
    asked: int | None = Field(default=None, ge=0)
    # The id of the last card answered or skipped (``deck/card`` when the session mixes
    # decks): a resumed in-order session goes on after that card in the deck as it is
    # then, so cards removed or added since do not shift it. None in records written
    # before this field existed (they resume by position, at question ``asked + 1``).
    last_card: NonBlank | None = None

    @property
    def finished(self) -> bool:
        return self.planned is None or self.asked is None or self.asked >= self.planned


class ScoreFile(Model):
    format: int = SCORES_FORMAT
    # deck id -> card id -> record
    cards: dict[str, dict[str, CardRecord]] = {}
    sessions: list[SessionRecord] = []
    # Keys of the answers ``quizapp scores recover`` merged back from a backup, so that
    # recovering the same backup again adds nothing (see store.answer_key).
    recovered: list[str] = []


# --------------------------------------------------------------------------- score journal
#
# Answers are appended to a journal (one ``[[events]]`` table each) and folded into the
# ``ScoreFile`` snapshot by ``store``. These are the journal's entries.


class AnswerEvent(Model):
    """One answer. ``fsrs`` is the card's memory state after this answer."""

    type: Literal["answer"] = "answer"
    # Unique per answer (written since score format 2); an undo names it.
    id: str | None = None
    deck: NonBlank
    card: NonBlank
    session: NonBlank
    at: datetime
    result: Result
    rating: int | None = Field(default=None, ge=1, le=4)
    duration_ms: int | None = Field(default=None, ge=0)
    fsrs: FsrsState | None = None
    # Merged back from a backup by ``quizapp scores recover`` (see ScoreFile.recovered).
    recovered: bool | None = None
    # Imported from Anki (``deck import --with-progress``): the revlog id of the review
    # it is. Folded like a recovered answer when the card has a later answer already
    # (counted; the card's state stays that of its latest answer), and it moves the
    # record's ``anki_review`` on, so the same review is never imported twice.
    anki_review: int | None = Field(default=None, ge=0)


class RestoreEvent(Model):
    """Put a card's record back as it was (``record`` absent: the card had none).

    Written by undo before score format 2 (``UndoEvent`` since), and by
    ``quizapp scores recover`` for a record only a backup still holds."""

    type: Literal["restore"] = "restore"
    deck: NonBlank
    card: NonBlank
    at: datetime
    record: CardRecord | None = None


class UndoEvent(Model):
    """Undo: take back the answer ``answer`` (an ``AnswerEvent.id``) of card ``card``.

    ``before`` is the card's record just before that answer (absent: it had none) and
    ``result`` the answer's result. Folded like any other event (see ``store.fold``), so
    an undo in one window never takes back another window's answer."""

    type: Literal["undo"] = "undo"
    deck: NonBlank
    card: NonBlank
    at: datetime
    answer: NonBlank
    result: Result
    before: CardRecord | None = None


class SessionEvent(Model):
    """A session's record, written with its first answer, with every later one and when
    it ends (same id).

    ``missed_from``: ``session.missed`` holds only the names after the first
    ``missed_from`` of the list the scores have for this session already (written by the
    same session's earlier events), so an answer's entry stays the same size at question
    10 and 5,000 instead of carrying every name missed so far. Absent: the whole list."""

    type: Literal["session"] = "session"
    session: SessionRecord
    missed_from: int | None = Field(default=None, ge=0)


class SuspendEvent(Model):
    type: Literal["suspend"] = "suspend"
    deck: NonBlank
    card: NonBlank
    at: datetime
    suspended: bool


Event = Annotated[
    Union[AnswerEvent, RestoreEvent, SessionEvent, SuspendEvent, UndoEvent],
    Field(discriminator="type"),
]
