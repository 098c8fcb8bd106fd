"""Shapes of articles QA met on texts the rules had not seen: an unnamed speaker between a
named one and "he said", surnames with a particle, date lines, interviews laid out as
labelled lines, and a meeting of someone the article never names in full. Each test uses a
short text of its own that shows the general rule."""

from __future__ import annotations

from quizapp.extract.pipeline import extract


def _said(text: str) -> dict[str, str | None]:
    """Each quote's first words -> its speaker's name (None: left without one)."""
    result = extract(text)
    names = {p.id: p.name for p in result.dataset.people}
    return {q.text.split(",")[0][:20]: names.get(q.speaker) if q.speaker else None
            for q in result.dataset.quotes}


def test_he_said_after_an_unnamed_speaker_names_no_one() -> None:
    text = (
        "Shipyard strike ends\n\n"
        "The yard's owner, Dana Ortiz, said the new contract was fair. “We gave a lot,” "
        "she said.\n\n"
        "Not all workers agreed. A welder, who did not want her name printed, said the rise "
        "was too small. “It buys us nothing,” she said.\n\n"
        "Ortiz said the yard would reopen on Monday. Some older workers told us they would "
        "leave.\n\n"
        "“There is nothing for us here.”\n"
    )
    assert _said(text) == {"We gave a lot": "Dana Ortiz", "It buys us nothing": None,
                           "There is nothing for": None}
    # with nobody unnamed in between, the pronoun still finds her
    named = text.replace("A welder, who did not want her name printed, said", "She said")
    assert _said(named)["It buys us nothing"] == "Dana Ortiz"


def test_a_surname_with_a_lower_case_particle_is_one_person() -> None:
    text = (
        "Canal repairs begin\n\n"
        "“The bridge will close for a month,” said Ludwig van der Berg, the city engineer, "
        "at a meeting on the quay.\n\n"
        "Van der Berg said the work would cost more than planned. “Nobody likes it,” he said.\n\n"
        "“We were not even asked,” said shop owner Leila al-Amin. Al-Amin said trade would "
        "suffer. Ana de Souza, who sells bread, agreed. “It will be a hard month,” de Souza "
        "said.\n"
    )
    result = extract(text)
    people = {p.name: p.aliases for p in result.dataset.people}
    assert people == {"Ludwig van der Berg": ["van der Berg"], "Leila al-Amin": ["al-Amin"],
                      "Ana de Souza": ["de Souza"]}
    assert _said(text) == {"The bridge will clos": "Ludwig van der Berg",
                           "Nobody likes it": "Ludwig van der Berg",
                           "We were not even ask": "Leila al-Amin",
                           "It will be a hard mo": "Ana de Souza"}


def test_an_interview_on_labelled_lines_gives_each_answer_to_the_person() -> None:
    text = (
        "Q&A: a llama farmer on the dry season\n\n"
        "CUSCO, Peru — The regional council named Amaru Quispe its farming adviser in "
        "March. We asked him about the dry season.\n\n"
        "INTERVIEWER: How many animals did you lose?\n"
        "QUISPE: Nearly a third of them. The rain came late\n"
        "and the grass never grew.\n"
        "INTERVIEWER: Will you carry on?\n"
        "QUISPE: Yes. My family has kept llamas for a hundred years.\n\n"
        "Quispe said the council would pay for new wells.\n"
    )
    result = extract(text)
    quotes = [(q.text, q.speaker) for q in result.dataset.quotes]
    assert quotes == [("Nearly a third of them. The rain came late and the grass never grew.",
                       "quispe"),
                      ("Yes. My family has kept llamas for a hundred years.", "quispe")]
    assert [p.name for p in result.dataset.people] == ["Amaru Quispe"]
    # the interviewer's questions are no one's quotation: reported, never asked about
    assert [n.text for n in result.notes if n.kind == "question"] == [
        "How many animals did you lose?", "Will you carry on?"]


def _where_when(text: str) -> list[str]:
    from quizapp.generate import build_decks

    decks = build_decks(extract(text).dataset)
    return [c.question for d in decks for c in d.cards if c.id.split(".")[0] in ("where", "when")]


def test_a_meeting_with_someone_the_article_does_not_know_asks_nothing() -> None:
    text = (
        "Harbour talks\n\n"
        "Port director Dana Ortiz said on Monday that the talks would go on.\n\n"
        "Ortiz and Lindqvist met in Lyon on May 2, 2021, and failed to agree.\n"
    )
    result = extract(text)
    assert result.dataset.encounters == []
    assert [n.reason for n in result.notes if n.kind == "encounter"] == [
        "'Lindqvist' is not a person of the article"]
    # when both are people of the article, the question names both
    known = text.replace("Monday that", "Monday, with Eva Lindqvist beside her, that")
    assert _where_when(known) == ["Where did Ortiz and Lindqvist cross paths in May 2021?",
                                  "When did Ortiz and Lindqvist cross paths in Lyon, France?"]
    # one person on their own crosses paths with no one
    alone = text.replace("Ortiz and Lindqvist met in", "Ortiz visited the port in")
    assert _where_when(alone) == ["Where was Ortiz in May 2021?",
                                  "When was Ortiz in Lyon, France?"]


