"""Statistics: the figures of ``hccquiz stats``, two charts, retention, streak, mastery."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from ...deck.levels import Level
from ...study import Filters, Workspace
from ...study.stats import Stats, deck_lines, level_words
from ..background import read_in_thread
from ..messages import GoHome
from ..widgets.chart import BarChart
from ._scrolling import ScrollingScreen

__all__ = ["StatsScreen", "figure_lines"]


def figure_lines(s: Stats) -> list[str]:
    """The headline figures as lines of text, each named by what it counts."""
    retention = (
        f"{s.retention_30d:.0%} of {s.retention_reviews_30d:,} reviews of studied cards"
        if s.retention_30d is not None
        else "no reviews of studied cards yet"
    )
    left = s.left_today
    return [
        *deck_lines(s, width=15),
        f"Left today     {left['total']:,}: new {left['new']:,} · learning {left['learning']:,}"
        f" · review {left['review']:,}{level_words(s)}",
        f"Cards          {s.cards_total:,} · {s.cards_new:,} never studied · "
        f"{s.cards_suspended:,} suspended",
        f"Scheduled      {s.due_today:,} due today · {s.due_tomorrow:,} tomorrow · "
        f"{s.due_next_7_days:,} in 7 days",
        f"Grades given   {s.reviews_total:,} · {s.reviews_today:,} today"
        f" ({_by_kind(s.reviews_by_kind)})",
        f"Retention 30d  {retention}",
        f"Streak         {s.streak_days} day{'s' if s.streak_days != 1 else ''} with grades",
        _scheduler_line(s),
    ]


def _scheduler_line(s: Stats) -> str:
    """``Scheduler   SM-2``, or FSRS with its desired and predicted retention."""
    if s.fsrs is None:
        return "Scheduler      SM-2"
    f = s.fsrs
    predicted = (
        f" · predicted today {f.predicted_retention_today:.0%}"
        if f.predicted_retention_today is not None
        else ""
    )
    return f"Scheduler      FSRS-6 · retention {f.desired_retention:.2f}{predicted}"


def _by_kind(counts: dict[str, int]) -> str:
    """``20 study, 4 drill, 20 quiz``: every kind, even at zero."""
    return ", ".join(f"{counts.get(kind, 0):,} {kind}" for kind in ("study", "drill", "quiz"))


class StatsScreen(ScrollingScreen):
    """Figures, charts and the mastery table; escape goes back."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="stats.back", tooltip="Back to the decks"),
    ]

    def __init__(self, workspace: Workspace, filters: Filters | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.filters = filters
        self.figures: Stats | None = None

    def compose(self) -> ComposeResult:
        """A placeholder until the figures are read (off the UI thread)."""
        yield Header()
        with VerticalScroll(id="body", classes="page"):
            yield Static(Text("Reading the statistics…"), id="figures")
        yield Footer()

    def on_mount(self) -> None:
        """Read the figures in a worker thread."""
        self.sub_title = "Statistics"
        read_in_thread(
            self,
            lambda: (self.workspace.stats(self.filters), self.workspace.reviews_per_day(30)),
            lambda read: self.show(*read),
            group="stats",
        )

    def show(self, s: Stats, history: list[int]) -> None:
        """Put the figures, the two charts and the mastery table on screen."""
        self.figures = s
        self.query_one("#figures", Static).update(Text("\n".join(figure_lines(s))))
        forecast = list(s.due_by_day[:30])
        table: DataTable[str] = DataTable(id="mastery", cursor_type="none", show_cursor=False)
        table.can_focus = False
        self.body.mount_all([
            BarChart(f"Due in the next {len(forecast)} days", forecast, "today",
                     f"+{len(forecast) - 1}d", id="forecast"),
            BarChart("Grades per day, last 30 days", history, "-29d", "today", id="history"),
            Static("Mastery by level", classes="heading"),
            table,
        ])  # fmt: skip
        table.add_columns("Level", "Cards", "New", "Learning", "Mature", "Mastered")
        for level, c in s.by_level.items():
            share = f"{c.mature / c.cards:.0%}" if c.cards else "—"
            table.add_row(Level(level).display_name, str(c.cards), str(c.new), str(c.learning),
                          str(c.mature), share)  # fmt: skip
        if s.fsrs is not None and s.fsrs.calibration:
            calibration: DataTable[str] = DataTable(
                id="calibration", cursor_type="none", show_cursor=False
            )
            self.body.mount_all(
                [Static("FSRS calibration: predicted against actual recall", classes="heading"),
                 calibration]
            )  # fmt: skip
            calibration.add_columns("Predicted", "Reviews", "Mean predicted", "Recalled")
            for b in s.fsrs.calibration:
                calibration.add_row(f"{b.low:.0%}–{b.high:.0%}", f"{b.reviews:,}",
                                    f"{b.predicted:.1%}", f"{b.actual:.1%}")  # fmt: skip

    def action_back(self) -> None:
        """Back to where the stats were opened from (home if opened first)."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.post_message(GoHome())
