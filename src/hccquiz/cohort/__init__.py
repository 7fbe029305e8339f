"""Cohort reports: item analysis and trainee progress from many progress logs.

`hccquiz cohort report LOGS...` reads the logs that `hccquiz progress export` writes
(`inputs` finds and checks them, `load` loads them into DuckDB and proves them whole),
computes every figure in SQL (`queries`), applies the flag rules (`flags`), places flags
in the deck files (`locate`) and writes JSON (`report`) and a self-contained HTML page
(`html`, with inline SVG from `charts`). See docs/cohort.md.
"""

from __future__ import annotations

from ..lazy import lazy_getattr

__all__ = ["CohortError", "CohortReport", "Flag", "build_report", "render_html"]

__getattr__ = lazy_getattr(
    __name__,
    {
        "CohortError": ".inputs",
        **dict.fromkeys(["CohortReport", "build_report"], ".report"),
        "Flag": ".flags",
        "render_html": ".html",
    },
)
