"""Training levels: the seven perspectives of a trial summary's discussion, in order.

Kept free of pydantic so that the command line can list them without loading the models.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["LEVEL_VALUES", "Level"]


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
