"""``.apkg`` export through genanki.

Ids are derived from the deck id by hashing, never from the clock: the Anki deck id from
``quizapp-deck:<deck id>``, the note type from a fixed name, each note's guid from the
deck id and the card id. Exporting the deck again and importing it into Anki updates the
notes already there instead of adding copies.

Each card becomes a note with four fields: Front (the question, and for ``choice`` and
``order`` cards the options in alphabetical order), Back (the answer; an ``order`` card's
items numbered), Extra (the explanation) and QuizappId. A card with ``reverse = true``
uses a note type with a second, reversed template (two Anki cards); a ``cloze`` card
becomes a note of a Cloze note type (Text, Back Extra, QuizappId), one Anki card per
deletion. Text is HTML-escaped, so Anki shows it literally.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

from quizapp.interop.common import text_to_html
from quizapp.models import CLOZE, Card, Deck

MODEL_NAME = "quizapp card"
REVERSED_MODEL_NAME = "quizapp card (and reversed card)"
CLOZE_MODEL_NAME = "quizapp cloze"
FIELDS = ("Front", "Back", "Extra", "QuizappId")
CLOZE_FIELDS = ("Text", "Back Extra", "QuizappId")
FORWARD = {
    "name": "Card 1",
    "qfmt": "{{Front}}",
    "afmt": '{{FrontSide}}<hr id="answer">{{Back}}{{#Extra}}<br><br><i>{{Extra}}</i>{{/Extra}}',
}
BACKWARD = {
    "name": "Card 2",
    "qfmt": "{{Back}}",
    "afmt": '{{FrontSide}}<hr id="answer">{{Front}}{{#Extra}}<br><br><i>{{Extra}}</i>{{/Extra}}',
}


def stable_id(text: str) -> int:
    """A positive id Anki accepts (31 bits, above 2**30), the same for the same text."""
    digest = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    return (1 << 30) + digest % (1 << 30)


def anki_deck_id(deck_id: str) -> int:
    return stable_id(f"quizapp-deck:{deck_id}")


_BASE91 = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
           "!#$%&()*+,-./:;<=>?@[]^_`{|}~")


def note_guid(deck_id: str, card_id: str) -> str:
    """The note's guid: ``genanki.guid_for("quizapp", deck_id, card_id)`` (the first 8
    bytes of a SHA-256 in Anki's base 91), computed here without genanki's per-byte loop."""
    digest = hashlib.sha256(f"quizapp__{deck_id}__{card_id}".encode("utf-8")).digest()
    number = int.from_bytes(digest[:8], "big")
    out = []
    while number:
        number, digit = divmod(number, 91)
        out.append(_BASE91[digit])
    return "".join(reversed(out))


def _front(card: Card) -> str:
    front = text_to_html(card.question)
    if card.kind == "choice":
        options = sorted([card.answer_text, *card.distractors], key=str.casefold)
        front += "<br><br>" + "<br>".join(f"• {text_to_html(o)}" for o in options)
    elif card.kind == "order" and isinstance(card.answer, list):
        items = sorted(card.answer, key=str.casefold)
        front += "<br><br>" + "<br>".join(f"• {text_to_html(o)}" for o in items)
    return front


def _back(card: Card) -> str:
    if isinstance(card.answer, list):
        return "<br>".join(f"{n}. {text_to_html(item)}" for n, item in enumerate(card.answer, 1))
    return text_to_html(card.answer)


def cloze_html(text: str) -> str:
    """A cloze card's text as Anki HTML: the text escaped, the ``{{cN::...}}`` markers
    kept as Anki's own syntax."""
    out, last = [], 0
    for match in CLOZE.finditer(text):
        out.append(text_to_html(text[last:match.start()]) if match.start() > last else "")
        inner = text_to_html(match.group(2))
        hint = f"::{text_to_html(match.group(3))}" if match.group(3) is not None else ""
        out.append(f"{{{{c{match.group(1)}::{inner}{hint}}}}}")
        last = match.end()
    out.append(text_to_html(text[last:]) if last < len(text) else "")
    return "".join(out)


