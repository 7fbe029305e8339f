"""The end-of-session summary: reviewed, correct %, time and when cards are next due."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from ...study import SessionSummary, Workspace
from ..background import read_in_thread
from ..messages import GoHome

__all__ = ["SummaryScreen", "summary_lines"]


def summary_lines(summary: SessionSummary, next_due: str) -> list[str]:
    """The summary as lines of text."""
    seconds = int((summary.ended_at - summary.started_at).total_seconds())
    rate = f"{summary.pass_rate:.0%}" if summary.pass_rate is not None else "—"
    left = summary.remaining
    return [
        f"Reviewed      {summary.studied} card{'' if summary.studied == 1 else 's'} "
        f"({summary.new} new, {summary.reviews} review{'' if summary.reviews == 1 else 's'})",
        f"Correct       {rate} ({summary.passed} of {summary.studied} graded Hard or better)",
        f"Drill         {summary.drills} repeat{'' if summary.drills == 1 else 's'} "
        "of cards graded below Good"
        if summary.scheduler == "sm2"
        else f"Steps         {summary.drills} answer{'' if summary.drills == 1 else 's'} "
        "in learning and relearning steps",
        f"Time          {seconds // 60} min {seconds % 60:02d} s",
        f"Suspended     {len(summary.suspended)}",
        f"Left today    {left.total} (new {left.new}, learning {left.learning}, "
        f"review {left.review})",
        f"Next due      {next_due}",
    ]


class SummaryScreen(Screen[None]):
    """Shown when a session ends; enter or escape goes home."""

    BINDINGS = [
        Binding("enter,escape", "home", "Home", id="summary.home", tooltip="Back to the decks"),
    ]

    def __init__(self, workspace: Workspace, summary: SessionSummary) -> None:
        super().__init__()
        self.workspace = workspace
        self.summary = summary

    def compose(self) -> ComposeResult:
        """The figures and a button home."""
        yield Header()
        with Vertical(id="summary"):
            done = "Session complete" if not self.summary.remaining.total else "Session ended"
            yield Static(done, classes="heading")
            lines = summary_lines(self.summary, "…")
            yield Static(Text("\n".join(lines)), id="summary-figures")
            yield Button("Home (enter)", id="home", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        """Work out when cards are next due, off the UI thread."""
        read_in_thread(self, self.workspace.next_due_text, self.show_next_due, group="next-due")

    def show_next_due(self, next_due: str) -> None:
        """Fill in the next-due line."""
        lines = summary_lines(self.summary, next_due)
        self.query_one("#summary-figures", Static).update(Text("\n".join(lines)))

    def on_button_pressed(self) -> None:
        """Home."""
        self.action_home()

    def action_home(self) -> None:
        """Back to the deck list."""
        self.post_message(GoHome())
