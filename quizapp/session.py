"""One quiz session: the order of the questions, checking, scoring, undo and recording.

Pure Python shared by both front ends (the Textual app and plain mode). The session asks
one card at a time:

    asking --answer()/grade()--> feedback --advance()--> asking ... --> done
    asking --skip()--> asking (next card)
    feedback/asking --undo()--> asking (the last answered or skipped card again)

Every answer is handed to the ``Recorder`` (the score store) before ``answer()`` returns,
so once feedback is on screen the answer is on disk. ``finish()`` writes the session's
record. With ``rounds=True`` (review mode) a card answered wrong comes back in a later
round until it is answered right.
"""

from __future__ import annotations

import bisect
import random
import secrets
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple, Protocol

from quizapp import matching, scheduling
from quizapp.days import utcnow  # (the session API: sessions default to it)
from quizapp.errors import NoCards
from quizapp.models import (
    AnswerEvent,
    Card,
    CardRecord,
    Deck,
    SessionEvent,
    SessionRecord,
    UndoEvent,
)

State = Literal["asking", "feedback", "done"]
MAX_CHOICES = 4


Lookup = Callable[[str, str], CardRecord | None]


class Recorder(Protocol):
    """Where answers go (``store.ScoreStore`` is one)."""

    def record(self, deck_id: str, card_id: str) -> CardRecord | None: ...

    def append(self, *events: object) -> None: ...

    def write(self, build: Callable[[Lookup], Iterable[object]]) -> object:
        """Append the events ``build`` makes from the latest card records (under the
        store's lock, so another window's answers are included)."""
        ...


class Item(NamedTuple):
    """A card and the deck it belongs to (a review session mixes decks). A named tuple:
    a session over a whole deck of 100,000 cards makes 100,000 of them at its start."""

    deck_id: str
    card: Card

    @property
    def key(self) -> tuple[str, str]:
        return (self.deck_id, self.card.id)


class DeckQueue:
    """A session's questions over one deck: its cards in order, each made an ``Item`` only
    when it is asked for, then the items appended (cards asked again). A session over a
    whole deck of 100,000 cards starts without making 100,000 objects (nor collecting
    them). Reads like the list of items it stands for (len, index, iteration, append,
    pop)."""

    __slots__ = ("_deck_id", "_cards", "_more")

    def __init__(self, deck_id: str, cards: list[Card]) -> None:
        self._deck_id = deck_id
        self._cards = cards  # its own list: ``pop`` may shorten it
        self._more: list[Item] = []

    def __len__(self) -> int:
        return len(self._cards) + len(self._more)

    def __getitem__(self, index: int) -> Item:
        size = len(self._cards)
        if index < 0:
            index += len(self)
        if 0 <= index < size:
            return Item(self._deck_id, self._cards[index])
        if index < 0:
            raise IndexError("session queue index out of range")
        return self._more[index - size]

    def __iter__(self) -> Iterator[Item]:
        deck_id = self._deck_id
        for card in self._cards:
            yield Item(deck_id, card)
        yield from self._more

    def append(self, item: Item) -> None:
        self._more.append(item)

    def pop(self) -> Item:
        if self._more:
            return self._more.pop()
        return Item(self._deck_id, self._cards.pop())


@dataclass(frozen=True)
class Outcome:
    item: Item
    correct: bool
    response: str
    expected: str
    rating: int
    duration_ms: int
    exact: bool = True  # False when a typed answer was accepted despite a small typo


@dataclass
class _Step:
    index: int
    outcome: Outcome | None  # None: the card was skipped
    previous: CardRecord | None = None  # the card's record just before the answer
    requeued: bool = False
    answer_id: str | None = None  # the AnswerEvent's id, which undo names


