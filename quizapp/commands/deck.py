"""`quizapp deck`: write, check, add, list, remove, import and export decks.

Every command that writes creates a new file in the user decks folder (never replacing
one) under a name computed from a validated deck id; nothing is written when the input
has a problem. Removing a deck leaves its scores in the score file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

LARGE_IMPORT = 256 * 1024  # bytes: above this, an import reports its progress on stderr

TEMPLATE = """\
# A quizapp deck: a TOML file. Check it with:  quizapp deck validate {filename}
# Lines starting with # are comments. Text goes in "double quotes".
format = 1  # the version of the deck format; leave it at 1

[deck]
id = {deck_id}  # names the file and the scores: letters, digits, - and _
title = {title}  # shown in the app
description = ""  # optional: a sentence about the deck
source = ""  # optional: where the questions come from
tags = []  # optional: words to find the deck by, e.g. ["history"]

# Each [[cards]] table below is one card. Every card needs:
#   id        unique in this deck; keep it when you reword a card (progress is kept under it)
#   kind      choice, text, flip, order or cloze
#   question  what is asked
#   answer    the right answer (for an order card: the list, in the right order;
#             a cloze card has none: its gaps are the answers)
# and may have:
#   accept       other typed answers that also count as right
#   explanation  shown after the card is answered
#   tags         words to filter cards by
#   reverse      true on a flip or text card: also ask it back to front, as its own card

# choice: pick the answer among it and its distractors (at least one; none equal to it).
[[cards]]
id = "capital-of-france"
kind = "choice"
question = "What is the capital of France?"
answer = "Paris"
distractors = ["Lyon", "Marseille", "Bordeaux"]
explanation = "Paris is also the largest city in France."
tags = ["geography"]

# text: type the answer; `accept` lists other answers that count as right.
[[cards]]
id = "largest-planet"
kind = "text"
question = "Which planet of the solar system is the largest?"
answer = "Jupiter"
accept = ["planet Jupiter"]

# flip: a flashcard: read the question, turn the card, and say whether you knew it.
# `reverse = true` also asks it back to front ("H2O" -> the question), with its own progress.
[[cards]]
id = "water-formula"
kind = "flip"
question = "The chemical formula of water"
answer = "H2O"
reverse = true

# order: put the items in order; `answer` lists them in the right order (2 or more).
[[cards]]
id = "inner-planets"
kind = "order"
question = "Order these planets from nearest to farthest from the Sun"
answer = ["Mercury", "Venus", "Earth", "Mars"]

