"""Helpers shared by the UI tests (no tests here): small decks in tmp_path, a fixed clock,
starting a deck through the home screen, and reading what is on screen."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from quizapp.decks import write_deck
from quizapp.models import Card, Deck, DeckInfo, ScoreFile
from quizapp.paths import Locations
from quizapp.store import ScoreStore
from quizapp.ui.app import QuizApp, make_app

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


class Clock:
    """A clock that only moves when told to (so elapsed times are fixed)."""

    def __init__(self, start: datetime = T0) -> None:
        self.t = start

    def __call__(self) -> datetime:
        return self.t

    def tick(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


def deck(deck_id: str, cards: list[dict], title: str | None = None) -> Deck:
    return Deck(deck=DeckInfo(id=deck_id, title=title or deck_id.title()),
                cards=[Card(**c) for c in cards])


CHOICE = [
    dict(id="c1", kind="choice", question="Capital of Japan?", answer="Tokyo",
         distractors=["Osaka", "Kyoto", "Nagoya"], explanation="Tokyo since 1868.",
         section="Asia"),
    dict(id="c2", kind="choice", question="Capital of France?", answer="Paris",
         distractors=["Lyon", "Nice", "Lille"], section="Europe"),
    dict(id="c3", kind="choice", question="Capital of Peru?", answer="Lima",
         distractors=["Cusco", "Arequipa"], section="America"),
]
TEXT = [
    dict(id="t1", kind="text", question="Who wrote Hamlet?", answer="Shakespeare",
         accept=["William Shakespeare"], explanation="Around 1600.", section="Plays"),
    dict(id="t2", kind="text", question="Largest planet?", answer="Jupiter", section="Space"),
]
FLIP = [
    dict(id="f1", kind="flip", question="Front one", answer="Back one"),
    dict(id="f2", kind="flip", question="Front two", answer="Back two"),
    dict(id="f3", kind="flip", question="Front three", answer="Back three"),
]
ORDER = [
    dict(id="o1", kind="order", question="Oldest first", answer=["Rome", "Paris", "Berlin"],
         explanation="Founding dates.", section="History"),
    dict(id="o2", kind="order", question="Smallest first", answer=["one", "two"]),
]


def locations(tmp_path: Path, *decks: Deck, extra: tuple[Path, ...] = ()) -> Locations:
    folder = tmp_path / "decks"
    folder.mkdir(exist_ok=True)
    for d in decks:
        write_deck(d, folder / f"{d.id}.toml")
    return Locations(
        scores=tmp_path / "data" / "scores.toml",
        user_decks=tmp_path / "user-decks",
        bundled_decks=tmp_path / "no-bundled-decks",
        extra_decks=(folder, *extra),
        settings=tmp_path / "config" / "settings.toml",
    )


def build(tmp_path: Path, *decks: Deck, clock: Clock | None = None, seed: int = 7, **kw) -> QuizApp:
    return make_app(locations(tmp_path, *decks), now=clock or Clock(), seed=seed, **kw)


async def ready(pilot: Pilot) -> None:
    """Wait until the decks and scores are loaded and the screen has settled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def wait_for(pilot: Pilot, condition: Callable[[], object], timeout: float = 20.0) -> None:
    """Wait until ``condition()`` holds (a state the app reaches, never a guessed time),
    letting the app run between checks; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the app never reached the state waited for"
        await pilot.pause(0.02)


async def start(pilot: Pilot, deck_id: str, how: str = "o") -> None:
    """From home: put the cursor on the deck, press Enter, then o / s (or n for N questions)."""
    await ready(pilot)
    table = pilot.app.screen.query_one("#decks")
    table.move_cursor(row=table.get_row_index(deck_id))
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(how)
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` as a quick typist does: the same Key events, in the same order, as
    ``pilot.press`` would send, all queued at once, then one wait for the app to settle.
    (``pilot.press`` waits for the app to go idle after every key: ~50 ms a character.)"""
    for char in text:
        key = "space" if char == " " else char if char.isalnum() else _character_to_key(char)
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        pilot.app.post_message(event)
    await pilot.pause()


def screen_text(app: QuizApp) -> str:
    """Every line currently drawn on the terminal, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def widget_text(widget) -> str:
    """The whole text a Static widget holds (even the part wrapped off screen)."""
    return str(widget.visual)


def choice_number(app: QuizApp, text: str) -> str:
    """The key (1-4) of the option showing ``text`` on the current choice question."""
    return str(app.screen.query_one("#choices").choices.index(text) + 1)


def scores(path: Path) -> ScoreFile:
    """The score file as a fresh process would read it."""
    return ScoreStore(path).load()
