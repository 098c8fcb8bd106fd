"""The extractor on the seed article, measured against the hand-made bundled dataset."""

from __future__ import annotations

import pytest

from quizapp import paths
from quizapp.extract.evaluate import evaluate
from quizapp.extract.pipeline import extract
from quizapp.generate import load_dataset
from tests.conftest import SEED_ARTICLE

pytestmark = pytest.mark.skipif(
    not SEED_ARTICLE.is_file(), reason=f"seed article not present at {SEED_ARTICLE}"
)


@pytest.fixture(scope="module")
def seed():
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    return text, extract(text, source=SEED_ARTICLE.name)


def test_seed_meets_the_targets(seed) -> None:
    _, result = seed
    score = evaluate(result.dataset, load_dataset(paths.bundled_dataset()))
    assert score.errors == []
    assert score.precision >= 0.95
    assert score.recall >= 0.90
    assert (score.encounters_found, score.gold_encounters) == (6, 6)


def test_seed_encounters_with_place_and_date(seed) -> None:
    _, result = seed
    ds = result.dataset
    assert [(ds.place(e.place).city, e.occasion, e.month, e.year) for e in ds.encounters] == [
        ("Hamburg", "Group of 20", 7, 2017),
        ("Da Nang", "APEC", 11, 2017),
        ("Helsinki", "Summit", 7, 2018),
        ("Paris", "WWI Armistice Ceremony", 11, 2018),
        ("Buenos Aires", "G-20", 11, 2018),
        ("Osaka", "G-20", 6, 2019),
    ]
    assert "G-20" in ds.encounter("hamburg-2017").occasion_aliases


def test_seed_leaves_out_scare_quotes_terms_and_friday(seed) -> None:
    _, result = seed
    left_out = {(n.kind, n.text) for n in result.notes}
    assert ("term", "genius") in left_out and ("term", "Donald") in left_out
    assert ("scare-quote", "little green men") in left_out
    assert ("relative-date", "Friday’s") in left_out
    really_bad = next(q for q in result.dataset.quotes if q.text.startswith("really bad"))
    assert really_bad.speaker is None  # "one" Russian official: not named


def test_seed_metadata(seed) -> None:
    _, result = seed
    article = result.dataset.article
    assert article.authors == ["Anna Edgerton", "Anthony Halpin"]
    assert article.photo_credit == "Reuters"
    # The first line is a photo caption (a credit line follows it), so the title is the
    # placeholder naming the two people mentioned most.
    assert article.title == "An article about Vladimir Putin and Donald Trump"


def test_seed_evidence_spans(seed) -> None:
    text, result = seed
    for q in result.dataset.quotes:
        assert text[q.evidence.start:q.evidence.end] == q.text


def test_the_evaluate_command_prints_the_figures(capsys) -> None:
    from quizapp.cli import main

    gold = paths.bundled_dataset()
    assert main(["extract", str(SEED_ARTICLE), "--evaluate", str(gold)]) == 0
    out = capsys.readouterr().out
    assert "speaker precision: 100.0% (12 of 12 attributed quotes right)" in out
    assert "abstained:         1 quote kept without a speaker" in out
    assert "encounters:        6/6 with place and month/year right" in out
