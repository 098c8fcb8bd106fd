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
    await pilot.press("space", "1")
    await pilot.press("enter", "enter")
    await pilot.press(choice_number(app, "Paris"), "enter")
    await pilot.pause()


def test_home_screen(tmp_path: Path, snap_compare) -> None:
    """Home after one session of "A bit of everything": the table lists both decks with
    their card counts; the played deck shows best and last 2/4 50%, 2 missed, 0 due, 0 new
    and "just now"; the other shows dashes, 0 due, 3 new and "never". The highlighted row's
    description and file path are under the table; below them "Today: 0 due now · 3 new ·
    streak 1 day" and the heatmap with today's square filled; the Footer shows Enter "Play
    deck" and "? Help"."""

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
    highlighted, a hint line, and Skip/Undo/Quit/esc Home in the Footer."""

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
    grade buttons in a row, each with the interval FSRS gives a new card: 1 Again · 1m,
    2 Hard · 6m, 3 Good · 10m, 4 Easy · 8d."""

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
        await pilot.press(choice_number(pilot.app, "Tokyo"), "enter", "space", "3")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), run_before=run_before)


def test_summary_screen(tmp_path: Path, snap_compare) -> None:
    """The summary: "Score 2/4 · 50% · time 0:00", then "Missed (2):" with the flip and the
    order questions, each followed by "Answer:" and its right answer, and the buttons Review missed
    (focused), Play again and Home."""

    assert snap_compare(_app(tmp_path), run_before=_answer_all_but_second)


# --------------------------------------------------------------------------- 50x15


def test_home_small(tmp_path: Path, snap_compare) -> None:
    """Home at 50x15 after one session: Deck, Last, Missed, Due and New columns (Cards,
    Played and Best dropped), one line of the highlighted deck's description, the Today
    line; no heatmap (too short); the Footer keeps Enter "Play deck", d Due and m Missed."""

    async def run_before(pilot: Pilot) -> None:
        await _answer_all_but_second(pilot)
        await pilot.press("h")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(_app(tmp_path), run_before=run_before, terminal_size=(50, 15))


def test_question_small(tmp_path: Path, snap_compare) -> None:
    """A choice question at 50x15: the status line, "Question 1 of 4 · choice", the
    question, the four options without a border (all in view) and the Footer with the
    number keys, Skip, Undo and esc Home."""

    async def run_before(pilot: Pilot) -> None:
        await start(pilot, "mixed", "o")

    assert snap_compare(_app(tmp_path), run_before=run_before, terminal_size=(50, 15))


def test_feedback_small(tmp_path: Path, snap_compare) -> None:
    """After a wrong choice at 50x15 the body has scrolled so the verdict "✘ Wrong",
    "Answer: Tokyo" and the explanation are in view; the Footer starts with Enter Next."""

    async def run_before(pilot: Pilot) -> None:
        await start(pilot, "mixed", "o")
        await pilot.press(choice_number(pilot.app, "Osaka"))
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(_app(tmp_path), run_before=run_before, terminal_size=(50, 15))


def test_flip_turned_small(tmp_path: Path, snap_compare) -> None:
    """A turned flip card at 50x15: the back, then the grade buttons in two rows of two
    (1 Again · 1m, 2 Hard · 6m / 3 Good · 10m, 4 Easy · 8d) scrolled into view."""

    async def run_before(pilot: Pilot) -> None:
        await start(pilot, "mixed", "o")
        await pilot.press(choice_number(pilot.app, "Tokyo"), "enter", "space")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(_app(tmp_path), run_before=run_before, terminal_size=(50, 15))


def test_summary_small(tmp_path: Path, snap_compare) -> None:
    """The summary at 50x15: "Score 2/4 · 50% · time 0:00", the two missed questions with
    their answers, one-line buttons Review missed (r), Play again (a), Home (h) that fit,
    and the Footer with r Review missed, a Play again and h Home."""

    assert snap_compare(_app(tmp_path), run_before=_answer_all_but_second,
                        terminal_size=(50, 15))


def test_help_small(tmp_path: Path, snap_compare) -> None:
    """Help opened with ? on home at 50x15: "Keys: Decks", then the home screen's keys
    first (d Due, m Missed, b Browse, t Stats, i Import, p Deck problems dimmed "not now",
    r Reload decks, q Quit), the deck table's after them, in a box that scrolls; the
    Footer says esc Close help."""

    async def run_before(pilot: Pilot) -> None:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), run_before=run_before, terminal_size=(50, 15))
