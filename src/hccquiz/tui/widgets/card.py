"""`CardView`: a card's question, options, answer and source. Deck text is never markup."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from ...text.markdown import markdown_parser
from ...text.terminal import CHOICE_LETTERS

__all__ = ["CardView", "safe_markdown"]


def safe_markdown(text: str = "", **kwargs: Any) -> Markdown:
    """A Markdown widget whose raw HTML shows as text (deck text is never markup)."""
    return Markdown(text, parser_factory=markdown_parser, open_links=False, **kwargs)


class CardView(VerticalScroll):
    """Shows one card: question, lettered options (choice items), then answer and source."""

    def compose(self) -> ComposeResult:
        """The parts of a card; the answer part stays hidden until `reveal`."""
        yield safe_markdown(id="question")
        yield Static(id="choices")
        yield safe_markdown(id="answer")
        yield Static(id="source")

    def show(self, question: str, answer: str, source: str,
             choices: list[str] | None = None) -> None:  # fmt: skip
        """Put a new card up, answer hidden."""
        self.choices = choices or []
        self.selected: set[int] = set()
        self.query_one("#question", Markdown).update(question)
        self.query_one("#answer", Markdown).update(answer)
        self.query_one("#source", Static).update(Text(source, style="italic"))
        self.mark_choices()
        self.set_class(False, "-revealed")
        self.scroll_home(animate=False)

    def reveal(self, answer: str | None = None) -> None:
        """Show the answer and the source; `answer` replaces the text given to `show`
        (a choice card's, once the pick is known)."""
        if answer is not None:
            self.query_one("#answer", Markdown).update(answer)
        self.set_class(True, "-revealed")

    @property
    def picked(self) -> list[str]:
        """The selected options' texts, in display order."""
        return [self.choices[i] for i in sorted(self.selected)]

    def pick(self, letter: str, multiple: bool) -> bool:
        """Select the option of `letter` (toggle it when `multiple`).

        True when the answer is complete: a single-answer item was answered.
        """
        index = CHOICE_LETTERS.lower().find(letter.lower())
        if not 0 <= index < len(self.choices):
            return False
        if not multiple:
            self.selected = {index}
            return True
        self.selected ^= {index}
        self.mark_choices()
        return False

    def mark_choices(self, correct: set[int] | None = None) -> None:
        """Draw the options: selected ones highlighted; once `correct` is known, ✓ and ✗."""
        selected = self.selected
        choices = self.query_one("#choices", Static)
        choices.display = bool(self.choices)
        text = Text()
        for index, choice in enumerate(self.choices):
            mark = "   "
            style = "reverse" if index in selected else ""
            if correct is not None:
                if index in correct:
                    mark, style = " ✓ ", "bold green"
                elif index in selected:
                    mark, style = " ✗ ", "bold red"
            box = "[x]" if index in selected else "[ ]"
            line = Text(f"{mark}{CHOICE_LETTERS[index]}  {box} ")
            line.append(choice, style=style)
            text.append_text(line)
            text.append("\n")
        choices.update(text)
