"""Where things live.

Every path the program reads or writes comes from here. Nothing is created at import
time: callers create folders when they first write into them.

Overrides, most specific first:
- command-line options (``--scores PATH``, ``--decks DIR``), passed to ``Locations.from_env``;
- environment variables: ``QUIZAPP_SCORES`` (score file), ``QUIZAPP_DECKS`` (extra deck
  folders, separated by ``os.pathsep``), ``QUIZAPP_DATA_DIR`` (user data folder: scores and
  user decks), ``QUIZAPP_CONFIG_DIR`` (settings), ``QUIZAPP_CACHE_DIR`` (caches: safe to
  delete, never the truth);
- the platform's user folders (platformdirs).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "quizapp"
PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The user data folder: the score file and the user's own decks."""
    env = os.environ.get("QUIZAPP_DATA_DIR")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME))


def config_dir() -> Path:
    """The user config folder: settings such as the theme."""
    env = os.environ.get("QUIZAPP_CONFIG_DIR")
    return Path(env).expanduser() if env else Path(platformdirs.user_config_dir(APP_NAME))


def cache_dir() -> Path:
    """The user cache folder: parsed decks, so a big deck is read once (safe to delete)."""
    env = os.environ.get("QUIZAPP_CACHE_DIR")
    return Path(env).expanduser() if env else Path(platformdirs.user_cache_dir(APP_NAME))


def bundled_decks_dir() -> Path:
    """The decks that ship with quizapp (read-only).

    In a wheel they are packaged as ``quizapp/_bundled_decks``; in a source checkout or an
    editable install they are the repository's top-level ``decks/`` folder.
    """
    packaged = PACKAGE_DIR / "_bundled_decks"
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / "decks"


def bundled_dataset() -> Path:
    """The hand-made dataset of the seed article, shipped inside the package."""
    return PACKAGE_DIR / "datasets" / "trump_putin.toml"


@dataclass(frozen=True)
class Locations:
    """The resolved set of paths for one run of the program."""

    scores: Path
    user_decks: Path
    bundled_decks: Path
    extra_decks: tuple[Path, ...] = ()
    settings: Path = field(default_factory=lambda: config_dir() / "settings.toml")

    @property
    def deck_dirs(self) -> tuple[Path, ...]:
        """Deck folders in the order they are searched: bundled, user, then extra."""
        return (self.bundled_decks, self.user_decks, *self.extra_decks)

    @classmethod
    def from_env(
        cls, scores: Path | str | None = None, decks: Sequence[Path | str] = ()
    ) -> Locations:
        if scores is None:
            env = os.environ.get("QUIZAPP_SCORES")
            scores_path = Path(env).expanduser() if env else data_dir() / "scores.toml"
        else:
            scores_path = Path(scores).expanduser()
        extra = [Path(d).expanduser() for d in decks]
        env_decks = os.environ.get("QUIZAPP_DECKS")
        if env_decks:
            extra.extend(Path(p).expanduser() for p in env_decks.split(os.pathsep) if p)
        return cls(
            scores=scores_path,
            user_decks=data_dir() / "decks",
            bundled_decks=bundled_decks_dir(),
            extra_decks=tuple(extra),
            settings=config_dir() / "settings.toml",
        )