# cloze: type what goes in a gap. Mark each gap in the question as {{{{c1::answer}}}} or
# {{{{c1::answer::hint}}}}; each gap number is asked as its own card, the others shown.
# No `answer` key: the gaps are the answers.
[[cards]]
id = "first-moon-landing"
kind = "cloze"
question = "{{{{c1::Neil Armstrong}}}} was the first person to walk on the Moon, in {{{{c2::1969::year}}}}."
"""


def register(subparsers) -> None:
    from quizapp.cli import add_location_options

    parser = subparsers.add_parser(
        "deck", help="write, check, add, list, remove, import and export decks",
        description="Manage decks: your own (in the user decks folder), the bundled ones "
        "and any extra deck folders.")
    add_location_options(parser)
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])
    sub = parser.add_subparsers(title="deck commands", metavar="ACTION")

    def command(name: str, help_text: str, func) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_location_options(p)
        p.set_defaults(func=func)
        return p

    p = command("new", "write a commented template deck into your decks folder", run_new)
    p.add_argument("title", help="the deck's title (its id is made from it)")
    p.add_argument("--id", dest="deck_id", help="the deck id (default: from the title)")

    p = command("add", "check a deck file, then copy it into your decks folder", run_add)
    p.add_argument("file", type=Path, metavar="FILE", help="the deck file (TOML) to add")
    _update_options(p)

    p = command("validate", "check deck files; print each problem as file:line: field: message",
                run_validate)
    p.add_argument("files", type=Path, nargs="+", metavar="FILE", help="deck files (TOML)")
    p.add_argument("--lint", action="store_true",
                   help="also check question quality: answers given away by the question, "
                   "guessable blanks, wrong options that are the answer or named in the "
                   "quote, near-duplicate questions")

    command("list", "list every deck found, and the files that could not be used", run_list)

    p = command("remove", "delete one of your decks (asks first; its scores are kept)", run_remove)
    p.add_argument("deck_id", metavar="ID", help="the id of one of your decks")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")

    p = command("import", "make decks in your decks folder from an Anki package (.apkg, "
                ".colpkg) or an Anki, Quizlet, CSV or TSV file", run_import)
    p.add_argument("file", type=Path, metavar="FILE", help="the file to import")
    p.add_argument("--format", default="auto",
                   choices=("auto", "anki", "csv", "tsv", "quizlet"),
                   help="text input format (default: auto, from its headers and extension)")
    p.add_argument("--id", dest="deck_id", help="the new deck's id (default: from the title)")
    p.add_argument("--title", help="the new deck's title (default: Anki's #deck: or the file name)")
    p.add_argument("--deck", dest="anki_deck", metavar="NAME",
                   help="from an Anki package (or an Anki text export with a deck column), "
                   "import only this deck (its Anki name, e.g. 'Geography::Capitals', or the "
                   "id it gets); default: every deck, each on its own")
    p.add_argument("--with-progress", action="store_true",
                   help="from an Anki package, bring the review history into your score file "
                   "(replayed through FSRS, so due dates come along; each review counts once, "
                   "however often you import)")
    p.add_argument("--strict", action="store_true",
                   help="refuse the import when a note or row cannot become a card "
                   "(default: skip it with a warning)")
    p.add_argument("--separator", metavar="SEP",
                   help="text files: what separates the cells (tab, comma, semicolon, pipe, "
                   "colon, space or one character); default: found from the file")
    p.add_argument("--row-separator", metavar="SEP",
                   help="Quizlet exports: what separates the cards when it is not a new line "
                   "(Quizlet's 'between cards' option, e.g. semicolon)")
    html = p.add_mutually_exclusive_group()
    html.add_argument("--html", dest="html", action="store_true", default=None,
                      help="text files: the cells hold HTML (Anki exports); tags are removed, "
                      "<br> becomes a new line, images become [image: NAME]")
    html.add_argument("--no-html", dest="html", action="store_false",
                      help="text files: the cells are plain text, even if they look like HTML")
    _update_options(p)
    p = command("export", "write a deck as Anki text, an Anki .apkg package or CSV", run_export)
    p.add_argument("deck_id", metavar="ID", help="the deck to export (see `quizapp deck list`)")
    p.add_argument("out", type=Path, metavar="OUT", help="the file to write")
    p.add_argument("--format", choices=("anki", "apkg", "csv"),
                   help="output format (default: from OUT's extension: .apkg, .csv, else anki)")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")


def _update_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--update", action="store_true",
                   help="replace the cards of a deck you already have with the same id; the "
                   "progress of every card whose id stays is kept")
    p.add_argument("--yes", "-y", action="store_true",
                   help="with --update: do not ask before cards with progress are removed")


def install_decks(workspace, changes, args, describe=None) -> int:
    """Show what each update adds, changes and removes, ask before cards with progress
    disappear (or need --yes), then write the decks (``Workspace.write_decks``). Returns
    the exit code; nothing is written when the person says no. ``describe(install)``
    prints a written deck."""
    from quizapp.decks import DeckError

    for install in changes.installs:
        if install.plan is None:
            continue
        plan = install.plan
        if plan.unchanged:
            same = install.old == install.deck
            print(f"{install.deck.id}: {'unchanged' if same else 'cards unchanged; deck details updated'}")
            continue
        print(f"{install.deck.id}: {plan.summary()}")
        for label, ids in (("added", plan.added), ("changed", plan.changed),
                           ("removed", plan.removed)):
            if ids:
                shown = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
                print(printable(f"  {label}: {shown}"))
    if changes.losing and not getattr(args, "yes", False):
        question = (f"{changes.losing} card(s) with progress will leave their deck (their "
                    "answers stay in the score file). Go on? [y/N] ")
        if not sys.stdin.isatty():
            return _fail([f"not updated: {changes.losing} card(s) with progress would be "
                          "removed; confirm on a terminal, or pass --yes"])
        if input(question).strip().lower() not in ("y", "yes"):
            print("nothing was changed")
            return 1
    try:
        workspace.write_decks(changes, describe)
    except DeckError as exc:
        return _fail(exc.problems)
    return 0


def printable(text: str) -> str:
    """``text`` safe to print on one line of a terminal: control characters (ESC, line
    breaks...) are shown as symbols such as ``␛`` instead of acting on the terminal."""
    from quizapp.text import visible

    return visible(text, one_line=True)


def _fail(problems: list[str]) -> int:
    for line in problems:
        print(printable(line), file=sys.stderr)
    return 1


def _toml_string(value: str) -> str:
    import tomli_w

    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def _workspace(args):
    """The decks found (the score file is not read: deck commands never need it)."""
    from quizapp.cli import locations
    from quizapp.workspace import Workspace

    workspace = Workspace(locations(args))
    workspace.reload_decks()
    return workspace


def run_new(args) -> int:
    from quizapp.decks import DeckError, deck_id_for, deck_path

    workspace = _workspace(args)
    deck_id = args.deck_id or deck_id_for(args.title, "my-deck")
    try:
        target = deck_path(workspace.locations.user_decks, deck_id)
        text = TEMPLATE.format(filename=target.name, deck_id=_toml_string(deck_id),
                               title=_toml_string(args.title))
        workspace.add_deck(text, target, hint="choose another with --id")
    except DeckError as exc:
        return _fail(exc.problems)
    except OSError as exc:
        return _fail([f"{target}: cannot write: {exc.strerror or exc}"])
    print(f"wrote {target}\nedit it, then check it with: quizapp deck validate {target}")
    return 0


def run_add(args) -> int:
    from quizapp.decks import DeckError, parse_deck, read_deck_text

    workspace = _workspace(args)
    try:
        text = read_deck_text(args.file)
        deck = parse_deck(text, args.file)
        changes = workspace.plan_decks([deck], args.file, update=args.update, texts=[text])
    except DeckError as exc:
        return _fail(exc.problems)

    def describe(install) -> None:
        verb = "updated" if install.old is not None else "added"
        print(f"{verb} {deck.id!r} ({len(deck.cards)} cards) as {install.target}")

    return install_decks(workspace, changes, args, describe)


def run_validate(args) -> int:
    from quizapp.decks import DeckError, load_deck_cached

    failed = False
    for path in args.files:
        try:
            # The deck cache holds only decks this quizapp validated, keyed by the file's
            # SHA-256: the same bytes are valid again; any change is parsed and checked.
            deck = load_deck_cached(path)
        except DeckError as exc:
            failed = True
            for line in exc.problems:
                print(printable(line))
            continue
        if getattr(args, "lint", False):
            from quizapp.quality import check_deck

            findings = check_deck(deck)
            for finding in findings:
                print(printable(f"{path}: cards[{finding.card}]: {finding.check}: {finding.message}"))
            if findings:
                failed = True
                continue
        asked = len(deck.asked)
        more = f", {asked} asked" if asked != len(deck.cards) else ""  # cloze gaps, reversed
        print(printable(f"{path}: OK ({deck.id!r}, {len(deck.cards)} cards{more})"))
    return 1 if failed else 0


def run_list(args) -> int:
    catalog = _workspace(args).catalog
    rows = [("ID", "TITLE", "CARDS", "ORIGIN", "PATH")]
    # CARDS counts what is asked (each cloze gap and reversed side), as the app's home does.
    rows += [(e.id, printable(e.deck.deck.title), str(len(e.deck.asked)), e.origin,
              printable(str(e.path))) for e in catalog.entries]
    # Columns are measured in terminal cells, not characters: a CJK character or an emoji
    # takes two cells, and padding by len() pushed the rows after such a title out of line.
    from rich.cells import cell_len, set_cell_size

    widths = [min(max(cell_len(r[i]) for r in rows), 40) for i in range(4)]
    for row in rows:
        cells = [set_cell_size(row[i], widths[i]) for i in range(4)]
        print("  ".join([*cells, row[4]]))
    if not catalog.entries:
        print("(no decks found)")
    if catalog.problems:
        print(f"\n{len(catalog.problems)} problem(s):", file=sys.stderr)
        for line in catalog.problems:
            print(f"  {printable(line)}", file=sys.stderr)
    return 0


def run_remove(args) -> int:
    from quizapp.workspace import CannotRemove

    workspace = _workspace(args)
    entry = workspace.deck_to_remove(args.deck_id)
    if isinstance(entry, CannotRemove):
        return _fail([_cannot_remove(entry, workspace.locations.user_decks)])
    if not args.yes:
        if not sys.stdin.isatty():
            return _fail([f"{entry.path}: not removed: confirm on a terminal, or pass --yes"])
        answer = input(f"Remove deck {entry.id!r} ({len(entry.deck.cards)} cards), file "
                       f"{entry.path}? Its scores are kept. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("kept")
            return 1
    try:
        workspace.remove_deck(entry)
    except OSError as exc:
        return _fail([f"{entry.path}: cannot remove: {exc.strerror or exc}"])
    print(f"removed {entry.path}; the scores of {entry.id!r} are kept in "
          f"{workspace.locations.scores}")
    return 0


def _cannot_remove(why, user_decks: Path) -> str:
    """The command line's words for a ``CannotRemove``."""
    entry = why.entry
    if why.reason == "bundled":
        return f"{entry.path}: deck {entry.id!r} is bundled with quizapp and cannot be removed"
    if why.reason == "elsewhere":
        return (f"{entry.path}: deck {entry.id!r} is in an extra deck folder, not in your "
                f"decks folder ({user_decks}); delete the file yourself")
    return f"no deck with id {why.deck_id!r} (see: quizapp deck list)"


