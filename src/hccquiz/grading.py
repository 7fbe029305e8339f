"""Grades, grading scales, review kinds and what counts as right: one home for each fact.

Stdlib only, so schedulers, the store, sessions and the UI all read the same definitions.

- **Qualities** are SM-2's grades 0-5 (`Quality`). The default four-button scale records
  Again/Hard/Good/Easy as 2/3/4/5 (the mapping srs-benchmark uses for Anki's buttons); the
  six-grade scale records 0-5 directly.
- **Right and wrong.** A quality of 3 (`PASS`) or more is a correct recall; 4 (`DRILL_PASS`)
  or more takes a card out of the same-day drill. A choice answer is right when the options
  picked are exactly the key (`choice_correct`); a quiz records it as Good when right and
  Again when wrong (`choice_quality`). In study the reader may grade a choice card otherwise
  (the scheduler trusts the self-grade, as Anki does), but whenever the picks are known,
  reports judge the answer by them (`answer_correct`), never by the self-grade.
- **Names.** A quality is shown to the reader in the scale in use (`Scale.grade_name`): on the four
  buttons, the key and label of the button that records it (quality 4 is ``3 Good``); on
  the six grades, the quality and its name (``4 Good``, `QUALITY_NAMES`).
- **FSRS ratings.** FSRS (and Anki) know four answers, `Rating` Again/Hard/Good/Easy. A
  quality maps to one (`rating_of`): the four buttons to their own rating, and the six SM-2
  grades 0-2 to Again, 3 to Hard, 4 to Good and 5 to Easy. The quality is what the log keeps.
- **Review kinds.** ``study`` is the first grade of a card on a study day, the only one that
  moves its SM-2 state; ``drill`` is a same-day repeat (SM-2's drill, or FSRS's learning and
  relearning steps, which move only the FSRS state); ``quiz`` is a quiz answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Literal

__all__ = [
    "DRILL_PASS",
    "FOUR_BUTTON",
    "PASS",
    "QUALITY_NAMES",
    "REVIEW_KINDS",
    "SIX_GRADE",
    "Grade",
    "Quality",
    "Rating",
    "ReviewKind",
    "Scale",
    "answer_correct",
    "check_quality",
    "choice_correct",
    "choice_quality",
    "rating_of",
]


class Quality(IntEnum):
    """An SM-2 grade, 0-5. The four buttons record `AGAIN`, `HARD`, `GOOD` and `EASY`."""

    BLACKOUT = 0
    """Complete blackout."""
    INCORRECT = 1
    """Wrong; the answer was remembered on seeing it."""
    AGAIN = 2
    """Wrong; the answer seemed easy to recall on seeing it (the Again button)."""
    HARD = 3
    """Correct, with serious difficulty (the Hard button)."""
    GOOD = 4
    """Correct, after a hesitation (the Good button)."""
    EASY = 5
    """Perfect response (the Easy button)."""


PASS = Quality.HARD
"""The lowest quality that counts as a correct recall."""
DRILL_PASS = Quality.GOOD
"""The lowest quality that takes a card out of the same-day drill queue."""

ReviewKind = Literal["study", "drill", "quiz"]
"""``study``: the first grade of the day, which moves the schedule; ``drill``: a same-day
repeat (under FSRS, a learning or relearning step, which moves the FSRS state and may set
the due date); ``quiz``: a quiz answer, which never changes a card."""
REVIEW_KINDS: tuple[ReviewKind, ...] = ("study", "drill", "quiz")
"""Every review kind, in the order reports list them."""


def check_quality(quality: object) -> int:
    """Return ``quality`` if it is an int in 0..5 (not a bool); raise `ValueError` otherwise."""
    if isinstance(quality, bool) or not isinstance(quality, int) or not 0 <= quality <= 5:
        raise ValueError(f"quality must be an int from 0 to 5, not {quality!r}")
    return quality


class Rating(IntEnum):
    """FSRS's four answers, numbered as FSRS and Anki number them (1-4)."""

    AGAIN = 1
    """Forgotten: a lapse."""
    HARD = 2
    """Recalled with serious difficulty."""
    GOOD = 3
    """Recalled after some hesitation."""
    EASY = 4
    """Recalled perfectly."""


_RATINGS = (Rating.AGAIN, Rating.AGAIN, Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.EASY)


