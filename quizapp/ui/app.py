"""The Textual app: ``make_app`` builds it for the command line and for tests.

The app holds the ``Workspace`` (decks, settings, score store, clock) and decides where to
go: screens post ``ui.messages`` (play this plan, browse that deck, the session is over)
and the app answers them by starting sessions through the workspace and moving between
screens: home -> question -> summary. It never reads or writes a file itself.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from quizapp import signals
from quizapp.decks import Catalog, DeckEntry
from quizapp.models import ScoreFile
from quizapp.paths import Locations
from quizapp.plan import PlayPlan
from quizapp.session import Session, deck_rivals, utcnow
from quizapp.settings import Settings, SettingsError
from quizapp.stats import Stats
from quizapp.store import ScoreFileError, ScoreStore
from quizapp.ui import messages
from quizapp.ui.screens.error import ErrorScreen
from quizapp.ui.screens.home import HomeScreen
from quizapp.workspace import NothingToPlay, Workspace

if TYPE_CHECKING:
    from quizapp.ui.dialogs.start import StartChoice
    from quizapp.ui.screens.question import QuestionScreen

# The home screen is all a start needs: the question, summary and dialog screens and the
# palette's commands are imported when first used (``_question_screen`` and the methods
# below), so a start imports less.


def nothing_words(nothing: NothingToPlay) -> tuple[str, str]:
    """The app's words (title, message) for a plan that gives no session."""
    plan = nothing.plan
    where = plan.deck_id or "any deck"
    reason = nothing.reason
    if reason == "unknown-deck":
        return "No such deck", f"No deck with the id {plan.deck_id!r}."
    if reason == "all-suspended":
        return "Nothing to play", (f"Every card of {plan.deck_id} is suspended: unsuspend one in "
                                   "Stats (t) to play this deck.")
    if reason == "nothing-left":
        return "Nothing to resume", (f"{plan.deck_id} has no card left after question "
                                     f"{nothing.asked}.")
    if reason == "nothing-due":
        return "Nothing due", (f"Nothing due in {where} right now: come back later, or play the "
                               "deck for practice.")
    if reason == "never-played":
        return "Nothing to review", (f"Nothing to review in {where} yet: play it first, and any "
                                     "card you miss will wait here.")
    if reason == "missed-suspended":
        return "Nothing to review", (f"Nothing to review in {where}: the only cards you missed "
                                     "are suspended (unsuspend one in Stats, t).")
    if reason == "never-missed":
        return "Nothing to review", f"Nothing missed in {where}: no card to review. Well done!"
    times = "once" if nothing.streak == 1 else f"{nothing.streak} times in a row"
    return "Nothing to review", (f"Nothing to review in {where}: every card you missed has since "
                                 f"been answered right {times}. Well done!")


