"""Plain mode: `quizapp play DECK --plain` asks line by line and keeps every answer in the
same score file as the app."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.store import ScoreStore

DECK = """\
format = 1

[deck]
id = "plain-demo"
title = "Plain [bold]demo[/bold]"

[[cards]]
id = "c1"
kind = "choice"
question = "Who hosted the 2018 summit in Helsinki? \\u001b[31m"
answer = "Finland"
distractors = ["Japan", "Germany", "France"]
explanation = "Helsinki is Finland's capital."
section = "Helsinki, Finland: Summit, July 2018"

[[cards]]
id = "t1"
kind = "text"
question = "Which city hosted the June 2019 G-20?"
answer = "Osaka"
accept = ["Osaka, Japan"]

[[cards]]
id = "f1"
kind = "flip"
question = "How long did the Hamburg bilateral last?"
answer = "More than two hours"

[[cards]]
id = "o1"
kind = "order"
question = "Put these in order"
answer = ["Hamburg", "Helsinki", "Osaka"]
"""


@pytest.fixture
def deck_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "extra-decks"
    folder.mkdir()
    (folder / "plain-demo.toml").write_text(DECK, encoding="utf-8")
    return folder


def play(deck_dir: Path, scores: Path, lines: list[str], monkeypatch, capsys, *extra: str) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))
    code = main(["play", "plain-demo", "--plain", "--seed", "1", "--decks", str(deck_dir),
                 "--scores", str(scores), *extra])
    assert code == 0
    return capsys.readouterr().out


def order_answer(out: str) -> str:
    """The numbers that put the shown order items into the right order."""
    block = out.split("Put these in order")[1]
    shown = [line.split(") ", 1)[1] for line in block.splitlines() if line.strip()[:2] in {"1)", "2)", "3)"}]
    return " ".join(str(shown.index(name) + 1) for name in ["Hamburg", "Helsinki", "Osaka"])


def test_whole_session_is_recorded(deck_dir: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    scores = tmp_path / "scores.toml"
    # First pass to learn the shuffled layout, answering nothing (quit at once).
    out = play(deck_dir, scores, [":q"], monkeypatch, capsys)
    assert "Score: 0/0" in out
    assert not scores.exists() and not Path(f"{scores}.journal").exists()  # nothing answered, nothing written

    lines = ["Finland", "osaka japan", "", "3", ""]
    # The order card's items are shuffled with a fixed seed: read them from a dry run.
    out = play(deck_dir, scores, lines[:4] + [":q"], monkeypatch, capsys)
    numbers = order_answer(out)
    store = ScoreStore(scores)
    store.load()
    assert store.scores.cards["plain-demo"]["c1"].right == 1
    out = play(deck_dir, scores, lines[:4] + [numbers], monkeypatch, capsys)
    assert out.count("Right!") == 3  # choice, text and the order card
    assert "Graded: Good." in out  # the flip card is graded by the person
    assert "Score: 4/4 (100%)" in out
    assert "From the article: Helsinki, Finland: Summit, July 2018" in out
    assert "\x1b" not in out and "␛[31m" in out  # control characters are shown, not obeyed
    assert "Plain [bold]demo[/bold]" in out  # markup is text

    store = ScoreStore(scores)
    scores_now = store.load()
    records = scores_now.cards["plain-demo"]
    assert records["c1"].seen == 2 and records["c1"].right == 2
    assert records["o1"].right == 1 and records["f1"].right == 2
    last = scores_now.sessions[-1]
    assert (last.deck, last.score, last.total, last.missed) == ("plain-demo", 4, 4, [])


def test_wrong_skip_undo_and_summary(deck_dir: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    scores = tmp_path / "scores.toml"
    out = play(deck_dir, scores, ["Japan", "Paris", ":u", "Lima", ":s", ":q"], monkeypatch, capsys)
    assert "Wrong. The answer: Finland" in out
    assert "Undone: that question again." in out
    assert "Skipped." in out
    assert "Score: 0/2 (0%)" in out
    assert "Missed:" in out and "answer: Osaka" in out
    records = ScoreStore(scores).load().cards["plain-demo"]
    assert records["t1"].wrong == 1 and records["t1"].seen == 1  # the undone answer is gone
    assert "f1" not in records  # skipped: nothing recorded


def test_bad_choice_input_is_asked_again(deck_dir: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    out = play(deck_dir, tmp_path / "s.toml", ["9", "Finland", ":q"], monkeypatch, capsys)
    assert "Type a number from 1 to 4" in out and "Right!" in out


def test_unknown_deck_is_a_clear_error(deck_dir: Path, tmp_path: Path, capsys) -> None:
    assert main(["play", "nope", "--plain", "--decks", str(deck_dir)]) == 1
    err = capsys.readouterr().err
    assert "no deck with id 'nope'" in err and "plain-demo" in err


def test_plain_mode_end_to_end_in_a_process(deck_dir: Path, tmp_path: Path) -> None:
    """The real console script, stdin closed early: answers so far are kept."""
    scores = tmp_path / "scores.toml"
    env = {**os.environ, "QUIZAPP_SCORES": str(scores), "QUIZAPP_DECKS": str(deck_dir)}
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "play", "plain-demo", "--plain"],
        input="Finland\n", capture_output=True, text=True, env=env, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Right!" in proc.stdout and "Score: 1/1" in proc.stdout
    assert ScoreStore(scores).load().cards["plain-demo"]["c1"].right == 1


class _InterruptAfter(io.StringIO):
    """stdin that gives its lines, then a ctrl+c at the next prompt."""

    def readline(self, *args) -> str:
        line = super().readline(*args)
        if not line:
            raise KeyboardInterrupt
        return line


def test_ctrl_c_ends_the_session_and_keeps_its_score(deck_dir: Path, tmp_path: Path,
                                                     monkeypatch, capsys) -> None:
    scores = tmp_path / "scores.toml"
    monkeypatch.setattr(sys, "stdin", _InterruptAfter("Finland\n"))
    code = main(["play", "plain-demo", "--plain", "--decks", str(deck_dir),
                 "--scores", str(scores)])
    assert code == 130
    assert "Score: 1/1 (100%)" in capsys.readouterr().out
    last = ScoreStore(scores).load().sessions[-1]
    assert (last.score, last.total) == (1, 1) and last.end is not None


def test_visible_text_helper() -> None:
    from quizapp.text import visible

    assert visible("a\x1b[2Jb\x07\u202ec") == "a␛[2Jb␇<U+202E>c"
    assert visible("two\nlines\tok") == "two\nlines    ok"
    assert visible("two\r\nlines", one_line=True) == "two ⏎ lines"
    assert visible("[bold]x[/]") == "[bold]x[/]"  # markup is not a terminal matter


def test_visible_text_keeps_the_joiners_that_belong_to_the_writing() -> None:
    from quizapp.text import visible

    # Emoji sequences, Persian spelling (ZWNJ), Thai word breaks (ZWSP): shown as written.
    for text in ["👩\u200d👩\u200d👧 family", "👨\u200d💻", "می\u200cخواهم", "क्\u200dष",
                 "ภาษา\u200bไทย", "a\u2060b"]:
        assert visible(text) == text
    # A subdivision flag spelled by tag characters after its black flag stays a flag ...
    scotland = "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"
    assert visible(f"{scotland} Scotland") == f"{scotland} Scotland"
    # ... but tag characters hidden anywhere else show, as do bidi overrides and marks.
    assert visible("ok\U000E0041\U000E0042") == "ok<U+E0041><U+E0042>"
    assert visible("\U0001F3F4\U000E0067 unclosed") == "\U0001F3F4<U+E0067> unclosed"
    assert visible("a\u202eb\u2066c\u200e") == "a<U+202E>b<U+2066>c<U+200E>"
    # A soft hyphen is a hint for breaking a word, which a terminal never does.
    assert visible("infor\u00admation") == "information"


def test_a_finished_session_counts_its_skipped_questions_as_home_does(
        deck_dir: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    """Answering one question right and skipping the other three is 1/4, as home's Best and
    Last and `quizapp stats` score the same session, not 1/1 (100%)."""
    scores = tmp_path / "scores.toml"
    out = play(deck_dir, scores, ["Finland", ":s", ":s", ":s"], monkeypatch, capsys)
    assert "Score: 1/4 (25%)" in out and "Skipped: 3" in out
    code = main(["stats", "--json", "--decks", str(deck_dir), "--scores", str(scores)])
    assert code == 0
    deck = next(d for d in json.loads(capsys.readouterr().out)["decks"] if d["id"] == "plain-demo")
    assert (deck["last"]["score"], deck["last"]["out_of"], deck["last"]["percent"]) == (1, 4, 25.0)
