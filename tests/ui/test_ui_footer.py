"""FittedFooter redraws its keys when they change, and only then (Textual asks it to
recompose on every bindings update; most of them change nothing)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets._footer import FooterKey

from tests.ui.support import screen_text, wait_for
from quizapp.ui.widgets.footer import FittedFooter


class Toggle(App):
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("a", "alpha", "Alpha"), Binding("b", "beta", "Beta")]
    beta_shown = False

    def compose(self) -> ComposeResult:
        yield FittedFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.beta_shown if action == "beta" else True


async def test_the_footer_keeps_its_keys_until_they_change() -> None:
    app = Toggle()
    async with app.run_test(size=(40, 3)) as pilot:
        footer = app.query_one(FittedFooter)
        await wait_for(pilot, lambda: footer.query(FooterKey))
        keys = list(footer.query(FooterKey))
        assert [key.key for key in keys] == ["a"]
        # A bindings update that changes nothing leaves the very same key widgets.
        app.screen.refresh_bindings()
        await pilot.pause()
        assert list(footer.query(FooterKey)) == keys
        # One that shows another key redraws the footer with it.
        app.beta_shown = True
        app.screen.refresh_bindings()
        await wait_for(pilot, lambda: "Beta" in screen_text(app))
        assert [key.key for key in footer.query(FooterKey)] == ["a", "b"]
        assert "a Alpha" in screen_text(app)
