"""The options of a ``choice`` card, numbered 1-4."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from quizapp.ui.text import card_content


class ChoiceList(OptionList):
    """Numbered options; arrows + Enter, a click, or ``pick(n)`` chooses one.

    Choosing posts ``OptionList.OptionSelected`` (its ``option_index`` is the choice).
    Card text is shown literally.
    """

    DEFAULT_CSS = """
    ChoiceList { height: auto; min-width: 16; max-height: 12; }
    """

    def __init__(self, options: list[str], *, id: str | None = None) -> None:
        self.choices = list(options)
        super().__init__(*self._prompts(), id=id)

    def _prompts(self, chosen: int | None = None, right: int | None = None) -> list[Option]:
        out = []
        for index, text in enumerate(self.choices):
            mark = ""
            if index == right:
                mark = "✔ "
            elif index == chosen:
                mark = "✘ "
            prompt = Content.assemble((f"{index + 1}. ", "bold"), mark, card_content(text, one_line=True))
            out.append(Option(prompt))
        return out

    def pick(self, number: int) -> bool:
        """Choose option ``number`` (1-based), as if it was clicked. False if there is none."""
        if self.disabled or not 1 <= number <= len(self.choices):
            return False
        self.highlighted = number - 1
        self.action_select()
        return True

    def reveal(self, chosen: int | None, right: int | None) -> None:
        """Mark the right option (✔) and a wrong choice (✘), and stop taking input."""
        self.set_options(self._prompts(chosen, right))
        self.disabled = True