def _relative(text: str) -> dict[str, str]:
    result = extract(text)
    return {text[d.start:d.end]: f"{d.year}-{d.month:02d}-{d.day:02d}"
            for d in result.dates if d.rule == "relative-date"}


def test_a_date_line_above_the_headline_dates_the_story_and_the_headline_is_the_title() -> None:
    text = (
        "Monday, March 2, 2020\n\n"
        "River bursts its banks in the valley\n\n"
        "The river rose two metres on Sunday, officials said. Mayor Dana Ortiz visited the "
        "flooded quarter in Lyon yesterday. She will meet the minister on Friday.\n"
    )
    result = extract(text)
    assert result.dataset.article.title == "River bursts its banks in the valley"
    assert _relative(text) == {"Sunday": "2020-03-01", "yesterday": "2020-03-01",
                               "Friday": "2020-03-06"}
    assert _where_when(text) == ["Where was Ortiz in March 2020?", "When was Ortiz in Lyon, France?"]
    # a wire dateline dates the story too; a weekday before a written date is no relative date
    wire = ("River bursts its banks\n\n"
            "LYON, France (March 2, 2020) — The river rose on Sunday. The waters first came "
            "on Thursday, February 27, 2020.\n")
    assert _relative(wire) == {"Sunday": "2020-03-01"}
    assert [n.text for n in extract(wire).notes if n.kind == "relative-date"] == []


def test_names_with_accented_letters_are_people() -> None:
    text = (
        "Cup final\n\n"
        "“We won it in the last minute,” said José Müller, the captain. Élodie Durand, "
        "who coaches the side, was calmer. “It was hard,” Durand said. Łukasz Nowak "
        "scored the goal.\n"
    )
    result = extract(text)
    assert {p.id: p.name for p in result.dataset.people} == {
        "muller": "José Müller", "durand": "Élodie Durand", "nowak": "Łukasz Nowak"}
    assert _said(text) == {"We won it in the las": "José Müller", "It was hard": "Élodie Durand"}


def test_a_town_the_text_calls_a_town_is_a_place_of_the_country_it_names() -> None:
    text = (
        "Tuesday, May 5, 2020\n\n"
        "Landslide cuts off valley\n\n"
        "Rain caused a landslide in northern Italy on Sunday. Minister Dana Ortiz visited "
        "the mountain village of Valbruna Alta yesterday.\n"
    )
    assert _where_when(text) == ["Where was Ortiz in May 2020?",
                                 "When was Ortiz in Valbruna Alta, Italy?"]
    # with two countries named, the village's is not known: no place, no question
    two = text.replace("northern Italy", "Italy and Austria")
    assert "Valbruna Alta" not in {p.city for p in extract(two).dataset.places}


def test_an_interview_of_questions_and_answers_gives_the_answers_to_the_person_introduced() -> None:
    text = (
        "Q&A: keeping bees on a city roof\n\n"
        "Published: 3 June 2021\n\n"
        "Ines Varga keeps twelve hives on the roof of a car park in Leeds. We asked her "
        "how the bees were doing.\n\n"
        "Q: Do the bees mind the traffic?\n\n"
        "A: Not at all. They fly above it, and the lime trees on the ring road feed them "
        "all summer.\n\n"
        "Q: What is the hardest part?\n\n"
        "A: Carrying the honey down six floors of stairs.\n"
    )
    result = extract(text)
    assert [(q.text[:18], q.speaker) for q in result.dataset.quotes] == [
        ("Not at all. They f", "varga"), ("Carrying the honey", "varga")]
    assert [n.kind for n in result.notes] == ["question", "question"]
    assert result.layout.dateline.text == "Published: 3 June 2021"  # a date line, not body
    # an introduction naming two people leaves the answers without a speaker
    two = text.replace("We asked her", "Her neighbour Tom Berger helps. We asked her")
    assert [q.speaker for q in extract(two).dataset.quotes] == [None, None]


def test_an_article_quoting_with_single_marks() -> None:
    text = (
        "Library to close for repairs\n\n"
        "Librarian Dana Ortiz said the roof had leaked all winter. 'We moved the children's "
        "books twice,' she said. 'Now the teachers' union wants the whole building checked.'\n\n"
        "‘It is a shame,’ said Ben Okafor, who reads there every day.\n"
    )
    assert _said(text) == {"We moved the childre": "Dana Ortiz",
                           "Now the teachers' un": "Dana Ortiz",
                           "It is a shame": "Ben Okafor"}


def test_a_quote_said_by_an_unnamed_person_never_borrows_the_speaker_before() -> None:
    text = (
        "Bakery closes\n\n"
        "“We tried everything,” said owner Dana Ortiz. “The rent doubled,” she added.\n\n"
        "“Nobody asked the staff,” one baker said.\n\n"
        "“It was a good job,” said a longtime cleaner.\n\n"
        "“I will miss the smell of bread,” a neighbour, who buys a loaf every day, said.\n"
    )
    assert _said(text) == {"We tried everything": "Dana Ortiz", "The rent doubled": "Dana Ortiz",
                           "Nobody asked the sta": None, "It was a good job": None,
                           "I will miss the smel": None}


