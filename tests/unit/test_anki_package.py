"""Importing Anki packages made by Anki's own library (tests/fixtures/anki, rebuilt by
make_fixtures.py): every format gives the same decks; hostile packages are refused with
nothing written; --update keeps progress; --with-progress brings the review log."""

from __future__ import annotations

import io
import sqlite3
import sys
import zipfile
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.decks import dump_deck, load_deck
from quizapp.interop import import_package
from quizapp.interop import package as package_module
from quizapp.store import ScoreStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "anki"
PACKAGES = ["sample.apkg", "sample-legacy.apkg", "sample.colpkg", "sample-legacy.colpkg"]


@pytest.fixture
def data(isolated_home: Path) -> Path:
    return isolated_home / "data"


def run(*argv: str) -> int:
    return main(["deck", "import", *argv])


@pytest.mark.parametrize("name", PACKAGES)
def test_every_package_format_gives_the_same_decks(name: str) -> None:
    decks, _ = import_package(FIXTURES / name)
    reference, _ = import_package(FIXTURES / "sample.apkg")
    strip = lambda text: text.replace(name, "sample.apkg")  # noqa: E731 (the source line)
    assert [strip(dump_deck(d.deck)) for d in decks] == [dump_deck(d.deck) for d in reference]
    # The Straße card sits in the filtered deck "Cram": it still belongs to Languages.
    assert [d.anki_name for d in decks] == ["Geography", "Geography::Capitals", "Languages"]


def test_what_a_person_moving_from_anki_sees(data: Path, capsys) -> None:
    assert run(str(FIXTURES / "sample.apkg")) == 0
    captured = capsys.readouterr()
    assert ("imported 15 cards in 3 deck(s), skipped 2 note(s) (1 empty back, 1 front is only "
            "a picture or sound)") in captured.out
    assert "note 'lang-empty' (Basic: 'Empty back') in deck 'Languages': empty back; skipped" \
        in captured.err
    languages = load_deck(data / "decks" / "languages.toml")
    asked = {c.id: c for c in languages.asked}
    # Cloze: each number its own card, the hint shown, Back Extra as the explanation.
    assert asked["lang-bonjour.c2"].question == "Bonjour means [greeting] in French."
    assert asked["lang-bonjour.c1"].explanation == "Used all day."
    assert asked["lang-strasse.c1"].answer == "street"  # cloze without Back Extra
    # Basic (and reversed card): both directions, each with its own id.
    assert asked["lang-arigato.reverse"].question == "thank you"
    assert asked["lang-sound"].question == "Say it [sound: hello.mp3]"
    # Basic (type in the answer) is typed; optional reversed only when Add Reverse is filled.
    assert (asked["lang-gato"].kind, asked["lang-gato"].answer) == ("text", "gato")
    assert "lang-perro.reverse" in asked and "lang-casa.reverse" not in asked
    geography = load_deck(data / "decks" / "geography.toml")
    # A front that is only a picture is left out (a terminal cannot show it), saying why;
    # the picture of a card that has text besides it comes along.
    assert geography.card("geo-image-only") is None
    assert "note 'geo-image-only' (Basic: '') in deck 'Geography': front is only a picture " \
        "or sound; skipped" in captured.err
    assert geography.card("geo-map").question == "What is shown?\n[image: map.png]"
    assert (data / "decks" / "geography.media" / "map.png").read_bytes().startswith(b"\x89PNG")
    capitals = load_deck(data / "decks" / "geography-capitals.toml")
    japan = capitals.card("geo-japan")
    assert japan.question == "Capital of Japan?"  # HTML gone, entities decoded
    assert japan.answer == "Tôkyô & more\n(東京)"
    assert japan.tags == ["geo::asia"] and capitals.deck.title == "Geography::Capitals"


def test_one_deck_by_name_and_strict(data: Path, capsys) -> None:
    assert run(str(FIXTURES / "sample.apkg"), "--deck", "geography::capitals") == 0
    assert sorted(p.name for p in (data / "decks").glob("*.toml")) == ["geography-capitals.toml"]
    assert run(str(FIXTURES / "sample.apkg"), "--deck", "Nope") == 1
    assert "no deck 'Nope' in this package (it has: 'Geography'" in capsys.readouterr().err
    assert run(str(FIXTURES / "sample.apkg"), "--deck", "Languages", "--strict") == 1
    assert "empty back (refused: --strict)" in capsys.readouterr().err
    assert not (data / "decks" / "languages.toml").exists()


