"""The numbers the last count kept on disk (``<cache folder>/stats/<name>.summary``): what
``quizapp stats``, ``quizapp due`` and the home screen's first draw show without reading
the decks or the score file. ``tally.Tally`` counts them and writes them here; see
``tally``'s module doc for when they are used.

Plain Python (no pydantic, no card model): the home screen reads them before anything
else is loaded (``kept_summary``).
"""

from __future__ import annotations

import bisect
import hashlib
import marshal
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from quizapp import paths, stats, tomlio
from quizapp.days import local_date
from quizapp.store.files import identity_on_disk, score_path

if TYPE_CHECKING:
    from collections.abc import Sequence

    from quizapp.deckindex import Glimpse

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    """Microseconds since 1970: how due times are kept (sorted, they make "due now" a
    binary search)."""
    return (moment - _EPOCH) // _US


class CountingSettings(Protocol):
    """The settings the numbers depend on (``settings.Settings``, or the settings file
    read plainly: ``settingsfile.PlainSettings``)."""

    new_per_day: int
    review_streak: int
    leech_threshold: int


@dataclass
class DeckNumbers:
    """One deck's part of a ``Summary``."""

    deck_id: str
    title: str
    cards: int
    missed: int
    suspended: int
    leeches: int
    never: int
    due_always: int
    due_times: list[int]
    introduced: dict[date, int]
    results: list[Any]
    unfinished: Any
    last_played: datetime | None


@dataclass
class Summary:
    """What ``Tally.summary`` keeps: enough to give ``Stats`` at any moment."""

    decks: list[DeckNumbers]
    families: list[Any]
    most_missed: list[Any]
    counts: Any
    days: set[date]
    daily: dict[date, int]
    new_per_day: int

    def stats(self, now: datetime, tz: tzinfo | None = None) -> stats.Stats:
        today = local_date(now, tz)
        now_us = micros(now)
        decks = [
            stats.DeckStats(
                deck_id=d.deck_id, title=d.title, cards=d.cards, missed=d.missed,
                due=d.due_always + bisect.bisect_right(d.due_times, now_us),
                new=min(d.never, max(0, self.new_per_day - d.introduced.get(today, 0))),
                suspended=d.suspended, leeches=d.leeches, results=d.results,
                last_played=d.last_played, unfinished=d.unfinished)
            for d in self.decks]
        return stats.Stats(generated_at=now, decks=decks, families=self.families,
                           most_missed=self.most_missed,
                           streak_days=stats.study_streak(self.days, today),
                           studied_today=today in self.days, counts=self.counts,
                           daily=self.daily)

    def next_due(self, deck_id: str | None = None) -> datetime | None:
        """When the next answered card falls due (``review.next_due``)."""
        firsts = [d.due_times[0] for d in self.decks
                  if d.due_times and (deck_id is None or d.deck_id == deck_id)]
        return _EPOCH + timedelta(microseconds=min(firsts)) if firsts else None


SUMMARY_VERSION = 2  # 2: flip and order cards count in their kind's family
_MAGIC = b"quizapp stats summary %d\n" % SUMMARY_VERSION


