"""Statistics: the figures of ``hccquiz stats``, two charts, retention, streak, mastery."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ...deck.levels import Level
from ...study import Workspace
from ...study.stats import Stats
from ..widgets.chart import BarChart

__all__ = ["StatsScreen", "figure_lines"]


def figure_lines(s: Stats) -> list[str]:
    """The headline figures as lines of text."""
    retention = (
        f"{s.retention_30d:.0%} of {s.retention_reviews_30d:,} first reviews of the day"
        if s.retention_30d is not None
        else "no reviews yet"
    )
    return [
        f"Cards       {s.cards_total:,} total · {s.cards_new:,} new · "
        f"{s.cards_suspended:,} suspended",
        f"Due         {s.due_today:,} today · {s.due_tomorrow:,} tomorrow · "
        f"{s.due_next_7_days:,} in the next 7 days",
        f"Reviews     {s.reviews_total:,} total · {s.reviews_today:,} today"
        f" ({_by_kind(s.reviews_by_kind)})",
        f"Retention   {retention} (30 days)",
        f"Streak      {s.streak_days} day{'s' if s.streak_days != 1 else ''}",
    ]


def _by_kind(counts: dict[str, int]) -> str:
    """``20 study, 4 drill, 20 quiz``: every kind, even at zero."""
    return ", ".join(f"{counts.get(kind, 0):,} {kind}" for kind in ("study", "drill", "quiz"))


class StatsScreen(Screen[None]):
    """Figures, charts and the mastery table; escape goes back."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="stats.back", tooltip="Back to the decks"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.figures = workspace.stats()
        self.history = workspace.reviews_per_day(30)

    def compose(self) -> ComposeResult:
        """Figures, two charts and the table per level."""
        s = self.figures
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(Text("\n".join(figure_lines(s))), id="figures")
            forecast = list(s.due_by_day[:30])
            yield BarChart(f"Due in the next {len(forecast)} days", forecast, "today",
                           f"+{len(forecast) - 1}d", id="forecast")  # fmt: skip
            yield BarChart("Reviews per day, last 30 days", self.history, "-29d", "today",
                           id="history")  # fmt: skip
            yield Static("Mastery by level", classes="heading")
            yield DataTable(id="mastery", cursor_type="none", show_cursor=False)
        yield Footer()

    def on_mount(self) -> None:
        """Fill the mastery table."""
        self.sub_title = "Statistics"
        table = self.query_one("#mastery", DataTable)
        table.add_columns("Level", "Cards", "New", "Learning", "Mature", "Mastered")
        for level, c in self.figures.by_level.items():
            share = f"{c.mature / c.cards:.0%}" if c.cards else "—"
            table.add_row(Level(level).display_name, str(c.cards), str(c.new), str(c.learning),
                          str(c.mature), share)  # fmt: skip

    def action_back(self) -> None:
        """Back to where the stats were opened from (home if opened first)."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.go_home()  # type: ignore[attr-defined]
