"""Signals that end a session like ctrl+q: SIGTERM, SIGHUP (a closed terminal), and a
closed pipe (SIGPIPE, which Python turns into ``BrokenPipeError``).

The one place with platform code for signals: Windows has no SIGHUP, and there the
asyncio loop cannot take signal handlers; both front ends then simply keep Python's
defaults. Handlers can only be set from the main thread; elsewhere (a test's worker
thread) nothing is installed.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

ENDING: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


TERMINATE = int(signal.SIGTERM)


def exit_soon(code: int, seconds: float = 3.0) -> None:
    """Leave the process with ``code`` if it has not ended ``seconds`` from now (a
    shutdown stuck on a terminal that is gone). Only call once every write is done."""
    timer = threading.Timer(seconds, os._exit, args=(code,))
    timer.daemon = True
    timer.start()


def exit_code(signum: int) -> int:
    """The shell's convention: 128 + the signal's number (143 for SIGTERM)."""
    return 128 + signum


class Ended(BaseException):
    """A signal asked the program to end (a BaseException, like KeyboardInterrupt, so no
    ``except Exception`` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"ended by signal {signum}")
        self.signum = signum


class EndingSignals:
    """For the life of a ``with`` block, SIGTERM and SIGHUP end the session instead of the
    process. They never interrupt a write: the handler only notes the signal, and raises
    ``Ended`` at once only while the program waits for input (``waiting``); otherwise at
    the next ``check``."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._interruptible = False
        self._previous: dict[int, object] = {}

    def __enter__(self) -> EndingSignals:
        if threading.current_thread() is threading.main_thread():
            for sig in ENDING:
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)  # type: ignore[arg-type]
        self._previous.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is None:
            self.received = signum
        if self._interruptible:
            self._interruptible = False
            raise Ended(signum)

    def check(self) -> None:
        if self.received is not None:
            raise Ended(self.received)

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """Around a blocking read: a signal now ends the wait at once."""
        self.check()
        self._interruptible = True
        try:
            yield
        finally:
            self._interruptible = False


def on_ending_signals(callback: Callable[[int], None]) -> Callable[[], None]:
    """Call ``callback(signum)`` on the running asyncio loop when SIGTERM or SIGHUP
    arrives. Returns a function that removes the handlers. Does nothing where the loop
    cannot take signal handlers (Windows, or not the main thread)."""
    loop = asyncio.get_running_loop()
    installed: list[int] = []
    for sig in ENDING:
        try:
            loop.add_signal_handler(sig, callback, int(sig))
        except (NotImplementedError, RuntimeError, ValueError):
            continue
        installed.append(sig)

    def remove() -> None:
        for sig in installed:
            try:
                loop.remove_signal_handler(sig)
            except (RuntimeError, ValueError):
                pass

    return remove


def silence_stdout() -> None:
    """After a closed pipe or terminal: send further output to nowhere, so that neither
    the rest of the program nor Python's exit complains about it."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass
