"""Studying: sync (files -> decks -> store), sessions, quizzes, filters, settings, stats.

A `Session` serves one study day: due reviews first (most overdue first), then new cards in
deck order, within daily limits, then the same-day drill of every card graded below 4 until
it scores 4 or more. Only the first grade of a card on a study day moves its SM-2 schedule
(kind ``study``); drill grades are logged as ``drill`` and change nothing. Grades can be
undone one by one; a card can be suspended. A `Quiz` draws N items by filters, never
touches the schedule, logs ``quiz`` results and scores choice items itself. A `Workspace`
is what a user interface is handed: the store with its clock, randomness and settings.

Time and randomness are injected; every SQL statement runs in `hccquiz.store`, which this
package drives but never bypasses. No UI is imported here. Names load lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_getattr

__all__ = [
    "FIRST_PAGE",
    "PAGE",
    "SETTINGS",
    "Browser",
    "CardDetail",
    "Counts",
    "DeckOverview",
    "EditOutcome",
    "EditRefused",
    "Filters",
    "GradeResult",
    "LevelScore",
    "Preview",
    "QueueName",
    "Quiz",
    "QuizAnswer",
    "QuizQuestion",
    "QuizReport",
    "Session",
    "SessionError",
    "SessionSummary",
    "Setting",
    "SettingError",
    "Settings",
    "SourceSpot",
    "StudyCard",
    "StudyConfig",
    "Workspace",
    "score_choice",
    "setting",
    "sync_files",
]

_LAZY = {
    **dict.fromkeys(["FIRST_PAGE", "PAGE", "Browser", "CardDetail"], ".browse"),
    **dict.fromkeys(["EditOutcome", "EditRefused", "SourceSpot"], ".edit"),
    **dict.fromkeys(["Filters", "score_choice"], "._filters"),
    **dict.fromkeys(
        ["SETTINGS", "SessionError", "Setting", "SettingError", "StudyConfig", "setting"],
        "._settings",
    ),
    "Settings": ".preferences",
    **dict.fromkeys(["LevelScore", "Quiz", "QuizAnswer", "QuizQuestion", "QuizReport"], "._quiz"),
    **dict.fromkeys(
        [
            "Counts",
            "GradeResult",
            "Preview",
            "QueueName",
            "Session",
            "SessionSummary",
            "StudyCard",
        ],
        "._session",
    ),
    **dict.fromkeys(["DeckOverview", "Workspace"], ".workspace"),
    "sync_files": ".sync",
}

if TYPE_CHECKING:
    from ._filters import Filters, score_choice
    from ._quiz import LevelScore, Quiz, QuizAnswer, QuizQuestion, QuizReport
    from ._session import (
        Counts,
        GradeResult,
        Preview,
        QueueName,
        Session,
        SessionSummary,
        StudyCard,
    )
    from ._settings import SETTINGS, SessionError, Setting, SettingError, StudyConfig, setting
    from .browse import FIRST_PAGE, PAGE, Browser, CardDetail
    from .edit import EditOutcome, EditRefused, SourceSpot
    from .preferences import Settings
    from .sync import sync_files
    from .workspace import DeckOverview, Workspace

__getattr__ = lazy_getattr(__name__, _LAZY)
