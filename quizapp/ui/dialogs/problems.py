"""The deck files that could not be read, one problem a line (``file:line: field: message``),
opened from home with ``p``. Problem text quotes people's files: it is shown literally."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from quizapp.text import visible
from quizapp.ui.dialogs.dialog import Dialog
from quizapp.ui.widgets.footer import FittedFooter


class ProblemsScreen(Dialog[None]):
    DEFAULT_CSS = """
    ProblemsScreen { align: center middle; }
    ProblemsScreen > VerticalScroll {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 0 1;
    }
    ProblemsScreen #problems-title { text-style: bold; margin-bottom: 1; }
    ProblemsScreen .problem { margin-bottom: 1; }
    """

    HELP_NAME = "Problems with deck files"
    BINDINGS = [Binding("escape,q,p,enter", "close", "Close")]

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = list(problems)

    def compose(self) -> ComposeResult:
        count = len(self.problems)
        with VerticalScroll():
            yield Static(f"{count} problem{'s' if count != 1 else ''} with deck files (a "
                         "file with a problem is not listed); fix the file and come back to "
                         "home (or press r there).",
                         id="problems-title", markup=False)
            for problem in self.problems:
                yield Static(visible(problem), classes="problem", markup=False)
        yield FittedFooter()

    def action_close(self) -> None:
        self.dismiss(None)
