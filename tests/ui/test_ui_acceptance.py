"""Pilot tests for what an acceptance pass at 80x24 found rough: the home table running off
the screen, dialogs showing the keys of the screen under them, a long question hiding the
answer field, the words after undoing a skip, and flip and order cards that a mouse could
not answer (they had keys only)."""

from __future__ import annotations

from pathlib import Path

from tests.ui.support import (
    CHOICE, FLIP, ORDER, TEXT, build, choice_number, deck, ready, scores, screen_text, start,
)
from textual.widgets import DataTable, Input

LONG_TITLE = "A deck whose title is far too long to fit in the first column of the table"


def _notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _lines(app) -> list[str]:
    return screen_text(app).splitlines()


async def test_home_table_fits_80_columns_and_keeps_every_column_whole(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE, title=LONG_TITLE), deck("words", TEXT))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "caps", "o")
        for answer in ("Tokyo", "Paris", "Lima"):
            await pilot.press(choice_number(app, answer), "enter")
        await pilot.press("h")
        await pilot.pause()
        lines = _lines(app)
        header = next(line for line in lines if "Deck" in line and "Best" in line)
        caps = next(line for line in lines if line.lstrip().startswith("A deck whose"))
        # Cards and Played give way so that a long title shows enough to be told apart
        # from another that starts the same way; the scores stay.
        assert "Cards" not in header and "Played" not in header
        assert header.rstrip().endswith("New") and "Best" in header and "Due" in header
        assert "3/3 100%" in caps
        assert LONG_TITLE[:32] in caps
        assert "…" in caps  # the long title is cut with an ellipsis, not the numbers
        # Wider: the whole title and every column come back; narrower: no crash, the
        # table scrolls sideways.
        await pilot.resize_terminal(160, 24)
        await pilot.pause()
        assert any(LONG_TITLE + " (extra)" in line for line in _lines(app))
        header = next(line for line in _lines(app) if "Cards" in line)
        assert header.rstrip().endswith("Played")
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        assert table.get_row_index("caps") == table.cursor_row  # the cursor stayed put


async def test_dialogs_show_their_own_keys_in_the_footer(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE), deck("words", TEXT))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        footer = _lines(app)[-1]
        assert "In order" in footer and "Shuffled" in footer and "Cancel" in footer
        assert "Browse" not in footer  # the home screen's keys do nothing here
        await pilot.press("o", "1")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        footer = _lines(app)[-1]
        assert "Yes" in footer and "No" in footer and "Undo" not in footer
        await pilot.press("n")
        await pilot.pause()
        assert "Undo" in _lines(app)[-1]
        app.navigator.browse("caps")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        footer = _lines(app)[-1]
        assert "Save" in footer and "Delete card" not in footer


async def test_a_very_long_question_leaves_the_answer_field_in_view(tmp_path: Path) -> None:
    question = " ".join(["a question that goes on and on"] * 60) + " THE END"
    long_card = dict(id="long", kind="text", question=question, answer="yes")
    app = build(tmp_path, deck("words", [long_card, *TEXT]))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "words", "o")
        field = app.screen.query_one("#typed", Input)
        assert app.focused is field
        assert field.region.bottom <= app.size.height - 1  # above the Footer, on screen
        text = screen_text(app)
        assert "a question that goes on" in text and "THE END" not in text
        box = app.screen.query_one("#question-box")
        box.scroll_end(animate=False)
        await pilot.pause()
        assert "THE END" in screen_text(app)  # the rest is a scroll away
        await pilot.press("y", "e", "s", "enter")
        await pilot.pause()
        assert "✔ Right" in screen_text(app)


async def test_undo_right_after_a_skip_asks_the_skipped_question_again(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "caps", "o")
        await pilot.press("s")
        await pilot.pause()
        assert "Capital of France?" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert "Capital of Japan?" in screen_text(app)
        assert _notices(app) == ["Skip taken back: this question is asked again."]
        app.clear_notifications()
        # Undo after the last answer, before Enter: that answer is asked again.
        await pilot.press(choice_number(app, "Tokyo"), "enter")
        await pilot.press(choice_number(app, "Paris"), "enter")
        await pilot.press(choice_number(app, "Lima"))
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        session = app.screen.session
        assert session.state == "asking" and session.current.card.id == "c3"
        assert _notices(app) == ["Answer taken back: this question is asked again."]


async def test_flip_and_order_cards_can_be_answered_with_the_mouse_alone(tmp_path: Path) -> None:
    app = build(tmp_path, deck("mixed", [FLIP[0], ORDER[0]]))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "mixed", "o")
        assert "Back one" not in screen_text(app)
        await pilot.click("#turn")
        await pilot.pause()
        assert "Back one" in screen_text(app)
        await pilot.click("#grade-3")  # grades and goes on to the order card
        await pilot.pause()
        assert app.screen.query("#order")
        # Order: click an item, then Move up / Move down, until right; then Submit.
        order = app.screen.query_one("#order")
        answer = ["Rome", "Paris", "Berlin"]
        for place, item in enumerate(answer):
            await pilot.click("#order", offset=(6, 1 + order.items.index(item)))
            await pilot.pause()
            assert order.items[order.highlighted] == item
            while order.items.index(item) > place:
                await pilot.click("#move-up")
                await pilot.pause()
        assert order.items == answer
        await pilot.click("#order", offset=(6, 1))  # Rome
        await pilot.click("#move-down")
        await pilot.pause()
        assert order.items == ["Paris", "Rome", "Berlin"]
        await pilot.click("#move-up")
        await pilot.pause()
        assert order.items == answer
        assert app.focused is order  # the buttons leave the keys working
        await pilot.click("#submit")
        await pilot.pause()
        assert "✔ Right" in screen_text(app)
    cards = scores(app.locations.scores).cards["mixed"]
    assert (cards["f1"].last_result, cards["o1"].last_result) == ("right", "right")


async def test_the_quit_dialog_survives_a_terminal_9_to_11_columns_wide(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "caps", "o")
        await pilot.press("1", "q")
        await pilot.pause()
        for width in (12, 11, 10, 9, 8, 80):
            await pilot.resize_terminal(width, 5)
            await pilot.pause()
        assert app.is_running
        assert "Quit quizapp now?" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
    assert scores(app.locations.scores).sessions[0].total == 1


async def test_quit_from_the_palette_asks_first_and_writes_the_session_end(tmp_path: Path) -> None:
    app = build(tmp_path, deck("caps", CHOICE))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "caps", "o")
        await pilot.press(choice_number(app, "Tokyo"))
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("q", "u", "i", "t")
        await pilot.pause()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and "Quit quizapp now? Your 1 answer is saved." in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
    session = scores(app.locations.scores).sessions[0]
    assert session.end is not None and (session.score, session.total) == (1, 1)


async def test_a_deck_whose_cards_are_all_suspended_is_not_played(tmp_path: Path) -> None:
    """Suspended cards are never asked: with all of them suspended, the person is told so."""
    from datetime import UTC, datetime

    from quizapp.models import SuspendEvent
    from quizapp.store import ScoreStore

    app = build(tmp_path, deck("caps", CHOICE))
    store = ScoreStore(app.locations.scores)
    for card in CHOICE:
        store.append(SuspendEvent(deck="caps", card=card["id"], at=datetime(2026, 1, 1, tzinfo=UTC),
                                  suspended=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "caps", "o")
        assert app.screen is app.home
        assert _notices(app) == [
            "Every card of caps is suspended: unsuspend one in Stats (t) to play this deck."]
