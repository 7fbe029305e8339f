"""The card browser: every card in a table, searched as you type, filtered by state, level
and tag, sorted by any column; the highlighted card's detail and history below; suspend,
reset to new (asked first; history kept), quiz and edit.

Every read runs in a worker thread; the newest query wins (an older answer arriving late
is dropped). Each keystroke reads a short first page (`FIRST_PAGE` rows); the table reads
more as the cursor nears its end, so a 100,000-card collection opens as quickly as a small
one. While the user types, only the rows are read: the count and the highlighted card's
detail wait for a pause in the typing (`TYPING_PAUSE`). The count is read only when the
page is full (otherwise the page is the count), and, with the detail, on the browser's
second connection to the database, so the next keystroke's page never waits behind them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from ...deck.levels import Level
from ...errors import HccquizError
from ...store import BROWSE_STATES, BrowseQuery, BrowseRow
from ...study import FIRST_PAGE, PAGE, Browser, CardDetail, EditOutcome, Workspace
from ..background import read_in_thread, write_in_thread
from ..editing import edit_item
from ..messages import GoHome, StartQuizCards
from ..widgets.cardtable import COLUMNS, cells, filter_options, filter_values
from ..widgets.detail import CardDetailView
from ..widgets.rowtable import RowTable
from .dialogs import ConfirmScreen

__all__ = ["TYPING_PAUSE", "BrowserScreen"]

TYPING_PAUSE = 0.25
"""Seconds without a keystroke in the search box before the count and the detail are read."""


class BrowserScreen(Screen[None]):
    """The card browser. Type to search; ↓, enter or escape to the table, where ↑↓ pick a
    card and the footer's keys act on it."""

    AUTO_FOCUS = "#cards"
    BINDINGS = [
        Binding("escape", "back", "Back", id="browse.back",
                tooltip="From the search box, to the table; from the table, back"),
        Binding("slash,ctrl+f", "search", "Search", key_display="/", id="browse.search",
                tooltip="Type words to find in questions, answers, choices, explanations"),
        Binding("down", "to_table", "Cards", key_display="↓", id="browse.to-table",
                priority=True,  # before the input's own (unused) scroll binding
                tooltip="From the search box to the table, where the keys act on cards"),
        Binding("s", "suspend", "Suspend", id="browse.suspend",
                tooltip="Suspend the marked cards (or this one); again to unsuspend"),
        Binding("r", "reset", "Reset", id="browse.reset",
                tooltip="Reset to new (asks first); the history is kept"),
        Binding("z", "quiz", "Quiz", id="browse.quiz", show=False,
                tooltip="A quiz of the marked cards (or this one); the schedule is unchanged"),
        Binding("e", "edit", "Edit", id="browse.edit",
                tooltip="Open the item in $EDITOR at its line; synced when you save"),
        Binding("o", "sort", "Sort", id="browse.sort", show=False,
                tooltip="Sort by the next column (or click a heading); O reverses"),
        Binding("O", "reverse", "Reverse", id="browse.reverse", show=False),
        Binding("space", "mark", "Mark", key_display="␣", id="browse.mark", show=False,
                tooltip="Mark or unmark this card; actions apply to the marked cards"),
    ]  # fmt: skip

    def __init__(self, workspace: Workspace, query: BrowseQuery) -> None:
        super().__init__()
        self.workspace = workspace
        try:
            self.browser = Browser(workspace, own_reader=True)
        except HccquizError:  # no second connection: every read on the workspace's
            self.browser = Browser(workspace)
        self.query_now = query
        self.rows: list[BrowseRow] = []
        self.total: int | None = None
        self.more = False
        self.marked: set[int] = set()
        self.generation = 0
        self.loading_more = False
        self.pause: Timer | None = None
        """Set while the user types: the count and the detail wait for it to fire."""

    def compose(self) -> ComposeResult:
        """Search and filters, a status line, the table and the detail pane."""
        q = self.query_now
        yield Header()
        with HorizontalGroup(id="browse-bar"):
            yield Input(q.search, placeholder="/ search…", id="search", compact=True)
            yield Select([(s, s) for s in BROWSE_STATES], value=q.state, allow_blank=False,
                         compact=True, id="state", tooltip="Cards in this state")  # fmt: skip
            levels = [(level.display_name, level.value) for level in Level]
            options, value = filter_options("all levels", levels, q.levels)
            yield Select(options, allow_blank=False, compact=True, value=value, id="levels")
            options, value = filter_options("all tags", [], q.tags)
            yield Select(options, value=value, allow_blank=False, compact=True, id="tags")
        yield Static(id="browse-status")
        yield RowTable(id="cards", cursor_type="row", zebra_stripes=True)
        yield CardDetailView(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        """Columns, the tag list, the first page. Opened on a search, the table has the
        focus; else the search box, so that typing never fires a card's action."""
        self.sub_title = "Browse"
        table = self.query_one("#cards", DataTable)
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        (table if self.query_now.search else self.query_one("#search")).focus()
        read_in_thread(self, self.browser.tags, self._show_tags, group="browse-tags")
        self.refresh_rows()

    @property
    def live(self) -> bool:
        """True while the browser is on the app's screen stack: a read that answers after
        it was closed (its widgets are being removed) is dropped."""
        return self.is_attached and self in self.app.screen_stack

    def on_unmount(self) -> None:
        """Close the browser's second connection."""
        self.browser.close()

    def _show_tags(self, tags: list[str]) -> None:
        if not self.live:
            return  # the screen closed while the tags were read
        select = self.query_one("#tags", Select)
        options, value = filter_options("all tags", [(t, t) for t in tags], self.query_now.tags)
        with select.prevent(Select.Changed):  # the filter stays as it is
            select.set_options(options)
            select.value = value

    # ---- reading ------------------------------------------------------------------------

    def refresh_rows(self, keep: int | None = None, typing: bool = False) -> None:
        """Read the first page of the current query (then its count), newest query wins.
        While `typing`, the count and the detail wait for a pause of `TYPING_PAUSE`."""
        self.generation += 1
        gen, query = self.generation, self.query_now
        if self.pause is not None:
            self.pause.stop()
        self.pause = self.set_timer(TYPING_PAUSE, self._paused) if typing else None
        self._status("searching…")
        read_in_thread(self, lambda: self.browser.page(query, limit=FIRST_PAGE),
                       lambda rows: self._show_rows(gen, rows, keep), group="browse")  # fmt: skip

    def _show_rows(self, gen: int, rows: list[BrowseRow], keep: int | None) -> None:
        if gen != self.generation or not self.live:
            return  # an older query answered late, or the screen closed meanwhile
        self.rows, self.more = rows, len(rows) == FIRST_PAGE
        self.total = None if self.more else len(rows)  # a page not full holds them all
        table = self.query_one("#cards", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*cells(row, self.marked, self.browser.scale), key=str(row.card_id))
        index = next((n for n, r in enumerate(rows) if r.card_id == keep), 0)
        if rows:
            table.move_cursor(row=index, animate=False)
        else:
            self.query_one(CardDetailView).show(None)
        self._status()
        if self.more and self.pause is None:
            self._read_count()

    def _paused(self) -> None:
        """The typing paused: the count (if the page did not hold every card) and the
        highlighted card's detail."""
        self.pause = None
        if self.live and self.rows:
            if self.more and self.total is None:
                self._read_count()
            self.show_detail()

    def _read_count(self) -> None:
        gen, query = self.generation, self.query_now
        read_in_thread(self, lambda: self.browser.count(query),
                       lambda n: self._show_count(gen, n), group="browse-count")  # fmt: skip

    def _show_count(self, gen: int, total: int) -> None:
        if gen == self.generation and self.live:
            self.total = total
            self._status()

    def _status(self, note: str = "") -> None:
        q = self.query_now
        shown = f"{len(self.rows):,}" + ("+" if self.more else "")
        n = self.total if self.total is not None else len(self.rows)
        count = f"{self.total:,}" if self.total is not None else shown
        count += " card" if n == 1 else " cards"
        arrow = "↓" if q.descending else "↑"
        marked = f" · {len(self.marked)} marked" if self.marked else ""
        text = f"{count}{marked} · sorted by {q.sort} {arrow} · o O sort · ␣ mark · z quiz"
        self.query_one("#browse-status", Static).update(Text(note or text))

    def _load_more(self) -> None:
        if not self.more or self.loading_more:
            return
        self.loading_more = True
        gen, query, offset = self.generation, self.query_now, len(self.rows)
        read_in_thread(self, lambda: self.browser.page(query, offset),
                       lambda rows: self._more_rows(gen, rows), group="browse-more")  # fmt: skip

    def _more_rows(self, gen: int, rows: list[BrowseRow]) -> None:
        self.loading_more = False
        if gen != self.generation or not self.live:
            return
        table = self.query_one("#cards", DataTable)
        known = {r.card_id for r in self.rows}
        for row in rows:
            if row.card_id not in known:
                self.rows.append(row)
                table.add_row(*cells(row, self.marked, self.browser.scale), key=str(row.card_id))
        self.more = len(rows) == PAGE
        self._status()

    @property
    def current(self) -> BrowseRow | None:
        """The highlighted row."""
        table = self.query_one("#cards", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted, "#cards")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self.rows) - 20:
            self._load_more()
        if self.pause is None:  # while typing, the detail waits for a pause
            self.show_detail()

    def show_detail(self) -> None:
        """Read the highlighted card's detail off the UI thread."""
        row = self.current
        if row is None:
            return
        card_id = row.card_id
        read_in_thread(self, lambda: self.browser.detail(card_id),
                       lambda d: self._show_detail(card_id, d), group="browse-detail")  # fmt: skip

    def _show_detail(self, card_id: int, detail: CardDetail) -> None:
        row = self.current if self.live else None
        if row is not None and row.card_id == card_id:
            self.query_one(CardDetailView).show(detail)

    # ---- the query ----------------------------------------------------------------------

    def set_query(self, typing: bool = False, **changes: Any) -> None:
        """Change the query and read again, keeping the highlighted card if it stays
        (`typing`: a keystroke in the search box)."""
        self.query_now = replace(self.query_now, **changes)
        row = self.current
        self.refresh_rows(keep=row.card_id if row else None, typing=typing)

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        if event.value != self.query_now.search:
            self.set_query(typing=True, search=event.value)

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        self.query_one("#cards").focus()

    @on(Select.Changed)
    def _filter(self, event: Select.Changed) -> None:
        value = str(event.value)
        if event.select.id == "state" and value != self.query_now.state:
            self.set_query(state=value)
        elif event.select.id in ("levels", "tags"):
            values = filter_values(value)
            if values != getattr(self.query_now, str(event.select.id)):
                self.set_query(False, **{str(event.select.id): values})

    @on(DataTable.HeaderSelected, "#cards")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.query_now.sort:
            self.set_query(descending=not self.query_now.descending)
        else:
            self.set_query(sort=key, descending=False)

    def action_sort(self) -> None:
        """Sort by the next column of the table."""
        keys = [key for key, _, _ in COLUMNS]
        self.set_query(sort=keys[(keys.index(self.query_now.sort) + 1) % len(keys)],
                       descending=False)  # fmt: skip

    def action_reverse(self) -> None:
        """Reverse the order."""
        self.set_query(descending=not self.query_now.descending)

    def action_search(self) -> None:
        """Focus the search box."""
        self.query_one("#search").focus()

    def action_to_table(self) -> None:
        """From the search box to the table."""
        self.query_one("#cards").focus()

    def searching(self) -> bool:
        """True while the search box has the focus."""
        return self.is_mounted and self.focused is self.query_one("#search", Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the search box ↓ goes to the table and `/` types (the footer leaves out
        keys that type); elsewhere ↓ is the focused widget's and `/` searches."""
        if action == "to_table":
            return self.searching()
        if action == "search":
            return not self.searching()
        return True

    def action_back(self) -> None:
        """Leave the search box for the table; from the table, close the browser: back to
        the screen it was opened from, or home when it was the first (``hccquiz browse``)."""
        if self.searching():
            self.action_to_table()
        elif len(self.app.screen_stack) > 2:
            self.dismiss()
        else:
            self.post_message(GoHome())

    # ---- actions ------------------------------------------------------------------------

    def targets(self) -> list[int]:
        """The marked cards, else the highlighted one."""
        if self.marked:
            return sorted(self.marked)
        row = self.current
        return [row.card_id] if row else []

    def action_mark(self) -> None:
        """Mark or unmark the highlighted card and move down."""
        row = self.current
        if row is None:
            return
        self.marked ^= {row.card_id}
        self._redraw([row])
        self.query_one("#cards", DataTable).action_cursor_down()
        self._status()

    def _redraw(self, rows: list[BrowseRow]) -> None:
        table = self.query_one("#cards", DataTable)
        by_id = {r.card_id: r for r in rows}
        for index, old in enumerate(self.rows):
            new = by_id.get(old.card_id)
            if new is None:
                continue
            self.rows[index] = new
            for (key, _, _), cell in zip(COLUMNS, cells(new, self.marked, self.browser.scale),
                                         strict=True):  # fmt: skip
                table.update_cell(str(new.card_id), key, cell)

    def _changed(self, card_ids: list[int], said: str) -> None:
        """Re-read the rows of `card_ids` and the detail after a write."""
        self.notify(said, timeout=3)

        def show(rows: list[BrowseRow]) -> None:
            self._redraw(rows)
            self.show_detail()

        read_in_thread(self, lambda: self.browser.rows(card_ids), show, group="browse-changed")

    def _failed(self, error: HccquizError) -> None:
        self.notify(str(error), severity="error", timeout=8)

    def action_suspend(self) -> None:
        """Suspend the targets, or unsuspend them when all are suspended."""
        ids = self.targets()
        if not ids:
            return
        by_id = {r.card_id: r for r in self.rows}
        flag = not all(by_id[i].suspended for i in ids if i in by_id)
        what = "suspended" if flag else "unsuspended"
        write_in_thread(self, lambda: self.browser.suspend(ids, flag),
                        lambda n: self._changed(ids, f"{n} card(s) {what}"),
                        self._failed)  # fmt: skip

    def action_reset(self) -> None:
        """Reset the targets to new, after asking; their reviews stay in the history."""
        ids = self.targets()
        if not ids:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                write_in_thread(self, lambda: self.browser.reset(ids),
                                lambda n: self._changed(ids, f"{n} card(s) reset to new"),
                                self._failed)  # fmt: skip

        cards = f"{len(ids)} cards" if len(ids) > 1 else "this card"
        self.app.push_screen(
            ConfirmScreen(f"Reset {cards} to new? They come back as new cards; every review "
                          "stays in the history, and the reset is recorded.", "Reset"),
            answered,
        )  # fmt: skip

    def action_quiz(self) -> None:
        """A quiz of the targets (the schedule is left alone)."""
        ids = self.targets()
        if ids:
            self.post_message(StartQuizCards(ids))

    def action_edit(self) -> None:
        """Open the highlighted card's item in the editor; refresh it once synced."""
        row = self.current
        if row is None:
            return
        card_id = row.card_id

        def refreshed(outcome: EditOutcome) -> None:
            self._changed([card_id], outcome.sync.describe() if outcome.sync else "Synced")

        edit_item(self, self.workspace, row.deck_id, row.item_id, refreshed)
