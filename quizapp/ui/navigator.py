"""Where the app goes: home -> question -> summary, and the screens beside them.

The ``Navigator`` answers what the screens ask (``ui.messages``, forwarded by the app):
it starts sessions through the ``Workspace`` (or words why there is nothing to play),
shows the question, summary, browser, stats and import screens, and brings the person
home, ending a session under way on the way (``OpenSessions``). Until the decks and
scores have been shown (``ready``) there is nowhere to go; once the score file was
refused (``refused``), nowhere ever.

Screens beyond home are imported when first used, so a start imports less.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.message import Message
from textual.screen import Screen

from quizapp.ui.lazyworkspace import LazyWorkspace
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.sessions import OpenSessions

if TYPE_CHECKING:
    from quizapp.plan import PlayPlan
    from quizapp.session import Session
    from quizapp.stats import Stats
    from quizapp.ui.dialogs.start import StartChoice
    from quizapp.ui.screens.question import QuestionScreen
    from quizapp.workspace import NothingToPlay, Workspace


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


class Navigator:
    """The app's moves between screens (see the module doc)."""

    def __init__(self, app: App[None], lazy: LazyWorkspace, home: HomeScreen,
                 sessions: OpenSessions, *, seed: int | None = None) -> None:
        self.app = app
        self.lazy = lazy
        self.home = home
        self.sessions = sessions
        self.seed = seed
        self.ready = False  # the decks and scores have been shown at home
        self.refused = False  # the score file cannot be used: nothing may be played

    @property
    def workspace(self) -> Workspace:
        return self.lazy.get()

    @property
    def can_leave_home(self) -> bool:
        return self.ready and not self.refused

    def refuse(self, message: str) -> None:
        """The score file cannot be used: say why, and go nowhere from now on."""
        from quizapp.ui.screens.error import ErrorScreen

        self.refused = True
        self.app.push_screen(ErrorScreen(message))

    def refresh_home(self, stats: Stats | None = None) -> None:
        """Show the current decks and scores at home (``stats``: their numbers, if known)."""
        if self.ready:
            self.home.show(self.workspace.score_notices, stats)

    def playing(self) -> QuestionScreen | None:
        """The question screen of the session under way, if any (under a dialog too)."""
        question = _question_screen()
        return next((s for s in self.app.screen_stack if isinstance(s, question)), None)

    # ------------------------------------------------------------------ playing

    def ask_how_to_play(self, deck_id: str) -> None:
        entry = self.workspace.catalog.get(deck_id) if self.can_leave_home else None
        if entry is None:
            return

        def chosen(choice: StartChoice | None) -> None:
            from quizapp.plan import PlayPlan  # (made when a person plays, not at start)

            if choice is not None:
                self.play(PlayPlan("deck", entry.id, choice.mode, choice.limit,
                                   resume=choice.resume))

        point = self.workspace.resume_point(entry)
        from quizapp.ui.dialogs.start import StartDeckScreen

        self.app.push_screen(StartDeckScreen(entry, point[0] if point else None,
                                             at=point[1:] if point else None), chosen)

    def play(self, plan: PlayPlan, *, replace: bool = False) -> None:
        """Start a session; ``replace`` swaps it in for the current screen (the summary)."""
        if not self.can_leave_home:
            return
        from quizapp.workspace import NothingToPlay  # (loaded by now: home can be left)

        workspace, app = self.workspace, self.app
        started = workspace.start(plan, seed=self.seed)
        if isinstance(started, NothingToPlay) and started.reason == "nothing-to-resume":
            app.notify(f"Nothing to resume in {plan.deck_id}: its last in-order session was "
                       "finished. Starting from the first card.", markup=False)
            plan = dataclasses.replace(plan, resume=False)
            started = workspace.start(plan, seed=self.seed)
        if isinstance(started, NothingToPlay):
            title, message = nothing_words(started)
            severity = "error" if started.reason == "unknown-deck" else "information"
            app.notify(message, title=title, severity=severity, markup=False)
            return
        self.show_session(started, plan, replace=replace)

    def show_session(self, session: Session, plan: PlayPlan, *, replace: bool = False) -> None:
        self.sessions.opened(session)
        screen = _question_screen()(session, plan)
        if replace:
            self.app.switch_screen(screen)
        else:
            self.go_home()
            self.app.push_screen(screen)

    def session_over(self, session: Session, plan: PlayPlan) -> None:
        """The last question was answered or skipped: write the end, show the summary."""
        self.sessions.finish(session)
        self.sessions.compact()
        self.refresh_home()
        from quizapp.ui.screens.summary import SummaryScreen

        self.app.switch_screen(SummaryScreen(session, plan))

    def go_home(self) -> None:
        """Back to the list of decks; a session under way is ended properly."""
        if self.refused:
            return
        app, question = self.app, _question_screen()
        while len(app.screen_stack) > 1 and app.screen is not self.home:
            current = app.screen
            if isinstance(current, question):
                self.sessions.finish(current.session)
            app.pop_screen()
        self.refresh_home()

    def request_quit(self) -> None:
        """ctrl+q: during a question, ask first; with a dialog already open over a session
        (a second ctrl+q), end the session properly and quit; elsewhere, quit."""
        playing = self.playing()
        if playing is None:
            self.app.exit()
        elif self.app.screen is playing:
            playing.action_confirm_quit()
        else:
            self.sessions.finish_and_exit(playing.session)

    def post_after_asking(self, message: Message) -> None:
        """What a palette command asks for: during a session, only once the person has
        said yes to ending it (its end is then written on the way)."""
        playing = self.playing()
        if playing is None:
            self.app.post_message(message)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.post_message(message)

        from quizapp.ui.dialogs.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(f"End this session first? {playing.saved_line()}",
                                           "End session", "Keep playing"), answered)

    # ------------------------------------------------------------------ other screens

    def browse(self, deck_id: str) -> None:
        """Show the cards of a deck (editable unless it is bundled)."""
        entry = self.workspace.catalog.get(deck_id) if self.can_leave_home else None
        if entry is None:
            return
        from quizapp.ui.screens.browser import BrowserScreen

        self._from_home(BrowserScreen(entry))

    def stats(self) -> None:
        """Progress: accuracy per deck and family, most-missed cards, leeches, streak."""
        if self.can_leave_home:
            from quizapp.ui.screens.stats import StatsScreen

            self._from_home(StatsScreen(self.workspace))

    def import_deck(self) -> None:
        """Ask for a file and import it into the user decks folder."""
        if self.can_leave_home:
            from quizapp.ui.dialogs.import_deck import ImportScreen

            self.app.push_screen(ImportScreen(self.workspace))

    def help(self) -> None:
        """Every key of the current screen, read from its bindings."""
        from quizapp.ui.dialogs.help import HelpScreen, keys_of

        screen = self.app.screen
        if not isinstance(screen, HelpScreen):
            name = getattr(screen, "HELP_NAME", "") or screen.sub_title or self.app.title
            self.app.push_screen(HelpScreen(name, keys_of(screen)))

    def _from_home(self, screen: Screen[Any]) -> None:
        if self.app.screen is not self.home:
            self.go_home()
        self.app.push_screen(screen)
