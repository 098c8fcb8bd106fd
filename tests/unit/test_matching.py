"""The typed-answer matcher: what a person types, and whether it counts."""

from __future__ import annotations

import pytest

from quizapp.matching import allowed_typos, check, normalize

PEOPLE = ["Donald Trump", "Vladimir Putin", "John McCain", "Yuri Ushakov", "John Bolton"]
CITIES = ["Hamburg", "Da Nang", "Helsinki", "Paris", "Buenos Aires", "Osaka"]

ACCEPTED = [
    # (typed, answers, rivals)
    ("putin", ["Vladimir Putin", "Putin"], PEOPLE),
    ("  PUTIN  ", ["Vladimir Putin", "Putin"], PEOPLE),
    ("vladimir putin.", ["Vladimir Putin"], PEOPLE),
    ("Hamburg, Germany", ["Hamburg, Germany"], []),
    ("hamburg germany", ["Hamburg, Germany"], []),
    ("Hambrug", ["Hamburg"], CITIES),  # swapped letters
    ("Helsinky", ["Helsinki"], CITIES),
    ("Zelenskyy", ["Volodymyr Zelenskiy", "Zelenskiy"], PEOPLE),
    ("Ushakov", ["Yuri Ushakov", "Ushakov"], PEOPLE),
    ("Élbphilharmonie", ["Elbphilharmonie"], []),  # accents ignored
    ("da nang", ["Đà Nẵng"], []),
    ("the Kremlin", ["Kremlin"], []),
    ("July 2017", ["July 2017"], []),
    ("july, 2017", ["July 2017"], []),
    ("G20", ["G-20"], []),
    ("buenos-aires", ["Buenos Aires"], CITIES),
    ("[/]", ["[/]"], []),  # an answer that is all punctuation is matched as typed
    (" ?! ", ["?!"], []),
]

REJECTED = [
    ("Trump", ["Vladimir Putin", "Putin"], PEOPLE),  # a different real answer
    ("Donald Trump", ["Vladimir Putin", "Putin"], PEOPLE),
    ("Paris", ["Osaka"], CITIES),
    ("Osaka", ["Paris"], CITIES),
    ("July 2018", ["July 2017"], []),  # digits must match exactly
    ("2018", ["2017"], []),
    ("448", ["449"], []),
    ("", ["Putin"], PEOPLE),
    ("   ", ["Putin"], PEOPLE),
    ("Bolton", ["Ushakov"], PEOPLE),
    ("Hamburgers", ["Hamburg"], CITIES),  # too far for a 7-letter answer
    ("Pu", ["Putin"], PEOPLE),
    ("ok", ["no"], []),  # short answers take no typos
    ("[", ["[/]"], []),
    ("published", ["punished"], []),  # a different real word, not a typo
    ("Iran", ["Iraq"], []),
    ("x", ["[/]"], []),
    ("[/]", ["Putin"], PEOPLE),
]


@pytest.mark.parametrize(("typed", "answers", "rivals"), ACCEPTED)
def test_accepted(typed: str, answers: list[str], rivals: list[str]) -> None:
    assert check(typed, answers, rivals).correct, typed


@pytest.mark.parametrize(("typed", "answers", "rivals"), REJECTED)
def test_rejected(typed: str, answers: list[str], rivals: list[str]) -> None:
    assert not check(typed, answers, rivals).correct, typed


def test_typo_accepted_is_flagged_as_not_exact() -> None:
    result = check("Helsinky", ["Helsinki"])
    assert result.correct and not result.exact and result.matched == "Helsinki"
    assert check("helsinki", ["Helsinki"]).exact


def test_rival_closer_than_answer_wins() -> None:
    # "Hamberg" is one edit from the rival "Hamberg" itself: an exact rival is never right.
    assert not check("Hamberg", ["Hamburg"], ["Hamberg"]).correct


def test_typo_allowance_grows_with_length() -> None:
    assert [allowed_typos(normalize(w)) for w in ("Ike", "Putin", "Helsinki", "Elbphilharmonie")] == [0, 1, 1, 2]


def test_normalize() -> None:
    assert normalize("  The  Élysée,  Palace! ") == "elysee palace"
