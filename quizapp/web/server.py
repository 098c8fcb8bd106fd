"""The web server behind `quizapp serve`, built on textual-serve's ``Server``.

textual-serve starts one app process per browser tab (the command it is given, here
``python -m quizapp`` with the same locations) and relays the terminal over a websocket.
This subclass adds what quizapp needs on top of it:

- a clean stop: on ctrl+c / SIGTERM every tab's app is asked to quit (as when its tab is
  closed), and the server waits for each process to end, so every open session writes its
  end before the server exits;
- a page that works where it is opened: without ``--public-url`` the websocket address is
  the one the browser used to reach the page (so ``--host 0.0.0.0`` works from another
  machine), and the page loads nothing from outside this server (its font is served here);
- the app's own name on the page; a short start-up message (printed once it listens) and a
  line per tab opened or closed, instead of textual-serve's banner and access log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("quizapp.serve")

TEMPLATES = Path(__file__).resolve().parent / "templates"
QUIT_WAIT = 10.0  # seconds an app has to write its session's end after it is asked to quit
KILL_WAIT = 5.0  # then SIGTERM (the app's own clean exit on a signal), then SIGKILL


class QuizServer(Server):
    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        public_url: str | None = None,
        banner: str = "",
        max_tabs: int = 32,
    ) -> None:
        super().__init__(command, host=host, port=port, title="quizapp",
                         public_url=public_url, templates_path=TEMPLATES)
        self.fixed_url = public_url.rstrip("/") if public_url else None
        self.banner = banner
        self.max_tabs = max_tabs
        self.tabs: dict[AppService, web.WebSocketResponse] = {}
        self.stopping = False

    # ------------------------------------------------------------------ running

    def serve(self, debug: bool = False) -> None:
        """Listen until ctrl+c, SIGTERM or SIGHUP; raises OSError when it cannot listen."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signum, self.request_exit)
        web.run_app(self._make_app(), host=self.host, port=self.port, loop=loop,
                    handle_signals=False, print=lambda _message: self.say(self.banner))

    def request_exit(self) -> None:
        if self.stopping:  # a second ctrl+c while the tabs are being stopped: keep stopping
            return
        self.stopping = True
        raise GracefulExit()

    def initialize_logging(self) -> None:
        """Warnings and errors only (an app that failed to start, with its output)."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)

    def say(self, line: str) -> None:
        print(line, flush=True)

    # ------------------------------------------------------------------ the page

    def base_url(self, request: web.Request) -> str:
        """Where the browser reaches this server: --public-url, else the request's own host."""
        return self.fixed_url or f"{request.scheme}://{request.host}"

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        base = self.base_url(request)
        scheme, rest = base.split(":", 1)
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": ("wss:" if scheme == "https" else "ws:") + rest + "/ws",
            "config": {"static": {"url": base + "/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    # ------------------------------------------------------------------ one app per tab

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A tab connected: start its app process and relay until either side closes."""
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        if len(self.tabs) >= self.max_tabs:  # each tab is a process: refuse past the limit
            self.say(f"tab refused from {request.remote}: {self.max_tabs} open already "
                     "(--max-tabs)")
            await websocket.send_bytes(
                f"\r\n  This quizapp server is full ({self.max_tabs} open, --max-tabs): "
                "try again when a tab is closed.\r\n".encode())
            await websocket.close()
            return websocket
        service = AppService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.tabs[service] = websocket
        self.say(f"tab opened from {request.remote} ({len(self.tabs)} open)")
        try:
            await service.start(width, height)
            relay = service._task  # ends when the app's output does: it quit, or never started
            watch = asyncio.create_task(self._close_after(relay, websocket)) if relay else None
            await self._process_messages(websocket, service)
            if watch is not None:
                watch.cancel()
        except asyncio.CancelledError:
            pass
        except Exception:  # a broken tab must not take the server down
            log.exception("a browser tab failed")
        finally:
            await self.stop_tab(service)
            self.tabs.pop(service, None)
            await websocket.close()
            self.say(f"tab closed ({len(self.tabs)} open)")
        return websocket

    @staticmethod
    async def _close_after(relay: asyncio.Task[None], websocket: web.WebSocketResponse) -> None:
        """Close the tab's connection once its app has gone, even one that failed to start
        (textual-serve closes it only on the app's own exit message): the page then says
        the app has closed instead of staying blank."""
        await asyncio.shield(relay)
        await websocket.close()

    async def stop_tab(self, service: AppService) -> None:
        """Ask the tab's app to quit (it ends its session, as on a closed tab) and wait for
        its process to exit; one that hangs gets SIGTERM, then SIGKILL."""
        process = service._process  # textual-serve keeps the process here; nothing else exposes it
        if process is None:
            return
        with contextlib.suppress(TimeoutError, ConnectionError):
            await asyncio.wait_for(asyncio.shield(service.stop()), QUIT_WAIT)
        for wait, end in ((QUIT_WAIT, process.terminate), (KILL_WAIT, process.kill)):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.wait(), wait)
                return
            log.warning("a tab's app did not quit in %gs: %s", wait, end.__name__)
            with contextlib.suppress(ProcessLookupError):
                end()
        await process.wait()

    async def on_shutdown(self, app: web.Application) -> None:
        """ctrl+c or SIGTERM: stop every tab's app (each writes its session's end) before
        the server goes; the tabs then show that the session ended."""
        count = len(self.tabs)
        self.say(f"\nstopping: ending the session of each open tab ({count})" if count
                 else "\nstopping")
        await asyncio.gather(*(self.stop_tab(service) for service in list(self.tabs)))
        await asyncio.gather(*(ws.close() for ws in list(self.tabs.values())))

    async def on_startup(self, app: web.Application) -> None:
        """(textual-serve prints its banner here; ours is printed once the port is open.)"""
