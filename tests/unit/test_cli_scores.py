"""`quizapp scores check` and `quizapp scores recover BACKUP` as a person runs them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.cli import main
from quizapp.models import AnswerEvent
from quizapp.store import ScoreStore, parse_journal

T0 = datetime(2026, 11, 28, 10, 15, tzinfo=UTC)


def answers(path: Path, n: int) -> None:
    store = ScoreStore(path)
    for i in range(n):
        store.append(AnswerEvent(id=f"a{i}", deck="caps", card=f"c{i}", session="s",
                                 at=T0 + timedelta(minutes=i), result="right"))


def test_check_says_all_is_well_or_names_each_file_at_fault(tmp_path: Path, capsys) -> None:
    path = tmp_path / "scores.toml"
    answers(path, 5)
    assert main(["scores", "check", "--scores", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: all well\n"
    journal = path.with_name("scores.toml.journal")
    journal.write_bytes(journal.read_bytes() + b"a line of garbage\n")
    before = journal.read_bytes()
    assert main(["scores", "check", "--scores", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{journal}: damaged (bytes ") and "5 answers are intact, 1 entry" in out
    assert "1 problem(s)" in err
    assert journal.read_bytes() == before  # check only reads


def test_a_check_of_bytes_that_passed_before_is_not_a_full_parse(tmp_path: Path, capsys,
                                                                monkeypatch) -> None:
    """The second check of an unchanged snapshot hashes it instead of parsing it again
    (seconds at 100,000 cards); any change to its bytes is checked in full again."""
    import quizapp.store.scorestore as scorestore

    path = tmp_path / "scores.toml"
    answers(path, 5)
    ScoreStore(path).compact()
    assert main(["scores", "check", "--scores", str(path)]) == 0
    parsed = []
    real = scorestore.parse_snapshot
    monkeypatch.setattr(scorestore, "parse_snapshot", lambda *a: parsed.append(1) or real(*a))
    assert main(["scores", "check", "--scores", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: all well\n" * 2
    assert parsed == []
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("seen = 1", "seen = -1", 1), encoding="utf-8")
    assert main(["scores", "check", "--scores", str(path)]) == 1
    out = capsys.readouterr().out
    assert parsed == [1] and out == f"{path}:10: cards.caps.c0.seen: must be 0 or more\n"
    path.write_text(text, encoding="utf-8")  # put back as it was: it passed before
    assert main(["scores", "check", "--scores", str(path)]) == 0
    assert parsed == [1]


def test_recover_merges_each_answer_once(tmp_path: Path, capsys) -> None:
    path = tmp_path / "scores.toml"
    answers(path, 6)
    journal = path.with_name("scores.toml.journal")
    raw = journal.read_bytes()
    start, end = parse_journal(journal, raw).spans[2]
    journal.write_bytes(raw[:start] + raw[start:end].replace(b'session = "s"', b'session = "x"')
                        + raw[end:])
    assert main(["stats", "--scores", str(path)]) == 0
    err = capsys.readouterr().err
    [backup] = tmp_path.glob("scores.toml.journal.corrupt-*")
    assert f"kept 5 answers, 1 entry could not be read (the damaged bytes are in {backup}" in err
    assert "c2" not in ScoreStore(path).load().cards["caps"]
    assert main(["scores", "recover", str(backup), "--scores", str(path)]) == 0
    assert capsys.readouterr().out == f"{backup}: 1 answer(s) merged back\n"
    assert main(["scores", "recover", str(backup), "--scores", str(path)]) == 0
    assert "0 answer(s) merged back; 1 already in the scores" in capsys.readouterr().out
    assert ScoreStore(path).load().cards["caps"]["c2"].seen == 1


def test_recover_names_a_backup_it_cannot_read(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nope"
    assert main(["scores", "recover", str(missing), "--scores", str(tmp_path / "s.toml")]) == 1
    assert capsys.readouterr().err.startswith(f"quizapp: {missing}: cannot read")


def test_stats_after_a_hand_edit_parses_the_toml_once(tmp_path: Path, capsys, monkeypatch) -> None:
    """`quizapp stats` (or `due`) that had to read scores.toml leaves its cache behind, so
    the next command is fast again; it says nothing about it and changes no score file."""
    path = tmp_path / "scores.toml"
    answers(path, 3)
    ScoreStore(path).compact()
    path.write_text(path.read_text(encoding="utf-8").replace("seen = 1", "seen = 5", 1),
                    encoding="utf-8")
    edited = path.read_bytes()
    assert main(["stats", "--scores", str(path)]) == 0
    assert "cache" not in capsys.readouterr().err
    assert path.read_bytes() == edited and not path.with_name("scores.toml.journal").exists()

    def parsed(*args: object) -> None:
        raise AssertionError("scores.toml was parsed again")

    monkeypatch.setattr("quizapp.store.scorestore.parse_snapshot", parsed)
    path.with_name("scores.toml").touch()  # a new mtime: the kept summary is not enough
    assert main(["due", "--scores", str(path)]) == 0
    assert ScoreStore(path).load().cards["caps"]["c0"].seen == 5
