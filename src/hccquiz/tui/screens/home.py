"""Home: decks with what is left today, where each deck comes from, the limits that hold
cards back, a level filter (remembered), and the way into study, quiz, stats, settings."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Select, Static

from ...deck.levels import Level
from ...store import BrowseQuery
from ...study import DeckOverview, Filters, Workspace
from ..background import read_in_thread
from ..messages import (
    LevelChosen,
    OpenBrowser,
    OpenSettings,
    OpenStats,
    StartQuiz,
    StartStudy,
)

__all__ = ["HomeScreen"]

ALL = "__all__"
_COUNTS = (("New", "new", 5), ("Learning", "learning", 8), ("Review", "due", 6))


class HomeScreen(Screen[None]):
    """The deck list. Enter studies the highlighted deck."""

    BINDINGS = [
        Binding("s", "study", "Study", id="home.study", tooltip="Study the highlighted deck"),
        Binding("z", "quiz", "Quiz", id="home.quiz",
                tooltip="A quiz on the highlighted deck; it never changes the schedule"),
        Binding("t", "stats", "Stats", id="home.stats", tooltip="Statistics and forecasts"),
        Binding("b", "browse", "Browse", id="home.browse",
                tooltip="Every card of the highlighted deck: search, filter, edit"),
        Binding("l", "focus_levels", "Level", id="home.level", show=False,
                tooltip="Filter by training level"),
        Binding("o", "settings", "Settings", id="home.settings",
                tooltip="Daily limits, grading scale, day start, theme"),
    ]  # fmt: skip

    def __init__(self, workspace: Workspace, filters: Filters) -> None:
        super().__init__()
        self.workspace = workspace
        self.filters = filters
        self.rows: list[DeckOverview] = []

    def compose(self) -> ComposeResult:
        """Level filter, deck table, the highlighted deck's origin and limits, buttons."""
        yield Header()
        with VerticalScroll(id="home"):
            options = [(level.display_name, level.value) for level in Level]
            initial = self.filters.levels[0] if len(self.filters.levels) == 1 else ALL
            yield Select([("All levels", ALL), *options], value=initial, allow_blank=False,
                         id="level", tooltip="Training level (remembered)")  # fmt: skip
            yield Static("Left today, within each deck's daily limits", classes="heading")
            yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
            yield Static(id="deck-info")
            yield Static(id="limits")
            with HorizontalGroup(id="home-buttons"):
                yield Button("Study (s)", id="home-study", variant="primary")
                yield Button("Quiz (z)", id="home-quiz")
                yield Button("Stats (t)", id="home-stats")
                yield Button("Settings (o)", id="home-settings")
        yield Footer()

    def on_mount(self) -> None:
        """Fill the table."""
        self.sub_title = "Decks"
        self.refresh_decks()
        self.query_one("#decks", DataTable).focus()

    def on_screen_resume(self) -> None:
        """Counts change after a session, and settings may have changed: refresh them."""
        self.refresh_decks()

    def on_resize(self) -> None:
        """The deck column takes the width there is."""
        if self.rows:
            self.show_decks(self.rows)

    def current_filters(self) -> Filters:
        """The level filter and the highlighted deck (all decks on the 'All decks' row)."""
        table = self.query_one("#decks", DataTable)
        decks = self.filters.decks
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            decks = self.filters.decks if key == ALL else (str(key),)
        level = self.query_one("#level", Select).value
        levels = () if level == ALL else (str(level),)
        return Filters(decks, levels, self.filters.tags)

    def refresh_decks(self) -> None:
        """Recount every deck under the level filter, off the UI thread."""
        level = self.query_one("#level", Select).value
        levels = () if level == ALL else (str(level),)
        wanted = Filters(self.filters.decks, levels, self.filters.tags)
        read_in_thread(self, lambda: self.workspace.overview(wanted), self.show_decks,
                       group="overview")  # fmt: skip

    def show_decks(self, rows: list[DeckOverview]) -> None:
        """Fill the deck table with `rows`, keeping the highlighted row."""
        self.rows = rows
        table = self.query_one("#decks", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        counts = sum(width + 2 for _, _, width in _COUNTS)
        title_width = max(12, self.size.width - 4 - counts - 4)
        table.add_column("Deck", key="deck", width=title_width)
        for name, key, width in _COUNTS:
            table.add_column(name, key=key, width=width)
        if len(rows) > 1:
            total = [sum(getattr(r, f) for r in rows) for _, f, _ in _COUNTS]
            table.add_row(Text("All decks", style="bold"), *map(str, total), key=ALL)
        for row in rows:
            title = Text(row.title, overflow="ellipsis", no_wrap=True)
            table.add_row(title, str(row.new), str(row.learning), str(row.due), key=row.deck_id)
        if not rows:
            table.add_row(Text("No decks: run hccquiz sync DECK"), "", "", "", key=ALL)
        table.move_cursor(row=min(cursor, table.row_count - 1))
        notes = [*self.workspace.warnings, *(row.limit_note for row in rows if row.limit_note)]
        self.query_one("#limits", Static).update(Text("\n".join(f"⚠ {n}" for n in notes)))
        self.query_one("#limits").display = bool(notes)
        self.show_deck_info()

    def show_deck_info(self) -> None:
        """The highlighted deck's full title, where it comes from and its limits."""
        filters = self.current_filters()
        info = self.query_one("#deck-info", Static)
        row = next((r for r in self.rows if filters.decks == (r.deck_id,)), None)
        if row is None:
            sources = {r.source for r in self.rows}
            info.update(Text(f"{len(self.rows)} decks; " + "; ".join(sorted(sources))
                             if len(self.rows) > 1 else ""))  # fmt: skip
            return
        day = row.day
        info.update(
            Text(
                f"{row.title}\n{row.source}\ntoday: {day.new_done} of {day.new_limit} new, "
                f"{day.review_done} of {day.review_limit} reviews (o: limits)"
            )
        )

    @on(DataTable.RowHighlighted, "#decks")
    def _row_highlighted(self) -> None:
        self.show_deck_info()

    @on(Select.Changed, "#level")
    def _level_changed(self, event: Select.Changed) -> None:
        self.refresh_decks()
        self.post_message(LevelChosen(None if event.value == ALL else str(event.value)))

    def set_level(self, level: str | None) -> None:
        """Show the level filter `level` (None: all levels) and recount."""
        self.query_one("#level", Select).value = level or ALL

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

    def action_browse(self) -> None:
        """Open the card browser on the highlighted deck and the level filter."""
        f = self.current_filters()
        self.post_message(OpenBrowser(BrowseQuery(f.decks, f.levels, f.tags)))

    @on(Button.Pressed, "#home-settings")
    def action_settings(self) -> None:
        """Open the settings, for the highlighted deck."""
        decks = self.current_filters().decks
        self.post_message(OpenSettings(decks[0] if len(decks) == 1 else None))

    def action_focus_levels(self) -> None:
        """Move focus to the level filter."""
        self.query_one("#level", Select).focus()