class ProgressLine:
    """A progress line on stderr: updated in place on a terminal, else every quarter."""

    def __init__(self, label: str, stream=None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        step = percent if self.tty else percent // 25 * 25
        if step == self.shown:
            return
        self.shown = step
        if self.tty:
            end = "\n" if percent >= 100 else ""
            self.stream.write(f"\r{self.label}: {percent:3d}%{end}")
        else:
            self.stream.write(f"{self.label}: {step}%\n")
        self.stream.flush()


def run_import(args) -> int:
    from quizapp.decks import DeckError
    from quizapp.interop import InteropError, import_text_decks, is_package

    if is_package(args.file):
        return _import_package(args)
    if args.with_progress:
        return _fail([f"{args.file}: --with-progress is for Anki packages (.apkg, .colpkg): "
                      "a text export has no review history"])
    text_options = dict(separator=args.separator, row_separator=args.row_separator,
                        html=args.html, strict=args.strict, deck=args.anki_deck)
    try:
        size = args.file.stat().st_size
    except OSError as exc:
        return _fail([f"{args.file}: cannot read: {exc.strerror or exc}"])
    progress = ProgressLine(f"importing {args.file.name}") if size > LARGE_IMPORT else None
    try:
        results = import_text_decks(args.file, args.format, args.deck_id, args.title, progress,
                                    **text_options)
        workspace = _workspace(args)
        changes = workspace.plan_decks([r.deck for r in results], args.file, update=args.update)
    except (InteropError, DeckError) as exc:
        return _fail(exc.problems)
    warned = False
    for result in results:
        for line in result.warnings:
            warned = True
            print(printable(f"warning: {line}"), file=sys.stderr)
    if warned and results[0].layout:
        print(printable(f"note: {args.file} was read as {results[0].layout}; if that is "
                        "wrong, say how with --format, --separator or --html/--no-html"),
              file=sys.stderr)
    by_id = {r.deck.id: r for r in results}

    def describe(install) -> None:
        result = by_id[install.deck.id]
        deck = result.deck
        verb = "updated" if install.old is not None else "imported"
        print(printable(f"{verb} {len(deck.asked)} cards as deck {deck.id!r}: {install.target}"))
        if result.skipped:
            reasons = ", ".join(f"{n} {r}" for r, n in sorted(result.skipped.items()))
            print(f"imported {len(deck.asked)} cards, skipped {sum(result.skipped.values())} "
                  f"({reasons})")

    return install_decks(workspace, changes, args, describe)


def _import_package(args) -> int:
    from quizapp.decks import DeckError
    from quizapp.interop import InteropError, import_package

    if args.format != "auto" or args.separator or args.row_separator or args.html is not None:
        return _fail([f"{args.file}: an Anki package is not text: --format, --separator, "
                      "--row-separator and --html are for text files"])
    try:
        imports, collection = import_package(args.file, deck=args.anki_deck, strict=args.strict,
                                             deck_id=args.deck_id, title=args.title)
        workspace = _workspace(args)
        changes = workspace.plan_decks([i.deck for i in imports], args.file, update=args.update)
    except (InteropError, DeckError) as exc:
        return _fail(exc.problems)
    by_id = {i.deck.id: i for i in imports}
    for imported in imports:
        for line in imported.warnings:
            print(printable(f"warning: {line}"), file=sys.stderr)
    try:
        staged = workspace.stage_media(args.file, collection,
                                       {i.deck.id: i.media for i in imports})
    except (InteropError, OSError) as exc:
        problems = getattr(exc, "problems", None) or [f"{workspace.locations.user_decks}: {exc}"]
        return _fail([*problems, "nothing was imported"])

    def describe(install) -> None:
        imported = by_id[install.deck.id]
        verb = "updated" if install.old is not None else "imported"
        media = ""
        if imported.media:
            try:
                placed = staged.place(install.deck.id, install.target)
            except OSError as exc:
                print(printable(f"warning: {install.target.with_suffix('.media')}: media not "
                                f"copied: {exc.strerror or exc}"), file=sys.stderr)
            else:
                if placed is not None:
                    media = f"; media in {placed[0]} ({placed[1]} new file(s))"
        print(printable(f"{verb} deck {install.deck.id!r} ({imported.anki_name}): "
                        f"{len(install.deck.asked)} cards: {install.target}{media}"))

    with staged:
        code = install_decks(workspace, changes, args, describe)
    if code:
        return code
    cards = sum(len(i.deck.asked) for i in imports)
    skipped: dict[str, int] = {}
    for imported in imports:
        for reason, n in imported.skipped.items():
            skipped[reason] = skipped.get(reason, 0) + n
    with_media = sum(i.with_media for i in imports)
    line = f"imported {cards} cards in {len(imports)} deck(s)"
    if skipped:
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items()))
        line += f", skipped {sum(skipped.values())} note(s) ({reasons})"
    if with_media:
        line += f"; {with_media} card(s) show an [image: ...] or [sound: ...] placeholder"
    print(line)
    if args.with_progress:
        return _import_progress(workspace, collection, imports)
    return 0


