"""Study settings: daily limits, the day boundary, the grading scale, the drill switch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time, tzinfo
from typing import Any

from ..clock import DEFAULT_DAY_START, DayBoundary
from ..errors import HccquizError
from ..grading import Scale

__all__ = ["SessionError", "StudyConfig", "parse_day_start"]


class SessionError(HccquizError):
    """A session or quiz was asked for something it cannot do now."""


def parse_day_start(value: str | None) -> time:
    """A stored ``day_starts_at`` (``HH:MM``) as a time; 04:00 when unset.

    Raises `SessionError` for text that is not a time of day.
    """
    if not value:
        return DEFAULT_DAY_START
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise SessionError(
            f"the day_starts_at setting {value!r} is not a time like 04:00"
        ) from None


@dataclass(frozen=True, slots=True)
class StudyConfig:
    """Daily limits, day boundary, grading scale and drill switch.

    Stored settings use the field names as keys (``day_starts_at`` as ``HH:MM``).
    """

    new_per_day: int = 20
    reviews_per_day: int = 200
    day_starts_at: time = DEFAULT_DAY_START
    tz: tzinfo | None = None
    scale: Scale = Scale.FOUR
    drill: bool = True

    def __post_init__(self) -> None:
        if self.new_per_day < 0 or self.reviews_per_day < 0:
            raise ValueError("daily limits must be >= 0")

    @property
    def boundary(self) -> DayBoundary:
        """The day boundary these settings give."""
        return DayBoundary(self.day_starts_at, self.tz)

    @classmethod
    def from_settings(cls, settings: Mapping[str, str], **overrides: Any) -> StudyConfig:
        """Read stored settings (unknown keys are ignored), then apply ``overrides``."""
        values: dict[str, Any] = {}
        try:
            for key in ("new_per_day", "reviews_per_day"):
                if key in settings:
                    values[key] = int(settings[key])
            if "day_starts_at" in settings:
                values["day_starts_at"] = parse_day_start(settings["day_starts_at"])
            if "scale" in settings:
                values["scale"] = Scale(settings["scale"])
            if "drill" in settings:
                values["drill"] = settings["drill"].lower() in ("1", "true", "yes", "on")
        except ValueError as exc:
            raise SessionError(f"invalid study setting: {exc}") from None
        return cls(**{**values, **overrides})

    def to_settings(self) -> dict[str, str]:
        """These settings as stored text (``tz`` is not stored: it follows the system)."""
        return {
            "new_per_day": str(self.new_per_day),
            "reviews_per_day": str(self.reviews_per_day),
            "day_starts_at": self.day_starts_at.strftime("%H:%M"),
            "scale": self.scale.value,
            "drill": "true" if self.drill else "false",
        }
