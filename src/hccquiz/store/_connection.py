"""The connection under `Store`: opening, file checks, migrations, transactions, settings."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Self

from ._errors import CorruptDatabase, NotHccquizDatabase, StoreBusy, StoreError
from ._files import inspect_file, resolve_db_path
from ._schema import APPLICATION_ID, MIGRATION_NAMES, MIGRATION_SET, build_migrations

if TYPE_CHECKING:
    from sqlite_utils import Migrations

__all__ = ["Connection", "utc_text"]


def utc_text(moment: datetime) -> str:
    """An aware datetime as UTC ISO 8601 text with milliseconds and a ``Z``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Connection:
    """One SQLite connection to an hccquiz database, with its transactions. See `Store`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, retry_seconds: float) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self._retry_seconds = retry_seconds
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
        migrations: Migrations | None = None,
    ) -> Self:
        """Open (creating if needed) the database at ``path``, ``$HCCQUIZ_DB`` or the default.

        A file that is not an hccquiz database, or is damaged, raises a `StoreError` and is
        not modified. Pending migrations are applied; an existing file is first copied to
        ``<name>.before-<migration>.bak``. ``durable`` (the default) syncs every commit to
        disk (``synchronous=FULL``); turn it off only for throwaway databases. With
        ``create=False`` a missing or empty file raises `StoreError` instead of being created.
        """
        path = resolve_db_path(path)
        kind = inspect_file(path)
        if kind != "ours" and not create:  # a read-only command never initialises a file
            raise StoreError(
                f"{path}: no progress database yet; run `hccquiz sync DECK...` to create it"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot open the database: {exc}") from None
        store = cls(path, conn, retry_seconds=retry_seconds)
        try:
            with store._guard():
                conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
                store._migrate(migrations, fresh=kind != "ours")
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        """Close the connection. Every write was already committed.

        A connection that wrote runs ``PRAGMA optimize`` first, as SQLite recommends for
        short-lived connections (it refreshes planner statistics only where they are
        stale); one that only read writes nothing.
        """
        with self._lock:
            if self._wrote:  # statistics are an optimisation: closing never fails over them
                with suppress(sqlite3.Error):
                    self._conn.execute("PRAGMA optimize")
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- transactions --------------------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn SQLite errors into one-line `StoreError`s."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise StoreBusy(
                    f"{self.path}: the database stayed locked by another process; try again"
                ) from None
            if "malformed" in text or "not a database" in text:
                raise self._corrupt(exc) from None
            raise StoreError(f"{self.path}: database error: {text}") from None
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError):
                raise StoreError(f"{self.path}: database error: {exc}") from None
            raise self._corrupt(exc) from None

    def _corrupt(self, exc: Exception) -> CorruptDatabase:
        return CorruptDatabase(
            f"{self.path}: the database is damaged ({exc}); restore a backup or move the file away"
        )

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction, retried while another writer holds the lock."""
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