class _Counts:
    """What a session's answers add up to, kept as steps are taken and taken back (undo
    takes back the last one), so that an answer costs the same at the 10th and at the
    6,000th question: cards answered, cards whose first answer was right, and the cards
    missed (with the names a session record gives them) in the order first missed."""

    def __init__(self, name: Callable[[Item], str], prior: Iterable[str]) -> None:
        self._name = name
        self._prior = set(prior)  # names a resumed session had missed already
        self.answers: dict[tuple[str, str], int] = {}  # outcomes per card
        self._first_right: dict[tuple[str, str], bool] = {}
        self.right = 0
        self._misses: dict[tuple[str, str], int] = {}  # wrong outcomes per card
        self.missed: dict[tuple[str, str], Item] = {}  # in the order first missed
        self.names: list[str] = []  # the names of ``missed`` not in ``prior``, in order

    def add(self, outcome: Outcome | None) -> None:
        if outcome is None:
            return
        key = outcome.item.key
        n = self.answers.get(key, 0)
        self.answers[key] = n + 1
        if n == 0:
            self._first_right[key] = outcome.correct
            self.right += outcome.correct
        if not outcome.correct:
            m = self._misses.get(key, 0)
            self._misses[key] = m + 1
            if m == 0:
                self.missed[key] = outcome.item
                name = self._name(outcome.item)
                if name not in self._prior:
                    self.names.append(name)

    def take_back(self, outcome: Outcome | None) -> None:
        """Undo ``add(outcome)``, the latest outcome added and not taken back."""
        if outcome is None:
            return
        key = outcome.item.key
        n = self.answers[key] - 1
        if n:
            self.answers[key] = n
        else:
            del self.answers[key]
            self.right -= self._first_right.pop(key)
        if not outcome.correct:
            m = self._misses[key] - 1
            if m:
                self._misses[key] = m
            else:
                del self._misses[key]
                item = self.missed.pop(key)
                name = self._name(item)
                if name not in self._prior:
                    if self.names[-1] == name:  # always, as it was missed last
                        self.names.pop()
                    else:
                        self.names.remove(name)


def deck_rivals(deck: Deck) -> matching.Rivals:
    """Every real answer or distractor in a deck, normalized: a typed answer equal to one
    of these that is not the card's own answer is wrong, however close it is.

    Made once per deck (its cards list) and kept, so a session on a big deck starts at
    once and its first typed answer does not normalize the whole deck; the app makes them
    in the background after loading."""
    cache = _RIVALS.get(id(deck.cards))
    if cache is not None and cache[0] is deck.cards and cache[1] == len(deck.cards):
        return cache[2]
    def texts() -> Iterator[str]:  # one at a time: no set of every answer of a big deck
        for card in deck.asked:
            if isinstance(card.answer, str):
                yield card.answer
                yield from card.accept
            yield from card.distractors

    rivals = matching.Rivals.of(texts())
    if len(_RIVALS) >= 16:
        _RIVALS.clear()  # decks seen long ago are made again when asked for
    _RIVALS[id(deck.cards)] = (deck.cards, len(deck.cards), rivals)
    return rivals


def answered_in(record: SessionRecord, cards: Mapping[str, CardRecord]) -> set[str]:
    """The ids of the cards (of ``cards``, one deck's records in the score file) known to
    have been answered in the session ``record``: those whose latest answer is one of
    its answers (answer ids start with the session's id), and those it missed."""
    prefix = f"{record.id}-"
    out = {cid for cid, rec in cards.items()
           if rec.last_answer is not None and rec.last_answer.startswith(prefix)}
    return out | set(record.missed)


def resume_cards(
    deck: Deck, record: SessionRecord, *, answered: Collection[str] = (),
    skip: Iterable[str] = (),
) -> list[Card]:
    """The cards a resumed in-order session asks, in deck order (suspended ones, ids in
    ``skip``, left out): the cards after the last one the session asked, by card id in the
    deck as it is now (cards removed or added since do not shift it).

    When that card is no longer in the deck: the cards after the last one (in deck order)
    of ``answered`` (the ids the session is known to have answered, ``answered_in``), or
    every card when none of those is left (asking a card again beats never asking one).
    Records without ``last_card`` (older ones) go by position: from question asked + 1."""
    skipped = set(skip)
    order = deck.asked
    if record.last_card is None:
        cards = [c for c in order if c.id not in skipped]
        return cards[min(record.asked or 0, len(cards)):]
    index = {c.id: i for i, c in enumerate(order)}
    start = index.get(record.last_card)
    if start is None:
        known = [index[cid] for cid in answered if cid in index]
        start = max(known) if known else -1
    return [c for c in order[start + 1:] if c.id not in skipped]


