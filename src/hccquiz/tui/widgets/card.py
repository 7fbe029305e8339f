"""`CardView`: a card's question, options, answer and source. Deck text is never markup.

Question, options, answer and explanation are Markdown (raw HTML shows as text). Once a
choice card is answered each option is marked: ✓ a right option you picked, ✗ a wrong one
you picked, and ``✓ … missed`` a right option you did not pick.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalScroll
from textual.widgets import Markdown, Static

from ...text.markdown import markdown_parser
from ...text.terminal import CHOICE_LETTERS

__all__ = ["CardView", "ChoiceRow", "safe_markdown"]


def safe_markdown(text: str = "", **kwargs: Any) -> Markdown:
    """A Markdown widget whose raw HTML shows as text (deck text is never markup)."""
    return Markdown(text, parser_factory=markdown_parser, open_links=False, **kwargs)


class ChoiceRow(HorizontalGroup):
    """One option: its letter, tick box and mark, then the option's text as Markdown."""

    def __init__(self, index: int, text: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.index, self.text = index, text
        self.mark_view = Static(classes="mark")
        self.option = safe_markdown(text, classes="option")

    def compose(self) -> ComposeResult:
        """The mark column and the option text."""
        yield self.mark_view
        yield self.option

    def show(self, index: int, text: str) -> None:
        """Put option `index` up with `text`."""
        self.index = index
        if text != self.text:
            self.text = text
            self.option.update(text)
        self.display = True

    def mark(self, selected: bool, correct: bool | None) -> None:
        """Draw the mark: selection before the answer; ✓, ✗ or missed after it."""
        box = "[x]" if selected else "[ ]"
        letter = CHOICE_LETTERS[self.index]
        sign, style, note = " ", "reverse" if selected else "", ""
        if correct is not None:
            if correct and selected:
                sign, style = "✓", "bold green"
            elif correct:
                sign, style, note = "✓", "bold yellow", "missed"
            elif selected:
                sign, style = "✗", "bold red"
            else:
                style = "dim"
        text = Text.assemble((f"{sign} {letter} {box}", style))
        if note:
            text.append(f"\n  {note}", style="bold yellow")
        self.mark_view.update(text)
        self.set_class(bool(note), "-missed")


class CardView(VerticalScroll):
    """Shows one card: question, lettered options (choice items), then answer and source.

    When the card is taller than its box, the box's lower edge says ``↓ more (↓ PgDn)``
    until the end is in view."""

    def on_mount(self) -> None:
        """Keep the "more below" note up to date as the card scrolls or changes size."""
        self.watch(self, "scroll_y", self._more, init=False)
        self.watch(self, "virtual_size", self._more, init=False)

    def on_resize(self) -> None:
        """A new size may change whether there is more below."""
        self.call_after_refresh(self._more)

    def _more(self) -> None:
        more = self.max_scroll_y > 0 and self.scroll_y < self.max_scroll_y
        self.border_subtitle = "↓ more (↓ PgDn)" if more else ""

    def compose(self) -> ComposeResult:
        """The parts of a card; the answer part stays hidden until `reveal`. Option rows are
        added when a choice card first needs them (restyling unused rows costs time)."""
        yield safe_markdown(id="question")
        yield safe_markdown(id="answer")
        yield Static(id="source")

    def show(self, question: str, answer: str, source: str,
             choices: list[str] | None = None) -> None:  # fmt: skip
        """Put a new card up, answer hidden."""
        self.choices = choices or []
        self.selected: set[int] = set()
        self.correct: set[int] | None = None
        self.query_one("#question", Markdown).update(question)
        self.query_one("#answer", Markdown).update(answer)
        self.query_one("#source", Static).update(Text(source, style="italic"))
        rows = list(self.query(ChoiceRow))
        if len(rows) < len(self.choices):
            more = [ChoiceRow(n, self.choices[n], classes="choice")
                    for n in range(len(rows), len(self.choices))]  # fmt: skip
            self.mount_all(more, before="#answer")
            rows += more
        for index, row in enumerate(rows):
            if index < len(self.choices):
                row.show(index, self.choices[index])
            else:
                row.display = False
        self.mark_choices()
        self._reveal(False)
        self.scroll_home(animate=False)

    def set_question(self, question: str) -> None:
        """Replace the question text (without the answering hint, once answered)."""
        self.query_one("#question", Markdown).update(question)

    def reveal(self, answer: str | None = None) -> None:
        """Show the answer and the source; `answer` replaces the text given to `show`
        (a choice card's, once the pick is known)."""
        if answer is not None:
            self.query_one("#answer", Markdown).update(answer)
        self._reveal(True)

    def _reveal(self, shown: bool) -> None:
        # display, not a class on the card: a class change restyles every part of the card
        self.query_one("#answer").display = shown
        self.query_one("#source").display = shown

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
        if correct is not None:
            self.correct = correct
        for index, row in enumerate(self.query(ChoiceRow)):
            if index < len(self.choices):
                known = None if self.correct is None else index in self.correct
                row.mark(index in self.selected, known)
