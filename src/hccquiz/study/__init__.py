"""Study sessions and quizzes: the logic shared by the TUI and the CLI. No UI, no SQL.

A `Session` serves one study day: due reviews first (most overdue first), then new cards in
deck order, within daily limits, then the same-day drill of every card graded below 4 until
it scores 4 or more. Only the first grade of a card on a study day moves its SM-2 schedule
(kind ``study``); drill grades are logged as ``drill`` and change nothing. Grades can be
undone one by one; a card can be suspended. A `Quiz` draws N items by filters, never
touches the schedule, logs ``quiz`` results and scores choice items itself.

Time comes from an injected `hccquiz.clock.Clock`; the store is injected too (anything with
the `hccquiz.store.Store` methods), so this module imports neither SQLite nor a UI.
"""

from ._config import AnyItem, Filters, SessionError, StudyConfig, score_choice
from ._quiz import QUIZ_RIGHT, QUIZ_WRONG, LevelScore, Quiz, QuizAnswer, QuizQuestion, QuizReport
from ._session import (
    Counts,
    GradeResult,
    Preview,
    QueueName,
    Session,
    SessionSummary,
    StudyCard,
)

__all__ = [
    "QUIZ_RIGHT",
    "QUIZ_WRONG",
    "AnyItem",
    "Counts",
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
    "StudyCard",
    "StudyConfig",
    "score_choice",
]
