"""FSRS-6 (21 parameters) through the maintained ``fsrs`` package (py-fsrs). Pure: no I/O, no clock.

>>> step = review(None, Rating.GOOD, date(2026, 1, 5), FsrsConfig())
>>> step.state.phase, step.interval, step.days
(<Phase.LEARNING: 1>, datetime.timedelta(seconds=600), None)

hccquiz does not compute FSRS itself: `review` hands each answer to py-fsrs's
``Scheduler.review_card`` and reads back the stability, difficulty, learning step and interval.
What this module adds is the way time and randomness reach it:

- **Study days.** py-fsrs counts the days between two reviews as whole 24-hour periods
  between their instants. Anki counts *study days* (a day starts at 04:00), so a card due
  tomorrow that is answered 20 hours after its last review counts one day, not zero. hccquiz
  therefore gives py-fsrs every review at 00:00 UTC of its study day (`_instant`): elapsed
  days are then study days, and two reviews on one study day are a same-day (short-term)
  review, exactly as in Anki. A learning step's length (1 or 10 minutes) is returned as a
  `timedelta` for the caller to add to the real instant.
- **Fuzz.** Anki spreads review intervals of 3 days or more over a range that widens with
  the interval (`fuzz_range`, from py-fsrs's ``FUZZ_RANGES``), picking a point with a
  pseudo-random number seeded by the card, so that the interval a button previews is the one
  it gives. py-fsrs draws its fuzz from the global ``random``; hccquiz turns that off and
  applies the same ranges with a number the caller gives (`fuzz_factor` derives it from the
  card and the day).
- **Ratings.** `hccquiz.grading.rating_of` maps a quality to Again/Hard/Good/Easy.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum
from functools import lru_cache

from fsrs import Card, Scheduler, State
from fsrs import Rating as FsrsRating
from fsrs.scheduler import DEFAULT_PARAMETERS as _PY_FSRS_DEFAULTS
from fsrs.scheduler import FUZZ_RANGES

from .grading import Rating
from .scheduling_choices import DEFAULT_RETENTION, MAX_RETENTION, MIN_RETENTION, check_retention

__all__ = [
    "DEFAULT_PARAMETERS",
    "DEFAULT_RETENTION",
    "LEARNING_STEPS",
    "MAXIMUM_INTERVAL",
    "MAX_RETENTION",
    "MIN_RETENTION",
    "RELEARNING_STEPS",
    "FsrsConfig",
    "FsrsState",
    "Phase",
    "Step",
    "check_parameters",
    "check_retention",
    "curve_of",
    "forgetting_curve",
    "fuzz_factor",
    "fuzz_range",
    "fuzzed_days",
    "retrievability",
    "review",
]

DEFAULT_PARAMETERS: tuple[float, ...] = tuple(_PY_FSRS_DEFAULTS)
"""FSRS-6's 21 default parameters, as py-fsrs ships them."""
LEARNING_STEPS: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
"""A new card's learning steps (Anki's defaults)."""
RELEARNING_STEPS: tuple[timedelta, ...] = (timedelta(minutes=10),)
"""A lapsed card's relearning step (Anki's default)."""
MAXIMUM_INTERVAL = 36500
"""The longest interval in days (Anki's default, 100 years)."""


class Phase(IntEnum):
    """Where a card is in FSRS's state machine (py-fsrs's ``State``, same numbers)."""

    LEARNING = 1
    """New, or still in its learning steps."""
    REVIEW = 2
    """Graduated: scheduled in whole days."""
    RELEARNING = 3
    """Lapsed, in its relearning steps."""


@dataclass(frozen=True, slots=True)
class FsrsState:
    """One card's FSRS memory: phase and step, stability (days), difficulty (1-10) and the
    study day of its last review. Immutable; `review` returns a new one."""

    phase: Phase
    step: int | None
    stability: float
    difficulty: float
    last_day: date


def check_parameters(parameters: tuple[float, ...]) -> tuple[float, ...]:
    """``parameters`` if py-fsrs accepts them (21 numbers within its bounds); else `ValueError`."""
    values = tuple(float(p) for p in parameters)
    try:
        Scheduler(parameters=values, enable_fuzzing=False)
    except ValueError as exc:
        raise ValueError(" ".join(str(exc).split())) from None
    return values


@dataclass(frozen=True, slots=True)
class FsrsConfig:
    """The parameters and settings FSRS schedules with (hashable: py-fsrs schedulers are
    built once per configuration)."""

    parameters: tuple[float, ...] = DEFAULT_PARAMETERS
    desired_retention: float = DEFAULT_RETENTION
    learning_steps: tuple[timedelta, ...] = LEARNING_STEPS
    relearning_steps: tuple[timedelta, ...] = RELEARNING_STEPS
    maximum_interval: int = MAXIMUM_INTERVAL

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", check_parameters(self.parameters))
        check_retention(self.desired_retention)


