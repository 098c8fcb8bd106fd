"""Import from Anki text, Quizlet, CSV and TSV; export to Anki text, .apkg and CSV."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

import pytest

from quizapp.decks import MAX_DECK_BYTES, parse_deck
from quizapp.interop import InteropError, detect_format, export_deck, import_file
from quizapp.interop.apkg import anki_deck_id, note_guid
from quizapp.interop.common import html_to_text, text_to_html
from quizapp.models import Deck

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
ESC = "\x1b"

EVERY_KIND = """\
format = 1

[deck]
id = "mixed"
title = "Mixed [bold]deck[/]"

[[cards]]
id = "capital"
kind = "choice"
question = "Capital of France? [@click=app.quit]quit[/]"
answer = "Paris"
distractors = ["Lyon", "Nice & Cannes", "<b>Bordeaux</b>"]
accept = ["paris"]
explanation = "On the Seine.\\nSince long ago."
tags = ["geo", "europe"]
section = "introduction"

[[cards]]
id = "planet"
kind = "text"
question = "Largest planet, \\u001b[31mred\\u001b[0m?"
answer = "Jupiter"
accept = ["planet Jupiter"]

[[cards]]
id = "water"
kind = "flip"
question = "Formula of water\\twith a tab, \\"quotes\\" and a; semicolon"
answer = "H2O"

