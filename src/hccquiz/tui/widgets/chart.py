"""`BarChart`: a small column chart drawn with block characters, with a title and axis."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

__all__ = ["BarChart", "bar_chart"]

_BLOCKS = " ▁▂▃▄▅▆▇█"


def bar_chart(values: Sequence[int], height: int = 5, first: str = "", last: str = "") -> str:
    """Columns of `values`, `height` rows tall, then an axis labelled `first` ... `last`."""
    top = max(values, default=0)
    width = len(values)
    rows = []
    for row in range(height, 0, -1):
        line = []
        for value in values:
            eighths = round(value / top * height * 8) if top else 0
            filled = eighths - (row - 1) * 8
            line.append(_BLOCKS[max(0, min(8, filled))])
        label = f"{top:>4} " if row == height else "     "
        rows.append(label + "".join(line))
    rows.append("   0 " + "▔" * width)
    gap = max(1, width - len(first) - len(last))
    rows.append("     " + first + " " * gap + last)
    return "\n".join(rows)


class BarChart(Static):
    """A titled column chart; the data is ours, never deck text."""

    def __init__(self, title: str, values: Sequence[int], first: str, last: str,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(**kwargs)
        self.add_class("chart")
        self.update(Text(f"{title}\n{bar_chart(values, first=first, last=last)}"))
