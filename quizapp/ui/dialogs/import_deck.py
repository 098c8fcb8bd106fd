"""Import decks from a file (an Anki package, Anki text, Quizlet, CSV or TSV) into the
user decks folder. An Anki package (.apkg, .colpkg) gives one deck per Anki deck, its
media copied beside them. "Update" lets a package update the decks made from it before
(``deck import --update``: cards that stay keep their progress); when cards with progress
would leave a deck, it asks first (``ConfirmScreen``).

The person gives a file path and a format (``auto`` guesses it); the deck id and title may
be left empty (the importer derives them). "History" brings an Anki package's review log
into the score file too (``deck import --with-progress``: each review counted once,
through ``Workspace.import_history``). ``interop.import_file`` runs in a thread and
reports its progress, which drives a ``ProgressBar``. Otherwise a deck whose id is already
taken is refused (the message names the file that has it) and nothing is written; otherwise the
deck is written by ``Workspace.add_deck`` (parsed back like any deck file, atomic, never
replaces a file), and the importer's warnings are shown.

The dialog dismisses with the new deck's id (None when nothing was imported).
"""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, ProgressBar, Select, Static

from quizapp.decks import DeckError
from quizapp.interop import (
    IMPORT_FORMATS,
    InteropError,
    import_file,
    import_package,
    is_package,
)
from quizapp.interop.anki_progress import HistoryImported
from quizapp.models import Deck
from quizapp.store import ScoreFileError
from quizapp.ui import messages
from quizapp.text import visible
from quizapp.ui.dialogs.dialog import Dialog
from quizapp.ui.widgets.footer import FittedFooter
from quizapp.workspace import Workspace, deck_text

MAX_WARNINGS_SHOWN = 50


class _Losing(Exception):
    """An update would take ``cards`` cards with progress out of their decks."""

    def __init__(self, cards: int) -> None:
        super().__init__(cards)
        self.cards = cards


