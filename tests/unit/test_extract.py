"""Rule-based extraction on fixture articles written for these tests: a wire story, a
feature with section headings and an interview. Each case is one a reader would check by
hand: who said it, or why the extractor kept no speaker."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from quizapp.extract.dates import find_dates, find_relative
from quizapp.extract.evaluate import evaluate, quotes_match
from quizapp.extract.layout import analyse
from quizapp.extract.pipeline import extract
from quizapp.models import Dataset

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"


def _load(name: str) -> tuple[str, object]:
    text = (ARTICLES / name).read_text(encoding="utf-8")
    return text, extract(text, source=name)


def _speakers(result) -> list[tuple[str, str | None, str]]:
    return [(q.text, q.speaker, q.evidence.rule) for q in result.dataset.quotes]


def _notes(result, kind: str) -> list[tuple[str, str]]:
    return [(n.text, n.reason) for n in result.notes if n.kind == kind]


# --------------------------------------------------------------------------- wire story


def test_wire_story_speakers_and_abstentions() -> None:
    _, result = _load("wire.txt")
    assert _speakers(result) == [
        ("We were told it would take six months, and the crews did it in under three",
         "varga", "name-said-after"),
        ("The pumps never stopped … not even on Christmas Day.", "varga", "pronoun-said-after"),
        ("comfortably inside the estimate", None, "quote-marks"),
        ("Nobody expected the water to come in so fast", None, "quote-marks"),
        ("Expect queues until Friday, then it should settle.", "lindqvist", "name-told-before"),
        ("It held on the first test", None, "quote-marks"),
        ("We will rebuild the east pier next", "varga", "title-said-after"),
    ]
    abstained = dict(_notes(result, "abstained"))
    # "he" after two men named in one sentence is ambiguous: no guess.
    assert abstained["It held on the first test"] == "'he' could be David Osei or Robert Haines"
    # "one driver" and "a spokesman" are not named.
    assert "Nobody expected the water to come in so fast" in abstained


def test_wire_story_people_metadata_and_dates() -> None:
    _, result = _load("wire.txt")
    ds = result.dataset
    # "Port Authority", "Christmas Day", "Brightline" are capitalised but not people.
    assert [(p.id, p.name) for p in ds.people] == [
        ("varga", "Helen Varga"), ("lindqvist", "Peter Lindqvist"),
        ("haines", "Robert Haines"), ("osei", "David Osei"),
    ]
    varga = ds.person("varga")
    assert varga.role == "Mayor"
    assert varga.aliases == ["Varga", "Mayor Varga"]
    assert ds.article.title == "Harbour tunnel reopens after flood repairs"
    assert ds.article.authors == ["Mira Castell", "Tom Okafor"]
    assert ds.article.photo_credit == "Northwind"
    assert [(d.day, d.month, d.year, d.rule) for d in result.dates] == [
        (3, 3, 2024, "day-month-year"), (None, 4, 2024, "month-year"),
    ]
    assert [text for text, _ in _notes(result, "relative-date")] == ["Friday"]
    assert ds.places == [] and ds.encounters == []


# --------------------------------------------------------------------------- feature


def test_feature_headings_become_encounters() -> None:
    text, result = _load("feature.txt")
    ds = result.dataset
    assert [(e.id, ds.place(e.place).city, ds.place(e.place).country, e.occasion, e.month, e.year)
            for e in ds.encounters] == [
        ("vienna-2015", "Vienna", "Austria", "Candidates Tournament", 3, 2015),
        ("lima-2017", "Lima", "Peru", "Pan-American Open", 10, 2017),
    ]
    vienna = ds.encounter("vienna-2015")
    assert vienna.summary == "Meeting in Vienna, Austria (Candidates Tournament, March 2015)"
    assert text[vienna.evidence.start:vienna.evidence.end] == (
        "Vienna, Austria: Candidates Tournament, March 2015")
    assert vienna.evidence.rule == "heading-encounter"


def test_feature_speakers_nested_and_running_quotes() -> None:
    text, result = _load("feature.txt")
    assert _speakers(result) == [
        ("I wrote down every opening he played against me", "reyes", "pronoun-said-after"),
        ("He never once repeated himself.", "reyes", "continuation"),
        ("a gift", "sorokin", "name-verb-clause"),
        ("I remember the silence after his queen sacrifice", "reyes", "name-said-after"),
        # runs over two paragraphs: no closing mark, the next paragraph opens a new one
        ("Nobody in the hall moved. Then the arbiter coughed, and we all laughed.",
         "reyes", "continuation"),
        ("A win is a win. I do not frame them.", "sorokin", "pronoun-said-before"),
        # the nested quote stays inside the outer one, and is said by the outer speaker
        ("She told me afterwards, ‘You saw ghosts on that board,’ and she was right",
         "sorokin", "name-said-after"),
    ]
    running = result.dataset.quotes[4]
    span = text[running.evidence.start:running.evidence.end]
    assert span.startswith("Nobody in the hall moved.\n\n“Then the arbiter")
    assert span.endswith("we all laughed.")
    quotes = {q.speaker for q in result.dataset.quotes}
    assert quotes == {"reyes", "sorokin"}


def test_feature_titles_are_not_quotes() -> None:
    _, result = _load("feature.txt")
    assert [t for t, _ in _notes(result, "title")] == ["The Long Endgame", "Reyes Day"]
    kept = {q.text for q in result.dataset.quotes}
    assert "The Long Endgame" not in kept and "Reyes Day" not in kept
    # Quotes take the encounter of the section they are in.
    assert [q.encounter for q in result.dataset.quotes] == [
        None, None, "vienna-2015", "vienna-2015", "vienna-2015", "vienna-2015", "lima-2017"]


# --------------------------------------------------------------------------- interview


def test_interview_shared_surname_and_split_quote() -> None:
    _, result = _load("interview.txt")
    assert _speakers(result) == [
        ("Patience, mostly. And a warm room.", "marta-lindgren", "name-said-before"),
        # "Lindgren" alone could be either sibling: abstain, do not borrow a speaker
        ("The oven is older than I am", None, "quote-marks"),
        ("When the flour mill in Uppsala closed, I thought we were finished. Then a farmer "
         "from the next valley offered his whole harvest, and I said yes before he had "
         "finished the sentence", "marta-lindgren", "name-said-after"),
        ("I said I would think about it … and I am still thinking.", "marta-lindgren",
         "name-said-after"),
        ("Ask me in ten years.", None, "quote-marks"),
    ]
    reasons = dict(_notes(result, "abstained"))
    assert reasons["The oven is older than I am"] == (
        "'Lindgren' could be Marta Lindgren or Nikolai Lindgren")
    assert reasons["Ask me in ten years."] == "no attribution found in its sentence"
    ds = result.dataset
    # the shared surname is nobody's accepted answer
    assert {p.id: p.aliases for p in ds.people} == {"marta-lindgren": [], "nikolai-lindgren": []}
    assert [t for t, _ in _notes(result, "title")] == ["the Old Lady"]
    assert [(p.city, p.country) for p in ds.places] == [("Uppsala", "Sweden")]
    assert ds.article.authors == ["Sam Whitfield"] and ds.article.photo_credit == "Field Notes"


# --------------------------------------------------------------------------- every article


@pytest.mark.parametrize("name", ["wire.txt", "feature.txt", "interview.txt"])
def test_evidence_spans_point_at_the_quote(name: str) -> None:
    text, result = _load(name)
    assert result.dataset.quotes
    for q in result.dataset.quotes:
        # a quote interrupted by its attribution (“A,” she said, “and b.”) lists its pieces
        pieces = q.evidence.pieces or [(q.evidence.start, q.evidence.end)]
        assert (pieces[0][0], pieces[-1][1]) == (q.evidence.start, q.evidence.end)
        # each span holds the quote's words exactly (paragraph breaks and the reopening
        # mark of a quote that runs on are the only extra characters)
        spans = [re.sub(r"\s*\n\s*[“\"]", " ", text[s:e]) for s, e in pieces]
        assert " … ".join(spans) == q.text
        assert all(text[s - 1] in "“\"" for s, _ in pieces)


@pytest.mark.parametrize("name", ["wire.txt", "feature.txt", "interview.txt"])
def test_extracted_dataset_round_trips_through_toml(name: str) -> None:
    from quizapp.commands.extract import dump_dataset

    _, result = _load(name)
    again = Dataset.model_validate(tomllib.loads(dump_dataset(result.dataset, Path(name))))
    assert again == result.dataset


def test_no_article_sentence_is_copied_outside_quote_text() -> None:
    text, result = _load("feature.txt")
    ds = result.dataset
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 5]
    generated = [e.summary for e in ds.encounters] + [f.statement for f in ds.facts]
    for field in generated:
        without_quotes = re.sub(r"“[^”]*”", "", field)
        assert not any(s in without_quotes for s in sentences)


# --------------------------------------------------------------------------- small rules


def test_quote_left_open_is_reported_not_guessed() -> None:
    text = "Title line\n\nOrtega said: “we will see about that\n\nThe council met later."
    result = extract(text)
    assert result.dataset.quotes == []
    assert [n.kind for n in result.notes] == ["unclosed-quote"]


def test_scare_quotes_and_attributed_short_quotes() -> None:
    text = (
        "Budget talks\n\n"
        "The “rescue plan” was announced on Monday. Senator Dana Ortiz called it “a bad joke”.\n"
    )
    result = extract(text)
    assert [(q.text, q.speaker) for q in result.dataset.quotes] == [("a bad joke", "ortiz")]
    assert _notes(result, "scare-quote") == [
        ("rescue plan", "short phrase with no speaker or speech verb (scare quote)")]
    assert [t for t, _ in _notes(result, "relative-date")] == ["Monday"]


def test_caption_before_credit_is_not_the_title() -> None:
    text = ("A photo shows the new bridge at dusk, May 2020.\nCredit: Some Agency Photo\n"
            "By Ana Ruiz\nThe bridge opened.\n")
    layout = analyse(text)
    assert layout.title is None
    assert layout.caption is not None and layout.caption.start == 0
    assert layout.photo_credit == "Some Agency" and layout.authors == ["Ana Ruiz"]
    result = extract(text, title="Bridge day")
    assert result.dataset.article.title == "Bridge day"
    assert result.dates == []  # the caption's date is not article text


def test_dates_absolute_and_relative() -> None:
    text = "On 24 July 2017 and July 25, 2018, and again in June 2019; then Friday’s vote."
    assert [(d.day, d.month, d.year, d.rule) for d in find_dates(text)] == [
        (24, 7, 2017, "day-month-year"), (25, 7, 2018, "month-day-year"),
        (None, 6, 2019, "month-year"),
    ]
    assert [r.text for r in find_relative(text)] == ["Friday’s"]


def test_in_city_needs_a_known_city() -> None:
    text = "A note\n\nShe lived in Moscow, worked in Sales and rested in Brief Lake.\n"
    assert [(p.city, p.country) for p in extract(text).dataset.places] == [("Moscow", "Russia")]


def test_quote_matching_ignores_marks_and_case() -> None:
    assert quotes_match("We’ve had a very, very good relationship.", "we've had a very very good relationship")
    assert quotes_match("no offense taken", "“no offense taken,”")
    assert not quotes_match("Yes, of course I will.", "Yes, we have it too.")


def test_evaluation_counts_a_wrong_speaker_and_an_abstention() -> None:
    _, result = _load("feature.txt")
    gold = result.dataset
    perfect = evaluate(result.dataset, gold)
    assert (perfect.precision, perfect.recall, perfect.encounters_found) == (1.0, 1.0, 2)

    quotes = [q.model_copy() for q in gold.quotes]
    quotes[0] = quotes[0].model_copy(update={"speaker": "sorokin"})  # wrong
    quotes[1] = quotes[1].model_copy(update={"speaker": None})  # abstained
    worse = evaluate(gold.model_copy(update={"quotes": quotes}), gold)
    assert worse.correct == 5 and worse.predicted_attributed == 6
    assert worse.found == 5 and worse.gold_quotes == 7
    assert worse.errors == ["“I wrote down every opening he played against me” given to "
                            "Ivan Sorokin; the gold says Claudia Reyes"]


def test_straight_marks_inside_a_curly_quote_are_nested() -> None:
    text = "Title\n\n“He said \"no\" twice and left,” Mary Jones said.\n"
    assert [(q.text, q.speaker) for q in extract(text).dataset.quotes] == [
        ('He said "no" twice and left', "jones")]


def test_the_same_encounter_under_two_headings_is_one_encounter() -> None:
    text = ("Title\n\nBerlin, Germany: Summit, May 2020\n\nThey met. “We talked for hours,” "
            "Angela Merkel said.\n\nBerlin, Germany: Summit, May 2020\n\nThey met again.\n")
    ds = extract(text).dataset
    assert [e.id for e in ds.encounters] == ["berlin-2020"]
    assert [q.encounter for q in ds.quotes] == ["berlin-2020"]


def test_lower_case_role_before_a_name_but_never_after_a_preposition() -> None:
    text = (
        "Strike talks\n\n"
        "Karen Holt and Michael Grant met at noon.\n\n"
        "\"This is a fair deal for every driver,\" union leader Karen Holt said.\n\n"
        "\"I walked four miles,\" said commuter Linda Shaw.\n\n"
        "\"We will study the detail,\" a spokeswoman for Michael Grant said.\n"
    )
    result = extract(text)
    assert [(q.text, q.speaker, q.evidence.rule) for q in result.dataset.quotes] == [
        ("This is a fair deal for every driver", "holt", "name-said-after"),
        ("I walked four miles", "shaw", "said-name-after"),
        ("We will study the detail", None, "quote-marks"),
    ]


def test_an_aside_between_name_and_verb_and_a_later_continuation() -> None:
    text = (
        "Forum notes\n\n"
        "President Claire Dumont, who hosted the forum, told delegates: \"Promises are cheap; "
        "pipelines are not.\"\n\n"
        "\"I heard the message,\" Kenji Sato said later. \"I do not accept all of it.\"\n"
    )
    assert [(q.speaker, q.evidence.rule) for q in extract(text).dataset.quotes] == [
        ("dumont", "name-told-before"), ("sato", "name-said-after"), ("sato", "continuation"),
    ]


def test_an_attribution_naming_no_person_is_an_abstention_not_a_guess() -> None:
    text = (
        "Notes\n\n"
        "\"We are ready,\" Angela Merkel said.\n\n"
        "The Kremlin said: \"Nothing has been agreed yet.\"\n\n"
        "After the talks: \"We will meet again soon.\"\n"
    )
    result = extract(text)
    assert [(q.speaker, q.evidence.rule) for q in result.dataset.quotes] == [
        ("merkel", "name-said-after"), (None, "quote-marks"), (None, "quote-marks")]
    assert [n.reason for n in result.notes if n.kind == "abstained"] == [
        "'The Kremlin' is not a person named in the article",
        "no attribution found in its sentence",
    ]


def test_dates_in_news_styles_and_numbers_only_when_unambiguous() -> None:
    def days(text: str) -> list[tuple[int, int, int | None]]:
        return [(d.year, d.month, d.day) for d in find_dates(text)]

    assert days("The pier opened on Oct. 17, 2007 and again on Sept. 3, 2008.") == [
        (2007, 10, 17), (2008, 9, 3)]
    assert days("Wednesday, April 14th, 2010, and in May of 2008") == [
        (2010, 4, 14), (2008, 5, None)]
    assert days("filed 2017-01-12; signed 25/12/2017; paid 12/25/2017") == [
        (2017, 1, 12), (2017, 12, 25), (2017, 12, 25)]
    assert days("the form dated 1/12/2017") == []  # January or December: left out


def test_a_meeting_dated_to_the_day_accepts_that_date_typed_and_no_other_day() -> None:
    """QA 16:18: the article says the two met "on May 20, 2023"; the question asks for the
    month and year, and typing the article's whole date is right too, another day is not."""
    from quizapp.generate import when_cards
    from quizapp.matching import check

    text = ("Port talks open\n\n"
            "Trade ministers Ana Lopes and Peter Grant began talks on fishing rights.\n\n"
            "Lopes and Grant met in Lisbon on May 20, 2023 to open the talks, officials said.\n\n"
            "\u201cWe are closer than we were,\u201d Lopes said after the meeting.\n")
    ds = extract(text).dataset
    [meeting] = ds.encounters
    assert (meeting.year, meeting.month, meeting.day) == (2023, 5, 20)
    assert "May 20, 2023" in meeting.summary
    [card] = when_cards(ds)
    assert card.answer == "May 2023"
    for typed in ("May 2023", "May 20, 2023", "20 May 2023", "2023-05-20", "may 20 2023"):
        assert check(typed, [card.answer, *card.accept]).correct, typed
    for typed in ("May 21, 2023", "20 May 2022", "June 2023"):
        assert not check(typed, [card.answer, *card.accept]).correct, typed
    # A day the month does not have is an article's slip: the month and year still count.
    slip = extract(text.replace("May 20, 2023", "February 29, 2023")).dataset
    [meeting_in_february] = slip.encounters
    assert (meeting_in_february.month, meeting_in_february.day) == (2, None)
    # And a hand-written dataset that says such a day is refused, naming it.
    with pytest.raises(ValueError, match="day 31 is not a day of June 2023"):
        meeting.model_validate({**meeting.model_dump(), "month": 6, "day": 31})
