"""Shared fixtures. Every test runs with its data, decks, scores and settings in tmp_path,
so a developer's own files never leak into (or get touched by) a test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = REPO.parent / "shared" / "seeds" / "000_d8e2f6f620e095ef.txt"
UI = REPO / "tests" / "ui"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("QUIZAPP_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(home / "cache"))
    monkeypatch.delenv("QUIZAPP_SCORES", raising=False)
    monkeypatch.delenv("QUIZAPP_DECKS", raising=False)
    return home


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` starts two workers per core, not one. Most tests are Textual pilot tests,
    and a pilot spends over half its time asleep: after every key ``pilot.press`` sleeps
    in 20 ms steps until the app goes idle. On a quiet 2-core machine two workers kept
    the cores busy 44% of the time (150 s of CPU in 170 s); four overlap one worker's
    sleep with another's work. ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (cores or 1)


def pytest_configure(config: pytest.Config) -> None:
    """xdist hands out tests two at a time (``--maxschedchunk 2``) instead of a quarter of
    a worker's share up front: with the pilot tests first, one worker got 46 of them at the
    start and was still busy long after the others had finished."""
    if getattr(config.option, "maxschedchunk", 0) is None:  # not given on the command line
        config.option.maxschedchunk = 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Pilot and browser tests (tests/ui, seconds each) first, the quick unit tests after
    them, so a long test never starts last and keeps one worker busy while the others have
    finished. The order within each room is kept."""
    items.sort(key=lambda item: UI not in item.path.parents)
