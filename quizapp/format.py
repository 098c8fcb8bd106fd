"""Small pure helpers that turn numbers and times into the words both front ends show
(the app's screens and plain mode), so a time reads the same everywhere."""

from __future__ import annotations

from datetime import datetime, timedelta


def duration(seconds: float) -> str:
    """``83`` -> ``1:23``; ``3725`` -> ``1:02:05``."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def percent(score: int, total: int) -> str:
    return f"{round(100 * score / total)}%" if total else "–"


def when(moment: datetime | None, now: datetime) -> str:
    """When something happened, for a person: relative if recent, else local date and time."""
    if moment is None:
        return "never"
    local, local_now = moment.astimezone(), now.astimezone()
    ago = now - moment
    if ago < timedelta(seconds=0):
        return local.strftime("%Y-%m-%d %H:%M")
    if ago < timedelta(minutes=1):
        return "just now"
    if ago < timedelta(hours=1):
        return f"{int(ago.total_seconds() // 60)} min ago"
    if local.date() == local_now.date():
        return local.strftime("today %H:%M")
    if local.date() == (local_now - timedelta(days=1)).date():
        return local.strftime("yesterday %H:%M")
    days = (local_now.date() - local.date()).days
    if days < 7:
        return f"{days} days ago"
    return local.strftime("%Y-%m-%d")
