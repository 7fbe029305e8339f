"""Backups of the database, checking a file, and putting a backup back.

- `check_database` runs SQLite's full ``PRAGMA integrity_check`` on a read-only connection.
- Backups are made with SQLite's online backup API (a consistent snapshot even while
  another process writes) in ``<name>-backups/`` beside the database, and no backup ever
  replaces another:

  - `daily_backup` (called by `Store.close`) keeps one a day, ``YYYY-MM-DD.db``, made the
    first time the database closes that day; the last `KEEP_BACKUPS` daily ones are kept,
    the oldest going when a new one is made;
  - `backup_now` (``hccquiz db backup``) makes a manual one, named for the day and time,
    ``YYYY-MM-DD_HH-MM-SS.db`` (``-2``, ``-3``... if that name is taken), each time it is
    asked; manual backups are never removed by hccquiz, the daily rotation leaves them be.

- `restore_database` puts a backup (or a recovered file) in the database's place, moving
  the current file aside, never deleting it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from datetime import date, datetime
from pathlib import Path

from ._errors import StoreError
from ._files import clear_stamp, connect_read_only, inspect_file, write_stamp

__all__ = [
    "KEEP_BACKUPS",
    "backup_folder",
    "backup_label",
    "backup_now",
    "backups_of",
    "check_database",
    "daily_backup",
    "is_daily_backup",
    "restore_database",
]

KEEP_BACKUPS = 7
"""How many daily backups are kept (the oldest goes when a new one is made); manual
backups are not counted, nor ever removed."""

_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})(?:_(\d{2})-(\d{2})-(\d{2})(?:-(\d+))?)?")
"""A backup's name (without ``.db``): its day, then for a manual one its time (and a
number when two were made in the same second)."""


def backup_folder(path: Path) -> Path:
    """Where the backups of the database at `path` live: ``<name>-backups/`` beside it."""
    return path.with_name(f"{path.name}-backups")


def is_daily_backup(backup: Path) -> bool:
    """True for a daily backup (``YYYY-MM-DD.db``), False for a manual one."""
    found = _NAME.fullmatch(backup.stem)
    return found is not None and found[2] is None


def backup_label(backup: Path) -> str:
    """How messages name a backup: ``2026-12-01`` (the daily one) or ``2026-12-01 14:30:05``
    (a manual one)."""
    found = _NAME.fullmatch(backup.stem)
    if found is None or found[2] is None:
        return backup.stem
    number = f" ({found[5]})" if found[5] else ""
    return f"{found[1]} {found[2]}:{found[3]}:{found[4]}{number}"


def _order(backup: Path) -> tuple[str, int, str, int]:
    """Oldest first: by the day in the name, then by when the file was written (a day's
    daily backup and its manual ones), then by the time and number in the name."""
    try:
        written = backup.stat().st_mtime_ns
    except OSError:
        written = 0
    found = _NAME.fullmatch(backup.stem)
    if found is None or found[2] is None:
        return backup.stem[:10], written, "", 0
    return found[1], written, f"{found[2]}{found[3]}{found[4]}", int(found[5] or 1)


def backups_of(path: Path) -> list[Path]:
    """The backups of `path`, daily and manual, oldest first (see `_order`); an empty
    file (a backup being made) is not one yet."""
    try:
        found = [
            p
            for p in backup_folder(path).glob("????-??-??*.db")
            if _NAME.fullmatch(p.stem) and p.is_file() and p.stat().st_size > 0
        ]
    except OSError:
        return []
    return sorted(found, key=_order)


def _fresh_file(beside: Path) -> Path:
    """A new empty file next to `beside`, with a random name (never a planted one)."""
    fd, name = tempfile.mkstemp(prefix=f".{beside.name}.", suffix=".tmp", dir=beside.parent)
    os.close(fd)
    return Path(name)


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of the database `source`, through a temporary file and a rename
    over `target`."""
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


def _claim(target: Path) -> bool:
    """Create `target`, empty, unless it exists (atomically: ``O_EXCL``): a name no other
    backup has, for `_fill` to fill. False if it was taken."""
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    return True


def backup_now(path: Path, now: datetime | None = None) -> Path:
    """A manual backup of `path`, ``<name>-backups/YYYY-MM-DD_HH-MM-SS.db`` for `now`, in
    a name no other backup has: it never replaces a backup and is never pruned. Raises
    `StoreError` with one line."""
    folder = backup_folder(path)
    stem = (now or datetime.now()).strftime("%Y-%m-%d_%H-%M-%S")
    try:
        folder.mkdir(exist_ok=True)
        n, target = 1, folder / f"{stem}.db"
        while not _claim(target):
            n += 1
            target = folder / f"{stem}-{n}.db"
    except OSError as exc:
        raise StoreError(f"{path}: cannot make a backup in {folder}: {exc}") from None
    _fill(path, target)
    return target


def _fill(path: Path, target: Path) -> None:
    """`_copy` `path` over the empty `target` just claimed; on failure the claim goes."""
    try:
        _copy(path, target)
    except (OSError, sqlite3.Error) as exc:
        target.unlink(missing_ok=True)
        raise StoreError(f"{path}: cannot make a backup in {target.parent}: {exc}") from None


def daily_backup(path: Path, today: date | None = None) -> Path | None:
    """The daily backup of `today`, ``<name>-backups/YYYY-MM-DD.db``, unless it exists;
    then the daily backups past the last `KEEP_BACKUPS` are removed (manual ones are left
    alone). Returns the new backup, or None. Raises `StoreError` with one line."""
    folder = backup_folder(path)
    target = folder / f"{(today or date.today()).isoformat()}.db"
    if target.exists():
        return None
    try:
        folder.mkdir(exist_ok=True)
        if not _claim(target):  # another process made it meanwhile
            return None
    except OSError as exc:
        raise StoreError(f"{path}: cannot make a backup in {folder}: {exc}") from None
    _fill(path, target)
    daily = sorted(p for p in backups_of(path) if is_daily_backup(p))  # by day
    for old in daily[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


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
    aside, n = path.with_name(f"{path.name}.replaced-{stamp}"), 1
    while aside.exists():  # a second restore within the second keeps the first file aside
        n += 1
        aside = path.with_name(f"{path.name}.replaced-{stamp}-{n}")
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
