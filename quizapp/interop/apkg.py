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
deletion. Text is HTML-escaped, so Anki shows it literally; an ``[image: name]`` or
``[sound: name]`` marker of a file in the deck's media folder becomes Anki's picture or
sound again, and the file goes into the package.

A card imported from Anki (``[deck.anki]``, see ``origin``) goes back as the note it came
from: its guid, its note type (same id, fields and templates; written with an old
modification time, so Anki never takes it for a newer version of its own) and its
fields, so Anki updates that note instead of adding a copy.
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
from collections.abc import Set as AbstractSet
from pathlib import Path

from quizapp.interop.common import cloze_html, media_html, text_to_html
from quizapp.interop.origin import Origins
from quizapp.models import AnkiNotetype, Card, Deck

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


def _front(card: Card, media: AbstractSet[str], used: set[str]) -> str:
    front = media_html(card.question, media, used)
    if card.kind == "choice":
        options = sorted([card.answer_text, *card.distractors], key=str.casefold)
        front += "<br><br>" + "<br>".join(f"• {text_to_html(o)}" for o in options)
    elif card.kind == "order" and isinstance(card.answer, list):
        items = sorted(card.answer, key=str.casefold)
        front += "<br><br>" + "<br>".join(f"• {text_to_html(o)}" for o in items)
    return front


def _back(card: Card, media: AbstractSet[str], used: set[str]) -> str:
    if isinstance(card.answer, list):
        return "<br>".join(f"{n}. {text_to_html(item)}" for n, item in enumerate(card.answer, 1))
    return media_html(card.answer, media, used)


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


class _AnkiModel:
    """A note type a card came from in Anki, as genanki writes it: the same id, name,
    fields and templates, modified at time 0, so that Anki, which replaces its own note
    type by a newer one of the same id and fields, keeps its own."""

    @staticmethod
    def make(notetype: AnkiNotetype):
        import genanki

        class Model(genanki.Model):
            @property
            def _req(self):  # Anki works out which cards a note has itself
                return [[n, "any", list(range(len(self.fields)))]
                        for n in range(len(self.templates))]

            def to_json(self, timestamp: float, deck_id):
                return {**super().to_json(timestamp, deck_id), "mod": 0}

        return Model(notetype.id, notetype.name,
                     fields=[{"name": name} for name in notetype.fields],
                     templates=[{"name": t.name, "qfmt": t.front, "afmt": t.back}
                                for t in notetype.templates],
                     css=notetype.css,
                     model_type=genanki.Model.CLOZE if notetype.cloze else genanki.Model.FRONT_BACK)


def _notes(deck: Deck, models=None, media: AbstractSet[str] = frozenset(),
           used: set[str] | None = None, warnings: list[str] | None = None,
           anki_models: dict[int, object] | None = None):
    """(note type, fields, tags, guid, template numbers or None) of each note, in deck
    order, made as they are asked for: a card imported from Anki as its own note (once
    for a note of several cards), any other card as a note of quizapp's note types.
    ``used`` gathers the media files the notes show."""
    models = models or _models()
    used = used if used is not None else set()
    warnings = warnings if warnings is not None else []
    origins = Origins(deck)
    anki_models = anki_models if anki_models is not None else {}
    done: set[int] = set()
    for card in deck.cards:
        note = origins.note_of(card)
        if note is not None:
            if id(note) in done:
                continue
            done.add(id(note))
            out = origins.note_out(note, media, used, warnings)
            if out is None:
                continue
            if out.notetype is None:  # its note type is known by name only: quizapp's own
                yield (*_quizapp_note(card, models, media, used)[:2], out.tags, out.guid, None)
                continue
            model = anki_models.get(out.notetype.id)
            if model is None:
                model = anki_models[out.notetype.id] = _AnkiModel.make(out.notetype)
            yield model, out.fields, out.tags, out.guid, out.ords
            continue
        yield (*_quizapp_note(card, models, media, used), note_guid(deck.id, card.id), None)


