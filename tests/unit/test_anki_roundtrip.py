"""Anki -> quizapp -> Anki, judged by Anki's own library: a collection is built with it,
exported as a package, imported with ``quizapp deck import``, exported again with
``quizapp deck export`` and imported into (a copy of) the same collection. Anki must
update its notes in place (no copies beside them, its note types unchanged), keep their
fields as they were unless a card was edited in quizapp, and find the pictures and sounds
in its media folder."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

anki_collection = pytest.importorskip(
    "anki.collection", reason="Anki's library is not installed (pip install -e '.[test]')")

from quizapp.cli import main  # noqa: E402
from quizapp.decks import load_deck, parse_deck  # noqa: E402
from quizapp.paths import Locations  # noqa: E402

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")

# (deck, note type, fields, tags)
NOTES = [
    ("Trip", "Basic", {"Front": "<b>être</b>", "Back": "to be<br><i>irregular</i>&nbsp;verb"},
     ["fr::verbs"]),
    ("Trip", "Basic", {"Front": "Flag of France?", "Back": '<img src="flag.png"> blue, white, red'},
     ["geo"]),
    ("Trip", "Basic", {"Front": "avoir", "Back": "to have [sound:bonjour.mp3]"}, []),
    ("Trip", "Basic (and reversed card)", {"Front": "le chat", "Back": "the cat"}, ["fr"]),
    ("Trip", "Basic (type in the answer)", {"Front": "Translate: merci", "Back": "thank you"},
     []),
    ("Trip", "Cloze", {"Text": "{{c1::Paris}} is the capital of {{c2::France}}.",
                       "Back Extra": 'Seen on <img src="flag.png">'}, ["geo"]),
    ("Trip", "Vocab+", {"Word": "Haus", "Meaning": "house", "Example": "Das <b>Haus</b>."},
     ["de"]),
    ("Trip", "Basic", {"Front": "H<sub>2</sub>O, 10<sup>3</sup>, e<sup>iπ</sup> and "
                                "<ruby>漢字<rt>かんじ</rt></ruby>?", "Back": "all kept"}, []),
]


def _build(folder: Path) -> Path:
    """A collection made with Anki's library (media, HTML, a custom note type of three
    fields and two templates); returns the collection file."""
    folder.mkdir()
    col = anki_collection.Collection(str(folder / "source.anki2"))
    try:
        col.media.write_data("flag.png", PNG)
        col.media.write_data("bonjour.mp3", b"ID3 quizapp test")
        models = col.models
        vocab = models.new("Vocab+")
        for name in ("Word", "Meaning", "Example"):
            models.add_field(vocab, models.new_field(name))
        first = models.new_template("Recognise")
        first["qfmt"] = "{{Word}}<br>{{Example}}"
        first["afmt"] = "{{FrontSide}}<hr id=answer>{{Meaning}}"
        models.add_template(vocab, first)
        second = models.new_template("Recall")
        second["qfmt"] = "{{Meaning}}?"
        second["afmt"] = "{{FrontSide}}<hr id=answer>{{Word}}"
        models.add_template(vocab, second)
        models.add(vocab)
        for deck, kind, fields, tags in NOTES:
            note = col.new_note(models.by_name(kind))
            for key, value in fields.items():
                note[key] = value
            note.tags = tags
            col.add_note(note, col.decks.id(deck))
        # Anki updates a note only from a newer one (modification times in seconds): the
        # notes were written a day before quizapp exports them, as a person's would be.
        col.db.execute("update notes set mod = mod - 86400")
    finally:
        col.close()
    return folder / "source.anki2"


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("anki") / "source")


def _package(collection: Path, out: Path) -> Path:
    col = anki_collection.Collection(str(collection))
    try:
        options = anki_collection.ExportAnkiPackageOptions(
            with_scheduling=False, with_media=True, legacy=False)
        col.export_anki_package(out_path=str(out), options=options, limit=None)
    finally:
        col.close()
    return out


def _copy(collection: Path, folder: Path) -> Path:
    """A copy of the collection and its media folder (the person's own, in Anki)."""
    folder.mkdir()
    target = folder / "copy.anki2"
    shutil.copy(collection, target)
    shutil.copytree(collection.with_suffix(".media"), target.with_suffix(".media"))
    return target


def _notes(col) -> dict[str, tuple[str, list[str], list[str], list[int]]]:
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        out[note.guid] = (note.note_type()["name"], list(note.fields), sorted(note.tags),
                          sorted(card.ord for card in note.cards()))
    return out


def _import(collection: Path, package: Path):
    """Import ``package`` as Anki's import dialog does (its default options); the log
    and the notes before and after, and the note types after."""
    from anki.import_export_pb2 import ImportAnkiPackageRequest

    col = anki_collection.Collection(str(collection))
    try:
        before = _notes(col)
        options = col._backend.get_import_anki_package_presets()
        log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package),
                                                               options=options)).log
        notetypes = {m["name"]: (m["css"], [(t["qfmt"], t["afmt"]) for t in m["tmpls"]])
                     for m in col.models.all()}
        media = sorted(p.name for p in Path(col.media.dir()).iterdir())
        return log, before, _notes(col), notetypes, media
    finally:
        col.close()


