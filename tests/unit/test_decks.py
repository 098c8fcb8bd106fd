"""Deck files: every problem named with its file, line and field; safe paths; discovery."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from quizapp import decks
from quizapp.decks import (
    DeckError,
    Locations,
    deck_path,
    discover,
    dump_deck,
    load_deck,
    parse_deck,
    validate_file,
    write_deck,
)
from quizapp.models import Card

HEAD = """\
format = 1

[deck]
id = "sample"
title = "Sample"
"""

GOOD_CARDS = """
[[cards]]
id = "one"
kind = "flip"
question = "First?"
answer = "1"

[[cards]]
id = "two"
kind = "choice"
question = "Second?"
answer = "2"
distractors = ["3", "4"]
"""


def problems_of(text: str, name: str = "deck.toml") -> list[str]:
    with pytest.raises(DeckError) as caught:
        parse_deck(text, name)
    return caught.value.problems


def test_a_good_deck_parses() -> None:
    deck = parse_deck(HEAD + GOOD_CARDS, "deck.toml")
    assert deck.id == "sample"
    assert [c.id for c in deck.cards] == ["one", "two"]


def test_unknown_field_names_file_line_and_field() -> None:
    text = HEAD + GOOD_CARDS + '\n[[cards]]\nid = "three"\nkind = "text"\nquestion = "Q"\nanswr = "A"\n'
    line = text.splitlines().index('answr = "A"') + 1
    assert problems_of(text) == [
        f"deck.toml:{line - 4}: cards[2].answer: required field is missing",  # [[cards]]
        f"deck.toml:{line}: cards[2].answr: unknown field",
    ]


def test_a_value_of_the_wrong_type_names_file_line_and_field() -> None:
    text = (HEAD + 'tags = "history"\n' + GOOD_CARDS.replace('answer = "2"', "answer = 2")
            + '\n[[cards]]\nid = "three"\nkind = "order"\nquestion = "Q"\nanswer = "A"\n')
    lines = text.splitlines()
    tags, answer, order = (lines.index(t) + 1 for t in ('tags = "history"', "answer = 2", 'answer = "A"'))
    assert problems_of(text) == [
        f"deck.toml:{tags}: deck.tags: must be a list",
        f"deck.toml:{answer}: cards[1].answer: must be a string (a list of strings for an order card)",
        f"deck.toml:{order}: cards[2].answer: an order card needs a list of at least 2 items",
    ]


def test_missing_field_points_at_the_cards_header() -> None:
    text = HEAD + '\n[[cards]]\nid = "x"\nkind = "flip"\nanswer = "A"\n'
    header = text.splitlines().index("[[cards]]") + 1
    assert problems_of(text) == [f"deck.toml:{header}: cards[0].question: required field is missing"]


def test_unknown_kind() -> None:
    text = HEAD + '\n[[cards]]\nid = "x"\nkind = "quiz"\nquestion = "Q"\nanswer = "A"\n'
    assert problems_of(text) == [
        "deck.toml:9: cards[0].kind: unknown kind 'quiz' (use choice, text, flip, order or cloze)"]


def test_duplicate_card_ids_name_both_cards() -> None:
    text = HEAD + GOOD_CARDS + '\n[[cards]]\nid = "one"\nkind = "flip"\nquestion = "Q"\nanswer = "A"\n'
    line = len(text.splitlines()) - 3
    assert problems_of(text) == [
        f"deck.toml:{line}: cards[2].id: duplicate card id 'one' (already used by cards[0])"]


def test_choice_card_without_distractors() -> None:
    text = HEAD + '\n[[cards]]\nid = "c"\nkind = "choice"\nquestion = "Q"\nanswer = "A"\n'
    assert problems_of(text) == [
        "deck.toml:7: cards[0].distractors: a choice card needs at least one distractor"]


def test_choice_distractor_equal_to_answer() -> None:
    text = (HEAD + '\n[[cards]]\nid = "c"\nkind = "choice"\nquestion = "Q"\nanswer = "Paris"\n'
            'distractors = ["Lyon", " paris "]\n')
    assert problems_of(text) == [
        "deck.toml:12: cards[0].distractors: ' paris ' is the answer itself"]


def test_order_card_needs_two_items() -> None:
    text = HEAD + '\n[[cards]]\nid = "o"\nkind = "order"\nquestion = "Q"\nanswer = ["only"]\n'
    assert problems_of(text) == [
        "deck.toml:11: cards[0].answer: an order card needs a list of at least 2 items"]


@pytest.mark.parametrize(
    ("deck_id", "words"),
    [("../escape", "'..'"), ("a/b", "'/'"), ("/etc/passwd", "absolute path"),
     ("nul\\u0000id", "NUL"), ("C:evil", "absolute path")],
)
def test_unsafe_deck_ids_are_refused(deck_id: str, words: str) -> None:
    text = HEAD.replace('id = "sample"', f'id = "{deck_id}"') + GOOD_CARDS
    problems = problems_of(text)
    assert len(problems) == 1
    assert problems[0].startswith("deck.toml:4: deck.id: ")
    assert words in problems[0]


@pytest.mark.parametrize("deck_id", ["../escape", "a/b", "/tmp/x", "nul\x00id", "..", ""])
def test_deck_path_never_leaves_the_folder(tmp_path: Path, deck_id: str) -> None:
    with pytest.raises(DeckError):
        deck_path(tmp_path / "decks", deck_id)
    assert not (tmp_path / "decks").exists()
    assert deck_path(tmp_path / "decks", "fine-id") == (tmp_path / "decks" / "fine-id.toml").resolve()


def test_newer_format_is_refused_with_one_clear_line() -> None:
    text = HEAD.replace("format = 1", "format = 2") + GOOD_CARDS + "new_thing = 1\n"
    assert problems_of(text) == [
        "deck.toml:1: format: deck format 2 is newer than this quizapp reads (format 1); "
        "update quizapp to use this deck"]


def test_toml_syntax_error_has_its_line() -> None:
    text = HEAD + '\n[[cards]]\nid = "x\n'
    problems = problems_of(text)
    assert len(problems) == 1 and problems[0].startswith("deck.toml:8: not valid TOML: ")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes((HEAD + GOOD_CARDS.replace("First?", "Première?")).encode("latin-1"))
    [problem] = validate_file(path)
    assert problem.startswith(f"{path}:10: not UTF-8 text")


def test_bom_is_refused_with_a_message_saying_so(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + GOOD_CARDS).encode("utf-8"))
    assert validate_file(path) == [
        f"{path}:1: file starts with a byte order mark (BOM); save it as UTF-8 without a BOM"]


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "huge.toml"
    size = decks.MAX_DECK_BYTES + 1024 * 1024
    with path.open("wb") as handle:
        handle.truncate(size)  # sparse: costs no disk

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    [problem] = validate_file(path)
    assert problem == (f"{path}: file is {size:,} bytes; a deck may be at most 64 MB "
                       f"({decks.MAX_DECK_BYTES:,} bytes)")


@pytest.mark.parametrize(
    "body",
    ["x = " + "[" * 200_000 + "]" * 200_000, "x = " + "{a = " * 50_000,
     "x = [[[[[[[[[1]]]]]]]]]"],
)
def test_deep_nesting_is_refused_without_recursion_error(body: str) -> None:
    result: list[object] = []

    def run() -> None:  # a worker thread, as the app would use, with a small stack
        try:
            parse_deck(HEAD + body + "\n", "deep.toml")
        except DeckError as exc:
            result.append(exc.problems)
        except BaseException as exc:  # noqa: BLE001 - the test reports what escaped
            result.append(exc)

    threading.stack_size(512 * 1024)
    try:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join()
    finally:
        threading.stack_size(0)
    assert result == [["deep.toml:6: arrays or tables nest more than 8 levels deep; "
                       "a deck never needs that"]]


def test_deep_dotted_table_headers_are_refused() -> None:
    text = HEAD + GOOD_CARDS + "[" + ".".join(["t"] * 12) + "]\nx = 1\n"
    line = text.count("\n", 0, text.index("[t.t")) + 1
    assert problems_of(text) == [
        f"deck.toml:{line}: arrays or tables nest more than 8 levels deep; "
        "a deck never needs that"]


def test_brackets_inside_strings_and_comments_do_not_shift_lines() -> None:
    text = (HEAD + '# a comment with [[cards]] and [[[[[[[[[[ in it\n'
            '[[cards]]\nid = "a"\nkind = "flip"\nquestion = """two\n[[cards]]\nlines"""\n'
            'answer = "[[[[[[[[[[ deep? no, a string"\n'
            '\n[[cards]]\nid = "b"\nkind = "flip"\nquestion = \'[x]\'\nanswer = "B"\nanswr = 1\n')
    line = text.splitlines().index("answr = 1") + 1
    assert problems_of(text) == [f"deck.toml:{line}: cards[1].answr: unknown field"]


def test_markup_and_control_characters_are_kept_as_data(tmp_path: Path) -> None:
    text = HEAD + ('\n[[cards]]\nid = "m"\nkind = "text"\n'
                   'question = "[bold]x[/] [@click=app.quit]q[/] \\u001b[31m"\nanswer = "[/]"\n')
    deck = parse_deck(text, "deck.toml")
    assert deck.cards[0].question == "[bold]x[/] [@click=app.quit]q[/] \x1b[31m"
    path = tmp_path / "m.toml"
    write_deck(deck, path)
    assert load_deck(path).cards == deck.cards


def test_write_deck_refuses_an_invalid_deck_and_writes_nothing(tmp_path: Path) -> None:
    deck = parse_deck(HEAD + GOOD_CARDS, "deck.toml")
    deck.cards.append(Card(id="one", kind="flip", question="again", answer="x"))
    path = tmp_path / "out.toml"
    with pytest.raises(DeckError, match="duplicate card id 'one'"):
        write_deck(deck, path)
    assert list(tmp_path.iterdir()) == []


def test_dump_is_deterministic() -> None:
    deck = parse_deck(HEAD + GOOD_CARDS, "deck.toml")
    assert dump_deck(deck) == dump_deck(parse_deck(dump_deck(deck), "again.toml"))


def _locations(tmp_path: Path) -> Locations:
    return Locations(scores=tmp_path / "scores.toml", user_decks=tmp_path / "user",
                     bundled_decks=tmp_path / "bundled", extra_decks=(tmp_path / "extra",))


def test_discover_reports_a_deck_id_used_twice(tmp_path: Path) -> None:
    where = _locations(tmp_path)
    for folder in ("bundled", "user", "extra"):
        (tmp_path / folder).mkdir()
    (tmp_path / "bundled" / "sample.toml").write_text(HEAD + GOOD_CARDS, encoding="utf-8")
    (tmp_path / "user" / "mine.toml").write_text(HEAD + GOOD_CARDS, encoding="utf-8")
    other = HEAD.replace('"sample"', '"other"') + GOOD_CARDS
    (tmp_path / "extra" / "other.toml").write_text(other, encoding="utf-8")
    catalog = discover(where)
    assert [(e.id, e.origin) for e in catalog.entries] == [("sample", "bundled"), ("other", "extra")]
    assert catalog.problems == [
        f"{tmp_path / 'user' / 'mine.toml'}: deck.id: 'sample' is already used by "
        f"{tmp_path / 'bundled' / 'sample.toml'} (bundled); this deck is skipped until one "
        "of them gets another id"]
    assert catalog.shadowed == [(tmp_path / "user" / "mine.toml", tmp_path / "bundled" / "sample.toml")]
    assert catalog.get("sample").read_only


def test_discover_reuses_parsed_decks_until_a_file_changes(tmp_path: Path, monkeypatch) -> None:
    where = _locations(tmp_path)
    (tmp_path / "user").mkdir()
    (tmp_path / "extra").mkdir()
    path = tmp_path / "user" / "s.toml"
    path.write_text(HEAD + GOOD_CARDS, encoding="utf-8")
    (tmp_path / "user" / "broken.toml").write_text("nope = [", encoding="utf-8")
    parsed: list[Path] = []
    real = decks.parse_deck
    monkeypatch.setattr(decks, "parse_deck",
                        lambda t, p, **kw: (parsed.append(p), real(t, p, **kw))[1])
    first = discover(where)
    second = discover(where)
    assert len(parsed) == 2  # each file once, the broken one included
    assert second.problems == first.problems and len(first.problems) == 1
    path.write_text(HEAD.replace('"Sample"', '"Renamed deck"') + GOOD_CARDS, encoding="utf-8")
    third = discover(where)
    assert len(parsed) == 3
    assert third.get("sample").deck.deck.title == "Renamed deck"


def test_discover_lists_bad_files_as_problems(tmp_path: Path) -> None:
    where = _locations(tmp_path)
    (tmp_path / "user").mkdir()
    bad = tmp_path / "user" / "bad.toml"
    bad.write_text(HEAD + GOOD_CARDS.replace("answer = \"1\"", "answr = \"1\""), encoding="utf-8")
    catalog = discover(where)
    assert catalog.entries == []
    assert f"{bad}:11: cards[0].answr: unknown field" in catalog.problems


def test_unicode_line_separators_in_strings_do_not_shift_lines() -> None:
    text = (HEAD + '\n[[cards]]\nid = "a"\nkind = "flip"\nquestion = "one\u2028two\x85three"\n'
            'answer = "A"\nanswr = 1\n')
    line = text.split("\n").index("answr = 1") + 1
    assert problems_of(text) == [f"deck.toml:{line}: cards[0].answr: unknown field"]


def test_windows_line_endings_keep_line_numbers() -> None:
    text = (HEAD + GOOD_CARDS.replace('answer = "1"', 'answr = "1"')).replace("\n", "\r\n")
    assert "deck.toml:11: cards[0].answr: unknown field" in problems_of(text)


def test_the_readme_example_is_a_valid_deck() -> None:
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## Deck format.*?```toml\n(.*?)```", readme, re.S)
    assert example, "README.md has a '## Deck format' section with a TOML example"
    deck = parse_deck(example.group(1), "README.md")
    assert {c.kind for c in deck.cards} == {"choice", "order", "cloze", "flip"}
    assert [c.id for c in deck.asked][-4:] == ["bonjour.c1", "bonjour.c2", "rhine", "rhine.reverse"]


def test_a_deck_rewritten_atomically_is_read_again_even_with_the_same_size(tmp_path: Path) -> None:
    where = _locations(tmp_path)
    deck = parse_deck(HEAD + GOOD_CARDS, "deck.toml")
    path = tmp_path / "user" / "sample.toml"
    write_deck(deck, path)
    assert discover(where).get("sample").deck.cards[0].answer == "1"
    deck.cards[0].answer = "9"  # same length: same file size, written at once
    write_deck(deck, path)
    assert discover(where).get("sample").deck.cards[0].answer == "9"


def test_an_extra_deck_folder_that_is_missing_or_a_file_is_reported(tmp_path: Path) -> None:
    where = _locations(tmp_path)  # its extra folder was never made
    assert discover(where).problems == [
        f"{tmp_path / 'extra'}: deck folder does not exist (from --decks or $QUIZAPP_DECKS)"]
    (tmp_path / "extra").write_text("a file\n", encoding="utf-8")
    assert discover(where).problems == [
        f"{tmp_path / 'extra'}: deck folder is a file, not a folder (from --decks or "
        "$QUIZAPP_DECKS)"]
    (tmp_path / "extra").unlink()
    (tmp_path / "extra").mkdir()
    # The user decks folder does not exist until a first deck is added: that is no problem.
    assert discover(where).problems == []


@pytest.mark.parametrize(
    ("first_line", "problem"),
    [("", "deck.toml:1: format: required field is missing (a deck starts with format = 1)"),
     ('format = "1"\n', "deck.toml:1: format: must be a whole number (format = 1), not '1'"),
     ("format = true\n", "deck.toml:1: format: must be a whole number (format = 1), not True")],
)
def test_format_must_be_present_and_a_whole_number(first_line: str, problem: str) -> None:
    """The issue's validation gap: these decks were "OK"."""
    assert problems_of(first_line + HEAD.removeprefix("format = 1\n") + GOOD_CARDS) == [problem]