# id(deck.cards) -> (that list, its length then, its rivals).
_RIVALS: dict[int, tuple[list[Card], int, matching.Rivals]] = {}


class Session:
    def __init__(
        self,
        items: Sequence[Item] | DeckQueue,
        *,
        deck_label: str,
        mode: str = "order",
        recorder: Recorder | None = None,
        now: Callable[[], datetime] = utcnow,
        seed: int | None = None,
        rounds: bool = False,
        rivals: dict[str, matching.Rivals | Deck | Iterable[str]] | None = None,
    ) -> None:
        if not items:
            raise ValueError("a session needs at least one card")
        self.deck_label = deck_label
        self.mode = mode
        self.rounds = rounds
        self._recorder = recorder
        self._now = now
        self._rng = random.Random(seed)
        self._rivals = rivals or {}
        self._rival_norms: dict[str, matching.Rivals] = {}  # per deck, made on first use
        self._queue: list[Item] | DeckQueue = (
            items if isinstance(items, DeckQueue) else list(items))
        self._index = 0
        self._steps: list[_Step] = []
        self._round_cache: tuple[object, list[int], list[tuple[str, str]],
                                 dict[tuple[str, str], int]] | None = None
        self._choices: dict[tuple[str, str], list[str]] = {}
        self._orders: dict[tuple[str, str], list[str]] = {}
        self.state: State = "asking"
        self.started = now()
        self.ended: datetime | None = None
        self._shown_at = self.started
        self.id = f"{self.started:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
        self._session_written = False
        # The missed names of the session's record as last written (None: nothing written
        # by this object yet): the next record carries only what follows the shared part.
        self._written_missed: list[str] | None = None
        # What a resumed session carries over from its earlier part (see ``resume``).
        self._offset = 0
        self._prior_score = 0
        self._prior_answered = 0
        self._prior_skipped = 0
        self._prior_missed: list[str] = []
        self._prior_missed_items: list[Item] = []
        self._prior_seconds = 0.0
        self._counts = _Counts(self._missed_name, ())
        self._prior_last_card: str | None = None
        self._began = self.started  # when this part of the session began

    # ------------------------------------------------------------------ building

    @classmethod
    def for_deck(
        cls,
        deck: Deck,
        *,
        mode: Literal["order", "shuffle"] = "order",
        limit: int | None = None,
        recorder: Recorder | None = None,
        now: Callable[[], datetime] = utcnow,
        seed: int | None = None,
        skip: Iterable[str] = (),
    ) -> Session:
        """A session over a deck: all cards in order, shuffled, or the first ``limit``
        (drawn at random when shuffled). Cards whose ids are in ``skip`` (suspended) are left
        out; ``NoCards`` is raised when that leaves none."""
        skipped = set(skip)
        cards = [c for c in deck.asked if c.id not in skipped] if skipped else deck.asked
        if not cards:
            raise NoCards(f"every card of {deck.id} is suspended")
        rng = random.Random(seed)
        if mode == "shuffle":
            rng.shuffle(cards)
        if limit is not None:
            cards = cards[: max(1, limit)]
        label = mode if limit is None else f"{mode}:{len(cards)}"
        deck_id = deck.id
        return cls(
            DeckQueue(deck_id, cards),
            deck_label=deck_id,
            mode=label,
            recorder=recorder,
            now=now,
            seed=None if seed is None else seed + 1,
            rivals={deck.id: deck},
        )

    @classmethod
    def resume(
        cls,
        deck: Deck,
        record: SessionRecord,
        *,
        recorder: Recorder | None = None,
        now: Callable[[], datetime] = utcnow,
        seed: int | None = None,
        skip: Iterable[str] = (),
        answered: Collection[str] = (),
    ) -> Session:
        """Go on with an unfinished in-order session of ``deck`` where it stopped.

        The session keeps its id, start, score and missed cards, so its record grows into
        one finished session, numbered on from question ``record.asked + 1``. It asks the
        cards ``resume_cards`` gives (``answered``: see there). Raises ``NoCards`` when
        none is left."""
        if record.mode != "order" or record.deck != deck.id:
            raise ValueError(f"only an in-order session of {deck.id} can be resumed")
        offset = record.asked or 0
        cards = resume_cards(deck, record, answered=answered, skip=skip)
        if not cards:
            raise NoCards(f"no card of {deck.id} is left after question {offset}")
        session = cls(
            [Item(deck.id, c) for c in cards],
            deck_label=deck.id,
            mode="order",
            recorder=recorder,
            now=now,
            seed=None if seed is None else seed + 1,
            rivals={deck.id: deck},
        )
        session.id = record.id
        session.started = record.start
        session._offset = offset
        session._prior_score = record.score
        session._prior_answered = record.total
        # In order every question asked before was answered or skipped (undo takes a step
        # back), so the rest of the questions asked were skipped.
        session._prior_skipped = max(0, offset - record.total)
        session._prior_last_card = record.last_card
        session._prior_missed = list(record.missed)
        session._counts = _Counts(session._missed_name, record.missed)
        by_id = {c.id: c for c in deck.asked}
        session._prior_missed_items = [Item(deck.id, by_id[m]) for m in record.missed if m in by_id]
        if record.end is not None:
            session._prior_seconds = max(0.0, (record.end - record.start).total_seconds())
        return session

    # ------------------------------------------------------------------ state

    @property
    def current(self) -> Item | None:
        if self.state == "done" or self._index >= len(self._queue):
            return None
        return self._queue[self._index]

    @property
    def position(self) -> int:
        """1-based number of the current question."""
        return self._offset + min(self._index + 1, len(self._queue))

    @property
    def total(self) -> int:
        """Questions planned so far (grows in rounds mode when a card comes back)."""
        return self._offset + len(self._queue)

    @property
    def done_count(self) -> int:
        """Questions answered or skipped (for a progress bar)."""
        return self._offset + self._index + (1 if self.state == "feedback" else 0)

    @property
    def progress(self) -> tuple[int, int, int]:
        """(question number, questions, done) as a person counts them: over the session,
        or in rounds mode over the current round (a card missed in round 1 comes back in
        round 2, which has its own count), so that every front end shows one count."""
        if not self.rounds:
            return self.position, self.total, self.done_count
        start, end = self._round_span()
        index = min(self._index, len(self._queue) - 1)
        done = self._index - start + (1 if self.state == "feedback" else 0)
        return index - start + 1, end - start, min(done, end - start)

    def _round_span(self) -> tuple[int, int]:
        """The queue indexes [start, end) of the current round (rounds are contiguous:
        a card missed in round r is appended after every card of round r)."""
        rounds = self._rounds_of_queue()  # never decreasing, so searched by halves
        current = rounds[min(self._index, len(rounds) - 1)]
        return bisect.bisect_left(rounds, current), bisect.bisect_right(rounds, current)

    def _rounds_of_queue(self) -> list[int]:
        """Each queue position's round (the how-many-th time its card is asked). Kept
        between calls and brought up to date with what was appended to or popped from
        the end of the queue since (the only ways it changes), so an answer in a review
        of 95,000 missed cards does not walk the whole queue."""
        queue = self._queue
        cached = self._round_cache
        if cached is None or cached[0] is not queue:
            cached = self._round_cache = (queue, [], [], {})
        _queue, rounds, keys, seen = cached
        n = len(queue)
        while keys and (len(keys) > n or keys[-1] != queue[len(keys) - 1].key):
            key = keys.pop()  # popped (an undo), or popped and another appended
            rounds.pop()
            seen[key] -= 1
        for i in range(len(keys), n):
            key = queue[i].key
            seen[key] = seen.get(key, 0) + 1
            keys.append(key)
            rounds.append(seen[key])
        return rounds

    @property
    def outcomes(self) -> list[Outcome]:
        return [s.outcome for s in self._steps if s.outcome is not None]

    @property
    def answered(self) -> int:
        """Distinct cards answered at least once."""
        return self._prior_answered + len(self._counts.answers)

    @property
    def score(self) -> int:
        """Cards whose first answer in this session was right."""
        return self._prior_score + self._counts.right

    @property
    def out_of(self) -> int:
        """The questions the score counts against, as home and ``quizapp stats`` count a
        session: once it is finished, every card it asked, so a skipped one counts as not
        right (answering 1 and skipping 2 is 1/3, not 1/1); quit early, the cards answered."""
        return self.answered + self.skipped_count if self.finished else self.answered

    @property
    def finished(self) -> bool:
        """Every planned question was answered or skipped (quitting early is not)."""
        return self.done_count >= self.total

    @property
    def unanswered(self) -> list[Item]:
        """Cards skipped and not answered since, each once, in the order first skipped:
        what both front ends count as "skipped" at the end."""
        answered = {o.item.key for o in self.outcomes}
        seen: dict[tuple[str, str], Item] = {}
        for item in self.skipped:
            if item.key not in answered:
                seen.setdefault(item.key, item)
        return list(seen.values())

    @property
    def skipped_count(self) -> int:
        """How many questions were left unanswered, a resumed session's earlier part
        included: the "N skipped" both front ends show at the end."""
        return self._prior_skipped + len(self.unanswered)

    @property
    def skipped(self) -> list[Item]:
        return [self._queue[s.index] for s in self._steps if s.outcome is None]

    @property
    def missed(self) -> list[Item]:
        """Cards answered wrong at least once in this session, in the order first missed."""
        seen: dict[tuple[str, str], Item] = {i.key: i for i in self._prior_missed_items}
        for key, item in self._counts.missed.items():
            seen.setdefault(key, item)
        return list(seen.values())

    @property
    def round(self) -> int:
        """In rounds mode, which pass over the missed cards this is (1 = the first)."""
        rounds = self._rounds_of_queue()
        return rounds[min(self._index, len(rounds) - 1)]

    def elapsed(self) -> float:
        """Seconds spent in the session (a resumed one counts its earlier part too)."""
        end = self.ended or self._now()
        return self._prior_seconds + max(0.0, (end - self._began).total_seconds())

    # ------------------------------------------------------------------ presenting

    def choices(self, item: Item | None = None) -> list[str]:
        """The options of a choice card, shuffled once per session (answer + up to 3 distractors)."""
        item = item or self._require_current()
        key = item.key
        if key not in self._choices:
            card = item.card
            assert isinstance(card.answer, str)
            options = [card.answer, *card.distractors[: MAX_CHOICES - 1]]
            self._rng.shuffle(options)
            self._choices[key] = options
        return list(self._choices[key])

    def order_items(self, item: Item | None = None) -> list[str]:
        """The items of an order card in a starting order shuffled once per session.

        Every order is equally likely, the right one included: a start that is never
        right would give the answer away (with two items, always the reverse of it)."""
        item = item or self._require_current()
        key = item.key
        if key not in self._orders:
            items = list(item.card.answer)
            self._rng.shuffle(items)
            self._orders[key] = items
        return list(self._orders[key])

    def grade_intervals(self, item: Item | None = None) -> dict[int, float]:
        """Seconds until the card would be due again for each grade (1-4) given now, from
        the FSRS scheduler and the card's stored memory state."""
        item = item or self._require_current()
        record = self._recorder.record(*item.key) if self._recorder is not None else None
        return scheduling.next_intervals(record.fsrs if record else None, self._now())

    # ------------------------------------------------------------------ answering

    def answer(self, response: str | Sequence[str]) -> Outcome:
        """Answer the current choice, text or order card."""
        item = self._require_asking()
        card = item.card
        if card.kind == "flip":
            raise ValueError("flip cards are graded with grade()")
        if card.kind == "order":
            given = [str(r) for r in response] if not isinstance(response, str) else [response]
            correct = given == list(card.answer)
            said, exact = " → ".join(given), True
        elif card.kind == "choice":
            said = str(response)
            correct = matching.normalize(said) == matching.normalize(str(card.answer))
            exact = True
        else:
            said = str(response)
            rivals = self._rival_norms.get(item.deck_id)
            if rivals is None:
                given = self._rivals.get(item.deck_id, ())
                if isinstance(given, Deck):  # made on first use (and kept for the deck)
                    rivals = deck_rivals(given)
                elif isinstance(given, matching.Rivals):
                    rivals = given
                else:
                    rivals = matching.Rivals.of(given)
                self._rival_norms[item.deck_id] = rivals
            result = matching.check(said, card.answers, rivals)
            correct, exact = result.correct, result.exact or not result.correct
        duration = self._duration_ms()
        rating = scheduling.rating_for(card, correct, duration)
        return self._record(item, correct, said, rating, duration, exact)

    def grade(self, rating: int) -> Outcome:
        """Grade the current flip card yourself: 1 Again (wrong), 2 Hard, 3 Good, 4 Easy."""
        item = self._require_asking()
        if item.card.kind != "flip":
            raise ValueError("only flip cards are graded by the person")
        try:
            grade = scheduling.Grade(rating)
        except ValueError:
            raise ValueError(f"grade must be 1-4, not {rating!r}") from None
        return self._record(item, grade > scheduling.Grade.AGAIN, grade.label, grade,
                            self._duration_ms(), True)

    def advance(self) -> Item | None:
        """From feedback to the next question; returns it, or None when the session is done."""
        if self.state != "feedback":
            raise RuntimeError("advance() follows an answer")
        self._index += 1
        return self._next()

    def skip(self) -> Item | None:
        """Leave the current question unanswered and move on (nothing is recorded)."""
        self._require_asking()
        self._take(_Step(self._index, None))
        self._index += 1
        return self._next()

    def undo(self) -> Item | None:
        """Take back the last answer (or skip): the card's record is restored on disk and
        the card is asked again. Returns it, or None when there is nothing to undo."""
        if not self._steps:
            return None
        step = self._steps[-1]
        self._take_back()
        if step.requeued:
            self._queue.pop()
        if step.outcome is not None and self._recorder is not None and step.answer_id:
            item = step.outcome.item
            undo = UndoEvent(
                deck=item.deck_id,
                card=item.card.id,
                at=self._now(),
                answer=step.answer_id,
                result="right" if step.outcome.correct else "wrong",
                before=step.previous,
            )
            after = self._record_as(index=step.index, state="asking",
                                    queue=self._queue)
            try:
                self._recorder.append(undo, self._session_event(after))
                self._written_missed = after.missed
            except BaseException:
                self._take(step)  # nothing was undone
                if step.requeued:
                    self._queue.append(step.outcome.item)
                raise
        self._index = step.index
        self.state = "asking"
        self.ended = None
        self._shown_at = self._now()
        return self.current

    def finish(self) -> SessionRecord:
        """End the session (also when the person quits early) and write its record."""
        if self.state == "feedback":
            self._index += 1  # the answer on screen counts as asked
        if self.state != "done":
            self.state = "done"
        if self.ended is None:
            self.ended = self._now()
        record = self.session_record()
        if self._recorder is not None and self._session_written:
            self._recorder.append(self._session_event(record))
            self._written_missed = record.missed
        return record

    def _session_event(self, record: SessionRecord) -> SessionEvent:
        """The journal's event for ``record``: the missed names only from where they
        differ from those this session wrote last (``SessionEvent.missed_from``), so
        recording an answer costs the same at question 10 and at question 5,000."""
        written, missed = self._written_missed, record.missed
        if written is None:
            return SessionEvent(session=record)
        shared = len(written)
        if len(missed) < shared or missed[:shared] != written:  # an undo took names back
            shared = next((i for i, (a, b) in enumerate(zip(written, missed)) if a != b),
                          min(len(written), len(missed)))
        return SessionEvent(session=record.model_copy(update={"missed": missed[shared:]}),
                            missed_from=shared)

    def session_record(self) -> SessionRecord:
        missed = [*self._prior_missed, *self._counts.names]
        return SessionRecord(
            id=self.id,
            deck=self.deck_label,
            mode=self.mode,
            start=self.started,
            end=self.ended,
            score=self.score,
            total=self.answered,
            missed=missed,
            planned=self.total,
            asked=self.done_count,
            last_card=self._last_card(),
        )

    def _last_card(self) -> str | None:
        """The name of the last card answered or skipped (see ``SessionRecord.last_card``)."""
        done = self._index + (1 if self.state == "feedback" else 0)
        if done <= 0 or not self._queue:
            return self._prior_last_card
        item = self._queue[min(done, len(self._queue)) - 1]
        return item.card.id if item.deck_id == self.deck_label else f"{item.deck_id}/{item.card.id}"

    # ------------------------------------------------------------------ internals

    def _require_current(self) -> Item:
        item = self.current
        if item is None:
            raise RuntimeError("the session is over")
        return item

    def _require_asking(self) -> Item:
        if self.state != "asking":
            raise RuntimeError(f"no question is waiting for an answer (state: {self.state})")
        return self._require_current()

    def _missed_name(self, item: Item) -> str:
        """A missed card as the session's record names it."""
        return f"{item.deck_id}/{item.card.id}" if self.deck_label != item.deck_id else item.card.id

    def _take(self, step: _Step) -> None:
        self._steps.append(step)
        self._counts.add(step.outcome)

    def _take_back(self) -> _Step:
        step = self._steps.pop()
        self._counts.take_back(step.outcome)
        return step

    def _record_as(self, *, step: _Step | None = None, index: int | None = None,
                   state: State, queue: list[Item] | DeckQueue) -> SessionRecord:
        """The session's record as it will be once a change is made (written before the
        change itself, so that a failed write leaves the session as it was): ``step``
        taken, or the session at question ``index``."""
        saved = (self._index, self.state, self._queue)
        if step is not None:
            self._take(step)
        self._index = self._index if index is None else index
        self.state, self._queue = state, queue
        try:
            return self.session_record()
        finally:
            if step is not None:
                self._take_back()
            self._index, self.state, self._queue = saved

    def _duration_ms(self) -> int:
        return max(0, int((self._now() - self._shown_at).total_seconds() * 1000))

    def _next(self) -> Item | None:
        if self._index >= len(self._queue):
            self.state = "done"
            self.ended = self._now()
            return None
        self.state = "asking"
        self._shown_at = self._now()
        return self.current

    def _record(
        self, item: Item, correct: bool, said: str, rating: int, duration: int, exact: bool
    ) -> Outcome:
        at = self._now()
        outcome = Outcome(item, correct, said, item.card.answer_text, rating, duration, exact)
        requeued = self.rounds and not correct
        step = _Step(self._index, outcome, None, requeued)
        if self._recorder is not None:
            step.answer_id = f"{self.id}-{secrets.token_hex(4)}"
            # The session's record, counting this answer, goes in the same write: a session
            # cut short by a kill still has its score on file.
            record = self._record_as(
                step=step, state="feedback",
                queue=[*self._queue, item] if requeued else self._queue)

            def build(latest: Lookup) -> list[object]:
                # Under the store's lock, from the card as it is now (other windows'
                # answers included): the memory state and what undo restores.
                previous = latest(item.deck_id, item.card.id)
                step.previous = previous.model_copy(deep=True) if previous is not None else None
                fsrs_state = scheduling.review(previous.fsrs if previous else None, rating, at)
                answer = AnswerEvent(
                    id=step.answer_id,
                    deck=item.deck_id,
                    card=item.card.id,
                    session=self.id,
                    at=at,
                    result="right" if correct else "wrong",
                    rating=rating,
                    duration_ms=duration,
                    fsrs=fsrs_state,
                )
                return [answer, self._session_event(record)]

            self._recorder.write(build)
            self._session_written = True
            self._written_missed = record.missed
        if requeued:
            self._queue.append(item)
        self._take(step)
        self.state = "feedback"
        return outcome
