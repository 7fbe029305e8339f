"""The card browser's table: its columns, each row's cells, and the filters' options
(several values given on the command line show as one entry)."""

from __future__ import annotations

from collections.abc import Collection

from rich.text import Text

from ...grading import Scale
from ...store import BrowseRow, SortKey
from .detail import grade_label

__all__ = ["ALL", "ANY", "COLUMNS", "cells", "filter_options", "filter_values"]

ALL = "__all__"
"""The value of a filter entry that lets every value through."""
ANY = "__any__\t"
"""Prefix of a filter entry that stands for several values (tab-separated), as given on
the command line (``--tag a --tag b``)."""
COLUMNS: tuple[tuple[SortKey, str, int], ...] = (
    ("item", "Item", 18), ("deck", "Deck", 10), ("due", "Due", 10), ("interval", "Ivl", 5),
    ("lapses", "Lapses", 6), ("grade", "Last", 7), ("state", "State", 9), ("type", "Type", 6),
    ("levels", "Levels", 16), ("tags", "Tags", 16),
)  # fmt: skip
"""The table's columns: sort key, heading, width."""


def filter_options(
    everything: str, known: list[tuple[str, str]], chosen: tuple[str, ...]
) -> tuple[list[tuple[str, str]], str]:
    """A filter's options and value: every value, each known one, and the values `chosen`
    as one entry when they are several (or one not known)."""
    options = [(everything, ALL), *known]
    if not chosen:
        return options, ALL
    if len(chosen) == 1 and chosen[0] in {value for _, value in known}:
        return options, chosen[0]
    label = " or ".join(chosen)
    if len(chosen) > 1 and len(label) > 12:  # the select is narrow: "2 levels", "3 tags"
        label = f"{len(chosen)} {everything.split()[-1]}"
    entry = (label, ANY + "\t".join(chosen))
    return [*options, entry], entry[1]


def filter_values(value: str) -> tuple[str, ...]:
    """The filter values a `filter_options` entry stands for (none: every value)."""
    if value == ALL:
        return ()
    return tuple(value.removeprefix(ANY).split("\t")) if value.startswith(ANY) else (value,)


def _state(row: BrowseRow) -> str:
    flags = [f for f, on in (("retired", row.retired), ("susp", row.suspended),
                             ("changed", row.changed)) if on]  # fmt: skip
    return " ".join(flags) or "active"


def cells(row: BrowseRow, marked: Collection[int] = (), scale: Scale = Scale.FOUR) -> list[Text]:
    """The table's cells for `row`, in `COLUMNS` order: a dot before the item if its card
    is among the `marked` card ids; the last grade named as `scale`, the grading scale in
    use, names it."""
    item = f"{'● ' if row.card_id in marked else ''}{row.item_id}" + (
        f" c{row.number}" if row.item_type == "cloze" else ""
    )
    due = "new" if row.due is None else row.due.isoformat()
    values = {
        "item": item, "deck": row.deck_id, "due": due,
        "interval": "" if row.due is None else str(row.interval), "lapses": str(row.lapses),
        "grade": grade_label(row.last_grade, scale), "state": _state(row), "type": row.item_type,
        "levels": ",".join(row.levels), "tags": ",".join(row.tags),
    }  # fmt: skip
    style = "dim" if row.retired or row.suspended else ""
    return [Text(values[key], style=style, overflow="ellipsis", no_wrap=True)
            for key, _, _ in COLUMNS]  # fmt: skip
