"""`quizapp extract` and `quizapp import-article`: an article's text into a dataset, or
straight into decks.

``extract ARTICLE.txt`` prints the dataset (TOML, the bundled dataset's schema) or writes
it with ``-o FILE``; an existing FILE is only replaced with ``--force``, and the write is
atomic. ``--evaluate GOLD.toml`` compares the result with a hand-made dataset and prints
speaker precision and recall and the encounters found; without ``-o`` it prints only
those figures.

``import-article ARTICLE.txt`` extracts, generates the decks and adds them to your decks
folder, then reports what it found and what it left out, and why. It never replaces a
deck: when a deck with one of the new ids already exists, it names that file and writes
nothing.

Card ids follow what a card asks, not where the article put it (``contentids.content_ids``:
"who.reyes-3f9a2c" for who said one quote). ``import-article --update`` of an edited
article matches each card made now to the card made before that asks the same
(``deckmerge``: the same quote or encounter, or a lightly reworded quote with the same
answer) and keeps that card's id, so every answer stays with its question, also for
decks imported before ids followed content. It prints, per deck, how many cards were
kept, added and removed; removed cards' answers stay in the score file.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2

EXTRACT_DESCRIPTION = """\
Read a plain-text article and write a dataset (the schema of quizapp's bundled article
dataset): people, places, encounters, quotes with their speakers, and facts. Rules only,
nothing is downloaded. Each quote and encounter records its evidence: the character span
in the article and the name of the rule that found it. A quote whose speaker no rule is
sure of is kept without one.
"""

IMPORT_DESCRIPTION = """\
Extract a dataset from a plain-text article, generate question decks from it and add them
to your decks folder. Prints what was found, and what was left out and why. Existing decks
are never replaced.
"""

# The generator's decks, described for an imported article (its own texts are about the
# bundled article).
_DESCRIPTIONS = {
    "who-said-it": "Who said each quote of the article, and the missing word of each quote.",
    "where-and-when": "Where and when the article's encounters took place, and their order.",
    "the-whole-story": "At which encounter each quote was said, with flash cards.",
}


def register(subparsers) -> None:
    from quizapp.cli import add_location_options

    parser = subparsers.add_parser(
        "extract",
        help="read an article (plain text) into a dataset file",
        description=EXTRACT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("article", metavar="ARTICLE", nargs="?",
                        help="the article: a UTF-8 text file, a saved web page (.html) or an "
                        "http(s) link (pages and links need the 'html' extra); not needed "
                        "with --evaluate FOLDER")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write the dataset here (default: print it)")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.add_argument("--title", metavar="T", help="the article's title (default: its first line "
                        "when that reads like a title, else a placeholder naming its main people)")
    parser.add_argument("--evaluate", type=Path, metavar="GOLD",
                        help="compare with a hand-made dataset and print speaker precision "
                        "and recall and the encounters found (without -o, only the figures); "
                        "GOLD may be a NAME.gold.toml file, or a corpus folder of NAME.txt + "
                        "NAME.gold.toml pairs, for a table of every article and the total")
    parser.add_argument("--details", action="store_true",
                        help="with --evaluate FOLDER: also list each wrong and missed quote")
    add_location_options(parser)
    parser.set_defaults(func=run)

    parser = subparsers.add_parser(
        "import-article",
        help="turn an article (plain text) into decks in your decks folder",
        description=IMPORT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("article", metavar="ARTICLE",
                        help="the article: a UTF-8 text file, a saved web page (.html) or an "
                        "http(s) link (pages and links need the 'html' extra)")
    parser.add_argument("--id", dest="deck_id", metavar="ID",
                        help="first part of the new decks' ids (default: from the title)")
    parser.add_argument("--title", metavar="T", help="the article's title")
    parser.add_argument("--update", action="store_true",
                        help="replace the cards of decks made from this article before (same "
                        "deck ids); each question keeps its answers, matched by its quote or "
                        "encounter wherever the edited article puts it")
    parser.add_argument("--yes", "-y", action="store_true",
                        help="with --update: do not ask before cards with progress are removed")
    add_location_options(parser)
    parser.set_defaults(func=run_import)


def _read_article(spec):
    """The article (``extract.sources.Article``), or None after printing why not."""
    from quizapp.extract.sources import ArticleError, read_article
    from quizapp.text import visible

    try:
        return read_article(spec)
    except ArticleError as exc:
        print(visible(str(exc)), file=sys.stderr)
        return None


def dump_dataset(dataset, article_name: str) -> str:
    import tomli_w

    data = dataset.model_dump(mode="python", exclude_none=True)
    data = {"format": dataset.format, **{k: v for k, v in data.items() if k != "format"}}
    header = (
        f"# Extracted by `quizapp extract` from {article_name}.\n"
        "# evidence: start/end are character offsets in the article (line endings read as\n"
        "# \\n, as Python's text mode reads them); rule names the rule that found it.\n\n"
    )
    return header + tomli_w.dumps(data)


def run(args: argparse.Namespace) -> int:
    from quizapp.extract.pipeline import extract
    from quizapp.fsutil import atomic_write_text
    from quizapp.text import visible

    if args.evaluate is not None and args.evaluate.is_dir():
        return _evaluate_corpus(args)
    if args.article is None:
        print("extract: an ARTICLE.txt is needed (or --evaluate FOLDER)", file=sys.stderr)
        return EXIT_BAD_INPUT
    article = _read_article(args.article)
    if article is None:
        return EXIT_BAD_INPUT
    if args.evaluate is not None and args.evaluate.name.endswith(".gold.toml"):
        return _evaluate_one(args, article)
    gold = None
    if args.evaluate is not None:
        from quizapp.generate import DatasetError, load_dataset

        try:
            gold = load_dataset(args.evaluate)
        except DatasetError as exc:
            for line in exc.problems:
                print(line, file=sys.stderr)
            return EXIT_BAD_INPUT
    if args.output is not None and args.output.exists() and not args.force:
        print(f"{args.output}: already exists (use --force to replace it)", file=sys.stderr)
        return EXIT_FAILED
    result = extract(article.text, title=args.title or article.title, source=article.name,
                     published=article.published)
    output = dump_dataset(result.dataset, article.name)
    if args.output is not None:
        try:
            atomic_write_text(args.output, output)
        except OSError as exc:
            print(f"{args.output}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_FAILED
        print(f"wrote {args.output}: {counts_line(result)}", file=sys.stderr)
    elif gold is None:
        sys.stdout.write(output)
    if gold is not None:
        from quizapp.extract.evaluate import evaluate, format_evaluation

        print(f"{article.name} against {args.evaluate.name}:")
        print(visible(format_evaluation(evaluate(result.dataset, gold))))
    return 0


def _evaluate_corpus(args: argparse.Namespace) -> int:
    from quizapp.extract.corpus import GoldError, corpus_articles, evaluate_corpus, format_table
    from quizapp.extract.pipeline import extract
    from quizapp.text import visible

    if not corpus_articles(args.evaluate):
        print(f"{args.evaluate}: no NAME.txt with a NAME.gold.toml beside it", file=sys.stderr)
        return EXIT_BAD_INPUT

    def extract_file(path: Path):
        article = _read_article(path)
        if article is None:
            return extract(" ", source=path.name)
        return extract(article.text, source=article.name, published=article.published)

    try:
        scores, total = evaluate_corpus(args.evaluate, extract_file)
    except GoldError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    print(visible(format_table(scores, total, details=args.details)))
    return 0


def _evaluate_one(args: argparse.Namespace, article) -> int:
    from quizapp.extract.corpus import GoldError, format_table, load_gold, score
    from quizapp.extract.pipeline import extract
    from quizapp.text import visible

    try:
        gold = load_gold(args.evaluate)
    except GoldError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    one = score(article.stem, extract(article.text, title=args.title, source=article.name,
                                      published=article.published), gold)
    print(visible(format_table([one], None, details=True)))
    return 0


def counts_line(result) -> str:
    ds = result.dataset
    attributed = sum(1 for q in ds.quotes if q.speaker is not None)
    return (f"{len(ds.people)} people, {len(ds.quotes)} quotes ({attributed} attributed), "
            f"{len(ds.places)} places, {len(ds.encounters)} encounters, {len(ds.facts)} facts")


_LEFT_OUT = {
    "abstained": "quotes kept without a speaker",
    "question": "questions put in an interview (not quotations)",
    "scare-quote": "scare quotes (not quotations)",
    "term": "single quoted words (not quotations)",
    "title": "quoted titles (not quotations)",
    "unclosed-quote": "quote marks never closed",
    "relative-date": "relative dates (skipped)",
    "encounter": "meetings whose people are not all known",
    "caption": "photo caption (not article text)",
}


def report_lines(result) -> list[str]:
    """What was found, then what was left out and why, one item a line."""
    from quizapp.text import visible

    ds = result.dataset
    lines = [f"found: {counts_line(result)}"]
    for q in ds.quotes:
        if q.speaker is not None:
            lines.append(f"  {ds.person(q.speaker).name}: “{_short(q.text)}” "
                         f"[{q.evidence.rule if q.evidence else '?'}]")
    for e in ds.encounters:
        lines.append(f"  encounter: {e.summary}")
    if result.notes:
        lines.append("left out:")
    for kind, heading in _LEFT_OUT.items():
        notes = [n for n in result.notes if n.kind == kind]
        if notes:
            lines.append(f"  {heading}: {len(notes)}")
            lines += [f"    “{_short(n.text)}” at {n.start}: {n.reason}" for n in notes]
    # The article's text is data: its control characters must not drive the terminal.
    return [visible(line) for line in lines]


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


# The generator's decks as an imported article names them: a short id suffix and a title
# that starts with what the deck asks, so that three decks of one article differ at a glance.
_KINDS = {
    "who-said-it": ("who", "Who said it"),
    "where-and-when": ("where-when", "Where and when"),
    "the-whole-story": ("story", "The story"),
}
_SLUG_SKIP = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "from",
              "by", "s", "is", "are", "its", "as", "after", "over", "into", "about"}
SLUG_WORDS = 4
SLUG_CHARS = 28


def article_slug(title: str, fallback: str) -> str:
    """A short id from an article's title: its first few significant words ("Harbour tunnel
    reopens after flood repairs" -> "harbour-tunnel-reopens-flood"), else from ``fallback``."""
    words = [w for w in re.split(r"[^a-z0-9]+", title.lower()) if w and w not in _SLUG_SKIP]
    base = ""
    for word in words[:SLUG_WORDS]:
        if len(base) + len(word) + 1 > SLUG_CHARS:
            break
        base = f"{base}-{word}" if base else word
    if not base:
        base = re.sub(r"[^a-z0-9]+", "-", fallback.lower()).strip("-")[:SLUG_CHARS].strip("-")
    return base or "article"


