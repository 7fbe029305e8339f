"""Progress export: a trainee's review log as an anonymous, versioned, open file.

`hccquiz progress export` writes one row per review (`format.COLUMNS`, documented in
docs/cohort.md) to CSV or Parquet, from the progress database (`export.export_store`,
through `hccquiz.store.Store.export_reviews`) or from an Anki collection studied from our
``.apkg`` (`anki.anki_rows`, through `hccquiz.store.read_anki_collection`). A log holds a
pseudonym (`pseudonym`), never a name, path, host or user name, and times to the minute.
`duck.connect` opens DuckDB the one way hccquiz uses it (also for `hccquiz.cohort`).
"""

from __future__ import annotations

from ..lazy import lazy_getattr

__all__ = [
    "COLUMNS",
    "FORMAT_VERSION",
    "ExportResult",
    "ProgressExportError",
    "anki_rows",
    "export_store",
    "write_log",
]

__getattr__ = lazy_getattr(
    __name__,
    {
        **dict.fromkeys(["COLUMNS", "FORMAT_VERSION"], ".format"),
        **dict.fromkeys(
            ["ExportResult", "ProgressExportError", "export_store", "write_log"], ".export"
        ),
        "anki_rows": ".anki",
    },
)
