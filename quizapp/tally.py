"""Counts kept up to date: ``Tally`` holds every number of ``quizapp.stats`` as sums over
cards, so an answer updates them instead of a recount of every card; and a summary of them
is kept on disk, so ``quizapp stats``, ``quizapp due`` and the home screen have them at
start without reading the decks or the score file.

Counting
    ``Tally.build`` counts each deck's cards in one pass (``compute_stats`` is a fresh
    build). ``Tally.refresh`` then brings the counts up to date with the scores and decks
    as they are now: each card record the store replaced since (records are values, a
    changed card gets a new one, see ``store.records``) has its old contribution taken off
    and its new one added; a deck whose cards changed is counted again. ``Tally.stats(now)``
    gives the numbers at any moment: cards fall due as time passes, so each deck keeps the
    due times of its answered cards sorted, and "due now" is a binary search; today's new
    cards depend on how many were first answered on each local day, which it keeps per day.
    A property test checks that a refreshed tally equals a full recount.

The summary file (``summaryfile``, read and written without pydantic)
    ``Summary``: the numbers that do not change with time, plus what "due now", today's
    new cards and the streak are read from (sorted due times, first answers per day, days
    studied). Written after each full count, it is used only while every input is as it
    was: the score file (the snapshot's identity, and the journal up to the same byte), each
    deck file (its SHA-256, from the deck cache's index), the settings that change counts,
    and the local time zone. Any change, a hand edit included, means counting again; the
    file is never the truth and is safe to delete (a broken one only costs time).
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from quizapp import review, stats
from quizapp.days import LocalDates
from quizapp.decks import Catalog, read_from
from quizapp.models import Card, ScoreFile
from quizapp.settings import Settings
from quizapp.summaryfile import DeckNumbers, Summary, micros


def introduced_instant(rec: Any) -> datetime | None:
    """When the card was first answered, as ``review.introduced_on`` decides it: its
    ``first_answered``; for older records without one, the last answer when it was the
    only one or the card is still being learned."""
    if rec.last_answered is None:
        return None
    if rec.first_answered is not None:
        return rec.first_answered
    if rec.seen == 1 or (rec.fsrs is not None and rec.fsrs.state == review.scheduling.LEARNING):
        return rec.last_answered
    return None


@dataclass
class _Deck:
    """One deck's sums (every deck id of the catalog or of the score file)."""

    deck_id: str
    title: str = ""
    cards: int = 0  # asked cards (0 for a deck of the score file only)
    asked: Any = None  # the deck's cards list the counts were made from (identity)
    cards_asked: list[Card] = field(default_factory=list)  # the asked cards, in order
    _index: dict[str, int] | None = None  # asked id -> position (made when first needed)
    counted: dict[str, Any] = field(default_factory=dict)  # card id -> record counted
    last_missed: frozenset[str] = frozenset()
    # by card
    new_cards: int = 0  # never answered (stats' "new")
    learning: int = 0
    mastered: int = 0
    families: dict[str, list[int]] = field(default_factory=dict)  # family -> cards, right, wrong
    suspended: int = 0
    leeches: int = 0
    missed: int = 0
    never: int = 0  # not suspended and never answered: what due mode may introduce
    due_always: int = 0  # answered, no memory state: due at once
    due_times: list[int] = field(default_factory=list)  # sorted, microseconds since 1970
    introduced: dict[date, int] = field(default_factory=dict)  # local day -> first answers
    worst: dict[str, tuple[int, int]] = field(default_factory=dict)  # card id -> (wrong, n)
    # every record of the deck id (asked or not): days studied, latest answer
    answered_days: dict[date, int] = field(default_factory=dict)
    latest: datetime | None = None
    latest_stale: bool = False
    building: bool = False  # being counted: due times are sorted once at the end

    @property
    def index(self) -> dict[str, int]:
        """Asked card id -> its position in ``cards_asked`` (made on the first update)."""
        if self._index is None:
            self._index = {card.id: n for n, card in enumerate(self.cards_asked)}
        return self._index

    def position(self, card_id: str) -> int | None:
        """Where the card is among the asked cards; None if it is not one of them."""
        return self.index.get(card_id)

    def card_at(self, card_id: str, n: int) -> Any:
        """The asked card ``card_id``, the ``n``-th (``position``): what its numbers need
        (``id``, ``tags``, ``question``)."""
        return self.cards_asked[n]


