"""Format detection that does not guess wrong: Anki's exports with and without headers,
TAB files with a header row, semicolon CSVs, wider rows, Quizlet's two separators, HTML
or not; when two readings fit, the import stops and says which option to pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.interop import InteropError, import_file, import_package

ANKI = Path(__file__).resolve().parent.parent / "fixtures" / "anki"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_headerless_anki_export_is_not_read_as_plain_quizlet() -> None:
    result = import_file(ANKI / "notes-headerless.txt", title="Old Anki")
    cards = {c.question: c for c in result.deck.cards}
    assert cards["Capital of Japan?"].answer == "Tôkyô & more\n(東京)"  # HTML decoded
    assert cards["Capital of France?"].tags == ["capitals", "geo::europe"]  # 3rd column
    # a front that is only a picture is left out (a terminal cannot show it), saying why
    assert "[image: map.png]" not in cards
    assert any("question: only a picture or sound; row skipped" in w for w in result.warnings)
    bonjour = next(c for c in result.deck.cards if c.kind == "cloze")
    assert bonjour.explanation == "Used all day."  # the Back Extra column
    assert result.skipped == {"empty answer": 1, "question only a picture or sound": 1}
    assert "each row's last cell as tags" in result.layout and "HTML" in result.layout
    perro = cards["perro"]  # an optional-reversed note: three fields, then its tags
    assert (perro.answer, perro.tags) == ("dog", ["lang::es"])


def test_anki_notes_in_plain_text_with_headers_match_the_package() -> None:
    text_deck = import_file(ANKI / "notes.txt", title="From text").deck
    kinds = {c.id: (c.kind, c.reverse) for c in text_deck.cards}
    assert kinds["lang-bonjour"] == ("cloze", False)
    assert kinds["geo-rhine"] == ("flip", True)  # Basic (and reversed card)
    assert kinds["lang-perro"] == ("flip", True)  # optional reversed, Add Reverse filled
    assert kinds["lang-casa"] == ("flip", False)  # optional reversed, left empty
    package_ids = {c.id for d in import_package(ANKI / "sample.apkg")[0] for c in d.deck.cards}
    assert {c.id for c in text_deck.cards} == package_ids  # same ids: re-import updates


def test_tab_file_with_a_header_row(tmp_path: Path) -> None:
    path = write(tmp_path / "words.txt", "Front\tBack\nOui\tYes\n\"Non\"\tNo\n")
    result = import_file(path)
    assert [(c.question, c.answer) for c in result.deck.cards] == [("Oui", "Yes"), ("Non", "No")]


def test_semicolon_csv_from_a_german_excel(tmp_path: Path) -> None:
    path = write(tmp_path / "karten.csv",
                 "Hauptstadt von Frankreich?;Paris, an der Seine\nFluss in Köln?;Rhein\n")
    result = import_file(path)
    assert [(c.question, c.answer) for c in result.deck.cards] == [
        ("Hauptstadt von Frankreich?", "Paris, an der Seine"), ("Fluss in Köln?", "Rhein")]
    assert result.layout.startswith("semicolon-separated")


def test_two_separators_that_both_fit_are_not_guessed(tmp_path: Path, capsys) -> None:
    path = write(tmp_path / "both.csv", "a,b;c\nd,e;f\n")
    with pytest.raises(InteropError) as caught:
        import_file(path)
    assert "comma (2 cells), semicolon (2 cells)" in caught.value.problems[0] or \
        "semicolon (2 cells), comma (2 cells)" in caught.value.problems[0]
    assert "--separator" in caught.value.problems[0]
    deck = import_file(path, separator="semicolon").deck
    assert [(c.question, c.answer) for c in deck.cards] == [("a,b", "c"), ("d,e", "f")]


def test_a_wider_row_is_warned_never_dropped_silently(tmp_path: Path) -> None:
    path = write(tmp_path / "wide.csv", "question,answer\nq1,a1\nq2,a2,lost?\n")
    result = import_file(path)
    assert result.warnings == [f"{path}:3: 3 cells but the header row has 2; the cells "
                               "after it are ignored"]


def test_quizlet_with_its_own_two_separators(tmp_path: Path) -> None:
    path = write(tmp_path / "set.txt", "one - un\nline two;two - deux;")
    deck = import_file(path, separator=" - ", row_separator=";").deck
    assert [(c.question, c.answer) for c in deck.cards] == [
        ("one", "un\nline two"), ("two", "deux")]


def test_html_or_not_is_yours_to_say(tmp_path: Path) -> None:
    path = write(tmp_path / "cards.txt", "<b>bold</b> term\tdef &amp; more\n")
    assert import_file(path).deck.cards[0].question == "bold term"  # looks like HTML
    plain = import_file(path, html=False).deck.cards[0]
    assert (plain.question, plain.answer) == ("<b>bold</b> term", "def &amp; more")


def test_cli_options_and_the_note_on_what_was_seen(tmp_path: Path, capsys) -> None:
    path = write(tmp_path / "k.txt", "q1;a1\nq2;\n")
    assert main(["deck", "import", str(path), "--separator", ";"]) == 0
    captured = capsys.readouterr()
    assert "imported 1 cards, skipped 1 (1 empty answer)" in captured.out
    assert "was read as semicolon-separated, no header row" in captured.err
    path2 = write(tmp_path / "k2.txt", "q1;a1\nq2;\n")
    assert main(["deck", "import", str(path2), "--separator", ";", "--strict"]) == 1
    assert "must not be empty" in capsys.readouterr().err


def test_an_anki_text_export_of_several_decks_gives_one_deck_each(tmp_path: Path, capsys) -> None:
    from quizapp.interop import import_text_decks

    results = import_text_decks(ANKI / "notes.txt")
    by_title = {r.deck.deck.title: r.deck for r in results}
    assert {"Geography", "Geography::Capitals", "Languages"} <= set(by_title)
    assert by_title["Geography::Capitals"].id == "geography-capitals"  # as from the package
    assert {c.id for c in by_title["Geography::Capitals"].cards} == {"geo-france", "geo-japan"}
    only = import_text_decks(ANKI / "notes.txt", deck="Languages")
    assert [r.deck.id for r in only] == ["languages"]
    with pytest.raises(InteropError, match="pick it with --deck NAME"):
        import_text_decks(ANKI / "notes.txt", deck_id="mine")
    assert main(["deck", "import", str(ANKI / "notes.txt"), "--deck", "geography::capitals"]) == 0
    assert "imported 2 cards as deck 'geography-capitals'" in capsys.readouterr().out


def test_extra_fields_of_other_note_types_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "three.txt", "#separator:tab\n#html:true\n#notetype column:1\n"
                                         "Vocab\tchat\tcat\t<b>noun</b>, masculine\n")
    card = import_file(path).deck.cards[0]
    assert (card.question, card.answer, card.explanation) == ("chat", "cat", "noun, masculine")
