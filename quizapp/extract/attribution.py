"""Who said it: attribution rules, tried in order, most precise first.

Rule names (recorded in each quote's ``evidence.rule``):

1. ``name-said-after``     “...,” Dana Ortiz said        (the quote ends in , ? ! or a dash)
                           (also “...,” union leader Dana Ortiz said)
2. ``said-name-after``     “...,” said Senator Ortiz / said commuter Dana Ortiz
                           (1 and 2 also read “...,” said Harbour Radio host Dana Ortiz:
                           capitalised words, a lower-case role, then the speaker's name)
3. ``name-said-before``    Ortiz said: “...”  /  Ortiz said, “...”  /  Ortiz said “...”
4. ``name-told-before``    Ortiz told reporters: “...”  (3 and 4 allow an aside between
                           name and verb: Ortiz, who chaired the talks, told reporters: “...”)
5. ``name-verb-clause``    Ortiz insisted there was “...” / Ortiz, who praised his “...”
                           (one clause, no other person between the verb and the quote)
6. ``subject-colon``       Ortiz grinned and gave a warning: “...” (the sentence's subject)
                           ``name-colon``: Lyon - Mayor Dana Ortiz: “...” (a statement's
                           speaker line: the name just before the colon)
7. ``continuation``        a second quote right after an attributed one, with nothing but
                           that attribution between (“First,” she said, “second.”), or a
                           paragraph that opens with a quote after a paragraph that ended
                           with an attributed one.

8. ``according-to-name``  “...,” according to Ortiz  /  According to Ortiz, “...”
9. ``continuation-sentence`` a second piece of quotation in the sentence of an attributed
                           one, with only plain words between (said storms “of this size”
                           often “cause floods”)
10. ``speaker-earlier-sentence`` / ``speaker-previous-paragraph``: a quote that is a
                           sentence of its own takes the speaker of the nearest sentence
                           before it (same paragraph, or the paragraph before when the
                           quote opens its own) whose speech verb names one, when no one
                           else is named or quoted in between
11. ``speaker-line``       a line of its own naming a known person (“Dana Ortiz, Mayor of
                           Lyon” or “Dana Ortiz:”) right above a quote paragraph
12. ``speaker-colon-paragraph``: a quote paragraph under a paragraph that ends with a
                           colon takes the subject of that last sentence (a name at its
                           start, or he/she resolved as above)
13. ``speaker-label``      transcripts (``transcript.py``): “MS. OKORO: ...” turns

In rules 1-6 the speaker may be a name (linked through the entity table), a pronoun
("he", "she", "it" for an organisation: the rule name says ``pronoun`` instead of
``name``, e.g. ``pronoun-said-after``), a title ("the Russian leader":
``title-said-after``; when no earlier person has the role, the one person of the next
sentence who has it) or an organisation ("the Harbour Board", "said the Council"). A pronoun resolves to the most recent named person before it, in the
same paragraph or the two before, whose gender fits (genders come from the given-name
data); when the sentence holding that person, or the pronoun's own paragraph, names
another who fits too, the previous quote's speaker decides, else the rule abstains. A
sentence in between whose speaking subject is a person left unnamed ("A crane operator,
who asked not to be named, said ...") makes the pronoun (and rule 10) abstain: that
person is the likelier speaker, and has no name to give.
A title resolves to the most recent person whose role has the same title word (and the
same nationality, when given).

Short quotes (scare quotes) only count under rules 1, 2, 3 and 5; quotes that read like
titles never count. When no rule is sure, the quote keeps no speaker and the reason is
recorded.
"""

from __future__ import annotations

import re
from functools import lru_cache

from quizapp.extract.entities import (
    CAPWORD,
    ORG_HEADS,
    ORG_KINDS,
    PARTICLE,
    SPEECH,
    UPPER,
    Entities,
)
from quizapp.extract.layout import Layout
from quizapp.extract.quotes import QuoteSpan

ADV = (
    r"(?:[a-z]+ly|also|often|later|then|once|again|simply|still|just|never|even|soon|"
    r"first|finally|quickly|further|too|publicly)"
)
CLAUSE_VERBS = (
    r"(?:" + SPEECH[3:-1] + r"|says|saying|telling|praised|praising|called|calling|"
    r"described|describing|describes|refers|referred|referring|dubbed|labelled|labeled|"
    r"branded|promised|vowed|urged|pledged|predicted|claimed|boasted|complained|"
    r"insists|insisting|warning|noting|adding|recognized|recognised|recognizes|recognises)"
)
_HEADS = (
    r"(?:prime minister|president|leader|senator|chancellor|minister|premier|adviser|"
    r"advisor|governor|mayor|spokesman|spokeswoman|spokesperson|ambassador|envoy|"
    r"secretary|king|queen|judge|chef|owner|mayor|captain|coach|director|official)"
)
_LEADERS = ("president", "prime minister", "chancellor", "premier", "king", "queen", "leader")
# A capitalised run ending in a name: "Dana Ortiz", "Dana K. Ortiz", and a title run with
# acronyms before it ("BBG CEO and Director Dana Ortiz"; resolve() keeps its one person).
_CAPSEQ = (
    rf"(?:(?:{CAPWORD}|[A-Z]{{2,6}}|[A-Z]\.|US|UK|U\.S\.|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sen\.|Gov\.|"
    rf"Rep\.|{PARTICLE}(?=\s+(?:{PARTICLE}\s+)?[A-Z]))(?:\s+and)?\s+){{0,6}}"
    rf"(?:{CAPWORD}|(?:al|el)-{CAPWORD})"
)
_ORG = (rf"\b[Tt]he\s+(?:(?:[A-Z][\w.-]*\s+){{0,4}}?(?:{'|'.join(ORG_HEADS)})|"
        rf"(?:{'|'.join(h.lower() for h in ORG_HEADS)}|{'|'.join(ORG_KINDS)}))\b")
