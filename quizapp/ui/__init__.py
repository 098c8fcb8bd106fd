"""The Textual front end: ``ui.app.make_app`` builds the app."""

from __future__ import annotations

import gc


def collect_after_start() -> None:
    """Pause the cyclic garbage collector until home shows the data (``ui.loading``
    freezes what was loaded and resumes it). Call it before importing the app.

    Starting imports Textual and quizapp and reads the decks and the score file: a few
    hundred thousand objects, and no garbage in cycles among them (a full collection
    right after loading finds none), yet the collector ran about 170 times over them
    before home was drawn, a sixth of the start with the bundled decks."""
    gc.disable()


def leave_to_exit() -> None:
    """The app has ended and so does the process: leave what it loaded to the operating
    system. Python's final collection would otherwise walk all of it (ui.loading lets the
    collector see it again when the app ends): 3-5 s after quitting a 100k-card
    collection, against 0.2 s. Call it only when nothing else runs in this process."""
    gc.freeze()
