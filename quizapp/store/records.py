"""Card records in memory: small slotted objects rather than pydantic models.

A person with 100,000 cards has 100,000 records in memory the whole time the app runs. As
pydantic models (``CardRecord`` holding an ``FsrsState``) they take about 2.3 KB each and
seconds to build; as ``Record`` and ``Memory`` they take about 500 bytes and are built
from the snapshot cache in a fraction of a second.

They have the attributes of ``CardRecord`` / ``FsrsState`` and the few methods the code
calls on a record (``model_copy``, ``model_dump``, ``==`` with either form), so code that
reads records works with both, and tests may still build scores from ``CardRecord``.
Pydantic stays at the boundaries: a file is validated as ``CardRecord`` before it becomes
a ``Record`` (``record_of``), and an event given a ``Record`` (``UndoEvent.before``) reads
its attributes (``from_attributes``). Records are values: folding an event makes a new one
rather than changing one in place, so a record handed out earlier (undo's "before") never
changes under its holder.
"""

from __future__ import annotations

import sys
from typing import Any

from quizapp.models import CardRecord, FsrsState

RECORD_FIELDS: tuple[str, ...] = tuple(CardRecord.model_fields)
MEMORY_FIELDS: tuple[str, ...] = tuple(FsrsState.model_fields)


class Memory:
    """An FSRS memory state (``FsrsState``'s fields), in memory."""

    __slots__ = MEMORY_FIELDS

    def __init__(self, state: int, step: int | None = None, stability: float | None = None,
                 difficulty: float | None = None, due: Any = None, last_review: Any = None) -> None:
        self.state = state
        self.step = step
        self.stability = stability
        self.difficulty = difficulty
        self.due = due
        self.last_review = last_review

    def fields(self) -> tuple[Any, ...]:
        return (self.state, self.step, self.stability, self.difficulty, self.due, self.last_review)

    def model_dump(self, *, exclude_none: bool = False, exclude: Any = None) -> dict[str, Any]:
        return _dump(MEMORY_FIELDS, self.fields(), exclude_none, exclude)

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Memory:
        data = dict(zip(MEMORY_FIELDS, self.fields(), strict=True))
        data.update(update or {})
        return Memory(**data)

    def __eq__(self, other: object) -> bool:
        if type(other) is Memory:
            return self.fields() == other.fields()
        if isinstance(other, (Memory, FsrsState)):
            return self.fields() == tuple(getattr(other, name) for name in MEMORY_FIELDS)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a value that compares by its fields

    def __repr__(self) -> str:
        return "Memory(" + ", ".join(f"{k}={v!r}" for k, v in self.model_dump(exclude_none=True).items()) + ")"


def _dump(names: tuple[str, ...], values: tuple[Any, ...], exclude_none: bool,
          exclude: Any) -> dict[str, Any]:
    return {k: v for k, v in zip(names, values, strict=True)
            if not (exclude_none and v is None) and not (exclude and k in exclude)}


def memory_of(state: Any) -> Memory | None:
    """``state`` (a ``Memory``, an ``FsrsState`` or None) as a ``Memory``."""
    if state is None or type(state) is Memory:
        return state
    return Memory(state.state, state.step, state.stability, state.difficulty, state.due,
                  state.last_review)


class Record:
    """What the score file keeps for one card (``CardRecord``'s fields), in memory."""

    __slots__ = RECORD_FIELDS

    def __init__(self, seen: int = 0, right: int = 0, wrong: int = 0, streak: int = 0,
                 first_answered: Any = None, last_answered: Any = None,
                 last_result: str | None = None, last_answer: str | None = None,
                 suspended: bool = False, anki_review: int | None = None,
                 fsrs: Any = None) -> None:
        self.seen = seen
        self.right = right
        self.wrong = wrong
        self.streak = streak
        self.first_answered = first_answered
        self.last_answered = last_answered
        self.last_result = last_result
        self.last_answer = last_answer
        self.suspended = suspended
        self.anki_review = anki_review
        self.fsrs = memory_of(fsrs)

    def fields(self) -> tuple[Any, ...]:
        return (self.seen, self.right, self.wrong, self.streak, self.first_answered,
                self.last_answered, self.last_result, self.last_answer, self.suspended,
                self.anki_review, self.fsrs)

    def model_dump(self, *, exclude_none: bool = False, exclude: Any = None) -> dict[str, Any]:
        """The dict ``CardRecord.model_dump`` gives (the same keys, in the same order);
        ``exclude`` is a set of field names."""
        data = _dump(RECORD_FIELDS, self.fields(), exclude_none, exclude)
        if self.fsrs is not None and "fsrs" in data:
            data["fsrs"] = self.fsrs.model_dump(exclude_none=exclude_none)
        return data

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Record:
        """A new record with ``update``'s fields changed (records are never changed in
        place, so a copy is never needed to keep one safe: ``deep`` is accepted for
        ``CardRecord``'s sake)."""
        data = dict(zip(RECORD_FIELDS, self.fields(), strict=True))
        data.update(update or {})
        return Record(**data)

    def is_empty(self) -> bool:
        """The same as a record that was never written (``CardRecord()``)."""
        return self == _EMPTY

    def __eq__(self, other: object) -> bool:
        if type(other) is Record:
            return self.fields() == other.fields()
        if isinstance(other, (Record, CardRecord)):
            return all(getattr(self, name) == getattr(other, name) for name in RECORD_FIELDS)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = {k: v for k, v in zip(RECORD_FIELDS, self.fields(), strict=True) if v is not None}
        return "Record(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"


_EMPTY = Record()


def record_of(record: Any) -> Record | None:
    """``record`` (a ``Record``, a ``CardRecord`` or None) as a ``Record``."""
    if record is None or type(record) is Record:
        return record
    return Record(record.seen, record.right, record.wrong, record.streak, record.first_answered,
                  record.last_answered, record.last_result, record.last_answer,
                  record.suspended, record.anki_review, record.fsrs)


def compact_cards(cards: dict[str, dict[str, Any]]) -> dict[str, dict[str, Record]]:
    """A score file's ``cards`` (deck id -> card id -> record) with every record a
    ``Record``; the dicts are replaced, not changed."""
    intern = sys.intern  # card ids: the same strings as the deck's own (decks intern them)
    return {deck_id: {intern(card_id): record_of(rec) for card_id, rec in records.items()}  # type: ignore[misc]
            for deck_id, records in cards.items()}
