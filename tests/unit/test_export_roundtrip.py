"""Exports are safe and faithful: no cell of a CSV or Anki text export starts a
spreadsheet formula, and every card that validates comes back identical from every
format (hypothesis property)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from quizapp.interop import export_deck, import_file
from quizapp.interop.common import neutralise, unneutralise
from quizapp.models import Card, Deck

# Characters that have broken exports before: separators, quotes, line ends, form feeds,
# formula starts, Anki's header sign, HTML, cloze braces, control characters.
TRICKY = list("\t\r\n\f\v\"',;|#=+-@<>&[]{}:\\ \x1b\x00\x7f\u2028\u0085") + ["<br>", "&amp;",
                                                                           "{{c1::", "}}"]
text = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=4)), max_size=8).map("".join)
line = text.map(lambda s: s.replace("\n", " ").replace("\r", " "))
non_blank = text.filter(lambda s: s.strip())
item = line.filter(lambda s: s.strip())
tag = st.from_regex(r"[A-Za-z0-9_:.#=+@-]{1,12}", fullmatch=True)
card_id = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,20}", fullmatch=True)


@st.composite
def cards(draw) -> dict:
    kind = draw(st.sampled_from(["choice", "text", "flip", "order", "cloze"]))
    card: dict = {"id": draw(card_id), "kind": kind}
    if kind == "cloze":
        gaps = draw(st.lists(item.filter(lambda s: "}}" not in s and "::" not in s
                                         and "{{" not in s), min_size=1, max_size=3))
        parts = [draw(text).replace("{{", "{ {") for _ in range(len(gaps) + 1)]
        card["question"] = parts[0] + "".join(
            f"{{{{c{n}::{gap}}}}}{parts[n]}" for n, gap in enumerate(gaps, 1))
    else:
        card["question"] = draw(non_blank)
    if kind == "order":
        card["answer"] = draw(st.lists(item, min_size=2, max_size=4))
    elif kind != "cloze":
        card["answer"] = draw(non_blank if kind in ("flip", "text") else item)
    if kind == "choice":
        card["distractors"] = draw(st.lists(item, min_size=1, max_size=3))
    if kind in ("choice", "text"):
        card["accept"] = draw(st.lists(item, max_size=2))
    card["explanation"] = draw(text)
    card["section"] = draw(text)
    card["tags"] = draw(st.lists(tag, max_size=3))
    if kind in ("flip", "text"):
        card["reverse"] = draw(st.booleans())
    return card


def _deck(data: list[dict], description: str = "", tags: list[str] = ()) -> Deck:
    seen: set[str] = set()
    for n, card in enumerate(data):
        card["id"] = f"{card['id']}-{n}"
        seen.add(card["id"])
    try:
        return Deck.model_validate({"deck": {"id": "round-trip", "title": "Round trip",
                                             "description": description, "source": "hand made",
                                             "tags": list(tags)},
                                    "cards": data})
    except ValidationError:
        assume(False)
        raise


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.lists(cards(), min_size=1, max_size=5), description=text,
       tags=st.lists(tag, max_size=2))
def test_every_valid_card_comes_back_identical(tmp_path: Path, data, description, tags) -> None:
    deck = _deck(data, description, tags)
    for fmt, name in (("anki", "out.txt"), ("csv", "out.csv")):
        out = tmp_path / name
        out.write_bytes(export_deck(deck, fmt))
        back = import_file(out, deck_id=deck.id, title=deck.deck.title, strict=True).deck
        assert back.cards == deck.cards, fmt
        if fmt == "anki":  # the deck's own fields come back too
            assert (back.deck.description, back.deck.source, back.deck.tags) == (
                deck.deck.description, deck.deck.source, deck.deck.tags)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(cards(), min_size=1, max_size=4))
def test_no_exported_cell_starts_a_formula(tmp_path: Path, data) -> None:
    deck = _deck(data)
    raw = export_deck(deck, "csv").decode("utf-8-sig")
    for row in csv.reader(io.StringIO(raw, newline="")):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    anki = export_deck(deck, "anki").decode("utf-8")
    body = [line for line in anki.split("\n") if not line.startswith("#")]
    for row in csv.reader(io.StringIO("\n".join(body), newline=""), delimiter="\t"):
        for cell in row[2:]:  # the note type and the guid are ours, not card text
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "#")), cell


@given(st.text())
def test_neutralising_is_reversed_exactly(cell: str) -> None:
    assert unneutralise(neutralise(cell)) == cell
    assert not neutralise(cell).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_card_starting_with_minus_two_comes_back_as_minus_two(tmp_path: Path) -> None:
    deck = Deck.model_validate({"deck": {"id": "d", "title": "D"}, "cards": [
        {"id": "neg", "kind": "text", "question": "=HYPERLINK(\"http://x\",\"click\")",
         "answer": "-2"}]})
    raw = export_deck(deck, "csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    assert b"'=HYPERLINK" in raw and b",'-2" in raw
    (tmp_path / "d.csv").write_bytes(raw)
    assert import_file(tmp_path / "d.csv", deck_id="d").deck.cards == deck.cards
