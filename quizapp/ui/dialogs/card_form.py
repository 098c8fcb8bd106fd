"""The form that adds or edits one card of a user deck.

``CardForm`` dismisses with the new ``Card`` once the fields make a valid card, or with
None when cancelled. It checks the card with the pydantic ``Card`` model and shows every
problem inline, as ``cards[3].answer: message`` (the card's place in the deck and the
field), and stays open until they are fixed. An edited card keeps its id (the field is
fixed), so its progress in the score file stays with it.

A ``draft`` fills the fields with a card the person wrote whose save failed (a full disk,
the file changed on disk meanwhile), with ``notice`` saying why: nothing they typed is lost,
and Cancel asks before throwing it away.

List fields take one item per line: an order card's answer (in the right order), the
distractors and the accepted alternatives. Tags are separated by spaces.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from quizapp import text as guard
from quizapp.decks import validation_problems
from quizapp.models import Card, Deck
from quizapp.text import visible
from quizapp.ui.dialogs.confirm import ConfirmScreen
from quizapp.ui.dialogs.dialog import Dialog
from quizapp.ui.widgets.footer import FittedFooter

KINDS = ("choice", "text", "flip", "order", "cloze")


def free_card_id(deck: Deck) -> str:
    """An id no card of ``deck`` has yet: ``card-N`` with N one more than the number of cards."""
    taken = {card.id for card in deck.cards}
    number = len(deck.cards) + 1
    while f"card-{number}" in taken:
        number += 1
    return f"card-{number}"


def _has_controls(card: Card) -> bool:
    texts = [card.question, card.answer_text, *card.distractors, *card.accept, card.explanation,
             *card.tags, card.section]
    return any(guard.visible(text.replace("\n", " ")) != text.replace("\n", " ") for text in texts)


def lines(text: str) -> list[str]:
    """One item per non-blank line, each kept as typed (only a newline ends a line)."""
    return [line for line in text.split("\n") if line.strip()]


def form_problems(error: ValidationError, index: int) -> list[str]:
    """The card's validation errors as ``cards[index].field: message`` lines."""
    out = []
    for line in validation_problems("", error):
        text = line.removeprefix(": ")
        out.append(f"cards[{index}]: {text}" if text.startswith("(") else f"cards[{index}].{text}")
    return out


