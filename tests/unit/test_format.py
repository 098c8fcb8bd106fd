"""The words the screens use for times and durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.format import duration, percent, when

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (83.9, "1:23"), (3725, "1:02:05")])
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text


def test_percent() -> None:
    assert (percent(2, 3), percent(0, 0)) == ("67%", "–")


def test_when_is_relative_when_recent_and_local_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    # (a context of its own: monkeypatch.undo() would also undo conftest's isolated home)
    with monkeypatch.context() as mp:
        mp.setenv("TZ", "UTC")
        time.tzset()
        try:
            assert when(None, NOW) == "never"
            assert when(NOW - timedelta(seconds=20), NOW) == "just now"
            assert when(NOW - timedelta(minutes=42), NOW) == "42 min ago"
            assert when(NOW - timedelta(hours=3), NOW) == "today 09:00"
            assert when(NOW - timedelta(hours=20), NOW) == "yesterday 16:00"
            assert when(NOW - timedelta(days=3), NOW) == "3 days ago"
            assert when(NOW - timedelta(days=40), NOW) == "2026-10-19"
        finally:
            mp.undo()
            time.tzset()
