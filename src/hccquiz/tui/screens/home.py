"""Home: decks with their new, learning and due counts, a level filter, and the way in."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Select, Static

from ...deck.levels import Level
from ...study import DeckOverview, Filters, Workspace
from ..background import read_in_thread
from ..messages import OpenStats, StartQuiz, StartStudy

__all__ = ["HomeScreen"]

ALL = "__all__"


class HomeScreen(Screen[None]):
    """The deck list. Enter studies the highlighted deck."""

    BINDINGS = [
        Binding("s", "study", "Study", id="home.study", tooltip="Study the highlighted deck"),
        Binding("z", "quiz", "Quiz", id="home.quiz",
                tooltip="A quiz on the highlighted deck; it never changes the schedule"),
        Binding("t", "stats", "Stats", id="home.stats", tooltip="Statistics and forecasts"),
        Binding("l", "focus_levels", "Level", id="home.level", tooltip="Filter by training level"),
    ]  # fmt: skip

    def __init__(self, workspace: Workspace, filters: Filters) -> None:
        super().__init__()
        self.workspace = workspace
        self.filters = filters

    def compose(self) -> ComposeResult:
        """Title, level filter, deck table and buttons."""
        yield Header()
        with Vertical(id="home"):
            yield Static("Decks", classes="heading")
            options = [(level.display_name, level.value) for level in Level]
            initial = self.filters.levels[0] if len(self.filters.levels) == 1 else ALL
            yield Select([("All levels", ALL), *options], value=initial, allow_blank=False,
                         id="level", tooltip="Training level")  # fmt: skip
            yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="home-buttons"):
                yield Button("Study (s)", id="home-study", variant="primary")
                yield Button("Quiz (z)", id="home-quiz")
                yield Button("Stats (t)", id="home-stats")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one("#decks", DataTable)
        table.add_column("Deck", key="deck", width=46)
        for name in ("New", "Learning", "Due"):
            table.add_column(name, key=name.lower())
        self.refresh_decks()
        table.focus()

    def on_screen_resume(self) -> None:
        """Counts change after a session: refresh them."""
        self.refresh_decks()

    def current_filters(self) -> Filters:
        """The level filter and the highlighted deck (all decks on the 'All decks' row)."""
        table = self.query_one("#decks", DataTable)
        decks = self.filters.decks
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            decks = () if key == ALL else (str(key),)
        level = self.query_one("#level", Select).value
        levels = () if level == ALL else (str(level),)
        return Filters(decks, levels, self.filters.tags)

    def refresh_decks(self) -> None:
        """Recount every deck under the level filter, off the UI thread."""
        table = self.query_one("#decks", DataTable)
        filters = self.current_filters() if table.row_count else self.filters
        wanted = Filters(self.filters.decks, filters.levels, self.filters.tags)
        read_in_thread(self, lambda: self.workspace.overview(wanted), self.show_decks,
                       group="overview")  # fmt: skip

    def show_decks(self, rows: list[DeckOverview]) -> None:
        """Fill the deck table with `rows`, keeping the highlighted row."""
        table = self.query_one("#decks", DataTable)
        cursor = table.cursor_row
        table.clear()
        if len(rows) > 1:
            total = [sum(getattr(r, f) for r in rows) for f in ("new", "learning", "due")]
            table.add_row(Text("All decks", style="bold"), *map(str, total), key=ALL)
        for row in rows:
            title = Text(row.title, overflow="ellipsis", no_wrap=True)
            title.truncate(46, overflow="ellipsis")
            table.add_row(title, str(row.new), str(row.learning), str(row.due),
                          key=row.deck_id)  # fmt: skip
        if not rows:
            table.add_row(Text("No decks: run hccquiz sync DECK"), "", "", "", key=ALL)
        table.move_cursor(row=min(cursor, table.row_count - 1))

    @on(Select.Changed, "#level")
    def _level_changed(self) -> None:
        self.refresh_decks()

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_study()

    @on(Button.Pressed, "#home-study")
    def action_study(self) -> None:
        """Study the highlighted deck under the level filter."""
        self.post_message(StartStudy(self.current_filters()))

    @on(Button.Pressed, "#home-quiz")
    def action_quiz(self) -> None:
        """Quiz on the highlighted deck under the level filter."""
        self.post_message(StartQuiz(self.current_filters()))

    @on(Button.Pressed, "#home-stats")
    def action_stats(self) -> None:
        """Open the statistics screen."""
        self.post_message(OpenStats())

    def action_focus_levels(self) -> None:
        """Move focus to the level filter."""
        self.query_one("#level", Select).focus()
