"""What a person sees after answering: right or wrong, the answer, why, and where from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from quizapp.session import Outcome
from quizapp.ui.text import card_content


class Feedback(Vertical):
    DEFAULT_CSS = """
    Feedback {
        height: auto; display: none; margin-top: 1; padding: 0 1; border-left: thick $primary;
    }
    Feedback.-shown { display: block; }
    Feedback.-right { border-left: thick $success; }
    Feedback.-wrong { border-left: thick $error; }
    Feedback #verdict { text-style: bold; }
    Feedback.-right #verdict { color: $text-success; }
    Feedback.-wrong #verdict { color: $text-error; }
    Feedback #explanation { margin-top: 1; }
    Feedback #section { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="verdict")
        yield Static(id="expected")
        yield Static(id="explanation")
        yield Static(id="section")

    def show(self, outcome: Outcome) -> None:
        card = outcome.item.card
        if card.kind == "flip":
            verdict = f"Graded {outcome.response}" + ("" if outcome.correct else " (counts as wrong)")
        elif outcome.correct:
            verdict = "✔ Right" + ("" if outcome.exact else " (despite a typo)")
        else:
            verdict = "✘ Wrong"
        self.query_one("#verdict", Static).update(Content(verdict))
        expected = Content.assemble(("Answer: ", "bold"), card_content(outcome.expected))
        if card.kind in ("text", "cloze") and not (outcome.correct and outcome.exact):
            said = card_content(outcome.response, one_line=True)
            expected = Content.assemble(("You said: ", "bold"), said, "\n", expected)
        self.query_one("#expected", Static).update(expected)
        explanation = self.query_one("#explanation", Static)
        explanation.update(card_content(card.explanation))
        explanation.display = bool(card.explanation.strip())
        section = self.query_one("#section", Static)
        where = card_content(card.section, one_line=True)
        section.update(Content.assemble("From the article: ", where))
        section.display = bool(card.section.strip())
        self.set_class(outcome.correct, "-right")
        self.set_class(not outcome.correct, "-wrong")
        self.add_class("-shown")

    def hide(self) -> None:
        self.remove_class("-shown", "-right", "-wrong")