def _question_screen() -> type[QuestionScreen]:
    from quizapp.ui.screens.question import QuestionScreen

    return QuestionScreen


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
        self.workspace = workspace or Workspace(locations, clock=now)
        self.start_plan = plan
        self.start_session = session  # already started by the command line
        self.seed = seed
        self.refused = False  # the score file cannot be used: nothing may be played
        self.shown_once = False  # the decks have been shown (and the start plan played)
        self.home = HomeScreen(self.workspace)
        # Sessions shown whose end is not written yet: however the app ends (ctrl+q,
        # SIGTERM, SIGHUP, a served tab closed), their end is written on the way out.
        self._open_sessions: dict[str, Session] = {}
        self._remove_signal_handlers: Callable[[], None] = lambda: None

    # What the tests and the screens read: all of it is the workspace's.
    @property
    def locations(self) -> Locations:
        return self.workspace.locations

    @property
    def store(self) -> ScoreStore:
        return self.workspace.store

    @property
    def catalog(self) -> Catalog | None:
        return self.workspace.catalog if self.shown_once else None

    @property
    def settings(self) -> Settings:
        return self.workspace.settings

    @property
    def scores(self) -> ScoreFile:
        return self.workspace.scores

    def now(self) -> datetime:
        return self.workspace.clock()

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        self._remove_signal_handlers = signals.on_ending_signals(self._ending_signal)
        workspace = self.workspace
        if not workspace.loaded:
            workspace.load_settings()
        if workspace.settings_error is not None:
            self.notify(f"{workspace.settings_error} (using defaults; theme changes are not saved)",
                        severity="error", markup=False, timeout=10)
        if workspace.settings.theme in self.available_themes:
            self.theme = workspace.settings.theme
        self.push_screen(self.home)
        if workspace.loaded:
            self._loaded()
        else:
            self.load_data()

    @work(thread=True, exclusive=True, group="load")
    def load_data(self) -> None:
        """Find the decks and read the score file, off the UI thread."""
        try:
            self.workspace.read_data()
        except ScoreFileError as exc:
            self.call_from_thread(self._refuse, str(exc))
            return
        stats = self.workspace.stats()
        # What is loaded now lives as long as the app: the garbage collector need not
        # look at it again (with 100,000 cards every full collection would stall the UI).
        gc.collect()
        gc.freeze()
        self.call_from_thread(self._loaded, stats)
        for entry in self.workspace.catalog.entries:  # so the first typed answer need not wait
            deck_rivals(entry.deck)

    def _refuse(self, message: str) -> None:
        self.refused = True
        self.push_screen(ErrorScreen(message))

    def _loaded(self, stats: Stats | None = None) -> None:
        first_time = not self.shown_once
        self.shown_once = True
        self.refresh_home(stats)
        if not first_time:
            return
        for notice in self.workspace.score_notices:
            self.notify(notice, severity="warning", markup=False, timeout=15)
        # A long journal (someone who always closes the terminal) is folded now, in a
        # thread, rather than only at a session's normal end.
        self.compact_scores()
        plan, session = self.start_plan, self.start_session
        if plan is not None and session is not None:
            self.show_session(session, plan)
        elif plan is not None:
            self.play(plan)

    def recovered_notices(self) -> list[str]:
        return self.workspace.score_notices

    def refresh_home(self, stats: Stats | None = None) -> None:
        """Show the current decks and scores at home (``stats``: their numbers, if known)."""
        if self.shown_once:
            self.home.show(self.recovered_notices(), stats)

    # ------------------------------------------------------------------ playing

    def ask_how_to_play(self, entry: DeckEntry) -> None:
        if self.refused:
            return

        def chosen(choice: StartChoice | None) -> None:
            if choice is not None:
                self.play(PlayPlan("deck", entry.id, choice.mode, choice.limit,
                                   resume=choice.resume))

        point = self.workspace.resume_point(entry)
        from quizapp.ui.dialogs.start import StartDeckScreen

        self.push_screen(StartDeckScreen(entry, point[0] if point else None,
                                         at=point[1:] if point else None), chosen)

    def play(self, plan: PlayPlan, *, replace: bool = False) -> None:
        """Start a session; ``replace`` swaps it in for the current screen (the summary)."""
        if self.refused or not self.shown_once:
            return
        started = self.workspace.start(plan, seed=self.seed)
        if isinstance(started, NothingToPlay) and started.reason == "nothing-to-resume":
            self.notify(f"Nothing to resume in {plan.deck_id}: its last in-order session was "
                        "finished. Starting from the first card.", markup=False)
            plan = dataclasses.replace(plan, resume=False)
            started = self.workspace.start(plan, seed=self.seed)
        if isinstance(started, NothingToPlay):
            title, message = nothing_words(started)
            severity = "error" if started.reason == "unknown-deck" else "information"
            self.notify(message, title=title, severity=severity, markup=False)
            return
        self.show_session(started, plan, replace=replace)

    def show_session(self, session: Session, plan: PlayPlan, *, replace: bool = False) -> None:
        self._open_sessions[session.id] = session
        screen = _question_screen()(session, plan)
        if replace:
            self.switch_screen(screen)
        else:
            self.go_home()
            self.push_screen(screen)

    def finish(self, session: Session) -> None:
        """Write the session's end record; a failure is told, never fatal (the answers
        themselves are already on disk)."""
        self._open_sessions.pop(session.id, None)
        try:
            self.workspace.finish(session)
        except (OSError, ScoreFileError) as exc:
            self.notify(f"The end of the session could not be saved: {exc}",
                        severity="error", markup=False, timeout=15)

    def _ending_signal(self, signum: int) -> None:
        """SIGTERM or SIGHUP (the terminal was closed): end like ctrl+q, without asking.
        The open session's end is written first, then the app exits and Textual puts the
        terminal back (normal screen, mouse off, cursor shown, cooked mode)."""
        for session in list(self._open_sessions.values()):
            self.finish(session)
        if signum != signals.TERMINATE:
            # The terminal is gone: Textual's shutdown can wait forever on output that
            # no terminal will take. Everything is on disk (fsynced), so go if it does.
            signals.exit_soon(signals.exit_code(signum))
        self.exit(return_code=signals.exit_code(signum))

    def on_unmount(self) -> None:
        """However the app ends, write the end of a session still open."""
        self._remove_signal_handlers()
        for session in list(self._open_sessions.values()):
            self.finish(session)
        gc.unfreeze()  # the app is gone: what it held (frozen after loading) may be collected

    def end_session_and_exit(self, session: Session) -> None:
        """Quit from a question: the answers are on disk already; write the session's end."""
        self.finish(session)
        self.exit()

    @work(thread=True, exclusive=True, group="compact")
    def compact_scores(self) -> None:
        """Fold the journal into the score file when it has grown (O(file): a thread).
        If that fails the journal simply stays, and nothing is lost: say so."""
        try:
            self.workspace.compact(elsewhere=True)  # the screen never waits for it
        except (OSError, ScoreFileError) as exc:
            self.call_from_thread(self.notify, f"The score file could not be tidied up: {exc}",
                                  severity="warning", markup=False)

    def go_home(self) -> None:
        if self.refused:
            return
        while len(self.screen_stack) > 1 and self.screen is not self.home:
            current = self.screen
            if isinstance(current, _question_screen()):
                self.finish(current.session)
            self.pop_screen()
        self.refresh_home()

    # ------------------------------------------------------------------ what screens ask

    @on(messages.Play)
    def _play(self, message: messages.Play) -> None:
        self.play(message.plan, replace=message.replace)

    @on(messages.ChooseHowToPlay)
    def _choose(self, message: messages.ChooseHowToPlay) -> None:
        entry = self.workspace.catalog.get(message.deck_id)
        if entry is not None:
            self.ask_how_to_play(entry)

    @on(messages.Browse)
    def _browse(self, message: messages.Browse) -> None:
        entry = self.workspace.catalog.get(message.deck_id)
        if entry is not None:
            self.browse(entry)

    @on(messages.GoHome)
    def _go_home(self) -> None:
        self.go_home()

    @on(messages.SessionOver)
    def _session_over(self, message: messages.SessionOver) -> None:
        self.finish(message.session)
        self.compact_scores()
        self.refresh_home()
        from quizapp.ui.screens.summary import SummaryScreen

        self.switch_screen(SummaryScreen(message.session, message.plan))

    @on(messages.QuitDuringSession)
    def _quit_during_session(self, message: messages.QuitDuringSession) -> None:
        self.end_session_and_exit(message.session)

    @on(messages.DataChanged)
    def _data_changed(self, message: messages.DataChanged) -> None:
        if message.decks:
            self.reload_decks()
        else:
            self.refresh_home()

    @work(thread=True, exclusive=True, group="decks")
    def reload_decks(self) -> None:
        """Find the decks again (a file added, fixed or removed since), off the UI thread:
        cheap, unchanged files come from the deck cache. The scores stay as they are."""
        if self.refused or not self.shown_once:
            return
        self.workspace.reload_decks()
        stats = self.workspace.stats()  # counted here, off the UI thread
        self.call_from_thread(self.refresh_home, stats)

    @on(messages.OpenStats)
    def _open_stats(self) -> None:
        self.action_stats()

    @on(messages.OpenImport)
    def _open_import(self) -> None:
        self.action_import_deck()

    # ------------------------------------------------------------------ other screens

    def browse(self, entry: DeckEntry) -> None:
        """Show the cards of a deck (editable unless it is bundled)."""
        from quizapp.ui.screens.browser import BrowserScreen

        if self.refused:
            return
        if self.screen is not self.home:
            self.go_home()
        self.push_screen(BrowserScreen(entry))

    def action_import_deck(self) -> None:
        """Ask for a file and import it into the user decks folder."""
        from quizapp.ui.dialogs.import_deck import ImportScreen

        if self.refused or not self.shown_once:
            return
        self.push_screen(ImportScreen(self.workspace))

    def action_stats(self) -> None:
        """Show progress: accuracy per deck and family, most-missed cards, leeches, streak."""
        from quizapp.ui.screens.stats import StatsScreen

        if self.refused or not self.shown_once:
            return
        if self.screen is not self.home:
            self.go_home()
        self.push_screen(StatsScreen(self.workspace))

    # ------------------------------------------------------------------ app-wide actions

    def action_request_quit(self) -> None:
        """ctrl+q: during a question, ask first; with a dialog already open over a session
        (a second ctrl+q), end the session properly and quit; elsewhere, quit."""
        playing = next((s for s in self.screen_stack if isinstance(s, _question_screen())), None)
        if playing is None:
            self.exit()
        elif self.screen is playing:
            playing.action_confirm_quit()
        else:
            self.end_session_and_exit(playing.session)

    async def action_quit(self) -> None:
        """Textual's own Quit (the palette offers it): the same as ctrl+q, so that quitting
        during a session asks first and writes the session's end."""
        self.action_request_quit()

    def action_help(self) -> None:
        """?/F1: every key of the current screen, read from its bindings."""
        from quizapp.ui.dialogs.help import HelpScreen, keys_of

        screen = self.screen
        if not isinstance(screen, HelpScreen):
            name = getattr(screen, "HELP_NAME", "") or screen.sub_title or self.title
            self.push_screen(HelpScreen(name, keys_of(screen)))

    def action_exit_with_error(self) -> None:
        self.exit(return_code=1)

    def action_home(self) -> None:
        self.go_home()

    def watch_theme(self, theme: str) -> None:
        if theme == self.workspace.settings.theme:
            return
        try:
            self.workspace.save_theme(theme)
        except (SettingsError, OSError) as exc:
            self.notify(f"The theme was not saved: {exc}", severity="warning", markup=False)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not self.refused and self.shown_once:
            from quizapp.ui.palette import quiz_commands

            yield from quiz_commands(self.workspace, self.post_after_asking)

    def post_after_asking(self, message: Message) -> None:
        """What a palette command asks for: during a session, only once the person has
        said yes to ending it (its end is then written on the way)."""
        playing = next((s for s in self.screen_stack if isinstance(s, _question_screen())), None)
        if playing is None:
            self.post_message(message)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(message)

        from quizapp.ui.dialogs.confirm import ConfirmScreen

        self.push_screen(ConfirmScreen(f"End this session first? {playing.saved_line()}",
                                       "End session", "Keep playing"), answered)


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
