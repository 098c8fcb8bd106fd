"""Which cards to review: the missed list, the due list, leeches and suspending.

Pure functions over a ``ScoreFile`` and the decks found (``decks.Catalog``), with ``now``
passed in, so a screen, the command line and the tests all call the same code.

The missed list
    A card is on a deck's missed list when it has been answered wrong and has not since
    been answered right ``streak_needed`` times in a row (``CardRecord.streak``, default 2
    from the settings' ``review_streak``). That covers the cards whose last answer was
    wrong (their streak is 0) and the cards missed in the deck's last session. Suspended
    cards and cards no longer in the deck are left out. A review session asks the missed
    cards in rounds (``Session(rounds=True)``): a card answered wrong comes back in a later
    round until it is answered right.

The due list
    A card that has been answered has an FSRS state; it is due when that state's ``due``
    time is at or before ``now`` (a card answered but without a state, e.g. imported, is
    due at once). Due cards come most overdue first. After them come new
    cards (never answered), in deck order, at most ``new_per_day`` per deck per day: the
    cards first answered today (``CardRecord.first_answered``, local date) count against
    the limit, whichever mode they were answered in, suspended ones too.

Leeches
    A card answered wrong ``leech_threshold`` times or more (default 8) is a leech: it is
    listed so the person can rewrite or suspend it. Suspended cards never appear in any
    session; ``set_suspended`` writes a ``SuspendEvent`` through the store.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone, tzinfo

from quizapp import scheduling
from quizapp.days import LocalDay, local_date
from quizapp.decks import Catalog
from quizapp.errors import NotFound
from quizapp.models import Card, CardRecord, Deck, ScoreFile, SuspendEvent
from quizapp.session import Item, Recorder, Session, utcnow

# The deck label of a session that mixes every deck (not a valid deck id, so no clash).
ALL_DECKS = "*"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# --------------------------------------------------------------------------- helpers


def _decks(catalog: Catalog, deck_id: str | None) -> list[Deck]:
    if deck_id is None:
        return [e.deck for e in catalog.entries]
    entry = catalog.get(deck_id)
    if entry is None:
        raise NotFound(f"no deck with id {deck_id!r}")
    return [entry.deck]


def _record(scores: ScoreFile, deck_id: str, card_id: str) -> CardRecord | None:
    return scores.cards.get(deck_id, {}).get(card_id)


def _active_cards(scores: ScoreFile, deck: Deck) -> Iterator[tuple[Card, CardRecord | None]]:
    """The deck's cards that are not suspended, in deck order, with their records."""
    records = scores.cards.get(deck.id, {})
    for card in deck.asked:
        rec = records.get(card.id)
        if rec is None or not rec.suspended:
            yield card, rec


def session_missed_keys(session_deck: str, missed: list[str]) -> set[tuple[str, str]]:
    """``SessionRecord.missed`` entries as (deck, card): an entry is a card id of the
    session's deck, or ``deck/card`` when the session mixed decks."""
    keys = set()
    for entry in missed:
        deck_id, sep, card_id = entry.partition("/")
        keys.add((deck_id, card_id) if sep else (session_deck, entry))
    return keys


def last_session_missed(scores: ScoreFile, deck_id: str) -> set[str]:
    """The cards missed in the deck's latest session (they stay on its missed list until
    answered right ``streak_needed`` times)."""
    sessions = [s for s in scores.sessions if s.deck == deck_id]
    if not sessions:
        return set()
    last = max(sessions, key=lambda s: s.start)
    return {c for d, c in session_missed_keys(last.deck, last.missed) if d == deck_id}


def _session(
    items: list[Item],
    catalog: Catalog,
    deck_id: str | None,
    mode: str,
    rounds: bool,
    recorder: Recorder | None,
    now: Callable[[], datetime],
    seed: int | None,
) -> Session:
    rivals = {}
    for deck_key in {i.deck_id for i in items}:
        entry = catalog.get(deck_key)
        if entry is not None:
            rivals[deck_key] = entry.deck  # its rivals are made on the first typed answer
    return Session(
        items,
        deck_label=deck_id or ALL_DECKS,
        mode=mode,
        rounds=rounds,
        recorder=recorder,
        now=now,
        seed=seed,
        rivals=rivals,
    )


# --------------------------------------------------------------------------- missed


def is_missed(record: CardRecord | None, *, streak_needed: int) -> bool:
    """Answered wrong at some point and not yet right ``streak_needed`` times in a row."""
    return (
        record is not None
        and not record.suspended
        and record.wrong > 0
        and record.streak < streak_needed
    )


