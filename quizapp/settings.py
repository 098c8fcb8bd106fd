"""The person's settings: a small TOML file in the config folder (see ``paths``).

A missing file means defaults. A file that cannot be read is reported with its path and
left untouched; the program then runs on defaults without overwriting it.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError

from quizapp import errors, tomlio
from quizapp.fsutil import atomic_write_text
from quizapp.models import Model


# A settings file is a few lines; anything this big is not one.
MAX_SETTINGS_BYTES = 1024 * 1024


SettingsError = errors.SettingsError  # part of the settings API


class Settings(Model):
    theme: str = "textual-dark"
    # Right answers in a row that take a card off the missed list.
    review_streak: int = Field(default=2, ge=1, le=20)
    # New cards the "Due" mode introduces per day.
    new_per_day: int = Field(default=10, ge=0, le=1000)
    # Wrong answers after which a card is marked as a leech.
    leech_threshold: int = Field(default=8, ge=2, le=100)


def load_settings(path: Path) -> Settings:
    """Read settings; defaults when the file does not exist. Raises ``SettingsError``
    naming every problem as ``file:line: field: message`` (an unknown or misspelt key
    is one of them)."""
    try:
        text = tomlio.decode_text(tomlio.read_bytes(path, MAX_SETTINGS_BYTES, "a settings file"), path)
        data = tomlio.parse_toml(text, path)
    except FileNotFoundError:
        return Settings()
    except tomlio.FileProblem as exc:
        raise SettingsError(str(exc)) from None
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        from quizapp.decks import validation_problems

        raise SettingsError(validation_problems(path, exc, text)) from None


def save_settings(path: Path, settings: Settings) -> None:
    """Write ``settings``, keeping the person's file as it is around what changed: its
    comments, order and layout stay; a key is set only when its value changed, and a
    missing key is added only when it differs from the default (``tomlkit``). Raises
    ``SettingsError`` (nothing written) when the file can no longer be read."""
    import tomlkit  # only a change of theme writes settings: not imported at start
    from tomlkit.exceptions import TOMLKitError

    try:
        raw = tomlio.read_bytes(path, MAX_SETTINGS_BYTES, "a settings file")
        document = tomlkit.parse(tomlio.decode_text(raw, path))
    except FileNotFoundError:
        document = tomlkit.document()
    except tomlio.FileProblem as exc:
        raise SettingsError(f"{exc}; the settings were not saved") from None
    except TOMLKitError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc}); the settings were not saved") from None
    defaults = Settings().model_dump()
    for key, value in settings.model_dump().items():
        if key in document:
            current = document[key]
            if (current.unwrap() if hasattr(current, "unwrap") else current) != value:
                document[key] = value
        elif value != defaults[key]:
            document[key] = value
    atomic_write_text(path, tomlkit.dumps(document))
