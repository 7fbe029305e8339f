"""Reading an Anki collection (``collection.anki2``), strictly read-only, on a copy.

The original is only ever read as bytes: it is copied (with its ``-wal`` file, where Anki
keeps its latest changes) into a private temporary folder, and SQLite opens the copy. So
Anki's lock is never taken, a running Anki is never disturbed, and the original file
stays byte-for-byte identical. A copy that changed while it was being made (Anki wrote
meanwhile) is made again.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ._errors import StoreError
from ._schema import APPLICATION_ID

__all__ = ["AnkiCollection", "AnkiReview", "NotAnkiCollection", "read_anki_collection"]

_MAGIC = b"SQLite format 3\x00"
_TABLES = {
    "col": {"id", "crt"},
    "notes": {"id", "guid", "mid"},
    "cards": {"id", "nid", "ord"},
    "revlog": {"id", "cid", "ease", "ivl", "lastIvl", "time", "type"},
}
_COPY_TRIES = 5


class NotAnkiCollection(StoreError):
    """The file is not an Anki collection (it was only read, never changed)."""


@dataclass(frozen=True, slots=True)
class AnkiReview:
    """One row of Anki's review log, with its card and note.

    ``revlog_id`` is the answer time in ms since the epoch; ``ease`` the button (1 Again to
    4 Easy; 0 for a manual reschedule); ``ivl`` the new interval (days, or seconds when
    negative); ``time_ms`` the answer time; ``type`` 0 learn, 1 review, 2 relearn,
    3 filtered, 4 manual, 5 rescheduled. ``guid``, ``ordinal`` and ``notetype_id`` are
    None when the card was deleted since.
    """

    revlog_id: int
    ease: int
    ivl: int
    time_ms: int
    type: int
    ordinal: int | None
    guid: str | None
    notetype_id: int | None


@dataclass(frozen=True, slots=True)
class AnkiCollection:
    """What the export needs from a collection: its day rollover, scheduler and reviews."""

    rollover_hour: int
    fsrs: bool
    reviews: tuple[AnkiReview, ...]


def read_anki_collection(path: str | os.PathLike[str]) -> AnkiCollection:
    """Read the review log of the Anki collection at `path` (a copy of it; see above).

    Raises `NotAnkiCollection` for anything that is not an Anki collection (another app's
    database, an hccquiz database, a file that is not SQLite), `StoreError` if it cannot
    be read.
    """
    source = Path(path)
    _check_header(source)
    with tempfile.TemporaryDirectory(prefix="hccquiz-anki-") as folder:
        copy = Path(folder) / "collection.anki2"
        _copy_stable(source, copy)
        try:
            conn = sqlite3.connect(copy, isolation_level=None)
        except sqlite3.Error as exc:  # pragma: no cover - a fresh private copy opens
            raise StoreError(f"{source}: cannot read the copy: {exc}") from None
        try:
            return _read(conn, source)
        except sqlite3.DatabaseError as exc:
            raise NotAnkiCollection(
                f"{source}: not a readable Anki collection ({exc}); it was left untouched"
            ) from None
        finally:
            conn.close()


def _check_header(source: Path) -> None:
    try:
        info = source.stat()
        if not stat.S_ISREG(info.st_mode):
            raise NotAnkiCollection(f"{source}: not a file; give the path of collection.anki2")
        with source.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        raise StoreError(f"{source}: no such file") from None
    except OSError as exc:
        raise StoreError(f"{source}: cannot read: {exc.strerror}") from None
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise NotAnkiCollection(
            f"{source}: not an Anki collection (not a SQLite database); give the "
            "collection.anki2 file from Anki's profile folder"
        )
    if int.from_bytes(header[68:72], "big") == APPLICATION_ID:
        raise NotAnkiCollection(
            f"{source}: this is an hccquiz progress database, not an Anki collection; "
            "export it with `hccquiz progress export --db PATH`"
        )


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_size, info.st_mtime_ns


def _copy_stable(source: Path, copy: Path) -> None:
    """Copy the collection and its WAL until a copy is made with neither changing."""
    wal = source.with_name(source.name + "-wal")
    for _ in range(_COPY_TRIES):
        before = (_signature(source), _signature(wal))
        try:
            shutil.copyfile(source, copy)
            if before[1] is not None:
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        except FileNotFoundError:
            continue  # the WAL was checkpointed away meanwhile: copy again
        except OSError as exc:
            raise StoreError(f"{source}: cannot copy the collection: {exc.strerror}") from None
        if (_signature(source), _signature(wal)) == before:
            return
        copy.with_name(copy.name + "-wal").unlink(missing_ok=True)
    raise StoreError(f"{source}: the collection kept changing while it was copied; close Anki")


def _read(conn: sqlite3.Connection, source: Path) -> AnkiCollection:
    columns: dict[str, set[str]] = {}
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        columns[table] = {row[1] for row in conn.execute(f"PRAGMA table_info('{table}')")}
    missing = [t for t, needed in _TABLES.items() if not needed <= columns.get(t, set())]
    if missing:
        raise NotAnkiCollection(
            f"{source}: not an Anki collection (an SQLite database without Anki's "
            f"{', '.join(missing)} tables: another app's file?); it was left untouched"
        )
    rollover: object = 4
    fsrs = False
    if "config" in columns:  # Anki 2.1.28 and later keep settings as rows of JSON values
        values = dict(conn.execute("SELECT KEY, val FROM config WHERE KEY IN ('rollover', 'fsrs')"))
        rollover = _json(values.get("rollover"), 4)
        fsrs = bool(_json(values.get("fsrs"), False))
    else:  # older collections: one JSON object in col.conf
        row = conn.execute("SELECT conf FROM col").fetchone()
        conf = _json(row[0] if row else None, {})
        if isinstance(conf, dict):
            rollover = conf.get("rollover", 4)
    if isinstance(rollover, bool) or not isinstance(rollover, int) or not 0 <= rollover <= 23:
        rollover = 4
    rows = conn.execute(
        "SELECT r.id, r.ease, r.ivl, r.time, r.type, c.ord, n.guid, n.mid "
        "FROM revlog r LEFT JOIN cards c ON c.id = r.cid LEFT JOIN notes n ON n.id = c.nid "
        "ORDER BY r.id"
    )
    reviews = tuple(AnkiReview(*row) for row in rows)
    return AnkiCollection(rollover, fsrs, reviews)


def _json(raw: bytes | str | None, default: object) -> object:
    if raw is None:
        return default
    try:
        return json.loads(raw)
    except (ValueError, TypeError):
        return default
