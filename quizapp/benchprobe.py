"""The memory probe of ``python -m quizapp.bench``, apart from the bench itself so that a
start row's process imports nothing it does not need (``ui.bench_pilot.child``)."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_kib() -> int:
    """This process's peak memory (VmHWM), in KiB. (``ru_maxrss`` is the fallback only: in
    a process started by another, it also counts the starter's memory.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
