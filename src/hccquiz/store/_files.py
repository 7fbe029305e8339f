"""Where the database lives, a look at a file before SQLite may write to it, read-only
connections, and the stamp that says the file was checked.

The stamp (``<name>-checked`` beside the database) holds the size, modification time and
inode of the file as hccquiz last left it, or last found it undamaged. A file whose stamp
does not match was changed by something else (a copy, a sync tool, a disk fault, another
program) and gets SQLite's ``PRAGMA quick_check`` before anything is written to it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from ..fileio import FileWriteError, write_atomic
from ._errors import CorruptDatabase, NotHccquizDatabase, StoreError
from ._schema import APPLICATION_ID

__all__ = [
    "DB_ENV",
    "DB_FILENAME",
    "clear_stamp",
    "connect_read_only",
    "default_db_path",
    "inspect_file",
    "resolve_db_path",
    "stamp_matches",
    "stamp_path",
    "write_stamp",
]

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
    user_version = int.from_bytes(header[60:64], "big")
    if user_version != 0:  # hccquiz sets application_id before any user_version
        raise NotHccquizDatabase(
            f"{path}: a SQLite database of another application (user_version "
            f"{user_version}), not hccquiz; it was left untouched"
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
    """Application id and table names, read without writing anything (not even -shm)."""
    try:
        conn = sqlite3.connect(_uri(path, immutable=True), uri=True)
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


def _uri(path: Path, *, immutable: bool = False) -> str:
    return f"file:{quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")


def connect_read_only(
    path: Path, timeout: float = 5.0, *, idle_immutable: bool = False
) -> sqlite3.Connection:
    """A connection that cannot write to `path` (``mode=ro``).

    In a folder hccquiz may not write to, SQLite cannot make the WAL index it needs to
    read a WAL database; when no ``-wal`` file exists, no writer can be active, and the
    file is then read as ``immutable``. `idle_immutable` reads it so whenever no ``-wal``
    exists (nothing at all is made beside the file: for checking a damaged one).
    """
    idle = not Path(f"{path}-wal").exists()
    if not (idle and idle_immutable):
        try:
            conn = sqlite3.connect(
                _uri(path), uri=True, timeout=timeout, isolation_level=None,
                check_same_thread=False,
            )  # fmt: skip
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            if not idle or os.access(path.parent, os.W_OK):
                raise
    return sqlite3.connect(
        _uri(path, immutable=True),
        uri=True,
        timeout=timeout,
        isolation_level=None,
        check_same_thread=False,
    )


def stamp_path(path: Path) -> Path:
    """Where the check stamp of the database at `path` lives: ``<name>-checked``."""
    return path.with_name(f"{path.name}-checked")


def _signature(path: Path) -> str | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return f"{info.st_size} {info.st_mtime_ns} {info.st_ino}"


def stamp_matches(path: Path) -> bool:
    """True if the file is as hccquiz last left it (or last found it undamaged)."""
    try:
        recorded = stamp_path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return recorded == _signature(path)


def write_stamp(path: Path) -> None:
    """Record the file as checked (best effort: a read-only folder keeps no stamp)."""
    signature = _signature(path)
    if signature is None:
        return
    with contextlib.suppress(FileWriteError):
        write_atomic(stamp_path(path), signature + "\n")


def clear_stamp(path: Path) -> None:
    """Forget that the file was checked, so that the next open checks it."""
    with contextlib.suppress(OSError):
        stamp_path(path).unlink(missing_ok=True)
