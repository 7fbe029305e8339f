"""A SQLite database built in memory and handed back as the bytes of its file.

The Anki export's collection is written by genanki's public seam ``Package.write_to_db``
on a cursor; this keeps the ``sqlite3`` import in the store, and no file is made.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

__all__ = ["database_bytes"]


def database_bytes(fill: Callable[[sqlite3.Cursor], object]) -> bytes:
    """The file bytes of a new in-memory database after `fill` wrote into it (committed)."""
    conn = sqlite3.connect(":memory:")
    try:
        fill(conn.cursor())
        conn.commit()
        return conn.serialize()
    finally:
        conn.close()
