"""The footer: a screen's keys on one line that fits its width, drawn by one widget.

Textual's ``Footer`` lays every shown key out in one row and cuts the row at the edge
(``m Mi``, ``q Qu``). ``FittedFooter`` asks its screen which actions matter most
(``FOOTER_PRIORITY``, most important first) and leaves out the others, then the least
important of those, until the row fits; the palette key goes first of all. Keys left
out still work, and the help screen (``?``/F1) lists them all.

It looks and behaves as Textual's ``Footer`` (the same keys, grouped the same way, in
the same theme colours; a click on a key presses it, a disabled one rings the bell; a
key under the mouse is highlighted and shows its tooltip), but it is one widget that
draws the keys as text, not a container of one widget per key. A screen's first frame
has its keys without mounting, styling and laying out ten widgets (and laying the
screen out again once they are mounted): about a twentieth of a start.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


class Key(NamedTuple):
    """One key as the footer shows it."""

    key: str  # what a click presses
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str


class Unit(NamedTuple):
    """What comes and goes together: one key, or a group's keys with its label
    (``1 2 3 Choose``), or the palette key."""

    keys: tuple[Key, ...]
    label: str | None = None  # a group's
    palette: bool = False

    @property
    def actions(self) -> set[str]:
        return {k.action.removeprefix("app.").removeprefix("screen.").split("(")[0]
                for k in self.keys}

    @property
    def width(self) -> int:
        """The columns it takes on the line (as ``FittedFooter.render`` draws it)."""
        if self.label is not None:  # "  1 2 3 Choose "
            return 1 + sum(1 + len(k.display) for k in self.keys) + 1 + len(self.label) + 1
        key = self.keys[0]
        if self.palette:  # "▏^p palette "
            return 1 + len(key.display) + 1 + len(key.description) + 1
        if key.description:  # " q Quit "
            return len(key.display) + len(key.description) + 3
        return len(key.display)


class FittedFooter(Widget, can_focus=False):
    """A footer of the screen's keys that drops the least important when they do not
    fit (see the module doc)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer-key",
        "footer-key--hover",
        "footer-key--key",
        "footer-key--description",
        "footer-key--separator",
    }
    DEFAULT_CSS = """
    FittedFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .footer-key {
            background: $footer-item-background;
        }
        .footer-key--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--separator {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        # Where each shown key is on the line: (first column, end, key).
        self._spots: list[tuple[int, int, Key]] = []
        self._hover: Key | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    # ------------------------------------------------------------------ which keys

    def units(self) -> list[Unit]:
        """The screen's shown keys, as Textual's ``Footer`` groups them (one per action,
        a group's keys together when there are several), then the palette key."""
        app = self.app
        active = self.screen.active_bindings
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        units: list[Unit] = []
        for group, members in groupby(by_action.values(), lambda m: m[0][0].group):
            members = list(members)
            if group is not None and len(members) > 1:
                keys = tuple(Key(b.key, app.get_key_display(b), "", b.action, enabled,
                                 tooltip or b.description)
                             for b, enabled, tooltip in (m[0] for m in members))
                units.append(Unit(keys, group.description))
            else:
                units.extend(Unit((Key(b.key, app.get_key_display(b), b.description, b.action,
                                       enabled, tooltip),))
                             for b, enabled, tooltip in (m[0] for m in members))
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, b, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            units.append(Unit((Key(b.key, app.get_key_display(b), b.description, b.action,
                                   enabled, b.tooltip or b.description),), palette=True))
        return units

    def fit(self, units: list[Unit], width: int) -> list[Unit]:
        """``units`` less the least important ones, until they fit ``width``."""
        priority = list(getattr(self.screen, "FOOTER_PRIORITY", ()))

        def rank(unit: Unit) -> int:
            """Higher goes first: the palette key, unlisted keys, then listed ones by
            their place in ``FOOTER_PRIORITY``."""
            if unit.palette:
                return len(priority) + 2
            actions = unit.actions
            for index, name in enumerate(priority):
                if name in actions:
                    return index
            return len(priority) + 1

        units = list(units)
        while len(units) > 1 and sum(unit.width for unit in units) > width:
            worst = max(units, key=lambda u: (rank(u), units.index(u)))
            units.remove(worst)
        return units

    # ------------------------------------------------------------------ drawing

    def render(self) -> Text:
        width = self.size.width or self.app.size.width
        units = self.fit(self.units(), width)
        styles = {name: self.get_component_rich_style(name)
                  for name in ("footer-key", "footer-key--hover", "footer-key--separator")}
        # The key's and description's own colours over the key's (highlighted when the mouse
        # is over it): only what they set, as Textual's FooterKey composes them.
        for name in ("footer-key--key", "footer-key--description"):
            styles[name] = self.get_component_styles(name).partial_rich_style
        line = Text(no_wrap=True, overflow="crop", end="")
        spots: list[tuple[int, int, Key]] = []

        def add(key: Key, parts: list[tuple[str, Style]]) -> None:
            # A key's own look under its parts, as Textual's FooterKey widget had it.
            base = styles["footer-key--hover" if key == self._hover else "footer-key"]
            if not key.enabled:
                base += Style(dim=True)
            start = line.cell_len
            for text, style in parts:
                line.append(text, base + style)
            spots.append((start, line.cell_len, key))

        key_style, description = styles["footer-key--key"], styles["footer-key--description"]
        palette = None
        for unit in units:
            if unit.palette:
                palette = unit
            elif unit.label is not None:
                line.append(" ")
                for key in unit.keys:
                    line.append(" ")
                    add(key, [(key.display, key_style)])
                line.append(" ")
                line.append(unit.label, description)
                line.append(" ")
            else:
                key = unit.keys[0]
                if key.description:
                    add(key, [(f" {key.display} ", key_style), (f"{key.description} ", description)])
                else:
                    add(key, [(key.display, key_style)])
        if palette is not None:  # at the right edge, after a thin line
            key = palette.keys[0]
            room = width - line.cell_len - (len(key.display) + len(key.description) + 3)
            line.append(" " * max(0, room))
            line.append("▏", styles["footer-key--separator"])
            add(key, [(key.display, key_style), (f" {key.description}", description), (" ", Style())])
        self._spots = spots
        return line

    # ------------------------------------------------------------------ the mouse

    def _key_at(self, x: int) -> Key | None:
        return next((key for start, end, key in self._spots if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hovering(self._key_at(event.x))

    def on_leave(self) -> None:
        self._hovering(None)

    def _hovering(self, key: Key | None) -> None:
        if key != self._hover:
            self._hover = key
            self.tooltip = key.tooltip if key is not None and key.tooltip else None
            self.refresh()
