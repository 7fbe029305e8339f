"""The end-of-session summary: what was studied, correct %, time, what is left today, when
cards are next due, and which daily limit held cards back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Footer, Header, Static

from ...grading import DRILL_PASS, PASS
from ...study import Filters, SessionSummary, Workspace
from ..background import read_in_thread
from ..messages import GoHome
from ._scrolling import ScrollingScreen

__all__ = ["SummaryScreen", "summary_lines"]


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_lines(
    summary: SessionSummary,
    next_due: str,
    limits: list[str] | None = None,
    empty: str | None = None,
) -> list[str]:
    """The summary as lines of text, each figure named by what it counts; `empty` says why
    the filters left no card to study."""
    seconds = int((summary.ended_at - summary.started_at).total_seconds())
    rate = f"{summary.pass_rate:.0%}" if summary.pass_rate is not None else "—"
    left = summary.remaining
    lines = [
        f"Studied       {_n(summary.studied, 'card')}: {summary.new} new, "
        f"{_n(summary.reviews, 'review')} (each card's first grade today)",
        f"Correct       {rate} ({summary.passed} of {summary.studied} graded "
        f"{summary.scale.threshold(PASS)} or better)",
        f"Drill         {_n(summary.drills, 'repeat')} of cards graded below "
        f"{summary.scale.threshold(DRILL_PASS)}"
        if summary.scheduler == "sm2"
        else f"Steps         {_n(summary.drills, 'answer')} in learning and relearning steps",
        f"Time          {seconds // 60} min {seconds % 60:02d} s",
        f"Suspended     {len(summary.suspended)}",
        f"Left today    {left.total}: new {left.new} · learning {left.learning} · "
        f"review {left.review}",
        f"Next due      {next_due}",
    ]
    lines += [f"Limit         {note}" for note in limits or []]
    if empty:
        lines.append(f"Filters       {empty}")
    return lines


class SummaryScreen(ScrollingScreen):
    """Shown when a session ends; enter or escape goes home."""

    BINDINGS = [
        Binding("enter,escape", "home", "Home", id="summary.home", tooltip="Back to the decks"),
    ]

    def __init__(
        self, workspace: Workspace, summary: SessionSummary, filters: Filters | None = None
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.summary = summary
        self.filters = filters or Filters()

    def compose(self) -> ComposeResult:
        """The figures and a button home."""
        yield Header()
        with VerticalScroll(id="body", classes="page"):
            done = "Session complete" if not self.summary.remaining.total else "Session ended"
            yield Static(done, classes="heading", id="summary-heading")
            lines = summary_lines(self.summary, "…")
            yield Static(Text("\n".join(lines)), id="summary-figures")
            yield Button("Home (enter)", id="home", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        """Work out when cards are next due, which limits bite and, after an empty session,
        whether the filters left no card at all, off the UI thread."""
        self.sub_title = "Summary"
        filters, ws = self.filters, self.workspace
        empty = not self.summary.studied and not self.summary.remaining.total
        read_in_thread(
            self,
            lambda: (
                ws.next_due_text(filters),
                ws.limit_notes(filters),
                ws.empty_reason(filters) if empty else None,
            ),
            lambda read: self.show_next_due(*read),
            group="next-due",
        )

    def show_next_due(
        self, next_due: str, limits: list[str] | None = None, empty: str | None = None
    ) -> None:
        """Fill in the next-due line, the limits holding cards back and why the filters
        left no card (`empty`)."""
        lines = summary_lines(self.summary, next_due, limits, empty)
        self.query_one("#summary-figures", Static).update(Text("\n".join(lines)))
        if empty:
            self.query_one("#summary-heading", Static).update("Nothing to study: no card matches")

    def on_button_pressed(self) -> None:
        """Home."""
        self.action_home()

    def action_home(self) -> None:
        """Back to the deck list."""
        self.post_message(GoHome())
