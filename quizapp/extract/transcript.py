"""Transcripts: paragraphs that open with a speaker label (``MS. OKORO:``, ``Ortiz:``,
``Jane Roe, Deputy Minister:``, ``Q:``) are turns: what follows the label is that speaker's
words, quote marks or not.

A paragraph counts as a turn when it opens with a label of at most eight capitalised words
(no digits, no quote marks: ``12:37 P.M.`` is a time, not a speaker) followed by a colon
and text. One label in an article is enough only when it reads like a transcript label
(an honorific such as ``MR.``/``MS.`` or a label in capitals); otherwise it takes two
labelled paragraphs, so that a lone ``Update: ...`` in a report is not read as a turn.

An interview written as labelled lines in one block is one turn per line (``layout``).

The label says who speaks: ``Q``/``QUESTION``/``REPORTER``/``INTERVIEWER`` asks a question
(reported by the pipeline, never a quotation to quiz on); ``A``/``ANSWER`` answers: the
one person the introduction (the text before the first turn) names, when questions are asked; an honorific or a title is dropped and the rest is the name, in title case
(``UNDER SECRETARY OKAFOR`` -> Okafor); ``Name, role`` keeps the name. A label that names no
one (``VOA``, an acronym) gives a turn without a speaker, unless that one word in capitals
is the surname of one person the article names (``ORTIZ:`` after "Dana Ortiz reports").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.extract import gazetteer
from quizapp.extract.entities import SPEECH, TITLES
from quizapp.extract.layout import Layout

_LABEL = re.compile(
    r"(?P<label>[A-Z][A-Za-z.’'-]*(?:[ \t]+(?:[A-Z][A-Za-z.’'-]*|of|and|de|al-[A-Za-z]+))"
    r"{0,7}(?:,[ \t]+[^:\n\"“”\d]{2,80}?)?)[ \t]*:[ \t]+(?=\S)"
)
_QUESTION_LABELS = {"q", "q.", "question", "questions", "audience member", "reporter",
                    "interviewer"}
_HONORIFICS = {"mr", "mrs", "ms", "dr", "miss", "sir", "madam"}
_TITLE_WORDS = {w.rstrip(".").casefold() for t in TITLES for w in t.split()} | {
    "under", "deputy", "assistant", "acting", "press", "spokesperson", "spokesman",
    "spokeswoman", "administrator", "moderator", "host", "president-elect",
}


@dataclass(frozen=True)
class Turn:
    label: str
    label_start: int
    start: int  # the spoken words: text[start:end]
    end: int
    paragraph: int
    question: bool
    name: str | None  # the speaker's name as the label gives it (title case), if any
    # A label of one word in capitals ("ORTIZ") may be an acronym or a surname: kept here,
    # in title case, so that a person of the article with that surname can be its speaker.
    surname: str | None = None


def _name_of(label: str) -> tuple[str | None, bool]:
    """(name, is_question) for a label."""
    head = label.split(",")[0].strip()
    if head.casefold() in _QUESTION_LABELS:
        return None, True
    words = head.split()
    formal = any(w.rstrip(".").casefold() in _HONORIFICS | _TITLE_WORDS for w in words)
    while words and words[0].rstrip(".").casefold() in _HONORIFICS | _TITLE_WORDS:
        words = words[1:]
    if not words:
        return None, False
    if not formal and len(words) == 1 and words[0].isupper():
        return None, False  # an acronym: the outlet or an organisation, not a named person
    name = " ".join(w.capitalize() if w.isupper() else w for w in words)
    return name, False


def _formal(label: str) -> bool:
    words = label.split(",")[0].split()
    return label.split(",")[0].isupper() or any(
        w.rstrip(".").casefold() in _HONORIFICS for w in words)


def _place_label(label: str) -> bool:
    """"Town, Country": a town and its country (or state), as a heading or dateline gives them."""
    head, _, rest = label.partition(",")
    rest = rest.strip()
    return (head.strip() in gazetteer.cities()
            and (rest in gazetteer.countries() or rest in gazetteer.cities()))


def find_turns(layout: Layout) -> list[Turn]:
    text = layout.text
    found: list[Turn] = []
    for index, para in enumerate(layout.paragraphs):
        m = _LABEL.match(text, para.start, para.end)
        if m is None:
            continue
        label = m.group("label").strip()
        if re.search(rf"\b{SPEECH}\b", label) or (
                text[m.end():m.end() + 1] in "“\"" and not _formal(label)):
            continue  # "Ann Lee, the mayor, said: “...”": prose introducing a quote
        if _place_label(label):
            continue  # "Town, Country: Talks resume, May 2024": a place, not a speaker

        name, question = _name_of(label)
        head = label.split(",")[0].strip()
        surname = (head.capitalize() if name is None and not question
                   and re.fullmatch(r"[A-Z][A-Z’'-]+", head) else None)
        found.append(Turn(label=label, label_start=para.start, start=m.end(), end=para.end,
                          paragraph=index, question=question, name=name, surname=surname))
    if len(found) >= 2 or any(_formal(t.label) for t in found):
        return found
    return []
