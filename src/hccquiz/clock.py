"""Injected time: clocks, and the study day that rolls over at 04:00 local time.

Domain code never reads the system clock; it is handed a `Clock` (`SystemClock` in the
app, `FixedClock` in tests) and turns instants into study days with a `DayBoundary`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol, runtime_checkable

__all__ = ["DEFAULT_DAY_START", "Clock", "DayBoundary", "FixedClock", "SystemClock"]

DEFAULT_DAY_START = time(4, 0)
"""Anki's convention: a study day runs from 04:00 to 04:00 local time."""


@runtime_checkable
class Clock(Protocol):
    """Anything that tells the current time as an aware datetime."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        """`datetime.now` in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to; for tests and replays."""

    def __init__(self, start: datetime) -> None:
        self._now = _aware(start)

    def now(self) -> datetime:
        """The time it was set to."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Jump to ``moment``."""
        self._now = _aware(moment)

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move forward by ``delta`` or by `timedelta` keyword parts; returns the new time."""
        self._now += delta if delta is not None else timedelta(**parts)
        return self._now


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("clock times must be timezone-aware")
    return moment


@dataclass(frozen=True, slots=True)
class DayBoundary:
    """When a study day starts, in which time zone (None: the system's local zone).

    An instant before ``starts_at`` local time belongs to the previous study day, so a
    session at 01:30 still counts for the evening before.
    """

    starts_at: time = DEFAULT_DAY_START
    tz: tzinfo | None = None

    def __post_init__(self) -> None:
        if self.starts_at.tzinfo is not None:
            raise ValueError("starts_at is a local wall-clock time; give it without tzinfo")

    def day(self, moment: datetime) -> date:
        """The study day ``moment`` (aware) falls in."""
        local = _aware(moment).astimezone(self.tz)
        offset = timedelta(hours=self.starts_at.hour, minutes=self.starts_at.minute)
        return (local.replace(tzinfo=None) - offset).date()

    def start(self, day: date) -> datetime:
        """The aware instant study day ``day`` begins."""
        naive = datetime.combine(day, self.starts_at)
        return naive.replace(tzinfo=self.tz) if self.tz else naive.astimezone()
