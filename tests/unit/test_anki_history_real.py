"""A person who studies in Anki and in quizapp side by side, with packages made by Anki's
own library: ``deck import --with-progress``, answers in quizapp, more reviews in Anki
(some made before those answers), ``deck import --update --with-progress`` again: every
Anki review and quizapp answer counts once in what ``stats`` and ``due`` show."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

anki_collection = pytest.importorskip(
    "anki.collection", reason="Anki's library is not installed (pip install -e '.[test]')")

from quizapp.cli import main  # noqa: E402
from quizapp.decks import load_deck  # noqa: E402
from quizapp.session import Session  # noqa: E402
from quizapp.store import ScoreStore  # noqa: E402

NOW = datetime.now(UTC).replace(microsecond=0)


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


class Anki:
    """A collection made with Anki's library: two Basic notes in deck "Side"."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "collection.anki2"
        col = anki_collection.Collection(str(self.path))
        try:
            for guid, front, back in (("side-a", "Capital of Peru?", "Lima"),
                                      ("side-b", "Capital of Chile?", "Santiago")):
                note = col.new_note(col.models.by_name("Basic"))
                note["Front"], note["Back"] = front, back
                note.guid = guid
                col.add_note(note, col.decks.id("Side"))
            self.cards = {col.get_note(col.get_card(c).nid).guid: c for c in col.find_cards("")}
        finally:
            col.close()

    def review(self, guid: str, at: datetime, ease: int) -> None:
        """A review in Anki's log at ``at`` (Again 1 .. Easy 4), as Anki writes the row."""
        col = anki_collection.Collection(str(self.path))
        try:
            col.db.execute(
                "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
                "values (?, ?, -1, ?, 1, 0, 2500, 6000, 1)", _ms(at), self.cards[guid], ease)
        finally:
            col.close()

    def export(self, out: Path) -> str:
        col = anki_collection.Collection(str(self.path))
        try:
            col.export_anki_package(out_path=str(out), limit=None,
                                    options=anki_collection.ExportAnkiPackageOptions(
                                        with_scheduling=True, with_media=False, legacy=False))
        finally:
            col.close()
        return str(out)


def _quizapp_answers(data: Path, ratings: dict[str, int], at: datetime) -> None:
    """Answer the deck's cards in quizapp at ``at`` (a flip card's grade buttons)."""
    deck = load_deck(data / "decks" / "side.toml")
    session = Session.for_deck(deck, recorder=ScoreStore(data / "scores.toml"), now=lambda: at)
    while session.current is not None:
        session.grade(ratings[session.current.card.id])
        session.advance()
    session.finish()


def _import(package: str, *options: str) -> int:
    return main(["deck", "import", package, "--with-progress", *options])


def test_anki_and_quizapp_side_by_side_count_every_review_once(tmp_path: Path,
                                                               isolated_home: Path,
                                                               capsys) -> None:
    data = isolated_home / "data"
    anki = Anki(tmp_path)
    anki.review("side-a", NOW - timedelta(days=10), 3)
    anki.review("side-a", NOW - timedelta(days=9), 3)
    assert _import(anki.export(tmp_path / "1.apkg")) == 0
    assert "review history: 2 answer(s) of 1 card(s)" in capsys.readouterr().out

    # In quizapp, two hours ago: Peru right, Chile wrong (Again).
    _quizapp_answers(data, {"side-a": 3, "side-b": 1}, NOW - timedelta(hours=2))
    peru_after_quizapp = ScoreStore(data / "scores.toml").record("side", "side-a")
    # In Anki: Peru missed this morning (before the quizapp answer), right an hour ago;
    # Chile right three days ago. Exported only now.
    anki.review("side-a", NOW - timedelta(hours=5), 1)
    anki.review("side-a", NOW - timedelta(hours=1), 3)
    anki.review("side-b", NOW - timedelta(days=3), 3)
    package = anki.export(tmp_path / "2.apkg")
    assert _import(package, "--update") == 0
    assert "review history: 3 answer(s) of 2 card(s)" in capsys.readouterr().out
    assert _import(package, "--update") == 0  # the same package again
    assert "review history: 0 answer(s)" in capsys.readouterr().out

    scores = ScoreStore(data / "scores.toml")
    peru, chile = scores.record("side", "side-a"), scores.record("side", "side-b")
    # Peru: 2 old Anki reviews, the quizapp answer, this morning's miss, the latest review.
    assert (peru.seen, peru.right, peru.wrong) == (5, 4, 1)
    assert peru.first_answered == NOW - timedelta(days=10)
    assert peru.last_answered == NOW - timedelta(hours=1)
    # Its memory state: the latest review's, on top of quizapp's answer.
    assert peru.fsrs.last_review == NOW - timedelta(hours=1)
    assert peru.fsrs.due > peru_after_quizapp.fsrs.due > NOW
    # Chile: its Anki review is older than quizapp's Again, which stays its latest answer.
    assert (chile.seen, chile.right, chile.wrong) == (2, 1, 1)
    assert chile.first_answered == NOW - timedelta(days=3)
    assert chile.last_result == "wrong" and chile.fsrs.due < NOW  # due again now

    capsys.readouterr()
    assert main(["due", "--json"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert [d["due"] for d in due["decks"] if d["id"] == "side"] == [1]  # Chile
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    flip = next(f for f in stats["families"] if f["family"] == "flip")
    assert (flip["answers"], flip["right"], flip["wrong"]) == (7, 5, 2)
    assert {m["card"]: (m["right"], m["wrong"]) for m in stats["most_missed"]} == {
        "side-a": (4, 1), "side-b": (1, 1)}
    side = next(d for d in stats["decks"] if d["id"] == "side")
    assert side["last_played"] == (NOW - timedelta(hours=1)).isoformat()
