"""`quizapp serve` without a browser: the page it serves, where the page connects back to,
a port that is taken, and a stop with no tab open. (The browser tests play through it.)"""

from __future__ import annotations

import asyncio
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.serving import Served

pytest.importorskip("textual_serve", reason="the web extra is not installed "
                    "(pip install -e '.[web]'; .ci/run does)")


@pytest.fixture
def served(tmp_path: Path):
    server = Served(tmp_path)
    yield server
    server.kill()


def websocket_url(page: str) -> str:
    return re.search(r'data-session-websocket-url="([^"]*)"', page).group(1)


def test_the_page_connects_back_to_the_address_the_browser_used(served: Served) -> None:
    served.start()
    assert websocket_url(served.page()) == f"ws://127.0.0.1:{served.port}/ws"
    # Opened from another machine (served with --host 0.0.0.0), by the name it used.
    page = served.page({"Host": "classroom.example:8123"})
    assert websocket_url(page) == "ws://classroom.example:8123/ws"
    assert 'href="http://classroom.example:8123/static/css/xterm.css"' in page
    assert "<title>quizapp</title>" in page
    # Nothing is loaded from outside this server (the font is served here).
    assert not re.findall(r'(?:src|href)="https?://(?!classroom\.example:8123/)', page)
    assert "fonts/RobotoMono-VariableFont_wght.ttf" in page


def test_a_public_url_is_where_the_page_connects_to(served: Served) -> None:
    served.start("--public-url", "https://example.org/quiz/")
    page = served.page()
    assert websocket_url(page) == "wss://example.org/quiz/ws"
    assert 'src="https://example.org/quiz/static/js/textual.js"' in page


def test_it_says_where_it_is_served_and_stops_at_once_with_no_tab_open(served: Served) -> None:
    served.start()
    assert served.stop("SIGTERM") == 0
    out = served.output()
    assert f"quizapp is served on http://127.0.0.1:{served.port}" in out
    assert "ctrl+c stops it" in out
    assert f"scores: {served.scores}" in out and str(served.decks) in out


def test_a_port_that_is_taken_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "quizapp", "serve", "--port", str(port),
             "--scores", str(tmp_path / "scores.toml")],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == [
        f"quizapp: serve: cannot listen on 127.0.0.1:{port}: Address already in use; choose "
        f"another with --port"]
    assert not (tmp_path / "scores.toml").exists()


def test_listening_beyond_this_machine_says_who_can_play(served: Served) -> None:
    served.start("--host", "0.0.0.0")
    served.process.send_signal(signal.SIGTERM)
    served.process.wait(timeout=60)
    assert "anyone who can reach this machine" in served.output()


def test_tabs_past_max_tabs_are_turned_away_with_a_message(served: Served) -> None:
    import aiohttp

    served.start("--max-tabs", "1")
    url = f"ws://127.0.0.1:{served.port}/ws?width=80&height=24"

    async def tabs() -> str:
        async with aiohttp.ClientSession() as http, http.ws_connect(url) as first:
            await first.receive()  # the first tab's app has started and draws
            async with http.ws_connect(url) as second:
                said = b""
                async for message in second:  # a message, then the server closes it
                    if message.type == aiohttp.WSMsgType.BINARY:
                        said += message.data
                assert second.closed
            assert not first.closed
            return said.decode()

    said = asyncio.run(tabs())
    assert "This quizapp server is full (1 open, --max-tabs)" in said
    assert served.stop("SIGTERM") == 0
    assert "tab refused from 127.0.0.1: 1 open already (--max-tabs)" in served.output()
