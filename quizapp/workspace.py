"""The application layer: the use cases both front ends share, written once.

A ``Workspace`` is the person's data opened for one run: the decks found (``catalog``),
the ``settings``, the score ``store`` and the problems met on the way (``warnings``). The
command line (``commands/``) and the Textual app (``ui/``) both go through it:

- ``start(plan)`` builds the session a ``PlayPlan`` asks for, or returns a
  ``NothingToPlay`` saying *why* there is nothing to play; each front end puts that
  value into its own words (a line on stdout, a notification);
- ``add_deck`` / ``add_decks`` are the one way a new deck file is written (id check,
  parse back, write without replacing); ``plan_decks`` then ``write_decks`` the same
  with updates, so a front end can show what an update removes and ask first;
  ``update_deck`` the one way a deck is changed (only the changed cards' text is
  rewritten: see ``deckedit``); ``deck_to_remove`` / ``remove_deck`` and
  ``export_deck`` the rest of a deck's life (the work and its values are in
  ``deckfiles``);
- ``finish``, ``compact``, ``set_suspended`` and ``save_theme`` write the rest.

Nothing here imports textual; nothing here prints.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from quizapp import deckfiles, review, tallyfile
from quizapp.deckfiles import CannotRemove, DeckChanges, StagedMedia
from quizapp.deckfiles import deck_text, file_stamp, update_deck  # noqa: F401 (the layer's API)
from quizapp.decks import Catalog, DeckEntry, DeckError, Glimpse, discover, parse_deck, survey
from quizapp.errors import NoCards
from quizapp.models import Deck, ScoreFile, SessionRecord
from quizapp.paths import Locations
from quizapp.plan import PlayPlan
from quizapp.session import Session, answered_in, resume_cards, utcnow
from quizapp.settings import Settings, SettingsError, load_settings, save_settings
from quizapp.stats import Stats, open_sessions, resumable
from quizapp.summaryfile import (
    Summary,
    glimpsed_decks,
    kept_summary,
    save_summary,
    summary_key,
    summary_path,
)
from quizapp.tally import Tally, Unknown, catalog_decks
from quizapp.store import ScoreFileError, ScoreStore

if TYPE_CHECKING:
    from quizapp.interop.anki_progress import HistoryImported
    from quizapp.interop.update import Install

Reason = Literal[
    "unknown-deck",  # the plan names a deck that was not found
    "all-suspended",  # every card of the deck is suspended
    "never-played",  # review: no card of these decks has been answered yet
    "never-missed",  # review: answered, but never wrong
    "missed-suspended",  # review: the only missed cards are suspended
    "all-reviewed",  # review: every missed card has since been right ``streak`` times
    "nothing-due",  # due: nothing due now and no new card left for today
    "nothing-to-resume",  # resume: the deck's last in-order session was finished
    "nothing-left",  # resume: the deck has no card left after question ``asked``
]


@dataclass(frozen=True)
class NothingToPlay:
    """Why a plan gives no session. ``decks`` lists the deck ids there are (for
    ``unknown-deck``), ``streak`` is the review streak setting (``all-reviewed``),
    ``next_due`` when the next card falls due (``nothing-due``; None if none will) and
    ``asked`` how far the session to resume had got (``nothing-left``)."""

    reason: Reason
    plan: PlayPlan
    decks: tuple[str, ...] = ()
    streak: int = 0
    next_due: datetime | None = None
    asked: int = 0


def unwritable(scores: Path, *files: Path) -> str | None:
    """Why no answer could be saved beside ``scores``, as far as the system says before
    trying (a read-only mount, a folder without write permission; None: nothing known).
    Told once at the start, so a person does not play a whole session whose every
    answer then says it was not counted. ``files`` are the score files written in place
    (the journal, the lock): one that exists must be writable too."""
    folder = scores.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # made on the first write, if its parent lets it
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        return f"{folder}: cannot be written, so answers will not be saved (scores: {scores})"
    for path in (scores, *files):
        if path.is_file() and not os.access(path, os.W_OK):
            return f"{path}: cannot be written, so answers will not be saved"
    return None


class Workspace:
    """The decks, settings and score file of one run (see the module doc).

    ``clock`` is the one source of "now" (tests pass a fixed one). Nothing is read until
    ``load`` (or ``open``)."""

    def __init__(self, locations: Locations, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.locations = locations
        self.clock = clock
        self.store = ScoreStore(locations.scores, clock=clock)
        self.catalog = Catalog()
        self.settings = Settings()
        # Set when settings.toml exists but cannot be used: the defaults are used and the
        # file is never written over (``save_theme`` leaves it alone).
        self.settings_error: SettingsError | None = None
        self.loaded = False
        # The numbers, kept up to date answer by answer (``tally``), and what the decks
        # were when last found (for the summary kept on disk).
        self._tally: Tally | None = None
        self._tally_lock = threading.Lock()
        self._saved_key: tuple[object, ...] | None = None
        # The tally the last full count kept on disk, while it is brought up to date from
        # the journal alone (``stats``); tried once per run.
        self._kept: tallyfile.Kept | None = None
        self._kept_tried = False

    @classmethod
    def open(cls, locations: Locations, *, clock: Callable[[], datetime] = utcnow) -> Workspace:
        """A loaded workspace; raises ``ScoreFileError`` when the score file cannot be used."""
        workspace = cls(locations, clock=clock)
        workspace.load()
        return workspace

    # ------------------------------------------------------------------ reading

    def load(self) -> None:
        """Read the settings, find the decks and read the score file. Raises
        ``ScoreFileError`` when the score file cannot be used (nothing may be played then);
        every other problem becomes a warning."""
        self.load_settings()
        self.read_data()

    def read_data(self, *, leave: Collection[Path] = ()) -> None:
        """Find the decks and read the score file again (``load`` without the settings).
        Raises ``ScoreFileError``. The deck files in ``leave`` are left out until the next
        ``reload_decks`` (a start reads big new files once the rest is playable)."""
        self.reload_decks(leave=leave)
        self.store.load()
        self.loaded = True

    def load_settings(self) -> None:
        try:
            self.settings = load_settings(self.locations.settings)
            self.settings_error = None
        except SettingsError as exc:
            self.settings, self.settings_error = Settings(), exc

    def reload_decks(self, *, leave: Collection[Path] = ()) -> Catalog:
        """Find the decks again (cheap: unchanged files come from the deck cache), but
        those in ``leave``."""
        self.catalog = discover(self.locations, leave=leave)
        return self.catalog

    @property
    def scores(self) -> ScoreFile:
        return self.store.scores

    @property
    def recovered(self) -> list[Path]:
        """Backups made of damaged score files while loading."""
        return list(self.store.recovered)

    @property
    def notices(self) -> list[str]:
        """Everything worth telling once the data is read: ``score_notices``, and the
        caches found broken (of the scores or of a deck: they cost only time, once)."""
        unsaved = unwritable(self.store.path, self.store.journal_path, self.store.lock_path)
        return [*self.score_notices, *([unsaved] if unsaved else []), *self.store.warnings,
                *self.catalog.notices]

    @property
    def score_notices(self) -> list[str]:
        """One line per damaged score file put right while loading (what was kept, where
        the backup is): worth keeping in view, unlike a cache that only cost time."""
        return list(self.store.notices)

    def stats(self) -> Stats:
        """Every number of the stats screen and ``quizapp stats`` as of now.

        The first time, the tally the last full count kept on disk (``tallyfile``) is read
        and brought up to date with the journal's entries written since, if it can be
        (the same decks, settings and snapshot): only the cards those entries touch are
        counted, not every card; later calls read the journal's new entries the same
        way. Otherwise (none kept, a compaction since, other decks) every card is counted
        once and kept in memory, then kept up to date answer by answer
        (``Tally.refresh``); such a count is kept on disk for the next start or command.
        The numbers are also kept on disk as a summary (``kept_summary``)."""
        self._catch_up()  # another window's answers count too
        scores, catalog, settings = self.scores, self.catalog, self.settings
        with self._tally_lock:
            identity = self.store.identity  # before counting: a later write changes it
            position = self.store.position
            decks = catalog_decks(catalog)
            state = tallyfile.state_key(decks, settings)
            summary = self._kept_numbers(state)
            if summary is not None:
                assert self._kept is not None
                identity = self.store.identity_at(self._kept.position)
            else:
                tally = self._tally
                if tally is None or tally.settings != settings:
                    tally = self._tally = Tally.build(scores, catalog, settings)
                    if state is not None and self.store.position == position:
                        tallyfile.save_state(tallyfile.state_path(self.store.path),
                                             tallyfile.state_parts(tally, state, position,
                                                                   scores.sessions))
                else:
                    tally.refresh(scores, catalog)
                summary = tally.summary()
            key = summary_key(identity, decks, settings)
            if key is not None and key != self._saved_key:
                save_summary(summary_path(self.store.path), key, summary)
                self._saved_key = key
            return summary.stats(self.clock())  # (its due times are the tally's own list)

    def _kept_numbers(self, state: tuple[object, ...] | None) -> Summary | None:
        """The numbers from the tally kept on disk, brought up to date with the journal
        (see ``stats``); None once that cannot be done, for the rest of the run."""
        kept = self._kept
        if kept is None:
            if self._tally is not None or self._kept_tried or state is None:
                return None
            self._kept_tried = True
            kept = self._kept = tallyfile.load_state(tallyfile.state_path(self.store.path),
                                                     state, self.settings)
            if kept is None:
                return None
        if kept.key != state or not self._advance_kept():
            self._kept = None
            return None
        try:
            return kept.tally.summary()
        except Unknown:
            self._kept = None
            return None

    def _advance_kept(self) -> bool:
        """Under the tally lock: bring the kept tally up to date with the journal's new
        entries; False (and it is dropped) when that cannot be done."""
        kept = self._kept
        if kept is None:
            return False
        try:
            since = self.store.events_since(kept.position)
            if since is None:
                raise Unknown("not from the journal alone")
            events, kept.position = since
            kept.tally.apply(events, kept.sessions)
            return True
        except (ScoreFileError, Unknown):
            self._kept = None  # (half brought up to date, maybe): counted in full from now
            return False

    def advanced_summary(self, glimpses: list[Glimpse] | None = None) -> Summary | None:
        """The numbers of the last full count kept on disk (``tallyfile``), brought up
        to date with what was written since (another window's answers): only the
        journal's new entries are read, not the decks or the snapshot, and only the cards
        they touch are counted again. Kept again, with the summary, for the next run.
        None when it cannot be done (nothing kept, the decks or settings changed, the
        snapshot was replaced by a compaction or an edit): then count (``load``, ``stats``).
        """
        if glimpses is None:
            glimpses = survey(self.locations)
        decks = glimpsed_decks(glimpses)
        state = tallyfile.state_key(decks, self.settings)
        path = tallyfile.state_path(self.store.path)
        kept = tallyfile.load_state(path, state, self.settings)
        if kept is None or state is None:
            return None
        try:
            since = self.store.events_since(kept.position)
            if since is None:
                return None
            events, position = since
            kept.tally.apply(events, kept.sessions)
            summary = kept.tally.summary()
            data = kept.state_parts(state, position) if events else None
        except (ScoreFileError, Unknown):
            return None
        key = summary_key(self.store.identity_at(position), decks, self.settings)
        if key is not None:
            save_summary(summary_path(self.store.path), key, summary)
        if data is not None:
            tallyfile.save_state(path, data)
        return summary

    def _catch_up(self) -> None:
        """Read what other windows wrote since. A score file that cannot be read now (a
        hand edit with a mistake, an entry of a newer quizapp) leaves memory as it was:
        the numbers and the next session come from what was read before. The app's
        read-ahead has said why in a toast, and an answer says it again (it is not written
        on top of a file that cannot be read); the file is not read again until it
        changes."""
        try:
            self.store.catch_up()
        except ScoreFileError:
            pass

    def kept_summary(self, glimpses: list[Glimpse] | None = None) -> Summary | None:
        """The numbers kept on disk by the last count, if the score file, the decks (as
        the deck cache's index has them: ``survey``, or ``glimpses``) and the settings are
        all as they were; None otherwise. Reads neither the decks nor the score file: what
        ``quizapp stats``, ``quizapp due`` and the home screen show at once."""
        if glimpses is None:
            glimpses = survey(self.locations)
        if glimpses is None:
            return None
        return kept_summary(self.store.path, glimpses, self.settings)

    # ------------------------------------------------------------------ playing

    def start(self, plan: PlayPlan, *, seed: int | None = None) -> Session | NothingToPlay:
        """The session ``plan`` asks for, recording into the store; or why there is none.
        Picked from the scores as they are on disk now (another window's answers too)."""
        self._catch_up()
        catalog, scores, settings = self.catalog, self.scores, self.settings
        if plan.kind != "missed" and plan.deck_id is not None and catalog.get(plan.deck_id) is None:
            return NothingToPlay("unknown-deck", plan, decks=tuple(e.id for e in catalog.entries))
        if plan.kind == "review":
            session = review.review_session(
                scores, catalog, plan.deck_id, streak_needed=settings.review_streak,
                recorder=self.store, now=self.clock, seed=seed)
            return session if session is not None else self._nothing_missed(plan)
        if plan.kind == "due":
            session = review.due_session(
                scores, catalog, self.clock(), new_per_day=settings.new_per_day,
                deck_id=plan.deck_id, recorder=self.store, clock=self.clock, seed=seed)
            if session is None:
                return NothingToPlay("nothing-due", plan,
                                     next_due=review.next_due(scores, catalog, plan.deck_id))
            return session
        if plan.kind == "missed":
            if not plan.items:
                return NothingToPlay("never-missed", plan)
            rivals = {e.id: e.deck for e in catalog.entries
                      if e.id in {i.deck_id for i in plan.items}}
            return Session(list(plan.items), deck_label=plan.deck_id or review.ALL_DECKS,
                           mode="review", recorder=self.store, now=self.clock, seed=seed,
                           rounds=True, rivals=rivals)
        entry = catalog.get(plan.deck_id or "")
        if entry is None:
            return NothingToPlay("unknown-deck", plan, decks=tuple(e.id for e in catalog.entries))
        skip = review.suspended_ids(scores, entry.id)
        if plan.resume:
            # Held from now, not from its first answer: two windows resuming at once must
            # not both take it (the second one takes the latest of the others).
            playing = self._playing_elsewhere(entry.id)
            while True:
                record = resumable(scores, entry.id, playing)
                if record is None:
                    return NothingToPlay("nothing-to-resume", plan)
                if self.store.hold_session(record.id):
                    break
                playing.add(record.id)
            try:
                return Session.resume(entry.deck, record, recorder=self.store, now=self.clock,
                                      seed=seed, skip=skip,
                                      answered=answered_in(record, scores.cards.get(entry.id, {})))
            except NoCards:
                self.store.release_session(record.id)
                return NothingToPlay("nothing-left", plan, asked=record.asked or 0)
        try:
            return Session.for_deck(
                entry.deck, mode=plan.mode, limit=plan.limit, recorder=self.store,
                now=self.clock, seed=seed, skip=skip)
        except NoCards:
            return NothingToPlay("all-suspended", plan)

    def resume_point(self, entry: DeckEntry) -> tuple[SessionRecord, int, int] | None:
        """The deck's unfinished in-order session and where resuming it goes on: (record,
        question number, questions in all), as the resumed session counts them; None when
        there is nothing to resume."""
        scores = self.scores
        record = resumable(scores, entry.id, self._playing_elsewhere(entry.id))
        if record is None:
            return None
        rest = resume_cards(entry.deck, record,
                            answered=answered_in(record, scores.cards.get(entry.id, {})),
                            skip=review.suspended_ids(scores, entry.id))
        asked = record.asked or 0
        return record, asked + 1, asked + len(rest)

    def _playing_elsewhere(self, deck_id: str) -> set[str]:
        """The deck's sessions another window is playing now (never resumed here too)."""
        return self.store.played_elsewhere(open_sessions(self.scores, deck_id))

    def _nothing_missed(self, plan: PlayPlan) -> NothingToPlay:
        """Which of the four reasons an empty review has."""
        cards = self.scores.cards
        # Only decks that still exist: a removed deck's scores are kept, but not reviewed.
        deck_ids = [plan.deck_id] if plan.deck_id else [e.id for e in self.catalog.entries]
        records = [rec for deck_id in deck_ids for rec in cards.get(deck_id, {}).values()]
        if not any(rec.seen for rec in records):
            return NothingToPlay("never-played", plan)
        if not any(rec.wrong and not rec.suspended for rec in records):
            if any(rec.wrong for rec in records):
                return NothingToPlay("missed-suspended", plan)
            return NothingToPlay("never-missed", plan)
        return NothingToPlay("all-reviewed", plan, streak=self.settings.review_streak)

    def finish(self, session: Session) -> None:
        """Write the session's end record (raises ``OSError`` / ``ScoreFileError``)."""
        session.finish()

    def compact(self, *, elsewhere: bool = False) -> None:
        """Fold the journal into the score file once it has grown (O(file): callers run
        it off any UI thread; ``elsewhere``, in another process, so that a screen never
        waits for it). Raises ``ScoreWriteError`` (also an ``OSError``) saying the
        answers are safe in the journal; nothing is lost."""
        self._before_compacting()
        self.store.maybe_compact(elsewhere=elsewhere)

    def _before_compacting(self) -> None:
        """The kept tally reads every answer before they are folded into the snapshot:
        the journal it would read them from is replaced then, and it goes on from the new
        one only if it had read the old one to the byte the compaction folds."""
        if self._kept is not None and self.store.compaction_due():
            with self._tally_lock:
                self._advance_kept()

    def snapshot_changed(self) -> bool:
        """Whether another window compacted (or a person edited) the score file since it
        was read: one ``stat``, cheap enough for the UI thread."""
        return self.store.snapshot_changed()

    def read_ahead(self) -> bool:
        """Read the score file again if ``snapshot_changed`` (O(file): off any UI thread),
        so the next session start or answer finds it read; True if it did."""
        return self.store.read_ahead()

    def compact_in_background(self) -> Callable[[], Exception | None]:
        """Start folding a long journal in a thread (at start-up: people who always close
        the terminal never reach a session's normal end). Returns a function that waits
        for it and gives the error it met, if any (the answers are safe either way)."""
        import threading

        errors: list[Exception] = []

        def run() -> None:
            try:
                self._before_compacting()
                self.store.maybe_compact()
            except (OSError, ScoreFileError) as exc:
                errors.append(exc)

        thread = threading.Thread(target=run, name="quizapp-compact", daemon=True)
        thread.start()

        def wait() -> Exception | None:
            thread.join()
            return errors[0] if errors else None

        return wait

    def set_suspended(self, deck_id: str, card_id: str, suspended: bool) -> bool:
        """Suspend or unsuspend a card; False when it already was. Raises ``NotFound``."""
        return review.set_suspended(self.store, self.catalog, deck_id, card_id, suspended,
                                    self.clock())

    def save_theme(self, theme: str) -> bool:
        """Remember the theme in settings.toml; False (nothing written) when that file
        could not be read, so a person's file is never replaced by defaults. Raises
        ``SettingsError`` / ``OSError`` when it cannot be written now."""
        self.settings = self.settings.model_copy(update={"theme": theme})
        if self.settings_error is not None:
            return False
        save_settings(self.locations.settings, self.settings)
        return True

    # ------------------------------------------------------------------ writing decks

    def add_deck(self, text: str, source: Path | str, *, hint: str = "") -> tuple[Deck, Path]:
        """Write deck ``text`` as a new file in the user decks folder. See ``add_decks``."""
        [added] = self.add_decks([text], source, hint=hint)
        return added

    def add_decks(
        self, texts: Sequence[str], source: Path | str, *, hint: str = "choose another id"
    ) -> list[tuple[Deck, Path]]:
        """Write each deck text as a new file in the user decks folder, as it is (a
        hand-written deck keeps its comments). Every deck is parsed back and its id checked
        against every deck found before anything is written (``plan_decks``, which
        ``deck add/import --update`` use too); a file is never replaced.

        Raises ``DeckError`` naming ``source`` (and ``hint``, the front end's words for
        what to do about a taken id) when a text is not a valid deck or an id is taken;
        nothing is written then. ``DeckError`` too when a file cannot be written."""
        decks = [parse_deck(text, source) for text in texts]
        ids = [deck.id for deck in decks]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise DeckError([f"{source}: deck.id: {i!r} is given to more than one new deck; "
                             "nothing was written" for i in twice])
        changes = self.plan_decks(decks, source, texts=texts, hint=f"nothing was written; {hint}")
        written: list[tuple[Deck, Path]] = []
        try:
            self.write_decks(changes, written=lambda i: written.append((i.deck, i.target)))
        finally:
            if written:
                self.reload_decks()
        return written

    def plan_decks(self, decks: Sequence[Deck], source: Path | str, *, update: bool = False,
                   texts: Sequence[str] | None = None, hint: str | None = None) -> DeckChanges:
        """What writing ``decks`` into the user decks folder would do; nothing is written.
        Each is a new deck or, with ``update``, replaces a deck of the person's own with
        the same id (the progress of the cards that stay is kept). ``texts``: the decks'
        files as written by a person, kept as they are. Raises ``DeckError`` naming
        ``source`` and every clash (``hint``: the front end's words for what to do about
        a taken id; by default the command line's --update / --id)."""
        return deckfiles.plan(self.locations, self.catalog, decks, source, update=update,
                              texts=texts, hint=hint)

    def write_decks(self, changes: DeckChanges,
                    written: Callable[[Install], object] | None = None) -> None:
        """Write the decks ``plan_decks`` planned, in order; ``written(install)`` is called
        after each one (also for an update that changes nothing, which is not written).
        Raises ``DeckError`` naming the file at the first that cannot be written (a deck
        that would not load back, a file made meanwhile, a folder that cannot be written);
        nothing more is written then. The decks are found again on ``reload_decks``."""
        deckfiles.write(changes, written)

    def stage_media(self, package: Path, collection: object,
                    media: dict[str, set[str]]) -> StagedMedia:
        """Unpack the media files of an Anki ``package`` that the decks about to be
        written need (``media``: deck id -> file names), checked against their limits,
        into a private folder beside the decks, before any deck is written. Use the
        result as a context manager: ``place`` moves a written deck's media beside it,
        and what is left is removed at the end. Raises ``InteropError`` / ``OSError``
        (nothing is left behind then)."""
        return deckfiles.stage_media(package, collection, media, self.locations.user_decks)

    def import_history(self, collection: object, imports: Sequence[object],
                       done: HistoryImported | None = None,
                       more: Callable[[HistoryImported], None] | None = None, *,
                       elsewhere: bool = False) -> HistoryImported:
        """Add the review history of the decks just imported from an Anki package to the
        score file: each review not counted yet, once (replayed through FSRS, so due dates
        come along; cards suspended in Anki are suspended). Written in batches, each made
        under the lock from the scores as they are then (another window may be answering
        the same cards), the journal folded in between (``anki_progress``). Returns what
        was added; raises ``ScoreFileError`` / ``OSError``, when ``done`` (given) holds
        what the batches before the failure added (each batch is whole or not at all).
        ``more`` is called after each batch that has more after it (a long import);
        ``elsewhere``: the folding runs in another process (see ``compact``)."""
        from quizapp.interop.anki_progress import BATCH, HistoryImported, progress_events

        store = self.store
        done = done if done is not None else HistoryImported()
        while True:
            events = store.write(lambda _lookup: progress_events(
                collection, imports, store.scores.cards, limit=BATCH))  # type: ignore[arg-type]
            last = done.add(events) < BATCH  # type: ignore[arg-type]
            self.compact(elsewhere=elsewhere)  # (when the journal has grown enough)
            if last:
                return done
            if more is not None:
                more(done)

    # ------------------------------------------------------------------ removing decks

    def deck_to_remove(self, deck_id: str) -> DeckEntry | CannotRemove:
        """The deck file ``remove_deck`` would delete for ``deck_id``, or why none may be:
        only the person's own decks are removed, never a bundled deck or one in an extra
        folder. A deck of the person's own that another deck shadows (the same id found
        first) is the one meant."""
        return deckfiles.to_remove(self.catalog, self.locations.user_decks, deck_id)

    def remove_deck(self, entry: DeckEntry) -> None:
        """Delete a deck file of the person's own (see ``deck_to_remove``); its scores stay
        in the score file. Raises ``OSError``."""
        entry.path.unlink()
        self.catalog.entries = [e for e in self.catalog.entries if e.path != entry.path]

    # ------------------------------------------------------------------ exporting decks

    def export_deck(self, deck_id: str, out: Path, fmt: str, *, replace: bool = False,
                    warnings: list[str] | None = None) -> DeckEntry:
        """Write deck ``deck_id`` to the file ``out`` in format ``fmt`` (anki, apkg, csv),
        atomically. Raises ``NotFound`` (no such deck), ``FileExistsError`` (``out``
        exists and not ``replace``), ``IsADirectoryError``, ``InteropError`` (the deck
        cannot be written in that format) and ``OSError``; nothing is written then.
        ``warnings`` gathers what went out other than as it is in the deck (a card
        edited since its import from Anki whose side Anki cannot take apart)."""
        return deckfiles.export(self.catalog, deck_id, out, fmt, replace=replace,
                                warnings=warnings)
