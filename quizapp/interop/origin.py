"""Where a deck's cards came from in Anki, kept so that they can go back to Anki as the
same notes.

An import of an Anki package writes ``[deck.anki]`` (``models.AnkiSource``): the note
types the cards came from (id, name, fields, templates, css) and, for each note, its guid,
its fields as Anki held them (HTML), the deck's cards made of it, the Anki cards (template
numbers) it had, and a digest of those cards as the import made them.

An export (``.apkg`` or Anki text) writes such a note with its own guid and note type, so
Anki updates the note it already has instead of adding a copy beside it:

- a note whose cards are as the import made them goes back with its fields exactly as
  they were (formatting, pictures and sounds included);
- a card edited in quizapp has its new text written into the field its side shows, when
  the side shows one field (``{{Front}}``; the typed field of ``{{type:Field}}``; a cloze
  note's text field, and its one other field for the explanation). A side made of
  several fields cannot be taken apart: the note then goes back as it was, with a
  warning naming the card.

Cards made in quizapp have no note here; they are written as quizapp's own note types
with a guid from their card id, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from quizapp.interop.anki_import import ANSWER_RULE, CLOZE_FIELD, TYPED, cards_digest
from quizapp.interop.common import Row, cloze_html, media_html, media_text
from quizapp.interop.csv_io import NOTE_KEY
from quizapp.models import AnkiNote, AnkiNotetype, AnkiSource, Card, Deck, cloze_numbers

_ONE_FIELD = re.compile(r"^([^{}]*)\{\{\s*([^#^/{}:!][^{}:]*?)\s*\}\}([^{}]*)$", re.S)
_FRONT_SIDE = re.compile(r"\{\{\s*FrontSide\s*\}\}")


@dataclass
class NoteOut:
    """One Anki note to write: its guid, note type, fields (HTML), tags and the template
    numbers of its cards."""

    guid: str
    notetype: AnkiNotetype | None  # None: known by its name only (``column``)
    fields: list[str]
    tags: list[str]
    ords: list[int]
    column: str  # the note type as an Anki text file names it (its id, or its name)


class Origins:
    """The Anki notes of a deck's cards (``deck.deck.anki``), ready for an export."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        source = deck.deck.anki
        self.notetypes = {t.id: t for t in source.notetypes} if source else {}
        self.by_card: dict[str, AnkiNote] = {}
        if source:
            for note in source.notes:
                for card_id in note.cards:
                    self.by_card.setdefault(card_id, note)
        self._cards = {c.id: c for c in deck.cards} if self.by_card else {}

    def note_of(self, card: Card) -> AnkiNote | None:
        """The Anki note ``card`` came from, if any."""
        return self.by_card.get(card.id) if self.by_card else None

    def note_out(self, note: AnkiNote, media: AbstractSet[str], used: set[str],
                 warnings: list[str]) -> NoteOut | None:
        """The note as it goes back to Anki (None when none of its cards is left in the
        deck): its fields as Anki had them, with the sides edited in quizapp written in."""
        cards = [self._cards[c] for c in note.cards if c in self._cards]
        if not cards:
            return None
        tags = [t.replace(" ", "_") for t in cards[0].tags]
        if isinstance(note.notetype, str):  # from Anki's text export: its type's name only
            fields = list(note.fields)
            if note.imported != cards_digest(cards):
                fields = _edited_by_position(fields, cards[0], media, used)
            for value in fields:
                used.update(name for name in field_media(value) if name in media)
            return NoteOut(note.guid, None, fields, tags, [], note.notetype)
        notetype = self.notetypes[note.notetype]
        count = len(notetype.fields)
        fields = (list(note.fields) + [""] * count)[:count]
        if note.imported != cards_digest(cards):
            fields = _edited(self.deck, note, notetype, fields, cards, media, used, warnings)
        for value in fields:
            used.update(name for name in field_media(value) if name in media)
        if notetype.cloze:
            ords = [n - 1 for n in cloze_numbers(cards[0].question)] if (
                cards[0].kind == "cloze") else list(note.ords)
        elif len(note.cards) == len(note.ords):
            ords = [o for c, o in zip(note.cards, note.ords) if c in self._cards]
        else:
            ords = list(note.ords)
        return NoteOut(note.guid, notetype, fields, tags, ords or [0], str(notetype.id))


def _edited_by_position(fields: list[str], card: Card, media: AbstractSet[str],
                        used: set[str]) -> list[str]:
    """The fields of a note read from Anki's text export (its question the first field,
    its answer, or a cloze's explanation, the second) with what the card now says where
    it differs from them."""
    out = list(fields) + [""] * (2 - len(fields))
    if media_text(out[0]) != card.question:
        out[0] = (cloze_html(card.question, media, used) if card.kind == "cloze"
                  else media_html(card.question, media, used))
    second = card.explanation if card.kind == "cloze" else card.answer_text
    if media_text(out[1]) != second:
        out[1] = media_html(second, media, used)
    return out


def text_notes(deck: Deck, rows: Iterable[Row]) -> Deck:
    """``deck`` (just read from Anki's text export) with the notes its cards came from
    (``[deck.anki]``): each row of Anki's own export names its note's guid and type."""
    cards = {card.id: card for card in deck.cards}
    notes = []
    for row in rows:
        kept = row.values.get(NOTE_KEY)
        card = cards.pop((row.values.get("id") or "").strip(), None)
        if kept is None or card is None:
            continue  # (a row left out, or a second row of one id: its note is the first's)
        guid, notetype, *fields = kept.split("\x1f")
        notes.append({"guid": guid, "notetype": notetype, "fields": fields, "cards": [card.id],
                      "imported": cards_digest([card])})
    if not notes:
        return deck
    info = deck.deck.model_copy(update={"anki": AnkiSource.model_validate({"notes": notes})})
    return Deck(format=deck.format, deck=info, cards=deck.cards)


