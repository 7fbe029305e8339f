"""The scheduler in force, by the name progress exports record for it.

One constant, so the issue that brings FSRS beside SM-2 changes it in one place (and,
when both can run, turns it into the setting that picks one).
"""

from __future__ import annotations

from typing import Final

__all__ = ["SCHEDULER_IN_FORCE"]

SCHEDULER_IN_FORCE: Final = "sm2"
"""Every study grade today moves a card by `hccquiz.sm2`."""
