"""Where the database lives, and a look at a file before SQLite is allowed to write to it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from ._errors import CorruptDatabase, NotHccquizDatabase, StoreError
from ._schema import APPLICATION_ID

__all__ = ["DB_ENV", "DB_FILENAME", "default_db_path", "inspect_file", "resolve_db_path"]

DB_ENV = "HCCQUIZ_DB"
"""Environment variable naming the database file; ``--db`` wins over it."""
DB_FILENAME = "hccquiz.db"

_MAGIC = b"SQLite format 3\x00"


def default_db_path() -> Path:
    """``hccquiz.db`` in the platformdirs user data dir (e.g. ``~/.local/share/hccquiz``)."""
    from platformdirs import user_data_path

    return user_data_path("hccquiz", appauthor=False) / DB_FILENAME


def resolve_db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The database file: ``path`` if given, else ``$HCCQUIZ_DB`` if set, else the default."""
    if path is not None and str(path) != "":
        return Path(path).expanduser()
    env = os.environ.get(DB_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return default_db_path()


def inspect_file(path: Path) -> Literal["absent", "empty", "ours"]:
    """Classify ``path`` without writing to it.

    ``absent`` and ``empty`` (a zero-byte file or a SQLite file with no tables) may be
    initialised; ``ours`` is an hccquiz database. Anything else raises `NotHccquizDatabase`
    or `CorruptDatabase`, and the file is left exactly as it was.
    """
    try:
        if not path.exists():
            return "absent"
        if path.is_dir():
            raise NotHccquizDatabase(f"{path}: is a folder; give the path of a database file")
        with path.open("rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database: {exc.strerror}") from None
    if not header:
        return "empty"
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise NotHccquizDatabase(
            f"{path}: not an hccquiz database (not a SQLite file); it was left untouched. "
            f"Give another path with --db or ${DB_ENV}"
        )
    app_id = int.from_bytes(header[68:72], "big")
    if app_id == APPLICATION_ID:
        return "ours"
    if app_id != 0:
        raise NotHccquizDatabase(
            f"{path}: a SQLite database of another application (application_id "
            f"0x{app_id:08x}), not hccquiz; it was left untouched"
        )
    app_id, tables = _peek(path)
    if app_id == APPLICATION_ID:
        return "ours"
    if tables:
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        raise NotHccquizDatabase(
            f"{path}: a SQLite database of another application (tables: {shown}), "
            "not hccquiz; it was left untouched"
        )
    return "empty"


def _peek(path: Path) -> tuple[int, list[str]]:
    """Application id and table names, read through a read-only connection."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise CorruptDatabase(f"{path}: cannot open the database: {exc}") from None
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master ORDER BY name")]
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabase(
            f"{path}: the database is damaged or not a database ({exc}); it was left untouched"
        ) from None
    finally:
        conn.close()
    return app_id, tables
