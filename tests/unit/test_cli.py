"""The command line itself: the version, help for every command and option, and where the
score file and extra deck folders come from (option, then environment, then platformdirs)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import platformdirs
import pytest

from quizapp import __version__
from quizapp.cli import build_parser, locations, main, parse


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Every (command path, summary, parser) below ``parser``, nested ones included."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            summaries = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield (*path, name), summaries.get(name), sub
                yield from _commands(sub, (*path, name))


def test_version_from_the_script_and_python_m(capsys: pytest.CaptureFixture[str]) -> None:
    assert __version__ == metadata.version("quizapp")
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"quizapp {__version__}\n"
    out = subprocess.run([sys.executable, "-m", "quizapp", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout == f"quizapp {__version__}\n"
    [script] = [e for e in metadata.entry_points(group="console_scripts") if e.name == "quizapp"]
    assert script.load() is main


def test_every_command_and_option_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    commands = list(_commands(build_parser()))
    names = {" ".join(path) for path, _, _ in commands}
    assert {"play", "review", "due", "stats", "generate", "extract", "import-article",
            "deck new", "deck add", "deck validate", "deck list", "deck remove"} <= names
    missing = [" ".join(path) for path, summary, _ in commands if not summary]
    missing += [f"{' '.join(path)} {action.dest}" for path, _, sub in commands
                for action in sub._actions
                if not action.help and not isinstance(action, argparse._SubParsersAction)]
    assert missing == []
    for path, summary, _ in commands:
        with pytest.raises(SystemExit) as exited:
            main([*path, "--help"])
        assert exited.value.code == 0
        assert capsys.readouterr().out.startswith(f"usage: quizapp {' '.join(path)}")


def test_the_score_file_comes_from_the_option_then_the_environment_then_platformdirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUIZAPP_DATA_DIR")
    parse = build_parser().parse_args
    default = Path(platformdirs.user_data_dir("quizapp"))
    assert locations(parse(["stats"])).scores == default / "scores.toml"
    assert locations(parse(["stats"])).user_decks == default / "decks"
    monkeypatch.setenv("QUIZAPP_SCORES", str(tmp_path / "env.toml"))
    assert locations(parse(["stats"])).scores == tmp_path / "env.toml"
    # --scores wins over the environment, before or after the command name.
    assert locations(parse(["--scores", str(tmp_path / "a.toml"), "stats"])).scores == tmp_path / "a.toml"
    assert locations(parse(["stats", "--scores", str(tmp_path / "b.toml")])).scores == tmp_path / "b.toml"


def test_extra_deck_folders_from_the_option_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two, three = tmp_path / "one", tmp_path / "two", tmp_path / "three"
    monkeypatch.setenv("QUIZAPP_DECKS", os.pathsep.join([str(two), str(three)]))
    where = locations(build_parser().parse_args(["deck", "list", "--decks", str(one)]))
    assert where.extra_decks == (one, two, three)
    assert where.deck_dirs[0] == where.bundled_decks and where.deck_dirs[1] == where.user_decks


def test_the_app_s_options_read_as_the_whole_command_line_reads_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``quizapp`` with location options only opens the app on those files (parsed without
    building every command's parser); a command, help or a mistake is read as before."""
    for argv in ([], ["--scores", "a.toml"], ["--decks", "one", "--decks=two"],
                 ["--sc", "b.toml"], ["--decks", "play"], ["--decks", "x", "stats"],
                 ["stats", "--json"], ["deck", "list", "--decks", "d"]):
        assert parse(argv) == build_parser().parse_args(argv), argv
    for argv, code, said in ((["--scores"], 2, "argument --scores: expected one argument"),
                             (["--bogus"], 2, "unrecognized arguments: --bogus"),
                             (["nope"], 2, "invalid choice: 'nope'"),
                             (["--help"], 0, "COMMAND")):
        with pytest.raises(SystemExit) as exited:
            parse(argv)
        assert exited.value.code == code
        out = capsys.readouterr()
        assert out.out.startswith("usage: quizapp") or out.err.startswith("usage: quizapp")
        assert said in out.out + out.err


def test_commands_that_open_no_window_never_import_textual(tmp_path: Path) -> None:
    # One process runs them all after answering one question in plain mode, so stats,
    # due, review and leeches have a score file to read.
    code = (
        "import contextlib, io, sys\n"
        "from quizapp.cli import main\n"
        "sys.stdin = io.StringIO('1\\n')\n"
        "commands = [['play', 'who-said-it', '--plain', '-n', '1'], ['stats'], ['stats', '--json'],\n"
        "            ['due'], ['leeches'], ['review', '--plain'], ['generate', '--check']]\n"
        "for argv in commands:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        code = main(argv)\n"
        "    print(argv[0], code)\n"
        "heavy = {m.split('.')[0] for m in sys.modules} & {'textual', 'textual_plotext', 'genanki',\n"
        "                                              'textual_serve', 'aiohttp'}\n"
        "print(sorted(heavy))\n"
    )
    env = {**os.environ, "QUIZAPP_SCORES": str(tmp_path / "scores.toml")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env, stdin=subprocess.DEVNULL)
    lines = out.stdout.splitlines()
    assert lines[-1] == "[]", out.stdout
    assert (tmp_path / "scores.toml.journal").exists()  # the plain answer was recorded
    assert lines[:-1] == ["play 0", "stats 0", "stats 0", "due 0", "leeches 0", "review 0",
                          "generate 0"]


def test_extracting_an_article_needs_no_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("quizapp opened a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    article = Path(__file__).resolve().parent.parent / "fixtures" / "articles" / "wire.txt"
    assert main(["extract", str(article), "-o", str(tmp_path / "wire.toml")]) == 0
    assert main(["import-article", str(article), "--id", "wire"]) == 0
    assert "added deck wire-who" in capsys.readouterr().out
    from quizapp.generate import load_dataset

    assert load_dataset(tmp_path / "wire.toml").quotes  # a dataset made offline, with quotes
