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
from quizapp.settingsfile import DEFAULT_THEME, MAX_SETTINGS_BYTES, NUMBERS


SettingsError = errors.SettingsError  # part of the settings API


def _number(name: str) -> int:
    default, lowest, highest = NUMBERS[name]  # (what each one means: ``settingsfile``)
    return Field(default=default, ge=lowest, le=highest)


class Settings(Model):
    theme: str = DEFAULT_THEME
    review_streak: int = _number("review_streak")
    new_per_day: int = _number("new_per_day")
    leech_threshold: int = _number("leech_threshold")


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