def _models():
    """The three note types (genanki imported only here): plain, with a reversed card,
    cloze."""
    import genanki

    model = genanki.Model(stable_id(f"quizapp-model:{MODEL_NAME}"), MODEL_NAME,
                          fields=[{"name": name} for name in FIELDS], templates=[FORWARD])
    reversed_model = genanki.Model(
        stable_id(f"quizapp-model:{REVERSED_MODEL_NAME}"), REVERSED_MODEL_NAME,
        fields=[{"name": name} for name in FIELDS], templates=[FORWARD, BACKWARD])
    cloze_model = genanki.Model(
        stable_id(f"quizapp-model:{CLOZE_MODEL_NAME}"), CLOZE_MODEL_NAME,
        fields=[{"name": name} for name in CLOZE_FIELDS],
        templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}",
                    "afmt": "{{cloze:Text}}<br>{{Back Extra}}"}],
        model_type=genanki.Model.CLOZE)
    return model, reversed_model, cloze_model


def _note_type(card: Card, models):
    """Which of ``_models()`` a card's note is."""
    model, reversed_model, cloze_model = models
    if card.kind == "cloze":
        return cloze_model
    return reversed_model if card.reverse else model


def _notes(deck: Deck, models=None):
    """(note type, fields, tags, guid) of each card, in deck order, made as they are
    asked for."""
    models = models or _models()
    for card in deck.cards:
        tags = [t.replace(" ", "_") for t in card.tags]
        guid = note_guid(deck.id, card.id)
        if card.kind == "cloze":
            fields = [cloze_html(card.question), text_to_html(card.explanation), card.id]
        else:
            fields = [_front(card), _back(card), text_to_html(card.explanation), card.id]
        yield _note_type(card, models), fields, tags, guid


def write_collection(cursor, deck: Deck, timestamp: float) -> None:
    """Write ``deck`` into an empty Anki collection: the rows ``genanki.Package(...)
    .write_to_db`` writes for one deck of one note per card (a test holds the two to the
    same rows), with the notes and cards inserted in bulk rather than a Python object and
    two statements per note. Each note's row is made as sqlite takes it, so only the
    cards' few numbers are held for the second insert.

    Ids come from one counter started at the timestamp in milliseconds, each note's id
    before its cards' ids, as in genanki."""
    import genanki

    anki_deck = genanki.Deck(anki_deck_id(deck.id), deck.deck.title,
                             description=text_to_html(deck.deck.description))
    models = _models()
    for card in deck.cards:  # the note types in use, in order of first use
        anki_deck.add_model(_note_type(card, models))
    ids = itertools.count(int(timestamp * 1000))
    genanki.Package(anki_deck).write_to_db(cursor, timestamp, ids)
    mod, did = int(timestamp), anki_deck.deck_id
    cards: list[tuple[int, int, int]] = []  # (card id, note id, template)

    def note_rows():
        for note_model, fields, tags, guid in _notes(deck, models):
            note_id = next(ids)
            cards.extend((next(ids), note_id, ord_) for ord_ in _card_ords(note_model, fields))
            yield (note_id, guid, note_model.model_id, mod, -1, " " + " ".join(tags) + " ",
                   "\x1f".join(fields), fields[note_model.sort_field_index], 0, 0, "")

    cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?);", note_rows())
    cursor.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?);",
                       ((card_id, note_id, did, ord_, mod, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                         "") for card_id, note_id, ord_ in cards))


def _card_ords(note_model, fields: list[str]) -> list[int]:
    """The templates a note makes a card of, as genanki decides (``Note.cards``)."""
    import genanki

    if note_model.model_type == note_model.CLOZE:
        return [card.ord for card in genanki.Note(model=note_model, fields=fields).cards]
    return [card_ord for card_ord, any_or_all, required in note_model._req
            if (any if any_or_all == "any" else all)(fields[i] for i in required)]


def apkg_bytes(deck: Deck, timestamp: float | None = None) -> bytes:
    """The ``.apkg`` file's bytes: a zip holding the sqlite collection and a media list.

    Built here rather than with ``Package.write_to_file`` so the temporary database lives
    in a folder that is always removed."""
    timestamp = time.time() if timestamp is None else timestamp
    with tempfile.TemporaryDirectory(prefix="quizapp-apkg-") as folder:
        db_path = os.path.join(folder, "collection.anki2")
        conn = sqlite3.connect(db_path)
        try:
            cursor = conn.cursor()
            write_collection(cursor, deck, timestamp)
            conn.commit()
        finally:
            conn.close()
        zip_path = Path(folder) / "deck.apkg"
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as out:
            out.write(db_path, "collection.anki2")
            out.writestr("media", json.dumps({}))
        return zip_path.read_bytes()
