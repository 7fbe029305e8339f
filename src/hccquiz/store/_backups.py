"""Daily backups of the database, checking a file, and putting a backup back.

- `check_database` runs SQLite's full ``PRAGMA integrity_check`` on a read-only connection.
- `daily_backup` keeps one copy a day, made with SQLite's online backup API (a consistent
  snapshot even while another process writes), in ``<name>-backups/`` beside the database,
  the last `KEEP_BACKUPS` kept. `Store.close` calls it; `backup_now` makes one on demand.
- `restore_database` puts a backup (or a recovered file) in the database's place, moving
  the current file aside, never deleting it.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from datetime import date, datetime
from pathlib import Path

from ._errors import StoreError
from ._files import clear_stamp, connect_read_only, inspect_file, write_stamp

__all__ = [
    "KEEP_BACKUPS",
    "backup_folder",
    "backup_now",
    "backups_of",
    "check_database",
    "daily_backup",
    "restore_database",
]

KEEP_BACKUPS = 7
"""How many daily backups are kept (the oldest goes when a new one is made)."""


def backup_folder(path: Path) -> Path:
    """Where the backups of the database at `path` live: ``<name>-backups/`` beside it."""
    return path.with_name(f"{path.name}-backups")


def backups_of(path: Path) -> list[Path]:
    """The backups of `path`, oldest first (named by their day, ``YYYY-MM-DD.db``)."""
    try:
        return sorted(p for p in backup_folder(path).glob("????-??-??*.db") if p.is_file())
    except OSError:
        return []


def _fresh_file(beside: Path) -> Path:
    """A new empty file next to `beside`, with a random name (never a planted one)."""
    fd, name = tempfile.mkstemp(prefix=f".{beside.name}.", suffix=".tmp", dir=beside.parent)
    os.close(fd)
    return Path(name)


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of the database `source`, through a temporary file and a rename."""
    tmp = _fresh_file(target)
    try:
        src = sqlite3.connect(source, isolation_level=None)  # a sound file; only read
        try:
            dest = sqlite3.connect(tmp)
            try:
                src.backup(dest, pages=4096)
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
        finally:
            src.close()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def backup_now(path: Path, today: date | None = None) -> Path:
    """Back up `path` now as ``<name>-backups/<today>.db`` (replacing one of the same day)
    and keep the last `KEEP_BACKUPS`. Raises `StoreError` with one line."""
    folder = backup_folder(path)
    target = folder / f"{(today or date.today()).isoformat()}.db"
    try:
        folder.mkdir(exist_ok=True)
        _copy(path, target)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"{path}: cannot make a backup in {folder}: {exc}") from None
    for old in backups_of(path)[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


def daily_backup(path: Path, today: date | None = None) -> Path | None:
    """`backup_now` unless a backup of `today` exists; the new backup, or None."""
    day = (today or date.today()).isoformat()
    if (backup_folder(path) / f"{day}.db").exists():
        return None
    return backup_now(path, today)


def restore_database(path: Path, replacement: Path, now: datetime | None = None) -> Path:
    """Put `replacement` (a backup or a recovered file) in the place of the database at
    `path`. The current file, if any, is moved to ``<name>.replaced-<time>`` (with its
    ``-wal`` and ``-shm``); returns that path. `replacement` is copied, not moved."""
    kind = inspect_file(replacement)
    if kind != "ours":
        raise StoreError(f"{replacement}: not an hccquiz database; nothing was changed")
    problems = check_database(replacement)
    if problems:
        raise StoreError(f"{replacement}: damaged ({problems[0]}); nothing was changed")
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.replaced-{stamp}")
    try:
        tmp = _fresh_file(path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot restore {replacement}: {exc.strerror}") from None
    try:
        _copy(replacement, tmp)
        if path.exists():
            os.replace(path, aside)
            for suffix in ("-wal", "-shm"):
                extra = Path(f"{path}{suffix}")
                if extra.exists():
                    os.replace(extra, Path(f"{aside}{suffix}"))
        os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"{path}: cannot restore {replacement}: {exc}") from None
    clear_stamp(path)
    write_stamp(path)
    return aside


def check_database(path: Path, limit: int = 20) -> list[str]:
    """The first `limit` problems SQLite's ``integrity_check`` finds; empty when sound."""
    try:
        conn = connect_read_only(path, idle_immutable=True)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        rows = conn.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    found = [str(row[0]) for row in rows]
    return [] if found == ["ok"] else found
