"""A Footer that fits its width: on a narrow terminal it keeps the keys that matter.

Textual's ``Footer`` lays every shown key out in one row and cuts the row at the edge
(``m Mi``, ``q Qu``). ``FittedFooter`` asks its screen which actions matter most
(``FOOTER_PRIORITY``, most important first) and leaves out the others, then the least
important of those, until the row fits; the palette key goes first of all. Keys left
out still work, and the help screen (``?``/F1) lists them all.
"""

from __future__ import annotations

from textual.compose import compose as compose_children  # what Widget.recompose uses
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup  # what Footer yields

PALETTE = "-command-palette"


def _width(widget: Widget, compact: bool) -> int:
    """Columns a footer piece takes (Textual pads a key with a space each side and puts a
    space after the description; compact mode drops one)."""
    if isinstance(widget, FooterKey):
        text = len(widget.key_display) + (len(widget.description) + 1 if widget.description else 0)
        return text + (1 if compact else 2) + (1 if widget.has_class(PALETTE) else 0)
    if isinstance(widget, FooterLabel):
        return len(str(widget.render())) + 1
    if isinstance(widget, KeyGroup):  # "1 2 3 4" of a group, the label comes after it
        return sum(len(k.key_display) + 1 for k in _keys(widget)) + 1
    return 0


def _keys(widget: Widget) -> list[FooterKey]:
    if isinstance(widget, FooterKey):
        return [widget]
    children = [*widget.children, *getattr(widget, "_pending_children", [])]
    return [child for child in children if isinstance(child, FooterKey)]


def _shown(widget: Widget) -> tuple:
    """What a footer piece shows and does, to tell whether a recompose would change it."""
    if isinstance(widget, FooterKey):
        return (widget.key, widget.key_display, widget.description, widget.action,
                widget._disabled, str(widget.tooltip), sorted(widget.classes))
    if isinstance(widget, FooterLabel):
        return ("label", str(widget.render()))
    return (type(widget).__name__, sorted(widget.classes), [_shown(k) for k in _keys(widget)])


def _units(pieces: list[Widget]) -> list[list[Widget]]:
    """Pieces that come and go together: a key, or a key group with its label."""
    units: list[list[Widget]] = []
    for piece in pieces:
        if isinstance(piece, FooterLabel) and units and isinstance(units[-1][0], KeyGroup):
            units[-1].append(piece)
        else:
            units.append([piece])
    return units


class FittedFooter(Footer):
    """``Footer`` that drops the least important keys when they do not fit."""

    _fitted_to = 0  # the width the keys were last fitted to
    _showing: list[tuple] | None = None  # what the last compose put in the footer

    def compose(self) -> ComposeResult:
        pieces = list(super().compose())
        self._fitted_to = self.size.width or self.app.size.width
        fitted = self.fit(pieces, self._fitted_to)
        for piece in fitted:
            for key in _keys(piece):
                if key.has_class(PALETTE):
                    continue  # not bound to the Footer: it stays compact, as Textual has it
                # Every other FooterKey starts compact and is then bound to the Footer's value
                # (not compact): two full style updates per key on every recompose. Setting
                # that value and class before mounting makes both no-ops (same look).
                key.set_reactive(FooterKey.compact, self.compact)
                key.set_class(self.compact, "-compact", update=False)
        self._showing = [_shown(piece) for piece in fitted]
        yield from fitted

    async def recompose(self) -> None:
        """Recompose only when the keys would change. Textual recomposes the footer on
        every bindings update (each focus change, each ``refresh_bindings``), and two
        times in three it would put back the very same keys, at the cost of unmounting
        and restyling every one of them."""
        if not self.is_attached or self._pruning:
            return
        before = self._showing
        pieces = compose_children(self)
        if self._showing == before:
            return
        async with self.batch():  # as Widget.recompose does
            await self.query_children("*").exclude(".-textual-system").remove()
            if self.is_attached:
                await self.mount_all(pieces)

    def bindings_changed(self, screen: Screen) -> None:
        """As ``Footer`` does, except for the first keys of a screen: those are put in
        now, not after the next refresh, so a screen's first frame shows its keys
        (Textual's Footer paints a frame with none, then lays the screen out and renders
        it again with them). Later changes wait for a refresh, as in ``Footer``."""
        if self._showing:
            super().bindings_changed(screen)
            return
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_next(self.recompose)

    def fit(self, pieces: list[Widget], width: int) -> list[Widget]:
        priority = list(getattr(self.screen, "FOOTER_PRIORITY", ()))

        def rank(unit: list[Widget]) -> int:
            """Higher goes first: the palette key, unlisted keys, then listed ones by
            their place in ``FOOTER_PRIORITY``."""
            if unit[0].has_class(PALETTE):
                return len(priority) + 2
            actions = {k.action.removeprefix("app.").removeprefix("screen.").split("(")[0]
                       for k in _keys(unit[0])}
            for index, name in enumerate(priority):
                if name in actions:
                    return index
            return len(priority) + 1

        units = _units(pieces)
        while len(units) > 1 and sum(
                _width(w, self.compact) for unit in units for w in unit) > width:
            worst = max(units, key=lambda u: (rank(u), units.index(u)))
            units.remove(worst)
        return [w for unit in units for w in unit]

    def on_resize(self) -> None:
        # Only a new width can change which keys fit (and recomposing for nothing would
        # leave the Footer empty for a frame).
        if self.size.width and self.size.width != self._fitted_to:
            self.call_after_refresh(self.recompose)