[[cards]]
id = "inner"
kind = "order"
question = "Nearest the Sun first"
answer = ["Mercury", "Venus [dim]", "Earth", "Mars"]
"""


@pytest.fixture
def mixed() -> Deck:
    return parse_deck(EVERY_KIND, "mixed.toml")


def test_anki_text_with_html_headers_and_tags_column() -> None:
    result = import_file(FIXTURES / "anki_basic.txt")
    deck = result.deck
    assert deck.id == "european-capitals"  # from #deck:
    assert deck.deck.title == "European capitals"
    cards = deck.cards
    assert [c.kind for c in cards] == ["flip", "flip", "flip"]
    assert cards[0].question == "France\n(the country)"  # <br> -> newline
    assert cards[0].answer == "Paris & nothing else"  # entity unescaped
    assert cards[0].tags == ["geo", "europe"]
    assert cards[1].question == "Spain" and cards[1].answer == "Madrid"  # tags stripped
    assert cards[2].question == "[bold]Italy[/]"  # markup is data
    assert cards[2].answer == "Rome <3"
    assert cards[2].tags == []
    # The guid column is skipped, not read as an answer.
    assert all("AbC" not in c.answer_text for c in cards)


def test_anki_columns_header_and_other_separator() -> None:
    result = import_file(FIXTURES / "anki_columns.txt", title="Capitals")
    cards = result.deck.cards
    assert [(c.question, c.answer) for c in cards] == [
        ("Capital of Germany", "Berlin"),
        ("Capital of <Austria>", "Vienna; on the Danube"),  # html:false keeps < literal
    ]
    assert cards[0].tags == ["geo"]
    assert any("crowdanki uuid" in w and ":5:" in w for w in result.warnings)
    assert any("Source" in w for w in result.warnings)


@pytest.mark.parametrize(("name", "value"), [("comma", ","), ("pipe", "|"), ("Semicolon", ";")])
def test_anki_named_separators(tmp_path: Path, name: str, value: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(f"#separator:{name}\n#html:false\nfront{value}back\n", encoding="utf-8")
    card = import_file(path).deck.cards[0]
    assert (card.question, card.answer) == ("front", "back")


def test_quizlet_export() -> None:
    deck = import_file(FIXTURES / "quizlet.txt", title="German animals").deck
    assert [(c.question, c.answer, c.kind) for c in deck.cards] == [
        ("der Hund", "the dog", "flip"),
        ("die Katze", "the cat", "flip"),
        ("das Pferd", "the horse", "flip"),
    ]
    # Ids are slugs of the question: re-importing an updated export keeps progress.
    assert [c.id for c in deck.cards] == ["der-hund", "die-katze", "das-pferd"]


def test_quizlet_line_without_tab_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "set.txt"
    path.write_text("a\tb\nno tab here\n", encoding="utf-8")
    result = import_file(path, "quizlet")
    assert [c.question for c in result.deck.cards] == ["a"]
    assert result.warnings == [f"{path}:2: no TAB between term and definition; card skipped"]
    with pytest.raises(InteropError) as caught:
        import_file(path, "quizlet", strict=True)
    assert caught.value.problems == [
        f"{path}:2: no TAB between term and definition (refused: --strict)"]


def test_csv_with_kind_columns_maps_to_card_kinds() -> None:
    deck = import_file(FIXTURES / "cards.csv").deck
    choice, text, order, flip = deck.cards
    assert choice.kind == "choice" and choice.distractors == ["Lyon", "Nice"]
    assert choice.tags == ["geo", "europe"] and choice.explanation == "Paris is on the Seine."
    assert text.kind == "text" and text.accept == ["planet Jupiter"]
    assert order.kind == "order" and order.answer == ["Mercury", "Venus", "Earth"]
    assert flip.kind == "flip"  # an empty kind cell means flip


def test_tsv_with_front_back_header() -> None:
    deck = import_file(FIXTURES / "words.tsv").deck
    assert [(c.question, c.answer) for c in deck.cards] == [("Oui", "Yes"), ("Non", "No")]


def test_bad_rows_name_the_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("question,answer,kind\nok,fine,\n,empty question,\nq,a,quiz\n"
                    "pick,x,choice\n", encoding="utf-8")
    with pytest.raises(InteropError) as caught:
        import_file(path, strict=True)
    problems = caught.value.problems
    assert f"{path}:3: cards[1].question: must not be empty" in problems
    assert (f"{path}:4: cards[2].kind: unknown kind 'quiz' (use choice, text, flip, order or "
            "cloze)" in problems)
    assert (f"{path}:5: cards[3].distractors: a choice card needs at least one distractor"
            in problems)
    # Without --strict: each bad row is left out with one warning, the rest imported.
    result = import_file(path)
    assert [c.question for c in result.deck.cards] == ["ok"]
    assert result.warnings == [f"{p}; row skipped" for p in problems]
    assert result.skipped == {"empty question": 1, "bad kind": 1, "bad distractors": 1}


def test_duplicate_ids_in_an_id_column(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("id,question,answer\na,one,1\nb,two,2\na,three,3\n", encoding="utf-8")
    with pytest.raises(InteropError) as caught:
        import_file(path, strict=True)
    assert caught.value.problems == [
        f"{path}:4: cards[2].id: duplicate card id 'a' (already used on line 2)"]
    result = import_file(path)
    assert [c.question for c in result.deck.cards] == ["one", "two"]
    assert result.skipped == {"duplicate id": 1}


def test_same_question_twice_gets_distinct_stable_ids(tmp_path: Path) -> None:
    path = tmp_path / "twice.txt"
    path.write_text("Hund\tdog\nHund\thound\nСобака\tdog\n", encoding="utf-8")
    ids = [c.id for c in import_file(path, "quizlet", title="t").deck.cards]
    assert ids[:2] == ["hund", "hund-2"]
    assert ids[2].startswith("card-")  # no ASCII letters: a hash of the question
    assert ids == [c.id for c in import_file(path, "quizlet", title="t").deck.cards]


@pytest.mark.parametrize("bad_id", ["../evil", "a/b", "/abs", "nul\x00id"])
def test_import_refuses_an_unsafe_deck_id(tmp_path: Path, bad_id: str) -> None:
    with pytest.raises(InteropError) as caught:
        import_file(FIXTURES / "quizlet.txt", deck_id=bad_id)
    assert "deck.id" in caught.value.problems[0]


def test_not_utf8_import_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("question,answer\ncafé,coffee\n".encode("latin-1"))
    with pytest.raises(InteropError) as caught:
        import_file(path)
    assert caught.value.problems[0].startswith(f"{path}:2: not UTF-8")


def test_spreadsheet_bom_is_dropped_on_import(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbfquestion,answer\nq,a\n")
    assert import_file(path).deck.cards[0].question == "q"


def test_format_detection(tmp_path: Path) -> None:
    assert detect_format(FIXTURES / "anki_basic.txt", (FIXTURES / "anki_basic.txt").read_text()) == "anki"
    assert detect_format(Path("x.txt"), "a\tb\n") == "quizlet"
    assert detect_format(Path("x.csv"), "a,b\n") == "csv"
    with pytest.raises(InteropError, match="pass --separator"):
        detect_format(Path("x.txt"), "just words\n")
    with pytest.raises(InteropError, match="imported as a whole"):
        detect_format(Path("x.apkg"), "")


def test_html_helpers_round_trip_literal_text() -> None:
    text = "a < b & c\n[bold]x[/] " + ESC + "[0m"
    assert html_to_text(text_to_html(text)) == text
    assert html_to_text("one<br/>two<div>three</div>&nbsp;") == "one\ntwo\nthree"


def test_progress_is_reported_up_to_the_whole_input(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("".join(f"term {i}\tdefinition {i}\n" for i in range(3000)), encoding="utf-8")
    calls: list[tuple[int, int]] = []
    deck = import_file(path, "quizlet", progress=lambda d, t: calls.append((d, t))).deck
    assert len(deck.cards) == 3000
    assert len(calls) >= 3
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert calls[-1][0] == calls[-1][1] == len(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("fmt", "name"), [("anki", "out.txt"), ("csv", "out.csv")])
def test_export_then_import_gives_back_the_same_cards(
    tmp_path: Path, mixed: Deck, fmt: str, name: str
) -> None:
    out = tmp_path / name
    out.write_bytes(export_deck(mixed, fmt))
    back = import_file(out, deck_id="mixed", title=mixed.deck.title).deck
    assert back.cards == mixed.cards
    assert back.cards[1].question.count(ESC) == 2
    assert "[@click=app.quit]" in back.cards[0].question


def test_anki_text_export_has_the_headers(mixed: Deck) -> None:
    lines = export_deck(mixed, "anki").decode("utf-8").splitlines()
    assert lines[:9] == [
        "#separator:tab", "#html:true", "#notetype column:1", "#guid column:2",
        "#deck:Mixed [bold]deck[/]", "#quizapp id:mixed", "#quizapp title:Mixed [bold]deck[/]",
        "#columns:notetype\tguid\tFront\tBack\tTags\tid\tkind\tdistractors\taccept"
        "\texplanation\tsection\treverse",
        "#tags column:5",
    ]
    first = lines[9].split("\t")
    assert first[:2] == ["Basic", note_guid("mixed", "capital")]
    assert "&lt;b&gt;Bordeaux&lt;/b&gt;" in lines[9]  # card text is escaped, shown literally


def test_list_item_with_a_line_break_cannot_be_exported_silently() -> None:
    deck = Deck.model_validate({"deck": {"id": "d", "title": "D"}, "cards": [
        {"id": "c", "kind": "choice", "question": "q", "answer": "a",
         "distractors": ["two\nlines"]}]})
    with pytest.raises(InteropError, match=r"cards\[0\]\.distractors"):
        export_deck(deck, "csv")


def _apkg_notes(data: bytes, tmp_path: Path) -> tuple[list[tuple[str, str, str]], str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert set(archive.namelist()) == {"collection.anki2", "media"}
        db = tmp_path / "collection.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        notes = conn.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
        decks = conn.execute("SELECT decks FROM col").fetchone()[0]
    finally:
        conn.close()
    return notes, decks


def test_apkg_holds_one_note_per_card_with_stable_ids(tmp_path: Path, mixed: Deck) -> None:
    first, decks = _apkg_notes(export_deck(mixed, "apkg"), tmp_path)
    assert len(first) == len(mixed.cards)
    fields = [flds.split("\x1f") for _, flds, _ in first]
    by_id = {f[3]: f for f in fields}
    assert set(by_id) == {"capital", "planet", "water", "inner"}
    assert by_id["capital"][0].startswith("Capital of France? [@click=app.quit]quit[/]")
    assert "• &lt;b&gt;Bordeaux&lt;/b&gt;" in by_id["capital"][0]  # options listed, escaped
    assert by_id["capital"][1] == "Paris"
    assert by_id["inner"][1] == "1. Mercury<br>2. Venus [dim]<br>3. Earth<br>4. Mars"
    assert str(anki_deck_id("mixed")) in decks
    assert "geo" in first[0][2]
    # Exported again (later, different clock): same guids and deck id, so Anki updates.
    second, decks2 = _apkg_notes(export_deck(mixed, "apkg"), tmp_path)
    assert sorted(g for g, _, _ in first) == sorted(g for g, _, _ in second)
    assert sorted(g for g, _, _ in first) == sorted(note_guid("mixed", c.id) for c in mixed.cards)
    assert anki_deck_id("mixed") != anki_deck_id("other")


def _genanki_collection(deck: Deck, path: Path, timestamp: float) -> None:
    """The collection as genanki writes it note by note (what apkg export did before it
    wrote the rows in bulk): the reference for ``write_collection``."""
    import itertools

    import genanki

    from quizapp.interop.apkg import _models, _notes

    anki_deck = genanki.Deck(anki_deck_id(deck.id), deck.deck.title,
                             description=text_to_html(deck.deck.description))
    for note_model, fields, tags, guid, _ords in _notes(deck):
        anki_deck.add_note(genanki.Note(model=note_model, fields=fields, tags=tags, guid=guid))
    assert len({m.name for m in _models()}) == 3
    conn = sqlite3.connect(path)
    genanki.Package(anki_deck).write_to_db(conn.cursor(), timestamp,
                                           itertools.count(int(timestamp * 1000)))
    conn.commit()
    conn.close()


def test_apkg_collection_holds_exactly_the_rows_genanki_writes(tmp_path: Path, mixed: Deck) -> None:
    """Every note, card, note type and deck row (ids, guids, fields, tags, the cards a
    cloze or reversed note makes) as genanki's own note-by-note writing gives them."""
    from quizapp.interop.apkg import write_collection

    more = parse_deck(EVERY_KIND + """
[[cards]]
id = "both-ways"
kind = "flip"
question = "Hund"
answer = "dog"
reverse = true
tags = ["two words"]

[[cards]]
id = "gap"
kind = "cloze"
question = "{{c1::Paris}} is on the {{c2::Seine::river}}, not the {{c1::Loire}}"
""", "more.toml")
    for n, deck in enumerate((mixed, more)):
        ours, theirs = tmp_path / f"{n}-ours.anki2", tmp_path / f"{n}-genanki.anki2"
        conn = sqlite3.connect(ours)
        write_collection(conn.cursor(), deck, 1_700_000_000.5)
        conn.commit()
        conn.close()
        _genanki_collection(deck, theirs, 1_700_000_000.5)
        dumps = []
        for path in (ours, theirs):
            conn = sqlite3.connect(path)
            dumps.append(list(conn.iterdump()))
            conn.close()
        assert dumps[0] == dumps[1]
        cards = sum(line.startswith('INSERT INTO "cards"') for line in dumps[0])
        assert cards == len(deck.cards) + (2 if deck is more else 0)  # reversed, cloze: 2 each


