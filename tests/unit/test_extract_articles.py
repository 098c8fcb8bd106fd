"""Shapes of unseen articles that gave broken cards (QA, session 5): a heading written
right above its paragraph, a quote split around its attribution, encounter questions for
any occasion, names written family name first and organisations that speak. Each test
uses a short text of its own, written for the test, and asserts the cards a person gets."""

from __future__ import annotations

import textwrap

from quizapp.extract.pipeline import extract
from quizapp.generate import build_decks


def _cards(text: str) -> dict[str, tuple[str, object]]:
    """card id -> (question, answer) of every deck made from the article."""
    decks = build_decks(extract(text).dataset)
    return {c.id: (c.question, c.answer) for d in decks for c in d.cards}


def _who(text: str) -> dict[str, str]:
    """The "Who said it?" cards: quote (as the question shows it) -> the answer."""
    return {q.split("“", 1)[1].rsplit("”", 1)[0]: a
            for cid, (q, a) in _cards(text).items() if cid.startswith("who.")}


TIMELINE = (
    "A timeline of the river treaty talks\n\n"
    "GENEVA — Water ministers Lena Brandt of Austria and Tomas Novak of Slovakia have met "
    "twice since the quarrel over the dam began.\n\n"
    "Vienna, Austria: Opening round, April 2019\n"
    "Brandt and Novak met in Vienna on April 2, 2019. \"We listened more than we spoke,\" "
    "Novak told reporters.\n\n"
    "Bratislava, Slovakia: Second round, October 2020\n"
    "The ministers met again in Bratislava on October 14, 2020. \"The river does not care "
    "about borders,\" Brandt said.\n"
)


def test_a_heading_right_above_its_paragraph_is_a_heading_not_a_speaker() -> None:
    layouts = {
        "blank lines between blocks": TIMELINE,
        "no blank lines at all": TIMELINE.replace("\n\n", "\n"),
        "hard-wrapped at 60": "\n".join(textwrap.fill(line, 60) for line in TIMELINE.split("\n")),
        "blank line after the headings": TIMELINE.replace("2019\n", "2019\n\n")
        .replace("2020\n", "2020\n\n"),
    }
    for layout, text in layouts.items():
        # the towns of the headings are nobody's words: only the ministers are quoted
        assert _who(text) == {"We listened more than we spoke": "Tomas Novak",
                              "The river does not care about borders": "Lena Brandt"}, layout
        cards = _cards(text)
        where = {a for cid, (_, a) in cards.items() if cid.startswith("where.")}
        assert where == {"Vienna, Austria", "Bratislava, Slovakia"}, layout
        assert cards["order.encounters"][1] == ["Vienna: Opening round",
                                               "Bratislava: Second round"], layout


def test_a_wrapped_line_breaking_before_a_name_is_no_heading() -> None:
    first = "Water ministers Lena Brandt and the Slovak envoy"
    text = textwrap.fill(
        f"{first} Tomas Novak met in Vienna on April 2, 2019 for talks. \"We listened more "
        "than we spoke,\" Novak told reporters afterwards.", len(first))
    assert text.split("\n")[1].startswith("Tomas")  # the break falls before a name
    result = extract("River talks\n\n" + text + "\n")
    assert result.layout.headings == []
    assert _who("River talks\n\n" + text + "\n") == {
        "We listened more than we spoke": "Tomas Novak"}


def test_a_caption_or_a_letterhead_is_no_heading_above_a_paragraph() -> None:
    for block in ("The Harbour Office\nDepartment of Ports\nFor Immediate Release",
                  "Cranes at the quay\nNew cranes at the quay before the opening.\n"
                  "Image: Harbour Office."):
        text = f"New cranes for the port\n\n{block}\n\nThe port opened two cranes.\n"
        assert extract(text).layout.headings == [], block


def test_a_paragraph_opening_with_town_and_country_is_no_interview_turn() -> None:
    text = (
        "River talks\n\n"
        "Vienna, Austria: Water ministers Lena Brandt and Tomas Novak met on April 2, 2019. "
        "\"We listened more than we spoke,\" Novak told reporters.\n\n"
        "Bratislava, Slovakia: The ministers met again on October 14, 2020. \"The river does "
        "not care about borders,\" Brandt said.\n"
    )
    assert _who(text) == {"We listened more than we spoke": "Tomas Novak",
                          "The river does not care about borders": "Lena Brandt"}


LIBRARY = (
    "Library to open on Sundays\n\n"
    "The city librarian, Rosa Mendes, said on Monday that the central library would open on "
    "Sundays from May.\n\n"
    "“We listened to the readers,” Mendes said, “and the readers want more hours.”\n\n"
    "Councillor Paul Hart was doubtful. “It will cost money we do not have,” he said. "
    "“Someone has to pay for it.”\n\n"
    "“It is not a luxury,” Mendes insisted, “it is a public service.”\n\n"
    "“The roof leaks,” one reader said, “and nobody fixes it.”\n"
)


def test_a_quote_split_around_its_attribution_is_one_card_not_a_fragment() -> None:
    assert _who(LIBRARY) == {
        "We listened to the readers … and the readers want more hours.": "Rosa Mendes",
        "It will cost money we do not have": "Paul Hart",
        "Someone has to pay for it.": "Paul Hart",
        "It is not a luxury … it is a public service.": "Rosa Mendes",
    }
    shown = [q.split("“", 1)[1] for q, _ in _cards(LIBRARY).values() if "“" in q]
    assert shown and not [q for q in shown if q[0].islower()]  # no card opens mid-sentence
    # the unnamed reader's words are one quote too, with no speaker to ask about
    quote = [q for q, _ in _cards(LIBRARY).values() if "roof" in q]
    assert len(quote) == 1
    assert quote[0].startswith("Complete the quote. Unnamed speaker: “The roof leaks … and ")


