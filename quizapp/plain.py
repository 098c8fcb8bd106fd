"""The line-by-line front end: the same session engine as the app, on stdin and stdout.

For scripts, screen readers and dumb terminals. Every prompt reads one line. Besides an
answer, a line can be one of these commands:

    :s  skip this question      :u  undo the last answer      :q  quit (answers are kept)

End of input quits the same way as ``:q``; so do SIGTERM, SIGHUP (a closed terminal)
and a closed output pipe: the session's end is written and the answers are kept (see
``signals``). Card text is printed through ``text.visible``, so control characters in a
deck cannot drive the terminal.
"""

from __future__ import annotations

from typing import TextIO

from quizapp import signals
from quizapp.format import duration, percent
from quizapp.scheduling import Grade, interval_label
from quizapp.session import Item, Outcome, Session
from quizapp.text import visible

HELP = "(:s skip, :u undo, :q quit)"


class _Quit(Exception):
    pass


class _OutputGone(Exception):
    """The terminal or pipe we print to is closed."""


class PlainRunner:
    def __init__(self, session: Session, inp: TextIO, out: TextIO, title: str = "") -> None:
        self.session = session
        self.inp = inp
        self.out = out
        self.title = title
        self.ending = signals.EndingSignals()
        self.output_gone = False

    # ---------------------------------------------------------------- io

    def say(self, line: str = "") -> None:
        self._write(line + "\n")

    def _write(self, text: str) -> None:
        if self.output_gone:
            return
        try:
            self.out.write(text)
            self.out.flush()
        except (BrokenPipeError, OSError, ValueError):  # closed pipe or terminal
            self.output_gone = True
            signals.silence_stdout()
            raise _OutputGone from None

    def ask(self, prompt: str) -> str:
        """One line of input; raises _Quit at end of input or on ':q' (and
        ``signals.Ended`` when SIGTERM or SIGHUP arrives while waiting)."""
        self._write(prompt)
        try:
            with self.ending.waiting():
                line = self.inp.readline()
        except OSError:  # the terminal went away
            line = ""
        if not line:
            self.say()
            raise _Quit
        line = line.rstrip("\r\n")
        if line.strip() == ":q":
            raise _Quit
        return line

    # ---------------------------------------------------------------- flow

    def run(self) -> int:
        with self.ending:
            code = self._run()
            record = self.session.finish()
        try:
            self.summary(record.score, self.session.out_of)
        except _OutputGone:
            pass
        return code

    def _run(self) -> int:
        """Ask until the session is over or ends early; the exit code."""
        s = self.session
        code = 0
        try:
            if self.title:
                noun = "question" if s.total == 1 else "questions"
                self.say(f"== {visible(self.title, one_line=True)}: {s.total} {noun} {HELP}")
            while s.current is not None:
                self.ending.check()
                item = s.current
                self.say()
                number, of, _done = s.progress
                round_text = f", round {s.round}" if s.rounds and s.round > 1 else ""
                self.say(f"Question {number}/{of}{round_text}  (score {s.score})")
                self.say(visible(item.card.question))
                outcome = self.ask_card(item)
                if outcome is None:
                    continue
                self.feedback(outcome)
                s.advance()
        except (_Quit, _OutputGone):
            pass
        except KeyboardInterrupt:  # ctrl+c ends the session like :q (its score is kept)
            code = 130
        except signals.Ended as ended:  # SIGTERM, SIGHUP: the same
            code = signals.exit_code(ended.signum)
        if code:
            try:
                self.say()
            except _OutputGone:
                pass
        return code

    def command(self, line: str) -> bool:
        """Handle :s / :u; True when the line was a command."""
        word = line.strip()
        if word == ":s":
            self.session.skip()
            self.say("Skipped.")
            return True
        if word == ":u":
            if self.session.undo() is None:
                self.say("Nothing to undo.")
            else:
                self.say("Undone: that question again.")
            return True
        return False

    def ask_card(self, item: Item) -> Outcome | None:
        card = item.card
        s = self.session
        if card.kind == "choice":
            options = s.choices(item)
            for n, option in enumerate(options, 1):
                self.say(f"  {n}) {visible(option, one_line=True)}")
            while True:
                line = self.ask(f"Your choice (1-{len(options)}) {HELP}: ")
                if self.command(line):
                    return None
                picked = _pick(line, options)
                if picked is not None:
                    return s.answer(picked)
                self.say(f"Type a number from 1 to {len(options)}, or the option itself.")
        if card.kind in ("text", "cloze"):
            while True:
                line = self.ask(f"Your answer {HELP}: ")
                if self.command(line):
                    return None
                if line.strip():
                    return s.answer(line)
                self.say("Type an answer, or :s to skip.")
        if card.kind == "flip":
            line = self.ask(f"Press Enter to see the answer {HELP}: ")
            if self.command(line):
                return None
            self.say(f"Answer: {visible(card.answer_text)}")
            intervals = s.grade_intervals(item)
            grades = ", ".join(f"{g.value} {g.label} {interval_label(intervals[g])}"
                               for g in Grade)
            while True:
                line = self.ask(f"How well did you know it? ({grades}): ")
                if self.command(line):
                    return None
                if line.strip() in {"1", "2", "3", "4"}:
                    return s.grade(int(line.strip()))
                self.say("Type 1, 2, 3 or 4.")
        # order
        items = s.order_items(item)
        for n, text in enumerate(items, 1):
            self.say(f"  {n}) {visible(text, one_line=True)}")
        while True:
            # No example order: any example could be the answer itself.
            line = self.ask(f"The numbers 1-{len(items)} in the right order, separated by "
                            f"spaces {HELP}: ")
            if self.command(line):
                return None
            order = _order(line, len(items))
            if order is not None:
                return s.answer([items[i - 1] for i in order])
            self.say(f"Give each number from 1 to {len(items)} once, separated by spaces.")

    def feedback(self, outcome: Outcome) -> None:
        card = outcome.item.card
        if card.kind == "flip":
            self.say(f"Graded: {outcome.response}.")
        elif outcome.correct:
            typo = "" if outcome.exact else f" (we read it as: {visible(outcome.expected)})"
            self.say(f"Right!{typo}")
        else:
            self.say(f"Wrong. The answer: {visible(outcome.expected)}")
        if card.explanation:
            self.say(visible(card.explanation))
        if card.section:
            self.say(f"From the article: {visible(card.section)}")

    def summary(self, score: int, total: int) -> None:
        s = self.session
        self.say()
        share = f" ({percent(score, total)})" if total else ""
        self.say(f"Score: {score}/{total}{share} in {duration(s.elapsed())}")
        if s.skipped_count:
            self.say(f"Skipped: {s.skipped_count}")
        if s.missed:
            self.say("Missed:")
            for item in s.missed:
                self.say(f"  - {visible(item.card.question, one_line=True)}")
                self.say(f"    answer: {visible(item.card.answer_text, one_line=True)}")


def _pick(line: str, options: list[str]) -> str | None:
    text = line.strip()
    if text.isdigit() and 1 <= int(text) <= len(options):
        return options[int(text) - 1]
    for option in options:
        if text and text.casefold() == option.casefold():
            return option
    return None


def _order(line: str, count: int) -> list[int] | None:
    parts = line.replace(",", " ").split()
    if not all(p.isdigit() for p in parts):
        return None
    numbers = [int(p) for p in parts]
    if sorted(numbers) != list(range(1, count + 1)):
        return None
    return numbers


def run_plain(session: Session, inp: TextIO, out: TextIO, title: str = "") -> int:
    """Ask the session's questions line by line; returns the exit code."""
    return PlainRunner(session, inp, out, title).run()
