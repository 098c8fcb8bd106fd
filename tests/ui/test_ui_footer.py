"""FittedFooter: the screen's keys on one line, following them as they change; a click on
a key presses it; on a narrow terminal the least important keys go first."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from tests.ui.support import screen_text, wait_for
from quizapp.ui.widgets.footer import FittedFooter


class Keys(Screen):
    BINDINGS = [Binding("a", "alpha", "Alpha"), Binding("b", "beta", "Beta"),
                Binding("g", "gamma", "Gamma"),
                *(Binding(str(n), f"pick({n})", str(n), group=Binding.Group("Pick", compact=True))
                  for n in (1, 2, 3))]
    FOOTER_PRIORITY = ("alpha", "pick", "gamma", "beta")

    def compose(self) -> ComposeResult:
        yield FittedFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "beta":  # False: not shown
            return self.app.beta_shown
        if action == "gamma":  # None: shown, but disabled
            return True if self.app.gamma_enabled else None
        return True

    def action_alpha(self) -> None:
        self.app.done.append("alpha")

    def action_beta(self) -> None:
        self.app.done.append("beta")

    def action_gamma(self) -> None:
        self.app.done.append("gamma")

    def action_pick(self, n: int) -> None:
        self.app.done.append(f"pick {n}")


class Toggle(App):
    ENABLE_COMMAND_PALETTE = False
    beta_shown = False
    gamma_enabled = True

    def __init__(self) -> None:
        super().__init__()
        self.done: list[str] = []

    def get_default_screen(self) -> Screen:
        return Keys()


def footer_line(app: App) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_footer_follows_the_keys_and_a_click_presses_one() -> None:
    app = Toggle()
    async with app.run_test(size=(60, 3)) as pilot:
        await wait_for(pilot, lambda: "Alpha" in footer_line(app))
        assert footer_line(app).startswith(" a Alpha  g Gamma   1 2 3 Pick ")
        assert "Beta" not in footer_line(app)
        # A key that becomes available shows up.
        app.beta_shown = True
        app.screen.refresh_bindings()
        await wait_for(pilot, lambda: "Beta" in footer_line(app))
        assert footer_line(app).startswith(" a Alpha  b Beta  g Gamma   1 2 3 Pick ")
        # A click on a key (its letter or its description) presses it.
        line = footer_line(app)
        await pilot.click(FittedFooter, offset=(line.index("Gamma"), 0))
        await pilot.click(FittedFooter, offset=(line.index(" 2 ") + 1, 0))
        await pilot.click(FittedFooter, offset=(line.index("b Beta"), 0))
        await wait_for(pilot, lambda: len(app.done) == 3)
        assert app.done == ["gamma", "pick 2", "beta"]
        # A disabled key is shown, and a click on it does nothing.
        app.gamma_enabled = False
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.click(FittedFooter, offset=(footer_line(app).index("Gamma"), 0))
        await pilot.pause()
        assert app.done == ["gamma", "pick 2", "beta"] and "g Gamma" in footer_line(app)


async def test_a_narrow_footer_keeps_the_keys_that_matter_most() -> None:
    app = Toggle()
    app.beta_shown = True
    async with app.run_test(size=(30, 3)) as pilot:
        await wait_for(pilot, lambda: "Alpha" in footer_line(app))
        # Beta goes first, then Gamma: what is left fits whole.
        assert footer_line(app).rstrip() == " a Alpha   1 2 3 Pick"
        await pilot.resize_terminal(35, 3)
        await wait_for(pilot, lambda: "Gamma" in footer_line(app))
        assert footer_line(app).rstrip() == " a Alpha  g Gamma   1 2 3 Pick"
