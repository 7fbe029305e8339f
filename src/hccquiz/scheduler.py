"""One scheduler interface; two schedulers: literal SM-2 (`hccquiz.sm2`) and FSRS-6 (`.fsrs`).

Pure: no I/O, no clock; the caller gives the study day and the instant of every answer.
A card's `Schedule` holds what both need: the SM-2 state, the FSRS memory, the study day
the card is due and, during FSRS's learning and relearning steps, the instant it is due.
A `Scheduler` turns a schedule and a quality into an `Outcome`; the session, its button
previews and the stats ask only this interface (`scheduler_for` builds one by name).

- **SM-2** (`SM2Scheduler`): only the first grade of a study day moves the card; grades
  below 4 send it to the same-day drill, which changes nothing. It keeps no FSRS memory.
- **FSRS** (`FSRSScheduler`): every answer moves the FSRS memory; a new or lapsed card
  goes through short learning or relearning steps (minutes) that bring it back the same
  day, as Anki does, and then gets a whole-day interval for the desired retention. The
  first grade of a study day also advances the SM-2 state, so switching back to SM-2 finds
  it as SM-2 would have left it.

`SCHEDULER_NAMES` and `DEFAULT_SCHEDULER` (at home in `hccquiz.scheduling_choices`, which
loads no scheduler) name the schedulers for the ``scheduler`` setting, the review log's
``scheduler`` column and progress exports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from . import fsrs, sm2
from .clock import DayBoundary
from .fsrs import FsrsConfig, FsrsState
from .grading import check_quality, rating_of
from .scheduling_choices import (
    DEFAULT_SCHEDULER,
    SCHEDULER_NAMES,
    SchedulerName,
    check_scheduler_name,
)
from .sm2 import SM2State

__all__ = [
    "DEFAULT_SCHEDULER",
    "SCHEDULER_NAMES",
    "FSRSScheduler",
    "Outcome",
    "SM2Scheduler",
    "Schedule",
    "Scheduler",
    "SchedulerName",
    "check_scheduler_name",
    "scheduler_for",
]


@dataclass(frozen=True, slots=True)
class Schedule:
    """A card's scheduling state: SM-2 state, FSRS memory, due study day and due instant.

    ``due`` is None for a new card. ``memory`` is the FSRS memory (None for a new card, and
    under SM-2, which keeps none). ``due_at`` is set only while FSRS has the card in a
    learning or relearning step: the instant it comes back.
    """

    state: SM2State = field(default_factory=SM2State)
    due: date | None = None
    memory: FsrsState | None = None
    due_at: datetime | None = None

    @property
    def is_new(self) -> bool:
        """True until the card's first study grade."""
        return self.due is None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an answer gives: the new schedule, whether the card comes back this study day,
    and the interval to show (None when the answer leaves the due date as it was)."""

    schedule: Schedule
    again_today: bool
    interval: timedelta | None


class Scheduler(Protocol):
    """What the study session, previews and stats ask of a scheduler."""

    @property
    def name(self) -> SchedulerName:
        """The scheduler's name."""
        ...

    def review(
        self,
        schedule: Schedule,
        quality: int,
        *,
        day: date,
        now: datetime,
        first_of_day: bool,
        seed: int | None = None,
    ) -> Outcome:
        """The outcome of answering ``quality`` (0-5) at ``now``, on study day ``day``.

        ``first_of_day`` says whether this is the card's first grade of the study day.
        ``seed`` (the card's id) fixes the fuzz a scheduler spreads intervals with, per card
        and day, as Anki does; None: no fuzz. Pure, so a preview is a review not recorded.
        """
        ...

    def retrievability(self, schedule: Schedule, day: date) -> float | None:
        """The predicted probability of recall on ``day``; None if the scheduler has no
        memory model (SM-2) or the card is new."""
        ...

    def recall_curve(self) -> Callable[[float, float], float] | None:
        """Predicted recall as a function of (days since the last review, stability), for
        figures over many cards; None without a memory model (SM-2)."""
        ...

    @property
    def desired_retention(self) -> float | None:
        """The recall the scheduler aims for when a card comes back (None: SM-2 has none)."""
        ...


@dataclass(frozen=True, slots=True)
class SM2Scheduler:
    """Literal SM-2 (`hccquiz.sm2`), with the same-day drill when ``drill`` is on."""

    drill: bool = True

    @property
    def name(self) -> SchedulerName:
        """``sm2``."""
        return "sm2"

    def review(
        self,
        schedule: Schedule,
        quality: int,
        *,
        day: date,
        now: datetime,
        first_of_day: bool,
        seed: int | None = None,
    ) -> Outcome:
        """SM-2's step for a first grade of the day; a drill grade changes nothing."""
        again = self.drill and sm2.needs_drill(quality)
        if not first_of_day:
            return Outcome(schedule, again, None)
        state = sm2.review(schedule.state, quality)
        after = Schedule(state, day + timedelta(days=state.interval))
        return Outcome(after, again, timedelta(days=state.interval))

    def retrievability(self, schedule: Schedule, day: date) -> float | None:
        """None: SM-2 has no model of recall."""
        return None

    def recall_curve(self) -> Callable[[float, float], float] | None:
        """None: SM-2 has no model of recall."""
        return None

    @property
    def desired_retention(self) -> float | None:
        """None: SM-2 aims for no retention."""
        return None


@dataclass(frozen=True, slots=True)
class FSRSScheduler:
    """FSRS-6 (`hccquiz.fsrs`) with ``config``; ``boundary`` turns the instant a learning
    step ends into the study day it falls on."""

    config: FsrsConfig = field(default_factory=FsrsConfig)
    boundary: DayBoundary = field(default_factory=DayBoundary)

    @property
    def name(self) -> SchedulerName:
        """``fsrs``."""
        return "fsrs"

    def review(
        self,
        schedule: Schedule,
        quality: int,
        *,
        day: date,
        now: datetime,
        first_of_day: bool,
        seed: int | None = None,
    ) -> Outcome:
        """FSRS's step for any answer; the first of the day also advances the SM-2 state."""
        check_quality(quality)
        state = sm2.review(schedule.state, quality) if first_of_day else schedule.state
        fuzz = None if seed is None else fsrs.fuzz_factor(seed, day)
        step = fsrs.review(schedule.memory, rating_of(quality), day, self.config, fuzz=fuzz)
        if step.days is not None:
            after = Schedule(state, day + timedelta(days=step.days), step.state)
            return Outcome(after, False, step.interval)
        due_at = now + step.interval
        due_day = max(self.boundary.day(due_at), day)
        after = Schedule(state, due_day, step.state, due_at)
        return Outcome(after, due_day == day, step.interval)

    def retrievability(self, schedule: Schedule, day: date) -> float | None:
        """FSRS's predicted recall on ``day``; None for a new card."""
        if schedule.memory is None:
            return None
        return fsrs.retrievability(schedule.memory, day, self.config)

    def recall_curve(self) -> Callable[[float, float], float] | None:
        """FSRS-6's forgetting curve with the parameters in force."""
        return fsrs.curve_of(self.config.parameters)

    @property
    def desired_retention(self) -> float | None:
        """The desired retention in force."""
        return self.config.desired_retention


def scheduler_for(
    name: SchedulerName,
    *,
    drill: bool = True,
    config: FsrsConfig | None = None,
    boundary: DayBoundary | None = None,
) -> Scheduler:
    """The scheduler called ``name``: SM-2 (with or without the drill) or FSRS."""
    if check_scheduler_name(name) == "sm2":
        return SM2Scheduler(drill)
    return FSRSScheduler(config or FsrsConfig(), boundary or DayBoundary())
