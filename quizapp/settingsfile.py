"""The settings file read without pydantic, for the home screen's first draw (the theme,
and the settings the kept numbers depend on), and the defaults and bounds that
``settings.Settings`` (the one model of the file) is built from.

``read_plainly`` accepts only what is certainly valid: known keys, a string theme, whole
numbers (not booleans or floats) within the bounds. Then it gives exactly what
``settings.load_settings`` gives. Anything else, an error or a value the model might
coerce, is None: the caller waits for the model's reading then, which also words the
error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quizapp import tomlio

# A settings file is a few lines; anything this big is not one.
MAX_SETTINGS_BYTES = 1024 * 1024

DEFAULT_THEME = "textual-dark"
# name -> (default, lowest, highest)
NUMBERS = {
    # Right answers in a row that take a card off the missed list.
    "review_streak": (2, 1, 20),
    # New cards the "Due" mode introduces per day.
    "new_per_day": (10, 0, 1000),
    # Wrong answers after which a card is marked as a leech.
    "leech_threshold": (8, 2, 100),
}


@dataclass(frozen=True)
class PlainSettings:
    """The settings as ``read_plainly`` found them (the fields of ``settings.Settings``)."""

    theme: str = DEFAULT_THEME
    review_streak: int = NUMBERS["review_streak"][0]
    new_per_day: int = NUMBERS["new_per_day"][0]
    leech_threshold: int = NUMBERS["leech_threshold"][0]


def read_plainly(path: Path) -> PlainSettings | None:
    """The settings in ``path`` (defaults when there is no such file), read as
    ``settings.load_settings`` reads them; None when that reading might differ or fail."""
    try:
        raw = tomlio.read_bytes(path, MAX_SETTINGS_BYTES, "a settings file")
    except FileNotFoundError:
        return PlainSettings()
    except (OSError, tomlio.FileProblem):
        return None
    try:
        data = tomlio.parse_toml(tomlio.decode_text(raw, path), path)
    except (tomlio.FileProblem, ValueError):
        return None
    if not isinstance(data, dict) or not set(data) <= {"theme", *NUMBERS}:
        return None
    theme = data.get("theme", DEFAULT_THEME)
    if type(theme) is not str:
        return None
    numbers = {}
    for name, (default, lowest, highest) in NUMBERS.items():
        value = data.get(name, default)
        if type(value) is not int or not lowest <= value <= highest:
            return None
        numbers[name] = value
    return PlainSettings(theme=theme, **numbers)
