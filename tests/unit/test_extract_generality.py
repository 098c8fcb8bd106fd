"""The extraction rules are written for the language, not for the articles we measure them on:
no rule file names a person, organisation or place of the seed or of the corpus, or repeats
a phrase of their quotes."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from quizapp import paths
from quizapp.generate import load_dataset

REPO = Path(__file__).resolve().parents[2]
RULES = sorted((REPO / "quizapp" / "extract").glob("*.py"))
CORPUS = REPO / "tests" / "fixtures" / "articles" / "corpus"
HELDOUT = REPO / "tests" / "fixtures" / "articles" / "heldout"
UNSEEN = REPO / "tests" / "fixtures" / "articles" / "unseen"


def _fixture_terms() -> tuple[set[str], set[str]]:
    """(names and places, quote phrases of six words) from the seed dataset and every gold file."""
    names: set[str] = set()
    quotes: list[str] = []
    seed = load_dataset(paths.bundled_dataset())
    for p in seed.people:
        names |= {p.name, p.name.split()[-1]}
    names |= {p.city for p in seed.places}
    quotes += [q.text for q in seed.quotes]
    for gold in [*CORPUS.glob("*.gold.toml"), *HELDOUT.glob("*.gold.toml"),
                 *UNSEEN.glob("*.gold.toml")]:
        data = tomllib.loads(gold.read_text(encoding="utf-8"))
        for name in data["people"]:
            names.add(name)
            if len(name.split()) in (2, 3) and not re.search(r"\b(?:House|Council|Service|"
                                                             r"Church|Union)\b", name):
                names.add(name.split()[-1])  # a person's surname
        names |= set(data["places"])
        quotes += [q["text"] for q in data["quotes"]]
    phrases = set()
    for text in quotes:
        words = re.findall(r"[\w’']+", text)
        phrases |= {" ".join(words[i:i + 6]) for i in range(len(words) - 5)}
    return names, phrases


def test_there_is_a_corpus_to_check_against() -> None:
    assert len(list(CORPUS.glob("*.gold.toml"))) >= 20


def test_no_rule_file_names_a_fixture_person_or_place_or_quotes_a_fixture() -> None:
    names, phrases = _fixture_terms()
    found = []
    for rule_file in RULES:
        source = rule_file.read_text(encoding="utf-8")
        words = " ".join(re.findall(r"[\w’']+", source))
        found += [f"{rule_file.name}: {n}" for n in names
                  if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", source)]
        found += [f"{rule_file.name}: “{p}”" for p in phrases if p in words]
    assert found == []
