"""The shape of an article: paragraphs, headings, sections and the metadata lines.

Every piece keeps its character span in the original text, so whatever is found later can
point back at its evidence. Paragraphs are lines; when the text has blank lines between
blocks, a block (which may be wrapped over several lines) is one paragraph, except a block
of two or more lines opening with a speaker label ("REPORTER: ...", "KAMAU: ..."): each
labelled line (with the unlabelled lines after it) is a paragraph, an interview's turn.

Metadata rules, applied to the first lines only:
- ``By A and B`` (or ``By A, B and C``) is the byline;
- ``Credit: X`` (or ``Photo credit: X``) is the photo credit; a trailing "Photo" is dropped;
- a line that is only a date ("Tuesday, October 21, 2008") is the article's date;
- a press release's stock line ("FOR IMMEDIATE RELEASE", "EMBARGOED UNTIL ...") is left out;
- the first paragraph (after any of those lines that open the article) is the title when
  it looks like one (at most 20 words, no closing full stop); when a credit line follows it, it is a photo caption instead, and is left
  out of the body like the other metadata lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from quizapp.extract.dates import date_line
from quizapp.extract.gazetteer import MONTHS

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_BYLINE = re.compile(r"^By\s+(?P<names>[A-Z].{0,150})$")
_CREDIT = re.compile(r"^(?:Photo\s+)?Credit:\s*(?P<credit>.+?)\s*$", re.IGNORECASE)
# A press release's stock lines above its headline: no title, no body.
_RELEASE_LINE = re.compile(
    r"^(?:for immediate release|(?:press|news|media) release|for release\b.{0,60}|"
    r"embargo(?:ed)?\b.{0,80})[.:]?$", re.IGNORECASE)
# A picture's credit line under its caption: "Image: Jane Roe", "Photo: AP".
_PICTURE_CREDIT = re.compile(r"(?:Image|Photo|Picture|Photograph|Credit)s?(?:\s+credit)?\s*:",
                             re.IGNORECASE)
_HEADING_END = re.compile(r"[.!?,;:\"“”’']$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
# The heading of an encounter: "City, Country: Occasion, Month Year" (``places``).
ENCOUNTER_HEADING = re.compile(
    rf"^(?P<city>[A-Z][\w .'’-]{{1,40}}?),\s+(?P<country>[A-Z][\w .'’-]{{1,40}}?):\s+"
    rf"(?P<occasion>\S.{{0,80}}?),\s+(?P<month>{'|'.join(MONTHS)})\s+(?P<year>(?:19|20)\d\d)$"
)


@dataclass(frozen=True)
class Span:
    """A stretch of the article: ``text == article[start:end]``."""

    start: int
    end: int
    text: str


@dataclass
class Layout:
    text: str
    paragraphs: list[Span]
    headings: list[Span] = field(default_factory=list)
    title: Span | None = None
    caption: Span | None = None
    byline: Span | None = None
    credit: Span | None = None
    dateline: Span | None = None  # a line that is only the article's date
    authors: list[str] = field(default_factory=list)
    photo_credit: str | None = None
    _starts: list[int] = field(default_factory=list, repr=False)

    def section_at(self, pos: int) -> str:
        """The heading a position falls under, or "Introduction" before the first one."""
        name = "Introduction"
        for heading in self.headings:
            if heading.start <= pos:
                name = heading_label(heading.text)
            else:
                break
        return name

    def paragraph_index(self, pos: int) -> int:
        """The paragraph holding ``pos`` (or the last one that starts before it)."""
        if len(self._starts) != len(self.paragraphs):
            self._starts = [p.start for p in self.paragraphs]
        return max(0, bisect_right(self._starts, pos) - 1)


def heading_label(text: str) -> str:
    return _MARKDOWN_HEADING.sub("", text).strip()


def _blocks(text: str) -> list[Span]:
    """Non-empty paragraphs with their spans (surrounding whitespace trimmed)."""
    if _BLOCK_SPLIT.search(text):
        pieces = [(m.start(), m.end()) for m in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", text)]
    else:
        pieces = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    spans = []
    for start, end in pieces:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        lead = len(chunk) - len(chunk.lstrip())
        s = start + lead
        spans.append(Span(s, s + len(stripped), stripped))
    return spans


# A line that opens with a speaker label ("KAMAU: ...", "Q: ...", "Dana Ortiz: ...").
_TURN_LINE = re.compile(r"[A-Z][A-Za-z.’'-]*(?:[ \t]+[A-Z][A-Za-z.’'-]*){0,3}[ \t]*:[ \t]+\S")


def _split_turns(blocks: list[Span]) -> tuple[list[Span], set[int]]:
    """An interview written as labelled lines in one block ("REPORTER: ...\nKAMAU: ...")
    is one paragraph per turn: the block is cut before each line that opens with a label,
    when two or more of its lines do. Returns the blocks and the indexes of those turns."""
    out: list[Span] = []
    turns: set[int] = set()
    for block in blocks:
        lines = block.text.split("\n")
        if sum(1 for line in lines if _TURN_LINE.match(line.strip())) < 2:
            out.append(block)
            continue
        pieces: list[list[int]] = []  # [start, end] in the article
        pos = block.start
        for line in lines:
            stripped = line.strip()
            if stripped:
                s = pos + len(line) - len(line.lstrip())
                e = s + len(stripped)
                if _TURN_LINE.match(stripped) or not pieces:
                    pieces.append([s, e])
                else:
                    pieces[-1][1] = e  # a turn wrapped over several lines
            pos += len(line) + 1
        for s, e in pieces:
            turns.add(len(out))
            out.append(Span(s, e, block.text[s - block.start : e - block.start]))
    return out, turns


def _looks_like_heading(text: str) -> bool:
    if _MARKDOWN_HEADING.match(text):
        return True
    words = text.split()
    if not words or len(words) > 14 or "\n" in text:
        return False
    if _HEADING_END.search(text) or any(mark in text for mark in "\"“”"):
        return False
    return text[0].isupper() or text[0].isdigit()


def split_names(names: str) -> list[str]:
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", names.strip().rstrip("."))
    return [p.strip() for p in parts if p.strip()]


def _split_head(blocks: list[Span]) -> list[Span]:
    """A title, byline and credit written on consecutive lines of one block: one each."""
    out: list[Span] = []
    for i, block in enumerate(blocks):
        lines = block.text.split("\n")
        if i < 3 and len(lines) > 1 and any(
            _BYLINE.match(line.strip()) or _CREDIT.match(line.strip()) for line in lines
        ):
            pos = block.start
            for line in lines:
                lead = len(line) - len(line.lstrip())
                if line.strip():
                    out.append(Span(pos + lead, pos + lead + len(line.strip()), line.strip()))
                pos += len(line) + 1
        else:
            out.append(block)
    return out


def _glued_heading(block: Span) -> int | None:
    """Where the paragraph starts in a block whose first line is a heading written right
    above it, with no blank line between ("Town, Country: Talks, May 2024\nOrtiz met...");
    None when the block is one paragraph.

    The first line must read like a heading (and not end with a dash, as a dateline does),
    the second must open a sentence, the lines below must not all read like headings (a
    letterhead, a list of names), and no line may be a picture's credit (a caption). A
    hard-wrapped paragraph also breaks its lines before capitalised words, so the break
    must be one no wrapping made: the second line's first word would have fitted on the
    first line (as wide as the block's longest line), unless the first line is an
    encounter heading, whose form no sentence has."""
    lines = block.text.split("\n")
    if len(lines) < 2:
        return None
    first, second = lines[0].strip(), lines[1].strip()
    if (not _looks_like_heading(first) or first.endswith(("—", "–", "-"))
            or not re.match(r"[\"“‘'(]?[0-9A-ZÀ-ÖØ-Þ]", second)):
        return None  # "WASHINGTON —" above its paragraph is a dateline: it runs on
    below = [line.strip() for line in lines[1:] if line.strip()]
    if all(_looks_like_heading(line) for line in below) or any(
            _PICTURE_CREDIT.match(line) for line in below):
        return None  # a letterhead or a list of short lines; a picture's caption
    longest = max(len(line) for line in below)
    if (len(first) + 1 + len(second.split()[0]) > longest
            and not ENCOUNTER_HEADING.match(heading_label(first))):
        return None  # the next word did not fit: a wrapped line, not a heading
    rest = block.text.index(second, len(lines[0]))
    return block.start + rest


def _split_glued_headings(blocks: list[Span], turns: set[int]) -> tuple[list[Span], set[int]]:
    """Each heading written right above its paragraph (see ``_glued_heading``) becomes a
    block of its own."""
    out: list[Span] = []
    kept: set[int] = set()
    for i, block in enumerate(blocks):
        cut = None if i in turns else _glued_heading(block)
        if cut is None:
            if i in turns:
                kept.add(len(out))
            out.append(block)
            continue
        first = block.text.split("\n")[0].rstrip()
        out.append(Span(block.start, block.start + len(first), first))
        out.append(Span(cut, block.end, block.text[cut - block.start:]))
    return out, kept


def analyse(text: str) -> Layout:
    blocks, turns = _split_glued_headings(*_split_turns(_split_head(_blocks(text))))
    layout = Layout(text=text, paragraphs=[])
    meta: set[int] = set()
    head = blocks[:6]
    for i, block in enumerate(head):
        if layout.byline is None and (m := _BYLINE.match(block.text)) and len(block.text.split()) <= 12:
            layout.byline = block
            layout.authors = split_names(m.group("names"))
            meta.add(i)
        elif layout.dateline is None and date_line(block.text) is not None:
            layout.dateline = block
            meta.add(i)
        elif _RELEASE_LINE.match(block.text):
            meta.add(i)
        elif layout.credit is None and (m := _CREDIT.match(block.text)):
            layout.credit = block
            credit = re.sub(r"\s*/?\s*Photos?$", "", m.group("credit"), flags=re.IGNORECASE)
            layout.photo_credit = credit.strip() or m.group("credit")
            meta.add(i)
    # The title is the first block after the metadata lines that open the article (a date
    # line or a byline may come before the headline).
    top = next((i for i in range(len(blocks)) if i not in meta), None)
    if top is not None and top not in turns:
        first = blocks[top]
        followed_by_credit = (layout.credit is not None and len(blocks) > top + 1
                              and blocks[top + 1] is layout.credit)
        if followed_by_credit:
            layout.caption = first
            meta.add(top)
        elif len(first.text.split()) <= 20 and not first.text.endswith(".") and "\n" not in first.text:
            layout.title = first
            meta.add(top)
    for i, block in enumerate(blocks):
        if i in meta:
            continue
        if i not in turns and _looks_like_heading(block.text):
            layout.headings.append(block)
        else:
            layout.paragraphs.append(block)
    return layout
