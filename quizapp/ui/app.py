"""The Textual app: ``make_app`` builds it for the command line and for tests.

The app wires; it does no work of its own. It holds the ``Workspace`` (decks, settings,
score store, clock) and three helpers, and hands each message a screen posts
(``ui.messages``) and each app-wide key to the one that deals with it:

- ``Loading`` reads the data at start (in a thread) and again when decks change;
- ``Navigator`` starts sessions through the workspace and moves between screens;
- ``OpenSessions`` writes a session's end however the app ends, and folds the journal.

It never reads or writes a file itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from quizapp.days import utcnow
from quizapp.errors import SettingsError
from quizapp.paths import Locations
from quizapp.settingsfile import read_plainly
from quizapp.ui import messages
from quizapp.ui.lazyworkspace import LazyWorkspace
from quizapp.ui.loading import Loading
from quizapp.ui.navigator import Navigator
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.sessions import OpenSessions

if TYPE_CHECKING:
    from quizapp.plan import PlayPlan
    from quizapp.decks import Catalog
    from quizapp.session import Session
    from quizapp.settings import Settings
    from quizapp.store import ScoreStore
    from quizapp.workspace import Workspace


class QuizApp(App[None]):
    CSS_PATH = "quizapp.tcss"
    TITLE = "quizapp"
    BINDINGS = [
        Binding("ctrl+q", "request_quit", "Quit", priority=True, show=False),
        Binding("question_mark,f1", "help", "Help"),
    ]

    def __init__(
        self,
        locations: Locations,
        plan: PlayPlan | None = None,
        *,
        now: Callable[[], datetime] = utcnow,
        seed: int | None = None,
        workspace: Workspace | None = None,
        session: Session | None = None,
    ) -> None:
        super().__init__()
        # Made in the loading thread, after home's first draw (see ``ui.lazyworkspace``).
        self.lazy = lazy = LazyWorkspace(locations, now, workspace)
        self.home = HomeScreen(lazy)
        self.sessions = OpenSessions(self, lazy)
        self.navigator = Navigator(self, lazy, self.home, self.sessions, seed=seed)
        self.loading = Loading(self, lazy, self.navigator, self.sessions, plan, session,
                               settings_read=self._settings_read)
        # The theme the settings file names, as far as it is known (read plainly at
        # mount, then by the workspace); one picked in the palette before the workspace
        # read the settings is saved once it has.
        self._settings_theme: str | None = None
        self._settings_known = False
        self._picked_theme: str | None = None

    @property
    def workspace(self) -> Workspace:
        return self.lazy.get()

    # What the tests read: all of it is the workspace's.
    @property
    def locations(self) -> Locations:
        return self.lazy.locations

    @property
    def store(self) -> ScoreStore:
        return self.workspace.store

    @property
    def catalog(self) -> Catalog | None:
        """The decks, once they are shown at home."""
        return self.workspace.catalog if self.navigator.ready else None

    @property
    def settings(self) -> Settings:
        return self.workspace.settings

    def now(self) -> datetime:
        return self.lazy.clock()

    # ------------------------------------------------------------------ the app's life

    async def on_mount(self) -> None:
        self.sessions.watch_signals()
        lazy = self.lazy
        if lazy.made and lazy.get().loaded:  # a command opened the workspace already
            self._settings_read()
            plain = None
        else:
            # The settings file read plainly: its theme now, and the settings the kept
            # numbers depend on, when it is certainly valid (else the workspace reads it,
            # and words what is wrong with it, once the models are loaded).
            plain = read_plainly(lazy.locations.settings)
            if plain is not None:
                self._settings_theme = plain.theme
                self._use_theme(plain.theme)
        self.loading.start(plain)

    def get_default_screen(self) -> Screen:
        return self.home

    def _settings_read(self) -> None:
        """The workspace has read the settings: say what is wrong with the file, and use
        its theme (or save the one picked meanwhile)."""
        workspace = self.workspace
        if workspace.settings_error is not None:
            self.notify(f"{workspace.settings_error} (using defaults; theme changes are not saved)",
                        severity="error", markup=False, timeout=10)
        self._settings_theme, self._settings_known = workspace.settings.theme, True
        picked, self._picked_theme = self._picked_theme, None
        if picked is not None:
            self.watch_theme(picked)
        else:
            self._use_theme(workspace.settings.theme)

    def _use_theme(self, theme: str) -> None:
        if theme in self.available_themes:
            self.theme = theme

    def on_unmount(self) -> None:
        """However the app ends, write the end of a session still open."""
        self.sessions.close()
        self.loading.close()

    def watch_theme(self, theme: str) -> None:
        """Remember a theme chosen in the palette (settings.toml keeps its comments)."""
        if theme == self._settings_theme:
            return
        if not self._settings_known:
            self._picked_theme = theme  # saved once the settings are read
            return
        try:
            self.workspace.save_theme(theme)
        except (SettingsError, OSError) as exc:
            self.notify(f"The theme was not saved: {exc}", severity="warning", markup=False)
        self._settings_theme = self.workspace.settings.theme

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.navigator.can_leave_home:
            from quizapp.ui.palette import quiz_commands

            yield from quiz_commands(self.workspace, self.navigator.post_after_asking)

    # ------------------------------------------------------------------ what screens ask

    @on(messages.Play)
    def _play(self, message: messages.Play) -> None:
        self.navigator.play(message.plan, replace=message.replace)

    @on(messages.ChooseHowToPlay)
    def _choose(self, message: messages.ChooseHowToPlay) -> None:
        self.navigator.ask_how_to_play(message.deck_id)

    @on(messages.Browse)
    def _browse(self, message: messages.Browse) -> None:
        self.navigator.browse(message.deck_id)

    @on(messages.GoHome)
    def _go_home(self) -> None:
        self.navigator.go_home()

    @on(messages.SessionOver)
    def _session_over(self, message: messages.SessionOver) -> None:
        self.navigator.session_over(message.session, message.plan)

    @on(messages.QuitDuringSession)
    def _quit_during_session(self, message: messages.QuitDuringSession) -> None:
        self.sessions.finish_and_exit(message.session)

    @on(messages.DataChanged)
    def _data_changed(self, message: messages.DataChanged) -> None:
        if message.decks:
            self.loading.reload_decks()
        else:
            self.navigator.refresh_home()

    @on(messages.OpenStats)
    def _open_stats(self) -> None:
        self.navigator.stats()

    @on(messages.OpenImport)
    def _open_import(self) -> None:
        self.navigator.import_deck()

    # ------------------------------------------------------------------ app-wide keys

    def action_request_quit(self) -> None:
        self.navigator.request_quit()

    async def action_quit(self) -> None:
        """Textual's own Quit (the palette offers it): the same as ctrl+q, so that quitting
        during a session asks first and writes the session's end."""
        self.navigator.request_quit()

    def action_help(self) -> None:
        """?/F1: every key of the current screen, read from its bindings."""
        self.navigator.help()

    def action_exit_with_error(self) -> None:
        self.exit(return_code=1)


def make_app(
    locations: Locations,
    plan: PlayPlan | None = None,
    *,
    now: Callable[[], datetime] = utcnow,
    seed: int | None = None,
    workspace: Workspace | None = None,
    session: Session | None = None,
) -> QuizApp:
    """The one way to build the app (command line and tests), on the home screen or
    straight into ``plan``. ``now`` and ``seed`` make tests deterministic: a fixed clock
    freezes the elapsed time, a seed the shuffles. A command that has opened the
    ``workspace`` and started the ``session`` already passes them, so nothing is loaded
    twice."""
    return QuizApp(locations, plan, now=now, seed=seed, workspace=workspace, session=session)