def field_media(value: str) -> list[str]:
    """The media file names an Anki field refers to (pictures, sounds, audio/video)."""
    names: set[str] = set()
    media_text(value, names)
    return sorted(names)


def _single_field(template: str, notetype: AnkiNotetype, text: str) -> tuple[str, str] | None:
    """The field a template side shows when it shows exactly one (``{{Front}}``, or
    ``{{Meaning}}?`` with text of its own around it), and what of ``text`` (the side as
    a card shows it) is that field's: None when the side shows no one field, or when
    ``text`` no longer holds the template's own text around it."""
    match = _ONE_FIELD.match(template)
    if not match or match.group(2) not in notetype.fields:
        return None
    before, after = media_text(match.group(1)), media_text(match.group(3))
    if not (text.startswith(before) and text.endswith(after)
            and len(text) >= len(before) + len(after)):
        return None
    return match.group(2), text[len(before):len(text) - len(after)].strip()


def _answer_side(back: str) -> str:
    """What a back template shows besides the front: the part after ``<hr id=answer>``
    when the part before it is only ``{{FrontSide}}``, else the back without it."""
    parts = ANSWER_RULE.split(back, maxsplit=1)
    if len(parts) == 2 and not _FRONT_SIDE.sub("", parts[0]).strip():
        return parts[1]
    return _FRONT_SIDE.sub("", back)


def _as_imported(deck: Deck, note: AnkiNote, notetype: AnkiNotetype) -> dict[str, dict]:
    """The cards the import makes of ``note`` as it is kept (card id -> its data)."""
    from quizapp.interop.anki_import import _Builder
    from quizapp.interop.package import AnkiCard, Collection, Note, NoteType

    kind = NoteType(notetype.id, notetype.name, notetype.cloze, list(notetype.fields),
                    [(t.name, t.front, t.back) for t in notetype.templates], notetype.css)
    builder = _Builder(Collection({}, {}, {}, [], []), deck.deck.title, strict=False)
    anki_cards = [AnkiCard(index, 0, 0, ord_) for index, ord_ in enumerate(note.ords)]
    builder.note(Note(0, note.guid, notetype.id, [], list(note.fields)), kind, anki_cards)
    made = {data["id"]: data for data in builder.cards}
    if set(made) != set(note.cards) and len(builder.cards) == len(note.cards):
        # the import gave a card another id (two guids hashing alike): in order, then
        made = {card_id: data for card_id, data in zip(note.cards, builder.cards)}
    return made


def _edited(deck: Deck, note: AnkiNote, notetype: AnkiNotetype, fields: list[str],
            cards: list[Card], media: AbstractSet[str], used: set[str],
            warnings: list[str]) -> list[str]:
    """``fields`` with the sides of ``cards`` that differ from what the import made of the
    note written into the field each shows; a warning for a side that shows no one field
    (that field is left as Anki had it)."""
    before = _as_imported(deck, note, notetype)
    index = {name: i for i, name in enumerate(notetype.fields)}
    out = list(fields)

    def put(found: tuple[str, str] | None, card: Card, side: str, cloze: bool = False) -> None:
        """Write ``found`` (a field's name, its text) into the note, or warn."""
        if found is None or found[0] not in index or (
                side != "explanation" and not found[1].strip()):
            warnings.append(f"{deck.id}: card {card.id!r}: its {side} was edited in quizapp, but "
                            f"Anki's note type {notetype.name!r} does not show it from one "
                            "field, so Anki gets that side as it was")
            return
        name, text = found
        out[index[name]] = cloze_html(text, media, used) if cloze else media_html(text, media, used)

    def changed(card: Card, name: str) -> bool:
        old = before.get(card.id)
        now = card.model_dump(exclude_defaults=True).get(name)
        return old is None or old.get(name) != now

    if notetype.cloze:
        card = cards[0]
        front = notetype.templates[0].front if notetype.templates else ""
        match = CLOZE_FIELD.search(front)
        text_field = match.group(1).strip() if match else notetype.fields[0]
        others = [n for n in notetype.fields if n not in (text_field, "QuizappId")]
        if card.kind != "cloze":
            put(None, card, "kind")
            return list(fields)
        if changed(card, "question"):
            put((text_field, card.question), card, "text", cloze=True)
        if changed(card, "explanation"):
            put((others[0], card.explanation) if len(others) == 1 else None, card, "explanation")
        return out
    pairs = (list(zip(note.cards, note.ords)) if len(note.cards) == len(note.ords)
             else [(note.cards[0], note.ords[0] if note.ords else 0)])
    ord_of = dict(pairs)
    for card in cards:
        ord_ = ord_of.get(card.id, 0)
        if ord_ >= len(notetype.templates) or not isinstance(card.answer, str):
            if changed(card, "question") or changed(card, "answer"):
                put(None, card, "text")
            continue
        template = notetype.templates[ord_]
        if changed(card, "question"):
            put(_single_field(template.front, notetype, card.question), card, "question")
        if changed(card, "answer"):
            typed = TYPED.search(template.front)
            put((typed.group(1).strip(), card.answer) if typed
                else _single_field(_answer_side(template.back), notetype, card.answer),
                card, "answer")
        if changed(card, "explanation"):
            put(None, card, "explanation")
    return out
