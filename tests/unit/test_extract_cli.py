"""`quizapp extract` and `quizapp import-article` end to end, through the real CLI."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from quizapp import decks
from quizapp.cli import main
from quizapp.generate import load_dataset
from quizapp.paths import Locations
from tests.conftest import SEED_ARTICLE

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
FEATURE = ARTICLES / "feature.txt"


def test_extract_writes_a_valid_dataset(tmp_path: Path, capsys) -> None:
    out = tmp_path / "feature.toml"
    assert main(["extract", str(FEATURE), "-o", str(out)]) == 0
    ds = load_dataset(out)
    assert [p.name for p in ds.people] == ["Ivan Sorokin", "Claudia Reyes"]
    assert len(ds.encounters) == 2 and all(q.evidence for q in ds.quotes)
    assert "wrote" in capsys.readouterr().err


def test_extract_refuses_to_overwrite_without_force(tmp_path: Path, capsys) -> None:
    out = tmp_path / "mine.toml"
    out.write_text("# my notes\n", encoding="utf-8")
    assert main(["extract", str(FEATURE), "-o", str(out)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"{out}: already exists (use --force to replace it)")
    assert out.read_text(encoding="utf-8") == "# my notes\n"
    assert main(["extract", str(FEATURE), "-o", str(out), "--force"]) == 0
    assert load_dataset(out).encounters


def test_extract_prints_toml_to_stdout(capsys) -> None:
    assert main(["extract", str(ARTICLES / "wire.txt"), "--title", "Tunnel"]) == 0
    data = tomllib.loads(capsys.readouterr().out)
    assert data["article"]["title"] == "Tunnel"
    assert data["quotes"][0]["evidence"]["rule"] == "name-said-after"


def test_extract_missing_article_is_one_clear_line(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nope.txt"
    assert main(["extract", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{missing}: cannot read") and err.count("\n") == 1


def test_extract_bad_gold_names_file_and_field(tmp_path: Path, capsys) -> None:
    gold = tmp_path / "gold.toml"
    gold.write_text("format = 1\n[article]\ntitle = 'x'\nauthors = []\n", encoding="utf-8")
    assert main(["extract", str(FEATURE), "--evaluate", str(gold)]) == 2
    assert f"{gold}" in capsys.readouterr().err


@pytest.mark.skipif(not SEED_ARTICLE.is_file(), reason=f"seed article not present at {SEED_ARTICLE}")
def test_extract_evaluate_prints_the_figures(capsys) -> None:
    from quizapp import paths

    assert main(["extract", str(SEED_ARTICLE), "--evaluate", str(paths.bundled_dataset())]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("speaker precision: 100.0% (12 of 12")
    assert out[2].startswith("speaker recall:    100.0% (12 of 12")
    assert out[4] == "encounters:        6/6 with place and month/year right"


def test_import_article_adds_decks_that_load(capsys) -> None:
    assert main(["import-article", str(FEATURE), "--id", "chess"]) == 0
    out = capsys.readouterr().out
    assert "found: 2 people, 7 quotes (7 attributed)" in out
    assert "quoted titles (not quotations): 2" in out
    assert "“Reyes Day”" in out and "relative dates (skipped): 1" in out
    where = Locations.from_env()
    files = sorted(p.name for p in where.user_decks.glob("*.toml"))
    assert files == ["chess-story.toml", "chess-where-when.toml", "chess-who.toml"]
    who = decks.load_deck(where.user_decks / "chess-who.toml")
    assert who.deck.title == "Who said it: Two chess rivals and the cities where they met"
    assert who.deck.source == "“Two chess rivals and the cities where they met” (feature.txt)"
    titles = [decks.load_deck(where.user_decks / f).deck.title[:14] for f in files]
    assert len(set(titles)) == 3  # the three decks differ at a glance
    answers = {c.answer for c in who.cards if c.id.startswith("who.")}
    assert answers == {"Claudia Reyes", "Ivan Sorokin"}
    catalog = decks.discover(where)
    assert {"chess-who", "chess-where-when"} <= {e.id for e in catalog.entries}
    assert catalog.problems == []


def test_import_article_never_replaces_a_deck(capsys) -> None:
    assert main(["import-article", str(FEATURE), "--id", "chess"]) == 0
    where = Locations.from_env()
    target = where.user_decks / "chess-who.toml"
    before = target.read_bytes()
    capsys.readouterr()
    assert main(["import-article", str(FEATURE), "--id", "chess", "--title", "Other"]) == 1
    err = capsys.readouterr().err
    assert f"'chess-who' is already used by {target}" in err
    assert "pass --update to replace its cards" in err  # what a person fixing an article wants
    assert target.read_bytes() == before


def test_import_article_rejects_a_bad_id(capsys) -> None:
    assert main(["import-article", str(FEATURE), "--id", "../evil"]) == 2
    assert capsys.readouterr().err.startswith("--id: '../evil' is not a valid deck id")
    assert not Locations.from_env().user_decks.exists()


def test_import_article_default_id_from_title(capsys) -> None:
    assert main(["import-article", str(ARTICLES / "interview.txt")]) == 0
    names = sorted(p.name for p in Locations.from_env().user_decks.glob("*.toml"))
    assert "baker-long-night-who.toml" in names


def test_import_article_with_nothing_to_ask_writes_nothing(tmp_path: Path, capsys) -> None:
    article = tmp_path / "plain.txt"
    article.write_text("A quiet day\n\nNothing happened and nobody said anything.\n",
                       encoding="utf-8")
    assert main(["import-article", str(article)]) == 1
    captured = capsys.readouterr()
    assert "found: 0 people, 0 quotes (0 attributed)" in captured.out
    assert captured.err.strip() == (f"{article}: no questions could be made from this article "
                                    "(no attributed quotes, encounters or facts)")
    assert not Locations.from_env().user_decks.exists()


def test_import_article_report_shows_control_characters_as_text(tmp_path: Path, capsys) -> None:
    article = tmp_path / "esc.txt"
    article.write_text(
        'Title Of Piece\n\n"We will win \x1b[31mtoday and [bold]forever[/]," Angela Merkel said.\n\n'
        '"Sure \x07fine," a spokesman said.\n',
        encoding="utf-8",
    )
    assert main(["import-article", str(article), "--id", "esc"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "Angela Merkel: “We will win ␛[31mtoday and [bold]forever[/]”" in out
    assert "“Sure ␇fine”" in out


CORPUS = ARTICLES / "corpus"


def test_evaluate_a_corpus_prints_a_row_per_article_and_the_total(capsys) -> None:
    assert main(["extract", "--evaluate", str(CORPUS)]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = [line for line in out if line.startswith("| ") and "---" not in line]
    articles = sorted(p.stem for p in CORPUS.glob("*.txt"))
    assert len(articles) >= 20
    assert [r.split("|")[1].strip() for r in rows[1:-1]] == articles
    assert rows[-1].split("|")[1].strip() == "**total**"


def test_evaluate_one_article_against_its_gold_lists_what_was_missed(capsys) -> None:
    article = CORPUS / "wn-nz-surplus.txt"
    assert main(["extract", str(article), "--evaluate",
                 str(CORPUS / "wn-nz-surplus.gold.toml")]) == 0
    out = capsys.readouterr().out
    assert "| wn-nz-surplus" in out


def test_a_bad_gold_file_names_the_file_and_the_field(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.txt").write_text("“Hello there, friends,” Ann Lee said.\n", encoding="utf-8")
    (tmp_path / "a.gold.toml").write_text('[[quotes]]\nspeaker = 3\ntext = "Hello"\n',
                                          encoding="utf-8")
    assert main(["extract", "--evaluate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "a.gold.toml: quotes.0.speaker:" in err
    # a date written as prose was a traceback from deep in the scoring
    (tmp_path / "a.gold.toml").write_text('dates = ["2021-03", "March 14, 2021"]\n',
                                          encoding="utf-8")
    assert main(["extract", "--evaluate", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{tmp_path / 'a.gold.toml'}: dates.1: 'March 14, 2021' is no date: "
        "write 2021-03-14, 2021-03 or 2021")


def test_extract_without_an_article_or_a_corpus_is_one_clear_line(capsys) -> None:
    assert main(["extract"]) == 2
    assert "ARTICLE.txt is needed" in capsys.readouterr().err


def test_import_article_update_keeps_progress(tmp_path: Path, capsys, monkeypatch) -> None:
    """The article edited and imported again with --update: decks are replaced in place,
    the surviving cards keep their answers, and removing answered cards needs --yes."""
    import io
    import sys

    from quizapp.session import Session
    from quizapp.store import ScoreStore

    assert main(["import-article", str(FEATURE), "--id", "chess"]) == 0
    where = Locations.from_env()
    who = decks.load_deck(where.user_decks / "chess-who.toml")
    store = ScoreStore(where.scores)
    session = Session.for_deck(who, recorder=store)
    first = session.current.card.id
    session.answer(session.current.card.answer_text)
    session.finish()
    capsys.readouterr()
    assert main(["import-article", str(FEATURE), "--id", "chess", "--update"]) == 0
    out = capsys.readouterr().out
    assert "chess-who: unchanged" in out
    assert ScoreStore(where.scores).load().cards["chess-who"][first].right == 1
    # Half the article gone: cards with progress would leave, so it asks (or needs --yes).
    text = FEATURE.read_text(encoding="utf-8")
    shorter = tmp_path / FEATURE.name
    shorter.write_text(text[: len(text) // 3], encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["import-article", str(shorter), "--id", "chess", "--update"]) == 1
    captured = capsys.readouterr()
    assert f"removed: {first}" in captured.out
    assert "confirm on a terminal, or pass --yes" in captured.err
    assert decks.load_deck(where.user_decks / "chess-who.toml") == who  # untouched
    assert main(["import-article", str(shorter), "--id", "chess", "--update", "--yes"]) == 0
    after = decks.load_deck(where.user_decks / "chess-who.toml")
    assert after.card(first) is None and len(after.cards) < len(who.cards)
    records = ScoreStore(where.scores).load().cards["chess-who"]
    assert records[first].right == 1  # answers stay in the score file either way


def test_import_article_leaves_out_poor_cards_and_says_why(tmp_path: Path, capsys) -> None:
    """Two quotes that differ by one word make near-identical questions: one is left out."""
    article = tmp_path / "twice.txt"
    article.write_text(
        "Council votes on the harbour plan\n\n"
        "“We will rebuild the east pier before the winter storms arrive,” Mayor Dana Ortiz said.\n\n"
        "Later she repeated it. “We will rebuild the east pier before the winter storms arrive!” "
        "Ortiz said.\n\nCouncillor Ben Okafor voted against the plan.\n", encoding="utf-8")
    assert main(["import-article", str(article), "--id", "pier"]) == 0
    out = capsys.readouterr().out
    assert "cards left out by the quality checks:" in out
    assert "near-duplicate: asks the same as card who." in out
    deck = decks.load_deck(Locations.from_env().user_decks / "pier-who.toml")
    assert len([c for c in deck.cards if c.id.startswith("who.")]) == 1
