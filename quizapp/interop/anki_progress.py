"""Anki's review log brought into the score file (``deck import FILE.apkg --with-progress``).

Each review of an imported card becomes one answer in the score file, at the time it
was given in Anki, rated with the button pressed there (Again, Hard, Good, Easy), and
marked with its revlog id (``AnswerEvent.anki_review``). Manual reschedules (no button)
are left out. Cards suspended in Anki are suspended here.

Every review is counted once, however often the package is imported, and whatever was
answered in quizapp meanwhile: a card's record remembers the latest Anki review it counts
(``CardRecord.anki_review``), and only the reviews after it are new. So a person who
studies in Anki and in quizapp side by side keeps both histories:

- a review made after the card's last answer (here or in Anki) goes on from the card's
  memory state through FSRS, so due dates and stability come along;
- a review made *before* the card's last answer in quizapp (the person reviewed in Anki
  in the morning, in quizapp at night, and exported from Anki the next day) is counted
  (seen, right or wrong, first answered) but leaves the card's state as its latest
  answer made it. FSRS is not replayed over the merged history: the score file keeps
  only each card's latest state, not the ratings of its quizapp answers, so a replay
  could only drop them; the latest answer's state is the best informed one there is.

Records counted by a quizapp older than ``anki_review`` skipped every review at or before
the card's last answer. Such a record shows it: its first or last answer has the exact
time (to the millisecond) of one of the card's Anki reviews, which a quizapp answer never
has. For it, reviews at or before its last answer are taken as counted (the old rule: no
review is counted twice); a record without that sign never had Anki reviews, and all of
them are new.

The events are written in time order, in batches of at most ``BATCH`` reviews (the
earliest not yet counted), each one write under the score file's lock, built from the
scores as they are then (another window may be answering or importing too), the journal
folded into the snapshot between them: a collection with millions of reviews never makes
a journal too big to read, nor holds the lock for minutes. A killed import leaves the
reviews up to some moment, each card's record naming the latest of them, so importing
again adds exactly the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from quizapp import scheduling
from quizapp.interop.anki_import import DeckImport
from quizapp.interop.package import Collection, Review
from quizapp.models import AnswerEvent, CardRecord, FsrsState, SuspendEvent

SESSION = "anki-import"
# Reviews written per batch: about 17 MB of journal, a few seconds under the lock.
BATCH = 50_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class HistoryImported:
    """What an import of the review history added (so far, if it stopped part way)."""

    answers: int = 0
    cards: set[tuple[str, str]] = field(default_factory=set)  # (deck id, card id)
    suspended: int = 0

    def add(self, events: list[AnswerEvent | SuspendEvent]) -> int:
        """Count a batch in; returns its answers."""
        answers = 0
        for event in events:
            if isinstance(event, AnswerEvent):
                answers += 1
                self.cards.add((event.deck, event.card))
            else:
                self.suspended += 1
        self.answers += answers
        return answers


def review_time(review: Review) -> datetime:
    """When ``review`` was made (its revlog id is that moment, in ms since 1970)."""
    return _EPOCH + timedelta(milliseconds=review.at_ms)


def progress_events(collection: Collection, imports: list[DeckImport],
                    records: Mapping[str, Mapping[str, CardRecord]],
                    now: datetime | None = None,
                    limit: int | None = None) -> list[AnswerEvent | SuspendEvent]:
    """The answer events that bring the imported cards' Anki history into the score file
    (``records``: deck id -> card id -> record, as it is now): every review the records
    do not count yet, in time order, or only the earliest ``limit`` of them; then, once
    every review is in, the suspends."""
    where: dict[int, tuple[str, str]] = {}
    for imported in imports:
        for anki_id, card_id in imported.anki_cards.items():
            where[anki_id] = (imported.deck.id, card_id)
    by_card: dict[tuple[str, str], list[Review]] = defaultdict(list)
    for review in collection.reviews:
        if review.card in where and 1 <= review.ease <= 4:
            by_card[where[review.card]].append(review)
    new: dict[tuple[str, str], list[Review]] = {}
    for (deck_id, card_id), reviews in by_card.items():
        reviews.sort(key=lambda r: r.at_ms)
        uncounted = _uncounted(records.get(deck_id, {}).get(card_id), reviews)
        if uncounted:
            new[deck_id, card_id] = uncounted
    complete = True
    if limit is not None and sum(len(r) for r in new.values()) > limit:
        # The earliest ``limit`` (revlog ids are unique in a collection): a prefix in time,
        # so each card's record names the latest of its reviews counted, as after a kill.
        last = sorted(r.at_ms for reviews in new.values() for r in reviews)[limit - 1]
        new = {key: [r for r in reviews if r.at_ms <= last] for key, reviews in new.items()}
        complete = False
    events: list[AnswerEvent] = []
    for (deck_id, card_id), reviews in new.items():
        if reviews:
            events.extend(_card_events(deck_id, card_id,
                                       records.get(deck_id, {}).get(card_id), reviews))
    events.sort(key=lambda e: (e.at, e.anki_review))
    if not complete:
        return list(events)
    at = now or datetime.now(UTC)
    suspends: list[AnswerEvent | SuspendEvent] = []
    for imported in imports:
        for card_id in sorted(imported.suspended):
            record = records.get(imported.deck.id, {}).get(card_id)
            if record is None or not record.suspended:
                suspends.append(SuspendEvent(deck=imported.deck.id, card=card_id, at=at,
                                             suspended=True))
    return [*events, *suspends]


def _card_events(deck_id: str, card_id: str, record: CardRecord | None,
                 new: list[Review]) -> list[AnswerEvent]:
    """The answers for one card's reviews ``new`` (in time order), which ``record`` does
    not count yet: each older than its last answer counts only; each later one goes on
    from the state before it."""
    state: FsrsState | None = record.fsrs if record else None
    last = record.last_answered if record else None
    out = []
    for review in new:
        at = review_time(review)
        later = last is None or at >= last
        if later:
            state = scheduling.review(state, review.ease, at)
            last = at
        out.append(AnswerEvent(deck=deck_id, card=card_id, session=SESSION, at=at,
                               result="right" if review.ease > 1 else "wrong",
                               rating=review.ease, fsrs=state if later else None,
                               anki_review=review.at_ms))
    return out


def _uncounted(record: CardRecord | None, reviews: list[Review]) -> list[Review]:
    """Those of a card's ``reviews`` its ``record`` does not count (see the module doc)."""
    if record is None or record.seen == 0:
        return reviews
    if record.anki_review is not None:
        return [r for r in reviews if r.at_ms > record.anki_review]
    times = {record.first_answered, record.last_answered}
    if any(review_time(r) in times for r in reviews):  # counted by an older quizapp
        last = record.last_answered
        return [r for r in reviews if last is None or review_time(r) > last]
    return reviews
