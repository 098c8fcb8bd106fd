"""Editing a deck file keeps the person's file: only the changed cards' text changes, and
the result always loads back as the deck that was meant (the browser saves this way)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.commands.deck import TEMPLATE
from quizapp.deckedit import edit_deck_text
from quizapp.decks import DeckError, dump_deck, parse_deck
from quizapp.models import Card, Deck, DeckInfo
from quizapp.settings import Settings, load_settings, save_settings

HAND_WRITTEN = TEMPLATE.format(filename="mine.toml", deck_id='"mine"', title='"Mine"')


def _with_cards(deck: Deck, cards: list[Card]) -> Deck:
    return deck.model_copy(update={"cards": cards})


def _lines(text: str) -> list[str]:
    return text.splitlines()


def test_changing_one_card_keeps_every_other_line_and_the_comments_in_it() -> None:
    text = HAND_WRITTEN.replace('answer = "Jupiter"', 'answer = "Jupiter"  # my note')
    old = parse_deck(text, "mine.toml")
    cards = list(old.cards)
    cards[1] = cards[1].model_copy(update={"accept": ["planet Jupiter", "Jove"]})
    new = _with_cards(old, cards)
    out = edit_deck_text(text, old, new)
    assert parse_deck(out, "mine.toml") == new
    changed = [(a, b) for a, b in zip(_lines(text), _lines(out)) if a != b]
    assert changed == [('accept = ["planet Jupiter"]', 'accept = ["planet Jupiter", "Jove"]')]
    assert len(_lines(out)) == len(_lines(text))
    assert 'answer = "Jupiter"  # my note' in out  # a comment inside the changed card too


def test_removing_and_adding_cards_touches_only_those_cards() -> None:
    old = parse_deck(HAND_WRITTEN, "mine.toml")
    flip = old.card("water-formula")
    added = Card(id="moon", kind="text", question="Earth's satellite?\n(one word)", answer="Moon")
    new = _with_cards(old, [c for c in old.cards if c is not flip] + [added])
    out = edit_deck_text(HAND_WRITTEN, old, new)
    assert parse_deck(out, "mine.toml") == new
    # The flip card went with the comment that introduced it; the rest is as it was, and
    # the new card is at the end.
    head, rest = HAND_WRITTEN.split("# flip:")
    tail = "# order:" + rest.split("# order:")[1]
    assert out == head + tail + (
        '\n[[cards]]\nid = "moon"\nkind = "text"\n'
        'question = "Earth\'s satellite?\\n(one word)"\nanswer = "Moon"\n')
    assert "# A quizapp deck:" in out and "# choice: pick" in out


def test_a_header_inside_a_multiline_string_is_not_taken_for_a_card() -> None:
    text = ('format = 1\n[deck]\nid = "m"\ntitle = "M"\n\n# first\n[[cards]]\nid = "a"\n'
            'kind = "text"\nquestion = """Which line\n[[cards]]\nis not a table?"""\n'
            'answer = "the second"\n\n# second\n[[cards]]\nid = "b"\nkind = "text"\n'
            'question = "B?"\nanswer = "b"\n')
    old = parse_deck(text, "m.toml")
    new = _with_cards(old, [old.cards[0], old.cards[1].model_copy(update={"answer": "bee"})])
    out = edit_deck_text(text, old, new)
    assert parse_deck(out, "m.toml") == new
    assert out == text.replace('answer = "b"\n', 'answer = "bee"\n')


def test_cards_written_another_way_or_moved_are_still_saved_right() -> None:
    """Where a splice cannot show the change (an inline array of cards, cards reordered),
    the whole deck is written afresh: the comments go, the deck is still right."""
    old = parse_deck(HAND_WRITTEN, "mine.toml")
    moved = _with_cards(old, list(reversed(old.cards)))
    assert edit_deck_text(HAND_WRITTEN, old, moved) == dump_deck(moved)
    inline = ('format = 1\ndeck = { id = "i", title = "I" }\n'
              'cards = [{ id = "a", kind = "text", question = "Q?", answer = "A" }]\n')
    old = parse_deck(inline, "i.toml")
    new = _with_cards(old, [old.cards[0].model_copy(update={"answer": "B"})])
    assert parse_deck(edit_deck_text(inline, old, new), "i.toml") == new


def test_settings_keep_their_comments_when_the_theme_changes(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    text = ("# my settings\ntheme = \"nord\"  # the one I like\n\n"
            "# fewer new cards while I travel\nnew_per_day = 4\n")
    path.write_text(text, encoding="utf-8")
    save_settings(path, load_settings(path).model_copy(update={"theme": "gruvbox"}))
    assert path.read_text(encoding="utf-8") == text.replace('"nord"', '"gruvbox"')
    fresh = tmp_path / "new.toml"
    save_settings(fresh, Settings(theme="gruvbox"))
    assert fresh.read_text(encoding="utf-8") == 'theme = "gruvbox"\n'  # defaults stay out
    assert load_settings(fresh) == Settings(theme="gruvbox")


def test_a_symlinked_settings_file_or_export_is_written_through_its_link(tmp_path: Path) -> None:
    """Dotfiles kept in a git repository are linked into place: a change of theme, like
    any file quizapp replaces, goes to the file the link points to and the link stays."""
    from quizapp.fsutil import atomic_write_text

    kept = tmp_path / "dotfiles" / "settings.toml"
    kept.parent.mkdir()
    kept.write_text('# mine\ntheme = "nord"\n', encoding="utf-8")
    link = tmp_path / "config" / "settings.toml"
    link.parent.mkdir()
    link.symlink_to(kept)
    save_settings(link, load_settings(link).model_copy(update={"theme": "gruvbox"}))
    assert link.is_symlink() and link.resolve() == kept
    assert kept.read_text(encoding="utf-8") == '# mine\ntheme = "gruvbox"\n'
    out = tmp_path / "exports" / "deck.csv"
    out.parent.mkdir()
    target = tmp_path / "synced" / "deck.csv"
    target.parent.mkdir()
    out.symlink_to(target)  # a link whose file is not there yet: written where it points
    atomic_write_text(out, "q,a\n")
    assert out.is_symlink() and target.read_text(encoding="utf-8") == "q,a\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["deck.csv"]  # no temp file left


def _saved_elsewhere(text: str) -> tuple[Deck, str]:
    """A deck as a browser read it, and the file after another save changed its first
    card (the browser's copy is now stale)."""
    stale = parse_deck(text, "mine.toml")
    first = stale.cards[0]
    on_disk = text.replace(f'question = "{first.question}"', f'question = "X{first.question}"', 1)
    assert on_disk != text
    return stale, on_disk


def test_a_change_made_from_a_stale_copy_never_undoes_an_earlier_save() -> None:
    """The browser's copy of a deck was read before another save changed card 0; editing
    card 1 from that copy refuses (naming the file) instead of writing card 0 back."""
    stale, on_disk = _saved_elsewhere(HAND_WRITTEN)
    cards = list(stale.cards)
    cards[1] = cards[1].model_copy(update={"answer": "Y"})
    with pytest.raises(DeckError) as refused:
        edit_deck_text(on_disk, stale, _with_cards(stale, cards), "mine.toml")
    assert "mine.toml: the deck changed in the file since it was read" in str(refused.value)
    # The same refusal where the whole deck would be written afresh (cards reordered).
    with pytest.raises(DeckError):
        edit_deck_text(on_disk, stale, _with_cards(stale, list(reversed(stale.cards))))


def test_a_card_changed_in_the_file_is_not_overwritten_by_an_older_edit_of_it() -> None:
    stale, on_disk = _saved_elsewhere(HAND_WRITTEN)
    cards = list(stale.cards)
    cards[0] = cards[0].model_copy(update={"answer": "mine"})
    with pytest.raises(DeckError) as refused:
        edit_deck_text(on_disk, stale, _with_cards(stale, cards), "mine.toml")
    assert f"card {stale.cards[0].id!r} changed in the file" in str(refused.value)


def _commented_deck(n: int) -> str:
    """A deck shaped like a big hand-kept one: a comment over every card, one inside."""
    out = ['format = 1\n\n[deck]\nid = "big"\ntitle = "Big"  # my biggest deck\n']
    for i in range(n):
        out.append(f'\n# card {i}, added by hand\n[[cards]]\nid = "c{i}"\nkind = "text"\n'
                   f'question = "Question number {i} [not a table]?"\n'
                   f'answer = "answer {i}"  # note {i}\n')
    return "".join(out)


def test_editing_one_card_of_a_big_deck_reads_back_only_that_card(
    tmp_path: Path, monkeypatch
) -> None:
    """A save in the browser rewrites one card of a big deck: the comments all stay, the
    deck is not parsed again (neither to check the splice nor to reload it), and the file
    loads as the edited deck."""
    from quizapp import decks
    from quizapp.workspace import file_stamp, update_deck

    path = tmp_path / "big.toml"
    text = _commented_deck(2000)
    path.write_text(text, encoding="utf-8")
    old = decks.load_deck_cached(path)
    cards = list(old.cards)
    cards[1234] = cards[1234].model_copy(update={"answer": "edited [b]bold[/b]"})
    new = Deck(format=old.format, deck=old.deck, cards=cards)

    def no_parsing(*args, **kwargs):
        raise AssertionError("the whole deck was parsed again")

    with monkeypatch.context() as mp:  # (undo() alone would undo the isolated home too)
        mp.setattr(decks, "parse_deck", no_parsing)
        mp.setattr("quizapp.deckedit.parse_deck", no_parsing)
        update_deck(path, old, new, file_stamp(path))
        out = path.read_text(encoding="utf-8")
        assert out == text.replace('answer = "answer 1234"  # note 1234',
                                   'answer = "edited [b]bold[/b]"  # note 1234')
        assert decks.load_deck_cached(path) == new  # from memory: not parsed
    decks._CACHE.clear()
    decks._WRITTEN.clear()
    assert decks.load_deck(path) == new  # and the file itself says so


def test_a_big_deck_edited_from_a_stale_copy_is_still_refused(tmp_path: Path) -> None:
    """Someone saved the file after the browser read it: the quick path is not taken and
    nothing of theirs is undone."""
    from quizapp import decks

    path = tmp_path / "big.toml"
    text = _commented_deck(300)
    path.write_text(text, encoding="utf-8")
    stale = decks.load_deck_cached(path)
    on_disk = text.replace('answer = "answer 7"', 'answer = "theirs"')
    cards = list(stale.cards)
    cards[200] = cards[200].model_copy(update={"answer": "mine"})
    with pytest.raises(DeckError) as refused:
        edit_deck_text(on_disk, stale, _with_cards(stale, cards), str(path))
    assert "the deck changed in the file since it was read" in str(refused.value)


def test_indented_table_headers_are_still_found_and_kept() -> None:
    """Headers indented by spaces (TOML allows it) are missed by the quick line match;
    the full scanner then finds them, and only the changed card's text changes."""
    text = ('format = 1\n  [deck]\n  id = "i"\n  title = "I"\n\n  # one\n  [[cards]]\n'
            '  id = "a"\n  kind = "text"\n  question = "A?"\n  answer = "a"\n\n'
            '  [[cards]]  # two\n  id = "b"\n  kind = "text"\n  question = "B?"\n'
            '  answer = "b"\n')
    old = parse_deck(text, "i.toml")
    new = _with_cards(old, [old.cards[0].model_copy(update={"answer": "aa"}), old.cards[1]])
    out = edit_deck_text(text, old, new)
    assert parse_deck(out, "i.toml") == new
    assert out == text.replace('  answer = "a"\n', '  answer = "aa"\n')


def test_a_symlinked_deck_is_edited_through_its_link(tmp_path: Path) -> None:
    """QA 16:17: a deck kept elsewhere (a git repository, a synced folder) and linked into
    the decks folder stays linked when a card is saved, or a deck is updated by an
    import: the edit lands in the file the link points to, and the next edit too."""
    from quizapp import decks
    from quizapp.workspace import file_stamp, update_deck

    kept = tmp_path / "notes" / "mine.toml"
    kept.parent.mkdir()
    kept.write_text(_commented_deck(3), encoding="utf-8")
    link = tmp_path / "decks" / "mine.toml"
    link.parent.mkdir()
    link.symlink_to(kept)
    for answer in ("first edit", "second edit"):
        old = decks.load_deck_cached(link)
        new = _with_cards(old, [old.cards[0].model_copy(update={"answer": answer}),
                                *old.cards[1:]])
        update_deck(link, old, new, file_stamp(link))
        assert link.is_symlink() and link.resolve() == kept
        assert f'answer = "{answer}"' in kept.read_text(encoding="utf-8")
    from quizapp.interop.update import Install, write_install

    write_install(Install(_with_cards(new, new.cards[:2]), link, old=new))  # import --update
    assert link.is_symlink() and len(decks.load_deck(kept).cards) == 2
    decks.write_deck(new, link)
    assert link.is_symlink() and len(decks.load_deck(kept).cards) == 3
