"""What the drafter makes: `DraftItem`s (basic, cloze or choice) and the `DraftDeck`.

Plain dataclasses; `DraftItem.data` gives the item as deck data in the order it is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..deck.levels import Level

__all__ = ["DraftDeck", "DraftItem", "DraftOption"]


@dataclass(frozen=True)
class DraftOption:
    """One option of a drafted choice item and why it is right or wrong."""

    text: str
    why: str = ""


@dataclass(frozen=True)
class DraftItem:
    """One drafted item: a cloze when `text` is set, a choice when `options` are, else
    basic. `notes` and `lint` become YAML comments above it."""

    id: str
    levels: tuple[Level, ...]
    tags: tuple[str, ...]
    source: str
    line: int
    question: str = ""
    answer: str = ""
    text: str = ""
    explanation: str = ""
    notes: tuple[str, ...] = ()
    stem: str = ""
    lead_in: str = ""
    options: tuple[DraftOption, ...] = ()
    objective: str = ""
    fact: str = ""
    lint: tuple[str, ...] = ()

    @property
    def type(self) -> str:
        """``cloze``, ``choice`` or ``basic``."""
        return "cloze" if self.text else "choice" if self.options else "basic"

    def data(self) -> dict[str, Any]:
        """The item as deck data, keys in the order they are written."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        data |= {"levels": [level.value for level in self.levels], "tags": list(self.tags)}
        if self.fact:
            data["fact"] = self.fact
        data["source"] = self.source
        if self.text:
            data["text"] = self.text
        elif self.options:
            if self.stem:
                data["stem"] = self.stem
            data["lead_in" if self.stem and self.lead_in else "question"] = (
                self.lead_in or self.question
            )
            data["choices"] = [
                {"text": o.text, "why": o.why} if o.why else o.text for o in self.options
            ]
            data["answer"] = self.answer
        else:
            data |= {"question": self.question, "answer": self.answer}
        if self.explanation:
            data["explanation"] = self.explanation
        if self.objective:
            data["objective"] = self.objective
        return data


@dataclass(frozen=True)
class DraftDeck:
    """A drafted deck: its fields and items. `citation` and `description` may be empty."""

    id: str
    title: str
    description: str
    citation: str
    tags: tuple[str, ...]
    items: tuple[DraftItem, ...]
    warnings: tuple[str, ...] = ()
