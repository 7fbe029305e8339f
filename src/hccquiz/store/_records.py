"""Typed rows the store hands out and takes in. Plain data; no SQL here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ..grading import ReviewKind
from ..scheduler import Schedule, SchedulerName

if TYPE_CHECKING:
    from ..deck.models import Deck

__all__ = [
    "CardFilter",
    "CardRecord",
    "DeckFile",
    "DeckSync",
    "FsrsFigures",
    "ReviewRecord",
    "Schedule",
    "StatsFigures",
]


@dataclass(frozen=True, slots=True)
class CardRecord:
    """One card with its item's current content, as stored.

    ``content`` is the item as data, with its effective levels and tags (the deck's
    defaults merged in), ready for `hccquiz.models.Item` validation.
    """

    id: int
    deck_id: str
    item_id: str
    item_pk: int
    number: int
    item_type: str
    content: dict[str, Any]
    content_hash: str
    levels: tuple[str, ...]
    tags: tuple[str, ...]
    schedule: Schedule
    suspended: bool
    retired: bool
    changed: bool


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One row of the append-only review log."""

    id: int
    card_id: int
    reviewed_at: str
    day: date
    kind: ReviewKind
    quality: int
    answer_ms: int | None
    before: Schedule
    after: Schedule
    changed_before: bool
    content_hash: str
    scheduler: SchedulerName = "sm2"
    """The scheduler that set the due date after this answer (in force, for a quiz)."""
    picked: tuple[str, ...] | None = None
    """The options a choice answer picked (their texts, as shown); None when not recorded."""


class CardFilter(Protocol):
    """What the store reads from a filter: any-of decks, any-of levels, any-of tags."""

    @property
    def decks(self) -> tuple[str, ...]: ...

    @property
    def levels(self) -> tuple[str, ...]: ...

    @property
    def tags(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class DeckFile:
    """A validated deck to write, with the file it came from and that file's digest."""

    path: str
    digest: str
    deck: Deck


@dataclass(frozen=True, slots=True)
class DeckSync:
    """What syncing one deck file did. ``status`` is added, updated or unchanged."""

    path: str
    deck_id: str | None
    status: Literal["added", "updated", "unchanged"]
    items: int = 0
    cards: int = 0
    items_added: int = 0
    items_changed: int = 0
    items_retired: int = 0
    items_restored: int = 0
    cards_added: int = 0
    cards_retired: int = 0
    cards_restored: int = 0

    def describe(self) -> str:
        """One line for the CLI."""
        if self.status == "unchanged":
            return f"{self.path}: unchanged ({self.deck_id or 'already synced'}), skipped"
        parts = [
            f"{n} {label}"
            for n, label in (
                (self.items_added, "added"),
                (self.items_changed, "changed"),
                (self.items_retired, "retired"),
                (self.items_restored, "restored"),
            )
            if n
        ]
        card_parts = [
            f"{n} {label}"
            for n, label in (
                (self.cards_added, "added"),
                (self.cards_retired, "retired"),
                (self.cards_restored, "restored"),
            )
            if n
        ]
        items = f"{self.items} items" + (f" ({', '.join(parts)})" if parts else "")
        cards = f"{self.cards} cards" + (f" ({', '.join(card_parts)})" if card_parts else "")
        return f"{self.path}: {self.status} {self.deck_id}: {items}, {cards}"


@dataclass(frozen=True, slots=True)
class StatsFigures:
    """Raw counts for `hccquiz.stats`; days are study days."""

    cards_total: int
    cards_new: int
    cards_suspended: int
    due_by_day: tuple[int, ...]
    overdue: int
    reviews_total: int
    reviews_by_kind: dict[str, int]
    reviews_today: int
    reviews_today_by_kind: dict[str, int]
    retention_passed: int
    retention_reviews: int
    by_level: dict[str, dict[str, int]]
    by_deck: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class FsrsFigures:
    """FSRS's figures for the stats: studied cards' memories, and the calibration rows.

    ``memories`` holds (stability, last study day) of every active, unsuspended card with
    an FSRS memory; ``cards``, when asked for, the same cards in deck order as (card id,
    deck id, item id, card number, stability, difficulty, last study day, due day);
    ``calibration`` holds (bin, reviews, mean predicted recall, recalled) per tenth of
    predicted recall, from ``fsrs_calibration``.
    """

    memories: list[tuple[float, date]]
    calibration: list[tuple[int, int, float, int]]
    cards: list[tuple[int, str, str, int, float, float, date, str]] | None = None
