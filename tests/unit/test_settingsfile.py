"""The settings file read without pydantic (home's first draw: the theme, and the settings
the kept numbers depend on) gives exactly what the settings model reads, or nothing: it
never shows a theme or numbers the model would not."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.settings import Settings, SettingsError, load_settings
from quizapp.settingsfile import PlainSettings, read_plainly

KEYS = ("theme", "review_streak", "new_per_day", "leech_threshold")
VALUES = st.one_of(
    st.integers(min_value=-3, max_value=1003),
    st.booleans(),
    st.floats(min_value=-2, max_value=30, allow_nan=False).map(lambda f: round(f * 2) / 2),
    st.sampled_from(["nord", "gruvbox", "", "5", "textual-light"]),
    st.lists(st.integers(0, 3), max_size=2),
)
DOCUMENTS = st.dictionaries(st.sampled_from((*KEYS, "theme_", "colour")), VALUES, max_size=5)


def _both(path: Path) -> tuple[PlainSettings | None, Settings | None]:
    try:
        full = load_settings(path)
    except SettingsError:
        full = None
    return read_plainly(path), full


@settings(max_examples=150, deadline=None)
@given(DOCUMENTS)
def test_what_is_read_plainly_is_what_the_model_reads(tmp_path_factory, document) -> None:
    path = tmp_path_factory.mktemp("settings") / "settings.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    plain, full = _both(path)
    if plain is not None:
        assert full is not None and dataclasses.asdict(plain) == full.model_dump()
    certain = set(document) <= set(KEYS) and all(
        type(v) is str if k == "theme" else type(v) is int for k, v in document.items())
    if certain and full is not None:
        assert plain is not None  # a plainly valid file is read plainly


def test_no_file_is_the_defaults_and_a_broken_one_is_left_to_the_model(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    assert _both(path) == (PlainSettings(), Settings())
    assert dataclasses.asdict(PlainSettings()) == Settings().model_dump()
    for text in ('theme = "nord"\ntheme = "x"\n', "theme = \n", "\ufefftheme = 'nord'\n",
                 'review_streak = "3"\n', "review_streak = 3.0\n", "new_per_day = true\n"):
        path.write_text(text, encoding="utf-8")
        assert read_plainly(path) is None, text
    path.write_bytes(b"theme = '\xff'\n")
    assert read_plainly(path) is None
    path.unlink()
    path.mkdir()
    assert read_plainly(path) is None
