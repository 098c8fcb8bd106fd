"""A small driver for Debian's headless chromium over the DevTools protocol (CDP).

Enough to play quizapp in a real browser: open tabs, type keys as a person would (key
events go to the page, xterm.js turns them into terminal input), read the text that the
page's terminal shows, and take screenshots. It talks to chromium through one websocket
(aiohttp's client, which the ``web`` extra installs); no browser is downloaded.

Reading the screen: textual-serve's page draws the terminal on a canvas, so the text is
not in the DOM. The page's xterm.js ``Terminal`` object holds it, and CDP can find that
object without any change to the page: ``window.onresize`` (set by textual.js) closes over
the xterm module, whose ``Terminal.prototype`` lets ``Runtime.queryObjects`` return the
live terminal; its public ``buffer`` API then gives each line as text.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = "chromium"
# The flags this machine needs (see the project's environment notes): no sandbox as root,
# no GPU, and nothing that reaches for the network on its own.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> str | None:
    return shutil.which(CHROMIUM)


class BrowserError(RuntimeError):
    pass


async def wait_until(check: Callable[[], Any], what: str, timeout: float) -> Any:
    """Poll ``check`` (sync or async) until it returns something truthy; fail naming what
    was awaited. Waits for a state, never for a fixed time."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g}s waiting for {what}")
        await asyncio.sleep(0.05)


