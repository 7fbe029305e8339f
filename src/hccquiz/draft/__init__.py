"""Drafting a deck from a plain-text trial summary (``hccquiz draft``).

`summary` and `parts` parse the summary, `items` turns it into items (`findings` the key
findings' clozes and choice items, `citation` the reference, `facts` the shared facts),
`cloze` picks the numbers to hide, `text` holds the sentence helpers, `sources` gives the
linter the summary's text, and `writer` writes the commented YAML, merges into an existing
deck and runs the command. Names load lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_getattr

__all__ = [
    "DraftError",
    "DraftResult",
    "MergeResult",
    "Outcome",
    "Summary",
    "SummaryError",
    "draft_summary",
    "merge_draft",
    "parse_summary",
    "run_draft",
    "source_text",
]

_LAZY = {
    **dict.fromkeys(
        [
            "DraftError",
            "DraftResult",
            "MergeResult",
            "Outcome",
            "draft_summary",
            "merge_draft",
            "run_draft",
        ],
        ".writer",
    ),
    **dict.fromkeys(["Summary", "SummaryError", "parse_summary"], ".summary"),
    "source_text": ".sources",
}

if TYPE_CHECKING:
    from .sources import source_text
    from .summary import Summary, SummaryError, parse_summary
    from .writer import (
        DraftError,
        DraftResult,
        MergeResult,
        Outcome,
        draft_summary,
        merge_draft,
        run_draft,
    )

__getattr__ = lazy_getattr(__name__, _LAZY)
