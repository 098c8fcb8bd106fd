"""The common ways English news reports say who spoke, each with its rule name; and
abstaining where the text does not say."""

from __future__ import annotations

from quizapp.extract.pipeline import extract

ARTICLE = """Harbour talks end

Dana Ortiz, the mayor of the port, opened the talks on Monday with her deputy Ben Okafor.

“The pumps never stopped, not even on Christmas Day,” according to Ben Okafor.

According to Ortiz, “the repairs came in under budget and ahead of time.”

Okafor's spokesman, Peter Brown, called the talks “frank and useful for everyone.”

“We will rebuild the east pier next year,” the mayor said. Mayor Dana Ortiz spoke after the vote.

Dana Ortiz, Mayor of the port

“We have the money for the pier, and we have the crews to build it.”

“Nobody expected the water to come in so fast,” she continued, “and nobody will forget it.”

The Harbour Board said the east pier was “older than anyone thought and weaker too.” “It will take two winters,” it added.

Ortiz says the crews worked through every storm of the winter.

“They never once asked to go home early, and the town will not forget that.”

Ben Okafor:

“The crews start in May, and they will not stop until the pier is done.”
"""


def _said() -> list[tuple[str, str | None, str]]:
    result = extract(ARTICLE)
    return [(q.text[:24], q.speaker, q.evidence.rule) for q in result.dataset.quotes]


def test_each_form_names_its_speaker_with_its_rule() -> None:
    assert _said() == [
        ("The pumps never stopped,", "okafor", "according-to-name"),
        ("the repairs came in unde", "ortiz", "according-to-name"),
        ("frank and useful for eve", "brown", "name-verb-clause"),
        ("We will rebuild the east", "ortiz", "title-said-after"),
        ("We have the money for th", "ortiz", "speaker-line"),
        # one quote, its attribution between its pieces: “A,” she continued, “and b.”
        ("Nobody expected the wate", "ortiz", "pronoun-said-after"),
        ("older than anyone though", "harbour-board", "name-verb-clause"),
        ("It will take two winters", "harbour-board", "pronoun-said-after"),
        ("They never once asked to", "ortiz", "speaker-previous-paragraph"),
        ("The crews start in May, ", "okafor", "speaker-line"),
    ]


def test_two_people_who_fit_a_pronoun_make_it_abstain() -> None:
    text = ("Talks\n\nDana Ortiz met Ana Lee on Monday. "
            "“We agreed on nothing at all today,” she said.\n")
    [quote] = extract(text).dataset.quotes
    assert quote.speaker is None


def test_a_quote_after_someone_else_is_named_keeps_no_speaker() -> None:
    text = ("Talks\n\nDana Ortiz said the vote would pass. Ben Okafor disagreed strongly.\n\n"
            "“It is a disaster for the whole harbour.”\n")
    [quote] = extract(text).dataset.quotes
    assert quote.speaker is None


def test_a_paragraph_ending_with_a_colon_introduces_the_quote_below() -> None:
    text = ("Pier\n\nDana Ortiz runs the port. From the quay, she spoke to the reporter "
            "Ben Okafor:\n\n“We saw the water rise faster than anyone had planned for.”\n\n"
            "The storm passed by morning. The crews stayed all night:\n\n"
            "“Nobody went home until the pumps were running again.”\n")
    said = [(q.speaker, q.evidence.rule) for q in extract(text).dataset.quotes]
    assert said == [("ortiz", "speaker-colon-paragraph"), (None, "quote-marks")]


def test_a_quote_goes_to_the_person_named_in_its_own_sentence_not_the_previous_speaker() -> None:
    before = "T\n\n“The pumps held through the night,” Dana Ortiz said.\n\n"
    cases = {
        "“We will rebuild the pier first,” Ben Okafor, the engineer, told reporters, "
        "“and the road after.”\n": ("okafor", "name-said-after"),
        "“We will rebuild the pier first and the road after.” Ben Okafor told reporters "
        "at the quay.\n": ("okafor", "name-said-next"),
        "“We were lucky, and we know it,” said the engineer, Ben Okafor.\n": (
            "okafor", "said-name-after"),
    }
    for text, expected in cases.items():
        quotes = extract(before + text).dataset.quotes
        assert (quotes[1].speaker, quotes[1].evidence.rule) == expected, text


def test_more_forms_of_news_writing_name_their_speaker() -> None:
    text = """Storm report

The mayor of the port, Ana Maria Ortiz Okafor, has stated that "the pier will be rebuilt within the year." She recognized that "the money is not there yet, and the banks are slow."

Local engineer Ben Adeyemi was quoted by the regional radio as saying: “Every pump was running by midnight.”

A Harbour Board spokesperson said the crews worked all night. “Nobody went home until the water had gone down”, the spokesperson continued.
"""
    said = [(q.text[:20], q.speaker, q.evidence.rule) for q in extract(text).dataset.quotes]
    assert said == [
        ("the pier will be reb", "okafor", "name-verb-clause"),
        ("the money is not the", "okafor", "pronoun-verb-clause"),
        ("Every pump was runni", "adeyemi", "name-quoted-as-saying"),
        ("Nobody went home unt", "harbour-board", "title-said-after"),
    ]


def test_a_spokesperson_of_no_named_organisation_keeps_no_speaker() -> None:
    text = ("Storm\n\nDana Ortiz met the crews. A spokesperson said the pumps held. "
            "“Nobody went home until the water had gone down”, the spokesperson continued.\n")
    [quote] = extract(text).dataset.quotes
    assert quote.speaker is None


def test_a_pronoun_goes_to_the_person_just_named_when_the_rival_is_far_back() -> None:
    far = ("Report\n\nBen Okafor is a professor at the port school. He called it a surprise. "
           "The crews worked all night. The pumps held. The water went down by noon. "
           "Dana Ortiz was the lead engineer. “We never stopped the pumps at all,” she said.\n")
    near = ("Report\n\nDana Ortiz spoke to Ana Lee at the quay. The crews worked all night. "
            "Ana Lee was the lead engineer. “We never stopped the pumps at all,” she said.\n")
    [quote] = extract(far).dataset.quotes
    assert (quote.speaker, quote.evidence.rule) == ("ortiz", "pronoun-said-after")
    [quote] = extract(near).dataset.quotes
    assert quote.speaker is None


def test_a_speaker_after_a_title_with_acronyms_and_a_middle_initial() -> None:
    text = """Port release

“The pumps held through the night,” said HPA Acting Director Kemi Adeyemi-Obi.

“We will not stop until the pier is done,” HPA Harbour Board Chief Ben K. Okafor said Tuesday. “The crews know it.”
"""
    said = [(q.text[:12], q.speaker, q.evidence.rule) for q in extract(text).dataset.quotes]
    assert said == [
        ("The pumps he", "adeyemi-obi", "said-name-after"),
        ("We will not ", "okafor", "name-said-after"),
        ("The crews kn", "okafor", "speaker-earlier-sentence"),
    ]


def test_two_people_in_a_title_run_keep_the_quote_unattributed() -> None:
    text = "Talks\n\n“We agreed on nothing,” said Dana Ortiz and Ben Okafor.\n"
    [quote] = extract(text).dataset.quotes
    assert quote.speaker is None
