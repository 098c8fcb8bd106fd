"""The deck generator and `quizapp generate`: deterministic decks that cover the dataset,
with wrong options that are never right, and a --check that catches stale files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp import paths
from quizapp.cli import main
from quizapp.decks import load_deck
from quizapp.generate import (
    FAMILIES,
    GAP,
    build_decks,
    load_dataset,
    month_year,
    render,
)
from quizapp.models import Card, Dataset, Deck
from quizapp.text import comparable as fold

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(paths.bundled_dataset())


@pytest.fixture(scope="module")
def decks(dataset: Dataset) -> list[Deck]:
    return build_decks(dataset)


@pytest.fixture(scope="module")
def cards(decks: list[Deck]) -> dict[str, Card]:
    return {c.id: c for d in decks for c in d.cards}


def _family(card: Card) -> str:
    [family] = [t for t in card.tags if t in FAMILIES]
    return family


# --------------------------------------------------------------------------- bundled decks


def test_bundled_decks_validate_and_are_big_enough() -> None:
    files = sorted((REPO / "decks").glob("*.toml"))
    loaded = [load_deck(p) for p in files]
    assert [d.id for d in loaded] == ["the-whole-story", "where-and-when", "who-said-it"]
    assert sum(len(d.cards) for d in loaded) >= 60
    assert all(len(d.cards) >= 10 for d in loaded)


def test_check_passes_on_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--check", "--out", str(REPO / "decks")]) == 0
    assert "up to date" in capsys.readouterr().out


def test_the_default_output_is_the_bundled_decks_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--check"]) == 0
    assert str(paths.bundled_decks_dir()) in capsys.readouterr().out


# --------------------------------------------------------------------------- determinism


def test_generating_twice_gives_byte_identical_files(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert main(["generate", "--out", str(first)]) == 0
    assert main(["generate", "--out", str(second)]) == 0
    names = sorted(p.name for p in first.iterdir())
    assert names == ["the-whole-story.toml", "where-and-when.toml", "who-said-it.toml"]
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_output_does_not_depend_on_hash_randomisation(tmp_path: Path) -> None:
    """Separate processes with different string hashing still write the same bytes."""
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "quizapp", "generate", "--out", str(out)],
                       check=True, env=env, capture_output=True)
        outs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outs[0] == outs[1]
    assert len(outs[0]) == 3


# --------------------------------------------------------------------------- --check


def test_check_catches_a_hand_edited_deck_and_leaves_it_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "decks"
    assert main(["generate", "--out", str(out)]) == 0
    edited = out / "who-said-it.toml"
    text = edited.read_text(encoding="utf-8").replace("Donald Trump", "Donald Duck", 1)
    edited.write_text(text, encoding="utf-8")
    capsys.readouterr()

    assert main(["generate", "--check", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{edited}: stale" in err
    assert "where-and-when.toml" not in err
    assert edited.read_text(encoding="utf-8") == text  # --check writes nothing

    assert main(["generate", "--out", str(out)]) == 0
    assert main(["generate", "--check", "--out", str(out)]) == 0


def test_check_catches_a_missing_deck(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "decks"
    assert main(["generate", "--out", str(out)]) == 0
    (out / "where-and-when.toml").unlink()
    capsys.readouterr()
    assert main(["generate", "--check", "--out", str(out)]) == 1
    assert f"{out / 'where-and-when.toml'}: missing" in capsys.readouterr().err
    assert not (out / "where-and-when.toml").exists()


def test_check_on_an_empty_folder_names_every_deck(tmp_path: Path, capsys) -> None:
    assert main(["generate", "--check", "--out", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    for name in ("who-said-it.toml", "where-and-when.toml", "the-whole-story.toml"):
        assert f"{name}: missing" in err
    assert not (tmp_path / "none").exists()


def test_generate_never_deletes_other_files(tmp_path: Path) -> None:
    out = tmp_path / "decks"
    out.mkdir()
    mine = out / "my-own-deck.toml"
    mine.write_text("not generated\n", encoding="utf-8")
    assert main(["generate", "--out", str(out)]) == 0
    assert mine.read_text(encoding="utf-8") == "not generated\n"
    assert main(["generate", "--check", "--out", str(out)]) == 0


def test_a_bad_dataset_is_reported_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    text = paths.bundled_dataset().read_text(encoding="utf-8")
    bad.write_text(text.replace('answer = "448"', 'answr = "448"'), encoding="utf-8")
    out = tmp_path / "decks"
    assert main(["generate", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert all(line.startswith(f"{bad}:") for line in err)
    assert any(line.endswith(".answr: unknown field") for line in err)
    assert any(line.endswith(".answer: required field is missing") for line in err)
    assert not out.exists()


# --------------------------------------------------------------------------- cards


def test_every_card_has_one_family_tag_an_id_from_the_dataset_and_a_section(
    decks: list[Deck], dataset: Dataset
) -> None:
    ids = {r.id for name in ("encounters", "quotes", "facts") for r in getattr(dataset, name)}
    sections = {r.section for name in ("encounters", "quotes", "facts")
                for r in getattr(dataset, name)}
    for deck in decks:
        for card in deck.cards:
            family = _family(card)
            prefix, _, rest = card.id.partition(".")
            assert prefix == family
            assert rest in ids or family == "order"
            assert card.section in sections
            assert card.explanation
    families = {_family(c) for d in decks for c in d.cards}
    assert families == set(FAMILIES)


def test_no_distractor_is_the_answer_or_an_alias(cards: dict[str, Card]) -> None:
    for card in cards.values():
        if card.kind != "choice":
            continue
        right = {fold(a) for a in card.answers}
        assert not right & {fold(d) for d in card.distractors}, card.id
        # Three wrong options, or two when a third would be another name of the answer.
        assert len(card.distractors) in ((2, 3) if _family(card) == "occasion" else (3,)), card.id


def test_when_questions_in_november_2018_never_offer_november_2018(cards) -> None:
    for eid in ("paris-2018", "buenos-aires-2018"):
        card = cards[f"when.{eid}"]
        assert card.answer == "November 2018"
        assert "November 2018" not in card.distractors
        assert len(card.distractors) == 3  # the four other dates leave enough to choose from


def test_no_distractor_is_another_true_answer(dataset: Dataset, cards) -> None:
    for e in dataset.encounters:
        place = dataset.place(e.place)
        same_date = {month_year(o) for o in dataset.encounters
                     if o.place == e.place and o.occasion == e.occasion}
        assert not same_date & set(cards[f"when.{e.id}"].distractors)
        assert f"{place.city}, {place.country}" not in cards[f"where.{e.id}"].distractors
        # G-20 has an alias ("Group of 20"): neither may appear as wrong for a G-20 question.
        names = {fold(x) for x in (e.occasion, *e.occasion_aliases)}
        assert not names & {fold(d) for d in cards[f"occasion.{e.id}"].distractors}
    for q in dataset.quotes:
        if q.speaker is None:
            continue
        card = cards[f"who.{q.id}"]
        said_it = {o.speaker for o in dataset.quotes if fold(o.text) == fold(q.text)}
        names = {fold(n) for pid in said_it
                 for n in (dataset.person(pid).name, *dataset.person(pid).aliases)}
        assert not names & {fold(d) for d in card.distractors}


def test_distractors_are_of_the_answers_type(dataset: Dataset, cards) -> None:
    people = {p.name for p in dataset.people}
    places = {f"{p.city}, {p.country}" for p in dataset.places}
    dates = {month_year(e) for e in dataset.encounters}
    occasions = {e.occasion for e in dataset.encounters}
    for card in cards.values():
        kinds = {"who": people, "where": places, "when": dates, "occasion": occasions}
        pool = kinds.get(_family(card))
        if pool is not None:
            assert set(card.distractors) <= pool, card.id
            assert card.answer in pool


def test_every_quote_and_encounter_is_asked(dataset: Dataset, cards) -> None:
    for q in dataset.quotes:
        if q.speaker is not None:
            assert cards[f"who.{q.id}"].answer == dataset.person(q.speaker).name
    for e in dataset.encounters:
        place = dataset.place(e.place)
        assert cards[f"where.{e.id}"].answer == f"{place.city}, {place.country}"
        assert cards[f"when.{e.id}"].answer == month_year(e)
        assert cards[f"occasion.{e.id}"].answer == e.occasion
    for f in dataset.facts:
        assert cards[f"flip.{f.id}"].answer == f.answer
        if f.encounter:
            assert f"what.{f.id}" in cards


def test_complete_the_quote_gaps_one_word_of_the_real_quote(dataset: Dataset, cards) -> None:
    asked = [q for q in dataset.quotes if f"quote.{q.id}" in cards]
    assert len(asked) >= len(dataset.quotes) - 5
    # No blank where only grammar is left to go on, or the word is one anyone guesses.
    assert "quote.trump-of-course" not in cards  # “Yes, of course I will.”
    assert "quote.on-the-fly" not in cards  # “on the fly”
    for q in asked:
        card = cards[f"quote.{q.id}"]
        assert card.kind == "text"
        shown = card.question[card.question.index("“") + 1: card.question.rindex("”")]
        assert shown.count(GAP) == 1
        assert shown.replace(GAP, card.answer) == q.text
    assert cards["quote.ushakov-no-offense"].answer == "offense"
    # A gapped name accepts the person's other names.
    hell = cards["quote.trump-hell-of-a-lot"]
    assert hell.answer == "Putin" and "Vladimir Putin" in hell.accept


def test_encounters_are_put_in_order(cards) -> None:
    # Paris and Buenos Aires were both in November 2018: an order card cannot ask which
    # came first from dates it shows, so the later one is left out.
    assert cards["order.encounters"].answer == [
        "Hamburg: G-20", "Da Nang: APEC", "Helsinki: Summit",
        "Paris: WWI Armistice Ceremony", "Osaka: G-20",
    ]
    assert cards["order.occasion-g-20"].answer == ["Hamburg: G-20", "Buenos Aires: G-20", "Osaka: G-20"]
    assert all(c.kind == "order" for c in cards.values() if _family(c) == "order")


def test_what_happened_where_names_the_encounter(cards) -> None:
    card = cards["what.paris-thumbs-up"]
    assert card.answer == "Paris (WWI Armistice Ceremony, November 2018)"
    assert "thumbs-up" in card.question
    assert "Paris" not in card.question
    assert len(card.distractors) == 3


# --------------------------------------------------------------------------- small datasets


def _tiny(**changes) -> Dataset:
    data = {
        "article": {"title": "T", "authors": ["A"], "photo_credit": "P"},
        "people": [
            {"id": "ann", "name": "Ann Lee", "aliases": ["Ann"], "section": "introduction"},
            {"id": "bob", "name": "Bob Ray", "section": "introduction"},
            {"id": "cy", "name": "Cy Orr", "section": "introduction"},
        ],
        "places": [{"id": "rome", "city": "Rome", "country": "Italy", "section": "introduction"}],
        "encounters": [{"id": "rome-2020", "place": "rome", "occasion": "Summit", "month": 1,
                        "year": 2020, "summary": "They met.", "section": "introduction"}],
        "quotes": [
            {"id": "ann-same", "speaker": "ann", "text": "we agree on [bold]everything[/bold]",
             "section": "introduction"},
            {"id": "bob-same", "speaker": "bob", "text": "We agree on [bold]everything[/bold]",
             "section": "introduction"},
        ],
    }
    data.update(changes)
    return Dataset.model_validate(data)


def test_who_never_offers_someone_who_said_the_same_words() -> None:
    cards = {c.id: c for d in build_decks(_tiny()) for c in d.cards}
    assert cards["who.ann-same"].distractors == ["Cy Orr"]
    assert cards["who.bob-same"].distractors == ["Cy Orr"]


def test_with_no_wrong_options_a_choice_becomes_a_typed_question() -> None:
    cards = {c.id: c for d in build_decks(_tiny()) for c in d.cards}
    assert cards["where.rome-2020"].kind == "text"
    assert cards["where.rome-2020"].distractors == []
    assert "order.encounters" not in cards  # one encounter cannot be ordered


def test_markup_in_quotes_survives_as_plain_text(tmp_path: Path) -> None:
    files = render(_tiny())
    path = tmp_path / "who-said-it.toml"
    path.write_text(files["who-said-it.toml"], encoding="utf-8")
    deck = load_deck(path)
    assert deck.card("who.ann-same").question == "Who said it? “we agree on [bold]everything[/bold]”"


def test_generate_into_a_file_is_one_line_and_the_file_is_kept(tmp_path: Path, capsys) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("mine\n", encoding="utf-8")
    assert main(["generate", "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{out / 'who-said-it.toml'}: cannot write: {out} is not a folder"]
    assert out.read_text(encoding="utf-8") == "mine\n"


def _renamed(dataset: Dataset) -> Dataset:
    """The bundled dataset with its two main people renamed, as another article would have it."""
    people = []
    for p in dataset.people:
        if p.id == "trump":
            p = p.model_copy(update={"id": "okafor", "name": "Ngozi Okafor",
                                     "aliases": ["Okafor", "Ms. Okafor"]})
        elif p.id == "putin":
            p = p.model_copy(update={"id": "lindqvist", "name": "Per Lindqvist",
                                     "aliases": ["Lindqvist"]})
        people.append(p)
    rename = {"trump": "okafor", "putin": "lindqvist"}
    encounters = [e.model_copy(update={"people": [rename.get(x, x) for x in e.people]})
                  for e in dataset.encounters]
    quotes = [q.model_copy(update={"speaker": rename.get(q.speaker, q.speaker)})
              for q in dataset.quotes]
    return Dataset.model_validate({**dataset.model_dump(), "people": [p.model_dump() for p in people],
                                   "encounters": [e.model_dump() for e in encounters],
                                   "quotes": [q.model_dump() for q in quotes]})


def test_questions_name_the_datasets_people_not_the_seeds(dataset: Dataset) -> None:
    """An article about two other people gets questions, order cards and a tag about them."""
    decks = build_decks(_renamed(dataset))
    # Questions come from templates (explanations quote the dataset's own summaries).
    text = "\n".join(c.question for d in decks for c in d.cards
                     if not c.id.startswith(("who.", "quote.", "what.", "flip.")))
    text += "\n".join(d.deck.description for d in decks)
    assert "Trump" not in text and "Putin" not in text
    cards = {c.id: c for d in decks for c in d.cards}
    assert cards["where.helsinki-2018"].question == (
        "Where did Okafor and Lindqvist cross paths in July 2018 (Summit)?")
    assert cards["order.encounters"].question.startswith("Put Okafor and Lindqvist's encounters")
    assert {t for d in decks for t in d.deck.tags} == {"okafor-lindqvist"}


def test_encounters_without_people_get_questions_without_names(dataset: Dataset) -> None:
    bare = dataset.model_copy(update={"encounters": [
        e.model_copy(update={"people": []}) for e in dataset.encounters]})
    cards = {c.id: c for d in build_decks(bare) for c in d.cards}
    # the occasion as a label, which fits any heading's words ("Agreement signed")
    assert cards["where.osaka-2019"].question == "Where was this: G-20 (June 2019)?"
    assert cards["when.osaka-2019"].question == "When was this: G-20 (Osaka, Japan)?"
    assert cards["order.encounters"].question == "Put the encounters in order, earliest first."


def test_the_generator_names_no_one_from_any_article(dataset: Dataset) -> None:
    """generate.py holds templates only: no person, place or tag of the seed or the corpus."""
    import tomllib

    source = (REPO / "quizapp" / "generate.py").read_text(encoding="utf-8")
    names = {w for p in dataset.people for w in p.name.split()}
    names |= {p.city for p in dataset.places} | {"trump-putin"}
    corpus = REPO / "tests" / "fixtures" / "articles" / "corpus"
    for gold in corpus.glob("*.gold.toml"):
        data = tomllib.loads(gold.read_text(encoding="utf-8"))
        names |= {w for n in data["people"] for w in n.split() if len(w) > 3}
        names |= set(data["places"])
    found = sorted(n for n in names if n in source)
    assert found == []
