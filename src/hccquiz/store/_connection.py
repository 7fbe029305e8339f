"""The connection under `Store`: opening, file checks, migrations, transactions, settings."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Self
from urllib.parse import quote

from ._errors import CorruptDatabase, NotHccquizDatabase, StoreBusy, StoreError
from ._files import (
    clear_stamp,
    connect_read_only,
    inspect_file,
    resolve_db_path,
    stamp_matches,
    write_stamp,
)
from ._schema import APPLICATION_ID, MIGRATION_NAMES, MIGRATION_SET, build_migrations

if TYPE_CHECKING:
    from sqlite_utils import Migrations

__all__ = ["Connection", "damage_message", "utc_text"]

_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26


def damage_message(path: Path, detail: object) -> str:
    """One line: the file is damaged, nothing was written, and how to recover."""
    from ._backups import backup_label, backups_of

    detail = " ".join(str(detail).removeprefix("*** in database main ***").split())
    backups = backups_of(path)
    restore = (
        f", or put back the backup of {backup_label(backups[-1])} with "
        f"`hccquiz db restore --db {path}`"
        if backups
        else ""
    )
    return (
        f"{path}: the database is damaged ({detail}); nothing was written to it. Recover "
        f"what is readable with `hccquiz db recover --db {path}`{restore}"
    )


def utc_text(moment: datetime) -> str:
    """An aware datetime as UTC ISO 8601 text with milliseconds and a ``Z``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


FULL_CHECK_BYTES = 64 * 1024 * 1024
"""A file changed outside hccquiz up to this size gets SQLite's full ``integrity_check``,
which also compares every index with its table (an index missing a row passes
``quick_check``); a larger one gets ``quick_check``, several times faster (BENCHMARKS.md)."""


def _check_pragma(path: Path) -> str:
    try:
        small = path.stat().st_size <= FULL_CHECK_BYTES
    except OSError:
        small = True
    return "integrity_check(1)" if small else "quick_check(1)"


