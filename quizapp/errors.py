"""One error hierarchy: every problem quizapp tells a person is a ``QuizappError``.

A front end catches ``QuizappError`` (or one of its kinds) and shows ``problems``, one line
each; anything else is a bug. Each kind lives here so that a module raising it and a
module catching it need not import each other.

    QuizappError
    ├── DeckError          a deck file cannot be used (or written)
    ├── DatasetError       a dataset file cannot be used
    ├── SettingsError      the settings file cannot be used
    ├── ScoreFileError     the score file cannot be used (store.ScoreWriteError: not written)
    ├── tomlio.FileProblem a file cannot be read as TOML (the one reader's error)
    ├── InteropError       an import or export failed
    ├── NotFound           a deck or card named by the person does not exist
    └── NoCards            a session would have no card to ask
"""

from __future__ import annotations

from collections.abc import Iterable


class QuizappError(Exception):
    """A problem to tell a person. ``problems`` holds one line per problem; ``str()``
    joins them with newlines."""

    def __init__(self, problems: str | Iterable[str]) -> None:
        lines = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(lines))
        self.problems = lines


class DeckError(QuizappError):
    """A deck file could not be used, or a deck could not be written."""


class SettingsError(QuizappError):
    """The settings file exists but cannot be used; the message names file and field."""


class ScoreFileError(QuizappError):
    """The score file cannot be used as it is; one line naming the file at fault (and the
    field), and what is safe."""


class DatasetError(QuizappError):
    """A dataset file could not be used."""


class InteropError(QuizappError):
    """An import or export failed."""


class NotFound(QuizappError):
    """A deck or card named by the person does not exist; the message says which."""


class NoCards(QuizappError, ValueError):
    """A session would have no card to ask (for example, every card is suspended)."""
