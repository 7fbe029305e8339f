"""Training levels: the seven perspectives of a trial summary's discussion, in order.

Kept free of pydantic so that the command line can list them without loading the models.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TypeVar

__all__ = ["LEVEL_VALUES", "Level", "in_level_order", "level_rank"]


class Level(StrEnum):
    """A training level, in the order of the source's seven perspectives."""

    MED_STUDENT = "med-student"
    RESIDENT = "resident"
    FELLOW = "fellow"
    ATTENDING = "attending"
    PHD = "phd"
    JOURNAL_EDITOR = "journal-editor"
    GUIDELINE_COMMITTEE = "guideline-committee"

    @property
    def display_name(self) -> str:
        """The name shown to people, e.g. ``Medical Student``."""
        return _DISPLAY_NAMES[self]


_DISPLAY_NAMES = {
    Level.MED_STUDENT: "Medical Student",
    Level.RESIDENT: "Resident",
    Level.FELLOW: "Fellow",
    Level.ATTENDING: "Attending",
    Level.PHD: "PhD",
    Level.JOURNAL_EDITOR: "Journal Editor",
    Level.GUIDELINE_COMMITTEE: "Guideline Committee",
}


LEVEL_VALUES = tuple(level.value for level in Level)
"""The level slugs in order: ``med-student`` ... ``guideline-committee``."""


_RANK = {level.value: rank for rank, level in enumerate(Level)}


def level_rank(level: str) -> int:
    """A level's place in the fixed order (0 for ``med-student``); unknown ones sort last."""
    return _RANK.get(str(level), len(_RANK))


_L = TypeVar("_L", bound=str)


def in_level_order(levels: Iterable[_L]) -> list[_L]:
    """`levels` (slugs or `Level`s) without repeats, in the fixed order of `Level`."""
    return sorted(set(levels), key=level_rank)
