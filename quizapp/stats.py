"""Progress numbers: what the stats screen, the home screen and ``quizapp stats`` show
(``Stats``), and how each is defined. ``tally.compute_stats`` counts them (and
``tally.Tally`` keeps them up to date answer by answer).

Definitions
    - Deck results (history, best, last) come from the sessions that quiz a deck (play in
      order, shuffled, or a few cards). Review and due sessions drill hand-picked cards,
      so they do not count as a deck score; they do count as days studied. A session's
      percent is its score (cards right at the first try) over its planned questions
      (``out_of``: a skipped question counts as not right; the cards answered when an
      old record has no plan), rounded to one decimal. Sessions with no answer are ignored. Only finished
      sessions (that got to their last question) give a score: one quit early is a
      deck's ``unfinished`` session (shown as "3 of 76") while it is the latest.
    - Last played: the latest session start/end or answer time for the deck.
    - Question family: the first of ``FAMILIES`` among a card's tags (generated decks tag
      each card with exactly one); a card with none is "other". Accuracy by family adds
      up the right and wrong answers of its cards.
    - Most missed: the ``MOST_MISSED`` cards with the most wrong answers (at least one),
      ties in deck order.
    - Streak: consecutive local calendar days with a session or an answer, ending today,
      or ending yesterday when nothing has been studied yet today (the streak is only
      broken once a whole day passes without study).
    - Card counts over every card of every deck found: new = never answered; mastered =
      FSRS Review state with a stability of at least ``MASTERED_DAYS`` (FSRS expects the
      card to be remembered three weeks from now); learning = every other answered card.
      new + learning + mastered = total. Suspended cards and leeches are counted apart
      (they are also in one of the three).
    - Missed, due and new per deck follow ``quizapp.review``.

Only decks that are found (``Catalog``) are counted; records of decks that are gone stay in
the score file but are not shown.

``Stats.to_json()`` shape (``format`` 1; keys sorted; times ISO 8601 in UTC; percent may
be null where nothing was answered)::

    {"format": 1, "generated_at": str, "streak_days": int, "studied_today": bool,
     "cards": {"total", "new", "learning", "mastered", "suspended", "leeches": int},
     "decks": [{"id", "title": str, "cards", "missed", "due", "new", "suspended",
                "leeches", "sessions": int, "history": [float],
                "best"/"last"/"unfinished": null | {"score", "total", "out_of": int,
                    "percent": float, "mode": str, "at": str, "planned": int | null,
                    "finished": bool},
                "last_played": str | null}],
     "families": [{"family": str, "cards", "answers", "right", "wrong": int,
                   "percent": float | null}],
     "most_missed": [{"deck", "card", "question": str, "wrong", "right": int,
                      "leech", "suspended": bool}]}
"""

from __future__ import annotations

import json
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any

from quizapp import scheduling
from quizapp.days import LocalDates

if TYPE_CHECKING:  # plain at run time: home's first draw builds Stats before the models load
    from quizapp.models import Card, ScoreFile, SessionRecord

STATS_FORMAT = 1
FAMILIES = ("who", "where", "when", "occasion", "what", "quote", "order", "flip")
OTHER = "other"
MOST_MISSED = 10
MASTERED_DAYS = 21.0
DRILL_MODES = ("review", "due")


def percent(right: int, total: int) -> float | None:
    return round(100 * right / total, 1) if total else None


_FAMILY = {name: name for name in FAMILIES}
_KIND_FAMILIES = frozenset({"flip", "order"})


def family_of(card: Card) -> str:
    """The family a card's numbers count in: its family tag (an article's decks tag each
    card who, where, ...), else its kind when that is a family of its own (a flip or order
    card of a person's or an Anki deck), else "other"."""
    for tag in card.tags:
        if tag in _FAMILY:
            return tag
    return card.kind if card.kind in _KIND_FAMILIES else OTHER


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(timezone.utc).isoformat()


@dataclass(frozen=True)
class SessionResult:
    score: int
    total: int
    mode: str
    at: datetime  # when the session started
    planned: int | None = None  # questions the session had (None: not recorded)
    finished: bool = True  # it got to the end (a session quit early did not)

    @property
    def out_of(self) -> int:
        """The questions the score counts against: a finished session's planned questions,
        so a skipped one counts as not right (answering 1 and skipping 21 is 1/22, not
        1/1); the cards answered when the plan was not recorded."""
        return max(self.total, self.planned or 0) if self.finished else self.total

    @property
    def percent(self) -> float:
        return percent(self.score, self.out_of) or 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "total": self.total, "out_of": self.out_of,
                "percent": self.percent,
                "mode": self.mode, "at": _iso(self.at), "planned": self.planned,
                "finished": self.finished}

    @classmethod
    def of(cls, s: SessionRecord) -> SessionResult:
        return cls(s.score, s.total, s.mode, s.start, s.planned, s.finished)