SPK = (
    rf"(?P<spk>\b(?:[Hh]e|[Ss]he|[Ii]t)\b|\b[Tt]he\s+(?:[\w.-]+\s+){{0,3}}?{_HEADS}\b|{_ORG}|{_CAPSEQ})"
)
_NAMED_SPK = rf"(?P<spk>\b[Tt]he\s+(?:[\w.-]+\s+){{0,3}}?{_HEADS}\b|{_ORG}|{_CAPSEQ})"

# A lower-case role right before a name ("union leader Karen Holt said"): up to three
# words, none of them a preposition, so "a spokesman for Karen Holt said" never names Holt.
_ROLE_WORDS = (
    r"(?:(?:(?!(?:for|of|to|with|at|from|by|in|on|about|near|and|or|but|whom|who|"
    rf"{PARTICLE})\b)[a-z][a-z-]*\s+){{1,3}}(?={CAPWORD}))?"
)
_ASIDE_AFTER = r"(?:,\s+[^,“”\"]{1,60},)?"
# "Harbour Radio host Dana Ortiz": capitalised words naming what the person works for, then
# a lower-case role, then the name; the speaker is the name (see entities.ROLE_THEN_NAME).
_EMPLOYER = (
    rf"(?:(?:(?:{CAPWORD}|[A-Z]{{2,6}})\s+){{1,4}}"
    rf"(?=(?:[a-z][a-z-]*\s+){{1,3}}{CAPWORD}\s+{CAPWORD}))?"
)
_AFTER_NAME_SAID = re.compile(
    rf"\s*{_EMPLOYER}{_ROLE_WORDS}{SPK}{_ASIDE_AFTER}\s+(?:{ADV}\s+)?{SPEECH}\b")
# “...,” said the engineer, Dana Ortiz.  (a lower-case role, a comma, then the name)
_AFTER_SAID_NAME = re.compile(
    rf"\s*{SPEECH}\s+(?:(?:the|a|an|their|its|his|her)\s+[a-z][\w -]{{0,40}}?,\s+)?"
    rf"{_EMPLOYER}{_ROLE_WORDS}{_NAMED_SPK}")
# “We will win.” Ortiz said.  (the attribution as a short sentence of its own)
_AFTER_SENTENCE = re.compile(
    rf"\s*{_ROLE_WORDS}{SPK}\s+(?:{ADV}\s+)?{SPEECH}\b[^.!?“”\"]{{0,40}}[.!?]")
# “...,” according to Dana Ortiz.  /  According to Ortiz, “...”
_AFTER_ACCORDING = re.compile(rf"\s*according\s+to\s+{_ROLE_WORDS}{_NAMED_SPK}")
_BEFORE_ACCORDING = re.compile(rf"\b[Aa]ccording\s+to\s+{_ROLE_WORDS}{SPK}\s*,\s*$")
# "Claire Dumont, who hosted the forum, told delegates:" (an aside between name and verb)
_ASIDE = r"(?:,\s+[^,“”\"]{1,60},)?"
_BEFORE_NAME_SAID = re.compile(rf"{SPK}{_ASIDE}\s+(?:{ADV}\s+)?{SPEECH}\s*[:,]?\s*$")
_BEFORE_NAME_TOLD = re.compile(
    rf"{SPK}{_ASIDE}\s+(?:{ADV}\s+)?(?:told|tells|telling|asked|asking|warned|warning|reminded)"
    rf"\s+[^“”\".;!?]{{1,60}}?[:,]\s*$"
)
# "Okafor was quoted by the news agency as saying: “...”"
_BEFORE_QUOTED_AS = re.compile(
    rf"{SPK}{_ASIDE}\s+(?:was|is|has\s+been|had\s+been)\s+quoted\s+"
    rf"(?:[^“”\".;!?]{{1,60}}?\s+)?as\s+saying\s*[:,]?\s*$"
)
# "Lyon - Secretary of State Dana Ortiz: “...”" (a statement's speaker line): the
# name right before the colon, after nothing but capitalised title words and a dateline.
_BEFORE_NAME_COLON = re.compile(
    rf"(?:^|[—–-]\s+)(?:(?:[A-Z][\w.’'-]*|of|the|for|and)\s+){{0,6}}?{_NAMED_SPK}\s*:\s*$")
