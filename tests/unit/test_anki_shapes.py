"""Anki collections of shapes the sample package has not (tests/fixtures/anki/shapes.apkg,
made by Anki's own library: ``make_fixtures.py shapes``), imported as a person moving from
Anki would: every deck arrives, and each card reads as it did in Anki."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.decks import load_deck
from quizapp.interop.common import html_to_text
from quizapp.models import Card
from quizapp.store import ScoreStore

SHAPES = Path(__file__).resolve().parent.parent / "fixtures" / "anki" / "shapes.apkg"


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Card]]:
    """Every deck of the package, imported once with its scheduling: deck id -> asked id
    -> the card a session asks (plus the report printed and the score file)."""
    home = tmp_path_factory.mktemp("shapes")
    env = {"QUIZAPP_DATA_DIR": str(home / "data"), "QUIZAPP_CONFIG_DIR": str(home / "cfg"),
           "QUIZAPP_CACHE_DIR": str(home / "cache"), "QUIZAPP_SCORES": str(home / "s.toml")}
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        mp.delenv("QUIZAPP_DECKS", raising=False)
        assert main(["deck", "import", str(SHAPES), "--with-progress"]) == 0
        records = ScoreStore(home / "s.toml").load().cards
    out = {}
    for path in sorted((home / "data" / "decks").glob("*.toml")):
        deck = load_deck(path)
        out[deck.deck.id] = {asked.id: asked for card in deck.cards for asked in card.asked()}
        out[deck.deck.id]["_title"] = deck.deck.title
    out["_suspended"] = {(d, c) for d, cards in records.items() for c, r in cards.items()
                         if r.suspended}
    return out


def _side(imported, deck: str, card: str) -> tuple[str, str]:
    asked = imported[deck][card]
    return asked.question, asked.answer


def test_two_anki_names_that_make_one_id_both_arrive(imported) -> None:
    assert imported["a-b"]["_title"] == "A B"
    assert imported["a-b-2"]["_title"] == "A::B"
    assert imported["francais-ete"]["_title"] == "Français::Été"
    titles = {cards["_title"] for key, cards in imported.items() if not key.startswith("_")}
    assert "日本語" in titles and "Suspended only" in titles
    assert "Empty deck" not in titles  # no cards: no deck


def test_a_nested_cloze_is_asked_once_per_deletion(imported) -> None:
    chem = imported["science-chemistry"]
    assert _side(imported, "science-chemistry", "cz-nested.c1") == ("Nested: [...] here.",
                                                                     "outer inner part")
    assert _side(imported, "science-chemistry", "cz-nested.c2") == ("Nested: outer [...] part here.",
                                                                     "inner")
    assert chem["cz-water.c1"].question == "[...] is made of hydrogen and oxygen; [...] is its formula."
    assert chem["cz-water.c1"].answer == "Water, H2O"
    assert chem["cz-water.c2"].question == "Water is made of [element] and oxygen; H2O is its formula."
    assert chem["cz-water.c1"].explanation == "• 2 H\n• 1 O"
    assert chem["cz-table.c2"].question == "The year 1869 saw [a Russian chemist]'s table at 12:30 p.m."
    assert chem["cz-math.c2"].question == "Math: \\(x^2\\) and [$]y[/$] and a colon [b::c]"


def test_a_note_type_of_several_templates_gives_each_card_its_sides(imported) -> None:
    assert _side(imported, "languages-french", "v-chat") == ("chat", "cat\nLe chat dort.")
    assert _side(imported, "languages-french", "v-chat.t2") == ("cat (no notes)", "chat")
    assert _side(imported, "languages-french", "v-oeuf") == ("œuf\nplural /ø/",
                                                             "egg\nUn œuf, deux œufs.")
    assert _side(imported, "languages-french", "v-oeuf.t2") == ("egg", "œuf")
    assert _side(imported, "languages-french", "na-1") == ("Line1\nLine2", "Answer here\nbook")
    # {{kanji:Reading}} on the front; the reading the back shows above its answer
    assert _side(imported, "languages-japanese", "jp-1") == ("日本", "日本(にほん)\nJapan")


def test_lists_tables_and_markup_read_as_in_anki(imported) -> None:
    misc = imported["misc"]
    assert misc["b-list"].answer == "1. red\n2. green\n3. blue"
    assert misc["b-table"].answer == "a | b\nc | d"
    assert misc["b-script"].question == "Script here"
    assert misc["ty-4"].kind == "text" and misc["ty-4"].answer == "4"
    assert misc["br-hund.reverse"].question == "dog"
    physics = imported["science-physics"]["cz-html.c1"]
    assert physics.question == "Bold [...] <tag> and [bold]markup[/bold] [/]"
    assert physics.explanation == "[image: pic one.png] [sound: voice.ogg]"
    assert len(misc["b-long"].question) > 100_000


def test_suspended_cards_stay_suspended_and_buried_ones_are_kept(imported) -> None:
    assert ("suspended-only", "sus1") in imported["_suspended"]
    assert "bur1" in imported["misc"]


def test_html_to_text_keeps_cells_apart_and_list_markers() -> None:
    assert html_to_text("<table><tr><th>x</th><th>y</th></tr><tr><td>1</td><td>2</td></tr>"
                        "</table>after") == "x | y\n1 | 2\nafter"
    assert html_to_text("<ul><li>a</li><li>b<ol><li>c</li></ol></li></ul>") == "• a\n• b\n1. c"


def test_two_new_decks_with_one_id_are_refused_before_writing(tmp_path: Path, capsys) -> None:
    from quizapp.interop.update import prepare_install
    from quizapp.interop.common import InteropError
    from quizapp.models import Deck
    from quizapp.paths import Locations

    deck = Deck.model_validate({"format": 1, "deck": {"id": "same", "title": "T"},
                                "cards": [{"id": "a", "kind": "flip", "question": "q",
                                           "answer": "a"}]})
    with pytest.raises(InteropError) as caught:
        prepare_install(Locations.from_env(), [deck, deck], update=False, source="x.apkg")
    assert caught.value.problems == ["x.apkg: two of its decks would have the id 'same'; "
                                     "nothing was written"]


def test_one_deck_by_the_id_it_gets_and_again_with_update(isolated_home: Path, capsys) -> None:
    assert main(["deck", "import", str(SHAPES), "--deck", "a-b-2"]) == 0
    decks = isolated_home / "data" / "decks"
    assert sorted(p.name for p in decks.glob("*.toml")) == ["a-b-2.toml"]
    assert load_deck(decks / "a-b-2.toml").deck.title == "A::B"
    capsys.readouterr()
    assert main(["deck", "import", str(SHAPES), "--update", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "a-b-2" in out and len(list(decks.glob("*.toml"))) == 10
    assert load_deck(decks / "a-b-2.toml").cards[0].question == "a::b"  # the same deck


def test_empty_and_broken_packages_are_one_line(tmp_path: Path, isolated_home: Path,
                                                capsys) -> None:
    (tmp_path / "zero.apkg").write_bytes(b"")
    (tmp_path / "junk.apkg").write_bytes(b"not a package at all")
    cases = [([str(tmp_path / "zero.apkg")], f"{tmp_path / 'zero.apkg'}: not an Anki package "
              "(the file is empty)"),
             ([str(tmp_path / "junk.apkg")], f"{tmp_path / 'junk.apkg'}: not an Anki package "
              "(not a zip file)"),
             ([str(SHAPES), "--deck", "Empty deck"], f"{SHAPES}: no deck 'Empty deck' in this "
              "package (it has: 'A B', 'A::B', 'Français::Été', 'Languages::French', "
              "'Languages::Japanese', 'Misc', 'Science::Chemistry', 'Science::Physics', "
              "'Suspended only', '日本語')")]
    for argv, message in cases:
        assert main(["deck", "import", *argv]) == 1
        assert capsys.readouterr().err.splitlines() == [message]
    assert not (isolated_home / "data" / "decks").exists()


def test_a_deck_holding_only_sub_decks_brings_its_sub_decks(isolated_home: Path, capsys) -> None:
    assert main(["deck", "import", str(SHAPES), "--deck", "science"]) == 0
    decks = isolated_home / "data" / "decks"
    assert sorted(p.name for p in decks.glob("*.toml")) == ["science-chemistry.toml",
                                                            "science-physics.toml"]


def test_an_anki_text_export_with_two_names_of_one_id_gives_both_decks(
        tmp_path: Path, isolated_home: Path, capsys) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("#separator:tab\n#html:false\n#deck column:3\n"
                     "q1\ta1\tA B\nq2\ta2\tA::B\n", encoding="utf-8")
    assert main(["deck", "import", str(notes)]) == 0
    decks = isolated_home / "data" / "decks"
    assert {p.stem: load_deck(p).deck.title for p in decks.glob("*.toml")} == {
        "a-b": "A B", "a-b-2": "A::B"}
    assert main(["deck", "import", str(notes), "--deck", "a-b-2", "--update", "--yes"]) == 0
