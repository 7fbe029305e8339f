"""Study: one card at a time, graded with keys or buttons, saved before the next shows."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static

from ...deck.models import ChoiceItem
from ...errors import HccquizError
from ...grading import Quality, choice_quality
from ...study import Session, StudyCard, Workspace, score_choice
from ...text.terminal import (
    card_text,
    choice_answer,
    choice_hint,
    format_interval,
    format_step,
)
from ..messages import Failed
from ..widgets.card import CardView
from ..widgets.grades import GradeBar
from .summary import SummaryScreen

__all__ = ["StudyScreen"]


class StudyScreen(Screen[None]):
    """A study session. Space shows the answer; keys 1-4 (0-5 in six-grade mode) grade."""

    BINDINGS = [
        Binding("space", "show", "Show answer", id="study.show",
                tooltip="Show the answer (after it: grade Good, or the chosen grade)"),
        Binding("enter", "advance", "Next", id="study.next", show=False,
                tooltip="Show the answer, or record the grade and move on"),
        Binding("u", "undo", "Undo", id="study.undo", tooltip="Undo the last grade or suspension"),
        Binding("s", "suspend", "Suspend", id="study.suspend",
                tooltip="Suspend this card: it leaves the queues until unsuspended"),
        Binding("escape", "leave", "End", id="study.end",
                tooltip="End the session: its summary, then home"),
        *(Binding(k, f"key('{k}')", show=False) for k in "012345abcdefgh"),
    ]  # fmt: skip

    def __init__(self, workspace: Workspace, session: Session) -> None:
        super().__init__()
        self.workspace = workspace
        self.session = session
        self.card: StudyCard | None = None
        self.revealed = False
        self.pending: int | None = None
        self.choices: list[str] = []

    def compose(self) -> ComposeResult:
        """Status line, progress, card and grade buttons."""
        yield Header()
        yield Static(id="status")
        yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
        yield Static("⚑ Changed since you last saw it", id="changed")
        yield CardView(id="card")
        yield GradeBar(self.session.grades, id="grades")
        yield Footer()

    def on_mount(self) -> None:
        """Show the first card and tick the clock once a second."""
        self.sub_title = "Study"
        self.set_interval(1, self.update_status)
        self.next_card()

    # ---- showing -------------------------------------------------------------------------

    def next_card(self, card: StudyCard | None = None) -> None:
        """Show `card`, or the session's next; the summary when there is none."""
        try:
            card = card or self.session.next_card()
        except HccquizError as exc:
            self.post_message(Failed(exc))
            return
        if card is None:
            self.app.switch_screen(SummaryScreen(self.workspace, self.session.summary()))
            return
        self.card, self.revealed, self.pending = card, False, None
        question, answer = card_text(card.item, card.number)
        self.choices = []
        if isinstance(card.item, ChoiceItem):
            self.choices = list(card.item.choices)
            if card.item.shuffle:
                self.workspace.rng.shuffle(self.choices)
            question += choice_hint(card.item)
        source = self.workspace.source_line(card.deck_id, card.item.source)
        self.query_one(CardView).show(question, answer, source, self.choices)
        self.query_one("#changed").display = card.changed
        self.query_one(GradeBar).display = False
        self.update_status()

    def update_status(self) -> None:
        """Counts left, elapsed time and the progress bar."""
        counts = self.session.counts
        elapsed = int((self.session.clock.now() - self.session.started_at).total_seconds())
        queue: str = self.card.queue if self.card else ""
        if queue == "drill" and self.session.scheduler.name == "fsrs":
            queue = "step"  # FSRS's learning steps, not SM-2's drill
        if self.card is not None and self.card.retrievability is not None:
            queue += f" · R {self.card.retrievability:.0%}"  # FSRS's predicted recall
        self.query_one("#status", Static).update(
            Text(
                f"New {counts.new} · Learning {counts.learning} · Review {counts.review}"
                f"   {queue}   ⏱ {elapsed // 60}:{elapsed % 60:02d}"
            )
        )
        done = self.session.done_count
        bar = self.query_one(ProgressBar)
        bar.update(total=max(1, done + counts.total), progress=done)

    def reveal(self) -> None:
        """Show the answer, the grade buttons and their interval previews."""
        card = self.card
        if card is None or self.revealed:
            return
        self.revealed = True
        view = self.query_one(CardView)
        answer = None
        if isinstance(card.item, ChoiceItem):
            correct = {self.choices.index(a) for a in card.item.answers}
            right = score_choice(card.item, view.picked)
            self.pending = choice_quality(right and bool(view.selected))
            view.mark_choices(correct)
            answer = choice_answer(card.item, view.picked)
        view.reveal(answer)
        self.query_one(GradeBar).display = True
        self.label_grades()

    def label_grades(self) -> None:
        """``Good · 6d`` on every button; the pending grade of a choice card marked."""
        card = self.card
        assert card is not None
        labels = {}
        for p in card.previews:
            if p.step is not None:  # an FSRS learning or relearning step
                when = format_step(p.step)
            elif p.again_today:  # back in this session's drill, whatever the schedule says
                when = "today"
            elif p.interval is not None:
                when = format_interval(p.interval)
            else:  # a drill pass: the card keeps the due day its first grade gave it
                when = format_interval((p.due - self.session.day).days if p.due else None)
            labels[p.grade.quality] = f"{p.grade.label} · {when}"
        self.query_one(GradeBar).set_labels(labels, self.pending)

    # ---- actions -------------------------------------------------------------------------

    def action_show(self) -> None:
        """Space: show the answer; once shown, record the chosen grade (Good by default)."""
        self.action_advance()

    def action_advance(self) -> None:
        """Enter: submit a select-all answer, show the answer, or record the grade."""
        if self.card is None:
            return
        if not self.revealed:
            self.reveal()
        else:
            self.record(self.pending if self.pending is not None else Quality.GOOD)

    def action_key(self, key: str) -> None:
        """A digit grades (or picks the grade of a choice card); a letter picks an option."""
        if self.card is None:
            return
        if key.isdigit():
            grade = next((g for g in self.session.grades if g.key == key), None)
            if grade is None:
                return
            if not self.revealed:
                self.notify("Show the answer first (space).", timeout=2)
            elif isinstance(self.card.item, ChoiceItem):
                self.pending = grade.quality
                self.label_grades()
            else:
                self.record(grade.quality)
            return
        item = self.card.item
        if (
            isinstance(item, ChoiceItem)
            and not self.revealed
            and self.query_one(CardView).pick(key, item.multiple)
        ):
            self.reveal()

    @on(GradeBar.Chosen)
    def _clicked(self, event: GradeBar.Chosen) -> None:
        if self.revealed:
            self.record(event.quality)

    def record(self, quality: int) -> None:
        """Grade the card (committed to disk before this returns) and show the next."""
        try:
            self.session.grade(quality)
        except HccquizError as exc:
            self.notify(str(exc), severity="warning")
            self.card = None
        self.next_card()

    def action_undo(self) -> None:
        """Undo the last grade or suspension; that card comes back."""
        if not self.session.can_undo:
            self.notify("Nothing to undo.", timeout=2)
            return
        try:
            card = self.session.undo()
        except HccquizError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.notify("Undone.", timeout=2)
        self.next_card(card)

    def action_suspend(self) -> None:
        """Suspend the current card and move on."""
        if self.card is None:
            return
        self.session.suspend()
        self.notify("Card suspended (u to undo).", timeout=2)
        self.next_card()

    def action_leave(self) -> None:
        """End the session early: show what was done."""
        self.app.switch_screen(SummaryScreen(self.workspace, self.session.summary()))
