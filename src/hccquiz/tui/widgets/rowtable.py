"""A table of rows picked with the cursor, where Home and End go to the first and last row
(a plain `DataTable` scrolls sideways on them; its ctrl+Home and ctrl+End still work)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable

__all__ = ["RowTable"]


class RowTable(DataTable[object]):
    """A `DataTable` whose Home and End pick the first and the last row."""

    BINDINGS = [
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]