class CardForm(Dialog[Card | None]):
    """Add a card (``card`` is None) or edit ``card``; ``index`` is its place in the deck
    and ``ids`` the ids of the deck's cards in order (for the duplicate check)."""

    DEFAULT_CSS = """
    CardForm { align: center middle; }
    CardForm > VerticalScroll {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    CardForm #form-title { text-style: bold; margin-bottom: 1; }
    CardForm .field { height: auto; }
    CardForm .field > Label { width: 13; color: $text-muted; }
    CardForm .field > Input, CardForm .field > Select { width: 1fr; }
    CardForm .field > TextArea { width: 1fr; height: 2; background: $boost; }
    CardForm .field > Input { background: $boost; }
    CardForm #f-answer, CardForm #f-distractors { height: 3; }
    CardForm .hint { color: $text-muted; margin-bottom: 1; }
    CardForm #controls { color: $text-warning; }
    CardForm #errors { color: $text-error; height: auto; margin-bottom: 1; }
    CardForm #buttons { height: auto; }
    CardForm #buttons Button { margin-right: 2; }
    """

    HELP_NAME = "Card editor"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(self, card: Card | None, *, index: int, ids: Sequence[str], new_id: str,
                 file_name: str, draft: Card | None = None, notice: str | None = None) -> None:
        super().__init__()
        self.card = card
        self.draft = draft
        self.notice = notice
        self.index = index
        self.ids = list(ids)
        self.new_id = new_id
        self.file_name = file_name

    def _text(self, widget_id: str, raw: str) -> str:
        """What a field shows for ``raw``: control characters as visible symbols (an
        editor widget would send them to the terminal). ``values`` maps an unchanged field
        back to ``raw``, so they are kept unless the person edits that field."""
        shown = guard.visible(raw)
        self._raw[widget_id] = (shown, raw)
        return shown

    def compose(self) -> ComposeResult:
        card = self.draft or self.card  # what the fields show
        self._raw: dict[str, tuple[str, str]] = {}
        answer = "" if card is None else (
            "\n".join(card.answer) if isinstance(card.answer, list) else card.answer or "")
        name = visible(self.file_name, one_line=True)
        title = f"Edit card {self.card.id} of {name}" if self.card else f"New card for {name}"
        with VerticalScroll():
            yield Label(title, id="form-title", markup=False)
            with Horizontal(classes="field"):
                yield Label("Id")
                yield Input(card.id if card else self.new_id, id="f-id", compact=True,
                            disabled=self.card is not None)
            with Horizontal(classes="field"):
                yield Label("Kind")
                yield Select([(kind, kind) for kind in KINDS], value=card.kind if card else "text",
                             allow_blank=False, id="f-kind", compact=True)
            yield from self._area("Question", "f-question", card.question if card else "")
            with Horizontal(classes="field"):
                yield Label("Reverse")
                yield Checkbox("also ask it back to front (flip and text cards)",
                               card.reverse if card else False, id="f-reverse", compact=True)
            yield from self._area("Answer", "f-answer", answer)
            yield from self._area("Distractors", "f-distractors",
                                  "\n".join(card.distractors) if card else "")
            yield from self._area("Also accept", "f-accept", "\n".join(card.accept) if card else "")
            yield from self._area("Explanation", "f-explanation", card.explanation if card else "")
            with Horizontal(classes="field"):
                yield Label("Tags")
                yield Input(self._text("f-tags", " ".join(card.tags) if card else ""), id="f-tags",
                            compact=True, placeholder="separated by spaces")
            with Horizontal(classes="field"):
                yield Label("Section")
                yield Input(self._text("f-section", card.section if card else ""), id="f-section",
                            compact=True)
            if card is not None and _has_controls(card):
                yield Static("This card holds control or invisible formatting characters, shown "
                             "here as ␛ or <U+…>. A field you leave unchanged keeps them; a field "
                             "you edit keeps what you see.", id="controls", classes="hint",
                             markup=False)
            yield Static("Order cards: one item per line, in the right order. Distractors "
                         "(wrong options of a choice card) and accepted answers: one per line. "
                         "Cloze cards: mark each gap in the question as {{c1::answer}} (or "
                         "{{c1::answer::hint}}) and leave Answer empty.",
                         classes="hint", markup=False)
            yield Static(id="errors", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")
        yield FittedFooter()  # ctrl+s and esc, not the browser's keys under the form

    def _area(self, label: str, widget_id: str, text: str) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(label)
            yield TextArea(self._text(widget_id, text), id=widget_id, compact=True, soft_wrap=True,
                           tab_behavior="focus")

    def on_mount(self) -> None:
        errors = self.query_one("#errors", Static)
        errors.display = self.notice is not None
        if self.notice is not None:  # (also as a toast: the line may be below the fold)
            errors.update(visible(self.notice))
            self.call_after_refresh(self.notify, self.notice, title="Not saved",
                                    severity="warning", markup=False, timeout=10)
        first = "#f-question" if self.card else "#f-id"
        self.query_one(first).focus()
        # What Cancel compares with before it asks (a draft is unsaved work already).
        self._initial = None if self.draft is not None else self.values()

    # ------------------------------------------------------------------ reading the fields

    def _field(self, widget_id: str) -> str:
        """A field's text, or the card's own text when the field is as it was shown."""
        widget = self.query_one(f"#{widget_id}")
        text = widget.text if isinstance(widget, TextArea) else widget.value
        shown, raw = self._raw.get(widget_id, (None, ""))
        return raw if text == shown else text

    def values(self) -> dict[str, object]:
        """The card the fields describe, as a dict for ``Card.model_validate``."""
        kind = self.query_one("#f-kind", Select).value
        answer_text = self._field("f-answer")
        data: dict[str, object] = {
            "id": self.query_one("#f-id", Input).value.strip(),
            "kind": kind,
            "question": self._field("f-question"),
            "answer": lines(answer_text) if kind == "order" else answer_text,
            "distractors": lines(self._field("f-distractors")),
            "accept": lines(self._field("f-accept")),
            "explanation": self._field("f-explanation"),
            "tags": self._field("f-tags").split(),
            "section": self._field("f-section"),
            "reverse": self.query_one("#f-reverse", Checkbox).value,
        }
        if kind == "cloze" and not answer_text.strip():
            del data["answer"]  # a cloze card's answers are its {{c1::...}} deletions
        return data

    def problems(self) -> tuple[Card | None, list[str]]:
        data = self.values()
        found: list[str] = []
        card_id = data["id"]
        if self.card is None and card_id in self.ids:
            found.append(f"cards[{self.index}].id: duplicate card id {card_id!r} "
                         f"(already used by cards[{self.ids.index(card_id)}])")
        try:
            card = Card.model_validate(data)
        except ValidationError as exc:
            return None, found + form_problems(exc, self.index)
        return (None, found) if found else (card, [])

    # ------------------------------------------------------------------ actions

    def action_save(self) -> None:
        card, found = self.problems()
        errors = self.query_one("#errors", Static)
        if card is None:
            errors.update("\n".join(visible(line) for line in found))
            errors.display = True
            errors.scroll_visible()
            return
        self.dismiss(card)

    def changed(self) -> bool:
        """Whether any field differs from what the form opened with."""
        return self.values() != getattr(self, "_initial", None)

    def action_cancel(self) -> None:
        """Close without saving; when something was typed, only once the person agrees
        to throw it away."""
        if not self.changed():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        what = "this card's changes" if self.card else "this new card"
        self.app.push_screen(ConfirmScreen(f"Discard {what}?", "Discard", "Keep editing"),
                             answered)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