def missed_items(
    scores: ScoreFile, catalog: Catalog, deck_id: str | None = None, *, streak_needed: int
) -> list[Item]:
    """The cards to review: per deck (or every deck when ``deck_id`` is None), in deck
    order. Raises ``NotFound`` for an unknown deck id."""
    return [Item(deck.id, card) for deck in _decks(catalog, deck_id)
            for card in _missed_cards(scores, deck, streak_needed)]


def _missed_cards(scores: ScoreFile, deck: Deck, streak_needed: int) -> Iterator[Card]:
    last_missed = last_session_missed(scores, deck.id)
    for card, rec in _active_cards(scores, deck):
        if rec is None:
            if card.id in last_missed and streak_needed > 0:
                yield card
        elif (rec.wrong > 0 or card.id in last_missed) and rec.streak < streak_needed:
            yield card  # (``is_missed``, or missed in the deck's last session)


def missed_counts(scores: ScoreFile, catalog: Catalog, *, streak_needed: int) -> dict[str, int]:
    """Deck id -> how many cards are on its missed list (every deck found, 0 included)."""
    return {e.id: sum(1 for _ in _missed_cards(scores, e.deck, streak_needed))
            for e in catalog.entries}


def review_session(
    scores: ScoreFile,
    catalog: Catalog,
    deck_id: str | None = None,
    *,
    streak_needed: int,
    recorder: Recorder | None = None,
    now: Callable[[], datetime] = utcnow,
    seed: int | None = None,
) -> Session | None:
    """A review of the missed cards in rounds, shuffled; None when nothing is missed."""
    items = missed_items(scores, catalog, deck_id, streak_needed=streak_needed)
    if not items:
        return None
    random.Random(seed).shuffle(items)
    return _session(items, catalog, deck_id, "review", True, recorder, now, seed)


# --------------------------------------------------------------------------- due


def introduced_on(
    record: CardRecord | None, day: date | LocalDay, tz: tzinfo | None = None
) -> bool:
    """Whether this card was first answered on ``day`` (a local date in ``tz``).

    Records written before ``first_answered`` existed fall back to: answered once, on that
    day, or last answered that day and still in the FSRS Learning state."""
    if record is None or record.last_answered is None:
        return False
    span = day if isinstance(day, LocalDay) else LocalDay(day, tz)
    if record.first_answered is not None:
        return record.first_answered in span
    if record.last_answered not in span:
        return False
    return record.seen == 1 or (
        record.fsrs is not None and record.fsrs.state == scheduling.LEARNING
    )


def is_new(record: CardRecord | None) -> bool:
    """Never answered."""
    return record is None or (record.seen == 0 and record.fsrs is None)


@dataclass(frozen=True)
class DueCount:
    due: int  # answered before and due now
    new: int  # new cards the due mode would introduce now (after the daily limit)

    @property
    def total(self) -> int:
        return self.due + self.new


def _deck_due(
    scores: ScoreFile, deck: Deck, now: datetime, new_per_day: int, tz: tzinfo | None,
    *, count_only: bool = False,
) -> tuple[list[tuple[datetime, Item]], list[Item]] | tuple[int, int]:
    """The deck's due cards (with their due times) and today's new ones; with
    ``count_only``, just how many of each (nothing is built per card)."""
    today = LocalDay(local_date(now, tz), tz)
    records = scores.cards.get(deck.id, {})
    due: list[tuple[datetime, Card]] = []
    new: list[Card] = []
    due_count = new_count = 0
    introduced = 0  # suspended cards introduced today count too
    for card in deck.asked:
        rec = records.get(card.id)
        if rec is None:
            new_count += 1
            if not count_only:
                new.append(card)
            continue
        if introduced_on(rec, today):
            introduced += 1
        if rec.suspended:
            continue
        if rec.seen == 0 and rec.fsrs is None:  # ``is_new``
            new_count += 1
            if not count_only:
                new.append(card)
        elif rec.fsrs is None:
            # Answered but with no memory state (e.g. imported): due now, first in line.
            due_count += 1
            if not count_only:
                due.append((_EPOCH, card))
        elif scheduling.is_due(rec.fsrs, now):
            due_count += 1
            if not count_only:
                due.append((rec.fsrs.due, card))
    allowed = max(0, new_per_day - introduced)
    if count_only:
        return due_count, min(new_count, allowed)
    return ([(at, Item(deck.id, card)) for at, card in due],
            [Item(deck.id, card) for card in new[:allowed]])


