"""Card text is data: the hostile deck (tests/fixtures/decks/markup.toml) played through the
UI shows its markup, escape sequences and control characters as text, and none of it acts."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ui.support import Clock, scores, screen_text, type_text, widget_text
from textual.widgets import DataTable

from quizapp.paths import Locations
from quizapp.ui.app import make_app
from quizapp.ui.screens.question import QuestionScreen
from quizapp.ui.screens.summary import SummaryScreen
from quizapp.text import visible
from quizapp.ui.text import card_cell

FIXTURES = Path(__file__).parent.parent / "fixtures" / "decks"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("[bold]x[/]", "[bold]x[/]"),
        ("\x1b[31mred", "␛[31mred"),
        ("bell\x07 bs\x08 del\x7f", "bell␇ bs␈ del␡"),
        ("rtl\u202eevil", "rtl<U+202E>evil"),
        ("c1\x85", "c1<U+0085>"),
        ("tab\there", "tab    here"),
        ("two\nlines", "two\nlines"),
    ],
)
def test_visible_makes_control_characters_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_single_line_text_shows_newlines_as_a_symbol_and_cells_are_never_markup() -> None:
    assert visible("a\nb", one_line=True) == "a ⏎ b"
    cell = card_cell("[bold]x[/] [@click=app.quit]q[/]\x1b")
    assert cell.plain == "[bold]x[/] [@click=app.quit]q[/]␛" and not cell.spans


def _locations(tmp_path: Path) -> Locations:
    return Locations(
        scores=tmp_path / "scores.toml",
        user_decks=tmp_path / "user-decks",
        bundled_decks=tmp_path / "none",
        extra_decks=(FIXTURES,),
        settings=tmp_path / "settings.toml",
    )


async def test_hostile_deck_is_shown_literally_and_triggers_nothing(tmp_path: Path) -> None:
    app = make_app(_locations(tmp_path), now=Clock(), seed=3)
    rang: list[str] = []
    app.bell = lambda: rang.append("bell")  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Home: the title is a plain cell, ESC made visible.
        table = app.screen.query_one("#decks", DataTable)
        title = table.get_row("markup")[0]
        assert title.plain.startswith("[bold]Markup[/] deck [@click=app.quit]quit[/] ␛[31mred")
        assert not title.spans[:1] or title.spans[0].start > 0  # only the "(extra)" suffix is styled
        assert "[bold]Markup[/] deck [@click=a" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "[bold]Markup[/] deck [@click=app.quit]quit[/] ␛[31mred" in screen_text(app)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)

        # Choice: question and options literal; clicking the "[@click=app.quit]" option
        # answers the question and does not quit.
        text = screen_text(app)
        assert "Which is [bold]bold[/]? [link=x]link[/link] [/ ␛[31mred␛[0m" in text
        for option in ("[@click=app.quit]quit[/]", "[/]", "bell␇ back␈ del␡ rtl<U+202E>evil"):
            assert option in text
        choices = app.screen.query_one("#choices").choices
        index = choices.index("[@click=app.quit]quit[/]")
        await pilot.click("#choices", offset=(8, 1 + index))
        await pilot.pause()
        assert app.is_running
        text = screen_text(app)
        assert "✔ Right" in text and "Answer: [@click=app.quit]quit[/]" in text
        assert "Explained with [italic]markup[/italic] and ␛]8;;http://x␛\\osc" in text
        assert "From the article: [red]section[/red]" in text
        await pilot.press("enter")

        # Text: the question holds "[@click=app.quit]": clicking it does nothing.
        assert "Type [b]this[/b]: [@click=app.quit]" in screen_text(app)
        await pilot.click("#question", offset=(22, 0))
        await pilot.pause()
        assert app.is_running
        await pilot.click("#typed")
        await type_text(pilot, "[bold]x")
        await pilot.press("enter")
        text = screen_text(app)
        assert "✔ Right" in text and "Answer: [bold]x" in text and "␛[2J cleared?" in text
        await pilot.press("enter")

        # Flip: front and back literal; the BEL character does not ring.
        assert "Front [@click=app.bell]bell[/]" in screen_text(app)
        await pilot.click("#question", offset=(10, 0))
        await pilot.press("space")
        assert "Back [reverse]side[/reverse] ␇" in screen_text(app)
        await pilot.press("3")  # grades and goes on

        # Order: the items keep their brackets and the override is shown, not obeyed.
        items = app.screen.query_one("#order").items
        assert sorted(items) == sorted(["[first]", "[/second]", "\u202ethird"])
        text = screen_text(app)
        assert "[first]" in text and "[/second]" in text and "<U+202E>third" in text
        if items == ["[first]", "[/second]", "\u202ethird"]:  # the start may be right: make it wrong
            await pilot.press("right_square_bracket")
        await pilot.press("enter")
        assert "Answer: [first] → [/second] → <U+202E>third" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()

        assert isinstance(app.screen, SummaryScreen)
        missed = [widget_text(w) for w in app.screen.query(".missed")]
        assert missed == ["1. Order [bold]these[/]\nAnswer: [first] → [/second] → <U+202E>third"]
        assert app.is_running and rang == []
    saved = scores(tmp_path / "scores.toml")
    assert {c: r.last_result for c, r in saved.cards["markup"].items()} == {
        "c1": "right", "t1": "right", "f1": "right", "o1": "wrong"}
