"""What a study session hands out: the card on screen with its previews, counts, a grade's
result and the end-of-session summary. Plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from ..deck.models import AnyItem
from ..grading import Grade, Scale

if TYPE_CHECKING:
    from ..store import ReviewRecord, Schedule

__all__ = ["Counts", "GradeResult", "Preview", "QueueName", "SessionSummary", "StudyCard"]

QueueName = Literal["review", "new", "drill"]
"""The queue a card was drawn from: due reviews, new cards or the same-day queue (SM-2's
drill, or FSRS's learning and relearning steps)."""


@dataclass(frozen=True, slots=True)
class Preview:
    """What a grade would do: the new interval and due day, and whether it is asked again
    today; ``step`` is the length of an FSRS learning or relearning step it would start."""

    grade: Grade
    interval: int | None
    due: date | None
    again_today: bool
    step: timedelta | None = None


@dataclass(frozen=True, slots=True)
class StudyCard:
    """The card on screen: its item, card (cloze) number, queue and a preview per grade."""

    card_id: int
    deck_id: str
    item: AnyItem
    number: int
    queue: QueueName
    changed: bool
    schedule: Schedule
    levels: tuple[str, ...]
    tags: tuple[str, ...]
    previews: tuple[Preview, ...]
    retrievability: float | None = None
    """FSRS's predicted recall now (None under SM-2, and for a new card)."""

    def preview(self, quality: int) -> Preview:
        """The preview for one quality; `ValueError` if it is not on the scale."""
        for p in self.previews:
            if p.grade.quality == quality:
                return p
        raise ValueError(f"quality {quality!r} is not on this session's scale")


@dataclass(frozen=True, slots=True)
class Counts:
    """Cards left in this session: new, learning (same-day drill) and review."""

    new: int
    learning: int
    review: int

    @property
    def total(self) -> int:
        """All cards left."""
        return self.new + self.learning + self.review


@dataclass(frozen=True, slots=True)
class GradeResult:
    """What one grade did."""

    review: ReviewRecord
    again_today: bool

    @property
    def due(self) -> date | None:
        """The card's due day after the grade."""
        return self.review.after.due


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """The end-of-session figures (undone grades are not counted)."""

    day: date
    started_at: datetime
    ended_at: datetime
    new: int
    reviews: int
    drills: int
    passed: int
    lapsed: int
    by_quality: dict[int, int]
    answer_ms: int
    suspended: tuple[int, ...]
    remaining: Counts
    scheduler: str = "sm2"
    """The scheduler in force: ``drills`` are SM-2's drill repeats, or FSRS's step answers."""
    scale: Scale = Scale.FOUR
    """The grading scale of the session, which names its grades."""

    @property
    def studied(self) -> int:
        """Study grades (new plus reviews)."""
        return self.new + self.reviews

    @property
    def pass_rate(self) -> float | None:
        """Share of study grades of 3 or more, or None if nothing was studied."""
        return self.passed / self.studied if self.studied else None
