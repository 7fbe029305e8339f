"""`Session`: one study day's queue, grades, drill, undo and suspend."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from ..clock import Clock
from ..deck.models import AnyItem, ChoiceItem
from ..grading import PASS, Grade, ReviewKind
from ..sm2 import needs_drill, preview, review
from ._filters import Filters, item_of
from ._settings import SessionError, StudyConfig
from ._today import plan_day

if TYPE_CHECKING:
    from ..store import CardRecord, ReviewRecord, Schedule, Store

__all__ = [
    "Counts",
    "GradeResult",
    "Preview",
    "QueueName",
    "Session",
    "SessionSummary",
    "StudyCard",
]

QueueName = Literal["review", "new", "drill"]
"""The queue a card was drawn from: due reviews, new cards or the same-day drill."""


@dataclass(frozen=True, slots=True)
class Preview:
    """What a grade would do: the new interval and due day, and whether it is asked again today."""

    grade: Grade
    interval: int | None
    due: date | None
    again_today: bool


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

    @property
    def studied(self) -> int:
        """Study grades (new plus reviews)."""
        return self.new + self.reviews

    @property
    def pass_rate(self) -> float | None:
        """Share of study grades of 3 or more, or None if nothing was studied."""
        return self.passed / self.studied if self.studied else None


@dataclass(slots=True)
class _Action:
    card: StudyCard
    review: ReviewRecord | None = None  # None: a suspension


class Session:
    """One study session. Call `next_card`, show it, then `grade`; `None` means done."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        config: StudyConfig | None = None,
        filters: Filters | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.config = config or StudyConfig()
        self.filters = filters or Filters()
        self.started_at = clock.now()
        self.day = self.config.boundary.day(self.started_at)
        self._current: StudyCard | None = None
        self._shown_at = self.started_at
        self._done: list[_Action] = []
        self._load()

    @property
    def grades(self) -> tuple[Grade, ...]:
        """The answer buttons of the configured scale."""
        return self.config.scale.grades

    def _load(self) -> None:
        """Build the queues from `plan_day`, the one source of what is left today; the
        card on screen, if any, is counted once, as the current card."""
        plan = plan_day(self.store, self.config, self.filters, self.day)
        current = self._current.card_id if self._current is not None else None
        self._queues: dict[QueueName, deque[int]] = {
            name: deque(c for c in getattr(plan, name) if c != current)
            for name in ("review", "new", "drill")
        }

    def _roll_over(self) -> bool:
        """Move to the study day of now if it has begun; True if it had."""
        today = self.config.boundary.day(self.clock.now())
        if today == self.day:
            return False
        self.day = today
        self._load()
        return True

    @property
    def counts(self) -> Counts:
        """Cards left, the one on screen included."""
        extra = Counter([self._current.queue] if self._current else [])
        q = self._queues
        return Counts(
            new=len(q["new"]) + extra["new"],
            learning=len(q["drill"]) + extra["drill"],
            review=len(q["review"]) + extra["review"],
        )

    @property
    def current(self) -> StudyCard | None:
        """The card shown and not yet graded, if any."""
        return self._current

    def next_card(self) -> StudyCard | None:
        """The card to show now (the same one until it is graded); None when done."""
        if self._current is not None:
            return self._current
        self._roll_over()
        for name in ("review", "new", "drill"):
            queue = self._queues[name]
            while queue:
                record = self.store.card(queue.popleft())
                if self._still_fits(record, name):
                    self._current = self._present(record, name)
                    self._shown_at = self.clock.now()
                    return self._current
        return None

    def _still_fits(self, card: CardRecord, queue: QueueName) -> bool:
        """False for a card that another process retired, suspended or graded meanwhile."""
        if card.retired or card.suspended:
            return False
        if queue == "new":
            return card.schedule.is_new
        if queue == "review":
            return card.schedule.due is not None and card.schedule.due <= self.day
        return True

    def _present(self, card: CardRecord, queue: QueueName) -> StudyCard:
        previews = []
        intervals = preview(card.schedule.state, self.config.scale)
        for grade in self.grades:
            again = self.config.drill and needs_drill(grade.quality)
            if queue == "drill":
                previews.append(Preview(grade, None, card.schedule.due, again))
            else:
                interval = intervals[grade.quality]
                previews.append(
                    Preview(grade, interval, self.day + timedelta(days=interval), again)
                )
        return StudyCard(
            card_id=card.id,
            deck_id=card.deck_id,
            item=item_of(card),
            number=card.number,
            queue=queue,
            changed=card.changed,
            schedule=card.schedule,
            levels=card.levels,
            tags=card.tags,
            previews=tuple(previews),
        )

    def grade(
        self,
        quality: int,
        *,
        answer_ms: int | None = None,
        picked: Sequence[str] | None = None,
    ) -> GradeResult:
        """Record a grade for the current card, committed before this returns.

        ``answer_ms`` defaults to the time since the card was shown. ``picked`` is the
        options a choice card's answer picked (their texts), kept for item analysis.
        Raises `SessionError` if no card is shown, or if another process graded the card
        meanwhile (the card is then dropped from this session).
        """
        from ..store import Schedule, StaleCard

        card = self._current
        if card is None:
            raise SessionError("no card to grade: call next_card() first")
        self.config.scale.grade(quality)  # ValueError if not on the scale
        if picked is not None:
            choices = card.item.choices if isinstance(card.item, ChoiceItem) else []
            if isinstance(picked, str) or not all(p in choices for p in picked):
                raise ValueError(f"picked {picked!r} are not options of this card")
        now = self.clock.now()
        if answer_ms is None:
            answer_ms = max(0, round((now - self._shown_at).total_seconds() * 1000))
        if self._roll_over():  # shown before the day began: the grade counts for the new day
            card = self._current = self._for_day(card)
        before = card.schedule
        kind: ReviewKind
        if card.queue == "drill":
            kind, after = "drill", before
        else:
            state = review(before.state, quality)
            kind, after = "study", Schedule(state, self.day + timedelta(days=state.interval))
        try:
            record = self.store.record_review(
                card.card_id,
                kind=kind,
                quality=quality,
                reviewed_at=now,
                day=self.day,
                before=before,
                after=after,
                answer_ms=answer_ms,
                picked=picked,
            )
        except StaleCard as exc:
            self._current = None
            raise SessionError(f"{exc}; skipped here") from None
        again = self.config.drill and needs_drill(quality)
        if again:
            self._queues["drill"].append(card.card_id)
        self._done.append(_Action(card, record))
        self._current = None
        return GradeResult(record, again)

    def _for_day(self, card: StudyCard) -> StudyCard:
        """The card on screen, taken into the study day that began while it was shown: a
        drill card due by now becomes a review (its first grade of the new day)."""
        queue: QueueName = card.queue
        due = card.schedule.due
        if queue == "drill" and due is not None and due <= self.day:
            queue = "review"
        return self._present(self.store.card(card.card_id), queue)

    def reload_current(self) -> StudyCard | None:
        """Read the card on screen again (its deck was edited, or it was changed in the
        browser): its new content, same history; dropped if it was retired, suspended or
        answered elsewhere meanwhile. Returns the card now on screen, or None."""
        card = self._current
        if card is None:
            return None
        record = self.store.card(card.card_id)
        self._current = None
        if not self._still_fits(record, card.queue) or record.schedule != card.schedule:
            self._load()
            return None
        self._current = self._present(record, card.queue)
        return self._current

    def suspend(self) -> None:
        """Suspend the current card: it leaves every queue until unsuspended (undoable)."""
        card = self._current
        if card is None:
            raise SessionError("no card to suspend: call next_card() first")
        self.store.set_suspended(card.card_id, True)
        self._done.append(_Action(card))
        self._current = None
        self._load()  # the next new card in line takes a suspended new card's place

    @property
    def done_count(self) -> int:
        """Grades and suspensions so far in this session (undone ones not counted)."""
        return len(self._done)

    @property
    def can_undo(self) -> bool:
        """True if there is a grade or suspension to undo."""
        return bool(self._done)

    def undo(self) -> StudyCard | None:
        """Undo the last grade or suspension and show that card again.

        A grade's review row is deleted and the card's exact previous state restored.
        """
        from ..store import StaleCard

        if not self._done:
            raise SessionError("nothing to undo")
        action = self._done.pop()
        try:
            if action.review is None:
                self.store.set_suspended(action.card.card_id, False)
            else:
                self.store.undo_review(action.review.id)
        except StaleCard as exc:
            raise SessionError(f"cannot undo: {exc}") from None
        self._current = self._present(self.store.card(action.card.card_id), action.card.queue)
        self._shown_at = self.clock.now()
        self._load()
        return self._current

    def summary(self) -> SessionSummary:
        """Figures for the end-of-session screen."""
        grades = [a.review for a in self._done if a.review is not None]
        study = [r for r in grades if r.kind == "study"]
        return SessionSummary(
            day=self.day,
            started_at=self.started_at,
            ended_at=self.clock.now(),
            new=sum(r.before.is_new for r in study),
            reviews=sum(not r.before.is_new for r in study),
            drills=sum(r.kind == "drill" for r in grades),
            passed=sum(r.quality >= PASS for r in study),
            lapsed=sum(r.quality < PASS for r in study),
            by_quality=dict(sorted(Counter(r.quality for r in study).items())),
            answer_ms=sum(r.answer_ms or 0 for r in grades),
            suspended=tuple(a.card.card_id for a in self._done if a.review is None),
            remaining=self.counts,
        )