_AUX = r"(?:had|has|have|would|will|did|does|was|is|could|once)"
_BEFORE_CLAUSE = re.compile(
    rf"{SPK}(?:,\s+who|,)?\s+(?:{ADV}\s+)?(?:[a-z]+(?:\s+[\w’'-]+){{0,4}}\s+and\s+)?"
    rf"(?:{_AUX}\s+)?(?:{ADV}\s+)?(?P<verb>{CLAUSE_VERBS})\b(?P<mid>[^“”\".;:!?]{{0,80}})$"
)
_SUBJECT = re.compile(rf"\s*{SPK}\s+")
_CLAUSE_VERB_ANYWHERE = re.compile(rf"\b{CLAUSE_VERBS}\b[^“”\".;:!?]{{0,60}}$")
_BETWEEN_CONTINUATION = re.compile(
    rf"^\s*[,.;:—–-]?\s*(?:{SPK}\s+(?:{ADV}\s+)?{SPEECH}(?:\s+{ADV})?|{SPEECH}\s+"
    + _NAMED_SPK.replace("?P<spk>", "?:")
    + r")?\s*[,.;:—–-]?\s*$"
)
# A sentence whose subject is a person the article does not name ("A crane operator, who
# asked not to be named, said ...", "Some residents told reporters ..."): a determiner and
# lower-case words, an optional aside, then a speech verb. A "he said" after it is that
# person, not the last person named before.
_UNNAMED_SUBJECT = re.compile(
    r"(?:(?:[A-Z][a-z]+\s+){0,2}[^,“”\".;!?]{0,30},\s+)?"
    r"(?P<np>(?:[Aa]n?|[Oo]ne|[Aa]nother|[Tt]he|[Ss]ome|[Mm]any|[Ss]everal|[Hh]is|[Hh]er|"
    r"[Tt]heir|[Oo]ther|[Tt]wo|[Tt]hree|[Ff]our)\s+(?:[a-z][\w’'-]*\s+){0,3}[a-z][\w’'-]*)"
    r"(?:(?:,\s+[^,“”\".;!?]{1,80}){1,2},)?\s+(?:[a-z]+ly\s+|also\s+)?"
    rf"(?:{SPEECH}|spoke|speaking|shouted|called)\b"
)
# A sentence that brings in someone new and leaves them unnamed ("A construction worker at
# the ceremony was less sure."): an indefinite subject in lower case, and no one named in
# the sentence. A "he said" after it is likelier that person than anyone named before.
_INDEFINITE_SUBJECT = re.compile(
    r"(?P<np>(?:An?|One|Another)\s+(?:[a-z][\w’'-]*\s+){0,3}[a-z][\w’'-]*)(?=[\s,])")
# Heads of such a subject that are no person: a document or a body speaks for itself.
_NOT_A_PERSON = frozenset({
    "report", "statement", "study", "survey", "letter", "document", "documents", "agency",
    "ministry", "department", "government", "company", "firm", "court", "website", "article",
    "newspaper", "paper", "post", "announcement", "notice", "sign", "message", "email",
    "police", "army", "council", "committee", "board", "union", "group", "poll", "data",
    "figures", "law", "bill", "plan", "proposal", "order", "ruling", "decision", "report's",
})
# “...,” one engineer said / “...,” said a longtime employee: the quote's own attribution
# names a person left unnamed, so no earlier speaker may be borrowed for it.
_UNNAMED_NP = (r"(?:a|an|one|another|the|some|several|many|two|three|his|her|their)\s+"
               r"(?:[a-z][\w’'-]*\s+){0,3}?[a-z][\w’'-]*")
_AFTER_UNNAMED = re.compile(
    rf"\s*(?:(?P<np>{_UNNAMED_NP})(?:,\s+[^,“”\"]{{1,80}},)?\s+(?:[a-z]+ly\s+)?{SPEECH}"
    rf"|{SPEECH}\s+(?P<np2>{_UNNAMED_NP}))\b")
# "Its motto is “...”", "under the slogan “...”", "a banner reading “...”": words written
# on something, which no one is quoted saying.
_MOTTO_BEFORE = re.compile(
    r"\b(?:motto|slogan|tagline|catchphrase|watchword|banner|placard|sign|poster|inscription)"
    r"s?(?:\s+(?:is|was|reads|read|reading|says|said|of))?\s*[:,]?\s*$", re.IGNORECASE)
_PRONOUN_GENDER = {"he": "m", "she": "f", "it": "n"}
_ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "St", "Sen", "Gov", "Rep", "Gen", "Prof", "Jr", "Sr",
                  "vs", "U.S", "Lt", "Col", "No"}
_BOUNDARY = re.compile(rf"[.!?][”\"’)]*\s+(?=[“\"(‘]?[{UPPER}0-9])")


