"""Calendar days and the clock: which local date a moment falls on, for one moment or
for many (``LocalDates``), and ``utcnow``. Plain Python, with no quizapp import: the home
screen's first draw and the numbers the last count kept use it before the models load."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def local_date(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar date of ``moment`` in ``tz`` (None: this machine's local zone)."""
    return moment.astimezone(tz).date()


class LocalDay:
    """One local calendar day as the span of instants in it, so "was this moment on that
    day?" is two comparisons instead of a time zone conversion per card. Exact: the span
    is found from ``day``'s own midnights in ``tz``, and a moment near either end (a time
    zone change that night) is converted after all."""

    def __init__(self, day: date, tz: tzinfo | None = None) -> None:
        self.day, self.tz = day, tz
        start = _midnight(day, tz)
        end = _midnight(day + timedelta(days=1), tz)
        # Inside this window every moment's local date is ``day`` for certain; outside the
        # wider one, for certain not. The bounds are in UTC, like the moments compared
        # with them, so each comparison is a plain one (no offsets looked up).
        self._sure: tuple[datetime, datetime, datetime, datetime] | None = None
        if end - start > 2 * _SLACK:
            lo, hi = (start + _SLACK).astimezone(timezone.utc), (end - _SLACK).astimezone(timezone.utc)
            self._sure = (lo, hi, lo - 2 * _SLACK, hi + 2 * _SLACK)

    def __contains__(self, moment: datetime) -> bool:
        sure = self._sure
        if sure is not None:
            if sure[0] <= moment < sure[1]:
                return True
            if moment < sure[2] or moment >= sure[3]:
                return False
        return local_date(moment, self.tz) == self.day


_SLACK = timedelta(hours=3)
_HOUR = timedelta(hours=1)
_TICK = timedelta(microseconds=1)


class LocalDates:
    """Local calendar dates of many moments, with one time zone conversion per hour
    rather than per moment. Exact: when the first and last instant of a UTC hour have the
    same UTC offset and the same local date, every instant of that hour has that date (a
    zone changes its offset at most once an hour, so the offset is the same throughout);
    in any other hour (a change of offset, or local midnight inside the hour, as in zones
    offset by half an hour) each moment is converted on its own."""

    def __init__(self, tz: tzinfo | None = None) -> None:
        self.tz = tz
        self._days: dict[float, date | None] = {}

    def __call__(self, moment: datetime) -> date:
        if moment.tzinfo is None:
            return local_date(moment, self.tz)
        hour = moment.timestamp() // 3600
        try:
            day = self._days[hour]
        except KeyError:
            day = self._days[hour] = self._whole_hour(hour)
        return local_date(moment, self.tz) if day is None else day

    def _whole_hour(self, hour: float) -> date | None:
        first = _EPOCH + timedelta(hours=hour)
        last = first + _HOUR - _TICK
        first_local, last_local = first.astimezone(self.tz), last.astimezone(self.tz)
        if first_local.utcoffset() != last_local.utcoffset():
            return None
        return first_local.date() if first_local.date() == last_local.date() else None


def _midnight(day: date, tz: tzinfo | None) -> datetime:
    naive = datetime.combine(day, time())
    return naive.astimezone() if tz is None else naive.replace(tzinfo=tz)
