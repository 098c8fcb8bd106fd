"""Direct quotes: find every quoted stretch of text, with straight or curly marks.

- Double marks only delimit quotes (“ ” and "); single marks inside a quote are a nested
  quote and stay part of its text, and ’ is mostly an apostrophe anyway. A quote opened
  with “ is closed only by ”, so straight marks inside it are a nested quote too.
- A straight mark opens a quote when it follows the start of a paragraph, a space or an
  opening bracket/dash; the next straight or curly closing mark ends it.
- An article with no double marks at all quotes with single ones (British style: ‘...,’
  she said / '...,' she said): then ‘ or ' opens a quote where a straight " would, and ’ or
  ' closes it when it ends a word before a space, punctuation or the paragraph's end,
  except a plural possessive before a lower-case word ("the teachers' union"). An
  article with both reads single-marked quotes outside the double-marked ones too.
- A quote not closed by the end of its paragraph runs on into the next paragraph when that
  paragraph opens with a quote mark again (the newspaper convention: no closing mark, a
  fresh opening mark). Otherwise the open quote is reported, not guessed.
- A quote the article interrupts with its attribution (“We waited,” she said, “and we
  lost.”) is one quote: the second piece goes on with a lower-case word, the words between
  are a speech verb and its speaker closed by a comma. Its text is the pieces joined with
  " … " and it keeps each piece's span (``join_interrupted``), so no card shows a fragment
  starting "and ..." and the evidence still points at exactly the quoted words.
- ``kind`` tells a real quotation from a scare quote or a title: a quote of at most
  ``SHORT_WORDS`` words is "short" (kept only when a precise attribution rule names its
  speaker); a single quoted word is a "term" (a word being talked about, as in praised his
  “genius”), and a quote whose words are all Capitalised is a "title": neither is ever a
  quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizapp.extract.entities import SPEECH
from quizapp.extract.layout import Layout

SHORT_WORDS = 3
OPENERS = "“\""
_OPEN_BEFORE = " \t\n([{—–-/:"
_SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
_WORD = re.compile(r"[A-Za-z0-9][\w’'-]*")


@dataclass
class QuoteSpan:
    """One direct quote. ``parts`` are the inner spans, one per paragraph it covers."""

    open: int  # position of the opening mark
    close: int  # position of the closing mark
    parts: list[tuple[int, int]]
    text: str
    paragraph: int  # index of the paragraph it opens in
    last_paragraph: int
    kind: str = "quote"  # "quote", "short", "term", "title"; "scare" once attribution gives up
    speaker: str | None = None
    rule: str | None = None
    reason: str | None = None
    raw_end_punct: str = ""  # the last character inside the marks, before trimming
    # A quote the article interrupts with its attribution (“A,” she said, “and b.”): the
    # quoted pieces, in order; ``text`` is their texts joined with " … ". Empty otherwise.
    pieces: list[QuoteSpan] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def marked(self) -> list[tuple[int, int]]:
        """The stretches inside quote marks, marks included: (open, close + 1) each."""
        if self.pieces:
            return [(p.open, p.close + 1) for p in self.pieces]
        return [(self.open, self.close + 1)]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))

    @property
    def ends_clause(self) -> bool:
        """True when the quoted words end in a comma, ? ! or a dash, so that an attribution
        may follow in the same sentence (a closing full stop ends the sentence)."""
        return self.raw_end_punct in {",", "?", "!", "—", "–", "-"}


@dataclass
class Problem:
    start: int
    end: int
    message: str


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace()):
        end -= 1
    return start, end


def classify(text: str) -> str:
    words = _WORD.findall(text)
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    sentence_inside = re.search(r"[.?!;:]\s+\S", text) is not None
    if (
        len(words) >= 2
        and significant
        and all(w[0].isupper() or w[0].isdigit() for w in significant)
        and not re.search(r"[.?!,;:]$", text.strip())
        and not sentence_inside
    ):
        return "title"
    if len(words) == 1 and not re.search(r"[?!]", text):
        return "term"
    if len(words) <= SHORT_WORDS and not re.search(r"[?!]", text) and not sentence_inside:
        return "short"
    return "quote"


_SINGLE_OPEN = re.compile(r"(?:^|[\s(\[—–])[‘'](?=\w)", re.MULTILINE)
_NOT_AFTER_CLOSE = {"he", "she", "they", "we", "i", "it", "said", "says", "told", "added",
                    "asked", "according"}


def _single_closes(article: str, pos: int, end: int) -> bool:
    """Whether the single mark at ``pos`` closes a quote (not an apostrophe)."""
    prev = article[pos - 1]
    nxt = article[pos + 1] if pos + 1 < end else ""
    if prev.isspace() or not (nxt == "" or nxt.isspace() or nxt in ",.;:!?)]—–-"):
        return False
    if prev == "s" and nxt == " ":
        word = re.match(r"\s+([a-z]+)", article[pos + 1 : pos + 30])
        if word and word.group(1) not in _NOT_AFTER_CLOSE:
            return False  # "the teachers' union"
    return True


def find_quotes(layout: Layout) -> tuple[list[QuoteSpan], list[Problem]]:
    article = layout.text
    body = [article[p.start:p.end] for p in layout.paragraphs]
    single = (not any("“" in b or '"' in b for b in body)
              and any(_SINGLE_OPEN.search(b) for b in body))
    openers = "‘'" if single else OPENERS
    quotes: list[QuoteSpan] = []
    problems: list[Problem] = []
    pending: QuoteSpan | None = None  # a quote running on past the end of a paragraph
    for index, para in enumerate(layout.paragraphs):
        pos = para.start
        end = para.end
        current: QuoteSpan | None = None
        inner_start = 0
        if pending is not None:
            if article[pos] in openers:
                current = pending
                inner_start = pos + 1
                pos += 1
            else:
                problems.append(Problem(pending.open, pending.parts[-1][1],
                                        "quote left open at the end of a paragraph"))
            pending = None
        while pos < end:
            ch = article[pos]
            if current is None:
                prev = article[pos - 1] if pos > para.start else " "
                opens = (ch == "‘" or (ch == "'" and article[pos + 1 : pos + 2].strip()
                                      and (pos == para.start or prev in _OPEN_BEFORE))
                         if single else
                         ch == "“" or (ch == '"' and (pos == para.start or prev in _OPEN_BEFORE)))
                if opens:
                    current = QuoteSpan(open=pos, close=-1, parts=[], text="", paragraph=index,
                                        last_paragraph=index)
                    inner_start = pos + 1
            elif (ch in "’'" and _single_closes(article, pos, end) if single else
                  ch == "”" or (ch == '"' and article[current.open] == '"')):
                s, e = _trim(article, inner_start, pos)
                current.parts.append((s, e))
                current.close = pos
                current.last_paragraph = index
                _finish(article, current)
                if current.text:
                    quotes.append(current)
                current = None
            pos += 1
        if current is not None:
            s, e = _trim(article, inner_start, end)
            current.parts.append((s, e))
            if index + 1 < len(layout.paragraphs):
                pending = current
            else:
                problems.append(Problem(current.open, end, "quote mark opened but never closed"))
    if pending is not None:
        problems.append(Problem(pending.open, pending.parts[-1][1], "quote mark opened but never closed"))
    if not single:
        quotes = sorted(quotes + _single_marked(layout, quotes), key=lambda q: q.open)
    return quotes, problems


def _single_marked(layout: Layout, found: list[QuoteSpan]) -> list[QuoteSpan]:
    """Quotes in single marks outside the double-marked ones of an article that uses both
    ('...,' she added): read within one paragraph, by the single-mark rules."""
    article = layout.text
    inside = [(q.open, q.close) for q in found]
    out: list[QuoteSpan] = []
    for index, para in enumerate(layout.paragraphs):
        open_at = None
        for pos in range(para.start, para.end):
            ch = article[pos]
            if ch not in "‘’'" or any(a <= pos <= b for a, b in inside):
                continue
            prev = article[pos - 1] if pos > para.start else " "
            if open_at is None:
                if (ch == "‘" or ch == "'") and article[pos + 1 : pos + 2].strip() and (
                        pos == para.start or prev in _OPEN_BEFORE):
                    open_at = pos
            elif _single_closes(article, pos, para.end):
                s, e = _trim(article, open_at + 1, pos)
                quote = QuoteSpan(open=open_at, close=pos, parts=[(s, e)], text="",
                                  paragraph=index, last_paragraph=index)
                _finish(article, quote)
                if quote.text:
                    out.append(quote)
                open_at = None
    return out


def _finish(article: str, quote: QuoteSpan) -> None:
    pieces = []
    parts = []
    for s, e in quote.parts:
        piece = article[s:e]
        pieces.append(re.sub(r"\s+", " ", piece))
        parts.append((s, e))
    text = " ".join(p for p in pieces if p)
    quote.raw_end_punct = text[-1:] if text else ""
    # A comma (or dash) before the closing mark belongs to the sentence, not to the quote.
    while text and text[-1] in ",—–- ":
        text = text[:-1]
        s, e = parts[-1]
        parts[-1] = (s, e - 1)
    s, e = parts[-1]
    parts[-1] = (s, max(s, e))
    quote.parts = parts
    quote.text = text.strip()
    quote.kind = classify(quote.text) if quote.text else "quote"


ELLIPSIS = " … "
_SPEECH_VERB = re.compile(rf"\b(?:{SPEECH}|went on)\b")
_ABBREVIATION = re.compile(r"\b(?:[A-Z][a-z]{0,3}|[A-Z])\.")


def _interruption(between: str) -> bool:
    """Whether the words between two quotes are only their attribution, with the sentence
    going on after it: "Ortiz said," / ", she added," / "said Dr. Ortiz, the mayor,"."""
    words = _ABBREVIATION.sub("X", between).strip()
    return (bool(words) and words.endswith(",") and len(words.split()) <= 12
            and not re.search(r"[“”\"‘.!?;:()]", words)
            and _SPEECH_VERB.search(words) is not None)


def join_interrupted(article: str, quotes: list[QuoteSpan]) -> list[QuoteSpan]:
    """Quotes the article interrupts with their attribution, each as one quote (see the
    module's notes). ``quotes`` in text order; a piece that runs over paragraphs is never
    joined (its text is already more than its span)."""
    out: list[QuoteSpan] = []
    for quote in quotes:
        prev = out[-1] if out else None
        if (prev is not None and len(quote.parts) == 1 and prev.last_paragraph == quote.paragraph
                and (prev.pieces or len(prev.parts) == 1)
                and re.match(r"[a-z]", quote.text)
                and (prev.ends_clause or article[prev.close + 1:quote.open].lstrip().startswith(","))
                and _interruption(article[prev.close + 1:quote.open])):
            pieces = (prev.pieces or [prev]) + [quote]
            joined = QuoteSpan(open=prev.open, close=quote.close, parts=[(prev.start, quote.end)],
                               text=ELLIPSIS.join(p.text for p in pieces),
                               paragraph=prev.paragraph, last_paragraph=quote.last_paragraph,
                               raw_end_punct=quote.raw_end_punct, pieces=pieces)
            joined.kind = classify(joined.text)
            out[-1] = joined
            continue
        out.append(quote)
    return out