@lru_cache(maxsize=16)
def _scheduler(config: FsrsConfig) -> Scheduler:
    return Scheduler(
        parameters=config.parameters,
        desired_retention=config.desired_retention,
        learning_steps=config.learning_steps,
        relearning_steps=config.relearning_steps,
        maximum_interval=config.maximum_interval,
        enable_fuzzing=False,
    )


_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def _instant(day: date) -> datetime:
    """The instant py-fsrs is given for a review on study day ``day``: 00:00 UTC that day."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _card(state: FsrsState | None) -> Card:
    if state is None:
        return Card(card_id=0, state=State.Learning, step=0, due=_NEVER)
    return Card(
        card_id=0,
        state=State(int(state.phase)),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=_NEVER,
        last_review=_instant(state.last_day),
    )


@dataclass(frozen=True, slots=True)
class Step:
    """What one answer did: the new state and when the card is next due.

    ``days`` is the interval in whole days once the card is in review (fuzzed if a fuzz
    factor was given); during learning and relearning steps it is None and ``interval`` is
    the step (minutes), to be added to the instant of the answer.
    """

    state: FsrsState
    interval: timedelta
    days: int | None


def review(
    state: FsrsState | None,
    rating: Rating,
    day: date,
    config: FsrsConfig,
    *,
    fuzz: float | None = None,
) -> Step:
    """The state after answering ``rating`` on study day ``day`` (``state`` None: a new card).

    ``fuzz`` in [0, 1) spreads a review interval as Anki does (`fuzzed_days`); None leaves
    the interval as FSRS computes it.
    """
    rating = Rating(rating)
    at = _instant(day)
    if state is not None and day < state.last_day:
        raise ValueError(f"a review on {day} cannot come before the last one ({state.last_day})")
    card, _ = _scheduler(config).review_card(_card(state), FsrsRating(int(rating)), at)
    assert card.stability is not None and card.difficulty is not None
    new = FsrsState(
        Phase(int(card.state)), card.step, float(card.stability), float(card.difficulty), day
    )
    interval = card.due - at
    if new.phase is not Phase.REVIEW:
        return Step(new, interval, None)
    days = interval.days
    if fuzz is not None:
        days = fuzzed_days(days, fuzz, config.maximum_interval)
    return Step(new, timedelta(days=days), days)


def retrievability(state: FsrsState | None, day: date, config: FsrsConfig) -> float:
    """FSRS's predicted probability of recall on study day ``day`` (0 for a new card)."""
    if state is None:
        return 0.0
    return float(_scheduler(config).get_card_retrievability(_card(state), _instant(day)))


def forgetting_curve(elapsed_days: float, stability: float, parameters: tuple[float, ...]) -> float:
    """FSRS-6's predicted recall ``elapsed_days`` after a review that left ``stability``:
    (1 + factor * t / S) ** -w20, with factor chosen so that recall is 0.9 when t = S.

    The formula py-fsrs's ``get_card_retrievability`` evaluates (a test holds them equal);
    here so that a whole log's predictions need no py-fsrs card each."""
    return curve_of(parameters)(max(elapsed_days, 0), stability)


def curve_of(parameters: tuple[float, ...]) -> Callable[[float, float], float]:
    """`forgetting_curve` for one parameter set, as a function of (elapsed days >= 0,
    stability), for replaying a whole log."""
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1

    def curve(elapsed_days: float, stability: float) -> float:
        return float((1 + factor * elapsed_days / stability) ** decay)

    return curve


def fuzz_range(days: int, maximum: int = MAXIMUM_INTERVAL) -> tuple[int, int]:
    """The lowest and highest interval fuzz may give for ``days`` (Anki's ranges: ±1 day,
    plus 15% of the part from 2.5 to 7 days, 10% from 7 to 20 and 5% beyond; none below 2.5)."""
    if days < 2.5:
        return days, days
    delta = 1.0
    for part in FUZZ_RANGES:
        delta += part["factor"] * max(min(float(days), part["end"]) - part["start"], 0.0)
    low = max(2, round(days - delta))
    high = min(round(days + delta), maximum)
    return min(low, high), high


def fuzzed_days(days: int, fuzz: float, maximum: int = MAXIMUM_INTERVAL) -> int:
    """The interval in `fuzz_range` that ``fuzz`` (in [0, 1)) picks, uniformly, as Anki does."""
    if not 0.0 <= fuzz < 1.0:
        raise ValueError(f"fuzz must be in [0, 1), not {fuzz!r}")
    low, high = fuzz_range(days, maximum)
    return min(math.floor(fuzz * (high - low + 1) + low), high)


def fuzz_factor(card_id: int, day: date) -> float:
    """A number in [0, 1) fixed by the card and the study day: the same answer on the same
    day always gets the same fuzz, so a button's preview is what it gives."""
    digest = hashlib.blake2b(f"{card_id}/{day.isoformat()}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
