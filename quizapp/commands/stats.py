"""`quizapp stats [--json]`: per-deck results and progress numbers (``quizapp.stats``)."""

from __future__ import annotations

import argparse

DESCRIPTION = """\
Show your progress: per deck the card count, best and last score, missed, due and new
cards, when you last played and the scores of your sessions over time; accuracy by question
family; the most-missed cards; your streak of days studied; and how many cards are new,
learning and mastered (FSRS stability of 21 days or more). Read-only: nothing is written.

--json prints the same numbers as JSON (format 1, sorted keys); the shape is described in
quizapp/stats.py.
"""

SPARK = "▁▂▃▄▅▆▇█"


def register(subparsers) -> None:
    from quizapp.cli import add_location_options

    parser = subparsers.add_parser(
        "stats",
        help="show per-deck results and progress numbers",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    add_location_options(parser)
    parser.set_defaults(func=run)


def sparkline(values: list[float]) -> str:
    """Percents (0-100) as block characters, one per session."""
    return "".join(SPARK[min(len(SPARK) - 1, int(v / 100 * len(SPARK)))] for v in values)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:g}%"


def render_text(stats) -> str:
    from quizapp.text import visible

    lines: list[str] = []
    if stats.decks:
        width = max(4, *(len(d.deck_id) for d in stats.decks))
        lines.append(
            f"{'deck':<{width}}  {'cards':>5}  {'best':>6}  {'last':>6}  {'missed':>6}  "
            f"{'due':>4}  {'new':>4}  last played"
        )
        for d in stats.decks:
            played = d.last_played.astimezone().strftime("%Y-%m-%d %H:%M") if d.last_played else "never"
            lines.append(
                f"{d.deck_id:<{width}}  {d.cards:>5}  {_pct(d.best and d.best.percent):>6}  "
                f"{_pct(d.last and d.last.percent):>6}  {d.missed:>6}  {d.due:>4}  {d.new:>4}  {played}"
            )
        lines.append("")
        lines.append("Scores over time (oldest first):")
        for d in stats.decks:
            history = " ".join(f"{v:g}" for v in d.history[-12:])
            shown = f"{sparkline(d.history[-40:])}  {history}" if d.history else "no sessions yet"
            lines.append(f"  {d.deck_id:<{width}}  {shown}")
        unfinished = [d for d in stats.decks if d.unfinished is not None]
        if unfinished:
            lines.append("")
            lines.append("Quit before the end (not counted as a score):")
            for d in unfinished:
                u = d.unfinished
                of = f" of {u.planned}" if u.planned else ""
                again = (f" (`quizapp play {d.deck_id} --resume` goes on)"
                         if u.mode == "order" else "")
                lines.append(f"  {d.deck_id:<{width}}  {u.total}{of} answered{again}")
    else:
        lines.append("No decks found.")

    lines.append("")
    lines.append("Accuracy by question family:")
    for f in stats.families:
        lines.append(
            f"  {f.family:<9} {f.cards:>4} cards  {f.answers:>5} answers  {_pct(f.percent):>6}"
        )

    lines.append("")
    if stats.most_missed:
        lines.append("Most missed cards:")
        for m in stats.most_missed:
            marks = "".join([" [leech]" if m.leech else "", " [suspended]" if m.suspended else ""])
            lines.append(f"  {m.wrong:>3} wrong  {m.deck_id}/{m.card_id}{marks}")
            lines.append(f"             {visible(m.question, one_line=True)}")
    else:
        lines.append("Most missed cards: none yet.")

    c = stats.counts
    lines.append("")
    lines.append(
        f"Cards: {c.total} in all: {c.new} new, {c.learning} learning, {c.mastered} mastered"
        f" ({c.suspended} suspended, {c.leeches} {'leech' if c.leeches == 1 else 'leeches'})"
    )
    days = "day" if stats.streak_days == 1 else "days"
    today = "studied today" if stats.studied_today else "not yet studied today"
    lines.append(f"Study streak: {stats.streak_days} {days} ({today})")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from quizapp.commands.common import kept_summary, open_workspace

    kept = kept_summary(args)  # the numbers of the last count, if nothing changed since
    if kept is not None:
        summary, now = kept
        stats = summary.stats(now)
    else:
        workspace = open_workspace(args)
        if workspace is None:
            return 1
        stats = workspace.stats()
    print(stats.to_json() if args.json else render_text(stats))
    return 0