class ImportScreen(Dialog[str | None]):
    """Imports into ``workspace``'s user decks folder."""

    DEFAULT_CSS = """
    ImportScreen { align: center middle; }
    ImportScreen > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ImportScreen #import-title { text-style: bold; margin-bottom: 1; }
    ImportScreen .field { height: auto; margin-bottom: 1; }
    ImportScreen .field > Label { width: 10; color: $text-muted; }
    ImportScreen .field > Input { width: 1fr; background: $boost; }
    ImportScreen .field > Select { width: 1fr; }
    ImportScreen #import-progress { margin-bottom: 1; }
    ImportScreen #import-status { height: auto; }
    ImportScreen #import-errors { color: $text-error; height: auto; }
    ImportScreen #import-warnings { color: $text-warning; height: auto; }
    ImportScreen #import-buttons { height: auto; margin-top: 1; }
    ImportScreen #import-buttons Button { margin-right: 2; }
    """

    HELP_NAME = "Import a deck"
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.imported: str | None = None
        self.running = False
        self.history = ""  # what the review history import added (one line), if asked
        self.updating = False  # decks of the person's own are updated (the Update box)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Label("Import decks (Anki .apkg/.colpkg, Anki text, Quizlet, CSV or TSV)",
                        id="import-title")
            with Horizontal(classes="field"):
                yield Label("File")
                yield Input(placeholder="path of the file to import", id="import-path", compact=True)
            with Horizontal(classes="field"):
                yield Label("Format")
                yield Select([(f, f) for f in IMPORT_FORMATS], value="auto", allow_blank=False,
                             id="import-format", compact=True)
            with Horizontal(classes="field"):
                yield Label("Deck id")
                yield Input(placeholder="optional (made from the title)", id="import-id", compact=True)
            with Horizontal(classes="field"):
                yield Label("Title")
                yield Input(placeholder="optional (Anki's #deck: header, else the file name)",
                            id="import-title-input", compact=True)
            with Horizontal(classes="field"):
                yield Label("History")
                yield Checkbox("also bring an Anki package's reviews (due dates too)",
                               id="import-history", compact=True)
            with Horizontal(classes="field"):
                yield Label("Update")
                yield Checkbox("Anki packages: update the decks I have from them",
                               id="import-update", compact=True)
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static(id="import-status", markup=False)
            yield Static(id="import-errors", markup=False)
            yield Static(id="import-warnings", markup=False)
            with Horizontal(id="import-buttons"):
                yield Button("Import", variant="primary", id="import-go")
                yield Button("Close (esc)", id="import-close")
        yield FittedFooter()  # this dialog's keys, not those of the home screen under it

    def on_mount(self) -> None:
        for name in ("#import-progress", "#import-errors", "#import-warnings"):
            self.query_one(name).display = False
        self.query_one("#import-path", Input).focus()

    # ------------------------------------------------------------------ starting

    @on(Input.Submitted)
    @on(Button.Pressed, "#import-go")
    def start_import(self) -> None:
        if self.running or self.imported is not None:
            return
        raw_path = self.query_one("#import-path", Input).value.strip()
        if not raw_path:
            self._show_errors(["Type the path of a file to import."])
            return
        fmt = self.query_one("#import-format", Select).value
        deck_id = self.query_one("#import-id", Input).value.strip() or None
        title = self.query_one("#import-title-input", Input).value.strip() or None
        history = self.query_one("#import-history", Checkbox).value
        update = self.query_one("#import-update", Checkbox).value
        path = Path(raw_path).expanduser()
        if history and not is_package(path):
            self._show_errors([f"{path}: the review history comes only from an Anki package "
                               "(.apkg, .colpkg): a text export has none"])
            return
        if update and not is_package(path):
            self._show_errors([f"{path}: here only an Anki package updates decks; for a text "
                               "file use `quizapp deck import FILE --update`"])
            return
        self.updating = update
        self.running = True
        self._show_errors([])
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.query_one("#import-status", Static).update("Reading…")
        self.query_one("#import-go", Button).disabled = True
        self.run_import(path, str(fmt), deck_id, title, history, update)

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, path: Path, fmt: str, deck_id: str | None, title: str | None,
                   history: bool = False, update: bool = False, losing: int = 0) -> None:
        """Read and check the file, then write the deck(s) (all off the UI thread).
        ``losing``: the person agreed that that many cards with progress leave their
        decks (an update asks first, then runs again)."""
        call = self.app.call_from_thread
        try:
            if is_package(path):
                added, warnings = self._import_package(path, deck_id, title, history, update,
                                                       losing)
            else:
                added, warnings = self._import_text(path, fmt, deck_id, title)
        except _Losing as ask:
            call(self._ask, ask.cards, (path, fmt, deck_id, title, history, update))
            return
        except (InteropError, DeckError) as exc:
            call(self._failed, exc.problems)
            return
        except OSError as exc:
            call(self._failed, [f"{path}: {exc.strerror or exc}"])
            return
        call(self._done_many, added, warnings)

    def _import_text(self, path: Path, fmt: str, deck_id: str | None,
                     title: str | None) -> tuple[list[tuple[Deck, Path]], list[str]]:
        """A text export (Anki, Quizlet, CSV, TSV): one deck."""
        call = self.app.call_from_thread

        def progress(done: int, total: int) -> None:
            call(self._progress, done, total)

        result = import_file(path, fmt, deck_id, title, progress=progress)
        call(self.query_one("#import-status", Static).update, "Writing…")
        added = self.workspace.add_deck(deck_text(result.deck), path, hint="type another deck id")
        return [added], result.warnings

    def _import_package(self, path: Path, deck_id: str | None, title: str | None,
                        history: bool, update: bool = False, losing: int = 0
                        ) -> tuple[list[tuple[Deck, Path]], list[str]]:
        """An Anki package: every deck in it, its media unpacked and checked first, then
        moved beside the decks; then, with ``history``, its review log. With ``update``, a
        deck of the person's own with the same id is updated (cards that stay keep their
        progress); when cards with progress would leave their decks, other than the
        ``losing`` the person agreed to, ``_Losing`` is raised (nothing written): the
        dialog asks."""
        imports, collection = import_package(path, deck_id=deck_id, title=title)
        hint = "tick Update, or type another deck id"
        if update:
            # Against the deck files as they are now (one may have been edited elsewhere
            # since the app read it): a card added there is never dropped unasked.
            self.workspace.reload_decks()
            changes = self.workspace.plan_decks([i.deck for i in imports], path, update=True,
                                                hint=hint)
            if changes.losing and changes.losing != losing:
                raise _Losing(changes.losing)
        with self.workspace.stage_media(path, collection,
                                        {i.deck.id: i.media for i in imports}) as staged:
            self.app.call_from_thread(self.query_one("#import-status", Static).update,
                                      "Writing…")
            if update:
                added = []
                self.workspace.write_decks(changes, lambda install: added.append(
                    (install.deck, install.target)))
            else:
                added = self.workspace.add_decks([deck_text(i.deck) for i in imports], path,
                                                 hint=hint)
            warnings = [w for i in imports for w in i.warnings]
            for new_deck, target in added:
                try:
                    staged.place(new_deck.id, target)
                except OSError as exc:  # the decks are written: say so, keep going
                    warnings.append(f"{target.with_suffix('.media')}: media not copied: "
                                    f"{exc.strerror or exc}")
        if history:
            self.history = self._import_history(collection, imports, warnings)
        return added, warnings

    def _import_history(self, collection: object, imports: list, warnings: list[str]) -> str:
        """The review log into the score file, once the decks are written: the line that
        says what came in (a failure is a warning: the decks stay)."""
        done = HistoryImported()
        status = self.query_one("#import-status", Static)
        call = self.app.call_from_thread
        call(status.update, "Writing the review history…")
        try:
            self.workspace.import_history(
                collection, imports, done, elsewhere=True,  # (the screen keeps drawing)
                more=lambda so_far: call(
                    status.update, f"Writing the review history: {so_far.answers:,} answers so far…"))
        except (ScoreFileError, OSError) as exc:
            warnings.insert(0, f"review history {'not all' if done.answers else 'not'} "
                            f"imported: {getattr(exc, 'strerror', None) or exc}"
                            + ("; importing the package again adds the rest, each review once"
                               if done.answers else ""))
            if not done.answers:
                return ""
        line = (f"Review history: {done.answers:,} answer(s) of {len(done.cards):,} card(s) "
                "added to your scores")
        if done.suspended:
            line += f"; {done.suspended:,} card(s) suspended as in Anki"
        return line

    def _ask(self, cards: int, again: tuple) -> None:
        """Before cards with progress leave their decks: go on only if the person says so
        (the package is then read and planned again, against the files as they are)."""
        from quizapp.ui.dialogs.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_import(*again, losing=cards)
            else:
                self._failed([f"Nothing was changed: {cards} card(s) with progress would "
                              "have left their deck."])

        self.query_one("#import-status", Static).update("Waiting for your answer…")
        self.app.push_screen(ConfirmScreen(
            f"{cards} card(s) with progress will leave their deck (their answers stay in "
            "the score file). Update anyway?", "Update", "Cancel"), answered)

    # ------------------------------------------------------------------ reporting

    def _progress(self, done: int, total: int) -> None:
        """Reading moves the bar; checking and writing (no count to show) make it pulse."""
        bar = self.query_one("#import-progress", ProgressBar)
        if done >= total:
            bar.update(total=None)
            self.query_one("#import-status", Static).update("Checking the cards…")
        else:
            bar.update(total=total, progress=done)

    def _show_errors(self, problems: list[str]) -> None:
        box = self.query_one("#import-errors", Static)
        box.update("\n".join(visible(p) for p in problems))
        box.display = bool(problems)

    def _failed(self, problems: list[str]) -> None:
        self.running = False
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-status", Static).update("Nothing was imported.")
        self.query_one("#import-go", Button).disabled = False
        self._show_errors(problems)

    def _done(self, deck: Deck, target: Path, warnings: list[str]) -> None:
        self.running = False
        self.imported = deck.id
        self.post_message(messages.DataChanged(decks=True))  # the home screen lists it
        self.query_one("#import-progress", ProgressBar).update(total=1, progress=1)
        self.query_one("#import-status", Static).update(
            f"✔ {'Updated' if self.updating else 'Imported'} {len(deck.asked):,} cards as "
            f"deck {deck.id} "
            f"({visible(deck.deck.title, one_line=True)}) into {target}"
            + (f"\n{self.history}" if self.history else "")
        )
        if warnings:
            shown = [visible(w) for w in warnings[:MAX_WARNINGS_SHOWN]]
            if len(warnings) > MAX_WARNINGS_SHOWN:
                shown.append(f"… and {len(warnings) - MAX_WARNINGS_SHOWN} more warnings")
            box = self.query_one("#import-warnings", Static)
            box.update("\n".join(["Warnings:", *shown]))
            box.display = True
        close = self.query_one("#import-close", Button)
        close.label = "Done (esc)"
        close.focus()

    def _done_many(self, added: list[tuple[Deck, Path]], warnings: list[str]) -> None:
        if len(added) == 1:
            self._done(*added[0], warnings)
            return
        first, target = added[0]
        self._done(first, target, warnings)
        verb = "Updated or imported" if self.updating else "Imported"
        lines = [f"✔ {verb} {len(added)} decks into {target.parent}:"]
        lines += [f"  {deck.id} ({visible(deck.deck.title, one_line=True)}): "
                  f"{len(deck.asked):,} cards" for deck, _ in added]
        if self.history:
            lines.append(self.history)
        self.query_one("#import-status", Static).update("\n".join(lines))

    def action_close(self) -> None:
        if self.running:
            self.notify("The import is still running; it takes a moment.", markup=False)
            return
        self.dismiss(self.imported)

    @on(Button.Pressed, "#import-close")
    def _close_pressed(self) -> None:
        self.action_close()
