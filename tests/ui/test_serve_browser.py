"""`quizapp serve` played in a real browser: Debian's headless chromium opens the served
page, a person's keys go in, and the score file is read afterwards.

Each test starts its own server (`python -m quizapp serve`) on a free loopback port, with
its own score file, decks and settings, and stops it the way a person would (ctrl+c in
its terminal, or SIGTERM from a service manager). A screenshot of the page is kept in
``test-artifacts/`` at the top of the repository. Skipped, with the reason, when chromium
or the web extra is not installed (.ci/run installs both).
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from tests.ui.serving import DECK_ID, Served

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run does)")
pytest.importorskip("textual_serve", reason="the web extra is not installed "
                    "(pip install -e '.[web]'; .ci/run does)")

from tests.ui.chromium import Browser, wait_until  # noqa: E402  (needs aiohttp: after the skip)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def served(tmp_path: Path):
    server = Served(tmp_path)
    server.start()
    yield server
    server.kill()


async def start_deck(tab) -> None:
    """From the home screen: the command palette, 'Play <deck>', all cards in order."""
    await tab.wait_for("Capitals on the web", "Decks")  # the home screen lists the deck
    await tab.focus()
    await tab.press("ctrl+p")
    await tab.wait_for("Search for commands")
    await tab.type(f"Play {DECK_ID}")
    # Enter runs the highlighted (first) command: wait until the whole query is typed and
    # the list under it starts with this deck, not a result of a shorter query.
    await wait_until(lambda: palette_shows_first(tab, f"Play {DECK_ID}"),
                     f"'Play {DECK_ID}' first in the palette", 30)
    await tab.press("enter")
    await tab.wait_for("All cards in order")
    await tab.press("o")
    await tab.wait_for("What is the capital of France?")


async def palette_shows_first(tab, command: str) -> bool:
    lines = (await tab.screen()).splitlines()
    query = next((i for i, line in enumerate(lines) if "🔎" in line), None)
    if query is None or not lines[query].rstrip().endswith(command):
        return False
    results = [line.strip() for line in lines[query + 1:] if line.strip(" ▔▁")]
    return bool(results) and results[0] == command


async def answer(tab, text: str, verdict: str) -> str:
    """Type an answer to the question on screen, Enter, and wait for the verdict."""
    await tab.type(text)
    await tab.wait_for(text)
    await tab.press("enter")
    return await tab.wait_for(verdict)


def ended_sessions(served: Served) -> list[tuple[int, int]]:
    """(score, total) of the deck's sessions whose end is written, from the score file."""
    return sorted((s.score, s.total) for s in served.scores_now().sessions
                  if s.deck == DECK_ID and s.end is not None)


def test_a_person_plays_a_deck_in_the_browser_and_the_answer_is_kept(served: Served) -> None:
    async def play() -> None:
        async with Browser() as browser:
            tab = await browser.new_tab(served.url)
            home = await tab.wait_for("Capitals on the web")
            assert "quizapp" in home and "Decks" in home  # the app's own home screen
            await start_deck(tab)
            screen = await answer(tab, "Paris", "✔ Right")
            assert "1/2" in screen and "Score 1/1" in screen
            ARTIFACTS.mkdir(exist_ok=True)
            await tab.screenshot(ARTIFACTS / "serve-browser.png")
            # Written before the feedback appeared: readable while the tab still plays.
            card = served.scores_now().cards[DECK_ID]["france"]
            assert (card.seen, card.right, card.wrong) == (1, 1, 0)
            # A smaller window (a phone held sideways): the app lays itself out again at
            # the new size, its footer on the new last row, as in a smaller terminal.
            cols, _rows = await tab.size()
            await tab.resize(480, 320)

            async def redrawn() -> bool:
                now_cols, _ = await tab.size()
                lines = (await tab.screen()).splitlines()
                # (the footer's keys that matter most: at this width the palette key is
                # left out so that they fit whole)
                return now_cols < cols and "Next" in lines[-1] and "Right" in "".join(lines)

            await wait_until(redrawn, "the app to redraw at the smaller size", 30)
            # A service manager stops the server: it exits cleanly and the page says so.
            code = await asyncio.to_thread(served.stop, "SIGTERM")
            assert code == 0, served.output()
            await wait_until(tab.closed, "the page to say the app closed", 30)

    asyncio.run(play())
    [session] = [s for s in served.scores_now().sessions if s.deck == DECK_ID]
    assert (session.score, session.total) == (1, 1)
    assert session.end is not None  # the open session's end was written at the stop


def test_two_tabs_are_two_sessions_on_one_score_file_closed_by_tab_and_by_ctrl_c(
    tmp_path: Path, isolated_home: Path
) -> None:
    # The person's settings (here a light theme) are those of the served app too.
    settings = isolated_home / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('theme = "textual-light"\n', encoding="utf-8")
    served = Served(tmp_path)
    served.start()

    async def play() -> None:
        async with Browser() as browser:
            first, second = [await browser.new_tab(served.url) for _ in range(2)]
            await first.wait_for("Capitals on the web")
            cols, rows = await first.size()
            assert min(await first.background(cols // 2, rows // 2)) > 200  # light, not dark
            await asyncio.gather(start_deck(first), start_deck(second))
            await asyncio.gather(answer(first, "Paris", "✔ Right"),
                                 answer(second, "Lyon", "✘ Wrong"))
            # Both sessions are still open (each has a second question). Closing the second
            # tab ends its session; ctrl+c in the server's terminal ends the first.
            await second.close()
            await wait_until(lambda: ended_sessions(served) == [(0, 1)],
                             "the closed tab's session to end", 30)
            code = await asyncio.to_thread(served.stop, "ctrl+c")
            assert code == 0, served.output()
            await wait_until(first.closed, "the page to say the app closed", 30)

    try:
        asyncio.run(play())
    finally:
        served.kill()
    scores = served.scores_now()
    card = scores.cards[DECK_ID]["france"]
    assert (card.seen, card.right, card.wrong) == (2, 1, 1)  # no answer lost
    assert len([s for s in scores.sessions if s.deck == DECK_ID]) == 2
    assert ended_sessions(served) == [(0, 1), (1, 1)]  # each session's end is written
