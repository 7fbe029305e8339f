"""One way to open DuckDB for hccquiz: embedded, in memory, offline, bounded.

Extensions are never downloaded or auto-loaded (JSON and Parquet are built into the
Python package), the time zone is UTC so timestamps read and write as written, and the
memory limit and threads keep a report within a small machine (DuckDB spills to a
temporary folder beyond the limit rather than failing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

__all__ = ["MEMORY_LIMIT", "THREADS", "connect"]

MEMORY_LIMIT = "640MB"
"""DuckDB's memory limit for hccquiz's queries."""
THREADS = 2
"""Worker threads (the development machine and CI have two cores)."""


def connect(
    *, memory_limit: str = MEMORY_LIMIT, threads: int = THREADS, keep_order: bool = True
) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB connection with the settings above; ``keep_order=False``
    lets results come in any order (less memory for aggregations)."""
    import duckdb

    conn = duckdb.connect(
        ":memory:",
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "memory_limit": memory_limit,
            "threads": threads,
            "preserve_insertion_order": keep_order,
        },
    )
    conn.execute("SET TimeZone = 'UTC'")
    return conn
