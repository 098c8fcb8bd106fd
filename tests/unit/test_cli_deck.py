"""`quizapp deck ...`: what a person sees, and what ends up (or never ends up) on disk."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.decks import MAX_DECK_BYTES, load_deck, parse_deck
from quizapp.paths import Locations

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"

DECK = """\
format = 1

[deck]
id = "capitals"
title = "Capitals"

[[cards]]
id = "fr"
kind = "choice"
question = "Capital of France? [bold]x[/]"
answer = "Paris"
distractors = ["Lyon"]

[[cards]]
id = "de"
kind = "flip"
question = "Capital of Germany"
answer = "Berlin"
"""


@pytest.fixture
def user_decks() -> Path:
    return Locations.from_env().user_decks


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- new


def test_new_writes_a_commented_template_with_every_kind(user_decks: Path, capsys) -> None:
    assert main(["deck", "new", "Capitals of Europe!"]) == 0
    path = user_decks / "capitals-of-europe.toml"
    assert str(path) in capsys.readouterr().out
    deck = load_deck(path)
    assert deck.deck.title == "Capitals of Europe!"
    assert sorted(c.kind for c in deck.cards) == ["choice", "cloze", "flip", "order", "text"]
    # The cloze card's two gaps and the reversed flip card are asked as cards of their own.
    asked = {card.id: card for card in deck.asked}
    assert {"first-moon-landing.c1", "first-moon-landing.c2", "water-formula.reverse"} <= set(asked)
    assert asked["first-moon-landing.c2"].answer_text == "1969"
    text = path.read_text(encoding="utf-8")
    for explained in ("# choice:", "# text:", "# flip:", "# order:", "# cloze:", "distractors",
                      "accept", "reverse = true", "{{c1::"):
        assert explained in text


def test_new_never_overwrites(user_decks: Path, capsys) -> None:
    user_decks.mkdir(parents=True)
    mine = write(user_decks / "quiz.toml", DECK.replace('"capitals"', '"quiz"'))
    before = mine.read_bytes()
    assert main(["deck", "new", "Quiz"]) == 1
    assert "already used by" in capsys.readouterr().err
    assert mine.read_bytes() == before
    assert files_in(user_decks) == ["quiz.toml"]


def test_new_with_a_title_that_needs_escaping(user_decks: Path) -> None:
    title = 'He said "hi" \\ [bold]'
    assert main(["deck", "new", title, "--id", "quoted"]) == 0
    assert load_deck(user_decks / "quoted.toml").deck.title == title


def test_new_refuses_an_unsafe_id(tmp_path: Path, user_decks: Path, capsys) -> None:
    assert main(["deck", "new", "x", "--id", "../../outside"]) == 1
    assert "deck.id: a deck id must not contain '..'" in capsys.readouterr().err
    assert not user_decks.exists()
    assert not list(tmp_path.rglob("outside*"))


# --------------------------------------------------------------------------- validate


def test_validate_prints_each_problem_and_exits_1(tmp_path: Path, capsys) -> None:
    good = write(tmp_path / "good.toml", DECK)
    bad = write(tmp_path / "bad.toml", DECK.replace('answer = "Berlin"', 'answr = "Berlin"'))
    assert main(["deck", "validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{good}: OK ('capitals', 2 cards)",
        f"{bad}:14: cards[1].answer: required field is missing",
        f"{bad}:18: cards[1].answr: unknown field",
    ]


def test_validate_ok_exits_0(tmp_path: Path, capsys) -> None:
    assert main(["deck", "validate", str(write(tmp_path / "good.toml", DECK))]) == 0
    assert "OK" in capsys.readouterr().out


def test_validate_sees_an_edit_after_a_good_check(tmp_path: Path, capsys) -> None:
    """A deck checked once is checked again when its bytes change (the deck cache is keyed
    by them), even an edit that keeps its size."""
    path = write(tmp_path / "good.toml", DECK)
    assert main(["deck", "validate", str(path)]) == 0
    path.write_text(DECK.replace('answer = "Berlin"', 'answr = "Berlin"'), encoding="utf-8")
    assert main(["deck", "validate", str(path)]) == 1
    assert f"{path}:18: cards[1].answr: unknown field" in capsys.readouterr().out


def test_validate_missing_file(tmp_path: Path, capsys) -> None:
    assert main(["deck", "validate", str(tmp_path / "nope.toml")]) == 1
    assert f"{tmp_path / 'nope.toml'}: cannot read" in capsys.readouterr().out


# --------------------------------------------------------------------------- add


def test_add_copies_the_file_as_written(tmp_path: Path, user_decks: Path, capsys) -> None:
    source = write(tmp_path / "mine.toml", "# my comment\n" + DECK)
    assert main(["deck", "add", str(source)]) == 0
    assert (user_decks / "capitals.toml").read_text(encoding="utf-8") == "# my comment\n" + DECK
    assert main(["deck", "list"]) == 0
    assert "capitals" in capsys.readouterr().out


def test_add_refuses_a_taken_id_naming_the_other_file(tmp_path: Path, user_decks: Path, capsys) -> None:
    user_decks.mkdir(parents=True)
    existing = write(user_decks / "old-name.toml", DECK)
    source = write(tmp_path / "new.toml", DECK.replace("Berlin", "Bonn?"))
    assert main(["deck", "add", str(source)]) == 1
    err = capsys.readouterr().err
    assert "'capitals' is already used by" in err and str(existing) in err
    assert files_in(user_decks) == ["old-name.toml"]
    assert existing.read_text(encoding="utf-8") == DECK


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('id = "capitals"', 'id = "../evil"'), ":4: deck.id: a deck id must not contain '..'"),
        (('id = "capitals"', 'id = "/abs"'), ":4: deck.id: a deck id must not be an absolute path"),
        (('kind = "flip"', 'kind = "card"'), ":16: cards[1].kind: unknown kind 'card'"),
        (('distractors = ["Lyon"]', 'distractors = []'),
         ":12: cards[0].distractors: a choice card needs at least one distractor"),
    ],
)
def test_add_refuses_bad_decks_and_writes_nothing(
    tmp_path: Path, user_decks: Path, capsys, change: tuple[str, str], expected: str
) -> None:
    source = write(tmp_path / "bad.toml", DECK.replace(*change))
    assert main(["deck", "add", str(source)]) == 1
    assert f"{source}{expected}" in capsys.readouterr().err
    assert files_in(user_decks) == []
    assert not (tmp_path / "evil.toml").exists()


def test_add_refuses_bom_and_non_utf8(tmp_path: Path, user_decks: Path, capsys) -> None:
    bom = tmp_path / "bom.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + DECK.encode("utf-8"))
    latin = tmp_path / "latin.toml"
    latin.write_bytes(DECK.replace("Lyon", "Besançon").encode("latin-1"))
    assert main(["deck", "add", str(bom)]) == 1
    assert main(["deck", "add", str(latin)]) == 1
    err = capsys.readouterr().err
    assert f"{bom}:1: file starts with a byte order mark (BOM)" in err
    assert f"{latin}:12: not UTF-8 text" in err
    assert files_in(user_decks) == []


# --------------------------------------------------------------------------- list


def test_list_shows_decks_and_flags_problems(user_decks: Path, capsys) -> None:
    user_decks.mkdir(parents=True)
    write(user_decks / "capitals.toml", DECK)
    write(user_decks / "broken.toml", DECK.replace('"capitals"', '"broken"').replace("answer = \"Berlin\"", ""))
    write(user_decks / "twin.toml", DECK)
    assert main(["deck", "list"]) == 0
    captured = capsys.readouterr()
    row = next(line for line in captured.out.splitlines() if line.startswith("capitals "))
    assert row.split()[:4] == ["capitals", "Capitals", "2", "user"]
    assert row.endswith(str(user_decks / "capitals.toml"))
    assert f"{user_decks / 'broken.toml'}:14: cards[1].answer: required field is missing" in captured.err
    assert (f"{user_decks / 'twin.toml'}: deck.id: 'capitals' is already used by "
            f"{user_decks / 'capitals.toml'} (user)") in captured.err


def test_list_columns_line_up_after_wide_titles(user_decks: Path, capsys) -> None:
    """A CJK or emoji title takes two cells a character; the columns after it stay in line."""
    from rich.cells import cell_len

    user_decks.mkdir(parents=True)
    titles = {"kanji": "漢字の読み方", "flags": "Flags 🇯🇵🇫🇷 of the world", "plain": "Capitals"}
    for deck_id, title in titles.items():
        write(user_decks / f"{deck_id}.toml",
              DECK.replace('"capitals"', f'"{deck_id}"').replace('"Capitals"', f'"{title}"'))
    assert main(["deck", "list"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines()
             if line.split()[:1] in (["kanji"], ["flags"], ["plain"], ["ID"])]
    assert len(lines) == 4
    # Where each row's CARDS column starts, measured in cells as a terminal shows it.
    starts = {cell_len(line[:line.index(" 2 " if not line.startswith("ID") else " CARDS")])
              for line in lines}
    assert len(starts) == 1, lines


def test_list_with_an_extra_decks_folder(tmp_path: Path, capsys) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    write(extra / "capitals.toml", DECK)
    assert main(["deck", "list", "--decks", str(extra)]) == 0
    assert any(line.split()[:4] == ["capitals", "Capitals", "2", "extra"]
               for line in capsys.readouterr().out.splitlines())


# --------------------------------------------------------------------------- remove


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def installed(user_decks: Path) -> Path:
    user_decks.mkdir(parents=True)
    return write(user_decks / "capitals.toml", DECK)


@pytest.fixture
def scores() -> Path:
    path = Locations.from_env().scores
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('format = 1\n[cards.capitals.fr]\nseen = 3\nright = 2\n', encoding="utf-8")
    return path


def test_remove_without_a_terminal_or_yes_refuses(installed: Path, scores: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert main(["deck", "remove", "capitals"]) == 1
    assert "pass --yes" in capsys.readouterr().err
    assert installed.exists()


def test_remove_asks_and_keeps_the_scores(installed: Path, scores: Path, monkeypatch, capsys) -> None:
    before = scores.read_bytes()
    monkeypatch.setattr("sys.stdin", FakeTty("n\n"))
    assert main(["deck", "remove", "capitals"]) == 1
    assert installed.exists()
    monkeypatch.setattr("sys.stdin", FakeTty("y\n"))
    assert main(["deck", "remove", "capitals"]) == 0
    out = capsys.readouterr().out
    assert "Its scores are kept" in out and "removed" in out
    assert not installed.exists()
    assert scores.read_bytes() == before


def test_remove_with_yes(installed: Path, scores: Path) -> None:
    before = scores.read_bytes()
    assert main(["deck", "remove", "capitals", "--yes"]) == 0
    assert not installed.exists()
    assert scores.read_bytes() == before


def test_remove_refuses_bundled_decks(tmp_path: Path, capsys) -> None:
    bundled = Locations.from_env().bundled_decks
    first = sorted(bundled.glob("*.toml"))[0]
    deck_id = load_deck(first).id
    before = first.read_bytes()
    assert main(["deck", "remove", deck_id, "--yes"]) == 1
    assert "is bundled with quizapp and cannot be removed" in capsys.readouterr().err
    assert first.read_bytes() == before


def test_adding_a_deck_with_a_bundled_decks_id_suggests_only_another_id(
    tmp_path: Path, capsys
) -> None:
    """--update would be refused for a bundled deck, so the clash does not suggest it."""
    bundled = sorted(Locations.from_env().bundled_decks.glob("*.toml"))[0]
    deck_id = load_deck(bundled).id
    clash = write(tmp_path / "clash.toml", DECK.replace('"capitals"', f'"{deck_id}"'))
    assert main(["deck", "add", str(clash)]) == 1
    err = capsys.readouterr().err
    assert f"already used by {bundled} (bundled); choose another id with --id" in err
    assert "--update" not in err


def test_remove_unknown_id(capsys) -> None:
    assert main(["deck", "remove", "no-such-deck", "--yes"]) == 1
    assert "no deck with id 'no-such-deck'" in capsys.readouterr().err


# --------------------------------------------------------------------------- import / export


def test_import_anki_text(user_decks: Path, capsys) -> None:
    assert main(["deck", "import", str(FIXTURES / "anki_basic.txt")]) == 0
    captured = capsys.readouterr()
    assert "imported 3 cards as deck 'european-capitals'" in captured.out
    deck = load_deck(user_decks / "european-capitals.toml")
    assert deck.cards[0].question == "France\n(the country)"


def test_import_quizlet_with_id_and_title(user_decks: Path) -> None:
    args = ["deck", "import", str(FIXTURES / "quizlet.txt"), "--format", "quizlet",
            "--id", "animals", "--title", "German animals"]
    assert main(args) == 0
    deck = load_deck(user_decks / "animals.toml")
    assert deck.deck.title == "German animals" and len(deck.cards) == 3


def test_import_refuses_a_taken_id(installed: Path, tmp_path: Path, capsys) -> None:
    assert main(["deck", "import", str(FIXTURES / "quizlet.txt"), "--id", "capitals"]) == 1
    err = capsys.readouterr().err
    assert f"already used by {installed}" in err and "--id" in err
    assert installed.read_text(encoding="utf-8") == DECK


def test_import_bad_rows_writes_nothing(tmp_path: Path, user_decks: Path, capsys) -> None:
    bad = write(tmp_path / "bad.csv", "question,answer\nfine,ok\nmissing answer,\n")
    assert main(["deck", "import", str(bad), "--strict"]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:3: cards[1].answer: must not be empty" in err
    assert err.count("cards[1].answer") == 1  # one line, no "must be a string" echo
    assert files_in(user_decks) == []
    only_bad = write(tmp_path / "only-bad.csv", "question,answer\nmissing answer,\n")
    assert main(["deck", "import", str(only_bad)]) == 1
    assert "no card could be imported (1 empty answer)" in capsys.readouterr().err
    assert files_in(user_decks) == []


def test_import_skips_bad_rows_and_says_so(tmp_path: Path, user_decks: Path, capsys) -> None:
    bad = write(tmp_path / "bad.csv", "question,answer\nfine,ok\nmissing answer,\n")
    assert main(["deck", "import", str(bad)]) == 0
    captured = capsys.readouterr()
    assert f"warning: {bad}:3: cards[1].answer: must not be empty; row skipped" in captured.err
    assert "imported 1 cards, skipped 1 (1 empty answer)" in captured.out


def test_large_import_prints_progress(tmp_path: Path, user_decks: Path, capsys) -> None:
    big = tmp_path / "big.txt"
    big.write_text("".join(f"term number {i}\tdefinition number {i} " + "x" * 40 + "\n"
                           for i in range(5000)), encoding="utf-8")
    assert big.stat().st_size > 256 * 1024
    assert main(["deck", "import", str(big), "--title", "Big"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "importing big.txt: 0%"
    assert err[-1] == "importing big.txt: 100%"
    assert len(load_deck(user_decks / "big.toml").cards) == 5000


def test_small_import_prints_no_progress(user_decks: Path, capsys) -> None:
    assert main(["deck", "import", str(FIXTURES / "words.tsv")]) == 0
    assert "%" not in capsys.readouterr().err


@pytest.mark.parametrize("name", ["out.txt", "out.csv"])
def test_export_then_import_round_trip(installed: Path, tmp_path: Path, user_decks: Path, name: str) -> None:
    out = tmp_path / name
    assert main(["deck", "export", "capitals", str(out)]) == 0
    assert main(["deck", "import", str(out), "--id", "again", "--title", "Capitals"]) == 0
    assert load_deck(user_decks / "again.toml").cards == parse_deck(DECK, "x").cards


def test_export_apkg(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "capitals.apkg"
    assert main(["deck", "export", "capitals", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        (tmp_path / "col.db").write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "col.db")
    try:
        fields = [row[0].split("\x1f") for row in conn.execute("SELECT flds FROM notes")]
    finally:
        conn.close()
    assert sorted(f[3] for f in fields) == ["de", "fr"]
    assert any(f[0].startswith("Capital of France? [bold]x[/]") and f[1] == "Paris" for f in fields)


def test_export_never_overwrites_without_force(installed: Path, tmp_path: Path, capsys) -> None:
    out = write(tmp_path / "keep.csv", "precious\n")
    assert main(["deck", "export", "capitals", str(out)]) == 1
    assert "pass --force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "precious\n"
    assert main(["deck", "export", "capitals", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("id,kind,question")


def test_deck_commands_do_not_import_textual() -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom quizapp.cli import main\nmain(['deck', 'list'])\n"
            "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_control_characters_in_a_title_are_shown_escaped(user_decks: Path, capsys) -> None:
    user_decks.mkdir(parents=True)
    write(user_decks / "esc.toml", DECK.replace('title = "Capitals"',
                                                'title = "Caps \\u001b[31mred [bold]x[/]"'))
    assert main(["deck", "list"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "Caps ␛[31mred [bold]x[/]" in out
    assert load_deck(user_decks / "esc.toml").deck.title == "Caps \x1b[31mred [bold]x[/]"


def test_remove_finds_your_deck_skipped_because_a_bundled_deck_has_its_id(
    user_decks: Path, scores: Path, capsys
) -> None:
    bundled = sorted(Locations.from_env().bundled_decks.glob("*.toml"))[0]
    deck_id = load_deck(bundled).id
    user_decks.mkdir(parents=True, exist_ok=True)
    mine = write(user_decks / "copy.toml", DECK.replace('"capitals"', f'"{deck_id}"'))
    assert main(["deck", "remove", deck_id, "--yes"]) == 0
    assert not mine.exists() and bundled.exists()


def test_add_refuses_huge_and_deeply_nested_files(tmp_path: Path, user_decks: Path, capsys) -> None:
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as handle:
        handle.write(DECK.encode("utf-8"))
        handle.truncate(MAX_DECK_BYTES + 1)
    deep = write(tmp_path / "deep.toml", DECK + "extra = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert main(["deck", "add", str(huge)]) == 1
    assert main(["deck", "add", str(deep)]) == 1
    err = capsys.readouterr().err
    assert f"{huge}: file is {MAX_DECK_BYTES + 1:,} bytes; a deck may be at most 64 MB" in err
    assert f"{deep}:19: arrays or tables nest more than 8 levels deep" in err
    assert files_in(user_decks) == []


def test_add_refuses_a_newer_format(tmp_path: Path, user_decks: Path, capsys) -> None:
    newer = write(tmp_path / "newer.toml", DECK.replace("format = 1", "format = 3"))
    assert main(["deck", "add", str(newer)]) == 1
    assert f"{newer}:1: format: deck format 3 is newer than this quizapp reads" in capsys.readouterr().err
    assert files_in(user_decks) == []


def test_progress_line_updates_in_place_on_a_terminal() -> None:
    from quizapp.commands.deck import ProgressLine

    stream = FakeTty()
    progress = ProgressLine("importing x.csv", stream)
    for done in (0, 10, 10, 50, 100):
        progress(done, 100)
    assert stream.getvalue() == ("\rimporting x.csv:   0%\rimporting x.csv:  10%"
                                 "\rimporting x.csv:  50%\rimporting x.csv: 100%\n")


@pytest.mark.parametrize(
    "argv",
    [["deck", "new", "Capitals"], ["deck", "import", str(FIXTURES / "quizlet.txt")]],
)
def test_a_file_where_the_decks_folder_should_be_is_one_clear_line(
    user_decks: Path, capsys, argv
) -> None:
    user_decks.parent.mkdir(parents=True)
    user_decks.write_text("not a folder\n", encoding="utf-8")
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "cannot write" in err[0] and f"{user_decks} is not a folder" in err[0]
    assert "already exists" not in err[0]
    assert user_decks.read_text(encoding="utf-8") == "not a folder\n"


def test_decks_whose_titles_have_no_latin_letters_get_ids_of_their_own(
    tmp_path: Path, user_decks: Path, capsys
) -> None:
    """QA 15:55: a title a slug keeps nothing of got a fixed id ('imported', 'my-deck'),
    so a second such deck was refused, and the advice given (--update) would have put its
    cards in place of the first deck's. Each title now gets its own id, the same again for
    the same title."""
    russian = write(tmp_path / "Русский.csv", "question,answer\nкошка,cat\n")
    greek = write(tmp_path / "Ελληνικά.csv", "question,answer\nγάτα,cat\n")
    assert main(["deck", "import", str(russian)]) == 0
    first = files_in(user_decks)
    before = (user_decks / first[0]).read_bytes()
    assert main(["deck", "import", str(greek)]) == 0
    assert main(["deck", "import", str(greek), "--title", "Животные"]) == 0
    assert len(files_in(user_decks)) == 3
    assert (user_decks / first[0]).read_bytes() == before  # the first deck is untouched
    assert main(["deck", "import", str(russian)]) == 1  # the same title: the same deck
    assert "already used by" in capsys.readouterr().err
    assert main(["deck", "new", "漢字の練習"]) == 0
    assert main(["deck", "new", "中文词汇"]) == 0
    titles = sorted(load_deck(user_decks / name).deck.title for name in files_in(user_decks))
    assert titles == sorted(["Русский", "Ελληνικά", "Животные", "漢字の練習", "中文词汇"])
    # A title whose slug keeps a part ("N5") keeps the id decks always got (so an update
    # of a deck imported before reaches it); another deck with that id is named, and
    # --update is not the first advice (review 16:43, 16:50).
    assert main(["deck", "import", str(russian), "--title", "漢字 N5"]) == 0
    assert "n5.toml" in files_in(user_decks)
    before = (user_decks / "n5.toml").read_bytes()
    capsys.readouterr()
    assert main(["deck", "import", str(greek), "--title", "語彙 N5"]) == 1
    err = capsys.readouterr().err
    assert "that deck is titled '漢字 N5': choose another id with --id" in err
    assert (user_decks / "n5.toml").read_bytes() == before
    assert main(["deck", "import", str(greek), "--title", "語彙 N5", "--id", "n5-vocab"]) == 0


def test_a_symlinked_deck_of_ones_own_is_updated_through_its_link(
    tmp_path: Path, user_decks: Path, capsys
) -> None:
    """QA 16:23: a deck kept elsewhere (a git repository) and linked into the decks folder
    was refused by deck add/import --update as "written outside the folder"; it is the
    person's own deck, and the update goes through the link into the file it points to."""
    (tmp_path / "notes").mkdir()
    kept = write(tmp_path / "notes" / "capitals.toml", DECK)
    user_decks.mkdir(parents=True)
    link = user_decks / "capitals.toml"
    link.symlink_to(kept)
    changed = write(tmp_path / "v2.toml", DECK.replace('answer = "Berlin"', 'answer = "Bonn"'))
    assert main(["deck", "add", str(changed), "--update", "--yes"]) == 0, capsys.readouterr().err
    assert link.is_symlink() and load_deck(kept).cards[1].answer == "Bonn"
    table = write(tmp_path / "caps.csv", "question,answer\nCapital of Italy?,Rome\n")
    assert main(["deck", "import", str(table), "--id", "capitals", "--update", "--yes"]) == 0
    assert link.is_symlink() and [c.answer for c in load_deck(kept).cards] == ["Rome"]
    assert files_in(user_decks) == ["capitals.toml"]
