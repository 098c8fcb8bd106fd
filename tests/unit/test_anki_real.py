"""The real thing: quizapp's .apkg and Anki-text exports imported into a collection by
Anki's own library (the ``anki`` package, installed with the test extra). Every card
must arrive as the note a person would expect, and an export made after an edit must
update the notes in place, never duplicate them."""

from __future__ import annotations

from pathlib import Path

import pytest

anki_collection = pytest.importorskip(
    "anki.collection", reason="Anki's library is not installed (pip install -e '.[test]')")

from quizapp.interop import export_deck  # noqa: E402
from quizapp.interop.apkg import note_guid  # noqa: E402
from quizapp.interop.common import html_to_text  # noqa: E402
from quizapp.models import Deck  # noqa: E402

CARDS = [
    {"id": "capital", "kind": "choice", "question": "Capital of France? =1+1 [b]x[/b]",
     "answer": "Paris", "distractors": ["Lyon", "<i>Nice</i>"], "tags": ["geo::europe"]},
    {"id": "planet", "kind": "text", "question": "#1: largest planet?", "answer": "Jupiter",
     "explanation": "A gas giant.\nThe fifth planet."},
    {"id": "rhine", "kind": "flip", "question": "Rhine", "answer": "a river in Europe",
     "reverse": True, "tags": ["rivers"]},
    {"id": "bonjour", "kind": "cloze",
     "question": "{{c1::Bonjour}} means {{c2::hello::greeting}} in French & <French>.",
     "explanation": "Used all day."},
    {"id": "order", "kind": "order", "question": "Nearest the Sun first",
     "answer": ["Mercury", "Venus", "Earth"]},
    {"id": "minus", "kind": "flip", "question": "-2 + 3", "answer": "@1"},
]


def _deck(cards=CARDS) -> Deck:
    return Deck.model_validate({"deck": {"id": "real-anki", "title": "Real::Anki",
                                         "description": "Moved from quizapp"},
                                "cards": cards})


def _collection(tmp_path: Path, name: str):
    return anki_collection.Collection(str(tmp_path / f"{name}.anki2"))


def _import_apkg(col, path: Path) -> None:
    """As Anki's import dialog does it, with its default options (no note type merging:
    so quizapp must never change a note type it exported before)."""
    from anki.import_export_pb2 import ImportAnkiPackageRequest

    options = col._backend.get_import_anki_package_presets()
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path),
                                                           options=options)).log
    assert not log.conflicting and not log.missing_notetype


def _import_text(col, path: Path) -> None:
    from anki.import_export_pb2 import ImportCsvRequest

    metadata = col.get_csv_metadata(str(path), None)
    col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))


def _notes(col) -> dict[str, tuple[str, list[str], list[str], int, set[str]]]:
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        cards = note.cards()
        out[note.guid] = (note.note_type()["name"], list(note.fields), sorted(note.tags),
                          len(cards), {col.decks.name(c.did) for c in cards})
    return out


def _check(notes, deck: Deck, notetypes: dict[str, str]) -> None:
    assert len(notes) == len(deck.cards)  # one note per card, none twice
    for card in deck.cards:
        kind, fields, tags, count, decks = notes[note_guid(deck.id, card.id)]
        assert decks == {"Real::Anki"}
        assert tags == sorted(card.tags)
        key = "cloze" if card.kind == "cloze" else "reverse" if card.reverse else "basic"
        assert kind == notetypes[key]
        text = [html_to_text(f) for f in fields]
        if card.kind == "cloze":
            assert text[0] == card.question and text[1] == card.explanation
            assert count == 2  # one Anki card per deletion
        else:
            assert text[0].startswith(card.question)  # choice/order list their options after
            back = card.answer if isinstance(card.answer, str) else None
            if back is not None:
                assert text[1] == back
            assert count == (2 if card.reverse else 1)


def test_apkg_export_imports_into_anki_and_updates_in_place(tmp_path: Path) -> None:
    from quizapp.interop.apkg import apkg_bytes

    deck = _deck()
    path = tmp_path / "deck.apkg"
    # Anki updates a note only from a newer one (its modification time, in seconds): the
    # second export is made a minute later, as a person's would be.
    first_export = 1_767_225_600
    path.write_bytes(apkg_bytes(deck, timestamp=first_export))
    col = _collection(tmp_path, "apkg")
    try:
        _import_apkg(col, path)
        _check(_notes(col), deck, {"basic": "quizapp card", "cloze": "quizapp cloze",
                                   "reverse": "quizapp card (and reversed card)"})
        edited = [dict(c) for c in CARDS]
        edited[0]["question"] = "Capital of France, reworded?"
        path.write_bytes(apkg_bytes(_deck(edited), timestamp=first_export + 60))
        _import_apkg(col, path)
        notes = _notes(col)
        assert len(notes) == len(CARDS)
        front = html_to_text(notes[note_guid(deck.id, "capital")][1][0])
        assert front.startswith("Capital of France, reworded?")
    finally:
        col.close()


def test_text_export_imports_into_anki_and_updates_in_place(tmp_path: Path) -> None:
    deck = _deck()
    path = tmp_path / "deck.txt"
    path.write_bytes(export_deck(deck, "anki"))
    col = _collection(tmp_path, "text")
    try:
        _import_text(col, path)
        _check(_notes(col), deck, {"basic": "Basic", "cloze": "Cloze",
                                   "reverse": "Basic (and reversed card)"})
        edited = [dict(c) for c in CARDS]
        edited[1]["question"] = "#2: the largest planet?"
        path.write_bytes(export_deck(_deck(edited), "anki"))
        _import_text(col, path)
        notes = _notes(col)
        assert len(notes) == len(CARDS)  # the guid column made Anki update, not add
        assert html_to_text(notes[note_guid(deck.id, "planet")][1][0]) == "#2: the largest planet?"
    finally:
        col.close()
