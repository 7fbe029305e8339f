"""Study: one card at a time, graded with keys or buttons, saved before the next shows.

Grades, suspensions and undos are written in a worker thread: while another process holds
the database's write lock the screen stays responsive and says the grade is waiting.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, ProgressBar, Static

from ...deck.levels import Level
from ...deck.models import ChoiceItem
from ...errors import HccquizError
from ...grading import PASS, Quality, choice_quality
from ...store import BrowseQuery
from ...study import EditOutcome, Filters, Session, StudyCard, Workspace, score_choice
from ...text.terminal import (
    card_text,
    choice_answer,
    choice_hint,
    format_interval,
    format_step,
    short_deck_name,
)
from ..editing import edit_item
from ..messages import Failed, OpenBrowser
from ..widgets.card import CardView
from ..widgets.grades import GradeBar
from ._writing import WritingScreen
from .summary import SummaryScreen

__all__ = ["StudyScreen", "filter_label"]


def filter_label(workspace: Workspace, filters: Filters) -> str:
    """``IMbrave150 · Resident``: the decks and levels a session or quiz covers."""
    parts = []
    if len(filters.decks) == 1:
        parts.append(short_deck_name(workspace.title(filters.decks[0])))
    parts += [Level(level).display_name for level in filters.levels]
    return " · ".join(parts)


class StudyScreen(WritingScreen):
    """A study session. Space shows the answer; keys 1-4 (0-5 in six-grade mode) grade."""

    BINDINGS = [
        Binding("space,enter", "advance", "Show answer / grade", id="study.next", show=False,
                tooltip="Show the answer, or record the grade marked ␣ and move on"),
        Binding("u", "undo", "Undo", id="study.undo", tooltip="Undo the last grade or suspension"),
        Binding("s", "suspend", "Suspend", id="study.suspend",
                tooltip="Suspend this card: it leaves the queues until unsuspended"),
        Binding("e", "edit", "Edit", id="study.edit",
                tooltip="Open this card's item in $EDITOR at its line; synced when you save"),
        Binding("b", "browse", "Browse", id="study.browse",
                tooltip="The card browser, on this card's item"),
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
        """Status line, progress (or a notice), card and grade buttons."""
        yield Header()
        yield Static(id="status")
        yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
        yield Static(id="notice")
        yield Static("⚑ Changed since you last saw it", id="changed")
        yield CardView(id="card")
        yield GradeBar(self.session.grades, id="grades")
        yield Footer()

    def on_mount(self) -> None:
        """Show the first card and tick the clock once a second."""
        label = filter_label(self.workspace, self.session.filters)
        self.sub_title = f"Study · {label}" if label else "Study"
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
            self.show_summary()
            return
        self.card, self.revealed, self.pending = card, False, None
        question, answer = card_text(card.item, card.number)
        self.choices = []
        if isinstance(card.item, ChoiceItem):
            self.choices = list(card.item.choices)
            if card.item.shuffle:
                self.workspace.rng.shuffle(self.choices)
        hint = choice_hint(card.item) if isinstance(card.item, ChoiceItem) else ""
        source = self.workspace.source_line(card.deck_id, card.item.source)
        self.query_one(CardView).show(question + hint, answer, source, self.choices)
        self.question = question
        self.query_one("#changed").display = card.changed
        self.query_one(GradeBar).prompt("space Show answer")
        self.update_status()

    def update_status(self) -> None:
        """Counts left, elapsed time and the progress bar; how long a grade has waited."""
        counts = self.session.counts
        elapsed = int((self.session.clock.now() - self.session.started_at).total_seconds())
        queue: str = self.card.queue if self.card else ""
        if queue == "drill" and self.session.scheduler.name == "fsrs":
            queue = "step"  # FSRS's learning steps, not SM-2's drill
        if self.card is not None and self.card.retrievability is not None:
            queue += f" · R {self.card.retrievability:.0%}"  # FSRS's predicted recall
        status = Text(
            f"New {counts.new} · Learning {counts.learning} · Review {counts.review}"
            f"   {queue}   ⏱ {elapsed // 60}:{elapsed % 60:02d}"
        )
        if self.revealed:  # what space records: the grade marked on the buttons
            grade = self.session.config.scale.grade(self.marked())
            status.append("   space ", style="bold").append(grade.label)
        self.query_one("#status", Static).update(status)
        done = self.session.done_count
        bar = self.query_one(ProgressBar)
        bar.update(total=max(1, done + counts.total), progress=done)
        if self.saving and self.waiting_since is not None:
            self.show_waiting()

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
            view.set_question(self.question)  # the answering hint is done with
            answer = choice_answer(card.item, view.picked)
        view.reveal(answer)
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
        self.query_one(GradeBar).set_labels(labels, self.marked())
        self.update_status()

    def marked(self) -> int:
        """The grade space records now: a choice card's, else Good."""
        return self.pending if self.pending is not None else Quality.GOOD

    # ---- actions -------------------------------------------------------------------------

    def action_advance(self) -> None:
        """Enter: submit a select-all answer, show the answer, or record the grade."""
        if self.later(self.action_advance) or self.card is None:
            return
        if not self.revealed:
            self.reveal()
        else:
            self.record(self.marked())

    def action_key(self, key: str) -> None:
        """A digit grades (or picks the grade of a choice card); a letter picks an option."""
        if self.later(lambda: self.action_key(key)) or self.card is None:
            return
        if key.isdigit():
            grade = next((g for g in self.session.grades if g.key == key), None)
            if grade is None:
                return
            if not self.revealed:
                self.say("Show the answer first (space).", seconds=2)
            elif isinstance(self.card.item, ChoiceItem):
                self.pending = grade.quality
                self.label_grades()
                self.note_override(grade.quality)
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

    @on(GradeBar.Advance)
    def _prompt_clicked(self) -> None:
        self.action_advance()

    @on(GradeBar.Chosen)
    def _clicked(self, event: GradeBar.Chosen) -> None:
        if self.revealed and not self.saving:
            self.note_override(event.quality)
            self.record(event.quality)

    def note_override(self, quality: int) -> None:
        """A passing grade on a choice card answered wrong sets the schedule (the reader
        is trusted, as in Anki), but the answer still counts as wrong: say so."""
        card = self.card
        if card is None or not isinstance(card.item, ChoiceItem) or quality < PASS:
            return
        if not score_choice(card.item, self.query_one(CardView).picked):
            # 58 characters: one line at 60 columns
            self.say("Wrong: the grade sets the schedule; reports count it wrong", seconds=5)

    # ---- writes, off the UI thread -------------------------------------------------------

    def record(self, quality: int) -> None:
        """Grade the card (committed to disk in a worker thread), then show the next."""
        if self.later(lambda: self.record(quality)):
            return
        session, picked = self.session, self._picked()
        self.start_write(
            lambda: session.grade(quality, picked=picked), self._graded, self._not_saved
        )

    def _picked(self) -> list[str] | None:
        """The options picked on a choice card, exactly (``[]`` when the answer was shown
        with none picked), as a quiz records them; None for a basic or cloze card."""
        chose = self.card is not None and isinstance(self.card.item, ChoiceItem)
        return self.query_one(CardView).picked if chose else None

    def _graded(self, _result: object) -> None:
        self.next_card()

    def _not_saved(self, error: HccquizError) -> None:
        if self.session.current is None:  # the card changed elsewhere: it was dropped here
            self.say(str(error), severity="warning")
            self.next_card()
        else:
            self.say(f"Not saved: {error}. Grade again to retry.", severity="error", seconds=10)

    def action_undo(self) -> None:
        """Undo the last grade or suspension; that card comes back."""
        if self.later(self.action_undo):
            return
        if not self.session.can_undo:
            self.say("Nothing to undo.", seconds=2)
            return
        self.start_write(self.session.undo, self._undone, self._not_undone)

    def _undone(self, card: StudyCard | None) -> None:
        self.say("Undone.", seconds=2)
        self.next_card(card)

    def _not_undone(self, error: HccquizError) -> None:
        self.say(str(error), severity="warning")

    def action_suspend(self) -> None:
        """Suspend the current card and move on."""
        if self.later(self.action_suspend) or self.card is None:
            return
        self.start_write(self.session.suspend, self._suspended, self._not_undone)

    def _suspended(self, _result: object) -> None:
        self.say("Card suspended (u to undo).", seconds=2)
        self.next_card()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`e` and `b` pick options E and B while a choice card waits for its answer
        (their bindings step aside, and the option's binding takes the key)."""
        letter = {"edit": "e", "browse": "b"}.get(action)
        card = self.card
        if letter and card is not None and isinstance(card.item, ChoiceItem) and not self.revealed:
            return None if "abcdefgh".index(letter) < len(self.choices) else True
        return True

    def action_edit(self) -> None:
        """Open the card's item in the editor; once saved and valid, it is synced and the
        card shows its new content (same history)."""
        if self.later(self.action_edit) or self.card is None:
            return
        card = self.card

        def refreshed(outcome: EditOutcome) -> None:
            said = outcome.sync.describe() if outcome.sync else "synced"
            self.refresh_card(f"Synced: {said}")

        edit_item(self, self.workspace, card.deck_id, card.item.id, refreshed)

    def action_browse(self) -> None:
        """Open the card browser on this card's item (the session goes on afterwards)."""
        if self.later(self.action_browse):
            return
        f = self.session.filters
        search = f'key:"{self.card.item.id}"' if self.card else ""
        self.post_message(OpenBrowser(BrowseQuery(f.decks, f.levels, f.tags, search=search)))

    def on_screen_resume(self) -> None:
        """Back from the browser (or a dialog): the card may have been edited, suspended or
        reset meanwhile."""
        if self.card is not None and not self.saving:
            self.refresh_card()

    def refresh_card(self, note: str | None = None) -> None:
        """Read the card on screen again: its new content is shown (history kept); a card
        suspended, reset or retired meanwhile leaves the session."""
        old = self.card
        try:
            card = self.session.reload_current()
        except HccquizError as exc:
            self.post_message(Failed(exc))
            return
        if card is None:
            self.say(note or "The card was changed in the browser: it left this session.",
                     severity="warning", seconds=6)  # fmt: skip
            self.next_card()
            return
        if (
            note is None
            and old is not None
            and (card.item, card.changed) == (old.item, old.changed)
        ):
            self.card = card
            return
        self.next_card(card)
        if note:
            self.say(note, seconds=6)

    def action_leave(self) -> None:
        """End the session early: show what was done."""
        if self.later(self.action_leave):
            return
        self.show_summary()

    def show_summary(self) -> None:
        """The session's summary in place of this screen."""
        summary = SummaryScreen(self.workspace, self.session.summary(), self.session.filters)
        self.app.switch_screen(summary)
