"""Updating a deck in place: what a new version of a deck adds, changes and removes.

Progress lives in the score file under (deck id, asked card id), so a card whose id
survives keeps it. ``plan_update`` compares the asked cards of the old and the new deck;
the command that writes asks before cards with progress disappear.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.interop.common import InteropError
from quizapp.models import Card, CardRecord, Deck
from quizapp.paths import Locations

if TYPE_CHECKING:
    from quizapp.decks import Catalog


@dataclass(frozen=True)
class UpdatePlan:
    added: list[str]
    changed: list[str]
    removed: list[str]
    removed_with_progress: list[str]

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.changed)} changed",
                 f"{len(self.removed)} removed"]
        if self.removed_with_progress:
            parts[-1] += f" ({len(self.removed_with_progress)} with progress)"
        return ", ".join(parts)


def _same(a: Card, b: Card) -> bool:
    return a.model_dump() == b.model_dump()


def plan_update(old: Deck, new: Deck, records: Mapping[str, CardRecord] | None = None) -> UpdatePlan:
    """Asked card ids added, changed and removed from ``old`` to ``new``; ``records`` (the
    old deck's card records) tells which removed cards have progress."""
    before = {c.id: c for c in old.asked}
    after = {c.id: c for c in new.asked}
    records = records or {}
    removed = [cid for cid in before if cid not in after]
    return UpdatePlan(
        added=[cid for cid in after if cid not in before],
        changed=[cid for cid in after if cid in before and not _same(before[cid], after[cid])],
        removed=removed,
        removed_with_progress=[cid for cid in removed
                               if cid in records and records[cid].seen > 0],
    )


@dataclass(frozen=True)
class Install:
    """One deck about to be written to the user decks folder: new, or replacing ``old``."""

    deck: Deck
    target: Path
    old: Deck | None = None
    plan: UpdatePlan | None = None
    text: str | None = None  # the deck file's text as the person wrote it (deck add)


def prepare_install(where: Locations, decks: list[Deck], *, update: bool,
                    source: str, texts: list[str] | None = None,
                    hint: str | None = None, catalog: Catalog | None = None) -> list[Install]:
    """Check that every deck can be written (nothing is written): a new id, or with
    ``update`` an existing deck of the user's own to replace. Raises ``InteropError``
    naming every clash; ``hint`` is the front end's words for what to do about a taken
    id (default: the command line's --update / --id). ``catalog``: the decks found
    already (else they are found now)."""
    from quizapp.decks import deck_path, discover
    from quizapp.store import ScoreStore

    if catalog is None:
        catalog = discover(where)
    problems: list[str] = []
    out: list[Install] = []
    records = None
    seen: set[str] = set()
    for deck in decks:
        if deck.id in seen:
            problems.append(f"{source}: two of its decks would have the id {deck.id!r}; "
                            "nothing was written")
        seen.add(deck.id)
    for index, deck in enumerate(decks):
        text = texts[index] if texts is not None else None
        target = deck_path(where.user_decks, deck.id)
        entry = catalog.get(deck.id)
        if entry is None:
            if target.exists():
                problems.append(f"{source}: {target} already exists but is not a deck quizapp "
                                "can read; fix or remove it first")
            out.append(Install(deck, target, text=text))
            continue
        if not update:
            if hint is not None:
                what = hint
            elif entry.origin == "user" and entry.deck.deck.title != deck.deck.title:
                # (another deck whose title made the same id: "漢字 N5" and "語彙 N5")
                what = (f"that deck is titled {entry.deck.deck.title!r}: choose another id "
                        "with --id, or pass --update to replace that deck's cards")
            elif entry.origin == "user":
                what = ("pass --update to replace its cards (progress of the cards that stay "
                        "is kept), or choose another id with --id")
            else:  # --update would be refused: only the person's own decks are updated
                what = "choose another id with --id (only your own decks can be updated)"
            problems.append(f"{source}: deck id {deck.id!r} is already used by {entry.path} "
                            f"({entry.origin}); {what}")
            continue
        if entry.origin != "user":
            problems.append(f"{source}: deck {deck.id!r} is {entry.origin} ({entry.path}), not "
                            f"in your decks folder ({where.user_decks}); it cannot be updated")
            continue
        if records is None:
            records = ScoreStore(where.scores).load().cards
        plan = plan_update(entry.deck, deck, records.get(deck.id, {}))
        out.append(Install(deck, entry.path, entry.deck, plan, text))
    if problems:
        raise InteropError(problems)
    return out


def write_install(install: Install) -> None:
    """Write one prepared deck: a new file (never replacing one made meanwhile), or the
    old deck's file replaced atomically."""
    from quizapp.decks import dump_deck, keep_written, parse_deck, write_new_file
    from quizapp.fsutil import atomic_write_text, link_target

    text = install.text if install.text is not None else dump_deck(install.deck)
    deck = parse_deck(text, install.target)  # never write a deck that would not load
    written_from = time.time_ns()
    if install.old is None:
        write_new_file(install.target, text)
    else:
        atomic_write_text(link_target(install.target), text)  # (a symlink stays one)
    keep_written(install.target, text, deck, written_from)  # the next start need not parse it