def test_a_town_whose_name_holds_a_given_name_is_no_person() -> None:
    text = (
        "Port wine prices rise\n\n"
        "“Our costs went up by a third,” said Ana Ribeiro, who runs a wine cellar in Vila "
        "Nova de Gaia. Her brother moved to New York City last year.\n"
    )
    result = extract(text)
    assert [p.name for p in result.dataset.people] == ["Ana Ribeiro"]


def test_a_page_stamp_with_a_time_is_a_date_line() -> None:
    body = ("\n\nBridge to close for repairs\n\n"
            "The council voted on Friday to close the bridge. Engineers said they would "
            "start work on Wednesday.\n")
    for stamp in ("March 14, 2022 10:32 AM EST", "Updated Mon 14 Mar 2022 09.12 GMT"):
        result = extract(stamp + body)
        assert result.dataset.article.title == "Bridge to close for repairs"
        assert _relative(stamp + body) == {"Friday": "2022-03-11", "Wednesday": "2022-03-16"}


def test_a_meeting_whose_subject_is_no_person_of_the_article_asks_nothing() -> None:
    text = (
        "Trade talks\n\n"
        "The trade minister, Dana Ortiz, and her counterpart spoke on Monday.\n\n"
        "Okafor met Ortiz in Lyon on March 3, 2023, for a first round.\n"
    )
    result = extract(text)
    assert result.dataset.encounters == []
    assert [n.reason for n in result.notes if n.kind == "encounter"] == [
        "'Okafor' is not a person of the article"]
    # a name written family name first is a person of the article by its family name
    korean = text.replace("her counterpart", "her counterpart, Lee Seo-yeon,").replace(
        "Okafor met", "Lee met")
    assert [e.people for e in extract(korean).dataset.encounters] == [["lee", "ortiz"]]
    # a title before a known name, and a nationality after "met", are no unknown people
    titled = text.replace("Okafor met Ortiz in Lyon", "Trade Minister Dana Ortiz met French "
                                                    "officials in Lyon")
    assert [e.people for e in extract(titled).dataset.encounters] == [["ortiz"]]


def test_a_place_word_ends_no_name_and_a_short_sentence_continues_a_quote() -> None:
    text = (
        "Lighthouse keeper retires\n\n"
        "Grace Holm has kept the light on Fair Isle for thirty years. Her nephew, "
        "a fisherman, visits each week. “She never misses a night,” said Tom Rask. "
        "“Storms included.”\n"
    )
    result = extract(text)
    assert [p.name for p in result.dataset.people] == ["Grace Holm", "Tom Rask"]
    assert _said(text) == {"She never misses a n": "Tom Rask", "Storms included.": "Tom Rask"}


def test_an_article_with_one_person_asks_no_who_said_it() -> None:
    text = (
        "Glacier scientist on the melting ice\n\n"
        "Glaciologist Dana Ortiz has measured the ice for twenty years. “This summer broke "
        "every record,” Ortiz said. “The ice lost three metres,” she added.\n"
    )
    questions = [c.question for d in _decks(text) for c in d.cards]
    assert questions and not any(q.startswith("Who said it?") for q in questions)


def _decks(text: str):
    from quizapp.generate import build_decks

    return build_decks(extract(text).dataset)


def test_a_press_release_line_is_not_the_title() -> None:
    text = ("FOR IMMEDIATE RELEASE\n\nHarbour trust opens a new pier\n\n"
            "LYON, France — The trust opened its pier on Monday.\n")
    assert extract(text).dataset.article.title == "Harbour trust opens a new pier"


def test_single_marked_quotes_beside_double_marked_ones_are_read() -> None:
    text = (
        "Island cut off\n\n"
        "“We ran out of milk on Tuesday,” said Fiona Rask, who runs the shop. 'Nobody got "
        "ill,' she added. 'The doctor's boat could not come.'\n\n"
        "Her rock 'n' roll records kept the children busy.\n"
    )
    assert _said(text) == {"We ran out of milk o": "Fiona Rask", "Nobody got ill": "Fiona Rask",
                           "The doctor's boat co": "Fiona Rask"}


def test_a_venue_is_not_what_brought_people_together() -> None:
    text = ("Obituary\n\nDana Ortiz met Ben Okafor at the Grand Palace in Lyon on March 4, 1997. "
            "They met again at the Harbour Summit in Lyon on June 2, 1998.\n")
    # "They met" names no one: only the first meeting, and no occasion from its venue
    assert [e.occasion for e in extract(text).dataset.encounters] == ["Meeting"]
    summit = text.replace("Grand Palace", "Harbour Summit")
    assert [e.occasion for e in extract(summit).dataset.encounters] == ["Harbour Summit"]
