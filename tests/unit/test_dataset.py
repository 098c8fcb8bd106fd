"""The hand-made dataset of the seed article: it validates, its quotes are the article's
own words, and its encounters have the right places and dates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp import paths
from quizapp.generate import DatasetError, load_dataset
from quizapp.models import Dataset
from tests.conftest import SEED_ARTICLE

HEADINGS = {
    "Hamburg, Germany: Group of 20, July 2017",
    "Da Nang, Vietnam: APEC, November 2017",
    "Helsinki, Finland: Summit, July 2018",
    "Paris, France: WWI Armistice Ceremony, November 2018",
    "Buenos Aires, Argentina: G-20, November 2018",
    "Osaka, Japan: G-20, June 2019",
}

# Quoted words in the article that are deliberately not quote records (see the comment at
# the top of the dataset): scare quotes that became facts instead.
NOT_QUOTES = {"genius", "Donald", "little green men"}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(paths.bundled_dataset())


@pytest.fixture(scope="module")
def article() -> str:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"the seed article is not here: {SEED_ARTICLE}")
    return SEED_ARTICLE.read_text(encoding="utf-8")


def _all_records(ds: Dataset):
    for name in ("people", "places", "encounters", "quotes", "facts"):
        yield from ((name, r) for r in getattr(ds, name))


def test_the_bundled_dataset_validates(dataset: Dataset) -> None:
    assert dataset.article.authors == ["Anna Edgerton", "Anthony Halpin"]
    assert dataset.article.photo_credit == "Reuters"
    assert len(dataset.encounters) == 6
    assert len(dataset.quotes) >= 12
    assert len(dataset.facts) >= 30


def test_every_quote_is_verbatim_in_the_article(dataset: Dataset, article: str) -> None:
    missing = [q.id for q in dataset.quotes if q.text not in article]
    assert missing == []


def test_every_quoted_span_with_a_named_speaker_is_a_quote(dataset: Dataset, article: str) -> None:
    """Completeness: each span the article puts in quotation marks is in some quote record
    (or is one of the documented scare quotes kept as a fact)."""
    spans = re.findall(r"“([^”]+)”|\"([^\"]+)\"", article)
    texts = [q.text for q in dataset.quotes]
    left_out = []
    for curly, straight in spans:
        span = (curly or straight).rstrip(",").strip()
        if span in NOT_QUOTES:
            continue
        if not any(span in t or t.rstrip(".") in span for t in texts):
            left_out.append(span)
    assert left_out == []
    assert len(spans) >= 17


def test_article_facts_match_the_article(dataset: Dataset, article: str) -> None:
    assert "By Anna Edgerton and Anthony Halpin" in article
    assert f"Credit: {dataset.article.photo_credit} Photo" in article
    # The article prints no headline: our title is not a line of the article.
    assert dataset.article.title not in article


def test_the_six_encounters_have_the_right_place_occasion_and_date(dataset: Dataset) -> None:
    got = {
        e.id: (dataset.place(e.place).city, dataset.place(e.place).country, e.occasion,
               e.month, e.year)
        for e in dataset.encounters
    }
    assert got == {
        "hamburg-2017": ("Hamburg", "Germany", "G-20", 7, 2017),
        "da-nang-2017": ("Da Nang", "Vietnam", "APEC", 11, 2017),
        "helsinki-2018": ("Helsinki", "Finland", "Summit", 7, 2018),
        "paris-2018": ("Paris", "France", "WWI Armistice Ceremony", 11, 2018),
        "buenos-aires-2018": ("Buenos Aires", "Argentina", "G-20", 11, 2018),
        "osaka-2019": ("Osaka", "Japan", "G-20", 6, 2019),
    }
    hamburg = dataset.encounter("hamburg-2017")
    assert "Group of 20" in hamburg.occasion_aliases
    # Each encounter comes from its own section.
    assert {e.section for e in dataset.encounters} == HEADINGS


def test_every_record_names_a_real_section(dataset: Dataset) -> None:
    sections = {r.section for _, r in _all_records(dataset)}
    assert sections <= HEADINGS | {"introduction"}
    # Every section contributes facts.
    assert {f.section for f in dataset.facts} == HEADINGS | {"introduction"}


def test_headings_are_the_article_headings(article: str) -> None:
    assert HEADINGS <= set(article.splitlines())


def test_speakers_and_aliases(dataset: Dataset) -> None:
    speakers = {q.id: q.speaker for q in dataset.quotes}
    assert speakers["mccain-abased"] == "mccain"
    assert speakers["ushakov-no-offense"] == "ushakov"
    assert speakers["trump-hell-of-a-lot"] == "trump"
    assert speakers["putin-have-it-too"] == "putin"
    assert speakers["really-bad"] is None  # an unnamed official
    putin = dataset.person("putin")
    assert {"Putin", "Vladimir Putin", "Russian President Vladimir Putin"} <= set(putin.aliases)
    # The pensioner answer is quoted in two pieces around "he said": two verbatim quotes.
    alaska = [q for q in dataset.quotes if q.id.startswith("putin-") and "Alaska" in q.context]
    assert [q.text for q in alaska] == [
        "Why would you need Alaska?",
        "It’s cold out there as well. Let's not get worked up about it.",
    ]


def test_key_facts_are_there(dataset: Dataset) -> None:
    answers = {f.id: f.answer for f in dataset.facts}
    assert answers["mueller-report-pages"] == "448"
    assert answers["da-nang-cancelled-by"] == "Donald Trump"
    assert answers["hamburg-interpreter"] == "The Kremlin's Russian interpreter"
    assert answers["alaska-venue"] == "Alaska"
    assert answers["paris-thumbs-up"] == "A brief thumbs-up"
    assert dataset.facts[0].section == "introduction"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dataset.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_misspelt_key_names_the_file_line_and_field(tmp_path: Path) -> None:
    text = paths.bundled_dataset().read_text(encoding="utf-8")
    text = text.replace('role = "President of Russia"', 'rol = "President of Russia"')
    path = _write(tmp_path, text)
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    line = text.splitlines().index('rol = "President of Russia"') + 1
    assert info.value.problems == [f"{path}:{line}: people[1].rol: unknown field"]


def test_a_broken_reference_names_the_record_and_field(tmp_path: Path) -> None:
    text = paths.bundled_dataset().read_text(encoding="utf-8")
    text = text.replace('place = "osaka"', 'place = "tokyo"')
    path = _write(tmp_path, text)
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    [problem] = info.value.problems
    assert problem.startswith(f"{path}:")
    assert problem.endswith(": encounters[5].place: unknown place 'tokyo'")


def test_a_bad_month_and_a_missing_table_are_named(tmp_path: Path) -> None:
    with pytest.raises(DatasetError) as info:
        load_dataset(_write(tmp_path, "format = 1\n"))
    assert info.value.problems == [f"{tmp_path / 'dataset.toml'}: article: required field is missing"]
    text = paths.bundled_dataset().read_text(encoding="utf-8").replace("month = 6", "month = 13")
    with pytest.raises(DatasetError) as info:
        load_dataset(_write(tmp_path, text))
    [problem] = info.value.problems
    assert "encounters[5].month" in problem and "12" in problem


def test_unreadable_and_invalid_toml_are_one_line_each(tmp_path: Path) -> None:
    with pytest.raises(DatasetError) as info:
        load_dataset(tmp_path / "nope.toml")
    assert info.value.problems[0].startswith(f"{tmp_path / 'nope.toml'}: cannot read")
    with pytest.raises(DatasetError) as info:
        load_dataset(_write(tmp_path, "[article\n"))
    assert info.value.problems[0].startswith(f"{tmp_path / 'dataset.toml'}:1: not valid TOML")