def _deck_base(args, title: str, stem: str) -> str:
    """``--id``, else a short slug of the title, else of the file name."""
    if args.deck_id is not None:
        return args.deck_id
    return article_slug(title, stem)


def run_import(args: argparse.Namespace) -> int:
    from quizapp import decks as deckstore
    from quizapp.cli import locations
    from quizapp.errors import QuizappError
    from quizapp.extract.pipeline import extract
    from quizapp.contentids import content_ids
    from quizapp.generate import build_decks
    from quizapp.models import Deck, DeckInfo
    from quizapp.workspace import Workspace, deck_text

    article = _read_article(args.article)
    if article is None:
        return EXIT_BAD_INPUT
    result = extract(article.text, title=args.title or article.title, source=article.name,
                     published=article.published)
    base = _deck_base(args, result.dataset.article.title, article.stem)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}", base):
        print(f"--id: {base!r} is not a valid deck id (letters, digits, - and _; "
              "at most 60 characters)", file=sys.stderr)
        return EXIT_BAD_INPUT
    dataset = content_ids(result.dataset)
    generated = build_decks(dataset)
    if not generated:
        for line in report_lines(result):
            print(line)
        print(f"{args.article}: no questions could be made from this article "
              "(no attributed quotes, encounters or facts)", file=sys.stderr)
        return EXIT_FAILED
    from quizapp.quality import check_dataset_decks

    findings = check_dataset_decks(dataset, generated)
    failing = {(f.deck, f.card) for f in findings}
    generated = [d.model_copy(update={"cards": [c for c in d.cards
                                                if (d.id, c.id) not in failing]})
                 for d in generated]
    generated = [d for d in generated if d.cards]
    if not generated:
        for line in report_lines(result):
            print(line)
        print(f"{args.article}: no question passed the quality checks", file=sys.stderr)
        return EXIT_FAILED
    title = dataset.article.title
    new = []
    for d in generated:
        suffix, kind = _KINDS.get(d.id, (d.id, d.deck.title))
        new.append(Deck(
            deck=DeckInfo(id=f"{base}-{suffix}", title=f"{kind}: {title}",
                          description=_DESCRIPTIONS.get(d.id, d.deck.description),
                          source=f"“{title}” ({article.url or article.name})",
                          tags=["imported-article", base]),
            cards=d.cards))
    quality_lines = _quality_lines(findings, failing)
    workspace = Workspace(locations(args))
    workspace.reload_decks()
    if args.update and (earlier := _earlier_bases(workspace, new, article)):
        # The title was edited (the ids come from it), or the decks were made with --id:
        # decks of this article exist under other ids. Adding a second set beside them
        # would leave their answers behind; updating them is the person's choice.
        print(f"{args.article}: decks made from {article.url or article.name} before have "
              f"the id {' or '.join(repr(b) for b in earlier)}, not {base!r}: pass --id "
              f"{earlier[0]} to update them, or leave out --update to add new decks; nothing "
              "was written", file=sys.stderr)
        return EXIT_FAILED
    try:
        merges = _merge_decks(workspace, new, update=args.update)
    except QuizappError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_FAILED
    if args.update:
        return _update_decks(workspace, args, merges, result, quality_lines, base)
    for line in report_lines(result) + quality_lines:
        print(line)
    try:
        added = workspace.add_decks(
            [deck_text(m.deck) for m in merges], article.name,
            hint="if it is a deck of yours made from this article before, pass --update to "
                 "replace its cards (the progress of the cards that stay is kept); else choose "
                 "another --id")
    except deckstore.DeckError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"{workspace.locations.user_decks}: cannot write: {exc.strerror or exc}",
              file=sys.stderr)
        return EXIT_FAILED
    for deck, target in added:
        print(f"added deck {deck.id} ({len(deck.cards)} cards): {target}")
    return 0


