"""Which cards a session or quiz takes (`Filters`), and reading a stored card's item."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from ..deck.levels import Level
from ..grading import choice_correct

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from ..deck.models import AnyItem, ChoiceItem
    from ..store import CardRecord

__all__ = ["Filters", "item_of", "score_choice"]


@cache
def _item_adapter() -> TypeAdapter[AnyItem]:
    # pydantic loads only when a card is shown, so that counting (stats) stays quick
    from pydantic import TypeAdapter

    from ..deck.models import Item

    return TypeAdapter(Item)


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
    return choice_correct(chosen, item.answers)


def item_of(card: CardRecord) -> AnyItem:
    """The pydantic item a stored card shows."""
    return _item_adapter().validate_python(card.content)
