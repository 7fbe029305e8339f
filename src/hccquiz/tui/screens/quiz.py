"""Quiz: N items with immediate feedback, then a score per level and the missed items."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Markdown, Static

from ...deck.levels import Level
from ...deck.models import ChoiceItem
from ...errors import HccquizError
from ...grading import Quality, Scale
from ...study import Quiz, QuizAnswer, QuizQuestion, QuizReport, Workspace
from ...text.terminal import card_text, choice_answer, choice_hint, escape_markdown
from ..messages import Failed, GoHome
from ..widgets.card import CardView, safe_markdown
from ..widgets.grades import GradeBar
from ._scrolling import ScrollingScreen
from ._writing import WritingScreen

__all__ = ["QuizResultScreen", "QuizScreen", "missed_markdown"]


class QuizScreen(WritingScreen):
    """One question at a time. Letters answer choice items; others are self-graded."""

    BINDINGS = [
        Binding("space,enter", "advance", "Answer / next", id="quiz.advance", show=False,
                tooltip="Show the answer, submit a select-all answer, or go on"),
        Binding("escape", "finish", "Finish", id="quiz.finish", tooltip="End the quiz now"),
        *(Binding(k, f"key('{k}')", show=False) for k in "012345abcdefgh"),
    ]  # fmt: skip

    def __init__(self, workspace: Workspace, quiz: Quiz, *, back: bool = False) -> None:
        super().__init__()
        self.workspace = workspace
        self.quiz = quiz
        self.back = back
        """True when the result goes back to the screen the quiz came from (the browser)."""
        self.question: QuizQuestion | None = None
        self.revealed = False
        self.answered = False
        self.question_text = ""

    def compose(self) -> ComposeResult:
        """Status line, a notice line, card and the self-grade buttons."""
        yield Header()
        yield Static(id="status")
        yield Static(id="notice")
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
            self.app.switch_screen(
                QuizResultScreen(self.workspace, self.quiz.report(), back=self.back)
            )
            return
        self.question, self.revealed, self.answered = question, False, False
        text, answer = card_text(question.item, question.number)
        self.question_text = text
        if question.choices is not None:
            assert isinstance(question.item, ChoiceItem)
            text += choice_hint(question.item)
        source = self.workspace.source_line(question.deck_id, question.item.source)
        choices = list(question.choices) if question.choices is not None else None
        self.query_one(CardView).show(text, answer, source, choices)
        self.query_one(GradeBar).prompt("space Show answer")
        self.show_score()

    def reveal(self) -> None:
        """Show the answer; choice items are scored here, others wait for a self-grade."""
        question = self.question
        if question is None or self.revealed:
            return
        view = self.query_one(CardView)
        if question.choices is not None:
            picked = view.picked
            self.revealed = True
            self.start_write(lambda: self.quiz.answer(picked), self._scored, self._failed)
            return
        self.revealed = True
        labels = {g.quality: g.label for g in self.quiz.config.scale.grades}
        self.query_one(GradeBar).set_labels(labels, Quality.GOOD)
        view.reveal()
        self.show_score(hint=f"space {self.quiz.config.scale.grade(Quality.GOOD).label}")

    def _scored(self, result: QuizAnswer) -> None:
        question = self.question
        assert question is not None and question.choices is not None
        assert isinstance(question.item, ChoiceItem)
        self.answered = True
        view = self.query_one(CardView)
        view.mark_choices({question.choices.index(a) for a in question.item.answers})
        view.set_question(self.question_text)
        view.reveal(choice_answer(question.item, result.given or ()))
        self.show_score(result)
        self.query_one(GradeBar).prompt("space Next question")

    def show_score(self, result: QuizAnswer | None = None, hint: str = "") -> None:
        """``Question 3 of 10 · score 2/2 · right``, and what space does if `hint`."""
        question = self.question
        report = self.quiz.report()
        verdict = "" if result is None else (" · right" if result.correct else " · wrong")
        index = question.index + 1 if question is not None else report.total
        self.query_one("#status", Static).update(
            Text(f"Question {index} of {report.total} · score {report.correct}/"
                 f"{report.answered}{verdict}{'   ' + hint if hint else ''}")
        )  # fmt: skip

    def _failed(self, error: HccquizError) -> None:
        self.post_message(Failed(error))

    def action_advance(self) -> None:
        """Show the answer; then go on (a shown basic or cloze answer counts as Good)."""
        if self.later(self.action_advance):
            return
        if not self.revealed:
            self.reveal()
        elif self.answered:
            self.show_next()
        else:
            self.self_grade(Quality.GOOD)

    def action_key(self, key: str) -> None:
        """Digits self-grade a shown basic or cloze answer; letters pick options."""
        question = self.question
        if self.later(lambda: self.action_key(key)) or question is None:
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

    @on(GradeBar.Advance)
    def _prompt_clicked(self) -> None:
        self.action_advance()

    @on(GradeBar.Chosen)
    def _clicked(self, event: GradeBar.Chosen) -> None:
        if self.revealed and not self.answered and not self.saving:
            self.self_grade(event.quality)

    def self_grade(self, quality: int) -> None:
        """Record a self-grade (3 or more counts as right) and go on."""
        self.answered = True
        self.start_write(lambda: self.quiz.grade(quality), lambda _: self.show_next(),
                         self._failed)  # fmt: skip

    def action_finish(self) -> None:
        """End the quiz early and show the score so far."""
        if self.later(self.action_finish):
            return
        self.app.switch_screen(QuizResultScreen(self.workspace, self.quiz.report(), back=self.back))


def missed_markdown(report: QuizReport, scale: Scale = Scale.FOUR) -> str:
    """The missed questions with their right answers, as Markdown. A choice question lists
    every option: ✓ right and picked, ✗ picked but wrong, and the right ones missed; a
    self-graded one says the grade as `scale`, the scale in use, names it."""
    parts = []
    for n, answer in enumerate(report.missed, 1):
        item, given = answer.question.item, set(answer.given or ())
        question, right = card_text(item, answer.question.number, tuple(answer.given or ()))
        if isinstance(item, ChoiceItem):
            lines = []
            for option in answer.question.choices or item.choices:
                correct = option in item.answers
                if correct and option in given:
                    mark = "✓ *right, picked*"
                elif correct:
                    mark = "✓ **missed**: *right, not picked*"
                elif option in given:
                    mark = "✗ *picked, wrong*"
                else:
                    mark = "· *not picked*"
                lines.append(f"- {mark}: {option}")
            body = "\n".join(lines) + "\n\n" + right
        else:
            label = scale.grade_name(answer.quality)  # as the scale in use names it
            body = f"{right}\n\n*You graded it {escape_markdown(label)}.*"
        parts.append(f"**{n}.** {question}\n\n{body}")
    return "\n\n---\n\n".join(parts) if parts else "*No missed items.*"


class QuizResultScreen(ScrollingScreen):
    """The score overall and per level, then the missed items with their answers."""

    BINDINGS = [
        Binding("enter,escape", "home", "Home", id="quizresult.home", tooltip="Back to the decks"),
        Binding("enter,escape", "back", "Back", id="quizresult.back",
                tooltip="Back to the browser the quiz was started from"),
        Binding("e", "edit", "Edit", id="quizresult.edit",
                tooltip="Open a missed item in $EDITOR at its line; synced when you save"),
    ]  # fmt: skip

    def __init__(self, workspace: Workspace, report: QuizReport, *, back: bool = False) -> None:
        super().__init__()
        self.workspace = workspace
        self.report = report
        self.back = back

    def compose(self) -> ComposeResult:
        """Score, table per level, missed items."""
        yield Header()
        with VerticalScroll(id="body", classes="page"):
            score = f"{self.report.score:.0%}" if self.report.score is not None else "—"
            yield Static(Text(f"Score {self.report.correct}/{self.report.answered} ({score})"),
                         classes="heading")  # fmt: skip
            table: DataTable[str] = DataTable(id="by-level", cursor_type="none",
                                              show_cursor=False)  # fmt: skip
            table.can_focus = False
            yield table
            yield Static(f"Missed ({len(self.report.missed)})", classes="heading")
            missed = missed_markdown(self.report, self.workspace.config.scale)
            yield safe_markdown(missed, id="missed")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the per-level table."""
        self.sub_title = "Quiz result"
        table = self.query_one("#by-level", DataTable)
        table.add_columns("Level", "Right", "Of", "Score")
        for level, score in self.report.by_level.items():
            share = f"{score.share:.0%}" if score.share is not None else "—"
            table.add_row(Level(level).display_name, str(score.correct), str(score.total), share)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter goes back to the browser when the quiz came from it, else home; `e` shows
        only when an item was missed."""
        if action == "home":
            return not self.back
        if action == "back":
            return self.back
        if action == "edit":
            return bool(self.report.missed)
        return super().check_action(action, parameters)

    def action_home(self) -> None:
        """Back to the deck list."""
        self.post_message(GoHome())

    def action_back(self) -> None:
        """Back to the screen the quiz was started from."""
        self.dismiss()

    def action_edit(self) -> None:
        """Edit a missed item (asked which, when several were missed)."""
        from .dialogs import ChooseScreen

        missed = self.report.missed
        if not missed:
            self.notify("No missed items to edit.", timeout=3)
            return
        if len(missed) == 1:
            self.edit_missed(0)
            return
        lines = [f"{n}. {a.question.item.id} ({a.question.deck_id})" for n, a in
                 enumerate(missed, 1)]  # fmt: skip
        self.app.push_screen(
            ChooseScreen("Edit which missed item?", lines),
            lambda n: self.edit_missed(n) if n is not None and n >= 0 else None,
        )

    def edit_missed(self, index: int) -> None:
        """Open missed item `index` in the editor; once synced, show its new content."""
        from ...study._filters import item_of
        from ..editing import edit_item

        answer = self.report.missed[index]
        question = answer.question

        def refreshed(_outcome: object) -> None:
            item = item_of(self.workspace.store.card(question.card_id))
            missed = list(self.report.missed)
            missed[index] = replace(answer, question=replace(question, item=item))
            self.report = replace(self.report, missed=tuple(missed))
            text = missed_markdown(self.report, self.workspace.config.scale)
            self.query_one("#missed", Markdown).update(text)
            self.notify(f"Synced: {item.id} shows its new content.", timeout=4)

        edit_item(self, self.workspace, question.deck_id, question.item.id, refreshed)
