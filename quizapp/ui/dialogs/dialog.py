"""``Dialog``: the base of every modal dialog, so that ?/F1 lists its keys there too.

A modal screen stops the app's bindings (Textual does not pass keys through a modal), so
the app's ?/F1 never reached a dialog. The keys here run the app's help action, which
lists the keys of the dialog on top. A focused Input or TextArea takes '?' as text before
this binding is looked at; F1 is not a character, so it opens help from a field too.
"""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen

ResultT = TypeVar("ResultT")


HELP_KEYS = (
    Binding("f1", "app.help", "Help"),
    Binding("question_mark", "app.help", "Help", show=False),
)


class Dialog(ModalScreen[ResultT]):
    """A modal screen whose keys end with ?/F1 Help (after the dialog's own keys, so the
    Footer shows what the dialog does first, as the app's Help comes last on a screen).
    ``HELP_NAME`` names the dialog in the help's title."""

    HELP_NAME = ""

    def __init_subclass__(cls, **kwargs: object) -> None:
        inherited = any(issubclass(base, Dialog) and base is not Dialog for base in cls.__mro__[1:])
        if not inherited:  # before Textual's own hook, which merges the bindings
            cls.BINDINGS = [*cls.__dict__.get("BINDINGS", []), *HELP_KEYS]
        super().__init_subclass__(**kwargs)
