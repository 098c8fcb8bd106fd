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

_BLOCK_SPLIT = re.compile(r"\n[ \t]*\n")
_BYLINE = re.compile(r"^By\s+(?P<names>[A-Z].{0,150})$")
_CREDIT = re.compile(r"^(?:Photo\s+)?Credit:\s*(?P<credit>.+?)\s*$", re.IGNORECASE)
# A press release's stock lines above its headline: no title, no body.
_RELEASE_LINE = re.compile(
    r"^(?:for immediate release|(?:press|news|media) release|for release\b.{0,60}|"
    r"embargo(?:ed)?\b.{0,80})[.:]?$", re.IGNORECASE)
_HEADING_END = re.compile(r"[.!?,;:\"“”’']$")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


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


def analyse(text: str) -> Layout:
    blocks, turns = _split_turns(_split_head(_blocks(text)))
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