def test_unicode_line_separators_stay_inside_their_cell(tmp_path: Path) -> None:
    path = tmp_path / "set.txt"
    path.write_text("one\u2028two\tdef\x85inition\r\nnext\tcard\r\n", encoding="utf-8")
    deck = import_file(path, "quizlet", title="t").deck
    assert [(c.question, c.answer) for c in deck.cards] == [
        ("one\u2028two", "def\x85inition"), ("next", "card")]


@pytest.mark.parametrize("fmt", ["anki", "csv"])
def test_round_trip_keeps_unicode_line_separators(tmp_path: Path, fmt: str) -> None:
    deck = Deck.model_validate({"deck": {"id": "d", "title": "D"}, "cards": [
        {"id": "c", "kind": "choice", "question": "a\u2028b", "answer": "x\x85y",
         "distractors": ["p\u2029q", "r"]}]})
    out = tmp_path / ("out.txt" if fmt == "anki" else "out.csv")
    out.write_bytes(export_deck(deck, fmt))
    assert import_file(out, deck_id="d", title="D").deck.cards == deck.cards


def test_anki_tags_header_tags_every_card_and_spaced_header_values(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("#separator: Comma\n#tags: physics week1\n#tags column: 3\n"
                    "# vim: noet nowrap\nForce?,Mass times acceleration,laws\n", encoding="utf-8")
    result = import_file(path)
    assert result.deck.cards[0].tags == ["physics", "week1", "laws"]
    assert result.deck.cards[0].answer == "Mass times acceleration"
    assert any("#vim ignored" in w for w in result.warnings)


def test_import_over_the_size_limit_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_DECK_BYTES + 1)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(InteropError) as caught:
        import_file(path)
    assert caught.value.problems == [
        f"{path}: file is {MAX_DECK_BYTES + 1:,} bytes; an import may be at most 64 MB "
        f"({MAX_DECK_BYTES:,} bytes)"]
