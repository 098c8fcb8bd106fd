"""`quizapp serve` on the command line: its options, the missing web extra, and the
command each browser tab runs. (Serving and playing: tests/ui/test_serve*.py.)"""

from __future__ import annotations

import io
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.cli import build_parser, main, no_terminal
from quizapp.commands.serve import app_command


def test_help_says_it_binds_to_this_machine_unless_told_otherwise(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "--host" in out and "--port" in out and "--public-url" in out
    assert "127.0.0.1 (this machine only)" in out
    assert "quizapp[web]" in out


def test_without_the_web_extra_it_names_the_command_that_installs_it(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['textual_serve'] = None  # as if the web extra were not installed\n"
        "from quizapp.cli import main\n"
        "raise SystemExit(main(['serve']))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, timeout=60,
                         env={**os.environ, "QUIZAPP_SCORES": str(tmp_path / "s.toml")})
    assert out.returncode == 1
    [line] = out.stderr.splitlines()
    assert line.startswith("quizapp: serve: needs the web extra, textual-serve")
    install = line.split("install it with: ", 1)[1]
    argv = shlex.split(install)
    assert argv[:4] == [sys.executable, "-m", "pip", "install"]
    assert argv[-1].endswith("[web]")  # quizapp[web], or this checkout's path with [web]
    assert not (tmp_path / "s.toml").exists()


@pytest.mark.parametrize(("argv", "message"), [
    (["serve", "--port", "0"], "--port: 0 is not a port (1-65535)"),
    (["serve", "--port", "70000"], "--port: 70000 is not a port (1-65535)"),
    (["serve", "--max-tabs", "0"], "--max-tabs: 0 is less than 1"),
    (["serve", "--public-url", "example.org"], "--public-url: 'example.org' is not an http"),
    (["serve", "--public-url", "ftp://example.org"], "--public-url: 'ftp://example.org' is not"),
])
def test_bad_options_are_refused_before_anything_starts(argv, message, capsys) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_each_tab_runs_this_quizapp_on_the_same_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = build_parser().parse_args(
        ["serve", "--scores", "my/scores.toml", "--decks", "class", "--decks", "~/more"])
    assert shlex.split(app_command(args)) == [
        "exec", sys.executable, "-m", "quizapp",
        "--scores", str(tmp_path / "my" / "scores.toml"),
        "--decks", str(tmp_path / "class"),
        "--decks", str(Path("~/more").expanduser().resolve()),
    ]
    # Nothing given: the tab's app finds the same files the same way (same environment:
    # QUIZAPP_SCORES, QUIZAPP_DECKS, QUIZAPP_DATA_DIR, QUIZAPP_CONFIG_DIR).
    assert shlex.split(app_command(build_parser().parse_args(["serve"]))) == [
        "exec", sys.executable, "-m", "quizapp"]


def test_the_app_opens_in_a_browser_tab_though_its_stdin_and_stdout_are_pipes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # textual-serve runs each tab's app with pipes and names Textual's web driver.
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    assert no_terminal("quizapp play DECK --plain") is not None
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert no_terminal("quizapp play DECK --plain") is None
