"""SuperMemo SM-2 (Wozniak, 1987), read literally, with exact arithmetic. Pure: no I/O, no clock.

>>> s = review(SM2State(), 4)
>>> s.repetitions, s.easiness, s.interval
(1, Decimal('2.50'), 1)

How the published algorithm is read where it is ambiguous:

- **A pass (q >= 3).** ``EF' = max(1.3, EF + (0.1 - (5-q) * (0.08 + (5-q) * 0.02)))``, which is
  +0.10 for q=5, 0 for q=4 and -0.14 for q=3. Repetitions go up by one. The interval is 1 day
  after the first repetition, 6 after the second, and ``ceil(previous_interval * EF')`` after
  that, using the **new** E-Factor.
- **A lapse (q < 3).** Repetitions go back to 0 and the interval to 1 day; the E-Factor is
  **unchanged** ("start repetitions for the item from the beginning without changing the
  E-Factor"). The next pass is then repetition 1 again (interval 1, then 6, ...).
- **Exactness.** EF starts at 2.5 and only ever moves by whole hundredths, so it is kept as an
  integer number of hundredths (`SM2State.easiness` shows it as a two-place `Decimal`). The
  products are exact: ``ceil(10 * 1.30)`` is 13 and ``50 * 3.00`` is 150, where a float
  implementation gets 14 and 151.
- **Same-day drill (step 7).** After a day's session, items graded below 4 are asked again
  until they score 4 or more. Only the first grade of a card on a given day goes through
  `review`; drill grades are logged and change no state. Which grade is the first of the day
  is the caller's business (see `hccquiz.study`); `needs_drill` says whether a grade sends
  the card to the drill queue.
- **Grading scales.** SM-2 grades 0-5; the scales and what counts as a pass live in
  `hccquiz.grading`. `preview` gives the interval each grade of a scale would lead to.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .grading import DRILL_PASS, PASS, Scale, check_quality

__all__ = ["MIN_EF100", "SM2State", "needs_drill", "preview", "review"]

MIN_EF100 = 130
"""The E-Factor floor, 1.3, in hundredths."""

_HUNDREDTH = Decimal("0.01")


def _ef100(value: object) -> int:
    """An E-Factor given as Decimal, int, float or str, in exact hundredths."""
    if isinstance(value, bool):
        raise ValueError(f"easiness must be a number, not {value!r}")
    if not isinstance(value, Decimal | int | float | str):
        raise ValueError(f"easiness must be a number, not {value!r}")
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"easiness must be a number, not {value!r}") from None
    if not exact.is_finite():
        raise ValueError(f"easiness must be finite, not {value!r}")
    hundredths = exact * 100
    if hundredths != hundredths.to_integral_value():
        raise ValueError(f"easiness must be a multiple of 0.01, not {value!r}")
    return int(hundredths)


@dataclass(frozen=True, slots=True)
class SM2State:
    """The SM-2 state of one card. Immutable; `review` returns a new one.

    ``easiness`` accepts a `Decimal`, int, float or str that is a multiple of 0.01 and is
    stored exactly as a two-place `Decimal`; ``ef100`` gives it in integer hundredths.
    """

    repetitions: int = 0
    easiness: Decimal = Decimal("2.50")
    interval: int = 0

    def __post_init__(self) -> None:
        for name in ("repetitions", "interval"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an int >= 0, not {value!r}")
        ef100 = _ef100(self.easiness)
        if ef100 < MIN_EF100:
            raise ValueError(f"easiness must be at least 1.3, not {self.easiness!r}")
        object.__setattr__(self, "easiness", (Decimal(ef100) / 100).quantize(_HUNDREDTH))

    @property
    def ef100(self) -> int:
        """The E-Factor in integer hundredths (250 for 2.5)."""
        return int(self.easiness * 100)

    @classmethod
    def from_ef100(cls, repetitions: int, ef100: int, interval: int) -> SM2State:
        """Build a state from an E-Factor in hundredths, as the store keeps it."""
        return cls(repetitions, Decimal(ef100) / 100, interval)


def review(state: SM2State, quality: int) -> SM2State:
    """The state after one graded recall of quality 0-5 (see the module notes)."""
    check_quality(quality)
    if quality < PASS:
        return SM2State.from_ef100(0, state.ef100, 1)
    miss = 5 - quality
    ef100 = max(MIN_EF100, state.ef100 + 10 - miss * (8 + miss * 2))
    repetitions = state.repetitions + 1
    if repetitions == 1:
        interval = 1
    elif repetitions == 2:
        interval = 6
    else:
        interval = -(-state.interval * ef100 // 100)  # exact ceil(I * EF')
    return SM2State.from_ef100(repetitions, ef100, interval)


def needs_drill(quality: int) -> bool:
    """True if a grade sends the card to the same-day drill queue (quality below 4)."""
    return check_quality(quality) < DRILL_PASS


def preview(state: SM2State, scale: Scale = Scale.FOUR) -> dict[int, int]:
    """The interval in days each grade of ``scale`` would give, keyed by quality."""
    return {grade.quality: review(state, grade.quality).interval for grade in scale.grades}