def _quizapp_note(card: Card, models, media: AbstractSet[str], used: set[str]):
    """(note type, fields, tags) of a card as a note of quizapp's own note types."""
    tags = [t.replace(" ", "_") for t in card.tags]
    if card.kind == "cloze":
        fields = [cloze_html(card.question, media, used),
                  media_html(card.explanation, media, used), card.id]
    else:
        fields = [_front(card, media, used), _back(card, media, used),
                  media_html(card.explanation, media, used), card.id]
    return _note_type(card, models), fields, tags


def write_collection(cursor, deck: Deck, timestamp: float, media: AbstractSet[str] = frozenset(),
                     used: set[str] | None = None, warnings: list[str] | None = None) -> None:
    """Write ``deck`` into an empty Anki collection: the rows ``genanki.Package(...)
    .write_to_db`` writes for one deck of one note per card (a test holds the two to the
    same rows), with the notes and cards inserted in bulk rather than a Python object and
    two statements per note. Each note's row is made as sqlite takes it, so only the
    cards' few numbers are held for the second insert.

    Ids come from one counter started at the timestamp in milliseconds, each note's id
    before its cards' ids, as in genanki. ``media``: the names of the files in the deck's
    media folder (``used`` gathers those the notes show); ``warnings`` gathers what could
    not go back to Anki as it is in the deck."""
    import genanki

    anki_deck = genanki.Deck(anki_deck_id(deck.id), deck.deck.title,
                             description=text_to_html(deck.deck.description))
    models = _models()
    origins = Origins(deck)
    anki_models = {t.id: _AnkiModel.make(t) for t in origins.notetypes.values()}
    for card in deck.cards:  # the note types in use, in order of first use
        note = origins.note_of(card)
        anki_deck.add_model(anki_models[note.notetype] if note is not None
                            and isinstance(note.notetype, int) else _note_type(card, models))
    ids = itertools.count(int(timestamp * 1000))
    genanki.Package(anki_deck).write_to_db(cursor, timestamp, ids)
    mod, did = int(timestamp), anki_deck.deck_id
    cards: list[tuple[int, int, int]] = []  # (card id, note id, template)

    def note_rows():
        for note_model, fields, tags, guid, ords in _notes(deck, models, media, used, warnings,
                                                              anki_models):
            note_id = next(ids)
            if ords is None:
                ords = _card_ords(note_model, fields)
            cards.extend((next(ids), note_id, ord_) for ord_ in ords)
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


def media_names(folder: Path | None) -> frozenset[str]:
    """The names of the files in a deck's media folder (none when it has no folder)."""
    from quizapp.interop.package import safe_media_name

    if folder is None:
        return frozenset()
    try:
        return frozenset(entry.name for entry in os.scandir(folder)
                         if safe_media_name(entry.name) and entry.is_file(follow_symlinks=False))
    except (FileNotFoundError, NotADirectoryError):
        return frozenset()


def apkg_bytes(deck: Deck, timestamp: float | None = None, *, media_folder: Path | None = None,
               warnings: list[str] | None = None) -> bytes:
    """The ``.apkg`` file's bytes: a zip holding the sqlite collection, the media files its
    notes show (from ``media_folder``, the deck's own) and their list.

    Built here rather than with ``Package.write_to_file`` so the temporary database lives
    in a folder that is always removed."""
    timestamp = time.time() if timestamp is None else timestamp
    media = media_names(media_folder)
    used: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="quizapp-apkg-") as folder:
        db_path = os.path.join(folder, "collection.anki2")
        conn = sqlite3.connect(db_path)
        try:
            cursor = conn.cursor()
            write_collection(cursor, deck, timestamp, media, used, warnings)
            conn.commit()
        finally:
            conn.close()
        zip_path = Path(folder) / "deck.apkg"
        listing: dict[str, str] = {}
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as out:
            out.write(db_path, "collection.anki2")
            for number, name in enumerate(sorted(used)):
                assert media_folder is not None
                out.write(media_folder / name, str(number))
                listing[str(number)] = name
            out.writestr("media", json.dumps(listing))
        return zip_path.read_bytes()
