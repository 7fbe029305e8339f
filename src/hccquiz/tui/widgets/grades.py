"""`GradeBar`: the answer bar under a card, as in Anki's reviewer: one wide button that says
what space does now (``space Show answer``) until the answer shows, then one button per
grade with its key and next-interval preview, the grade space records highlighted (the
study screen's status line names it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from ...grading import Grade

__all__ = ["GradeBar"]


class GradeBar(Horizontal):
    """The prompt button, then the grade buttons; clicks post `Advance` or `Chosen`.

    The bar changes by showing and hiding its buttons, never by restyling: the footer
    stays as it is, since rebuilding it would cost more than drawing the next card."""

    @dataclass
    class Chosen(Message):
        """A grade button was clicked."""

        quality: int

    class Advance(Message):
        """The prompt button was clicked (what space does)."""

    def __init__(self, grades: tuple[Grade, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.grades = grades
        self.set_class(len(grades) > 4, "-six")

    def compose(self) -> ComposeResult:
        """The prompt button and one button per grade."""
        yield Button("space Show answer", id="prompt", variant="primary")
        for grade in self.grades:
            button = Button(grade.label, id=f"grade-{grade.quality}", classes=f"q{grade.quality}")
            button.tooltip = grade.description
            button.display = False
            yield button

    def prompt(self, label: str) -> None:
        """Show only the prompt button, saying what space does now."""
        prompt = self.query_one("#prompt", Button)
        prompt.label = label
        prompt.display = True
        for grade in self.grades:
            self.query_one(f"#grade-{grade.quality}").display = False

    def set_labels(self, labels: dict[int, str], pending: int | None = None) -> None:
        """Show the grade buttons, relabelled (``3 Good · 6d``), the one space records
        (`pending`) marked."""
        self.query_one("#prompt").display = False
        for grade in self.grades:
            button = self.query_one(f"#grade-{grade.quality}", Button)
            label = labels.get(grade.quality, grade.label)
            key = "" if label.startswith(grade.key) else f"{grade.key} "  # six grades: 0-5
            button.label = f"{key}{label}"
            button.set_class(grade.quality == pending, "-pending")
            button.display = True

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "prompt":
            self.post_message(self.Advance())
        elif event.button.id and event.button.id.startswith("grade-"):
            self.post_message(self.Chosen(int(event.button.id.removeprefix("grade-"))))
