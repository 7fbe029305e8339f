"""What a user chooses about scheduling, as facts that load no scheduler: which scheduler
(`SCHEDULER_NAMES`, `DEFAULT_SCHEDULER`) and FSRS's desired retention (`DEFAULT_RETENTION`
and its bounds). Settings and the command line read them here, so that ``hccquiz --help``
and every command that does not schedule start without SM-2, FSRS or py-fsrs;
`hccquiz.scheduler` and `hccquiz.fsrs` export them too.
"""

from __future__ import annotations

import math
from typing import Literal

__all__ = [
    "DEFAULT_RETENTION",
    "DEFAULT_SCHEDULER",
    "MAX_RETENTION",
    "MIN_RETENTION",
    "SCHEDULER_NAMES",
    "SchedulerName",
    "check_retention",
    "check_scheduler_name",
]

SchedulerName = Literal["sm2", "fsrs"]
"""A scheduler's name, as settings, the review log and progress exports write it."""
SCHEDULER_NAMES: tuple[SchedulerName, ...] = ("sm2", "fsrs")
"""Every scheduler, the default first."""
DEFAULT_SCHEDULER: SchedulerName = "sm2"
"""The scheduler of a database that never chose one: SM-2, read literally."""

DEFAULT_RETENTION = 0.9
"""The desired retention when none is set (Anki's default)."""
MIN_RETENTION = 0.70
"""The lowest desired retention hccquiz accepts."""
MAX_RETENTION = 0.97
"""The highest desired retention hccquiz accepts: above it the workload grows steeply."""


def check_scheduler_name(name: object) -> SchedulerName:
    """``name`` if it names a scheduler; `ValueError` otherwise."""
    for known in SCHEDULER_NAMES:
        if name == known:
            return known
    raise ValueError(f"scheduler must be one of {', '.join(SCHEDULER_NAMES)}, not {name!r}")


def check_retention(value: float) -> float:
    """``value`` if it is a desired retention hccquiz accepts (0.70-0.97); else `ValueError`."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ValueError(f"desired retention must be a number, not {value!r}")
    if not MIN_RETENTION <= value <= MAX_RETENTION:
        raise ValueError(
            f"desired retention must be from {MIN_RETENTION:.2f} to {MAX_RETENTION:.2f}, "
            f"not {value:g}: a lower one forgets too much, a higher one piles up reviews"
        )
    return float(value)