@pytest.fixture(scope="module")
def imported(source: Path, tmp_path_factory) -> Path:
    """The package imported into quizapp: the deck file."""
    folder = tmp_path_factory.mktemp("quizapp")
    package = _package(source, folder / "trip.apkg")
    mp = pytest.MonkeyPatch()
    mp.setenv("QUIZAPP_DATA_DIR", str(folder / "data"))
    mp.setenv("QUIZAPP_CONFIG_DIR", str(folder / "config"))
    mp.setenv("QUIZAPP_CACHE_DIR", str(folder / "cache"))
    try:
        assert main(["deck", "import", str(package)]) == 0
        path = Locations.from_env().user_decks / "trip.toml"
    finally:
        mp.undo()
    assert path.with_suffix(".media").joinpath("flag.png").read_bytes() == PNG
    return path


def _install(imported: Path, text: str | None = None) -> None:
    """The imported deck (and its media) in this test's decks folder, its text as given."""
    decks = Locations.from_env().user_decks
    decks.mkdir(parents=True, exist_ok=True)
    (decks / "trip.toml").write_text(text if text is not None else imported.read_text("utf-8"),
                                     "utf-8")
    shutil.copytree(imported.with_suffix(".media"), decks / "trip.media")


def test_export_of_an_imported_deck_updates_the_same_notes_in_anki(
        source: Path, imported: Path, tmp_path: Path, capsys) -> None:
    _install(imported)
    out = tmp_path / "back.apkg"
    assert main(["deck", "export", "trip", str(out)]) == 0
    assert "warning" not in capsys.readouterr().err
    log, before, after, notetypes, media = _import(_copy(source, tmp_path / "anki"), out)
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, len(NOTES), 0)
    assert after == before  # the same notes, fields, tags and cards: nothing added beside
    assert set(notetypes) == {"Basic", "Basic (and reversed card)",
                              "Basic (optional reversed card)", "Basic (type in the answer)",
                              "Cloze", "Image Occlusion", "Vocab+"}  # no "quizapp card"
    source_col = anki_collection.Collection(str(source))
    try:
        kept = {m["name"]: (m["css"], [(t["qfmt"], t["afmt"]) for t in m["tmpls"]])
                for m in source_col.models.all()}
    finally:
        source_col.close()
    assert notetypes == kept  # Anki's note types as they were (templates, styling)
    assert {"flag.png", "bonjour.mp3"} <= set(media)


def test_a_fresh_collection_gets_the_notes_their_cards_and_media(
        imported: Path, tmp_path: Path) -> None:
    _install(imported)
    out = tmp_path / "back.apkg"
    assert main(["deck", "export", "trip", str(out)]) == 0
    with zipfile.ZipFile(out) as package:
        assert "flag.png" in package.read("media").decode()
    empty = tmp_path / "empty"
    empty.mkdir()
    log, _, after, _, media = _import(empty / "new.anki2", out)
    assert len(log.new) == len(NOTES)
    by_front = {fields[0]: (fields, ords) for _, fields, _, ords in after.values()}
    assert by_front["Flag of France?"][0][1] == '<img src="flag.png"> blue, white, red'
    assert by_front["le chat"][1] == [0, 1]
    assert by_front["{{c1::Paris}} is the capital of {{c2::France}}."][1] == [0, 1]
    assert by_front["Haus"] == (["Haus", "house", "Das <b>Haus</b>."], [0, 1])
    assert set(media) == {"flag.png", "bonjour.mp3"}


