"""``python -m quizapp.store.compactor SCORES``: fold the journal into the snapshot, in a
process of its own (``ScoreStore.compact_elsewhere`` runs it, so the app's screen never
waits for Python's GIL while a big snapshot is read and written).

Prints one JSON line: ``{"folded": [journal id, bytes] | null, "key": [inode, size,
mtime_ns] | null}`` (what the new snapshot holds, and which file it is). Exit status 2 when
the snapshot could not be written (the answers stay safe in the journal), 1 for a score
file that cannot be used; the message is the last line on stderr.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from quizapp.store import files
from quizapp.store.files import ScoreFileError, ScoreWriteError
from quizapp.store.scorestore import ScoreStore


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
        store.compact()
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
    raise SystemExit(main())
