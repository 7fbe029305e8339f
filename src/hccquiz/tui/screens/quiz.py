"""Quiz: N items with immediate feedback, then a score per level and the missed items."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ...deck.levels import Level
from ...deck.models import ChoiceItem
from ...errors import HccquizError
from ...grading import Quality
from ...study import Quiz, QuizAnswer, QuizQuestion, QuizReport, Workspace
from ...text.terminal import card_text, choice_answer, choice_hint
from ..messages import Failed, GoHome
from ..widgets.card import CardView, safe_markdown
from ..widgets.grades import GradeBar

__all__ = ["QuizResultScreen", "QuizScreen", "missed_markdown"]


class QuizScreen(Screen[None]):
    """One question at a time. Letters answer choice items; others are self-graded."""

    BINDINGS = [
        Binding("space,enter", "advance", "Answer / next", id="quiz.next",
                tooltip="Show the answer, submit a select-all answer, or go on"),
        Binding("escape", "finish", "Finish", id="quiz.finish", tooltip="End the quiz now"),
        *(Binding(k, f"key('{k}')", show=False) for k in "012345abcdefgh"),
    ]  # fmt: skip

    def __init__(self, workspace: Workspace, quiz: Quiz) -> None:
        super().__init__()
        self.workspace = workspace
        self.quiz = quiz
        self.question: QuizQuestion | None = None
        self.revealed = False
        self.answered = False

    def compose(self) -> ComposeResult:
        """Status line, card and the self-grade buttons."""
        yield Header()
        yield Static(id="status")
        yield CardView(id="card")
        yield GradeBar(self.quiz.config.scale.grades, id="grades")
        yield Footer()

    def on_mount(self) -> None:
        """Show the first question."""
        self.sub_title = "Quiz"
        self.show_next()

    def show_next(self) -> None:
        """The next question, or the result screen at the end."""
        question = self.quiz.next_question()
        if question is None:
            self.app.switch_screen(QuizResultScreen(self.workspace, self.quiz.report()))
            return
        self.question, self.revealed, self.answered = question, False, False
        text, answer = card_text(question.item, question.number)
        if question.choices is not None:
            assert isinstance(question.item, ChoiceItem)
            text += choice_hint(question.item)
        source = self.workspace.source_line(question.deck_id, question.item.source)
        choices = list(question.choices) if question.choices is not None else None
        self.query_one(CardView).show(text, answer, source, choices)
        self.query_one(GradeBar).display = False
        report = self.quiz.report()
        self.query_one("#status", Static).update(
            Text(
                f"Question {question.index + 1} of {report.total} · score "
                f"{report.correct}/{report.answered}"
            )
        )

    def reveal(self) -> None:
        """Show the answer; choice items are scored here, others wait for a self-grade."""
        question = self.question
        if question is None or self.revealed:
            return
        self.revealed = True
        view = self.query_one(CardView)
        answer = None
        if question.choices is not None:
            assert isinstance(question.item, ChoiceItem)
            result = self._guard(lambda: self.quiz.answer(view.picked))
            if result is None:
                return
            self.answered = True
            correct = {question.choices.index(a) for a in question.item.answers}
            view.mark_choices(correct)
            answer = choice_answer(question.item, view.picked)
            self.notify("Right" if result.correct else "Wrong", timeout=2,
                        severity="information" if result.correct else "warning")  # fmt: skip
        else:
            grades = self.query_one(GradeBar)
            grades.display = True
            grades.set_labels({g.quality: g.label for g in self.quiz.config.scale.grades})
        view.reveal(answer)

    def _guard(self, action: Callable[[], QuizAnswer]) -> QuizAnswer | None:
        try:
            return action()
        except HccquizError as exc:
            self.post_message(Failed(exc))
            return None

    def action_advance(self) -> None:
        """Show the answer; then go on (a shown basic or cloze answer counts as Good)."""
        if not self.revealed:
            self.reveal()
        elif self.answered:
            self.show_next()
        else:
            self.self_grade(Quality.GOOD)

    def action_key(self, key: str) -> None:
        """Digits self-grade a shown basic or cloze answer; letters pick options."""
        question = self.question
        if question is None:
            return
        if key.isdigit():
            grade = next((g for g in self.quiz.config.scale.grades if g.key == key), None)
            if grade and self.revealed and not self.answered and question.choices is None:
                self.self_grade(grade.quality)
            return
        item = question.item
        if (
            isinstance(item, ChoiceItem)
            and not self.revealed
            and self.query_one(CardView).pick(key, item.multiple)
        ):
            self.reveal()

    @on(GradeBar.Chosen)
    def _clicked(self, event: GradeBar.Chosen) -> None:
        if self.revealed and not self.answered:
            self.self_grade(event.quality)

    def self_grade(self, quality: int) -> None:
        """Record a self-grade (3 or more counts as right) and go on."""
        if self._guard(lambda: self.quiz.grade(quality)) is not None:
            self.show_next()

    def action_finish(self) -> None:
        """End the quiz early and show the score so far."""
        self.app.switch_screen(QuizResultScreen(self.workspace, self.quiz.report()))


def missed_markdown(report: QuizReport) -> str:
    """The missed questions with their right answers, as Markdown."""
    parts = []
    for answer in report.missed:
        question, right = card_text(answer.question.item, answer.question.number)
        given = f"\n\n*Your answer:* {'; '.join(answer.given)}" if answer.given else ""
        parts.append(f"{question}\n\n{right}{given}")
    return "\n\n---\n\n".join(parts) if parts else "*No missed items.*"


class QuizResultScreen(Screen[None]):
    """The score overall and per level, then the missed items with their answers."""

    BINDINGS = [
        Binding("enter,escape", "home", "Home", id="quizresult.home", tooltip="Back to the decks"),
    ]

    def __init__(self, workspace: Workspace, report: QuizReport) -> None:
        super().__init__()
        self.workspace = workspace
        self.report = report

    def compose(self) -> ComposeResult:
        """Score, table per level, missed items."""
        yield Header()
        with VerticalScroll(id="quiz-result"):
            score = f"{self.report.score:.0%}" if self.report.score is not None else "—"
            yield Static(Text(f"Score {self.report.correct}/{self.report.answered} ({score})"),
                         classes="heading")  # fmt: skip
            yield DataTable(id="by-level", cursor_type="none", show_cursor=False)
            with Vertical(id="missed"):
                yield Static("Missed", classes="heading")
                yield safe_markdown(missed_markdown(self.report))
        yield Footer()

    def on_mount(self) -> None:
        """Fill the per-level table."""
        self.sub_title = "Quiz result"
        table = self.query_one("#by-level", DataTable)
        table.add_columns("Level", "Right", "Of", "Score")
        for level, score in self.report.by_level.items():
            share = f"{score.share:.0%}" if score.share is not None else "—"
            table.add_row(Level(level).display_name, str(score.correct), str(score.total), share)

    def action_home(self) -> None:
        """Back to the deck list."""
        self.post_message(GoHome())