def test_reimport_with_update_keeps_progress_and_history(data: Path, capsys) -> None:
    package = str(FIXTURES / "sample-legacy.apkg")
    assert run(package, "--with-progress") == 0
    out = capsys.readouterr().out
    assert "review history: 4 answer(s) of 2 card(s)" in out
    assert "1 card(s) suspended as in Anki" in out
    scores = ScoreStore(data / "scores.toml").load()
    assert scores.cards["geography-capitals"]["geo-japan"].suspended
    france = scores.cards["geography-capitals"]["geo-france"]
    assert (france.seen, france.right, france.wrong) == (3, 2, 1)
    assert france.fsrs is not None and france.fsrs.due > france.last_answered
    assert scores.cards["languages"]["lang-bonjour.c1"].right == 1
    assert run(package) == 1  # the ids are taken: refused without --update
    assert "pass --update" in capsys.readouterr().err
    assert run(package, "--update", "--with-progress") == 0
    assert "review history: 0 answer(s)" in capsys.readouterr().out  # not counted twice
    again = ScoreStore(data / "scores.toml").load().cards["geography-capitals"]["geo-france"]
    assert again == france


DECK = """\
format = 1
[deck]
id = "mine"
title = "Mine"
[[cards]]
id = "a"
kind = "flip"
question = "A?"
answer = "a"
[[cards]]
id = "b"
kind = "flip"
question = "B?"
answer = "b"
"""


def test_update_without_losing_progress_needs_no_confirmation(tmp_path: Path, data: Path,
                                                              capsys, monkeypatch) -> None:
    first = tmp_path / "mine.toml"
    first.write_text(DECK, encoding="utf-8")
    assert main(["deck", "add", str(first)]) == 0
    from quizapp.session import Session
    store = ScoreStore(data / "scores.toml")
    session = Session.for_deck(load_deck(data / "decks" / "mine.toml"), recorder=store)
    session.grade(3)  # only "a" gets progress
    session.finish()
    without_b = DECK.split('[[cards]]\nid = "b"')[0]
    second = tmp_path / "mine-v2.toml"
    second.write_text(without_b, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    capsys.readouterr()
    assert main(["deck", "add", str(second), "--update"]) == 0
    out = capsys.readouterr().out
    assert "mine: 0 added, 0 changed, 1 removed\n" in out and "updated 'mine' (1 cards)" in out
    assert ScoreStore(data / "scores.toml").load().cards["mine"]["a"].right == 1


def test_update_reports_and_confirms(tmp_path: Path, data: Path, capsys, monkeypatch) -> None:
    first = tmp_path / "mine.toml"
    first.write_text(DECK, encoding="utf-8")
    assert main(["deck", "add", str(first)]) == 0
    store = ScoreStore(data / "scores.toml")
    from quizapp.session import Session
    session = Session.for_deck(load_deck(data / "decks" / "mine.toml"), recorder=store)
    session.grade(3)  # a
    session.advance()
    session.grade(1)  # b
    session.finish()
    without_b = DECK.split('[[cards]]\nid = "b"')[0].replace('"A?"', '"A, reworded?"')
    without_b += '[[cards]]\nid = "c"\nkind = "cloze"\nquestion = "{{c1::C}} is new"\n'
    second = tmp_path / "mine-v2.toml"
    second.write_text(without_b, encoding="utf-8")
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["deck", "add", str(second), "--update"]) == 1
    captured = capsys.readouterr()
    assert "mine: 1 added, 1 changed, 1 removed (1 with progress)" in captured.out
    assert "added: c.c1" in captured.out and "removed: b" in captured.out
    assert "confirm on a terminal, or pass --yes" in captured.err
    assert load_deck(data / "decks" / "mine.toml").card("b") is not None  # untouched
    assert main(["deck", "add", str(second), "--update", "--yes"]) == 0
    deck = load_deck(data / "decks" / "mine.toml")
    assert [c.id for c in deck.asked] == ["a", "c.c1"]
    records = ScoreStore(data / "scores.toml").load().cards["mine"]
    assert records["a"].right == 1  # progress of the surviving card kept


