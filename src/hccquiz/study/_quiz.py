"""`Quiz`: N items by filters, scored, logged as ``quiz``, the schedule left alone."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from ..clock import Clock
from ..deck.levels import level_rank
from ..deck.models import AnyItem, ChoiceItem
from ..grading import PASS, choice_quality
from ._filters import Filters, item_of, score_choice
from ._settings import SessionError, StudyConfig

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "LevelScore",
    "Quiz",
    "QuizAnswer",
    "QuizQuestion",
    "QuizReport",
]


@dataclass(frozen=True, slots=True)
class QuizQuestion:
    """One quiz question; ``choices`` is the display order for choice items."""

    index: int
    card_id: int
    deck_id: str
    item: AnyItem
    number: int
    levels: tuple[str, ...]
    choices: tuple[str, ...] | None

    @property
    def auto_scored(self) -> bool:
        """True for choice items, which `Quiz.answer` scores itself."""
        return isinstance(self.item, ChoiceItem)


@dataclass(frozen=True, slots=True)
class QuizAnswer:
    """One answered question; ``given`` holds the selected choices of a choice item."""

    question: QuizQuestion
    correct: bool
    quality: int
    given: tuple[str, ...] | None
    answer_ms: int
    review_id: int


@dataclass(frozen=True, slots=True)
class LevelScore:
    """Right answers out of questions for one level."""

    correct: int
    total: int

    @property
    def share(self) -> float | None:
        """correct / total, or None with no questions."""
        return self.correct / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class QuizReport:
    """The result of a quiz: score, per-level scores and the missed questions."""

    correct: int
    answered: int
    total: int
    by_level: dict[str, LevelScore]
    missed: tuple[QuizAnswer, ...] = field(default=())

    @property
    def score(self) -> float | None:
        """correct / answered, or None before any answer."""
        return self.correct / self.answered if self.answered else None


class Quiz:
    """N items drawn by filters (one card each), or the cards `card_ids` given. Never
    changes the schedule.

    Choice items are scored by `answer`; basic and cloze items are self-graded with `grade`
    (a quality on the scale; 3 or more counts as right). Results are logged as ``quiz``.
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        rng: random.Random,
        count: int = 20,
        filters: Filters | None = None,
        include_new: bool = True,
        config: StudyConfig | None = None,
        card_ids: Sequence[int] | None = None,
    ) -> None:
        if count < 1:
            raise ValueError("a quiz needs at least one question")
        self.store, self.clock = store, clock
        self.config = config or StudyConfig()
        if card_ids is not None:  # these cards, in this order (the browser's "quiz me")
            chosen = list(dict.fromkeys(card_ids))[:count]
        else:
            by_item: dict[int, list[int]] = {}
            pool = store.quiz_pool(filters or Filters(), include_new=include_new)
            for item_pk, card_id in pool:
                by_item.setdefault(item_pk, []).append(card_id)
            picked = rng.sample(sorted(by_item), min(count, len(by_item)))
            chosen = [rng.choice(by_item[p]) for p in picked]
        self._questions: list[QuizQuestion] = []
        for index, card in enumerate(store.cards(chosen)):
            item = item_of(card)
            choices = None
            if isinstance(item, ChoiceItem):
                choices = list(item.choices)
                if item.shuffle:
                    rng.shuffle(choices)
            self._questions.append(
                QuizQuestion(
                    index,
                    card.id,
                    card.deck_id,
                    item,
                    card.number,
                    card.levels,
                    tuple(choices) if choices is not None else None,
                )
            )
        self._answers: list[QuizAnswer] = []
        self._shown_at: datetime | None = None

    @property
    def questions(self) -> tuple[QuizQuestion, ...]:
        """Every question, in order."""
        return tuple(self._questions)

    def next_question(self) -> QuizQuestion | None:
        """The question to show now (the same one until answered); None when done."""
        if len(self._answers) >= len(self._questions):
            return None
        if self._shown_at is None:
            self._shown_at = self.clock.now()
        return self._questions[len(self._answers)]

    def answer(self, selected: str | Sequence[str], *, answer_ms: int | None = None) -> QuizAnswer:
        """Score the current choice question with the selected choice(s)."""
        question = self._require()
        if not isinstance(question.item, ChoiceItem):
            raise SessionError("only choice items are scored automatically: use grade()")
        correct = score_choice(question.item, selected)
        given = (selected,) if isinstance(selected, str) else tuple(selected)
        return self._record(question, choice_quality(correct), given, answer_ms)

    def grade(self, quality: int, *, answer_ms: int | None = None) -> QuizAnswer:
        """Self-grade the current basic or cloze question on the configured scale."""
        question = self._require()
        if question.auto_scored:
            raise SessionError("choice items are scored automatically: use answer()")
        self.config.scale.grade(quality)
        return self._record(question, quality, None, answer_ms)

    def _require(self) -> QuizQuestion:
        question = self.next_question()
        if question is None:
            raise SessionError("the quiz is over")
        return question

    def _record(
        self,
        question: QuizQuestion,
        quality: int,
        given: tuple[str, ...] | None,
        answer_ms: int | None,
    ) -> QuizAnswer:
        from ..store import StaleCard

        now = self.clock.now()
        if answer_ms is None:
            answer_ms = max(0, round((now - (self._shown_at or now)).total_seconds() * 1000))
        day = self.config.boundary.day(now)
        for attempt in range(3):
            schedule = self.store.card(question.card_id).schedule
            try:
                record = self.store.record_review(
                    question.card_id,
                    kind="quiz",
                    quality=quality,
                    reviewed_at=now,
                    day=day,
                    before=schedule,
                    after=schedule,
                    answer_ms=answer_ms,
                    scheduler=self.store.scheduler_in_force(),
                    picked=given,
                )
                break
            except StaleCard:  # graded elsewhere between the two calls: read it again
                if attempt == 2:
                    raise
        answer = QuizAnswer(question, quality >= PASS, quality, given, answer_ms, record.id)
        self._answers.append(answer)
        self._shown_at = None
        return answer

    def report(self) -> QuizReport:
        """Score so far: overall, per level (in level order) and the missed answers."""
        tally: dict[str, list[int]] = {}
        for a in self._answers:
            for level in a.question.levels:
                counts = tally.setdefault(level, [0, 0])
                counts[0] += a.correct
                counts[1] += 1
        by_level = {
            level: LevelScore(c, t)
            for level, (c, t) in sorted(tally.items(), key=lambda kv: level_rank(kv[0]))
        }
        return QuizReport(
            correct=sum(a.correct for a in self._answers),
            answered=len(self._answers),
            total=len(self._questions),
            by_level=by_level,
            missed=tuple(a for a in self._answers if not a.correct),
        )
