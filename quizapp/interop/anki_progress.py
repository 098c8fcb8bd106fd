"""Anki's review log replayed through FSRS (``deck import FILE.apkg --with-progress``).

Each review of an imported card becomes one answer in the score file, at the time it
was given in Anki, rated with the button pressed there (Again, Hard, Good, Easy), and
the card's FSRS memory state is computed by replaying them in order, so due dates and
stability come along. Manual reschedules (no button) are left out. Reviews at or before
a card's last recorded answer are skipped, so importing the same package again with
``--with-progress`` does not count them twice. Cards suspended in Anki are suspended here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timezone

from quizapp import scheduling
from quizapp.interop.anki_import import DeckImport
from quizapp.interop.package import Collection
from quizapp.models import AnswerEvent, CardRecord, FsrsState, SuspendEvent

SESSION = "anki-import"


def progress_events(collection: Collection, imports: list[DeckImport],
                    records: Mapping[str, Mapping[str, CardRecord]],
                    now: datetime | None = None) -> list[AnswerEvent | SuspendEvent]:
    """The answer events that bring the imported cards' Anki history into the score file
    (``records``: deck id -> card id -> record, as it is now)."""
    where: dict[int, tuple[str, str]] = {}
    for imported in imports:
        for anki_id, card_id in imported.anki_cards.items():
            where[anki_id] = (imported.deck.id, card_id)
    by_card: dict[tuple[str, str], list] = defaultdict(list)
    for review in collection.reviews:
        if review.card in where and 1 <= review.ease <= 4:
            by_card[where[review.card]].append(review)
    events: list[AnswerEvent] = []
    for (deck_id, card_id), reviews in by_card.items():
        record = records.get(deck_id, {}).get(card_id)
        state: FsrsState | None = record.fsrs if record else None
        since = record.last_answered if record else None
        for review in sorted(reviews, key=lambda r: r.at_ms):
            at = datetime.fromtimestamp(review.at_ms / 1000, timezone.utc)
            if since is not None and at <= since:
                continue
            state = scheduling.review(state, review.ease, at)
            events.append(AnswerEvent(deck=deck_id, card=card_id, session=SESSION, at=at,
                                      result="right" if review.ease > 1 else "wrong",
                                      rating=review.ease, fsrs=state))
    events.sort(key=lambda e: e.at)
    at = now or datetime.now(timezone.utc)
    suspends: list[AnswerEvent | SuspendEvent] = []
    for imported in imports:
        for card_id in sorted(imported.suspended):
            record = records.get(imported.deck.id, {}).get(card_id)
            if record is None or not record.suspended:
                suspends.append(SuspendEvent(deck=imported.deck.id, card=card_id, at=at,
                                             suspended=True))
    return [*events, *suspends]