def test_a_card_edited_in_quizapp_updates_its_field_and_keeps_the_others(
        source: Path, imported: Path, tmp_path: Path, capsys) -> None:
    text = imported.read_text("utf-8")
    text = text.replace('answer = "[image: flag.png] blue, white, red"',
                        'answer = "[image: flag.png] bleu, blanc, rouge <3 & co"')
    text = text.replace('question = "être"', 'question = "être (verb)"')
    text = text.replace('question = "house?"', 'question = "a house?"')  # Vocab+ "Recall"
    text = text.replace('question = "Haus\\nDas Haus."', 'question = "Haus!\\nDas Haus."')
    deck = parse_deck(text, "trip.toml")
    _install(imported, text)
    out = tmp_path / "back.apkg"
    assert main(["deck", "export", "trip", str(out)]) == 0
    err = capsys.readouterr().err
    # "Recognise" shows Word and Example on its front: Anki keeps that side as it was.
    assert "does not show it from one field" in err and "Vocab+" in err
    log, before, after, _, _ = _import(_copy(source, tmp_path / "anki"), out)
    assert (len(log.new), len(log.updated)) == (0, len(NOTES))
    changed = {guid: (before[guid][1], after[guid][1]) for guid in before
               if before[guid] != after[guid]}
    fields = {old[0]: new for old, new in changed.values()}
    assert fields["Flag of France?"] == [
        "Flag of France?", '<img src="flag.png"> bleu, blanc, rouge &lt;3 &amp; co']
    # the edited side only: the back keeps Anki's formatting
    assert fields["<b>être</b>"] == ["être (verb)", "to be<br><i>irregular</i>&nbsp;verb"]
    assert fields["Haus"] == ["Haus", "a house", "Das <b>Haus</b>."]
    assert len(changed) == 3
    assert deck.deck.anki is not None


def test_the_deck_cache_keeps_where_the_cards_came_from(imported: Path, tmp_path: Path) -> None:
    _install(imported)
    path = Locations.from_env().user_decks / "trip.toml"
    first = load_deck(path)
    again = load_deck(path)
    assert first.deck.anki is not None and again.deck.anki == first.deck.anki
    assert len(first.deck.anki.notes) == len(NOTES)


def test_quizapp_cards_show_their_media_in_anki_and_their_text_as_text(tmp_path: Path) -> None:
    decks = Locations.from_env().user_decks
    decks.mkdir(parents=True)
    (decks / "own.toml").write_text(
        'format = 1\n[deck]\nid = "own"\ntitle = "Own"\n\n'
        '[[cards]]\nid = "flag"\nkind = "flip"\nquestion = "<b>Which</b> flag? [image: flag.png]"\n'
        'answer = "France & [image: gone.png]"\n\n'
        '[[cards]]\nid = "hello"\nkind = "cloze"\nquestion = "{{c1::Bonjour}} [sound: hi.mp3]"\n',
        "utf-8")
    (decks / "own.media").mkdir()
    (decks / "own.media" / "flag.png").write_bytes(PNG)
    (decks / "own.media" / "hi.mp3").write_bytes(b"ID3 hi")
    (decks / "own.media" / "unused.png").write_bytes(PNG)
    out = tmp_path / "own.apkg"
    assert main(["deck", "export", "own", str(out)]) == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    log, _, after, _, media = _import(empty / "new.anki2", out)
    fields = {kind: values for kind, values, _, _ in after.values()}
    assert fields["quizapp card"][:2] == ['&lt;b&gt;Which&lt;/b&gt; flag? <img src="flag.png">',
                                          "France &amp; [image: gone.png]"]
    assert fields["quizapp cloze"][0] == "{{c1::Bonjour}} [sound:hi.mp3]"
    assert set(media) == {"flag.png", "hi.mp3"}  # what the cards show, not the whole folder


def _import_text(collection: Path, path: Path, rename: str | None = None):
    from anki.import_export_pb2 import ImportCsvRequest

    col = anki_collection.Collection(str(collection))
    try:
        if rename is not None:  # the person renamed a note type since (or Anki did)
            notetype = col.models.by_name(rename)
            notetype["name"] = rename + " (mine)"
            col.models.update_dict(notetype)
        before = _notes(col)
        metadata = col.get_csv_metadata(str(path), None)
        log = col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log
        return log, before, _notes(col)
    finally:
        col.close()


