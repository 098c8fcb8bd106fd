"""One question at a time, by card kind, with feedback after each answer.

The screen only presents: checking, scoring, undo and recording are the session's job.
Feedback is shown only after ``Session.answer()``/``grade()`` returned, when the answer
is already on disk.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import Button, Header, Input, OptionList, Static

from quizapp.plan import PlayPlan
from quizapp.session import Outcome, Session
from quizapp.store import ScoreFileError
from quizapp.ui import messages
from quizapp.ui.dialogs.confirm import ConfirmScreen
from quizapp.ui.text import card_content
from quizapp.ui.widgets.choices import ChoiceList
from quizapp.ui.widgets.feedback import Feedback
from quizapp.ui.widgets.footer import FittedFooter
from quizapp.ui.widgets.grades import GradeBar
from quizapp.ui.widgets.order import OrderList
from quizapp.ui.widgets.status import SessionStatus

KIND_HINTS = {
    "choice": "Pick an answer: 1-4, or arrows and Enter.",
    "text": "Type the answer and press Enter (Escape leaves the field, for s, u and q).",
    "flip": "Think of the answer, then turn the card: Space, or click the button.",
    "order": "Put the items in order: ↑↓ select, [ ] or shift+↑↓ move, Enter submits.",
    "cloze": "Type what goes in the gap [...] and press Enter (Escape leaves the field).",
}


NUMBERS = Binding.Group("Choose", compact=True)


def _mouse_buttons(*buttons: tuple[str, str]) -> Horizontal:
    """Buttons for a mouse (the keys do the same); they never take the keyboard focus,
    which stays on the list or the screen so the keys keep working."""
    widgets = [Button(label, id=button_id, compact=True) for label, button_id in buttons]
    for button in widgets:
        button.can_focus = False
    return Horizontal(*widgets, classes="mouse-buttons")


class QuestionScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "next", "Next"),
        Binding("space", "reveal", "Turn card"),
        *(Binding(str(n), f"number({n})", str(n), group=NUMBERS) for n in range(1, 5)),
        Binding("s", "skip", "Skip"),
        Binding("u", "undo", "Undo"),
        Binding("q", "confirm_quit", "Quit"),
        # Escape leaves a text field first; otherwise it asks, then goes home.
        Binding("escape", "blur", "Leave field (then s, u, q)"),
        Binding("escape", "leave", "Home"),
    ]

    # Short terminals: lists lose their borders and hints their margins.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    # Narrow terminals: the Footer keeps these keys, in this order (the rest still work).
    FOOTER_PRIORITY = ("next", "reveal", "number", "submit", "move", "blur", "leave", "skip",
                       "undo", "help", "confirm_quit")

    def __init__(self, session: Session, plan: PlayPlan) -> None:
        super().__init__()
        self.session = session
        self.plan = plan
        self.revealed = False  # a flip card's back is showing
        self._presenting = False  # a question is being laid out: keep its top in view

    def compose(self) -> ComposeResult:
        yield Header()
        yield SessionStatus(self.session, id="status")
        with VerticalScroll(id="body"):
            yield Static(id="meta", markup=False)
            # A very long question scrolls in its own box, so the answer stays in view.
            with VerticalScroll(id="question-box"):
                yield Static(id="question")
            yield Vertical(id="answer")
            yield Feedback(id="feedback")
        yield FittedFooter()

    async def on_mount(self) -> None:
        self.sub_title = self.plan.label
        await self.show_question()

    # ------------------------------------------------------------------ presenting

    async def show_question(self) -> None:
        """Show the session's current card, waiting for an answer."""
        session = self.session
        item = session.current
        if item is None:
            return
        card = item.card
        self.revealed = False
        self.query_one(Feedback).hide()
        round_text = f" · round {session.round}" if session.rounds and session.round > 1 else ""
        number, of, _done = session.progress
        self.query_one("#meta", Static).update(
            f"Question {number} of {of} · {card.kind}{round_text}"
        )
        self.query_one("#question", Static).update(card_content(card.question))
        self.query_one("#question-box", VerticalScroll).scroll_home(animate=False)
        answer = self.query_one("#answer", Vertical)
        await answer.remove_children()
        text = KIND_HINTS[card.kind]
        if card.kind == "choice":
            text = text.replace("1-4", f"1-{len(session.choices(item))}")
        hint = Static(text, classes="hint", markup=False)
        if card.kind == "choice":
            await answer.mount(ChoiceList(session.choices(item), id="choices"), hint)
            self.query_one("#choices").focus()
        elif card.kind in ("text", "cloze"):
            await answer.mount(Input(placeholder="Your answer", id="typed"), hint)
            self.query_one("#typed").focus()
        elif card.kind == "order":
            await answer.mount(OrderList(session.order_items(item), id="order"),
                               _mouse_buttons(("Move up ([)", "move-up"), ("Move down (])", "move-down"),
                                              ("Submit (enter)", "submit")), hint)
            self.query_one("#order").focus()
        else:
            await answer.mount(_mouse_buttons(("Turn the card (space)", "turn")), hint)
            self.set_focus(None)
        self.query_one(SessionStatus).update()
        # The question's top first (focusing the list would scroll it into view instead);
        # the options come into view as the person moves through them.
        self._presenting = True
        body = self.query_one("#body", VerticalScroll)
        body.scroll_home(animate=False)

        def settled() -> None:
            body.scroll_home(animate=False)
            self._presenting = False

        self.call_after_refresh(settled)
        self.refresh_bindings()

    def show_feedback(self, outcome: Outcome) -> None:
        feedback = self.query_one(Feedback)
        feedback.show(outcome)
        for hint in self.query(".hint"):
            hint.display = False  # the Footer now shows Enter "Next" and u "Undo"
        self.set_focus(None)
        self.query_one(SessionStatus).update()
        body = self.query_one("#body", VerticalScroll)
        # Once the feedback is laid out (it was hidden: that takes a second refresh),
        # scroll just enough to show it, its verdict first.
        self.call_after_refresh(self.call_after_refresh, body.scroll_to_widget, feedback,
                                animate=False)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        state = session.state
        kind = session.current.card.kind if session.current else None
        if action == "next":
            return state == "feedback"
        if action == "reveal":
            return state == "asking" and kind == "flip" and not self.revealed
        typing = isinstance(self.focused, Input)
        if action == "blur":
            return typing
        if action == "leave":
            return not typing
        if action == "number":
            if state != "asking" or session.current is None:
                return False
            if kind == "choice":  # only the numbers of its options (a card may have 2 or 3)
                return not parameters or int(str(parameters[0])) <= len(
                    session.choices(session.current))
            return kind == "flip" and self.revealed
        if action in ("skip", "undo", "confirm_quit") and typing:
            return None  # the keys type into the field: shown dimmed until Escape
        if action == "skip":
            return state == "asking"
        return True

    # ------------------------------------------------------------------ answering

    def _saved(self, record: Callable[[], Outcome]) -> Outcome | None:
        """Answer through the session (which writes to the score file); if the file cannot
        be written, say so and leave the question waiting: nothing is shown as counted."""
        try:
            return record()
        except (OSError, ScoreFileError) as exc:
            self.notify(f"The answer could not be saved, so it was not counted: {exc}",
                        severity="error", markup=False, timeout=15)
            return None

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.session.state != "asking":
            return
        choices = event.option_list
        assert isinstance(choices, ChoiceList)
        picked = choices.choices[event.option_index]
        outcome = self._saved(lambda: self.session.answer(picked))
        if outcome is None:
            return
        answer = outcome.item.card.answer
        right = choices.choices.index(answer) if answer in choices.choices else None
        choices.reveal(event.option_index, right)
        self.show_feedback(outcome)

    @on(Input.Submitted, "#typed")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        if self.session.state != "asking":
            return
        if not event.value.strip():
            self.notify("Type an answer first (or press Escape, then s to skip).", severity="warning")
            return
        outcome = self._saved(lambda: self.session.answer(event.value))
        if outcome is None:
            return
        event.input.disabled = True
        self.show_feedback(outcome)

    @on(OrderList.Submitted, "#order")
    def _ordered(self, event: OrderList.Submitted) -> None:
        event.stop()
        if self.session.state != "asking":
            return
        outcome = self._saved(lambda: self.session.answer(event.items))
        if outcome is None:
            return
        event.order_list.reveal(list(outcome.item.card.answer))
        for button in self.query("#answer Button"):
            button.disabled = True
        self.show_feedback(outcome)

    @on(Button.Pressed, "#move-up, #move-down, #submit")
    def _order_button(self, event: Button.Pressed) -> None:
        """The mouse way to order: click an item, then Move up / Move down, then Submit."""
        event.stop()
        order = self.query_one("#order", OrderList)
        if event.button.id == "submit":
            order.action_submit()
        else:
            order.action_move(-1 if event.button.id == "move-up" else 1)
        order.focus()

    @on(Button.Pressed, "#turn")
    async def _turn_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_reveal()

    @on(GradeBar.Graded, "#grades")
    async def _graded(self, event: GradeBar.Graded) -> None:
        event.stop()
        await self.grade(event.rating)

    async def grade(self, rating: int) -> None:
        """One key grades a turned flip card and goes on to the next (as in Anki): the
        back, its explanation and the intervals were on screen before the grade."""
        if self.session.state != "asking" or not self.revealed:
            return
        outcome = self._saved(lambda: self.session.grade(rating))
        if outcome is None:
            return
        self.query_one(GradeBar).disabled = True
        await self.action_next()

    async def action_reveal(self) -> None:
        item = self.session.current
        if item is None or item.card.kind != "flip" or self.revealed or self.session.state != "asking":
            return
        self.revealed = True
        card = item.card
        answer = self.query_one("#answer", Vertical)
        await answer.remove_children()
        back = [Static(card_content(card.answer_text), id="back")]
        if card.explanation.strip():
            back.append(Static(card_content(card.explanation), id="back-explanation"))
        if card.section.strip():
            where = card_content(card.section, one_line=True)
            back.append(Static(Content.assemble("From the article: ", where), id="back-section"))
        intervals = self.session.grade_intervals(item)
        hint = Static("How well did you know it? 1-4 grades it and goes on (the time on each "
                      "button is when the card comes back).", classes="hint", markup=False)
        grades = GradeBar(intervals, id="grades")
        await answer.mount(*back, grades, hint)
        self.refresh_bindings()
        body = self.query_one("#body", VerticalScroll)
        self.call_after_refresh(body.scroll_to_widget, grades, animate=False)

    def action_number(self, number: int) -> None:
        item = self.session.current
        if item is None or self.session.state != "asking":
            return
        if item.card.kind == "choice":
            self.query_one("#choices", ChoiceList).pick(number)
        elif item.card.kind == "flip" and self.revealed:
            self.query_one(GradeBar).grade(number)

    # ------------------------------------------------------------------ moving on

    async def action_next(self) -> None:
        if self.session.state != "feedback":
            return
        if self.session.advance() is None:
            self.post_message(messages.SessionOver(self.session, self.plan))
        else:
            await self.show_question()

    async def action_skip(self) -> None:
        if self.session.state != "asking":
            return
        if self.session.skip() is None:
            self.post_message(messages.SessionOver(self.session, self.plan))
        else:
            await self.show_question()

    async def action_undo(self) -> None:
        answers = len(self.session.outcomes)
        try:
            item = self.session.undo()
        except (OSError, ScoreFileError) as exc:
            self.notify(f"The undo could not be saved: {exc}", severity="error", markup=False,
                        timeout=15)
            return
        if item is None:
            self.notify("Nothing to undo yet.", severity="warning")
            return
        await self.show_question()
        if len(self.session.outcomes) < answers:
            self.notify("Answer taken back: this question is asked again.")
        else:
            self.notify("Skip taken back: this question is asked again.")

    def action_blur(self) -> None:
        self.set_focus(None)

    def saved_line(self) -> str:
        """What ending the session now keeps, in words."""
        answered = self.session.answered
        if not answered:
            return "Nothing was answered yet."
        return f"Your {answered} answer{'s are' if answered != 1 else ' is'} saved."

    def action_leave(self) -> None:
        """Escape: ask, then end the session (its end is written) and go home."""
        plan = self.plan
        resumable = plan.kind == "deck" and plan.mode == "order" and plan.limit is None
        again = " You can resume it from home." if resumable and self.session.answered else ""

        def done(leave: bool | None) -> None:
            if leave:
                self.post_message(messages.GoHome())

        self.app.push_screen(
            ConfirmScreen(f"End this session and go home? {self.saved_line()}{again}",
                          "Go home", "Keep playing"), done)

    @on(OptionList.OptionHighlighted, "#choices, #order")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Keep the highlighted option in view on a short terminal: scroll the question's
        body (the list itself is not the part that scrolls)."""
        self.call_after_refresh(self._show_option, event.option_list)

    def _show_option(self, options: OptionList) -> None:
        index = options.highlighted
        body = self.query_one("#body", VerticalScroll)
        if index is None or self._presenting or not options.is_mounted or not body.is_mounted:
            return
        try:
            line = options._index_to_line[index]  # where Textual laid the option out
            height = options._heights[index]
        except (KeyError, IndexError):
            return
        top = options.region.y - body.region.y + int(body.scroll_y) + line - int(options.scroll_y)
        body.scroll_to_region(Region(0, max(0, top), 1, height), animate=False, force=True)

    def action_confirm_quit(self) -> None:
        answered = self.session.answered

        def done(quit: bool | None) -> None:
            if quit:
                self.post_message(messages.QuitDuringSession(self.session))

        kept = self.saved_line() if answered else ""
        question = f"Quit quizapp now? {kept}".strip()
        self.app.push_screen(ConfirmScreen(question, "Quit", "Keep playing"), done)