def _quality_lines(findings, failing) -> list[str]:
    """The report's lines on the cards the quality checks left out, and why."""
    from quizapp.text import visible

    if not findings:
        return []
    return [f"cards left out by the quality checks: {len(failing)}"] + [
        visible(f"  {f.card}: {f.check}: {f.message}") for f in findings]


def _earlier_bases(workspace, decks, article) -> list[str]:
    """The ``--id``s of the person's decks made from this article (by file name or link)
    under other ids, when none of ``decks``' ids is taken; else []."""
    if any(workspace.catalog.get(deck.id) is not None for deck in decks):
        return []
    made_from = f"({article.url or article.name})"
    bases = []
    for entry in workspace.catalog.entries:
        info = entry.deck.deck
        if (entry.origin == "user" and info.source.endswith(made_from)
                and len(info.tags) == 2 and info.tags[0] == "imported-article"
                and info.tags[1] not in bases):
            bases.append(info.tags[1])
    return bases


def _merge_decks(workspace, decks, *, update: bool) -> list:
    """Each new deck with its cards' ids settled (``deckmerge.merge``). With ``update``,
    the cards of the person's own deck of that id keep theirs, and no new card takes an
    id the score file has answers for in that deck (a card removed by an earlier update):
    the score file is read for that, and ``ScoreFileError`` raised when it cannot be
    (nothing is written then).

    A new deck's cards keep their content ids without reading the score file (a 100,000-
    card file costs seconds and hundreds of MB the first time). Answers found under those
    ids are from a deck of the same id removed before, given to the same quote: the id is
    made from its words, so they are that question's answers."""
    from quizapp.deckmerge import merge

    olds = []
    for deck in decks:
        entry = workspace.catalog.get(deck.id) if update else None
        olds.append(entry.deck if entry is not None and entry.origin == "user" else None)
    records = workspace.store.load().cards if any(olds) else {}
    return [merge(old, deck, known=records.get(deck.id, {}).keys())
            for old, deck in zip(olds, decks)]


