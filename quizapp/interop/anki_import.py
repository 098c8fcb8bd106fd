"""An Anki collection (from ``package.read_package``) -> quizapp decks.

- Each Anki deck or sub-deck holding cards becomes one quizapp deck (id from its name,
  ``Geography::Capitals`` -> ``geography-capitals``; its title is the Anki name).
- A note of a Cloze note type becomes one ``cloze`` card (its other fields, such as
  Back Extra, the explanation); the numbers asked are the note's cards.
- Any other note becomes one card per Anki card, rendered from the card's template
  (``{{Field}}``, ``{{#Field}}...{{/Field}}``, ``{{FrontSide}}``; the answer is what follows
  ``<hr id=answer>``; ``kanji:``, ``kana:`` and ``furigana:`` show the ruby text
  ``日本[にほん]`` as ``日本``, ``にほん`` and ``日本(にほん)``). A template with ``{{type:Field}}`` makes a ``text`` card, others a
  ``flip`` card. A note whose second card is its first one reversed (Basic and reversed)
  becomes one card with ``reverse = true``.
- Card ids come from the note: its ``QuizappId`` field (a package quizapp exported), else
  its guid when that is a valid id, else ``anki-`` and a hash of the guid. Further cards
  of a note get ``.t2``, ``.t3``... Importing the same package again gives the same ids.
- HTML becomes text; ``<img src="map.png">`` becomes ``[image: map.png]`` and
  ``[sound:x.mp3]`` becomes ``[sound: x.mp3]``, and the files are kept beside the deck.
- A note that cannot become a card (an empty side, a bad cloze) is skipped with one
  warning naming the note; ``strict`` refuses the import instead.
- The deck keeps where its cards came from (``[deck.anki]``: each note's guid, note type
  and fields, and the note types), so that an export sends them back to Anki as the same
  notes (see ``origin``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from quizapp import tomlio
from quizapp.decks import deck_id_problem, slugify
from quizapp.interop.common import (
    InteropError,
    guid_card_id,
    html_to_text,
    media_shown,
    media_text,
)
from quizapp.interop.package import AnkiCard, Collection, Note, NoteType
from quizapp.models import Card, Deck

ANSWER_RULE = re.compile(r"<hr[^>]*\bid\s*=\s*[\"']?answer[\"']?[^>]*>", re.I)
SECTION = re.compile(r"\{\{([#^])\s*([^}]+?)\s*\}\}(.*?)\{\{/\s*\2\s*\}\}", re.S)
REPLACEMENT = re.compile(r"\{\{\s*([^#^/{}][^{}]*?)\s*\}\}")
TYPED = re.compile(r"\{\{\s*type:(?:cloze:)?([^}]+?)\s*\}\}")
CLOZE_FIELD = re.compile(r"\{\{\s*(?:[^}:]+:)*cloze:([^}]+?)\s*\}\}")


# Anki's ruby text: "日本[にほん]" (a space may end the base: "私 日本[にほん]").
FURIGANA = re.compile(r" ?([^ >]+?)\[(?!sound:)(.+?)\]")
FILTERS = {
    "kanji": lambda v: FURIGANA.sub(lambda m: m.group(1), v),
    "kana": lambda v: FURIGANA.sub(lambda m: m.group(2), v),
    "furigana": lambda v: FURIGANA.sub(lambda m: f"{m.group(1)}({m.group(2)})", v),
}


def cards_digest(cards: Iterable[Card]) -> str:
    """A digest of cards' content: equal for cards unchanged since it was taken."""
    data = json.dumps([card.model_dump() for card in cards], sort_keys=True,
                      ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]


def notetype_record(notetype: NoteType) -> dict[str, Any]:
    """A note type as ``[[deck.anki.notetypes]]`` holds it (defaults left out)."""
    out: dict[str, Any] = {"id": notetype.id, "name": notetype.name}
    if notetype.cloze:
        out["cloze"] = True
    out["fields"] = list(notetype.fields)
    out["templates"] = [{"name": name, "front": front, "back": back}
                        for name, front, back in notetype.templates]
    if notetype.css:
        out["css"] = notetype.css
    return out


def note_record(guid: str, notetype: int, fields: list[str], cards: list[Card],
                ords: list[int]) -> dict[str, Any]:
    """A note as ``[[deck.anki.notes]]`` holds it: ``cards`` are the deck's cards made of
    it, ``ords`` the Anki cards (template numbers) they came from."""
    return {"guid": guid, "notetype": notetype, "fields": list(fields),
            "cards": [card.id for card in cards], "ords": ords,
            "imported": cards_digest(cards)}