class Unknown(Exception):
    """A tally read back from its kept state (``tallyfile``) cannot tell a number without
    a full count: a chunk of it no longer reads back, or the most-missed cards beyond
    those it kept are asked for. Caught where the kept state is read: the numbers are
    then counted in full, never shown wrong."""


def _add(counter: dict[Any, int], key: Any, sign: int) -> None:
    value = counter.get(key, 0) + sign
    if value:
        counter[key] = value
    else:
        counter.pop(key, None)


class Tally:
    """Every number of ``quizapp stats``, kept as sums (see the module doc)."""

    def __init__(self, settings: Settings, tz: tzinfo | None) -> None:
        self.settings = settings
        self.tz = tz
        self.local = LocalDates(tz)
        self.decks: dict[str, _Deck] = {}
        self.order: list[str] = []  # catalog deck ids, in catalog order
        self.sessions: Any = None  # the sessions list the session numbers come from
        self.session_numbers: dict[str, tuple[list[Any], Any, datetime | None]] = {}
        self.session_days: set[date] = set()
        self.daily: dict[date, int] = {}

    # ------------------------------------------------------------------ counting

    @classmethod
    def build(cls, scores: ScoreFile, catalog: Catalog, settings: Settings,
              tz: tzinfo | None = None) -> Tally:
        tally = cls(settings, tz)
        tally.refresh(scores, catalog)
        return tally

    def refresh(self, scores: ScoreFile, catalog: Catalog) -> None:
        """Bring the counts up to date with ``scores`` and ``catalog`` as they are now."""
        self.order = [e.id for e in catalog.entries]
        wanted = {e.id: e for e in catalog.entries}
        for deck_id in list(self.decks):
            if deck_id not in wanted and deck_id not in scores.cards:
                del self.decks[deck_id]
        for deck_id in list(scores.cards):
            if deck_id not in wanted and deck_id not in self.decks:
                self.decks[deck_id] = _Deck(deck_id)
        for deck_id, entry in wanted.items():
            deck = self.decks.get(deck_id)
            if deck is None or deck.asked is not entry.deck.cards or deck.cards != len(entry.deck.asked):
                self.decks[deck_id] = self._count_deck(entry, scores)
        for deck_id, deck in self.decks.items():
            entry = wanted.get(deck_id)
            if entry is not None:
                deck.title = entry.deck.deck.title
                missed = frozenset(review.last_session_missed(scores, deck_id))
                if missed != deck.last_missed:
                    self._new_last_missed(deck, missed)
            self._catch_up(deck, scores.cards.get(deck_id, {}))
        self._count_sessions(scores)

    def apply(self, events: Iterable[Any], sessions: Callable[[], list[Any]]) -> None:
        """Bring the counts up to date with ``events``, folded in order as the store folds
        them (the journal's entries written since the counts were made): only the cards
        they touch are counted again, so the cost is in proportion to the events, not to
        the cards. ``sessions`` gives the score file's sessions as they were when counted
        (asked for only when an event changes one)."""
        from quizapp.models import SessionEvent
        from quizapp.store.events import fold

        scores = ScoreFile.model_construct(cards={}, sessions=[], recovered=[])
        sessions_changed = False
        touched: set[str] = set()
        for event in events:
            if isinstance(event, SessionEvent):
                if not sessions_changed:  # (those of an earlier ``apply``, if one changed them)
                    known = self.sessions if self.sessions is not None else sessions()
                    scores.sessions, sessions_changed = list(known), True
                fold(scores, event)
                continue
            deck = self.decks.get(event.deck)
            if deck is None:
                deck = self.decks[event.deck] = _Deck(event.deck)
            old = deck.counted.get(event.card)
            records = scores.cards.setdefault(event.deck, {})
            if old is None:
                records.pop(event.card, None)
            else:
                records[event.card] = old
            fold(scores, event)
            new = scores.cards.get(event.deck, {}).get(event.card)
            if new is not old:
                self._change(deck, event.card, old, new)
                touched.add(event.deck)
        for deck_id in touched:
            self._fresh_latest(self.decks[deck_id])
        if sessions_changed:
            for deck_id in self.order:
                deck = self.decks[deck_id]
                missed = frozenset(review.last_session_missed(scores, deck_id))
                if missed != deck.last_missed:
                    self._new_last_missed(deck, missed)
            self.sessions = None
            self._count_sessions(scores)

    def _count_deck(self, entry: Any, scores: ScoreFile) -> _Deck:
        asked = entry.deck.asked
        deck = _Deck(entry.id, entry.deck.deck.title, len(asked), entry.deck.cards)
        deck.last_missed = frozenset(review.last_session_missed(scores, entry.id))
        deck.cards_asked = asked
        # A copy (made at once, under the GIL): an answer in another thread may add a record.
        records = dict(scores.cards.get(entry.id, {}))
        get = records.get
        deck.building = True
        for n, card in enumerate(asked):
            self._card(deck, card, get(card.id), 1, n)
        deck.building = False
        deck.due_times.sort()
        for rec in records.values():
            self._record(deck, rec, 1)
        deck.counted = records
        return deck

    def _catch_up(self, deck: _Deck, records: dict[str, Any]) -> None:
        """Count again the cards whose record changed since they were counted."""
        counted = deck.counted
        records = dict(records)  # (a copy made at once: see _count_deck)
        changed = [cid for cid, rec in records.items() if counted.get(cid) is not rec]
        if changed:
            # The scores read again (another window compacted) are new objects with the
            # same values: only a record that differs is counted again.
            same = [cid for cid in changed if cid in counted and counted[cid] == records[cid]]
            for cid in same:
                counted[cid] = records[cid]
            if same:
                changed = [cid for cid in changed if counted.get(cid) is not records[cid]]
        added = sum(1 for cid in changed if cid not in counted)
        if len(counted) > len(records) - added:  # some records are gone (an undo)
            changed += [cid for cid in counted if cid not in records]
        for cid in changed:
            self._change(deck, cid, counted.get(cid), records.get(cid))
        self._fresh_latest(deck)

    def _change(self, deck: _Deck, cid: str, old: Any, new: Any) -> None:
        """Card ``cid``'s record went from ``old`` to ``new`` (either may be None): take
        off what the old one counted for, add the new one."""
        found = deck.position(cid)
        if found is not None:
            card = deck.card_at(cid, found)
            self._card(deck, card, old, -1, found)
            self._card(deck, card, new, 1, found)
        if old is not None:
            self._record(deck, old, -1)
        if new is not None:
            self._record(deck, new, 1)
            deck.counted[cid] = new
        else:
            deck.counted.pop(cid, None)

    @staticmethod
    def _fresh_latest(deck: _Deck) -> None:
        if deck.latest_stale:  # the latest answer was taken back: look for the one before
            deck.latest = max((r.last_answered for r in deck.counted.values()
                               if r.last_answered is not None), default=None)
            deck.latest_stale = False

    def _new_last_missed(self, deck: _Deck, missed: frozenset[str]) -> None:
        for cid in missed ^ deck.last_missed:
            found = deck.position(cid)
            if found is not None:
                rec, card = deck.counted.get(cid), deck.card_at(cid, found)
                self._card(deck, card, rec, -1, found)
                deck.last_missed, old = missed, deck.last_missed
                self._card(deck, card, rec, 1, found)
                deck.last_missed = old
        deck.last_missed = missed

    def _record(self, deck: _Deck, rec: Any, sign: int) -> None:
        """What every record of a deck id counts for: days studied, the latest answer."""
        answered = rec.last_answered
        if answered is None:
            return
        _add(deck.answered_days, self.local(answered), sign)
        if sign > 0:
            if deck.latest is None or answered > deck.latest:
                deck.latest = answered
        elif answered == deck.latest:
            deck.latest_stale = True

    def _card(self, deck: _Deck, card: Card, rec: Any, sign: int, n: int) -> None:
        """Add (``sign`` 1) or take off (-1) what one asked card (the ``n``-th) counts
        for."""
        family = stats.family_of(card)
        fam = deck.families.get(family)
        if fam is None:
            fam = deck.families[family] = [0, 0, 0]
        fam[0] += sign
        if rec is None:
            deck.new_cards += sign
            deck.never += sign
            if card.id in deck.last_missed and self.settings.review_streak > 0:
                deck.missed += sign
            return
        memory = rec.fsrs
        never = rec.seen == 0 and memory is None  # ``review.is_new``
        if never:
            deck.new_cards += sign
        elif memory is not None and stats.is_mastered(memory):
            deck.mastered += sign
        else:
            deck.learning += sign
        fam[1] += sign * rec.right
        fam[2] += sign * rec.wrong
        if rec.wrong >= self.settings.leech_threshold:  # ``review.is_leech``
            deck.leeches += sign
        if rec.wrong > 0:
            if sign > 0:
                deck.worst[card.id] = (rec.wrong, n)
            else:
                deck.worst.pop(card.id, None)
        first = introduced_instant(rec)
        if first is not None:
            _add(deck.introduced, self.local(first), sign)
        if rec.suspended:
            deck.suspended += sign
            return
        if ((rec.wrong > 0 or card.id in deck.last_missed)
                and rec.streak < self.settings.review_streak):
            deck.missed += sign
        if never:
            deck.never += sign
        elif memory is None:
            deck.due_always += sign
        elif sign > 0:
            if deck.building:
                deck.due_times.append(micros(memory.due))
            else:
                bisect.insort(deck.due_times, micros(memory.due))
        else:
            times = deck.due_times
            del times[bisect.bisect_left(times, micros(memory.due))]

    def _count_sessions(self, scores: ScoreFile) -> None:
        if self.sessions is scores.sessions and self._sessions_seen == _sessions_stamp(scores):
            return
        self.sessions, self._sessions_seen = scores.sessions, _sessions_stamp(scores)
        by_deck: dict[str, list[Any]] = {}
        for s in scores.sessions:
            if s.total > 0:
                by_deck.setdefault(s.deck, []).append(s)
        self.session_numbers = {}
        for deck_id, played in by_deck.items():
            results, unfinished = stats.deck_results(played)
            latest = max((m for s in played for m in (s.start, s.end) if m is not None), default=None)
            self.session_numbers[deck_id] = (results, unfinished, latest)
        self.session_days = {self.local(m) for s in scores.sessions if s.total > 0
                             for m in (s.start, s.end) if m is not None}
        self.daily = stats.daily_answers(scores, self.tz)

    _sessions_seen: tuple[int, int] = (0, 0)

    # ------------------------------------------------------------------ reading

    def summary(self) -> Summary:
        """The numbers as of now, in the form kept on disk."""
        decks = []
        for deck_id in self.order:
            deck = self.decks[deck_id]
            results, unfinished, session_latest = self.session_numbers.get(deck_id, ([], None, None))
            latest = max(filter(None, (deck.latest, session_latest)), default=None)
            decks.append(DeckNumbers(deck_id, deck.title, deck.cards, deck.missed,
                                      deck.suspended, deck.leeches, deck.never, deck.due_always,
                                      deck.due_times, dict(deck.introduced), results, unfinished,
                                      latest))
        families: dict[str, list[int]] = {}
        counts = [0, 0, 0, 0, 0]
        for deck_id in self.order:
            deck = self.decks[deck_id]
            for name, (cards, right, wrong) in deck.families.items():
                fam = families.setdefault(name, [0, 0, 0])
                fam[0] += cards
                fam[1] += right
                fam[2] += wrong
            for i, value in enumerate((deck.new_cards, deck.learning, deck.mastered,
                                       deck.suspended, deck.leeches)):
                counts[i] += value
        rank = {name: i for i, name in enumerate((*stats.FAMILIES, stats.OTHER))}
        family_stats = [stats.FamilyStats(name, *families[name])
                        for name in sorted(families, key=rank.__getitem__) if families[name][0]]
        most = []
        for _w, d, n, cid in self.most_missed():
            deck = self.decks[self.order[d]]
            card = deck.card_at(cid, n)
            rec = deck.counted[cid]
            most.append(stats.MissedCard(deck.deck_id, cid, card.question, rec.wrong, rec.right,
                                         rec.wrong >= self.settings.leech_threshold,
                                         rec.suspended))
        days = set(self.session_days)
        for deck in self.decks.values():
            days.update(deck.answered_days)
        return Summary(decks, family_stats, most, stats.CardCounts(*counts), days,
                       dict(self.daily), self.settings.new_per_day)

    def stats(self, now: datetime) -> stats.Stats:
        return self.summary().stats(now, self.tz)

    # The most-missed ranking is known only above this key when the tally was read back
    # from its kept state (``tallyfile``), which keeps just the cards ranked first: None
    # when every card with a wrong answer is in ``worst``.
    worst_limit: tuple[int, int, int] | None = None

    def most_missed(self) -> list[tuple[int, int, int, str]]:
        """The ``MOST_MISSED`` cards with the most wrong answers, as (-wrong, deck's place,
        card's place, card id), first first. Raises ``Unknown`` when a tally read back
        from its kept state no longer knows them (a card ranked first lost a wrong answer:
        the next one down was not kept)."""
        candidates = [(-wrong, d, n, cid) for d, deck_id in enumerate(self.order)
                      for cid, (wrong, n) in self.decks[deck_id].worst.items()]
        most = heapq.nsmallest(stats.MOST_MISSED, candidates)
        limit = self.worst_limit
        if limit is not None and (len(most) < stats.MOST_MISSED or most[-1][:3] > limit):
            raise Unknown("the most-missed cards are not all known")
        return most


def compute_stats(
    scores: ScoreFile,
    catalog: Catalog,
    now: datetime,
    *,
    settings: Settings | None = None,
    tz: tzinfo | None = None,
) -> stats.Stats:
    """Every number of the stats screen and ``quizapp stats`` (defined in ``quizapp.stats``),
    counted in one pass over each deck's cards. ``tz`` decides calendar days (None: this
    machine's local zone)."""
    return Tally.build(scores, catalog, settings or Settings(), tz).stats(now)


def _sessions_stamp(scores: ScoreFile) -> tuple[int, int]:
    """Changes when a session is added or replaced (the store folds a session event by
    replacing its record)."""
    return (len(scores.sessions), sum(id(s) for s in scores.sessions))


def catalog_decks(catalog: Catalog) -> list[tuple[str, str, str, str]] | None:
    """The catalog's decks as ``glimpsed_decks`` describes them; None when a deck was not
    read from a file or there were problems (then there is nothing to compare with)."""
    if catalog.problems or catalog.shadowed:
        return None
    out = []
    for entry in catalog.entries:
        digest = read_from(entry.deck)
        if digest is None:
            return None
        out.append((entry.id, digest, str(entry.path), entry.origin))
    return out
