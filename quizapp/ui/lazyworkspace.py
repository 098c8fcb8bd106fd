"""The app's ``Workspace``, made when first asked for.

Importing the workspace imports pydantic and the file models (about a tenth of a second
with the bundled decks), and home's first draw needs none of it: it draws from the deck
cache's index and the numbers the last count kept. So the app holds a ``LazyWorkspace``,
and the loading thread asks for the workspace first, after home is drawn. Anything that
asks earlier gets it made then (correct, only slower): there is only ever one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from quizapp.paths import Locations

if TYPE_CHECKING:
    from quizapp.workspace import Workspace


class LazyWorkspace:
    """A ``Workspace`` for ``locations`` and ``clock``, made by the first ``get`` (or the
    one a command already opened, ``workspace``)."""

    def __init__(self, locations: Locations, clock: Callable[[], datetime],
                 workspace: Workspace | None = None) -> None:
        if workspace is not None:
            locations, clock = workspace.locations, workspace.clock
        self.locations = locations
        self.clock = clock
        self._workspace = workspace
        self._making = threading.Lock()

    @property
    def made(self) -> bool:
        return self._workspace is not None

    def get(self) -> Workspace:
        workspace = self._workspace
        if workspace is None:
            with self._making:  # the loading thread and the UI thread may both ask
                if self._workspace is None:
                    from quizapp.workspace import Workspace

                    self._workspace = Workspace(self.locations, clock=self.clock)
                workspace = self._workspace
        return workspace
