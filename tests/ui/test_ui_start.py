"""Small stays instant (issue 12): with only the bundled decks, a start draws home before
pydantic and the file models are imported (a third of a small start), and what it draws
then is exactly what home shows once the decks and scores are loaded, keys included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from quizapp.decks import discover
from quizapp.paths import Locations

FIRST_DRAW = Path(__file__).with_name("first_draw.py")


def _start() -> dict:
    """A fresh process starting the app headless (``first_draw.py``)."""
    done = subprocess.run([sys.executable, str(FIRST_DRAW)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_home_first_draws_the_bundled_decks_before_pydantic_is_imported() -> None:
    _start()  # the first start reads the decks: it fills the deck cache, keeps the numbers
    started = _start()
    first = started["first"]
    assert first["pydantic"] is False
    assert first["emoji"] is False  # home's plain words are not read as markup
    assert first["toml"] is False  # the kept numbers and deck index, not a TOML file read
    assert first["commands"] == []  # no command line parser built for commands not asked for
    assert not started["still_loading"]
    decks = discover(Locations.from_env()).entries
    assert len(decks) >= 2
    shown = {row[0]: row for row in first["rows"]}
    for entry in decks:
        title = entry.deck.deck.title
        assert shown[title][1] == str(len(entry.deck.asked))  # its cards
        assert title[:20] in first["text"]  # on the terminal (a long title ends in "…")
    assert "…" not in {cell for row in first["rows"] for cell in row}  # every number there
    assert first["rows"] == started["loaded"]  # the same as once everything is loaded
    footer = first["text"].splitlines()[-1]  # and the keys, in that same first frame
    assert "Play deck" in footer and "Quit" in footer