def due_items(
    scores: ScoreFile,
    catalog: Catalog,
    now: datetime,
    *,
    new_per_day: int,
    deck_id: str | None = None,
    tz: tzinfo | None = None,
) -> list[Item]:
    """Due cards, most overdue first (ties in deck order), then today's new cards, deck by
    deck. ``tz`` decides what "today" is (None: the local zone). Raises ``NotFound``
    for an unknown deck id."""
    due: list[tuple[datetime, int, Item]] = []
    new: list[Item] = []
    for deck in _decks(catalog, deck_id):
        deck_due, deck_new = _deck_due(scores, deck, now, new_per_day, tz)
        due.extend((at, len(due) + i, item) for i, (at, item) in enumerate(deck_due))
        new.extend(deck_new)
    due.sort(key=lambda t: (t[0].astimezone(timezone.utc), t[1]))
    return [item for _at, _n, item in due] + new


def due_counts(
    scores: ScoreFile,
    catalog: Catalog,
    now: datetime,
    *,
    new_per_day: int,
    tz: tzinfo | None = None,
) -> dict[str, DueCount]:
    """Deck id -> due and new counts (every deck found, zeros included)."""
    out = {}
    for entry in catalog.entries:
        due, new = _deck_due(scores, entry.deck, now, new_per_day, tz, count_only=True)
        out[entry.id] = DueCount(due, new)
    return out


def next_due(scores: ScoreFile, catalog: Catalog, deck_id: str | None = None) -> datetime | None:
    """When the next answered card falls due (suspended cards aside); None if none has a
    memory state. Raises ``NotFound`` for an unknown deck id."""
    times = [
        rec.fsrs.due
        for deck in _decks(catalog, deck_id)
        for _card, rec in _active_cards(scores, deck)
        if rec is not None and rec.fsrs is not None
    ]
    return min(times, default=None)


def due_session(
    scores: ScoreFile,
    catalog: Catalog,
    now: datetime,
    *,
    new_per_day: int,
    deck_id: str | None = None,
    recorder: Recorder | None = None,
    clock: Callable[[], datetime] = utcnow,
    seed: int | None = None,
    tz: tzinfo | None = None,
) -> Session | None:
    """A session over the due list (one pass, no rounds: FSRS brings a missed card back
    minutes later); None when nothing is due and no new card is left for today."""
    items = due_items(scores, catalog, now, new_per_day=new_per_day, deck_id=deck_id, tz=tz)
    if not items:
        return None
    return _session(items, catalog, deck_id, "due", False, recorder, clock, seed)


# --------------------------------------------------------------------------- leeches


def is_leech(record: CardRecord | None, threshold: int) -> bool:
    return record is not None and record.wrong >= threshold


@dataclass(frozen=True)
class Leech:
    deck_id: str
    card: Card
    wrong: int
    right: int
    suspended: bool


def leeches(scores: ScoreFile, catalog: Catalog, threshold: int) -> list[Leech]:
    """Cards answered wrong ``threshold`` times or more, suspended ones included (marked),
    most wrong first, then in deck order."""
    found = []
    for entry in catalog.entries:
        for card in entry.deck.asked:
            rec = _record(scores, entry.id, card.id)
            if rec is not None and is_leech(rec, threshold):
                found.append(Leech(entry.id, card, rec.wrong, rec.right, rec.suspended))
    return sorted(found, key=lambda l: -l.wrong)


def suspended_ids(scores: ScoreFile, deck_id: str) -> set[str]:
    """The suspended card ids of a deck (for ``Session.for_deck(skip=...)``)."""
    return {cid for cid, rec in scores.cards.get(deck_id, {}).items() if rec.suspended}


def set_suspended(
    store: Recorder, catalog: Catalog, deck_id: str, card_id: str, suspended: bool, at: datetime
) -> bool:
    """Suspend or unsuspend a card through the store. Returns False when it already was
    in that state (nothing is written). Raises ``NotFound`` for an unknown deck or card."""
    entry = catalog.get(deck_id)
    if entry is None:
        raise NotFound(f"no deck with id {deck_id!r}")
    if entry.deck.card(card_id) is None:
        raise NotFound(f"deck {deck_id!r} has no card with id {card_id!r}")

    def build(latest):  # noqa: ANN001, ANN202 - from the card as it is now, under the lock
        rec = latest(deck_id, card_id)
        if (rec.suspended if rec is not None else False) == suspended:
            return []
        return [SuspendEvent(deck=deck_id, card=card_id, at=at, suspended=suspended)]

    return bool(store.write(build))
