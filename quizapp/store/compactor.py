"""``python -m quizapp.store.compactor SCORES``: fold the journal into the snapshot, in a
process of its own (``ScoreStore.compact_elsewhere`` runs it, so the app's screen never
waits for Python's GIL while a big snapshot is read and written).

The screen must not wait for a core either (two cores, the compactor busy on one for a
second or more at 100k records): the slow part (reading, folding, the TOML text and the
cache) runs in a thread of Linux's idle scheduling class, which any other task preempts
at once when it wakes (at ``nice 5`` a woken screen could wait out the compactor's time
slice, a few milliseconds); where there is no idle class it runs at ``nice 5``. Only the
short part under the score file's lock runs at ``nice 5`` everywhere, so the lock is
never held by a thread that waits for an idle core (an answer in the app waits for it).
The garbage collector is off (a few hundred thousand objects, none in a cycle, all gone
when the process ends), and the process leaves without freeing them one by one.

Prints one JSON line: ``{"folded": [journal id, bytes] | null, "key": [inode, size,
mtime_ns] | null}`` (what the new snapshot holds, and which file it is). Exit status 2 when
the snapshot could not be written (the answers stay safe in the journal), 1 for a score
file that cannot be used; the message is the last line on stderr.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from quizapp.store import files
from quizapp.store.files import ScoreFileError, ScoreWriteError
from quizapp.store.scorestore import ScoreStore

T = TypeVar("T")


def at_idle_priority(work: Callable[[], T]) -> T:
    """``work()`` in a thread of the idle scheduling class (Linux; elsewhere a plain
    thread of this process's priority); its result or its exception."""
    out: list[T] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:  # the calling thread only (Linux schedules threads, pid 0 is this one)
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        except (AttributeError, OSError):
            pass
        try:
            out.append(work())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller as it is
            failed.append(exc)

    thread = threading.Thread(target=run, name="quizapp-compactor-slow")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return out[0]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m quizapp.store.compactor SCORES", file=sys.stderr)
        return 1
    try:
        os.nice(5)  # background work: a screen waiting for a core goes first
    except (AttributeError, OSError):
        pass
    store = ScoreStore(Path(args[0]))
    try:
        store.compact(run_slow=at_idle_priority)
    except ScoreWriteError as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return 2
    except (ScoreFileError, OSError) as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return 1
    folded = store.last_folded
    key = files.stat_key(store.path)
    print(json.dumps({"folded": None if folded is None else [folded.id, folded.bytes],
                      "key": None if key is None else list(key)}))
    return 0


if __name__ == "__main__":
    gc.disable()
    status = main()
    # Everything is on disk (fsynced) and said: leave without freeing the scores object
    # by object (a tenth of a second or more of a core at 100k records).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