def _update_decks(workspace, args, merges, result, quality_lines: list[str],
                  base: str) -> int:
    """``import-article --update``: write new decks and replace the cards of existing
    ones, each card under the id of the card made before that asks the same (``merges``),
    so its answers stay with it. Prints per deck what was kept, added and removed, and
    asks before cards with answers leave (or needs --yes)."""
    from quizapp.errors import QuizappError

    try:
        changes = workspace.plan_decks([m.deck for m in merges], args.article, update=True)
    except QuizappError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_FAILED
    for line in report_lines(result):
        print(line)
    for line in quality_lines:
        print(line)
    for m, install in zip(merges, changes.installs):
        if install.plan is not None:
            for line in merge_lines(m, install.old, install.plan):
                print(line)
    # A deck the edited article no longer fills (its encounters gone, say) is not
    # touched: its cards and answers stay, and the person decides.
    made = {m.deck.id for m in merges}
    for suffix, _ in _KINDS.values():
        entry = workspace.catalog.get(f"{base}-{suffix}")
        if entry is not None and entry.origin == "user" and entry.id not in made:
            print(f"{entry.id}: the article gives it no cards any more; left as it is "
                  f"(`quizapp deck remove {entry.id}` removes it)")
    if changes.losing and not args.yes:
        question = (f"{changes.losing} card(s) with answers will leave their deck (their "
                    "answers stay in the score file). Go on? [y/N] ")
        if not sys.stdin.isatty():
            print(f"not updated: {changes.losing} card(s) with answers would be removed; "
                  "confirm on a terminal, or pass --yes", file=sys.stderr)
            return EXIT_FAILED
        if input(question).strip().lower() not in ("y", "yes"):
            print("nothing was changed")
            return EXIT_FAILED

    def describe(install) -> None:
        verb = "updated" if install.old is not None else "added"
        if install.old is None or install.old != install.deck:
            print(f"{verb} deck {install.deck.id} ({len(install.deck.cards)} cards): "
                  f"{install.target}")

    try:
        workspace.write_decks(changes, describe)
    except QuizappError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_FAILED
    return 0


