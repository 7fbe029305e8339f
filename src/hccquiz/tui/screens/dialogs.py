"""Small modal dialogs: a question to confirm (reset to new), and a deck's problems after
an edit (``PATH:LINE:COL`` lines; `e` opens the first one in the editor again)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, OptionList, Static

from ...errors import Problem

__all__ = ["ChooseScreen", "ConfirmScreen", "ProblemsScreen"]


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; `y` or the first button confirms, `n` or escape does not."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Do it"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="Leave it"),
    ]

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__()
        self.question, self.yes = question, yes

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with VerticalScroll(id="dialog"):
            yield Static(Text(self.question), id="dialog-text")
            with HorizontalGroup(id="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="dialog-yes", variant="warning")
                yield Button("No (n)", id="dialog-no")
        yield Footer()

    def on_mount(self) -> None:
        """The safe answer has the focus."""
        self.query_one("#dialog-no").focus()

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)

    @on(Button.Pressed, "#dialog-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#dialog-no")
    def _no(self) -> None:
        self.dismiss(False)


class ProblemsScreen(ModalScreen[bool]):
    """The problems of a deck after an edit; nothing was synced. Dismissed with True when
    the user asks to edit again (`e`)."""

    BINDINGS = [
        Binding("e", "edit", "Edit again", id="problems.edit",
                tooltip="Open the first problem's line in the editor"),
        Binding("escape", "close", "Close", id="problems.close",
                tooltip="Close; the deck stays as it was last synced"),
    ]  # fmt: skip

    def __init__(self, path: Path, problems: tuple[Problem, ...]) -> None:
        super().__init__()
        self.path, self.problems = path, problems

    def compose(self) -> ComposeResult:
        """What went wrong, one problem a line."""
        with VerticalScroll(id="dialog"):
            yield Static(
                Text(f"{self.path} has {len(self.problems)} problem(s): nothing was synced; "
                     "study goes on with the deck as it was.", style="bold"),
                id="dialog-text",
            )  # fmt: skip
            yield Static(Text("\n".join(str(p) for p in self.problems)), id="problems")
            with HorizontalGroup(id="dialog-buttons"):
                yield Button("Edit again (e)", id="dialog-yes", variant="primary")
                yield Button("Close (esc)", id="dialog-no")
        yield Footer()

    def on_mount(self) -> None:
        """The list scrolls with the keys."""
        self.query_one("#dialog").focus()

    @on(Button.Pressed, "#dialog-yes")
    def action_edit(self) -> None:
        """Edit again, at the first problem."""
        self.dismiss(True)

    @on(Button.Pressed, "#dialog-no")
    def action_close(self) -> None:
        """Close."""
        self.dismiss(False)


class ChooseScreen(ModalScreen[int]):
    """Pick one of several lines (enter); escape picks none (dismissed with -1)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choose.cancel", tooltip="Pick none")]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text, self.lines = title, lines

    def compose(self) -> ComposeResult:
        """The title and the lines."""
        with VerticalScroll(id="dialog"):
            yield Static(Text(self.title_text, style="bold"), id="dialog-text")
            yield OptionList(*(Text(line) for line in self.lines), id="choices")
        yield Footer()

    def on_mount(self) -> None:
        """The list has the focus."""
        self.query_one("#choices").focus()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        """Pick none."""
        self.dismiss(-1)