def test_a_split_quote_in_british_punctuation_is_one_card() -> None:
    text = LIBRARY.replace("readers,” Mendes said,", "readers”, Mendes said,")
    assert "We listened to the readers … and the readers want more hours." in _who(text)


def test_a_heading_encounter_told_again_in_a_sentence_names_who_met() -> None:
    cards = _cards(TIMELINE)
    # "Brandt and Novak met in Vienna on April 2, 2019" under the Vienna heading
    assert cards["where.vienna-2019"] == (
        "Where did Brandt and Novak cross paths in April 2019 (Opening round)?",
        "Vienna, Austria")
    assert cards["occasion.vienna-2019"][0] == (
        "What brought Brandt and Novak to Vienna, Austria in April 2019?")


def test_a_name_written_family_name_first_is_linked_by_its_family_name() -> None:
    text = (
        "Ministers agree on fishing rules\n\n"
        "SEOUL — South Korea's fisheries minister, Park Ji-ho, met his Japanese counterpart, "
        "Kenji Sato, in Busan on May 2, 2024.\n\n"
        "\"We found more common ground than we expected,\" Park said after the talks. "
        "\"The sea belongs to nobody,\" Sato said.\n\n"
        "Trade envoy Kim Walsh joined them later. \"Fish do not read treaties,\" Walsh said.\n"
    )
    assert _who(text) == {"We found more common ground than we expected": "Park Ji-ho",
                          "The sea belongs to nobody": "Kenji Sato",
                          "Fish do not read treaties": "Kim Walsh"}
    assert _cards(text)["where.busan-2024"] == (
        "Where did Park Ji-ho and Sato cross paths in May 2024?", "Busan, South Korea")


def test_an_organisation_named_after_its_kind_speaks_and_is_referred_to_by_it() -> None:
    text = (
        "Bus strike called off\n\n"
        "\"This deal is a win for every driver,\" the union Roadlink said on Friday.\n\n"
        "The Ministry of Transport welcomed the deal. \"Buses run again on Monday,\" the "
        "ministry said.\n\n"
        "Depot manager Dana Ortiz, who runs the company Ortiz founded with her father, was "
        "relieved. \"We lost a week,\" Ortiz said. \"Nobody wins a strike,\" the union said.\n\n"
        "\"Fares will not rise this year,\" the company said. Driver Ben Okafor agreed. "
        "\"We can live with it,\" Okafor said.\n"
    )
    assert _who(text) == {
        "We can live with it": "Ben Okafor",
        "This deal is a win for every driver": "Roadlink",
        "Buses run again on Monday": "Ministry of Transport",
        "We lost a week": "Dana Ortiz",
        "Nobody wins a strike": "Roadlink",
    }  # "the company" names no company of the article: no speaker, no who-card


def test_an_encounter_nobody_is_named_at_asks_in_words_that_fit_any_occasion() -> None:
    text = TIMELINE + (
        "\nPrague, Czechia: Treaty signed, March 2022\n"
        "The ministers signed the treaty in Prague on March 9, 2022.\n")
    cards = _cards(text)
    assert cards["where.prague-2022"] == ("Where was this: Treaty signed (March 2022)?",
                                          "Prague, Czechia")
    assert cards["when.prague-2022"][0] == "When was this: Treaty signed (Prague, Czechia)?"


def test_he_said_after_someone_new_and_unnamed_names_no_one() -> None:
    text = (
        "Rail deal signed\n\n"
        "Transport minister Ben Okafor signed the rail deal on Monday. \"This is the easy "
        "part,\" Okafor said.\n\n"
        "A construction worker at the ceremony was less sure. \"We have heard promises "
        "before,\" he said.\n\n"
        "Driver Dana Ortiz agreed with the minister. \"It will work,\" she said.\n"
    )
    assert _who(text) == {"This is the easy part": "Ben Okafor", "It will work": "Dana Ortiz"}
    named = text.replace("A construction worker at the ceremony", "Okafor")
    assert _who(named)["We have heard promises before"] == "Ben Okafor"


def test_a_motto_is_no_quotation_to_complete() -> None:
    text = (
        "Water plant opens\n\n"
        "The Greenvale Water Trust opened its plant on Monday. Its motto is \"Clean water "
        "for every home.\" Director Ben Okafor was pleased. \"It runs on sunlight,\" Okafor "
        "said.\n"
    )
    quoted = [q for q, _ in _cards(text).values() if "“" in q]
    assert quoted and not [q for q in quoted if "every home" in q or "every _____" in q]


def test_a_person_the_article_calls_by_the_first_word_of_their_name() -> None:
    text = (
        "Talks in Beijing\n\n"
        "Chinese President Xi Jinping met Dana Ortiz in Beijing on May 3, 2024. \"We are old "
        "friends,\" Xi said. \"Friends can disagree,\" Ortiz said.\n"
    )
    assert _who(text) == {"We are old friends": "Xi Jinping",
                          "Friends can disagree": "Dana Ortiz"}
    assert _cards(text)["where.beijing-2024"][0] == (
        "Where did Xi Jinping and Ortiz cross paths in May 2024?")
    # two people whose names start with that word: it names neither
    two = text.replace("Dana Ortiz", "Xi Mingyu").replace("Ortiz said", "Mingyu said")
    assert "We are old friends" not in _who(two)
