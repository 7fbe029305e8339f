"""The deck format as pydantic models: levels, the three item types and the deck.

Pure data and validation, no I/O. `hccquiz.deck.file` turns YAML into these models and puts
file locations on any problem; `Deck.model_validate` works on plain data too.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .cloze import ClozeDeletion, card_numbers, check_cloze, cloze_deletions
from .levels import Level

__all__ = [
    "SLUG_PATTERN",
    "AnyItem",
    "BasicItem",
    "ChoiceItem",
    "ClozeItem",
    "Deck",
    "Item",
    "Level",
    "Loc",
    "Source",
    "cross_check",
]

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Loc = tuple[str | int, ...]
"""A path into the deck data, as pydantic gives it: ``("items", 3, "answer")``."""


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Text = Annotated[str, AfterValidator(_not_blank)]
"""Markdown text. Raw HTML in it is shown as text, never as markup."""
TagName = Annotated[str, StringConstraints(pattern=r"^[^\s,][^\n\r,]*$", max_length=64)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class Source(_Model):
    """Where a deck's facts come from."""

    citation: Text = Field(description="Bibliographic citation, shown on the deck page.")
    url: str | None = Field(None, description="Link to the publication.")


class _ItemBase(_Model):
    id: Slug = Field(description="Unique in the deck and stable forever: progress hangs on it.")
    levels: list[Level] = Field(
        default_factory=list, description="Training levels; the deck's `levels` if empty."
    )
    tags: list[TagName] = Field(default_factory=list, description="Extra tags for this item.")
    fact: Slug | None = Field(
        None,
        description="The fact this item tests, as a slug. Items of a deck that share a fact "
        "are buried like the cards of one item: one new card of a fact a day, none while "
        "another of its cards is due or was studied today.",
    )
    source: Text | None = Field(
        None, description="Where in the source the fact comes from, shown with the answer."
    )
    explanation: Text | None = Field(None, description="Markdown shown after answering.")

    @property
    def card_count(self) -> int:
        """How many cards this item schedules."""
        return 1


class BasicItem(_ItemBase):
    """A question with a free-text answer."""

    type: Literal["basic"] = "basic"
    question: Text
    answer: Text


class ClozeItem(_ItemBase):
    """A text with ``{{cN::...}}`` deletions; one card per deletion number."""

    type: Literal["cloze"]
    text: Annotated[Text, AfterValidator(check_cloze)]

    @property
    def deletions(self) -> list[ClozeDeletion]:
        """The deletions in the text."""
        return cloze_deletions(self.text)

    @property
    def card_numbers(self) -> list[int]:
        """Distinct deletion numbers, ascending: one card each."""
        return card_numbers(self.text)

    @property
    def card_count(self) -> int:
        """One card per distinct deletion number, as in Anki."""
        return len(self.card_numbers)


class ChoiceItem(_ItemBase):
    """Multiple choice; a list `answer` makes it select-all-that-apply."""

    type: Literal["choice"]
    question: Text
    choices: list[Text] = Field(min_length=2, max_length=8, description="2-8 distinct options.")
    answer: Text | list[Text] = Field(description="The correct choice(s), verbatim.")
    shuffle: bool = Field(True, description="Shuffle the options when shown; false keeps order.")

    @field_validator("choices")
    @classmethod
    def _distinct(cls, choices: list[str]) -> list[str]:
        seen = [c for c, n in Counter(c.strip() for c in choices).items() if n > 1]
        if seen:
            raise ValueError(f"duplicate choice {seen[0]!r}")
        return choices

    @field_validator("answer")
    @classmethod
    def _among_choices(cls, answer: str | list[str], info: ValidationInfo) -> str | list[str]:
        choices = info.data.get("choices")
        if choices is None:
            return answer
        answers = [answer] if isinstance(answer, str) else answer
        if not answers:
            raise ValueError("give at least one correct choice")
        if len(set(answers)) != len(answers):
            raise ValueError("the same answer is listed twice")
        stripped = {c.strip() for c in choices}
        for a in answers:
            if a.strip() not in stripped:
                raise ValueError(f"answer {a!r} is not among the choices")
        return answer

    @property
    def answers(self) -> list[str]:
        """The correct choices as a list."""
        return [self.answer] if isinstance(self.answer, str) else list(self.answer)

    @property
    def multiple(self) -> bool:
        """True for select-all-that-apply items."""
        return isinstance(self.answer, list)


AnyItem = BasicItem | ClozeItem | ChoiceItem
"""Any deck item, as a type for annotations (`Item` is the validating union)."""


def _item_type(value: Any) -> str | None:
    if isinstance(value, dict):
        raw = value.get("type", "basic")
        return raw if isinstance(raw, str) else repr(raw)
    kind = getattr(value, "type", None)
    return kind if isinstance(kind, str) else None


Item = Annotated[
    Annotated[BasicItem, Tag("basic")]
    | Annotated[ClozeItem, Tag("cloze")]
    | Annotated[ChoiceItem, Tag("choice")],
    Discriminator(
        _item_type,
        custom_error_type="unknown_item_type",
        custom_error_message="unknown item type: use basic, cloze or choice",
    ),
]
"""Any deck item, told apart by its `type` (basic when absent)."""


class Deck(_Model):
    """One deck: one YAML file of items about one trial or topic."""

    id: Slug = Field(description="Deck id: lowercase slug, stable forever.")
    title: Text
    description: Text | None = Field(None, description="Markdown shown on the deck page.")
    source: Source | None = None
    authors: list[Text] = Field(default_factory=list, description="Who wrote the deck.")
    license: str | None = Field(None, description="License of the deck text, e.g. CC-BY-4.0.")
    tags: list[TagName] = Field(default_factory=list, description="Added to every item.")
    levels: list[Level] = Field(
        default_factory=list, description="Default levels for items that give none."
    )
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _cross_check(cls, data: Any, info: ValidationInfo) -> Any:
        if not (info.context or {}).get("defer_cross_check"):
            for loc, message in cross_check(data):
                raise ValueError(f"{'.'.join(map(str, loc))}: {message}")
        return data

    def item_levels(self, item: AnyItem) -> list[Level]:
        """The item's own levels, or the deck default."""
        return item.levels or self.levels

    def item_tags(self, item: AnyItem) -> list[str]:
        """Deck tags then the item's own, without repeats."""
        return list(dict.fromkeys([*self.tags, *item.tags]))

    @property
    def card_count(self) -> int:
        """Cards over all items."""
        return sum(item.card_count for item in self.items)


def cross_check(data: Any) -> list[tuple[Loc, str]]:
    """Checks that span items, on raw deck data: duplicate ids and items with no level.

    Works on partly invalid data, so that every problem in a file can be reported at once.
    """
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return []
    problems: list[tuple[Loc, str]] = []
    has_default = bool(data.get("levels"))
    first_seen: dict[str, int] = {}
    for index, item in enumerate(data["items"]):
        if not isinstance(item, dict):
            continue
        item_id = item.get("id")
        if isinstance(item_id, str):
            if item_id in first_seen:
                problems.append(
                    (
                        ("items", index, "id"),
                        f"duplicate item id {item_id!r} "
                        f"(first used by items[{first_seen[item_id]}])",
                    )
                )
            else:
                first_seen[item_id] = index
        if not item.get("levels") and not has_default:
            problems.append(
                (
                    ("items", index),
                    "item has no level: give it `levels:` or set the deck's `levels`",
                )
            )
    return problems