@dataclass
class DeckImport:
    """One Anki deck turned into a quizapp deck, with what was left out and the media
    files its cards name."""

    anki_name: str
    deck: Deck
    warnings: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> notes
    media: set[str] = field(default_factory=set)
    with_media: int = 0  # cards showing an [image: ...] or [sound: ...] placeholder
    anki_cards: dict[int, str] = field(default_factory=dict)  # Anki card id -> asked card id
    suspended: set[str] = field(default_factory=set)  # asked card ids suspended in Anki


def _field_empty(value: str) -> bool:
    return not media_text(value)


def render(template: str, fields: dict[str, str], specials: dict[str, str],
           front: str = "") -> str:
    """An Anki card template filled in (its HTML): sections, then replacements."""
    for _ in range(8):  # nested sections, outermost first
        def section(match: re.Match[str]) -> str:
            name = match.group(2).strip()
            value = fields.get(name, specials.get(name, ""))
            shown = not _field_empty(value)
            return match.group(3) if shown == (match.group(1) == "#") else ""

        rendered = SECTION.sub(section, template)
        if rendered == template:
            break
        template = rendered

    def replace(match: re.Match[str]) -> str:
        spec = match.group(1).strip()
        if spec == "FrontSide":
            return front
        *filters, name = (part.strip() for part in spec.split(":"))
        if spec.startswith("type:"):
            return ""
        value = fields.get(name, specials.get(name, ""))
        for name in reversed(filters):  # {{kana:furigana:Reading}}: the innermost first
            value = FILTERS.get(name.casefold(), lambda v: v)(value)
        return value

    return REPLACEMENT.sub(replace, template)