def test_text_export_of_an_imported_deck_matches_the_notes_by_guid(
        source: Path, imported: Path, tmp_path: Path, capsys) -> None:
    text = imported.read_text("utf-8").replace('question = "avoir"', 'question = "avoir <to have>"')
    _install(imported, text)
    out = tmp_path / "back.txt"
    assert main(["deck", "export", "trip", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Anki's text import does not copy files" in err
    assert "Vocab+" in err and "export an .apkg" in err
    log, before, after = _import_text(_copy(source, tmp_path / "anki"), out)
    # Vocab+ is no note type a text file can name in any collection: its note goes as a
    # Basic note with its own guid, which Anki reports rather than add beside it.
    assert (len(log.new), len(log.conflicting), len(log.missing_notetype)) == (0, 1, 0)
    changed = {before[g][1][0]: after[g][1] for g in before if before[g] != after[g]}
    assert changed == {"avoir": ["avoir &lt;to have&gt;", "to have [sound:bonjour.mp3]"]}
    assert set(after) == set(before)  # no note added beside the others
    empty = tmp_path / "empty"
    empty.mkdir()
    log, _, fresh = _import_text(empty / "new.anki2", out)  # any Anki takes every card
    assert (len(log.new), len(log.missing_notetype)) == (len(NOTES), 0)


def test_text_export_of_an_imported_deck_reads_back_into_quizapp_unchanged(
        imported: Path, tmp_path: Path) -> None:
    from quizapp.interop import import_file

    _install(imported)
    out = tmp_path / "back.txt"
    assert main(["deck", "export", "trip", str(out)]) == 0
    deck = load_deck(imported)
    again = import_file(out).deck
    assert again.cards == deck.cards  # the second card of the Vocab+ note too


def test_anki_text_export_goes_back_to_anki_as_the_same_notes(
        source: Path, tmp_path: Path, capsys) -> None:
    """Anki's "Notes in Plain Text" (with guid and note type columns) imported, one card
    edited, exported as text: Anki matches every row to its note, adds none."""
    col = anki_collection.Collection(str(_copy(source, tmp_path / "exporter")))
    try:
        exported = tmp_path / "notes.txt"
        col.export_note_csv(out_path=str(exported), limit=None, with_html=True, with_tags=True,
                            with_deck=True, with_notetype=True, with_guid=True)
    finally:
        col.close()
    assert main(["deck", "import", str(exported)]) == 0
    path = Locations.from_env().user_decks / "trip.toml"
    path.write_text(path.read_text("utf-8").replace('question = "avoir"',
                                                    'question = "avoir & co"'), "utf-8")
    out = tmp_path / "back.txt"
    assert main(["deck", "export", "trip", str(out)]) == 0
    log, before, after = _import_text(_copy(source, tmp_path / "anki"), out)
    # (the Vocab+ note goes as a Basic note with its guid: reported, not added)
    assert (len(log.new), len(log.conflicting), len(log.missing_notetype)) == (0, 1, 0)
    changed = {before[g][1][0]: after[g][1] for g in before if before[g] != after[g]}
    assert changed == {"avoir": ["avoir &amp; co", "to have [sound:bonjour.mp3]"]}


def test_a_bare_collection_brings_the_media_of_the_folder_beside_it(
        source: Path, tmp_path: Path, capsys) -> None:
    collection = _copy(source, tmp_path / "profile")  # copy.anki2 beside copy.media/
    assert main(["deck", "import", str(collection)]) == 0
    media = Locations.from_env().user_decks / "trip.media"
    assert (media / "flag.png").read_bytes() == PNG and (media / "bonjour.mp3").exists()
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(collection, alone / "collection.anki2")  # no media folder beside it
    assert main(["deck", "import", str(alone / "collection.anki2"), "--id", "alone",
                 "--deck", "Trip"]) == 0
    err = capsys.readouterr().err
    assert "are not in it (bonjour.mp3, flag.png); the cards show their names" in err


def test_superscripts_subscripts_and_ruby_keep_their_meaning(imported: Path) -> None:
    """10<sup>3</sup> is not 103: the import shows what a browser shows, as text."""
    deck = load_deck(imported)
    assert any(card.question == "H₂O, 10³, e^(iπ) and 漢字(かんじ)?" for card in deck.cards)