@dataclass(frozen=True)
class DeckStats:
    deck_id: str
    title: str
    cards: int
    missed: int
    due: int
    new: int
    suspended: int
    leeches: int
    results: list[SessionResult] = field(default_factory=list)  # finished, oldest first
    last_played: datetime | None = None
    # The deck's latest session when it was quit before the end (and is later than every
    # finished one): shown as "3 of 76", never as a score.
    unfinished: SessionResult | None = None

    @property
    def history(self) -> list[float]:
        """Session percents, oldest first (for a chart or sparkline)."""
        return [r.percent for r in self.results]

    @property
    def best(self) -> SessionResult | None:
        # The highest percent; the earliest such session on a tie.
        return max(self.results, key=lambda r: r.percent, default=None)

    @property
    def last(self) -> SessionResult | None:
        return self.results[-1] if self.results else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.deck_id, "title": self.title, "cards": self.cards,
            "missed": self.missed, "due": self.due, "new": self.new,
            "suspended": self.suspended, "leeches": self.leeches,
            "sessions": len(self.results), "history": self.history,
            "best": self.best.to_dict() if self.best else None,
            "last": self.last.to_dict() if self.last else None,
            "unfinished": self.unfinished.to_dict() if self.unfinished else None,
            "last_played": _iso(self.last_played),
        }


@dataclass(frozen=True)
class FamilyStats:
    family: str
    cards: int
    right: int
    wrong: int

    @property
    def answers(self) -> int:
        return self.right + self.wrong

    @property
    def percent(self) -> float | None:
        return percent(self.right, self.answers)

    def to_dict(self) -> dict[str, Any]:
        return {"family": self.family, "cards": self.cards, "answers": self.answers,
                "right": self.right, "wrong": self.wrong, "percent": self.percent}


@dataclass(frozen=True)
class MissedCard:
    deck_id: str
    card_id: str
    question: str
    wrong: int
    right: int
    leech: bool
    suspended: bool

    @property
    def marks(self) -> str:
        """"leech", "suspended", both or neither, for a table cell."""
        flags = (("leech", self.leech), ("suspended", self.suspended))
        return ", ".join(name for name, on in flags if on)

    def to_dict(self) -> dict[str, Any]:
        return {"deck": self.deck_id, "card": self.card_id, "question": self.question,
                "wrong": self.wrong, "right": self.right, "leech": self.leech,
                "suspended": self.suspended}


@dataclass(frozen=True)
class CardCounts:
    new: int = 0
    learning: int = 0
    mastered: int = 0
    suspended: int = 0
    leeches: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.mastered

    def to_dict(self) -> dict[str, int]:
        return {"total": self.total, "new": self.new, "learning": self.learning,
                "mastered": self.mastered, "suspended": self.suspended,
                "leeches": self.leeches}


@dataclass(frozen=True)
class Stats:
    generated_at: datetime
    decks: list[DeckStats]
    families: list[FamilyStats]
    most_missed: list[MissedCard]
    streak_days: int
    studied_today: bool
    counts: CardCounts
    # Local date -> cards answered that day (``daily_answers``): the home heatmap.
    daily: dict[date, int] = field(default_factory=dict)

    def deck(self, deck_id: str) -> DeckStats | None:
        return next((d for d in self.decks if d.deck_id == deck_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": STATS_FORMAT,
            "generated_at": _iso(self.generated_at),
            "streak_days": self.streak_days,
            "studied_today": self.studied_today,
            "cards": self.counts.to_dict(),
            "decks": [d.to_dict() for d in self.decks],
            "families": [f.to_dict() for f in self.families],
            "most_missed": [m.to_dict() for m in self.most_missed],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, indent=2, ensure_ascii=False)


def daily_answers(scores: ScoreFile, tz: tzinfo | None = None) -> dict[date, int]:
    """Local date -> cards answered that day (each session's answered cards, on the day
    it started): what the home screen's calendar heatmap shows."""
    days: dict[date, int] = {}
    local = LocalDates(tz)
    for s in scores.sessions:
        if s.total > 0:
            day = local(s.start)
            days[day] = days.get(day, 0) + s.total
    return days


def study_streak(days: set[date], today: date) -> int:
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def is_mastered(state: Any) -> bool:
    return (
        state is not None
        and state.state == scheduling.REVIEW
        and state.stability is not None
        and state.stability >= MASTERED_DAYS
    )


def deck_results(sessions: list[SessionRecord]) -> tuple[list[SessionResult], SessionResult | None]:
    """The finished deck sessions, oldest first, and the latest session when it is an
    unfinished one (quit before the end) newer than all of them."""
    played = [s for s in sessions if s.total > 0 and s.mode not in DRILL_MODES]
    played.sort(key=lambda s: s.start)
    finished = [SessionResult.of(s) for s in played if s.finished]
    latest = played[-1] if played else None
    unfinished = SessionResult.of(latest) if latest and not latest.finished else None
    return finished, unfinished


def open_sessions(scores: ScoreFile, deck_id: str) -> set[str]:
    """The ids of the deck's in-order sessions whose end was never written: being played
    somewhere, or cut short by a kill (``resumable`` asks which are played elsewhere)."""
    return {s.id for s in scores.sessions
            if s.deck == deck_id and s.mode == "order" and s.total > 0 and s.end is None}


def resumable(scores: ScoreFile, deck_id: str,
              playing: Container[str] = ()) -> SessionRecord | None:
    """The deck's latest in-order session, when it was quit before the end (so it can go
    on where it stopped); None otherwise. Sessions in ``playing`` (another window is
    playing them now) are left out: it is the latest of the others."""
    latest = None
    for s in scores.sessions:
        if s.deck == deck_id and s.mode == "order" and s.total > 0 and s.id not in playing:
            if latest is None or (s.start, s.id) > (latest.start, latest.id):
                latest = s
    return latest if latest is not None and not latest.finished else None