SHOWN = 8
LINE = 80


def merge_lines(m, old, plan) -> list[str]:
    """What an update does to one deck: "chess-who: kept 11, added 1, removed 1", then
    the cards reworded, added and removed, each by id and quote or question (the first
    few)."""
    from quizapp.contentids import card_passage
    from quizapp.text import visible

    if plan.unchanged and not m.added and not m.removed:
        if old == m.deck:
            return [f"{m.deck.id}: unchanged"]
        if old is not None and old.deck == m.deck.deck:
            return [f"{m.deck.id}: cards unchanged, in the article's new order"]
        return [f"{m.deck.id}: cards unchanged; deck details updated"]
    answered = set(plan.removed_with_progress)
    head = f"{m.deck.id}: kept {len(m.kept)}, added {len(m.added)}, removed {len(m.removed)}"
    if answered:
        head += (f" ({len(answered)} answered: {'its' if len(answered) == 1 else 'their'} "
                 "answers stay in the score file)")
    lines = [head]
    new_cards = {c.id: c for c in m.deck.cards}
    old_cards = {c.id: c for c in old.cards} if old is not None else {}
    listed = set(m.reworded) | set(m.reanswered)
    retold = [cid for cid in plan.changed if cid not in listed]
    for label, ids, cards in (("reworded, progress kept", m.reworded, new_cards),
                              ("new answer, progress kept", m.reanswered, new_cards),
                              ("added", m.added, new_cards),
                              ("removed", m.removed, old_cards)):
        for cid in ids[:SHOWN]:
            mark = " (answered)" if cid in answered else ""
            head = f"  {label}: {cid}{mark}: "
            passage = card_passage(cards[cid])
            what = cards[cid].question if passage is None else f"“{passage}”"
            lines.append(head + _short(what, max(30, LINE - len(head))))
        if len(ids) > SHOWN:
            lines.append(f"  {label}: {len(ids) - SHOWN} more")
    if retold:
        lines.append(f"  {len(retold)} kept card(s) with new wording or options")
    return [visible(line, one_line=True) for line in lines]