def _import_progress(workspace, collection, imports) -> int:
    from quizapp.interop.anki_progress import HistoryImported
    from quizapp.store import ScoreFileError

    where = workspace.locations
    done = HistoryImported()
    problem = None
    try:
        workspace.import_history(collection, imports, done, more=lambda so_far: print(
            f"review history: {so_far.answers} answer(s) written so far...", file=sys.stderr,
            flush=True))
    except ScoreFileError as exc:
        problem = str(exc)
    except OSError as exc:
        problem = f"{where.scores}: {exc.strerror or exc}"
    if problem is not None and not done.answers:
        return _fail([f"review history not imported: {problem}"])
    line = (f"review history: {done.answers} answer(s) of {len(done.cards)} card(s) added to "
            f"{where.scores}")
    if done.suspended:
        line += f"; {done.suspended} card(s) suspended as in Anki"
    print(line)
    if problem is not None:
        return _fail([f"review history not all imported: {problem}; importing the package "
                      "again with --with-progress adds the rest, each review once"])
    return 0


def run_export(args) -> int:
    from quizapp.errors import InteropError, NotFound

    fmt = args.format or {".apkg": "apkg", ".csv": "csv"}.get(args.out.suffix.lower(), "anki")
    warnings: list[str] = []
    try:
        entry = _workspace(args).export_deck(args.deck_id, args.out, fmt, replace=args.force,
                                             warnings=warnings)
    except NotFound:
        return _fail([f"no deck with id {args.deck_id!r} (see: quizapp deck list)"])
    except FileExistsError:
        return _fail([f"{args.out}: already exists; pass --force to replace it"])
    except IsADirectoryError:
        return _fail([f"{args.out}: is a folder; give a file name"])
    except InteropError as exc:
        return _fail(exc.problems)
    except OSError as exc:
        return _fail([f"{args.out}: cannot write: {exc.strerror or exc}"])
    for line in warnings:
        print(printable(f"warning: {line}"), file=sys.stderr)
    print(f"exported {len(entry.deck.cards)} cards of {entry.id!r} as {fmt} to {args.out}")
    return 0