def _base_id(note: Note, notetype: NoteType) -> str:
    if "QuizappId" in notetype.fields:
        value = note.fields[notetype.fields.index("QuizappId")].strip()
        if value and re.match(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", value) and len(value) <= 120:
            return value
    return guid_card_id(note.guid)


class _Builder:
    def __init__(self, collection: Collection, anki_name: str, strict: bool) -> None:
        self.collection = collection
        self.anki_name = anki_name
        self.strict = strict
        self.cards: list[dict[str, Any]] = []
        self.taken: set[str] = set()
        self.result_media: set[str] = set()
        self.warnings: list[str] = []
        self.skipped: dict[str, int] = defaultdict(int)
        self.with_media = 0
        self.anki_cards: dict[int, str] = {}
        self.suspended_cards = {c.id for c in collection.cards if c.suspended}
        self.suspended: set[str] = set()
        # Where the cards came from (the deck's [deck.anki] table): each note made into
        # cards, and the note types of those notes.
        self.notes: list[dict[str, Any]] = []
        self.notetypes: dict[int, NoteType] = {}
        self.made: list[tuple[Card, list[int]]] = []  # the current note's cards, Anki ids

    def where(self, note: Note, notetype: NoteType) -> str:
        first = html_to_text(note.fields[0]) if note.fields else ""
        first = first.replace("\n", " ")
        first = first if len(first) <= 40 else first[:39] + "…"
        return f"note {note.guid!r} ({notetype.name}: {first!r})"

    def skip(self, note: Note, notetype: NoteType, reason: str) -> None:
        message = f"{self.where(note, notetype)} in deck {self.anki_name!r}: {reason}"
        if self.strict:
            raise InteropError([f"{message} (refused: --strict)"])
        self.warnings.append(f"{message}; skipped")
        self.skipped[reason.split(":")[0]] += 1

    def add(self, data: dict[str, Any], note: Note, notetype: NoteType,
            anki_cards: dict[int, str]) -> None:
        while data["id"] in self.taken:  # two notes whose guids hash alike: keep both
            data["id"] += "-2"
        try:
            card = Card.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(part) for part in first["loc"])
            message = tomlio.plain_message(first)
            self.skip(note, notetype, f"{loc + ': ' if loc else ''}{message}")
            return
        asked = set(card.asked_ids())
        if asked & self.taken:
            self.skip(note, notetype, f"card id {card.id!r} is already used")
            return
        self.taken |= asked | {card.id}
        self.cards.append(card.model_dump(exclude_defaults=True))
        self.made.append((card, list(anki_cards)))
        for anki_id, suffix in anki_cards.items():
            self.anki_cards[anki_id] = card.id + suffix
            if anki_id in self.suspended_cards:
                self.suspended.add(card.id + suffix)
        text = card.question + (card.answer_text if card.answer is not None else "") + (
            card.explanation)
        if "[image: " in text or "[sound: " in text:
            self.with_media += 1

    def note(self, note: Note, notetype: NoteType, cards: list[AnkiCard]) -> None:
        names = notetype.fields
        values = note.fields + [""] * (len(names) - len(note.fields))
        fields = dict(zip(names, values))
        media: set[str] = set()
        base = _base_id(note, notetype)
        tags = [t for t in note.tags if t.strip()]
        self.made = []
        if notetype.cloze:
            self.cloze(note, notetype, cards, fields, media, base, tags)
        else:
            self.standard(note, notetype, cards, fields, media, base, tags)
        if self.made:  # the files of a note left out stay out
            self.result_media |= media
        if self.made and note.guid.strip() and notetype.fields and notetype.name.strip():
            ords = {c.id: c.ord for c in cards}
            self.notes.append(note_record(note.guid, notetype.id, values[:len(names)],
                                          [card for card, _ in self.made],
                                          sorted({ords[a] for _, ids in self.made for a in ids})))
            self.notetypes.setdefault(notetype.id, notetype)

    def cloze(self, note: Note, notetype: NoteType, cards: list[AnkiCard],
              fields: dict[str, str], media: set[str], base: str, tags: list[str]) -> None:
        qfmt = notetype.templates[0][1] if notetype.templates else ""
        match = CLOZE_FIELD.search(qfmt)
        text_field = match.group(1).strip() if match else (notetype.fields or [""])[0]
        raw = fields.get(text_field, "")
        if "image-occlusion:" in raw:
            self.skip(note, notetype, "image occlusion: its masks cannot be shown as text")
            return
        text = media_text(raw, media)
        if not text:
            self.skip(note, notetype, f"empty field: {text_field}")
            return
        extra = [media_text(value, media) for name, value in fields.items()
                 if name != text_field and name != "QuizappId"]
        data: dict[str, Any] = {"id": base, "kind": "cloze", "question": text, "tags": tags}
        explanation = "\n".join(e for e in extra if e)
        if explanation:
            data["explanation"] = explanation
        self.add(data, note, notetype, {c.id: f".c{c.ord + 1}" for c in cards})

    def standard(self, note: Note, notetype: NoteType, cards: list[AnkiCard],
                 fields: dict[str, str], media: set[str], base: str, tags: list[str]) -> None:
        specials = {"Tags": " ".join(note.tags), "Deck": self.anki_name,
                    "Subdeck": self.anki_name.split("::")[-1], "Type": notetype.name}
        sides: list[tuple[AnkiCard, str, str, str | None]] = []
        for card in cards:
            if card.ord >= len(notetype.templates):
                self.skip(note, notetype, f"card template {card.ord + 1} is missing")
                continue
            name, qfmt, afmt = notetype.templates[card.ord]
            specials["Card"] = name
            front_html = render(qfmt, fields, specials)
            back_html = render(afmt, fields, specials, front="")
            # The back shows what follows <hr id=answer>, and what the back template puts
            # before it other than the front ("{{furigana:Reading}}<hr id=answer>...").
            parts = ANSWER_RULE.split(back_html, maxsplit=1)
            back_html = parts[-1] if len(parts) == 1 or _field_empty(parts[0]) else (
                f"{parts[0]}<br>{parts[1]}")
            typed = TYPED.search(qfmt)
            typed_field = typed.group(1).strip() if typed else None
            question = media_text(front_html, media)
            answer = media_text(fields.get(typed_field, "") if typed_field else back_html, media)
            sides.append((card, question, answer, typed_field))
        if not sides:
            return
        first, q1, a1, typed1 = sides[0]
        if (len(sides) == 2 and not typed1 and not sides[1][3]
                and sides[1][1] == a1 and sides[1][2] == q1 and _shown(q1) and _shown(a1)):
            data = {"id": base, "kind": "flip", "question": q1, "answer": a1, "tags": tags,
                    "reverse": True}
            self.add(data, note, notetype, {first.id: "", sides[1][0].id: ".reverse"})
            return
        for index, (card, question, answer, typed_field) in enumerate(sides):
            suffix = "" if card.ord == 0 else f".t{card.ord + 1}"
            if not question:
                self.skip(note, notetype, f"empty front{_template(notetype, card)}")
                continue
            if not answer:
                self.skip(note, notetype, f"empty back{_template(notetype, card)}")
                continue
            for side, text in (("front", question), ("back", answer)):
                if not _shown(text):  # a terminal shows no picture and plays no sound
                    self.skip(note, notetype, f"{side} is only a picture or sound"
                                              f"{_template(notetype, card)}")
                    break
            else:
                data = {"id": base + suffix, "kind": "text" if typed_field else "flip",
                        "question": question, "answer": answer, "tags": tags}
                self.add(data, note, notetype, {card.id: ""})


_shown = media_shown  # (the import's name for it)


def _template(notetype: NoteType, card: AnkiCard) -> str:
    if len(notetype.templates) < 2:
        return ""
    return f" (card {notetype.templates[card.ord][0]!r})"


def deck_id_for(anki_name: str) -> str:
    return slugify(anki_name.replace("::", " "), 80) or "anki-" + hashlib.sha1(
        anki_name.encode("utf-8")).hexdigest()[:10]