def _file_damage(path: Path) -> str | None:
    """What the check (`FULL_CHECK_BYTES`) finds wrong in the file read as immutable
    (nothing is written, no ``-shm`` is made), or None when it is sound."""
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        found = str(conn.execute(f"PRAGMA {_check_pragma(path)}").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()
    return None if found == "ok" else found.replace("\n", " ")


class Connection:
    """One SQLite connection to an hccquiz database, with its transactions. See `Store`."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        retry_seconds: float,
        readonly: bool = False,
        keep: bool = False,
    ) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self._retry_seconds = retry_seconds
        self._readonly = readonly
        self._keep = keep  # back up and stamp the file when closing
        self._damage: CorruptDatabase | None = None
        self._wrote = False

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        *,
        busy_timeout: float = 5.0,
        retry_seconds: float = 60.0,
        durable: bool = True,
        create: bool = True,
        readonly: bool = False,
        migrations: Migrations | None = None,
    ) -> Self:
        """Open (creating if needed) the database at ``path``, ``$HCCQUIZ_DB`` or the default.

        A file that is not an hccquiz database, or is damaged, raises a `StoreError` and is
        not modified. A file changed by something other than hccquiz since hccquiz last
        closed it (its stamp, `hccquiz.store.stamp_path`, does not match) is checked with
        ``PRAGMA quick_check`` first; SQLite reporting damage on any later statement also raises
        `CorruptDatabase`, after which nothing more is written. Pending migrations are
        applied; an existing file is first copied to ``<name>.before-<migration>.bak``.
        ``durable`` (the default) syncs every commit to disk (``synchronous=FULL``) and,
        when the store is closed, keeps a daily backup (`hccquiz.store.daily_backup`); turn
        it off only for throwaway databases. With ``create=False`` a missing or empty file
        raises `StoreError` instead of being created; ``readonly=True`` implies it and opens
        the file read-only (``mode=ro``: nothing is written, no ``-wal`` is made in a
        read-only folder; a file that needs an upgrade is opened for writing after all).
        """
        path = resolve_db_path(path)
        kind = inspect_file(path)
        if kind != "ours" and (readonly or not create):  # never initialise a file here
            raise StoreError(
                f"{path}: no progress database yet; run `hccquiz sync DECK...` to create it"
            )
        check = verified = kind == "ours" and not stamp_matches(path)
        if check and not Path(f"{path}-wal").exists():  # check before SQLite makes -wal/-shm
            damage = _file_damage(path)
            if damage is not None:
                clear_stamp(path)
                raise CorruptDatabase(damage_message(path, damage))
            check = False
        try:
            if readonly:
                conn = connect_read_only(path, busy_timeout)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(
                    path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
                )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the database: {exc}") from None
        keep = durable and not readonly
        store = cls(path, conn, retry_seconds=retry_seconds, readonly=readonly, keep=keep)
        try:
            with store._guard():
                conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
                if check:
                    store._quick_check()
                conn.execute("PRAGMA foreign_keys = ON")
                if readonly:
                    if store._pending():  # an upgrade writes: open for writing after all
                        conn.close()
                        return cls.open(path, busy_timeout=busy_timeout,
                                        retry_seconds=retry_seconds, durable=durable)  # fmt: skip
                else:
                    conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
                    store._migrate(migrations, fresh=kind != "ours")
                    if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                        conn.execute("PRAGMA journal_mode = WAL")
        except BaseException:
            conn.close()
            raise
        if verified:
            write_stamp(path)
        store._fresh = kind != "ours"
        return store

    _fresh = False

    def close(self) -> None:
        """Close the connection. Every write was already committed.

        A connection that wrote runs ``PRAGMA optimize`` first, as SQLite recommends for
        short-lived connections (it refreshes planner statistics only where they are
        stale); one that only read writes nothing. A durable store that saw no damage then
        keeps the day's backup (once a day, of a database older than this session) and
        stamps the file as checked.
        """
        with self._lock:
            if self._wrote and self._damage is None:  # closing never fails over statistics
                with suppress(sqlite3.Error):
                    self._conn.execute("PRAGMA optimize")
            self._conn.close()
        if self._keep and self._damage is None:
            if not self._fresh:
                from ._backups import daily_backup

                with contextlib.suppress(StoreError):  # no backup must not lose the session
                    daily_backup(self.path)
            write_stamp(self.path)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- damage ---------------------------------------------------------------------------

    def _quick_check(self) -> None:
        """SQLite's check of the file (`FULL_CHECK_BYTES` says which)."""
        rows = self._conn.execute(f"PRAGMA {_check_pragma(self.path)}").fetchall()
        if rows and rows[0][0] != "ok":
            raise self._corrupt(str(rows[0][0]).replace("\n", " "))

    def _pending(self) -> bool:
        tables = {
            r[0] for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        return "_sqlite_migrations" not in tables or self._applied() != list(MIGRATION_NAMES)

    def _corrupt(self, detail: object) -> CorruptDatabase:
        """The one-line error for a damaged file; from now on nothing is written to it."""
        error = CorruptDatabase(damage_message(self.path, detail))
        self._damage = error
        clear_stamp(self.path)
        return error

    # ---- transactions --------------------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite errors into one-line `StoreError`s."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            text = str(exc)
            if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or "malformed" in text:
                raise self._corrupt(exc) from None
            if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in text:
                raise StoreBusy(
                    f"{self.path}: the database stayed locked by another process; try again"
                ) from None
            if code == _SQLITE_READONLY:
                raise StoreError(
                    f"{self.path}: the database cannot be written here (read-only file or "
                    "folder); nothing was changed"
                ) from None
            raise StoreError(f"{self.path}: database error: {text}") from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction, retried while another writer holds the lock."""
        if self._damage is not None:  # damage seen: write nothing more
            raise self._damage
        with self._lock, self._guard():
            deadline = time.monotonic() + self._retry_seconds
            pause = 0.01
            while True:
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError as exc:
                    busy = "locked" in str(exc) or "busy" in str(exc)
                    if not busy or time.monotonic() > deadline:
                        raise
                    time.sleep(pause)
                    pause = min(pause * 2, 0.25)
            try:
                yield self._conn
                self._conn.execute("COMMIT")
                self._wrote = True
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees one snapshot."""
        with self._lock, self._guard():
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                if self._conn.in_transaction:
                    self._conn.execute("COMMIT")

    def _migrate(self, migrations: Migrations | None, *, fresh: bool) -> None:
        """Apply pending migrations (sqlite-utils `Migrations`), backing up first.

        The common case, an up-to-date file, is settled by reading ``_sqlite_migrations``
        directly, so that opening does not pay for importing sqlite-utils.
        """
        conn = self._conn
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
            raise NotHccquizDatabase(f"{self.path}: not an hccquiz database; left untouched")
        applied = self._applied() if "_sqlite_migrations" in tables else []
        if migrations is None:
            if sorted(applied) == sorted(MIGRATION_NAMES):  # by name: a migration merged
                return  # from a branch may have been applied after a later-numbered one
            migrations = build_migrations()
        from sqlite_utils import Database

        db = Database(conn, execute_plugins=False)
        with Database(memory=True, execute_plugins=False) as empty:
            known = [m.name for m in migrations.pending(empty)]
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise StoreError(
                f"{self.path}: written by a newer hccquiz (migration {unknown[-1]}); "
                "upgrade hccquiz to open it"
            )
        if not migrations.pending(db):
            return
        with self._write():
            pending = migrations.pending(db)  # another process may have migrated meanwhile
            if not pending:
                return
            if migrations.applied(db) and not fresh:
                self._backup(pending[0].name)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrations.apply(db)
            conn.execute(f"PRAGMA user_version = {len(known)}")

    def _applied(self) -> list[str]:
        rows = self._conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id",
            (MIGRATION_SET,),
        )
        return [r[0] for r in rows]

    def _backup(self, before: str) -> Path:
        """Copy the committed database next to it, as ``<name>.before-<migration>.bak``."""
        target = self.path.with_name(f"{self.path.name}.before-{before}.bak")
        n = 1
        while target.exists():
            target = self.path.with_name(f"{self.path.name}.before-{before}.{n}.bak")
            n += 1
        source = sqlite3.connect(self.path, isolation_level=None)
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
        return target

    # ---- settings ------------------------------------------------------------------------

    def settings(self) -> dict[str, str]:
        """Stored settings (for example ``day_starts_at``), as text."""
        with self._read() as conn:
            return dict(conn.execute("SELECT key, value FROM settings").fetchall())

    def settings_of(self, *keys: str) -> dict[str, str]:
        """The stored settings among ``keys`` (one primary-key seek each)."""
        found: dict[str, str] = {}
        with self._read() as conn:
            for key in keys:
                row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
                if row is not None:
                    found[key] = row[0]
        return found

    def set_setting(self, key: str, value: str | None) -> None:
        """Store a setting; None deletes it."""
        with self._write() as conn:
            if value is None:
                conn.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
