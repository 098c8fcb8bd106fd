"""What every importer and exporter shares: the columns, rows -> cards, HTML to text.

An importer turns its file into ``Row``s (a source line and a dict of canonical column
names to cell text); ``build_deck`` turns rows into a validated ``Deck``. The canonical
columns are ``id, kind, question, answer, distractors, accept, explanation, tags,
section``.

Cells that hold lists (``distractors``, ``accept`` and an ``order`` card's ``answer``)
put one item per line; ``tags`` are separated by whitespace, as in Anki.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from quizapp.decks import deck_id_problem, format_loc, slugify, validation_problems
from quizapp.models import Card, Deck

COLUMNS = ("id", "kind", "question", "answer", "distractors", "accept", "explanation", "tags",
           "section")

# Other names a header may use for a column (compared case-insensitively).
ALIASES = {
    "front": "question", "term": "question", "q": "question", "prompt": "question",
    "back": "answer", "definition": "answer", "a": "answer",
    "choices": "distractors", "wrong": "distractors",
    "alternatives": "accept", "also": "accept",
    "extra": "explanation", "notes": "explanation", "note": "explanation",
    "tag": "tags",
}

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` (characters of the input read so far, in all)."""


class InteropError(Exception):
    """An import or export failed; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def column_name(header: str) -> str | None:
    """The canonical column a header cell names, or None when it is not one of ours."""
    key = header.strip().lower().replace(" ", "_")
    if key in COLUMNS:
        return key
    return ALIASES.get(key)


@dataclass
class Row:
    line: int
    values: dict[str, str]


@dataclass
class ImportResult:
    deck: Deck
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- HTML


class _TextOnly(HTMLParser):
    _BLOCKS = {"div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
    _SKIP = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in self._BLOCKS:
            self._newline()
        elif tag in self._SKIP:
            self.skipping += 1

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self._BLOCKS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    """Anki HTML to plain text: tags dropped, entities unescaped, ``<br>`` and block
    ends become newlines, surrounding whitespace trimmed."""
    parser = _TextOnly()
    parser.feed(value)
    parser.close()
    return "".join(parser.parts).strip()


def text_to_html(value: str) -> str:
    """Plain text to HTML that shows it literally (``<``, ``&`` escaped, newlines as ``<br>``)."""
    return html.escape(value, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


# --------------------------------------------------------------------------- rows -> deck


def split_items(cell: str) -> list[str]:
    """A list cell: one item per line, blank lines ignored."""
    return [item for item in re.split(r"\r\n|\r|\n", cell) if item.strip()]


def join_items(items: Iterable[str], where: str) -> str:
    items = list(items)
    for item in items:
        if "\n" in item or "\r" in item:
            raise InteropError([f"{where}: an item contains a line break, which a list "
                                "cell cannot hold (one item per line)"])
    return "\n".join(items)


def derive_card_id(question: str, taken: set[str]) -> str:
    """A stable id from the question: its slug (``who-said-it``), or ``card-<hash>`` when
    the question has no ASCII letters; ``-2``, ``-3``... when that id is taken."""
    base = slugify(question, 48) or "card-" + hashlib.sha1(question.encode("utf-8")).hexdigest()[:10]
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def row_to_card(values: dict[str, str], taken: set[str]) -> dict[str, Any]:
    """The card dict for one row (validated later, with the rest of the deck)."""
    card: dict[str, Any] = {}
    kind = (values.get("kind") or "").strip() or "flip"
    card["kind"] = kind
    question = values.get("question")
    if question is not None:
        card["question"] = question
    answer = values.get("answer")
    if answer is not None:
        card["answer"] = split_items(answer) if kind == "order" else answer
    for name in ("distractors", "accept"):
        if values.get(name):
            card[name] = split_items(values[name])
    for name in ("explanation", "section"):
        if values.get(name):
            card[name] = values[name]
    if values.get("tags"):
        card["tags"] = values["tags"].split()
    card_id = (values.get("id") or "").strip()
    card["id"] = card_id or derive_card_id(question or answer or "", taken)
    return card


def build_deck(
    rows: Iterable[Row],
    source: Path | str,
    deck_id: str,
    title: str,
    description: str = "",
) -> Deck:
    """Rows -> a validated deck. Problems name ``source``, the row's line and the field."""
    reason = deck_id_problem(deck_id)
    if reason:
        raise InteropError([f"{source}: deck.id: {reason} (choose another with --id)"])
    cards: list[dict[str, Any]] = []
    lines: list[int] = []
    taken: set[str] = set()
    first: dict[str, int] = {}
    problems: list[str] = []
    for row in rows:
        card = row_to_card(row.values, taken)
        if card["id"] in first:
            index = len(cards)
            problems.append(f"{source}:{row.line}: {format_loc(('cards', index, 'id'))}: "
                            f"duplicate card id {card['id']!r} (already used on line "
                            f"{lines[first[card['id']]]})")
        else:
            first[card["id"]] = len(cards)
        taken.add(card["id"])
        cards.append(card)
        lines.append(row.line)
    if not cards:
        raise InteropError([f"{source}: no cards found"])
    data = {"format": 1, "deck": {"id": deck_id, "title": title,
                                  "source": f"imported from {Path(source).name}"},
            "cards": cards}
    if description:
        data["deck"]["description"] = description

    def line_for(loc: Any) -> int | None:
        if len(loc) > 1 and loc[0] == "cards" and isinstance(loc[1], int) and loc[1] < len(lines):
            return lines[loc[1]]
        return None

    try:
        deck = Deck.model_validate(data)
    except ValidationError as exc:
        problems += validation_problems(source, exc, line_for=line_for,
                                        skip_duplicate_ids=bool(problems))
        raise InteropError(problems) from None
    if problems:
        raise InteropError(problems)
    return deck


def card_cells(card: Card, where: str) -> dict[str, str]:
    """The canonical cells of one card (list cells one item per line)."""
    answer = card.answer if isinstance(card.answer, str) else join_items(card.answer, f"{where}.answer")
    return {
        "id": card.id,
        "kind": card.kind,
        "question": card.question,
        "answer": answer,
        "distractors": join_items(card.distractors, f"{where}.distractors"),
        "accept": join_items(card.accept, f"{where}.accept"),
        "explanation": card.explanation,
        "tags": " ".join(tag.replace(" ", "_") for tag in card.tags),
        "section": card.section,
    }


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` with their ends, split at ``\n`` only (unlike
    ``str.splitlines``, which also splits at characters such as U+2028 inside a cell)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def counted_lines(text: str, progress: ProgressCallback | None, every: int = 500) -> Iterator[str]:
    """The lines of ``text`` (ends kept), calling ``progress`` every ``every`` lines."""
    total = len(text)
    done = 0
    for number, line in enumerate(split_lines(text), 1):
        done += len(line)
        if progress and number % every == 0:
            progress(done, total)
        yield line
    if progress:
        progress(total, total)


def decode_input(raw: bytes, source: Path | str) -> str:
    """Import files: UTF-8 (a leading BOM, common in spreadsheet exports, is dropped)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InteropError([f"{source}:{line}: not UTF-8 text (bad byte 0x{raw[exc.start]:02x}); "
                            "save it as UTF-8"]) from None

