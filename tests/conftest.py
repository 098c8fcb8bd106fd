"""Shared fixtures. Every test runs with its data, decks, scores and settings in tmp_path,
so a developer's own files never leak into (or get touched by) a test."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = REPO.parent / "shared" / "seeds" / "000_d8e2f6f620e095ef.txt"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("QUIZAPP_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(home / "cache"))
    monkeypatch.delenv("QUIZAPP_SCORES", raising=False)
    monkeypatch.delenv("QUIZAPP_DECKS", raising=False)
    return home
