"""The command palette's main actions not played elsewhere: review the missed cards of every
deck, browse a deck, import a deck (play, due, stats, theme and quit have their own tests)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.ui.support import (
    CHOICE,
    T0,
    TEXT,
    Clock,
    build,
    deck,
    ready,
    scores,
    type_text,
)

from quizapp.models import AnswerEvent
from quizapp.store import ScoreStore
from quizapp.ui.dialogs.import_deck import ImportScreen
from quizapp.ui.screens.browser import BrowserScreen
from quizapp.ui.screens.question import QuestionScreen
from quizapp.ui.screens.summary import SummaryScreen


async def _palette(pilot, words: str) -> None:
    await ready(pilot)
    await pilot.press("ctrl+p")
    await type_text(pilot, words)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_review_missed_from_the_palette_drills_every_deck_until_right(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE), deck("words", TEXT), clock=Clock(T0))
    store = ScoreStore(app.locations.scores)
    for deck_id, card in (("caps", "c2"), ("words", "t1")):
        store.append(AnswerEvent(deck=deck_id, card=card, session="s0",
                                 at=T0 - timedelta(hours=1), result="wrong"))
    async with app.run_test() as pilot:
        await _palette(pilot, "review missed")
        screen = app.screen
        assert isinstance(screen, QuestionScreen) and screen.session.mode == "review"
        answers = {("caps", "c2"): "Paris", ("words", "t1"): "Shakespeare"}
        asked: list[tuple[str, str]] = []
        while isinstance(app.screen, QuestionScreen):
            item = app.screen.session.current
            asked.append(item.key)
            assert len(asked) <= 3, asked  # a right answer ends the drill of that card
            missed_once = item.key == ("words", "t1") and asked.count(item.key) == 1
            if item.card.kind == "choice":
                number = app.screen.session.choices().index(answers[item.key]) + 1
                await pilot.press(str(number), "enter")
            else:  # the typed card is missed once, so it comes back in a second round
                await type_text(pilot, "Marlowe" if missed_once else answers[item.key])
                await pilot.press("enter", "enter")
            await pilot.pause()
        assert sorted(asked) == [("caps", "c2"), ("words", "t1"), ("words", "t1")]
        assert isinstance(app.screen, SummaryScreen)
    saved = scores(app.locations.scores)
    assert saved.cards["caps"]["c2"].last_result == "right"
    assert (saved.cards["words"]["t1"].wrong, saved.cards["words"]["t1"].last_result) == (2, "right")
    assert saved.sessions[-1].mode == "review"


async def test_browse_and_import_from_the_palette(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test(size=(110, 34)) as pilot:
        await _palette(pilot, "browse caps")
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("escape")
        await pilot.pause()
        await _palette(pilot, "import a deck")
        assert isinstance(app.screen, ImportScreen)
