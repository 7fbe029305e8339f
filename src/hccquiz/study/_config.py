"""Study settings, card filters and the shared helpers of sessions and quizzes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time, tzinfo
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from ..clock import DEFAULT_DAY_START, DayBoundary
from ..errors import HccquizError
from ..models import BasicItem, ChoiceItem, ClozeItem, Item, Level
from ..sm2 import Scale

if TYPE_CHECKING:
    from ..store import CardRecord

__all__ = ["AnyItem", "Filters", "SessionError", "StudyConfig", "item_of", "score_choice"]

AnyItem = BasicItem | ClozeItem | ChoiceItem
_ITEM: TypeAdapter[AnyItem] = TypeAdapter(Item)


class SessionError(HccquizError):
    """A session or quiz was asked for something it cannot do now."""


@dataclass(frozen=True, slots=True)
class StudyConfig:
    """Daily limits, day boundary, grading scale and drill switch.

    Stored settings use the field names as keys (``day_starts_at`` as ``HH:MM``).
    """

    new_per_day: int = 20
    reviews_per_day: int = 200
    day_starts_at: time = DEFAULT_DAY_START
    tz: tzinfo | None = None
    scale: Scale = Scale.FOUR
    drill: bool = True

    def __post_init__(self) -> None:
        if self.new_per_day < 0 or self.reviews_per_day < 0:
            raise ValueError("daily limits must be >= 0")

    @property
    def boundary(self) -> DayBoundary:
        """The day boundary these settings give."""
        return DayBoundary(self.day_starts_at, self.tz)

    @classmethod
    def from_settings(cls, settings: Mapping[str, str], **overrides: Any) -> StudyConfig:
        """Read stored settings (unknown keys are ignored), then apply ``overrides``."""
        values: dict[str, Any] = {}
        try:
            for key in ("new_per_day", "reviews_per_day"):
                if key in settings:
                    values[key] = int(settings[key])
            if "day_starts_at" in settings:
                values["day_starts_at"] = time.fromisoformat(settings["day_starts_at"])
            if "scale" in settings:
                values["scale"] = Scale(settings["scale"])
            if "drill" in settings:
                values["drill"] = settings["drill"].lower() in ("1", "true", "yes", "on")
        except ValueError as exc:
            raise SessionError(f"invalid study setting: {exc}") from None
        return cls(**{**values, **overrides})

    def to_settings(self) -> dict[str, str]:
        """These settings as stored text (``tz`` is not stored: it follows the system)."""
        return {
            "new_per_day": str(self.new_per_day),
            "reviews_per_day": str(self.reviews_per_day),
            "day_starts_at": self.day_starts_at.strftime("%H:%M"),
            "scale": self.scale.value,
            "drill": "true" if self.drill else "false",
        }


@dataclass(frozen=True, slots=True)
class Filters:
    """Which cards to study: any of ``decks``, any of ``levels``, any of ``tags`` (all if empty)."""

    decks: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("decks", "levels", "tags"):
            object.__setattr__(self, name, tuple(str(v) for v in getattr(self, name)))
        for level in self.levels:
            Level(level)  # ValueError for an unknown level


def score_choice(item: ChoiceItem, selected: str | Sequence[str]) -> bool:
    """True if ``selected`` is exactly the item's correct choice(s), ignoring outer spaces."""
    chosen = [selected] if isinstance(selected, str) else list(selected)
    return {c.strip() for c in chosen} == {a.strip() for a in item.answers}


def item_of(card: CardRecord) -> AnyItem:
    """The pydantic item a stored card shows."""
    return _ITEM.validate_python(card.content)
