"""Snapshot tests of the main screens at 80x24, with a fixed deck, seed and clock (so the
elapsed time reads 0:00 and "played" reads "just now"). Update with
``pytest tests/ui/test_ui_snapshots.py --snapshot-update`` and look at the pictures."""

from __future__ import annotations

from pathlib import Path

from tests.ui.support import CHOICE, FLIP, ORDER, build, choice_number, deck, ready, start
from textual.pilot import Pilot

MIXED = [CHOICE[0], FLIP[0], ORDER[0], CHOICE[1]]


def _app(tmp_path: Path):
    return build(tmp_path, deck("mixed", MIXED, title="A bit of everything"),
                 deck("caps", CHOICE, title="Capitals"), seed=11)


async def _answer_all_but_second(pilot: Pilot) -> None:
    """Play "mixed": choice right, flip graded Again, order submitted as is, choice right."""
    app = pilot.app
    await start(pilot, "mixed", "o")
    await pilot.press(choice_number(app, "Tokyo"), "enter")
    await pilot.press("space", "1", "enter")
    await pilot.press("enter", "enter")
    await pilot.press(choice_number(app, "Paris"), "enter")
    await pilot.pause()


def test_home_screen(tmp_path: Path, snap_compare) -> None:
    """Home after one session of "A bit of everything": the table lists both decks with
    their card counts; the played deck shows best and last 2/4 50%, 2 missed, 0 due and
    "just now"; the other shows dashes, 3 due (all new) and "never". The highlighted row's description and file
    path are under the table and the Footer shows Enter "Play deck"."""

    async def run_before(pilot: Pilot) -> None:
        await _answer_all_but_second(pilot)
        await pilot.press("h")
        await pilot.pause()
        table = pilot.app.screen.query_one("#decks")
        table.move_cursor(row=table.get_row_index("mixed"))
        await pilot.pause()

    assert snap_compare(_app(tmp_path), run_before=run_before)


def test_start_options(tmp_path: Path, snap_compare) -> None:
    """The start dialog over the home screen: the deck title, its 4 cards, and the three
    ways to play (in order, shuffled, or N questions with 4 in the field)."""

    async def run_before(pilot: Pilot) -> None:
        await ready(pilot)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), run_before=run_before)


def test_question_screen_choice(tmp_path: Path, snap_compare) -> None:
    """A choice question before answering: progress 1/4, score 0/0, time 0:00, the
    question in bold, four numbered options (shuffled by the seed) with the first
    highlighted, a hint line, and Skip/Undo/Quit in the Footer."""

    async def run_before(pilot: Pilot) -> None:
        await start(pilot, "mixed", "o")

    assert snap_compare(_app(tmp_path), run_before=run_before)


def test_feedback_after_a_wrong_answer(tmp_path: Path, snap_compare) -> None:
    """Feedback after a wrong choice: the picked option marked ✘, "✘ Wrong" in red,
    "Answer: Tokyo", the explanation "Tokyo since 1868." and "From the article: Asia";
    score 0/1 and Enter "Next" in the Footer."""

    async def run_before(pilot: Pilot) -> None:
        await start(pilot, "mixed", "o")
        await pilot.press(choice_number(pilot.app, "Osaka"))
        await pilot.pause()

    assert snap_compare(_app(tmp_path), run_before=run_before)


def test_flip_card_turned(tmp_path: Path, snap_compare) -> None:
    """A flip card after Space: the front as the question, the back below it, and the four
    grade buttons 1 Again, 2 Hard, 3 Good, 4 Easy."""

    async def run_before(pilot: Pilot) -> None:
        await start(pilot, "mixed", "o")
        await pilot.press(choice_number(pilot.app, "Tokyo"), "enter", "space")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), run_before=run_before)


def test_order_question(tmp_path: Path, snap_compare) -> None:
    """An order question: three numbered items in a shuffled order, the first highlighted,
    Move up / Move down / Submit buttons under the list for a mouse, and the move keys
    ([ and ]) and Submit shown in the Footer."""

    async def run_before(pilot: Pilot) -> None:
        await start(pilot, "mixed", "o")
        await pilot.press(choice_number(pilot.app, "Tokyo"), "enter", "space", "3", "enter")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), run_before=run_before)


def test_summary_screen(tmp_path: Path, snap_compare) -> None:
    """The summary: "Score 2/4 · 50% · time 0:00", then "Missed (2):" with the flip and the
    order questions, each followed by "Answer:" and its right answer, and the buttons Review missed
    (focused), Play again and Home."""

    assert snap_compare(_app(tmp_path), run_before=_answer_all_but_second)
