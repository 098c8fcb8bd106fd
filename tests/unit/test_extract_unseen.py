"""Articles the rules were not written on (`tests/fixtures/articles/unseen`): what a person
importing them would see: no quote given to the wrong speaker, the speaker a reader would
name, and a plain one-line answer when an article has nothing to ask."""

from __future__ import annotations

from pathlib import Path

from quizapp import decks
from quizapp.cli import main
from quizapp.extract.pipeline import extract
from quizapp.paths import Locations

UNSEEN = Path(__file__).resolve().parent.parent / "fixtures" / "articles" / "unseen"


def _who_deck(name: str, capsys) -> dict[str, str]:
    """Import the article; its who-said-it questions and their answers."""
    assert main(["import-article", str(UNSEEN / f"{name}.txt"), "--id", "a"]) == 0
    capsys.readouterr()
    deck = decks.load_deck(Locations.from_env().user_decks / "a-who.toml")
    return {c.question: c.answer for c in deck.cards if c.id.startswith("who.")}


def test_no_quote_of_the_unseen_articles_goes_to_the_wrong_speaker(capsys) -> None:
    assert main(["extract", "--evaluate", str(UNSEEN), "--details"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if ": wrong: " in line] == []
    total = next(line for line in out if line.startswith("| **total**"))
    assert [c.strip() for c in total.split("|")[2:7]] == ["28", "23", "23", "1.00", "0.86"]


def test_a_programme_before_its_creator_is_not_the_speaker(capsys) -> None:
    # "“It really is a box,” says Penalty Box creator Amish Srivastava"
    asked = _who_deck("voa-world-cup-fever", capsys)
    assert asked == {"Who said it? “It really is a box”": "Amish Srivastava"}
    people = {p.name for p in extract((UNSEEN / "voa-world-cup-fever.txt").read_text()).dataset.people}
    assert "Penalty Box" not in people


def test_employer_role_and_name_in_both_orders() -> None:
    text = ("Harbour news\n\n“The pier will open in May,” said Harbour Radio host Dana Ortiz. "
            "“The crews are ready,” Northgate Ferries chief engineer Ben Okafor said.\n")
    quotes = extract(text).dataset.quotes
    assert [(q.text[:12], q.speaker) for q in quotes] == [("The pier wil", "ortiz"),
                                                          ("The crews ar", "okafor")]
    # the capitalised words after "said" stay a name when no role and name follow
    plain = extract("News\n\n“We are ready,” said Dana Ortiz on Monday in Lyon.\n")
    assert [q.speaker for q in plain.dataset.quotes] == ["ortiz"]


def test_a_label_in_capitals_is_the_person_with_that_surname() -> None:
    result = extract((UNSEEN / "voa-our-world-2007-09-29.txt").read_text())
    said = {q.text[:16]: q.speaker for q in result.dataset.quotes}
    people = {p.id: p.name for p in result.dataset.people}
    assert people[said["Scientists mappe"]] == "Jessica Berman"  # BERMAN:
    assert said["So we know that "] is None  # JOHNSON: no Johnson is named
    # an acronym label still names no one
    text = ("News\n\nVOA: The talks ended on Monday.\n\nVOA: Both sides will meet again.\n")
    assert [q.speaker for q in extract(text).dataset.quotes] == [None, None]


def test_a_statement_with_no_quotation_is_one_line_and_writes_nothing(capsys) -> None:
    article = UNSEEN / "wh-timor-leste-election.txt"
    assert main(["import-article", str(article)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{article}: no questions could be made from this article "
                   "(no attributed quotes, encounters or facts)"]
    assert not Locations.from_env().user_decks.exists()


def test_a_statement_speaker_line_and_a_capitals_label_before_quote_marks() -> None:
    said = {}
    for name in ("state-uruguay-election", "voa-le-britain-riots"):
        result = extract((UNSEEN / f"{name}.txt").read_text(encoding="utf-8"))
        people = {p.id: p.name for p in result.dataset.people}
        said |= {q.text[:14]: people.get(q.speaker) for q in result.dataset.quotes}
    assert said == {"We congratulat": "John Kerry", "I feel there i": "Basani Mabyalane"}
    # "Haringey’s Young People Empowered" names a group, not a person (a wrong option)
    assert {p.name for p in result.dataset.people} == {"Basani Mabyalane", "Erica Lopez"}
    # a label that is not a name, before quote marks, is still no speaker
    text = 'News\n\nThe verdict: "Nobody will be charged for the flooding this year."\n'
    assert [q.speaker for q in extract(text).dataset.quotes] == [None]
    # and the person addressed after a colon is not the speaker
    text = ("News\n\nDana Ortiz spoke first. Then the crowd turned to Ben Okafor: "
            "“Will the pier be ready by the summer?”\n")
    assert [q.speaker for q in extract(text).dataset.quotes] != ["okafor"]


def test_files_that_are_not_plain_text_are_one_line_each(tmp_path: Path, capsys) -> None:
    text = (UNSEEN / "voa-le-britain-riots.txt").read_text(encoding="utf-8")
    files = {
        "a.pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document, not plain text; "
                  "save the article as plain text (UTF-8) or as a web page"),
        "a.docx": (b"PK\x03\x04\x14\x00\x06\x00", "a zip file (such as a .docx or .odt "
                   "document), not plain text; save the article as plain text (UTF-8) or as "
                   "a web page"),
        "latin1.txt": ("Café\n\nOn dit « oui ».".encode("latin-1"),
                       "1: not UTF-8 text (bad byte 0xe9); save it as UTF-8"),
        "nul.txt": (b"Title\n\nSome\x00text", "3: not a text file (it holds NUL bytes)"),
    }
    for name, (raw, message) in files.items():
        (tmp_path / name).write_bytes(raw)
        assert main(["import-article", str(tmp_path / name)]) == 2
        sep = ":" if message[0].isdigit() else ": "
        assert capsys.readouterr().err.splitlines() == [f"{tmp_path / name}{sep}{message}"]
    assert not Locations.from_env().user_decks.exists()
    # Windows' "Unicode" (UTF-16 with its byte order mark) reads like UTF-8
    (tmp_path / "utf16.txt").write_text(text, encoding="utf-16")
    assert main(["import-article", str(tmp_path / "utf16.txt"), "--id", "u"]) == 0
    deck = decks.load_deck(Locations.from_env().user_decks / "u-who.toml")
    assert deck.cards[0].answer == "Basani Mabyalane"


def test_a_two_word_quote_is_no_fill_in_the_blank() -> None:
    from quizapp.generate import gap_word

    # "_____ devastated": utterly, totally, completely... all would be right
    assert gap_word("completely devastated") is None
    assert gap_word("no offense taken") == ("offense", "no _____ taken")


def test_a_meeting_dated_by_its_photo_caption_is_asked_where_and_when(capsys) -> None:
    # "met in Paris Monday night", the caption above: "... in Paris, Oct. 13, 2014."
    assert main(["import-article", str(UNSEEN / "voa-kerry-fabius-paris.txt"), "--id", "k"]) == 0
    capsys.readouterr()
    deck = decks.load_deck(Locations.from_env().user_decks / "k-where-when.toml")
    asked = {c.question: (c.answer, c.distractors) for c in deck.cards}
    assert asked == {
        "Where did Kerry and Fabius cross paths in October 2014?": ("Paris, France",
                                                                    ["Cairo, Egypt"]),
        "When did Kerry and Fabius cross paths in Paris, France?": ("October 2014", []),
    }  # no "Lebanon, United States" (the country is meant), no "What brought them?" "Meeting"


def test_a_name_after_a_lower_case_title_word_is_a_person() -> None:
    # "American rock singer Meat Loaf has taken ill ... He told the audience ..."
    result = extract((UNSEEN / "wn-meat-loaf-newcastle.txt").read_text(encoding="utf-8"))
    said = {q.text[:12]: q.speaker for q in result.dataset.quotes}
    assert said["the last con"] == "loaf"
    assert [p.name for p in result.dataset.people] == ["Meat Loaf"]
