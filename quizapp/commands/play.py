"""`quizapp play`: placeholder until its issue lands (replace this module)."""

from __future__ import annotations


def register(subparsers) -> None:
    pass
