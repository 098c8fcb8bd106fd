"""The screens that the other resize tests do not reach (home, the start dialog, the palette,
the browser, the card form and the import screen) survive a terminal made very small and
work again at 80x24."""

from __future__ import annotations

from pathlib import Path

from tests.ui.support import CHOICE, build, deck, ready, screen_text
from textual.command import CommandPalette

from quizapp.ui.dialogs.card_form import CardForm
from quizapp.ui.dialogs.import_deck import ImportScreen
from quizapp.ui.dialogs.start import StartDeckScreen
from quizapp.ui.screens.browser import BrowserScreen
from quizapp.ui.screens.home import HomeScreen

SIZES = [(1, 1), (9, 4), (20, 6)]


async def _shrink_and_back(pilot) -> None:
    for width, height in SIZES:
        await pilot.resize_terminal(width, height)
        await pilot.pause()
    await pilot.resize_terminal(80, 24)
    await pilot.pause()
    assert pilot.app.is_running


async def test_every_other_screen_survives_a_tiny_terminal(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE, title="Capitals"))
    async with app.run_test() as pilot:
        await ready(pilot)
        await _shrink_and_back(pilot)
        assert isinstance(app.screen, HomeScreen) and "Capitals" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartDeckScreen)
        await _shrink_and_back(pilot)
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await _shrink_and_back(pilot)
        await pilot.press("escape", "b")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        await _shrink_and_back(pilot)
        assert "Capital of Japan?" in screen_text(app)
        app.screen.query_one("#cards").focus()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, CardForm)
        await _shrink_and_back(pilot)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape", "i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        await _shrink_and_back(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
