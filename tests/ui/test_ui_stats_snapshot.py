"""Snapshots of the stats screen at 80x24, over the fixed score history of
``test_ui_stats.write_history`` and a fixed clock. Update with
``pytest tests/ui/test_ui_stats_snapshot.py --snapshot-update`` and look at the pictures."""

from __future__ import annotations

from pathlib import Path

from tests.ui.test_ui_stats import make, open_stats
from textual.pilot import Pilot


def test_stats_top(tmp_path: Path, snap_compare) -> None:
    """The top of the stats screen: "Streak: 3 days in a row (studied today).", the line
    "Cards: 7 · new 1 · learning 6 · mastered 0 · suspended 0 · leeches 1", the heading
    "Accuracy per deck over sessions" over a line chart with a 0-100 axis, sessions 1 to 3
    on the x axis, a legend naming caps and hist, a dot for caps' one session at 66.7 and
    hist's line rising 33.3 -> 66.7 -> 100; under it the deck table starts (Capitals 1
    session 66.7%, History 3 sessions 100% with "33.3 66.7 100"). The Footer shows
    s Suspend/unsuspend, h Home and q Quit."""

    async def run_before(pilot: Pilot) -> None:
        await open_stats(pilot)

    assert snap_compare(make(tmp_path), run_before=run_before)


def test_stats_leech_suspended(tmp_path: Path, snap_compare) -> None:
    """The bottom of the stats screen after s on the leech: the family table (who 0% of 9
    answers, where 66.7%, when 100%, what "–", other 66.7%), "Most missed cards" with
    "Who [b]spoke[/b] first?" shown literally (brackets, no bold) first with 9 wrong and
    marked "leech, suspended", then Capital of France? and Where did they meet?; and the
    leech list with that card highlighted and marked "leech, suspended". No horizontal
    scrollbar under the tables (their columns fit in 80 columns)."""

    async def run_before(pilot: Pilot) -> None:
        await open_stats(pilot)
        await pilot.press("s")  # the leech list takes the focus
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        pilot.app.clear_notifications()
        pilot.app.screen.query_one("#stats-body").scroll_end(animate=False)
        await pilot.pause()

    assert snap_compare(make(tmp_path), run_before=run_before)


def test_stats_no_answers(tmp_path: Path, snap_compare) -> None:
    """Before any answer: "Streak: no days in a row yet.", "Cards: 7 · new 7 · learning 0 ·
    mastered 0 · suspended 0 · leeches 0" and a friendly line saying to play a deck first;
    no chart and no empty tables."""

    async def run_before(pilot: Pilot) -> None:
        await open_stats(pilot)

    assert snap_compare(make(tmp_path, history=False), run_before=run_before)