class Browser:
    """One headless chromium with a fresh profile; ``async with Browser() as browser``."""

    def __init__(self, *, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._profile = Path(tempfile.mkdtemp(prefix="quizapp-chromium-"))
        self._process: subprocess.Popen[bytes] | None = None
        self._http: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}

    async def __aenter__(self) -> Browser:
        path = chromium_path()
        if path is None:
            raise BrowserError("chromium is not installed")
        self._process = subprocess.Popen(
            [path, *FLAGS, f"--user-data-dir={self._profile}", "--remote-debugging-port=0",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        port_file = self._profile / "DevToolsActivePort"

        def endpoint() -> str | None:
            if self._process is not None and self._process.poll() is not None:
                raise BrowserError(f"chromium exited at start with {self._process.returncode}")
            lines = port_file.read_text().splitlines() if port_file.exists() else []
            return f"ws://127.0.0.1:{lines[0]}{lines[1]}" if len(lines) >= 2 else None

        url = await wait_until(endpoint, "chromium's DevTools port", self.timeout)
        self._http = aiohttp.ClientSession()
        self._ws = await self._http.ws_connect(url, max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._ws is not None:
            await self._ws.close()
        if self._http is not None:
            await self._http.close()
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        shutil.rmtree(self._profile, ignore_errors=True)

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            data = json.loads(message.data)
            future = self._pending.pop(data.get("id", -1), None)
            if future is not None and not future.done():
                future.set_result(data)
        for future in self._pending.values():
            if not future.done():
                future.set_exception(BrowserError("chromium closed the DevTools connection"))

    async def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        assert self._ws is not None
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[message_id] = future
        await self._ws.send_json(message)
        reply = await asyncio.wait_for(future, self.timeout)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    async def new_tab(self, url: str, *, width: int = 1000, height: int = 640) -> Tab:
        """Open ``url`` in a new tab of this size (CSS pixels) and wait for it to load."""
        target = await self.call("Target.createTarget", url="about:blank")
        attached = await self.call("Target.attachToTarget", targetId=target["targetId"],
                                   flatten=True)
        tab = Tab(self, attached["sessionId"], target["targetId"])
        await tab.call("Page.enable")
        await tab.call("Runtime.enable")
        await tab.resize(width, height)
        # Every tab behaves as the focused one, as if each had its own window.
        await tab.call("Emulation.setFocusEmulationEnabled", enabled=True)
        await tab.call("Page.navigate", url=url)
        await wait_until(tab.loaded, f"{url} to load", self.timeout)
        return tab


# Keys by name: (key, code, windowsVirtualKeyCode, text typed)
NAMED_KEYS = {
    "enter": ("Enter", "Enter", 13, "\r"),
    "escape": ("Escape", "Escape", 27, ""),
    "tab": ("Tab", "Tab", 9, "\t"),
    "backspace": ("Backspace", "Backspace", 8, ""),
    "up": ("ArrowUp", "ArrowUp", 38, ""),
    "down": ("ArrowDown", "ArrowDown", 40, ""),
    "left": ("ArrowLeft", "ArrowLeft", 37, ""),
    "right": ("ArrowRight", "ArrowRight", 39, ""),
    "space": (" ", "Space", 32, " "),
}
CTRL = 2  # CDP's modifier bit for ctrl


class Tab:
    """One page, driven through its own CDP session."""

    def __init__(self, browser: Browser, session: str, target: str) -> None:
        self.browser = browser
        self.session = session
        self.target = target
        self._terminal: str | None = None  # the object id of the page's xterm.js Terminal

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        return await self.browser.call(method, self.session, **params)

    async def resize(self, width: int, height: int) -> None:
        """Make the page this many CSS pixels, as a window or a turned tablet does."""
        await self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                        deviceScaleFactor=1, mobile=False)

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def loaded(self) -> bool:
        return await self.evaluate("document.readyState") == "complete"

    # ------------------------------------------------------------------ reading the screen

    async def _find_terminal(self) -> str | None:
        handler = await self.call("Runtime.evaluate", expression="window.onresize")
        handler_id = handler["result"].get("objectId")
        if handler_id is None:  # textual.js has not set up the terminal yet
            return None
        internal = (await self.call("Runtime.getProperties", objectId=handler_id))
        scopes = next((p["value"] for p in internal.get("internalProperties", [])
                       if p["name"] == "[[Scopes]]"), None)
        if scopes is None:
            return None
        for scope in (await self.call("Runtime.getProperties", objectId=scopes["objectId"],
                                      ownProperties=True))["result"]:
            names = await self.call("Runtime.getProperties", objectId=scope["value"]["objectId"],
                                    ownProperties=True)
            for variable in names["result"]:
                object_id = variable.get("value", {}).get("objectId")
                if object_id is None:
                    continue
                proto = await self.call(
                    "Runtime.callFunctionOn", objectId=object_id,
                    functionDeclaration="function () { return typeof this.Terminal === "
                                        "'function' ? this.Terminal.prototype : undefined; }")
                proto_id = proto["result"].get("objectId")
                if proto_id is None:
                    continue
                found = await self.call("Runtime.queryObjects", prototypeObjectId=proto_id)
                first = await self.call(
                    "Runtime.callFunctionOn", objectId=found["objects"]["objectId"],
                    functionDeclaration="function () { return this[0]; }")
                if first["result"].get("objectId"):
                    return first["result"]["objectId"]
        return None

    async def screen(self) -> str:
        """The text the page's terminal shows now, one line per row."""
        if self._terminal is None:
            self._terminal = await wait_until(self._find_terminal, "the page's terminal",
                                              self.browser.timeout)
        result = await self.call(
            "Runtime.callFunctionOn", objectId=self._terminal, returnByValue=True,
            functionDeclaration="""function () {
                const buffer = this.buffer.active, lines = [];
                for (let y = 0; y < this.rows; y++) {
                    const line = buffer.getLine(buffer.viewportY + y);
                    lines.push(line ? line.translateToString(true, 0, this.cols) : "");
                }
                return lines.join("\\n");
            }""")
        return result["result"]["value"]

    async def background(self, column: int, row: int) -> tuple[int, int, int] | None:
        """The colour drawn behind one cell, as (red, green, blue); None for the default."""
        await self.screen()
        result = await self.call(
            "Runtime.callFunctionOn", objectId=self._terminal, returnByValue=True,
            arguments=[{"value": column}, {"value": row}],
            functionDeclaration="""function (x, y) {
                const buffer = this.buffer.active;
                const cell = buffer.getLine(buffer.viewportY + y).getCell(x);
                if (!cell.isBgRGB()) return null;
                const c = cell.getBgColor();
                return [(c >> 16) & 255, (c >> 8) & 255, c & 255];
            }""")
        value = result["result"].get("value")
        return tuple(value) if value else None

    async def size(self) -> tuple[int, int]:
        await self.screen()
        result = await self.call("Runtime.callFunctionOn", objectId=self._terminal,
                                 returnByValue=True,
                                 functionDeclaration="function () { return [this.cols, this.rows]; }")
        cols, rows = result["result"]["value"]
        return cols, rows

    async def wait_for(self, *texts: str, timeout: float | None = None) -> str:
        """Wait until the terminal shows every one of ``texts``; return the screen."""
        async def shown() -> str | None:
            screen = await self.screen()
            if all(t in screen for t in texts):
                return screen
            if await self.closed():  # the app is gone: no point in waiting on
                raise BrowserError(f"the page says its app closed; it showed:\n{screen}")
            return None

        what = " and ".join(repr(t) for t in texts)
        try:
            return await wait_until(shown, f"{what} on the page",
                                    timeout or self.browser.timeout)
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; the page shows:\n{await self.screen()}") from None

    async def closed(self) -> bool:
        """The page says its app has closed (textual-serve marks the body -closed)."""
        return bool(await self.evaluate("document.body.classList.contains('-closed')"))

    # ------------------------------------------------------------------ typing

    async def focus(self) -> None:
        """Put the keyboard focus in the terminal, as a click on it would."""
        await self.screen()
        await self.call("Runtime.callFunctionOn", objectId=self._terminal,
                        functionDeclaration="function () { this.focus(); }")

    async def _key(self, key: str, code: str, vk: int, text: str, modifiers: int = 0) -> None:
        down: dict[str, Any] = {"type": "keyDown" if text and not modifiers else "rawKeyDown",
                                "key": key, "code": code, "windowsVirtualKeyCode": vk,
                                "modifiers": modifiers}
        if text and not modifiers:
            down["text"] = text
        await self.call("Input.dispatchKeyEvent", **down)
        await self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code,
                        windowsVirtualKeyCode=vk, modifiers=modifiers)

    async def press(self, *keys: str) -> None:
        """Press keys by name: 'enter', 'escape', 'down', 'ctrl+p', or one character."""
        for name in keys:
            modifiers = 0
            if name.startswith("ctrl+"):
                modifiers, name = CTRL, name[len("ctrl+"):]
            if name in NAMED_KEYS:
                await self._key(*NAMED_KEYS[name], modifiers=modifiers)
            elif len(name) == 1:
                await self._key(*_char_key(name), modifiers=modifiers)
            else:
                raise ValueError(f"unknown key {name!r}")

    async def type(self, text: str) -> None:
        for char in text:
            await self._key(*_char_key(char))

    async def close(self) -> None:
        """Close the tab, as a person closes it (its page's connection goes with it)."""
        await self.browser.call("Target.closeTarget", targetId=self.target)

    async def screenshot(self, path: Path) -> Path:
        shot = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


def _char_key(char: str) -> tuple[str, str, int, str]:
    if char.isalpha() and char.isascii():
        return char, f"Key{char.upper()}", ord(char.upper()), char
    if char.isdigit():
        return char, f"Digit{char}", ord(char), char
    if char == " ":
        return NAMED_KEYS["space"]
    return char, "", 0, char
