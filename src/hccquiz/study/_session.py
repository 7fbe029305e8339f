"""`Session`: one study day's queue, grades, drill, undo and suspend."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..clock import Clock
from ..deck.models import ChoiceItem
from ..grading import PASS, Grade, ReviewKind
from ..scheduler import Scheduler
from ._cards import Counts, GradeResult, Preview, QueueName, SessionSummary, StudyCard
from ._filters import Filters, item_of
from ._settings import SessionError, StudyConfig
from ._steps import LEARN_AHEAD, SameDay
from ._today import plan_day
from .scheduling import SCHEDULER_KEYS, make_scheduler

if TYPE_CHECKING:
    from ..store import CardRecord, ReviewRecord, Store

__all__ = [
    "Counts",
    "GradeResult",
    "Preview",
    "QueueName",
    "Session",
    "SessionSummary",
    "StudyCard",
]


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
        scheduler: Scheduler | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.config = config or StudyConfig()
        self.filters = filters or Filters()
        self.scheduler = scheduler or make_scheduler(
            store.settings_of(*SCHEDULER_KEYS),
            boundary=self.config.boundary,
            drill=self.config.drill,
        )
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
        plan = plan_day(
            self.store, self.config, self.filters, self.day, steps=self.scheduler.name == "fsrs"
        )
        current = self._current.card_id if self._current is not None else None
        self._queues: dict[QueueName, deque[int]] = {
            name: deque(c for c in getattr(plan, name) if c != current)
            for name in ("review", "new")
        }
        self._same_day = SameDay((c, plan.step_ends.get(c)) for c in plan.drill if c != current)

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
            learning=len(self._same_day) + extra["drill"],
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
        now = self.clock.now()
        # a step that has ended comes first (as in Anki); then reviews, new cards, and
        # steps ending soon; the drill has no instants and comes last
        while self._same_day.ended(now):
            if card := self._take_same_day():
                return card
        for name in ("review", "new"):
            queue = self._queues[name]
            while queue:
                record = self.store.card(queue.popleft())
                if self._still_fits(record, name):
                    return self._show(record, name)
        while self._same_day.ready(now, LEARN_AHEAD):
            if card := self._take_same_day():
                return card
        return None

    def _take_same_day(self) -> StudyCard | None:
        record = self.store.card(self._same_day.popleft())
        return self._show(record, "drill") if self._still_fits(record, "drill") else None

    def _show(self, record: CardRecord, queue: QueueName) -> StudyCard:
        self._current = self._present(record, queue)
        self._shown_at = self.clock.now()
        return self._current

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
        now = self.clock.now()
        for grade in self.grades:
            out = self.scheduler.review(
                card.schedule,
                grade.quality,
                day=self.day,
                now=now,
                first_of_day=queue != "drill",
                seed=card.id,
            )
            after = out.schedule
            if out.interval is None:  # a drill grade: the due day stays
                previews.append(Preview(grade, None, after.due, out.again_today))
            elif after.due_at is not None:  # an FSRS step, in minutes
                previews.append(Preview(grade, None, after.due, out.again_today, out.interval))
            else:
                previews.append(Preview(grade, out.interval.days, after.due, out.again_today))
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
            retrievability=self.scheduler.retrievability(card.schedule, self.day),
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
        from ..store import StaleCard

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
        kind: ReviewKind = "drill" if card.queue == "drill" else "study"
        out = self.scheduler.review(
            before,
            quality,
            day=self.day,
            now=now,
            first_of_day=kind == "study",
            seed=card.card_id,
        )
        seen = kind == "study" and not before.is_new
        try:
            record = self.store.record_review(
                card.card_id,
                kind=kind,
                quality=quality,
                reviewed_at=now,
                day=self.day,
                before=before,
                after=out.schedule,
                answer_ms=answer_ms,
                scheduler=self.scheduler.name,
                predicted=self.scheduler.retrievability(before, self.day) if seen else None,
                picked=picked,
            )
        except StaleCard as exc:
            self._current = None
            raise SessionError(f"{exc}; skipped here") from None
        again = out.again_today
        if again:
            self._same_day.append(card.card_id, out.schedule.due_at)
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
            scheduler=self.scheduler.name,
            scale=self.config.scale,
        )
