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
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from quizapp.decks import deck_id_problem, format_loc, slugify, validation_problems
from quizapp.errors import InteropError  # noqa: F401 (raised here, part of this module's API)
from quizapp.models import CLOZE, Card, Deck

COLUMNS = ("id", "kind", "question", "answer", "distractors", "accept", "explanation", "tags",
           "section", "reverse")

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
    layout: str = ""  # how the file was read, e.g. "semicolon-separated, with a header row"
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> rows left out


# --------------------------------------------------------------------------- HTML


class _TextOnly(HTMLParser):
    """What a browser shows of Anki HTML, as text: blocks on lines of their own, a table's
    cells apart (``a | b``), list items with their bullet or number, scripts and styles
    left out, struck-out text between ``~~`` (``<s>old</s>``: ``~~old~~``, as Markdown
    writes it), and preformatted text (``<pre>``) between ``_PRE`` marks in ``parts``,
    so that ``lines`` keeps its spaces and lines as they are."""

    _BLOCKS = {"div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
               "table", "blockquote", "pre", "hr", "dl", "dt", "dd", "section", "article",
               "header", "footer", "figure", "figcaption"}
    _SKIP = {"script", "style", "rp"}  # rp: a ruby's own parentheses (we write ours)
    # Superscripts and subscripts as the characters Unicode has for them ("H₂O", "10³");
    # anything else as ^(...) / _(...), so "10<sup>3</sup>" never reads "103".
    _RAISED = {"sup": (str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ"), "^"),
               "sub": (str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"), "_")}

    _STRUCK = {"s", "strike", "del"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str | object] = []  # text, and _PRE marks around a <pre>'s text
        self.pre = 0  # open <pre> elements
        self.raised: list[tuple[str, int]] = []  # open <sup>/<sub>: (tag, where it starts)
        self.skipping = 0
        self.lists: list[list[int] | None] = []  # open lists: [count] numbered, None bullets
        self.cells = 0  # cells begun in the current table row

    def _newline(self) -> None:
        last = next((p for p in reversed(self.parts) if p is not _PRE and p), None)
        if last is not None and not last.endswith("\n"):  # type: ignore[union-attr]
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "pre":
            self._newline()
            self.pre += 1
            if self.pre == 1:
                self.parts.append(_PRE)
        elif tag in self._STRUCK:
            self.parts.append("~~")
        elif tag in ("td", "th"):
            if self.cells:
                self.parts.append(" | ")
            self.cells += 1
        elif tag in self._BLOCKS:
            self._newline()
            if tag == "tr":
                self.cells = 0
            elif tag in ("ul", "ol"):
                self.lists.append([0] if tag == "ol" else None)
            elif tag == "li" and self.lists:
                numbered = self.lists[-1]
                if numbered is None:
                    self.parts.append("• ")
                else:
                    numbered[0] += 1
                    self.parts.append(f"{numbered[0]}. ")
        elif tag in self._SKIP:
            self.skipping += 1
        elif tag in self._RAISED:
            self.raised.append((tag, len(self.parts)))
        elif tag == "rt":  # a ruby's reading: 漢字(かんじ), as {{furigana:}} shows it
            self.parts.append("(")

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        if tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1
        elif tag == "pre" and self.pre:
            self.pre -= 1
            if not self.pre:
                self.parts.append(_PRE)
            self._newline()
        elif tag in self._STRUCK:
            self.parts.append("~~")
        elif tag == "rt":
            self.parts.append(")")
        elif tag in self._RAISED and self.raised and self.raised[-1][0] == tag:
            start = self.raised.pop()[1]
            if any(p is _PRE for p in self.parts[start:]):
                return  # (a <pre> begun or ended inside: its text stays as it is)
            text = "".join(self.parts[start:])
            table, mark = self._RAISED[tag]
            shown = text.translate(table)
            if not text.strip():
                shown = text
            elif any(ch == shown[i] for i, ch in enumerate(text)):  # a character it lacks
                shown = f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"
            self.parts[start:] = [shown]
        elif tag in self._BLOCKS:
            self._newline()
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            if self.pre and self.parts and self.parts[-1] is _PRE and data.startswith("\n"):
                data = data[1:]  # a browser skips the line break just after <pre>
            self.parts.append(data)

    def lines(self) -> str:
        """The text, each line's runs of spaces squeezed to one and its ends trimmed, as a
        browser shows them, except in preformatted text, whose lines stay as they are
        (code keeps its indentation); blank lines at either end left out."""
        segments: list[list[str]] = [[]]  # outside, inside, outside... a <pre>
        for part in self.parts:
            if part is _PRE:
                segments.append([])
            else:
                segments[-1].append(part)  # type: ignore[arg-type]
        out: list[str] = []
        for number, segment in enumerate(segments):
            text = "".join(segment).replace("\xa0", " ")  # Anki's editor writes &nbsp;
            if number % 2:
                out.append(text)
            else:
                out.append("\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")))
        return _BLANK_ENDS.sub("", "".join(out).rstrip())


_PRE = object()  # where a <pre> element's text begins and ends (in _TextOnly.parts)
_SPACES = re.compile(r"[ \t]{2,}")
_BLANK_ENDS = re.compile(r"\A(?:[ \t]*\n)+")


def html_to_text(value: str) -> str:
    """Anki HTML to plain text: tags dropped, entities unescaped, ``<br>`` and block
    ends become newlines, surrounding whitespace trimmed."""
    if "<" not in value and "&" not in value:
        return value.strip()  # no markup: nothing to parse
    parser = _TextOnly()
    parser.feed(value)
    parser.close()
    return "".join(p for p in parser.parts if p is not _PRE).strip()


def _escape(value: str) -> str:
    """Text as HTML that shows it literally: ``<``, ``&`` escaped, newlines as ``<br>``,
    ``\r`` as ``&#13;``, and ``[sound:`` with its bracket as a reference, so Anki shows
    it rather than playing a file."""
    out = html.escape(value, quote=False).replace("\r", "&#13;").replace("\n", "<br>")
    return out.replace("[sound:", "&#91;sound:") if "[sound:" in out else out


def _safe_start(out: str) -> str:
    if out[:1] in FORMULA_START or out[:1] == "#":
        out = f"&#{ord(out[0])};" + out[1:]
    return out


def text_to_html(value: str) -> str:
    """Plain text to HTML that shows it literally (``<``, ``&`` escaped, newlines as ``<br>``).

    Exact: ``exact_html_to_text`` gives ``value`` back, whatever it holds (``\r`` is
    written ``&#13;``). A first character that a spreadsheet would run (``=``, ``+``,
    ``-``, ``@``, TAB, CR) or that Anki would take for a header line (``#``) is written as
    a character reference, which Anki and a browser show as the character itself."""
    return _safe_start(_escape(value))


# What an import shows for a picture or a sound (``media_text``).
MEDIA_MARKER = re.compile(r"\[(image|sound): ([^\]\n]+)\]")


def media_shown(text: str) -> bool:
    """Whether text has something a terminal can show: more than the placeholders of
    pictures and sounds."""
    return bool(MEDIA_MARKER.sub("", text).strip())


def media_html(value: str, media: AbstractSet[str] = frozenset(),
               used: set[str] | None = None) -> str:
    """``text_to_html``, except that an ``[image: name]`` or ``[sound: name]`` marker of a
    file in ``media`` (the names in the deck's media folder) becomes Anki's own
    ``<img src="name">`` or ``[sound:name]`` again; its name is added to ``used``. A
    marker of a file the deck does not have stays text, as does everything else."""
    if not media or "[" not in value:
        return text_to_html(value)
    out: list[str] = []
    last = 0
    for match in MEDIA_MARKER.finditer(value):
        name = match.group(2)
        if name not in media:
            continue
        out.append(_escape(value[last:match.start()]))
        if match.group(1) == "image":
            out.append(f'<img src="{html.escape(name, quote=True)}">')
        else:
            out.append(f"[sound:{name}]")
        if used is not None:
            used.add(name)
        last = match.end()
    out.append(_escape(value[last:]))
    return _safe_start("".join(out))


def cloze_html(text: str, media: AbstractSet[str] = frozenset(),
               used: set[str] | None = None) -> str:
    """A cloze card's text as Anki HTML: the text escaped (media markers as in
    ``media_html``), the ``{{cN::...}}`` markers kept as Anki's own syntax."""
    out, last = [], 0

    def html(part: str) -> str:
        return media_html(part, media, used)

    for match in CLOZE.finditer(text):
        out.append(html(text[last:match.start()]) if match.start() > last else "")
        inner = html(match.group(2))
        hint = f"::{html(match.group(3))}" if match.group(3) is not None else ""
        out.append(f"{{{{c{match.group(1)}::{inner}{hint}}}}}")
        last = match.end()
    out.append(html(text[last:]) if last < len(text) else "")
    return "".join(out)


_OUR_IMG = re.compile(r'<img src="([^"<>]*)">')
_OUR_SOUND = re.compile(r"\[sound:([^\]]*)\]")


def exact_html_to_text(value: str) -> str:
    """The inverse of ``text_to_html`` and ``media_html``: ``<br>`` is a newline,
    ``<img src="x">`` and ``[sound:x]`` the markers they were made of, references
    unescaped, nothing trimmed (for files quizapp wrote itself)."""
    if "<img" in value:
        value = _OUR_IMG.sub(lambda m: "[image: " + m.group(1) + "]", value)
    if "[sound:" in value:
        value = _OUR_SOUND.sub(lambda m: "[sound: " + m.group(1) + "]", value)
    return "\n".join(html.unescape(part) for part in value.split("<br>"))


# OWASP's CSV-injection rule: a cell starting with one of these is run as a formula by a
# spreadsheet; an export puts a ' before it, and an import takes exactly that ' away.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEUTRALISED = re.compile(r"^'*[=+\-@\t\r]")
_MAY_NEED = frozenset("'=+-@\t\r")


def neutralise(cell: str) -> str:
    """``cell`` safe for a spreadsheet: ``'`` before a leading ``=``, ``+``, ``-``, ``@``,
    TAB or CR (and before a cell that already starts with ``'`` then one of those, so the
    import can tell them apart)."""
    if not cell or cell[0] not in _MAY_NEED:  # most cells: one look at the first character
        return cell
    return "'" + cell if _NEUTRALISED.match(cell) else cell


def unneutralise(cell: str) -> str:
    """The inverse of ``neutralise``."""
    return cell[1:] if cell.startswith("'") and _NEUTRALISED.match(cell) else cell


# --------------------------------------------------------------------------- media

SOUND = re.compile(r"\[sound:([^\]]*)\]")
IMG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>""", re.I)
MEDIA_TAG = re.compile(
    r"""<(?:audio|video|source)\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>""", re.I)


def media_text(value: str, names: set[str] | None = None) -> str:
    """Anki field HTML as text, with images and sounds as visible placeholders
    (``[image: map.png]``, ``[sound: hello.mp3]``); their file names go in ``names``."""
    found = names if names is not None else set()
    if "<" not in value and "&" not in value and "[sound:" not in value:
        return "\n".join(re.sub(r"[ \t]{2,}", " ", line).strip()
                         for line in value.strip().split("\n")).strip()

    def named(match: re.Match[str], label: str) -> str:
        name = next(g for g in match.groups() if g is not None)
        found.add(name)
        return f" [{label}: {name}] "

    value = IMG.sub(lambda m: named(m, "image"), value)
    value = MEDIA_TAG.sub(lambda m: named(m, "sound"), value)
    value = SOUND.sub(lambda m: named(m, "sound"), value)
    parser = _TextOnly()
    parser.feed(value)
    parser.close()
    return parser.lines()


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


def guid_card_id(guid: str) -> str:
    """The card id for an Anki note guid: the guid itself when it is a valid id, else
    ``anki-`` and a hash of it (the same in .apkg and text imports)."""
    if re.match(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", guid):
        return guid
    return "anki-" + hashlib.sha1(guid.encode("utf-8")).hexdigest()[:16]


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
    if kind == "cloze":
        # A cloze card has no answer; a second column (Anki's Back Extra) is its explanation.
        if answer and answer.strip() and not values.get("explanation"):
            card["explanation"] = answer
        elif answer and answer.strip() and answer != values.get("explanation"):
            card["answer"] = answer  # reported by validation
    elif answer is not None:
        card["answer"] = split_items(answer) if kind == "order" else answer
    for name in ("distractors", "accept"):
        if values.get(name):
            card[name] = split_items(values[name])
    for name in ("explanation", "section"):
        if values.get(name):
            card[name] = values[name]
    if values.get("tags"):
        card["tags"] = values["tags"].split()
    reverse = (values.get("reverse") or "").strip().lower()
    if reverse in ("true", "yes", "1", "y"):
        card["reverse"] = True
    elif reverse not in ("", "false", "no", "0", "n"):
        card["reverse"] = reverse  # reported by validation
    card_id = (values.get("id") or "").strip()
    card["id"] = card_id or derive_card_id(question or answer or "", taken)
    return card


@dataclass
class Skipped:
    """Rows left out of an import: one warning each, counted by reason."""

    warnings: list[str] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, warning: str, reason: str) -> None:
        self.warnings.append(warning)
        self.reasons[reason] = self.reasons.get(reason, 0) + 1

    @property
    def count(self) -> int:
        return sum(self.reasons.values())


def _reason(problem: str) -> str:
    """A short reason for the report: ``empty answer``, ``duplicate id``..."""
    field_part, _, message = problem.rpartition(": ")
    name = field_part.rsplit(".", 1)[-1].split(": ")[-1]
    if "must not be empty" in message or "required field is missing" in message:
        return f"empty {name}"
    if "duplicate card id" in message:
        return "duplicate id"
    return f"bad {name}"


def build_deck(
    rows: Iterable[Row],
    source: Path | str,
    deck_id: str,
    title: str,
    description: str = "",
    *,
    strict: bool = True,
    skipped: Skipped | None = None,
    info: dict[str, Any] | None = None,
) -> Deck:
    """Rows -> a validated deck. Problems name ``source``, the row's line and the field.

    A row that cannot become a card is refused (``strict``), or left out with one warning
    in ``skipped`` naming its line and why; the rest still make the deck. ``info`` holds
    deck fields read from the file (description, source, tags) that override the defaults."""
    reason = deck_id_problem(deck_id)
    if reason:
        raise InteropError([f"{source}: deck.id: {reason} (choose another with --id)"])
    skipped = skipped if skipped is not None else Skipped()
    cards: list[dict[str, Any]] = []
    lines: list[int] = []
    taken: set[str] = set()
    first: dict[str, int] = {}
    problems: list[str] = []
    for row in rows:
        card = row_to_card(row.values, taken)
        media_only = [name for name in ("question", "answer")
                      if isinstance(card.get(name), str) and card[name].strip()
                      and not media_shown(card[name])]
        if media_only:  # a terminal shows no picture and plays no sound
            problem = (f"{source}:{row.line}: {format_loc(('cards', len(cards), media_only[0]))}: "
                       "only a picture or sound")
            if strict:
                problems.append(problem)
            else:
                skipped.add(problem + "; row skipped", f"{media_only[0]} only a picture or sound")
            continue
        if card["id"] in first:
            problem = (f"{source}:{row.line}: {format_loc(('cards', len(cards), 'id'))}: "
                       f"duplicate card id {card['id']!r} (already used on line "
                       f"{lines[first[card['id']]]})")
            if strict:
                problems.append(problem)
            else:
                skipped.add(problem + "; row skipped", "duplicate id")
                continue
        else:
            first[card["id"]] = len(cards)
        taken.add(card["id"])
        cards.append(card)
        lines.append(row.line)
    deck_info: dict[str, Any] = {"id": deck_id, "title": title,
                                 "source": f"imported from {Path(source).name}"}
    if description:
        deck_info["description"] = description
    deck_info.update(info or {})

    def line_for(loc: Any) -> int | None:
        if len(loc) > 1 and loc[0] == "cards" and isinstance(loc[1], int) and loc[1] < len(lines):
            return lines[loc[1]]
        return None

    while cards:  # each pass that fails drops at least one row
        data = {"format": 1, "deck": deck_info, "cards": cards}
        try:
            deck = Deck.model_validate(data)
        except ValidationError as exc:
            found = validation_problems(source, exc, line_for=line_for,
                                        skip_duplicate_ids=bool(problems))
            bad_rows = sorted({e["loc"][1] for e in exc.errors()
                               if len(e["loc"]) > 1 and e["loc"][0] == "cards"
                               and isinstance(e["loc"][1], int)})
            if strict or not bad_rows:
                raise InteropError(problems + found) from None
            for index in bad_rows:
                mine = [p for p in found if f"cards[{index}]" in p]
                first_problem = mine[0] if mine else f"{source}:{lines[index]}: cannot be a card"
                skipped.add(first_problem + "; row skipped", _reason(first_problem))
            keep = [i for i in range(len(cards)) if i not in set(bad_rows)]
            cards = [cards[i] for i in keep]
            lines = [lines[i] for i in keep]
            continue
        if problems:
            raise InteropError(problems)
        return deck
    if problems:
        raise InteropError(problems)
    if skipped.count:
        raise InteropError([f"{source}: no card could be imported "
                            f"({', '.join(f'{n} {r}' for r, n in skipped.reasons.items())})",
                            *skipped.warnings])
    raise InteropError([f"{source}: no cards found"])


def card_cells(card: Card, where: str) -> dict[str, str]:
    """The canonical cells of one card (list cells one item per line)."""
    if card.answer is None:
        answer = ""  # a cloze card: its answers are in the question
    elif isinstance(card.answer, str):
        answer = card.answer
    else:
        answer = join_items(card.answer, f"{where}.answer")
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
        "reverse": "true" if card.reverse else "",
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

