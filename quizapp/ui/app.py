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

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from quizapp.decks import Catalog
from quizapp.paths import Locations
from quizapp.plan import PlayPlan
from quizapp.session import Session, utcnow
from quizapp.settings import Settings, SettingsError
from quizapp.store import ScoreStore
from quizapp.ui import messages
from quizapp.ui.loading import Loading
from quizapp.ui.navigator import Navigator
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.sessions import OpenSessions
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
        self.workspace = workspace = workspace or Workspace(locations, clock=now)
        self.home = HomeScreen(workspace)
        self.sessions = OpenSessions(self, workspace)
        self.navigator = Navigator(self, workspace, self.home, self.sessions, seed=seed)
        self.loading = Loading(self, workspace, self.navigator, self.sessions, plan, session)

    # What the tests read: all of it is the workspace's.
    @property
    def locations(self) -> Locations:
        return self.workspace.locations

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
        return self.workspace.clock()

    # ------------------------------------------------------------------ the app's life

    async def on_mount(self) -> None:
        self.sessions.watch_signals()
        workspace = self.workspace
        if not workspace.loaded:
            workspace.load_settings()
        if workspace.settings_error is not None:
            self.notify(f"{workspace.settings_error} (using defaults; theme changes are not saved)",
                        severity="error", markup=False, timeout=10)
        if workspace.settings.theme in self.available_themes:
            self.theme = workspace.settings.theme
        # Home is composed before anything is shown in it: a quick load (or a slow first
        # paint) must not fill a table that does not exist yet.
        await self.push_screen(self.home)
        self.loading.start()

    def on_unmount(self) -> None:
        """However the app ends, write the end of a session still open."""
        self.sessions.close()
        self.loading.close()

    def watch_theme(self, theme: str) -> None:
        """Remember a theme chosen in the palette (settings.toml keeps its comments)."""
        if theme == self.workspace.settings.theme:
            return
        try:
            self.workspace.save_theme(theme)
        except (SettingsError, OSError) as exc:
            self.notify(f"The theme was not saved: {exc}", severity="warning", markup=False)

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