def summary_path(scores_path: Path) -> Path:
    """Where the summary for this score file is kept: the cache folder (so a read-only
    command writes nothing next to the scores)."""
    name = hashlib.sha256(str(scores_path).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return paths.cache_dir() / "stats" / f"{name}.summary"


def summary_key(scores: tuple[Any, ...] | None, decks: list[tuple[str, str, str, str]] | None,
                settings: CountingSettings) -> tuple[Any, ...] | None:
    """Everything the numbers depend on (None when some of it cannot be known)."""
    if scores is None or decks is None:
        return None
    offset = time.localtime().tm_gmtoff
    return (SUMMARY_VERSION, scores, tuple(decks), settings.new_per_day, settings.review_streak,
            settings.leech_threshold, time.tzname, offset)


def glimpsed_decks(glimpses: Sequence[Glimpse] | None) -> list[tuple[str, str, str, str]] | None:
    if glimpses is None:
        return None
    return [(g.id, g.digest, str(g.path), g.origin) for g in glimpses]


def save_summary(path: Path, key: tuple[Any, ...], summary: Summary) -> None:
    """Keep ``summary`` for ``key``; a failure to write only costs time later."""
    from quizapp.fsutil import atomic_write_bytes

    try:
        payload = marshal.dumps((repr(key), _plain(summary)))
        atomic_write_bytes(path, _MAGIC + b"%d %08x\n" % (len(payload), zlib.crc32(payload))
                           + payload)
    except (OSError, ValueError):
        pass


def load_summary(path: Path, key: tuple[Any, ...] | None) -> Summary | None:
    """The summary kept for exactly ``key``; None if there is none, it is for other
    inputs, or it does not read back."""
    if key is None:
        return None
    try:
        raw = tomlio.read_bytes(path, 256 * 1024 * 1024, "a stats summary")
        head, payload = raw[len(_MAGIC):].split(b"\n", 1)
        size, crc = head.split()
        if (not raw.startswith(_MAGIC) or len(payload) != int(size)
                or zlib.crc32(payload) != int(crc, 16)):
            return None
        kept_key, plain = marshal.loads(payload)
        if kept_key != repr(key):
            return None
        return _unplain(plain)
    except (OSError, tomlio.FileProblem, ValueError, TypeError, EOFError, IndexError, KeyError):
        return None


def _t(moment: datetime | None) -> int | None:
    return None if moment is None else micros(moment)


def _dt(us: int | None) -> datetime | None:
    return None if us is None else _EPOCH + timedelta(microseconds=us)


def _result(r: Any) -> tuple[Any, ...] | None:
    return None if r is None else (r.score, r.total, r.mode, _t(r.at), r.planned, r.finished)


def _unresult(t: Any) -> Any:
    return None if t is None else stats.SessionResult(t[0], t[1], t[2], _dt(t[3]), t[4], t[5])


def _plain(s: Summary) -> tuple[Any, ...]:
    decks = [(d.deck_id, d.title, d.cards, d.missed, d.suspended, d.leeches, d.never,
              d.due_always, d.due_times, {k.toordinal(): v for k, v in d.introduced.items()},
              [_result(r) for r in d.results], _result(d.unfinished), _t(d.last_played))
             for d in s.decks]
    families = [(f.family, f.cards, f.right, f.wrong) for f in s.families]
    most = [(m.deck_id, m.card_id, m.question, m.wrong, m.right, m.leech, m.suspended)
            for m in s.most_missed]
    c = s.counts
    return (decks, families, most, (c.new, c.learning, c.mastered, c.suspended, c.leeches),
            [d.toordinal() for d in s.days], {k.toordinal(): v for k, v in s.daily.items()},
            s.new_per_day)


def _unplain(p: tuple[Any, ...]) -> Summary:
    decks, families, most, counts, days, daily, new_per_day = p
    return Summary(
        [DeckNumbers(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], list(d[8]),
                      {date.fromordinal(k): v for k, v in d[9].items()},
                      [_unresult(r) for r in d[10]], _unresult(d[11]), _dt(d[12]))
         for d in decks],
        [stats.FamilyStats(*f) for f in families],
        [stats.MissedCard(*m) for m in most],
        stats.CardCounts(*counts),
        {date.fromordinal(d) for d in days},
        {date.fromordinal(k): v for k, v in daily.items()},
        new_per_day)


def kept_summary(scores: Path, glimpses: Sequence[Glimpse],
                 settings: CountingSettings) -> Summary | None:
    """The numbers kept by the last count of the score file ``scores``, if it, the decks
    (as the deck cache's index has them: ``deckindex.survey``) and ``settings`` are all as
    they were; None otherwise. Only ``stat`` calls and the summary file are read."""
    path = score_path(scores)
    key = summary_key(identity_on_disk(path), glimpsed_decks(glimpses), settings)
    return load_summary(summary_path(path), key)
