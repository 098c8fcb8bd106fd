"""The Textual app: ``make_app`` builds it for the command line and for tests.

The app holds what every screen needs (paths, the deck catalog, the score store, the
settings, the clock) and moves between the screens: home -> question -> summary. It never
reads or writes a file itself: ``decks``, ``store`` and ``settings`` do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from quizapp import review
from quizapp.decks import Catalog, DeckEntry, discover
from quizapp.paths import Locations
from quizapp.session import NoCards, Session, deck_rivals, utcnow
from quizapp.settings import Settings, SettingsError, load_settings, save_settings
from quizapp.stats import resumable
from quizapp.store import ScoreFileError, ScoreStore
from quizapp.ui.plan import PlayPlan
from quizapp.ui.screens.error import ErrorScreen
from quizapp.ui.screens.home import HomeScreen
from quizapp.ui.screens.question import QuestionScreen
from quizapp.ui.screens.start import StartChoice, StartDeckScreen
from quizapp.ui.screens.summary import SummaryScreen


class QuizApp(App[None]):
    CSS_PATH = "quizapp.tcss"
    TITLE = "quizapp"
    BINDINGS = [
        Binding("ctrl+q", "request_quit", "Quit", priority=True, show=False),
    ]

    def __init__(
        self,
        locations: Locations,
        *,
        deck_id: str | None = None,
        mode: str | None = None,
        now: Callable[[], datetime] = utcnow,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.locations = locations
        self.start_deck = deck_id
        self.start_mode = mode
        self.now = now
        self.seed = seed
        self.store = ScoreStore(locations.scores, clock=now)
        self.catalog: Catalog | None = None
        self.settings = Settings()
        self.settings_ok = True
        self.refused = False  # the score file cannot be used: nothing may be played
        self.home = HomeScreen()

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        try:
            self.settings = load_settings(self.locations.settings)
        except SettingsError as exc:
            self.settings_ok = False  # never overwrite a file we could not read
            self.notify(f"{exc} (using defaults; theme changes are not saved)",
                        severity="error", markup=False, timeout=10)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.push_screen(self.home)
        self.load_data()

    @work(thread=True, exclusive=True, group="load")
    def load_data(self) -> None:
        """Find the decks and read the score file, off the UI thread."""
        catalog = discover(self.locations)
        try:
            self.store.load()
        except ScoreFileError as exc:
            self.call_from_thread(self._refuse, str(exc))
            return
        self.call_from_thread(self._loaded, catalog)

    def _refuse(self, message: str) -> None:
        self.refused = True
        self.push_screen(ErrorScreen(message))

    def _loaded(self, catalog: Catalog) -> None:
        first_time = self.catalog is None
        self.catalog = catalog
        self.refresh_home()
        for backup in self.store.recovered if first_time else ():
            self.notify(f"The score file was damaged; it was moved aside to {backup}",
                        severity="warning", markup=False, timeout=15)
        plan = PlayPlan.from_cli(self.start_deck, self.start_mode) if first_time else None
        if plan is not None:
            self.play(plan)

    def recovered_notices(self) -> list[str]:
        return [f"The score file was damaged and moved aside to {b}" for b in self.store.recovered]

    def refresh_home(self) -> None:
        if self.catalog is not None:
            self.home.show(self.catalog, self.store.scores, self.settings, self.recovered_notices())

    # ------------------------------------------------------------------ playing

    def ask_how_to_play(self, entry: DeckEntry) -> None:
        if self.refused:
            return

        def chosen(choice: StartChoice | None) -> None:
            if choice is not None:
                self.play(PlayPlan("deck", entry.id, choice.mode, choice.limit))

        self.push_screen(StartDeckScreen(entry), chosen)

    def new_session(self, plan: PlayPlan) -> Session | None:
        """A session for the plan; None when it has no card (nothing missed or due)."""
        assert self.catalog is not None
        scores, catalog = self.store.scores, self.catalog
        try:
            if plan.kind == "review":
                return review.review_session(
                    scores, catalog, plan.deck_id, streak_needed=self.settings.review_streak,
                    recorder=self.store, now=self.now, seed=self.seed)
            if plan.kind == "due":
                return review.due_session(
                    scores, catalog, self.now(), new_per_day=self.settings.new_per_day,
                    deck_id=plan.deck_id, recorder=self.store, clock=self.now, seed=self.seed)
        except review.ReviewError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return None
        if plan.kind == "missed":
            rivals = {e.id: deck_rivals(e.deck) for e in catalog.entries
                      if e.id in {i.deck_id for i in plan.items}}
            return Session(list(plan.items), deck_label=plan.deck_id or review.ALL_DECKS,
                           mode="review", recorder=self.store, now=self.now, seed=self.seed,
                           rounds=True, rivals=rivals)
        entry = catalog.get(plan.deck_id or "")
        if entry is None:
            self.notify(f"No deck with the id {plan.deck_id!r}.", severity="error", markup=False)
            return None
        skip = review.suspended_ids(scores, entry.id)
        try:
            record = resumable(scores, entry.id) if plan.resume else None
            if record is not None:
                return Session.resume(entry.deck, record, recorder=self.store, now=self.now,
                                      seed=self.seed, skip=skip)
            if plan.resume:
                self.notify(f"Nothing to resume in {entry.id}: its last in-order session was "
                            "finished. Starting from the first card.", markup=False)
            return Session.for_deck(
                entry.deck, mode=plan.mode, limit=plan.limit, recorder=self.store, now=self.now,
                seed=self.seed, skip=skip)
        except NoCards:
            self.notify(f"Every card of {entry.id} is suspended: unsuspend one in Stats (t) "
                        "to play this deck.", title="Nothing to play", markup=False)
            return None

    def play(self, plan: PlayPlan, *, replace: bool = False) -> None:
        """Start a session; ``replace`` swaps it in for the current screen (the summary)."""
        session = self.new_session(plan)
        if session is None:
            where = plan.deck_id or "any deck"
            if plan.kind == "review":
                self.notify(f"Nothing missed in {where}: no card to review. Well done!",
                            title="Nothing to review", markup=False)
            elif plan.kind == "due":
                self.notify(f"Nothing due in {where} right now: come back later, or play the "
                            "deck for practice.", title="Nothing due", markup=False)
            return
        screen = QuestionScreen(session, plan)
        if replace:
            self.switch_screen(screen)
        else:
            self.go_home()
            self.push_screen(screen)

    def review_missed(self, session: Session, plan: PlayPlan) -> None:
        origin = plan.origin or plan
        self.play(PlayPlan("missed", plan.deck_id, items=tuple(session.missed), origin=origin),
                  replace=True)

    def finish(self, session: Session) -> None:
        """Write the session's end record; a failure is told, never fatal (the answers
        themselves are already on disk)."""
        try:
            session.finish()
        except (OSError, ScoreFileError) as exc:
            self.notify(f"The end of the session could not be saved: {exc}",
                        severity="error", markup=False, timeout=15)

    def session_over(self, session: Session, plan: PlayPlan) -> None:
        self.finish(session)
        self.compact_scores()
        self.refresh_home()
        self.switch_screen(SummaryScreen(session, plan))

    def end_session_and_exit(self, session: Session) -> None:
        """Quit from a question: the answers are on disk already; write the session's end."""
        self.finish(session)
        self.exit()

    @work(thread=True, exclusive=True, group="compact")
    def compact_scores(self) -> None:
        """Fold the journal into the score file when it has grown (O(file): a thread).
        If that fails the journal simply stays, and nothing is lost: say so."""
        try:
            self.store.maybe_compact()
        except (OSError, ScoreFileError) as exc:
            self.call_from_thread(self.notify, f"The score file could not be tidied up: {exc}",
                                  severity="warning", markup=False)

    def go_home(self) -> None:
        if self.refused:
            return
        while len(self.screen_stack) > 1 and self.screen is not self.home:
            current = self.screen
            if isinstance(current, QuestionScreen):
                self.finish(current.session)
            self.pop_screen()
        self.refresh_home()

    # ------------------------------------------------------------------ deck browser, import

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
        from quizapp.ui.screens.import_deck import ImportScreen

        if self.refused or self.catalog is None:
            return
        taken = {e.id: e.path for e in self.catalog.entries}
        self.push_screen(ImportScreen(self.locations.user_decks, taken))

    def action_stats(self) -> None:
        """Show progress: accuracy per deck and family, most-missed cards, leeches, streak."""
        from quizapp.ui.screens.stats import StatsScreen

        if self.refused or self.catalog is None:
            return
        if self.screen is not self.home:
            self.go_home()
        self.push_screen(StatsScreen())

    # ------------------------------------------------------------------ app-wide actions

    def action_request_quit(self) -> None:
        """ctrl+q: during a question, ask first; with a dialog already open over a session
        (a second ctrl+q), end the session properly and quit; elsewhere, quit."""
        playing = next((s for s in self.screen_stack if isinstance(s, QuestionScreen)), None)
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

    def action_exit_with_error(self) -> None:
        self.exit(return_code=1)

    def action_home(self) -> None:
        self.go_home()

    def watch_theme(self, theme: str) -> None:
        if theme == self.settings.theme:
            return
        self.settings = self.settings.model_copy(update={"theme": theme})
        if self.settings_ok:
            save_settings(self.locations.settings, self.settings)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.refused:
            return
        yield SystemCommand("Home", "Go to the list of decks (ends the session)", self.action_home)
        for entry in self.catalog.entries if self.catalog else ():
            # Deck ids are letters, digits, - and _ only, so safe in the palette (which reads markup).
            yield SystemCommand(f"Play {entry.id}", "Start this deck (in order, shuffled or N questions)",
                                lambda entry=entry: self.ask_how_to_play(entry))
            yield SystemCommand(f"Browse {entry.id}", "Search this deck's cards (and edit a deck of yours)",
                                lambda entry=entry: self.browse(entry))
        yield SystemCommand("Review missed cards", "Every deck's missed cards, in rounds until right",
                            lambda: self.play(PlayPlan("review", None)))
        yield SystemCommand("Study due cards", "The cards due today in every deck, and a few new ones",
                            lambda: self.play(PlayPlan("due", None)))
        yield SystemCommand("Stats", "Your progress: accuracy, most-missed cards, leeches, streak",
                            self.action_stats)
        yield SystemCommand("Import a deck", "From an Anki text export, Quizlet, CSV or TSV file",
                            self.action_import_deck)


def make_app(
    locations: Locations,
    deck_id: str | None = None,
    mode: str | None = None,
    *,
    now: Callable[[], datetime] = utcnow,
    seed: int | None = None,
) -> QuizApp:
    """The one way to build the app (command line and tests). ``now`` and ``seed`` make
    tests deterministic: a fixed clock freezes the elapsed time, a seed the shuffles."""
    return QuizApp(locations, deck_id=deck_id, mode=mode, now=now, seed=seed)
