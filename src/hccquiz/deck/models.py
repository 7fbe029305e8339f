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
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    Tag,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from .cloze import ClozeDeletion, card_numbers, check_cloze, cloze_deletions
from .levels import Level

__all__ = [
    "RULE_ID_PATTERN",
    "SLUG_PATTERN",
    "AnyItem",
    "BasicItem",
    "ChoiceItem",
    "ChoiceOption",
    "ClozeItem",
    "Deck",
    "Item",
    "Level",
    "Loc",
    "Source",
    "cross_check",
]

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
RULE_ID_PATTERN = SLUG_PATTERN
"""Lint rule ids (``negative-lead-in``) are slugs; `hccquiz.deck.lint` knows which exist."""

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


def _distinct_levels(levels: list[Level]) -> list[Level]:
    if len(set(levels)) < len(levels):
        repeated = next(level for n, level in enumerate(levels) if level in levels[:n])
        raise ValueError(f"level {repeated.value!r} is listed twice: list each level once")
    return levels


Levels = Annotated[list[Level], AfterValidator(_distinct_levels)]
"""Training levels, each at most once (a repeat would be stored twice)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class Source(_Model):
    """Where a deck's facts come from."""

    citation: Text = Field(description="Bibliographic citation, shown on the deck page.")
    url: str | None = Field(None, description="Link to the publication.")


class _ItemBase(_Model):
    id: Slug = Field(description="Unique in the deck and stable forever: progress hangs on it.")
    levels: Levels = Field(
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
    lint_ignore: list[Annotated[str, StringConstraints(pattern=RULE_ID_PATTERN, max_length=64)]] = (
        Field(
            default_factory=list,
            description="Lint rules silenced for this item (`hccquiz lint`), e.g. [long-key].",
            exclude_if=lambda rules: not rules,
        )
    )

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


class ChoiceOption(_Model):
    """One option of a choice item with the reason it is right or wrong.

    In YAML an option is plain text, or ``{text: ..., why: ...}``; it is written back the
    same way, so a plain option keeps the item's content hash.
    """

    text: Text = Field(description="The option as shown.")
    why: Text | None = Field(
        None,
        description="Why this option is right, or why it is wrong; shown after answering.",
        exclude_if=lambda why: why is None,
    )

    @model_serializer(mode="wrap")
    def _plain_when_no_why(self, handler: SerializerFunctionWrapHandler) -> Any:
        return self.text if self.why is None else handler(self)


def _option(value: Any) -> Any:
    """A plain option (text, or a number YAML read) as ``{text: ...}``."""
    if isinstance(value, bool):
        raise ValueError(f"must be text, but YAML read {str(value).lower()} as a boolean: quote it")
    if isinstance(value, str | int | float):
        return {"text": value}
    if not isinstance(value, dict | ChoiceOption):
        raise ValueError("a choice is text, or a mapping with `text` and `why`")
    return value


Option = Annotated[
    ChoiceOption, BeforeValidator(_option, json_schema_input_type=str | ChoiceOption)
]


class ChoiceItem(_ItemBase):
    """Multiple choice; a list `answer` makes it select-all-that-apply.

    A single-best-answer item adds a clinical vignette (`stem`) before its question
    (`lead_in`, or `question`), a `why` per option and an educational `objective`.
    """

    model_config = ConfigDict(
        serialize_by_alias=True,
        json_schema_extra={
            "oneOf": [{"required": ["question"]}, {"required": ["stem", "lead_in"]}]
        },
    )

    type: Literal["choice"]
    stem: Text | None = Field(
        None,
        description="A clinical vignette shown before the question (single best answer).",
        exclude_if=lambda stem: stem is None,
    )
    question: Text | None = Field(
        None,
        description="The question; required unless `lead_in` is given.",
        exclude_if=lambda question: question is None,
    )
    lead_in: Text | None = Field(
        None,
        description="The question that follows a `stem`, instead of `question`.",
        exclude_if=lambda lead_in: lead_in is None,
    )
    options: list[Option] = Field(
        alias="choices",
        min_length=2,
        max_length=8,
        description="2-8 distinct options: text, or {text, why}.",
    )
    answer: Text | list[Text] = Field(description="The correct choice(s), verbatim.")
    objective: Text | None = Field(
        None,
        description="The educational objective, shown after answering.",
        exclude_if=lambda objective: objective is None,
    )
    shuffle: bool = Field(True, description="Shuffle the options when shown; false keeps order.")

    @field_validator("options")
    @classmethod
    def _distinct(cls, options: list[ChoiceOption]) -> list[ChoiceOption]:
        seen = [c for c, n in Counter(o.text.strip() for o in options).items() if n > 1]
        if seen:
            raise ValueError(f"duplicate choice {seen[0]!r}")
        return options

    @field_validator("answer")
    @classmethod
    def _among_choices(cls, answer: str | list[str], info: ValidationInfo) -> str | list[str]:
        options = info.data.get("options")
        if options is None:
            return answer
        answers = [answer] if isinstance(answer, str) else answer
        if not answers:
            raise ValueError("give at least one correct choice")
        if len(set(answers)) != len(answers):
            raise ValueError("the same answer is listed twice")
        stripped = {o.text.strip() for o in options}
        for a in answers:
            if a.strip() not in stripped:
                raise ValueError(f"answer {a!r} is not among the choices")
        return answer

    @model_validator(mode="after")
    def _one_question(self) -> ChoiceItem:
        if self.question is None and self.lead_in is None:
            raise ValueError("missing required field 'question' (or `stem` with `lead_in`)")
        if self.question is not None and self.lead_in is not None:
            raise ValueError("give `question` or `lead_in`, not both")
        if self.lead_in is not None and self.stem is None:
            raise ValueError("`lead_in` follows a `stem`: add the vignette, or use `question`")
        return self

    @property
    def prompt(self) -> str:
        """The question asked: the lead-in of a single-best-answer item, else `question`."""
        prompt = self.lead_in if self.lead_in is not None else self.question
        assert prompt is not None  # the model validator requires one
        return prompt

    @property
    def choices(self) -> list[str]:
        """The options' texts, in the author's order."""
        return [option.text for option in self.options]

    @property
    def answers(self) -> list[str]:
        """The correct choices as a list."""
        return [self.answer] if isinstance(self.answer, str) else list(self.answer)

    @property
    def multiple(self) -> bool:
        """True for select-all-that-apply items."""
        return isinstance(self.answer, list)

    def why(self, choice: str) -> str | None:
        """The rationale given for the option `choice` (compared stripped), if any."""
        wanted = choice.strip()
        return next((o.why for o in self.options if o.text.strip() == wanted), None)


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
    levels: Levels = Field(
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
