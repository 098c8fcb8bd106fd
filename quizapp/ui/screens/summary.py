"""The end of a session: score, time, and the questions missed with their answers."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from quizapp.plan import PlayPlan
from quizapp.session import Session
from quizapp.ui import messages
from quizapp.format import duration, percent
from quizapp.text import visible
from quizapp.ui.text import card_content
from quizapp.ui.widgets.footer import FittedFooter


class SummaryScreen(Screen[None]):
    BINDINGS = [
        Binding("r", "review", "Review missed"),
        Binding("a", "again", "Play again"),
        Binding("h,escape", "home", "Home"),
        Binding("q", "app.request_quit", "Quit"),
    ]

    FOOTER_PRIORITY = ("again", "review", "home", "help", "request_quit")
    # Narrow or short terminals: one-line buttons (quizapp.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]

    def __init__(self, session: Session, plan: PlayPlan) -> None:
        super().__init__()
        self.session = session
        self.plan = plan

    def compose(self) -> ComposeResult:
        session = self.session
        missed = session.missed
        yield Header()
        with VerticalScroll(id="summary"):
            yield Static(
                f"Score {session.score}/{session.out_of} · {percent(session.score, session.out_of)}"
                f" · time {duration(session.elapsed())}",
                id="result",
                markup=False,
            )
            skipped = session.skipped_count
            if skipped:
                yield Static(f"{skipped} skipped", id="skipped", markup=False)
            if missed:
                yield Static(f"Missed ({len(missed)}):", classes="heading", markup=False)
                for number, item in enumerate(missed, 1):
                    yield Static(
                        Content.assemble(
                            (f"{number}. ", "bold"),
                            card_content(item.card.question),
                            "\n",
                            ("Answer: ", "bold"),
                            (visible(item.card.answer_text), "$text-success"),
                        ),
                        classes="missed",
                    )
            else:
                yield Static("Nothing missed.", classes="heading", markup=False)
        with Horizontal(id="actions"):
            if missed:  # nothing missed: nothing to offer
                yield Button("Review missed (r)", id="review", variant="primary")
            yield Button("Play again (a)", id="again")
            yield Button("Home (h)", id="home")
        yield FittedFooter()

    def on_mount(self) -> None:
        self.sub_title = f"{self.plan.label} · done"
        self.query_one("#review" if self.session.missed else "#again", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review":
            return bool(self.session.missed)  # hidden from the Footer when nothing was missed
        return True

    @on(Button.Pressed, "#review")
    def action_review(self) -> None:
        if self.session.missed:
            missed = PlayPlan("missed", self.plan.deck_id, items=tuple(self.session.missed),
                              origin=self.plan.origin or self.plan)
            self.post_message(messages.Play(missed, replace=True))

    @on(Button.Pressed, "#again")
    def action_again(self) -> None:
        plan = self.plan.origin or self.plan
        # Again means from the start, also after a resumed session.
        self.post_message(messages.Play(replace(plan, resume=False), replace=True))

    @on(Button.Pressed, "#home")
    def action_home(self) -> None:
        self.post_message(messages.GoHome())