def deck_ids(anki_names) -> dict[str, str]:
    """The deck id of each Anki deck name. Two names may make one id ("A B" and "A::B"):
    the first by name keeps it, the others get -2, -3... in name order, over every deck of
    the file, so that a second import, or one with --deck, gives each deck the same id."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(set(anki_names), key=lambda n: (n.casefold(), n)):
        base = the_id = deck_id_for(name)
        n = 2
        while the_id in taken:
            the_id, n = f"{base}-{n}", n + 1
        ids[name] = the_id
        taken.add(the_id)
    return ids


def collection_decks(collection: Collection, source: str, *, only: str | None = None,
                     strict: bool = False, deck_id: str | None = None,
                     title: str | None = None) -> list[DeckImport]:
    """The quizapp decks of a collection (``only``: one Anki deck, by name or id)."""
    by_deck: dict[int, dict[int, list[AnkiCard]]] = defaultdict(lambda: defaultdict(list))
    placed: dict[int, int] = {}
    for card in collection.cards:
        # A note's cards go to the deck of its first card: a note stays one card.
        deck = placed.setdefault(card.note, card.deck)
        by_deck[deck][card.note].append(card)
    if not by_deck:
        raise InteropError([f"{source}: the package holds no cards; nothing to import"])
    names = {did: collection.decks.get(did, (f"Deck {did}", ""))[0] for did in by_deck}
    chosen = sorted(by_deck, key=lambda did: names[did].casefold())
    by_name = deck_ids(names[did] for did in chosen)
    ids = {did: by_name[names[did]] for did in chosen}
    if only is not None:
        wanted = only.strip()
        chosen = [did for did in chosen
                  if names[did] == wanted or names[did].casefold() == wanted.casefold()
                  or ids[did] == wanted]
        parent = next((name for name, _ in collection.decks.values()
                       if name.casefold() == wanted.casefold() or deck_id_for(name) == wanted),
                      None)
        if not chosen and parent is not None:
            # A deck holding only sub-decks ("Science"): its sub-decks, each on its own.
            prefix = parent.casefold() + "::"
            chosen = [did for did in sorted(by_deck, key=lambda did: names[did].casefold())
                      if names[did].casefold().startswith(prefix)]
            if not chosen:
                raise InteropError([f"{source}: deck {parent!r} holds no cards; nothing to "
                                    "import"])
        if not chosen:
            listing = ", ".join(repr(names[did]) for did in sorted(by_deck, key=names.get))
            raise InteropError([f"{source}: no deck {only!r} in this package (it has: "
                                f"{listing})"])
    if (deck_id or title) and len(chosen) > 1:
        raise InteropError([f"{source}: the package holds {len(chosen)} decks; --id and "
                            "--title need one: pick it with --deck NAME"])
    if deck_id:
        ids = {did: deck_id for did in chosen}
    out = []
    for did in chosen:
        anki_name = names[did]
        builder = _Builder(collection, anki_name, strict)
        for nid, cards in sorted(by_deck[did].items()):
            note = collection.notes.get(nid)
            if note is None:
                continue
            notetype = collection.notetypes.get(note.notetype)
            if notetype is None:
                builder.warnings.append(f"note {note.guid!r}: its note type is missing; skipped")
                builder.skipped["missing note type"] += 1
                continue
            builder.note(note, notetype, sorted(cards, key=lambda c: c.ord))
        the_id = ids[did]
        problem = deck_id_problem(the_id)
        if problem:
            raise InteropError([f"{source}: deck.id: {problem} (choose another with --id)"])
        if not builder.cards:
            reasons = ", ".join(f"{n} {r}" for r, n in builder.skipped.items()) or "no notes"
            raise InteropError([f"{source}: deck {anki_name!r}: no card could be imported "
                                f"({reasons})", *builder.warnings])
        description = collection.decks.get(did, ("", ""))[1]
        info: dict[str, Any] = {"id": the_id, "title": title or anki_name,
                                "source": f"imported from {Path(source).name}"}
        description = media_text(description, set()) if description else ""
        if description:
            info["description"] = description
        if builder.notes:
            info["anki"] = {"notetypes": [notetype_record(builder.notetypes[ntid])
                                          for ntid in sorted(builder.notetypes)],
                            "notes": builder.notes}
        missing = sorted(builder.result_media - set(collection.media))
        if missing:
            shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3
                                              else "")
            builder.warnings.append(f"{source}: deck {anki_name!r}: {len(missing)} picture or "
                                    f"sound file(s) its notes show are not in it ({shown}); "
                                    "the cards show their names")
        deck = Deck.model_validate({"format": 1, "deck": info, "cards": builder.cards})
        out.append(DeckImport(anki_name, deck, builder.warnings, dict(builder.skipped),
                              builder.result_media, builder.with_media, builder.anki_cards,
                              builder.suspended))
    return out
