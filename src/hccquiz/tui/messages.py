"""Typed messages the screens post to the app, which handles them with ``@on``.

Screens never call the app's methods directly: they say what they want (go home, study
these filters, a quiz, the statistics, or stop on an error) and the app decides how.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..store import BrowseQuery
from ..study import Filters

__all__ = [
    "Failed",
    "GoHome",
    "LevelChosen",
    "OpenBrowser",
    "OpenSettings",
    "OpenStats",
    "StartQuiz",
    "StartQuizCards",
    "StartStudy",
]


class GoHome(Message):
    """Back to the deck list."""


@dataclass
class StartStudy(Message):
    """Open a study session over `filters`."""

    filters: Filters


@dataclass
class StartQuiz(Message):
    """Open a quiz over `filters` (the app's quiz length when `count` is None)."""

    filters: Filters
    count: int | None = None


@dataclass
class StartQuizCards(Message):
    """Open a quiz of these cards, in this order (from the browser)."""

    card_ids: list[int]


@dataclass
class OpenBrowser(Message):
    """Open the card browser on `query`."""

    query: BrowseQuery


class OpenStats(Message):
    """Open the statistics screen."""


@dataclass
class LevelChosen(Message):
    """The level filter changed (None: all levels); the app keeps it and remembers it."""

    level: str | None


@dataclass
class OpenSettings(Message):
    """Open the settings, with `deck_id`'s own limits if one is given."""

    deck_id: str | None = None


@dataclass
class Failed(Message):
    """An hccquiz error the app cannot go on from: it exits with this one line, exit 1."""

    error: Exception
