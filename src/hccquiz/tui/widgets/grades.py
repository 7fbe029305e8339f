"""`GradeBar`: one button per grade, each with its key and next-interval preview."""

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
    """Grade buttons; a click posts `GradeBar.Chosen`."""

    @dataclass
    class Chosen(Message):
        """A grade button was clicked."""

        quality: int

    def __init__(self, grades: tuple[Grade, ...], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.grades = grades
        self.set_class(len(grades) > 4, "-six")

    def compose(self) -> ComposeResult:
        """One button per grade."""
        for grade in self.grades:
            button = Button(grade.label, id=f"grade-{grade.quality}", classes=f"q{grade.quality}")
            button.tooltip = grade.description
            yield button

    def set_labels(self, labels: dict[int, str], pending: int | None = None) -> None:
        """Relabel the buttons (``Good · 6d``) and mark the pending grade, if any."""
        for grade in self.grades:
            button = self.query_one(f"#grade-{grade.quality}", Button)
            button.label = f"{grade.key} {labels.get(grade.quality, grade.label)}"
            button.set_class(grade.quality == pending, "-pending")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("grade-"):
            self.post_message(self.Chosen(int(event.button.id.removeprefix("grade-"))))
