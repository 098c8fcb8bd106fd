"""What each journal event does to the scores: ``fold`` (pure, in place).

Every change to the scores is an event appended to the journal and folded in order, by
every process alike, so two windows that answer and undo in turn end exactly as one
window doing the same events would. No event carries a whole card record taken earlier
(which would overwrite what another window did meanwhile), except ``RestoreEvent``, which
only older quizapp versions wrote for undo and ``scores recover`` writes for a card that
has no record at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quizapp.models import (
    AnswerEvent,
    RestoreEvent,
    ScoreFile,
    SessionEvent,
    SuspendEvent,
    UndoEvent,
)
from quizapp.store.records import Record, memory_of, record_of

AnyEvent = AnswerEvent | RestoreEvent | SessionEvent | SuspendEvent | UndoEvent


def answer_key(event: AnswerEvent) -> str:
    """What makes an answer itself: its id, or (older answers) session, card and time."""
    if event.id:
        return event.id
    return f"{event.session}/{event.deck}/{event.card}/{event.at.isoformat()}"


def fold(scores: ScoreFile, event: AnyEvent) -> ScoreFile:
    """Apply one journal event to ``scores`` (in place) and return it."""
    if isinstance(event, AnswerEvent):
        _fold_answer(scores, event)
    elif isinstance(event, UndoEvent):
        _fold_undo(scores, event)
    elif isinstance(event, RestoreEvent):
        if event.record is None:
            _drop(scores, event.deck, event.card)
        else:
            scores.cards.setdefault(event.deck, {})[event.card] = record_of(event.record)
    elif isinstance(event, SessionEvent):
        _fold_session(scores, event)
    elif isinstance(event, SuspendEvent):
        deck = scores.cards.setdefault(event.deck, {})
        old = record_of(deck.get(event.card)) or Record()
        deck[event.card] = old.model_copy(update={"suspended": event.suspended})
    else:
        raise TypeError(f"not a score journal event: {event!r}")
    return scores


def _fold_answer(scores: ScoreFile, event: AnswerEvent) -> None:
    deck = scores.cards.setdefault(event.deck, {})
    old = record_of(deck.get(event.card)) or Record()
    right = event.result == "right"
    if event.recovered:
        scores.recovered.append(answer_key(event))
    anki = old.anki_review  # the latest Anki review the counts hold (see CardRecord)
    if event.anki_review is not None and (anki is None or event.anki_review > anki):
        anki = event.anki_review
    if (event.recovered or event.anki_review is not None) and (
            old.last_answered is not None and event.at < old.last_answered):
        # An older answer merged back (from a backup, or an Anki review made before the
        # card's last answer here): it counts, but the card's latest state stays.
        first = old.first_answered
        deck[event.card] = old.model_copy(update={
            "seen": old.seen + 1,
            "right": old.right + (1 if right else 0),
            "wrong": old.wrong + (0 if right else 1),
            "first_answered": event.at if first is None or event.at < first else first,
            "anki_review": anki,
        })
        return
    update: dict[str, Any] = {
        "seen": old.seen + 1,
        "right": old.right + (1 if right else 0),
        "wrong": old.wrong + (0 if right else 1),
        "streak": old.streak + 1 if right else 0,
        "last_answered": event.at,
        "last_result": event.result,
        "last_answer": event.id,
    }
    if old.seen == 0:
        update["first_answered"] = event.at
    if anki != old.anki_review:
        update["anki_review"] = anki
    if event.fsrs is not None:
        update["fsrs"] = memory_of(event.fsrs)
    deck[event.card] = old.model_copy(update=update)


def _fold_undo(scores: ScoreFile, event: UndoEvent) -> None:
    """Take back exactly the answer ``event.answer``.

    When it is still the card's latest answer (the usual case), the record becomes what it
    was just before that answer; only ``suspended`` keeps its current value (a suspend in
    between is its own event). When another window has answered the card since, only the
    taken-back answer's counts come off; the later answer's streak, time and memory state
    stay, since they are that later answer's.
    """
    deck = scores.cards.get(event.deck)
    current = record_of(deck.get(event.card)) if deck else None
    if current is None or current.seen == 0:
        return  # nothing of that answer is left to take back
    if current.last_answer == event.answer:
        before = record_of(event.before) or Record()
        restored = before.model_copy(update={"suspended": current.suspended})
        if restored.is_empty():
            _drop(scores, event.deck, event.card)
        else:
            scores.cards.setdefault(event.deck, {})[event.card] = restored
        return
    right = event.result == "right"
    scores.cards[event.deck][event.card] = current.model_copy(
        update={
            "seen": current.seen - 1,
            "right": max(0, current.right - (1 if right else 0)),
            "wrong": max(0, current.wrong - (0 if right else 1)),
        }
    )


def _drop(scores: ScoreFile, deck_id: str, card_id: str) -> None:
    deck = scores.cards.get(deck_id)
    if deck is not None:
        deck.pop(card_id, None)
        if not deck:
            del scores.cards[deck_id]


def _fold_session(scores: ScoreFile, event: SessionEvent) -> None:
    new = event.session
    for index in range(len(scores.sessions) - 1, -1, -1):  # usually the latest session
        old_session = scores.sessions[index]
        if old_session.id == new.id:
            if event.missed_from is not None:  # only the names after those on file
                new = new.model_copy(update={
                    "missed": [*old_session.missed[:event.missed_from], *new.missed]})
            scores.sessions[index] = new
            if old_session.start != new.start:
                scores.sessions.sort(key=session_order)
            return
    scores.sessions.append(new)
    if len(scores.sessions) > 1 and session_order(scores.sessions[-2]) > session_order(new):
        scores.sessions.sort(key=session_order)


def session_order(session: Any) -> tuple[datetime, str]:
    return (session.start, session.id)