def rating_of(quality: int) -> Rating:
    """The FSRS rating a quality records: 0-2 Again, 3 Hard, 4 Good, 5 Easy.

    The four buttons record qualities 2-5, so each button gives its own rating; the six
    SM-2 grades put the three failing grades on Again. `ValueError` for a bad quality.
    """
    return _RATINGS[check_quality(quality)]


QUALITY_NAMES: tuple[str, ...] = ("Blank", "Wrong", "Again", "Hard", "Good", "Easy")
"""Each quality's short name, by quality: 0 a blank (complete blackout), 1 wrong, and
the four buttons' labels for 2-5."""


def choice_quality(correct: bool) -> Quality:
    """The quality an automatically scored choice answer records: Good if right, else Again."""
    return Quality.GOOD if correct else Quality.AGAIN


def choice_correct(picked: Iterable[str], key: Iterable[str]) -> bool:
    """True if the options `picked` are exactly the `key` (the right options), as sets,
    ignoring outer spaces: every right option picked and no wrong one. Nothing picked is
    wrong (a choice item has at least one right option)."""
    return {p.strip() for p in picked} == {k.strip() for k in key}


def answer_correct(
    quality: int, picked: Iterable[str] | None = None, key: Iterable[str] | None = None
) -> bool:
    """Whether an answer counts as right in reports: by its picks when both the picks and
    the key are known (`choice_correct`), else by its grade (`PASS` or more)."""
    if picked is not None and key is not None:
        return choice_correct(picked, key)
    return check_quality(quality) >= PASS


@dataclass(frozen=True, slots=True)
class Grade:
    """One answer button: the quality it records, its label and suggested key."""

    quality: int
    label: str
    key: str
    description: str


FOUR_BUTTON: tuple[Grade, ...] = (
    Grade(Quality.AGAIN, "Again", "1", "Wrong, or not recalled"),
    Grade(Quality.HARD, "Hard", "2", "Recalled with serious difficulty"),
    Grade(Quality.GOOD, "Good", "3", "Recalled after some hesitation"),
    Grade(Quality.EASY, "Easy", "4", "Recalled perfectly"),
)
"""The default scale: Again/Hard/Good/Easy -> 2/3/4/5, as srs-benchmark maps Anki's buttons."""

SIX_GRADE: tuple[Grade, ...] = (
    Grade(Quality.BLACKOUT, "0", "0", "Complete blackout"),
    Grade(Quality.INCORRECT, "1", "1", "Wrong; the answer was remembered on seeing it"),
    Grade(Quality.AGAIN, "2", "2", "Wrong; the answer seemed easy to recall on seeing it"),
    Grade(Quality.HARD, "3", "3", "Correct, with serious difficulty"),
    Grade(Quality.GOOD, "4", "4", "Correct, after a hesitation"),
    Grade(Quality.EASY, "5", "5", "Perfect response"),
)
"""SM-2's own grades, 0-5, with Wozniak's descriptions."""


class Scale(StrEnum):
    """A grading scale: ``four`` buttons (the default) or the ``six`` SM-2 grades."""

    FOUR = "four"
    SIX = "six"

    @property
    def grades(self) -> tuple[Grade, ...]:
        """The buttons of this scale, lowest quality first."""
        return FOUR_BUTTON if self is Scale.FOUR else SIX_GRADE

    def grade(self, quality: int) -> Grade:
        """The button of this scale that records ``quality``; `ValueError` if none does."""
        for grade in self.grades:
            if grade.quality == quality:
                return grade
        raise ValueError(f"quality {quality!r} is not on the {self.value}-grade scale")

    def grade_name(self, quality: int) -> str:
        """A stored quality as this scale shows it: on the four buttons, the key and label
        of the button that records it (``3 Good`` for quality 4; 0 and 1, given on the six
        grades, are on Again: ``1 Again``); on the six grades, the quality and its name
        (``4 Good``). `ValueError` for a bad quality."""
        check_quality(quality)
        if self is Scale.SIX:
            return f"{quality} {QUALITY_NAMES[quality]}"
        grade = FOUR_BUTTON[rating_of(quality) - Rating.AGAIN]
        return f"{grade.key} {grade.label}"

    def threshold(self, quality: int) -> str:
        """How this scale names the grade `quality` in "graded X or better": the label of
        its button (``Hard`` on the four buttons, ``3`` on the six grades)."""
        return self.grade(quality).label
