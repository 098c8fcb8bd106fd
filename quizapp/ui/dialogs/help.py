"""Help: every key of the screen it was opened from, read from that screen's bindings.

``keys_of(screen)`` walks the screen's binding chain (the focused widget, its parents, the
screen, then the app) the way Textual dispatches a key, so the list is whatever the code
binds: nothing is written by hand here. Keys that do nothing at this moment (Next before
an answer, say) are listed dimmed with "not now".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from quizapp.ui.widgets.footer import FittedFooter


@dataclass(frozen=True)
class KeyRow:
    keys: str  # as the Footer shows them, e.g. "h / esc"
    description: str
    available: bool  # False: bound here but it does nothing at the moment
    main: bool = True  # shown in the Footer (the rest are listed after these)


@dataclass(frozen=True)
class KeyGroup:
    title: str
    rows: tuple[KeyRow, ...]


def _words(name: str) -> str:
    """``DeckTable`` -> ``Deck table``; ``action_toggle_dark`` -> ``Toggle dark``."""
    name = name.removeprefix("action_").replace("_", " ")
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).strip()
    return spaced[:1].upper() + spaced[1:].lower()


def _title(node: DOMNode, screen: Screen) -> str:
    if isinstance(node, App):
        return "Everywhere"
    if node is screen:
        return "On this screen"
    return f"In the {_words(type(node).__name__).lower()} (focused)"


def keys_of(screen: Screen) -> list[KeyGroup]:
    """The keys bound on ``screen`` now, grouped by where they are bound: the screen's
    own first, then the focused widget's, then the app's. A key bound in two places is
    listed where Textual looks first (the focused widget), as that is the one it runs."""
    app = screen.app
    taken: set[str] = set()
    groups: list[KeyGroup] = []
    for node, bindings in screen._modal_binding_chain:
        merged: dict[tuple[str, str], list[str]] = {}
        state: dict[tuple[str, str], bool] = {}
        main: dict[tuple[str, str], bool] = {}
        by_key: dict[str, list[tuple[Binding, bool | None]]] = {}
        for key, binding in bindings:
            if key not in taken:
                by_key.setdefault(key, []).append(
                    (binding, app._check_action_state(binding.action, node)))
        for key, candidates in by_key.items():
            # A key bound twice here (Escape: leave the field, else go home) shows the
            # binding that works now.
            binding, action_state = next(((b, s) for b, s in candidates if s), candidates[0])
            if action_state is False and not binding.description:
                continue
            taken.add(key)
            description = binding.description or binding.tooltip or _words(binding.action)
            name = binding.action
            if binding.group is not None:
                description, name = binding.group.description, f"group:{binding.group.description}"
            ident = (name, description)
            merged.setdefault(ident, []).append(app.get_key_display(binding))
            state[ident] = state.get(ident, False) or bool(action_state)
            main[ident] = main.get(ident, False) or binding.show
        rows = tuple(sorted(
            (KeyRow(" / ".join(dict.fromkeys(keys)), ident[1], state[ident], main[ident])
             for ident, keys in merged.items()),
            key=lambda row: not row.main))  # the Footer's keys first, in their order
        if rows:
            groups.append(KeyGroup(_title(node, screen), rows))
    # The screen's own keys first: they are what a person looks for (a focused table's
    # cursor keys and the app-wide ones come after).
    return sorted(groups, key=lambda g: g.title != "On this screen")


def render_groups(groups: list[KeyGroup]) -> Content:
    width = max((len(row.keys) for g in groups for row in g.rows), default=0)
    lines: list[Content] = []
    for group in groups:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(group.title, "bold underline"))
        for row in group.rows:
            style = "" if row.available else "$text-muted"
            tail = "" if row.available else " (not now)"
            lines.append(Content.assemble((f"{row.keys:>{width}}", "bold $accent"), "  ",
                                          (row.description + tail, style)))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """The keys of one screen (``keys_of``), over it; any of the closing keys goes back."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    HelpScreen #help-title { text-style: bold; margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("escape,question_mark,f1,q", "close", "Close help"),
    ]

    def __init__(self, title: str, groups: list[KeyGroup]) -> None:
        super().__init__()
        self.help_title = title
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(f"Keys: {self.help_title}", id="help-title", markup=False)
            yield Static(render_groups(self.groups), id="help-keys")
        yield FittedFooter()

    def action_close(self) -> None:
        self.dismiss(None)