@lru_cache(maxsize=64)
def sentence_starts(text: str, start: int, end: int) -> tuple[int, ...]:
    """Start positions of the sentences of text[start:end]."""
    starts = [start]
    for m in _BOUNDARY.finditer(text, start, end):
        word = re.search(r"([\w.]+)$", text[max(start, m.start() - 12) : m.start()])
        if word and (word.group(1) in _ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
            continue
        starts.append(m.end())
    return tuple(starts)


def _sentence_bounds(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    starts = sentence_starts(text, start, end)
    s = max(x for x in starts if x <= pos)
    later = [x for x in starts if x > pos]
    return s, (later[0] if later else end)


class Attributor:
    def __init__(self, layout: Layout, quotes: list[QuoteSpan], entities: Entities):
        self.layout = layout
        self.text = layout.text
        self.quotes = sorted(quotes, key=lambda q: q.open)
        self.entities = entities
        self.inside = [span for q in self.quotes for span in q.marked]

    # ------------------------------------------------------------------ resolution

    def _outside_quotes(self, mention) -> bool:
        return not any(s <= mention.start < e for s, e in self.inside)

    def _recent_mentions(self, pos: int):
        para = self.layout.paragraph_index(pos)
        first = self.layout.paragraphs[max(0, para - 2)].start
        found = [m for m in self.entities.before(pos) if m.start >= first and self._outside_quotes(m)]
        return list(reversed(found))

    def unnamed_subject(self, start: int, end: int) -> str | None:
        """The unnamed person ("a crane operator") who is the speaking subject of a sentence
        starting in text[start:end], outside quotes and naming no known person before its
        verb; the last such one. None when there is none."""
        found = None
        first = self.layout.paragraph_index(start)
        last = self.layout.paragraph_index(max(start, end - 1))
        for para in self.layout.paragraphs[first:last + 1]:
            for s in sentence_starts(self.text, para.start, para.end):
                if not start <= s < end or any(a <= s < b for a, b in self.inside):
                    continue
                m = _UNNAMED_SUBJECT.match(self.text, s, para.end)
                if (m is None or self.entities.at(s, m.end())
                        or m.group("np").split()[-1].lower() in _NOT_A_PERSON):
                    m = _INDEFINITE_SUBJECT.match(self.text, s, para.end)
                    _, stop = _sentence_bounds(self.text, para.start, para.end, s)
                    if (m is None or self.entities.at(s, stop)
                            or any(w.lower() in _NOT_A_PERSON for w in m.group("np").split())):
                        continue
                found = m.group("np")
        return found

    def resolve(self, spk: str, start: int, end: int) -> tuple[str | None, str, str | None]:
        """(person id or None, speaker kind, reason when None)."""
        word = spk.strip()
        lower = word.lower()
        if lower in _PRONOUN_GENDER:
            return self._resolve_pronoun(_PRONOUN_GENDER[lower], start, word)
        people = {m.person for m in self.entities.at(start, end)}
        if not people and re.fullmatch(_ORG, word):
            return self._resolve_organisation(word, start)
        if lower.startswith("the ") and re.search(rf"\b{_HEADS}$", lower) and not people:
            return self._resolve_title(lower, start)
        if len(people) == 1:
            return people.pop(), "name", None
        mentions = self.entities.at(start, end)
        if (len(people) > 1 and mentions and mentions[-1].end == end
                and not self.entities.people[mentions[-1].person].is_organisation
                and all(self.entities.people[m.person].is_organisation for m in mentions[:-1])):
            # "HPA Harbour Board Chief Dana Ortiz": the organisation is part of her title
            return mentions[-1].person, "name", None
        if not people and word.split()[-1] in ORG_HEADS:
            return self._resolve_organisation(word, start)
        if not people:
            last = word.split()[-1]
            shared = [p.name for p in self.entities.people.values() if p.surname == last]
            if len(shared) > 1:
                return None, "name", f"{word!r} could be {' or '.join(sorted(shared))}"
            return None, "name", f"{word!r} is not a person named in the article"
        return None, "name", f"{word!r} names more than one person"

    def _resolve_organisation(self, phrase: str, pos: int):
        """"the Church": the one organisation named before whose name has that word; "the
        ministry", "the union": the one whose name has it capitalised ("Ministry of
        Health") or that the article called that kind of body ("the union Unite")."""
        head = phrase.split()[-1]
        people = self.entities.people
        named = {m.person for m in self._recent_mentions(pos)
                 if people[m.person].is_organisation
                 and (head in people[m.person].name.split()
                      or (head.islower() and (head.capitalize() in people[m.person].name.split()
                                              or head == people[m.person].kind)))}
        if len(named) == 1:
            return named.pop(), "organisation", None
        if named:
            return None, "organisation", f"{phrase!r} could be more than one organisation"
        return None, "organisation", f"{phrase!r} is not a person named in the article"

    def _resolve_pronoun(self, gender: str, pos: int, word: str):
        people = self.entities.people
        if gender == "n":
            fits = [m for m in self._recent_mentions(pos) if people[m.person].is_organisation]
        else:
            fits = [m for m in self._recent_mentions(pos)
                    if people[m.person].gender in (gender, None)]
        if not fits:
            return None, "pronoun", f"no named person before {word!r} fits it"
        latest = fits[0]
        # "Ortiz spoke first. A crane operator, who asked not to be named, said ...
        # “...,” he said.": the pronoun is the unnamed speaker, so no one we can name.
        para = self.layout.paragraphs[self.layout.paragraph_index(latest.start)]
        after_latest, _ = _sentence_bounds(self.text, para.start, para.end, latest.start)
        unnamed = self.unnamed_subject(after_latest + 1, pos)
        if unnamed is not None:
            return None, "pronoun", f"{word!r} follows an unnamed speaker ({unnamed!r})"
        para_start = self.layout.paragraphs[self.layout.paragraph_index(pos)].start
        here = {m.person for m in fits if m.start >= para_start}
        if len(here) > 1:
            # "Ortiz ... (many sentences) ... Okafor led the project. “...,” he said.": the
            # person named in the sentence before (or in the pronoun's own), when no one
            # else who fits was named in the three sentences before the pronoun's.
            para = self.layout.paragraphs[self.layout.paragraph_index(pos)]
            starts = [x for x in sentence_starts(self.text, para.start, para.end) if x <= pos]
            if len(starts) > 4 and latest.start >= starts[-2]:
                near = {m.person for m in fits if m.start >= starts[-4]}
                if near == {latest.person}:
                    return latest.person, "pronoun", None
            # Two people who fit, both in this paragraph: only the previous quote's speaker
            # (a chain of quotes from one person) may decide.
            previous = [q for q in self.quotes if q.close < pos and q.speaker in here
                        and q.open >= para_start]
            if previous and not [m for m in self.entities.before(pos)
                                 if m.start > previous[-1].close and m.person != previous[-1].speaker]:
                return previous[-1].speaker, "pronoun", None
            names = " or ".join(sorted(people[p].name for p in here))
            return None, "pronoun", f"{word!r} could be {names}"
        para = self.layout.paragraphs[self.layout.paragraph_index(latest.start)]
        s, e = _sentence_bounds(self.text, para.start, para.end, latest.start)
        rivals = {m.person for m in fits if s <= m.start < e}
        if len(rivals) == 1:
            return latest.person, "pronoun", None
        previous = [q for q in self.quotes if q.close < pos and q.speaker in rivals
                    and self.layout.paragraph_index(q.close) >= self.layout.paragraph_index(pos) - 1]
        if previous:
            last = previous[-1]
            between = [m for m in self.entities.before(pos) if m.start > last.close]
            if not between:
                return last.speaker, "pronoun", None
        names = " or ".join(sorted(people[p].name for p in rivals))
        return None, "pronoun", f"{word!r} could be {names}"

    def _resolve_spokesperson(self, phrase: str, pos: int):
        """"the spokesperson": the one organisation whose spokesperson was named before it
        in the paragraph or the one before ("A Harbour Board spokesperson said ...",
        "a spokesman for the Harbour Board", "the Board's spokeswoman")."""
        para = self.layout.paragraph_index(pos)
        first = self.layout.paragraphs[max(0, para - 1)].start
        found = set()
        for m in re.finditer(r"\bspokes(?:man|woman|person)\b", self.text[first:pos]):
            s, e = first + m.start(), first + m.end()
            if any(a <= s < b for a, b in self.inside):
                continue
            before = [x for x in self.entities.at(max(first, s - 80), s)
                      if re.fullmatch(r"(?:['’]s)?\s+", self.text[x.end:s])]
            after = [x for x in self.entities.at(e, e + 80)
                     if re.fullmatch(r"\s+(?:for|of)\s+(?:the\s+)?", self.text[e:x.start])]
            for x in before + after:
                if self.entities.people[x.person].is_organisation:
                    found.add(x.person)
        if len(found) == 1:
            return found.pop(), "title", None
        if found:
            return None, "title", f"{phrase!r} could speak for more than one organisation"
        return None, "title", f"no organisation's spokesperson was named before {phrase!r}"

    def _resolve_title(self, phrase: str, pos: int):
        words = phrase.split()[1:]
        if words[-1] in ("spokesman", "spokeswoman", "spokesperson"):
            person, kind, reason = self._resolve_spokesperson(phrase, pos)
            if person is not None:
                return person, kind, reason
        head = next((h for h in ("prime minister",) if phrase.endswith(h)), words[-1])
        modifiers = [w for w in words[: -len(head.split())] if w not in {"then", "former"}]
        for m in self._recent_mentions(pos):
            role = self.entities.people[m.person].role.lower()
            if not role:
                continue
            heads = _LEADERS if head == "leader" else (head,)
            if any(h in role for h in heads) and all(mod in role for mod in modifiers):
                return m.person, "title", None
        # "“...,” the mayor said. Mayor Dana Ortiz spoke at the opening.": the title's
        # person named in the next sentence, when only one person there has that role.
        para = self.layout.paragraphs[self.layout.paragraph_index(pos)]
        starts = sentence_starts(self.text, para.start, para.end)
        later = [s for s in starts if s > pos]
        if later:
            end = later[1] if len(later) > 1 else para.end
            heads = _LEADERS if head == "leader" else (head,)
            fits = {m.person for m in self.entities.at(later[0], end)
                    if any(h in self.entities.people[m.person].role.lower() for h in heads)}
            if len(fits) == 1:
                return fits.pop(), "title", None
        return None, "title", f"no earlier person has the role {phrase!r}"

    # ------------------------------------------------------------------ rules

    def _try(self, match: re.Match[str] | None, base: int, rule: str, quote: QuoteSpan,
             reasons: list[str]) -> bool:
        if match is None:
            return False
        start, end = base + match.start("spk"), base + match.end("spk")
        person, kind, reason = self.resolve(match.group("spk"), start, end)
        if person is None:
            reasons.append(reason or "speaker not resolved")
            return False
        quote.speaker = person
        quote.rule = rule.format(who=kind)
        return True

    def attribute(self) -> list[QuoteSpan]:
        for i, quote in enumerate(self.quotes):
            if quote.kind == "title":
                quote.reason = "reads like a title (Capitalised Quoted Phrase)"
                continue
            if quote.kind == "term":
                quote.reason = "a single quoted word is a term, not a statement"
                continue
            self._attribute_one(i, quote)
        return self.quotes

    def _attribute_one(self, i: int, quote: QuoteSpan) -> None:
        text = self.text
        first_para = self.layout.paragraphs[quote.paragraph]
        last_para = self.layout.paragraphs[quote.last_paragraph]
        next_open = self.quotes[i + 1].open if i + 1 < len(self.quotes) else len(text)
        after_start = quote.close + 1
        after = text[after_start : min(next_open, last_para.end)]
        sentence_start, _ = _sentence_bounds(text, first_para.start, first_para.end, quote.open)
        prev_close = max((q.close + 1 for q in self.quotes[:i] if q.close < quote.open), default=0)
        before_start = max(sentence_start, prev_close) if prev_close > sentence_start else sentence_start
        before = text[before_start : quote.open]
        short = quote.kind == "short"
        reasons: list[str] = []

        ends_clause = quote.ends_clause
        if quote.pieces:
            # “We waited,” she said, “and we lost.”: the attribution is between the pieces
            first, second = quote.pieces[0], quote.pieces[1]
            after_start = first.close + 1
            after = text[after_start:second.open]
            ends_clause = first.ends_clause
        if not ends_clause and re.match(r"[,—–]\s", after):
            # British placing: “...”, the spokesperson continued.
            ends_clause, after, after_start = True, after[1:], after_start + 1
        if ends_clause:
            if self._try(_AFTER_NAME_SAID.match(after), after_start, "{who}-said-after", quote, reasons):
                return
            if self._try(_AFTER_SAID_NAME.match(after), after_start, "said-{who}-after", quote, reasons):
                return
            if self._try(_AFTER_ACCORDING.match(after), after_start, "according-to-{who}",
                         quote, reasons):
                return
        elif quote.raw_end_punct in {".", "!", "?"} and re.match(r"\s+[A-Z]", after):
            if self._try(_AFTER_SENTENCE.match(after), after_start, "{who}-said-next",
                         quote, reasons):
                return
        if reasons:
            # The quote has an attribution of its own, but it names nobody we know: abstain
            # rather than borrow a speaker from elsewhere.
            quote.reason = reasons[0]
            return
        unnamed = _AFTER_UNNAMED.match(after) if ends_clause else None
        if unnamed is not None:
            np = unnamed.group("np") or unnamed.group("np2")
            quote.reason = f"said by a person the article does not name ({np!r})"
            return
        # A short quote that is a whole sentence (“Nothing scares her.”) right after an
        # attributed one is its continuation too; a short phrase is not.
        sentence = bool(re.match(r"[A-Z]", quote.text)) and quote.raw_end_punct in {".", "!", "?"}
        if (not short or sentence) and self._continuation(i, quote, same_paragraph_only=True):
            return
        if self._try(_BEFORE_NAME_SAID.search(before), before_start, "{who}-said-before", quote, reasons):
            return
        if self._try(_BEFORE_ACCORDING.search(before), before_start, "according-to-{who}",
                     quote, reasons):
            return
        if not short and self._try(_BEFORE_NAME_TOLD.search(before), before_start,
                                   "{who}-told-before", quote, reasons):
            return
        if self._try(_BEFORE_QUOTED_AS.search(before), before_start, "{who}-quoted-as-saying",
                     quote, reasons):
            return
        clause = _BEFORE_CLAUSE.search(before)
        if clause is not None:
            mid_start = before_start + clause.start("mid")
            others = self.entities.at(mid_start, quote.open)
            if others or re.search(r"\b(?:he|she)\b", clause.group("mid")):
                reasons.append("another person is named between the verb and the quote")
            elif self._try(clause, before_start, "{who}-verb-clause", quote, reasons):
                return
        if reasons:  # an attribution is there, but its speaker is unknown or unclear
            quote.reason = reasons[0]
            return
        if not short and before.rstrip().endswith(":"):
            # The weakest reading: the sentence's subject introduces the quote. A subject
            # that is no known person just means the rule does not apply.
            subject = _SUBJECT.match(before)
            if subject is not None:
                between = self.entities.at(before_start + subject.end("spk"), quote.open)
                if not between and self._try(subject, before_start, "{who}-subject-colon",
                                             quote, []):
                    return
            named = _BEFORE_NAME_COLON.search(before)
            if named is not None and self._try(named, before_start, "{who}-colon", quote, []):
                return
        if not short and self._continuation(i, quote):
            return
        if self._same_sentence_continuation(i, quote):
            return
        if not short and self._lead_in(i, quote, sentence_start, before):
            return
        if short:
            if _CLAUSE_VERB_ANYWHERE.search(before):
                quote.reason = "the speaker is not named"
            else:
                quote.kind = "scare"
                quote.reason = "short phrase with no speaker or speech verb (scare quote)"
            return
        if _MOTTO_BEFORE.search(before):
            # Its motto is “Water for every home.”: a slogan, nobody's words to quiz on
            quote.kind = "scare"
            quote.reason = "a motto or slogan, not a quotation"
            return
        quote.reason = quote.reason or "no attribution found in its sentence"

    def _same_sentence_continuation(self, i: int, quote: QuoteSpan) -> bool:
        """A second piece of quotation in the sentence of an attributed one, with only plain
        words between (the Service said that storms “of this size” often “cause floods”)."""
        previous = self.quotes[i - 1] if i > 0 else None
        if previous is None or previous.speaker is None or previous.paragraph != quote.paragraph:
            return False
        between = self.text[previous.close + 1 : quote.open]
        if (len(between) > 80 or re.search(r"[.!?;:]|[“”\"]", between)
                or self.entities.at(previous.close + 1, quote.open)
                or re.search(r"\b(?:he|she|they|it|I|we)\b", between)
                or re.search(rf"\b{SPEECH}\b", between)):
            return False
        quote.speaker, quote.rule = previous.speaker, "continuation-sentence"
        return True

    def _speech_subjects(self, start: int, end: int) -> list[tuple[int, str]]:
        """(position, person id) of each named speaker of a speech verb in text[start:end]:
        "Ortiz said ...", "Ortiz, the mayor, told ...", "..., said Ortiz"."""
        text = self.text
        found = []
        for verb in re.finditer(rf"\b{SPEECH}\b", text[start:end]):
            v = start + verb.start()
            if any(s <= v < e for s, e in self.inside):
                continue
            para = self.layout.paragraphs[self.layout.paragraph_index(v)]
            s, _ = _sentence_bounds(text, para.start, para.end, v)
            before = [m for m in self.entities.at(s, v) if self._outside_quotes(m)]
            after = re.match(rf"\s+{_NAMED_SPK}", text[start + verb.end() : end])
            if after is not None:
                a = start + verb.end() + after.start("spk")
                named = [m for m in self.entities.at(a, start + verb.end() + after.end("spk"))]
                if len({m.person for m in named}) == 1:
                    found.append((v, named[0].person))
                    continue
            if before:
                subject = before[0]
                if (self.entities.people[subject.person].is_organisation and len(before) > 1
                        and not self.entities.people[before[1].person].is_organisation
                        and re.fullmatch(r"(?:\s+[A-Z][\w.]*)*\s+",
                                         text[subject.end : before[1].start])):
                    subject = before[1]  # "HPA Board Chief Dana Ortiz said": the person
                # “...,” Ortiz said Tuesday.  The quote before the subject is no lead.
                lead_start = max([s] + [q.close + 1 for q in self.quotes
                                        if s <= q.open and q.close < subject.start])
                lead = text[lead_start : subject.start]
                people_between = {m.person for m in before[1:]
                                  if not self.entities.people[m.person].is_organisation}
                if len(lead.split()) <= 6 and people_between <= {subject.person}:
                    found.append((v, subject.person))
                    continue
            pronoun = re.search(r"\b([Hh]e|[Ss]he)\s+(?:\w+ly\s+|also\s+|further\s+)?$",
                                text[s:v])
            if pronoun is not None:
                person, _, _ = self.resolve(pronoun.group(1), s + pronoun.start(1),
                                            s + pronoun.end(1))
                if person is not None:
                    found.append((v, person))
        return found

    def _colon_subject(self, para) -> str | None:
        """A paragraph whose last sentence ends with a colon introduces the quote below it:
        that sentence's subject speaks ("From the camp, she spoke to a reporter:")."""
        if not para.text.rstrip().endswith(":") or any(
                para.start <= q.open < para.end for q in self.quotes):
            return None
        s, _ = _sentence_bounds(self.text, para.start, para.end, para.end - 1)
        sentence = self.text[s:para.end]
        pronoun = re.search(r"(?:^|,\s+)([Hh]e|[Ss]he)\s+[a-z]", sentence)
        named = [m for m in self.entities.at(s, para.end)
                 if not self.entities.people[m.person].is_organisation]
        if named and len(self.text[s:named[0].start].split()) <= 4 and (
                pronoun is None or pronoun.start(1) > named[0].start - s):
            return named[0].person
        if pronoun is not None and len(sentence[: pronoun.start(1)].split()) <= 4:
            person, _, _ = self.resolve(pronoun.group(1), s + pronoun.start(1),
                                        s + pronoun.end(1))
            return person
        return None

    def _speaker_heading(self, text: str) -> str | None:
        """A line read as a heading that names a known person, then at most a role."""
        for person in self.entities.people.values():
            for name in (person.name,):
                if re.fullmatch(rf"{re.escape(name)}(?:,\s*[^,:]{{1,80}})?:?", text.strip()):
                    return person.id
        return None

    def _speaker_line(self, para, quote: QuoteSpan) -> str | None:
        """A line of its own naming the speaker above the quote: "Dana Ortiz, Mayor of
        Lyon" or "Dana Ortiz:" (a name the article knows, then at most a role)."""
        text = para.text.strip()
        if len(text.split()) > 12 or re.search(r"[.!?“”\"]", text.rstrip(":")):
            return None
        named = [m for m in self.entities.at(para.start, para.end)]
        if not named or named[0].start != para.start:
            return None
        rest = self.text[named[0].end : para.end].strip()
        if rest and not re.fullmatch(r"(?:,\s*[^,:]{1,80})?:?", rest):
            return None
        return named[0].person

    def _lead_in(self, i: int, quote: QuoteSpan, sentence_start: int, before: str) -> bool:
        """A quote that is a sentence (or a paragraph) of its own, after a sentence naming its
        speaker with a speech verb ("Ortiz says the pumps held. “They never stopped.”"): the
        speaker of the nearest such sentence, in the same paragraph or, when the quote opens
        its paragraph, the one before; never when anyone else is named in between."""
        text = self.text
        if before.strip():
            return False  # words before the quote in its own sentence: not a lead-in
        para_index = quote.paragraph
        para = self.layout.paragraphs[para_index]
        if quote.open > para.start:
            window_start = para.start
            rule = "speaker-earlier-sentence"
        elif para_index > 0:
            window_start = self.layout.paragraphs[para_index - 1].start
            rule = "speaker-previous-paragraph"
        else:
            return False
        # The quote must end its sentence with nothing after it but the paragraph's end or
        # a new sentence.
        after = text[quote.close + 1 : self.layout.paragraphs[quote.last_paragraph].end]
        if after.strip() and not re.match(r"\s+[A-Z“\"]", after):
            return False
        if quote.open == para.start:
            prev_end = self.layout.paragraphs[para_index - 1].end if para_index else 0
            heading = next((h for h in self.layout.headings if prev_end <= h.start < para.start),
                           None)
            line = (self._speaker_heading(heading.text) if heading is not None
                    else self._speaker_line(self.layout.paragraphs[para_index - 1], quote)
                    if para_index else None)
            if line is not None:
                quote.speaker, quote.rule = line, "speaker-line"
                return True
        if rule == "speaker-previous-paragraph":
            subject = self._colon_subject(self.layout.paragraphs[para_index - 1])
            if subject is not None:
                quote.speaker, quote.rule = subject, "speaker-colon-paragraph"
                return True
        subjects = self._speech_subjects(window_start, sentence_start)
        if not subjects:
            return False
        pos, person = subjects[-1]
        unnamed = self.unnamed_subject(pos + 1, quote.open)
        if unnamed is not None:
            quote.reason = f"the nearest speaker before it is unnamed ({unnamed!r})"
            return False
        if any(q.speaker not in (None, person) for q in self.quotes
               if pos < q.open < quote.open):
            return False  # someone else was quoted in between
        between = [m for m in self.entities.at(pos, quote.open)
                   if self._outside_quotes(m) and m.person != person
                   and not self.entities.people[m.person].is_organisation]
        if between:
            return False
        quote.speaker, quote.rule = person, rule
        return True

    def _continuation(self, i: int, quote: QuoteSpan, same_paragraph_only: bool = False) -> bool:
        previous = next((q for q in reversed(self.quotes[:i])
                         if q.kind in ("quote", "short")), None)
        if previous is None or previous.speaker is None:
            return False
        text = self.text
        if previous.last_paragraph == quote.paragraph:
            between = text[previous.close + 1 : quote.open]
            if _BETWEEN_CONTINUATION.match(between):
                quote.speaker, quote.rule = previous.speaker, "continuation"
                return True
            return False
        if same_paragraph_only:
            return False
        para = self.layout.paragraphs[quote.paragraph]
        _, sentence_end = _sentence_bounds(text, para.start, para.end, quote.close)
        if any(m.person != previous.speaker
               for m in self.entities.at(quote.close + 1, max(sentence_end, quote.close + 1))):
            return False  # someone else is named in the quote's own sentence
        if quote.open == para.start and previous.last_paragraph == quote.paragraph - 1:
            prev_para = self.layout.paragraphs[previous.last_paragraph]
            tail = text[previous.close + 1 : prev_para.end]
            if _BETWEEN_CONTINUATION.match(tail):
                quote.speaker, quote.rule = previous.speaker, "continuation-paragraph"
                return True
        return False


def attribute(layout: Layout, quotes: list[QuoteSpan], entities: Entities) -> list[QuoteSpan]:
    return Attributor(layout, quotes, entities).attribute()