# --------------------------------------------------------------------------- hostile


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)
    return path


def _sqlite(path: Path, sql: str) -> bytes:
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.commit()
    conn.close()
    return path.read_bytes()


def _refused(tmp_path: Path, package: Path, capsys, message: str) -> None:
    assert run(str(package)) == 1
    err = capsys.readouterr().err
    assert str(package) in err and message in err, err
    decks = tmp_path / "home" / "data" / "decks"
    assert not decks.exists() or not any(decks.iterdir())


def test_hostile_packages_are_refused(tmp_path: Path, capsys, monkeypatch) -> None:
    _refused(tmp_path, _zip(tmp_path / "dots.apkg", {"../../evil": b"x",
                                                     "collection.anki2": b""}),
             capsys, "unsafe path")
    _refused(tmp_path, _zip(tmp_path / "nothing.apkg", {"readme.txt": b"hi"}),
             capsys, "no collection.anki21b")
    (tmp_path / "text.apkg").write_bytes(b"not a zip at all")
    _refused(tmp_path, tmp_path / "text.apkg", capsys, "not an Anki package")
    other = _sqlite(tmp_path / "other.db", "create table foo (x);")
    _refused(tmp_path, _zip(tmp_path / "other.apkg", {"collection.anki2": other}),
             capsys, "not an Anki collection (no table cards, col, notes)")
    _refused(tmp_path, _zip(tmp_path / "junk.apkg", {"collection.anki2": b"\0" * 4096}),
             capsys, "not a")
    empty = _sqlite(tmp_path / "empty.db", "create table col (models, decks); create table "
                    "notes (id, guid, mid, tags, flds); create table cards (id, nid, did, ord, "
                    "odid, queue); insert into col values ('{}', '{}');")
    _refused(tmp_path, _zip(tmp_path / "empty.apkg", {"collection.anki2": empty}),
             capsys, "the package holds no cards; nothing to import")
    _refused(tmp_path, _zip(tmp_path / "zero.apkg", {"collection.anki21b": b"(\xb5/\xfd" + b"x" * 40}),
             capsys, "collection.anki21b is damaged (zstd")
    monkeypatch.setattr(package_module, "MAX_COLLECTION_BYTES", 1024 * 1024)
    _refused(tmp_path, _zip(tmp_path / "bomb.apkg", {"collection.anki21": b"\0" * 3_000_000}),
             capsys, "refused")
    import zstandard

    packed = zstandard.ZstdCompressor().compress(b"\0" * 3_000_000)
    _refused(tmp_path, _zip(tmp_path / "zbomb.apkg", {"collection.anki21b": packed}),
             capsys, "unpacks to more than 1,048,576 bytes; refused")


def test_a_lying_zip_header_is_caught_while_reading(tmp_path: Path, capsys, monkeypatch) -> None:
    """The member's header says 100 bytes; reading stops at the cap anyway."""
    monkeypatch.setattr(package_module, "MAX_COLLECTION_BYTES", 1024 * 1024)
    path = _zip(tmp_path / "liar.apkg", {"collection.anki21": b"\0" * 3_000_000})
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("collection.anki21")
    raw = bytearray(path.read_bytes())
    # Patch the uncompressed size in the central directory and the local header.
    size = info.file_size.to_bytes(4, "little")
    raw = bytes(raw).replace(size, (100).to_bytes(4, "little"))
    path.write_bytes(raw)
    assert run(str(path)) == 1
    err = capsys.readouterr().err
    assert "liar.apkg" in err and ("cannot be read" in err or "refused" in err)


def test_a_media_bomb_is_refused_before_any_deck_is_written(data: Path, capsys,
                                                            monkeypatch) -> None:
    monkeypatch.setattr(package_module, "MAX_MEDIA_FILE_BYTES", 20)  # map.png is 70 bytes
    assert run(str(FIXTURES / "sample.apkg")) == 1
    err = capsys.readouterr().err
    assert "sample.apkg" in err and "refused" in err and "nothing was imported" in err
    decks = data / "decks"
    assert not decks.exists() or list(decks.iterdir()) == []
