"""Recovering a damaged database: every row that can still be read, into a new file.

`recover_database` copies every row it can read from a damaged file into a new database:
rows on damaged pages are skipped, and rows whose parent was lost (a card whose item is
gone, a review whose card is gone) are left out so that the new file is consistent. The
damaged file is only read (as ``immutable`` when no ``-wal`` is beside it, so that
nothing at all is made next to it).

The new file is made by the migrations, and some of them seed rows (the ten bins of
``fsrs_calibration``): the source's rows take their place, key for key, and a seeded row
the source lacks stays. Sums kept beside their rows are rebuilt from the rows recovered,
never copied: ``review_counts`` by triggers as reviews are inserted, ``fsrs_calibration``
from ``fsrs_recall`` (`_rebuild_calibration`), so they match what was recovered.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ._errors import StoreError
from ._files import connect_read_only
from ._recall import bin_of

__all__ = ["Recovery", "recover_database"]

_BATCH = 2000
_SKIPPED_TABLES = {"_sqlite_migrations", "review_counts", "sqlite_sequence"}


@dataclass
class Recovery:
    """What `recover_database` copied and what it had to leave out, per table."""

    copied: dict[str, int] = field(default_factory=dict)
    unreadable: dict[str, int] = field(default_factory=dict)
    """Stretches of rows that could not be read (one per damaged stretch skipped)."""
    orphaned: dict[str, int] = field(default_factory=dict)
    """Rows left out because a row they belong to was lost."""
    refused: dict[str, int] = field(default_factory=dict)
    """Rows left out because their values are garbage (a damaged page read as rows)."""

    @property
    def complete(self) -> bool:
        """True if every row was read and copied."""
        return not (self.unreadable or self.orphaned or self.refused)


def recover_database(source: Path, target: Path) -> Recovery:
    """Copy every readable row of the database `source` into a new database at `target`.

    `target` must not exist; it gets the current schema. Decks are marked for a fresh sync
    (``file_hash`` cleared), so items lost with a damaged page come back from the deck
    files at the next sync. Raises `StoreError` if `source` is unreadable altogether.
    """
    from ._connection import Connection

    if target.exists():
        raise StoreError(f"{target}: already exists; give a new file for the recovered data")
    try:
        src = connect_read_only(source, idle_immutable=True)
        src_tables = _tables(src)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{source}: nothing can be read ({exc}); restore a backup") from None
    report = Recovery()
    dest_store = Connection.open(target, durable=False)
    dest = dest_store._conn
    try:
        derived = _derived_tables(dest)
        for table in _in_parent_order(dest):
            if table in _SKIPPED_TABLES or table in derived or table not in src_tables:
                continue
            _copy_table(src, dest, table, report)
        if {"fsrs_recall", "fsrs_calibration"} <= _tables(dest):
            _rebuild_calibration(dest)
        if "decks" in _tables(dest):
            dest.execute("UPDATE decks SET file_hash = NULL")
    finally:
        src.close()
        dest_store.close()
    return report


def _rebuild_calibration(conn: sqlite3.Connection) -> None:
    """``fsrs_calibration``'s sums per tenth, from the ``fsrs_recall`` rows recovered
    (added in review order, as the store adds them)."""
    sums = {b: [0, 0.0, 0] for b in range(10)}
    rows = conn.execute("SELECT predicted, recalled FROM fsrs_recall ORDER BY review_id")
    for predicted, recalled in rows:
        acc = sums[bin_of(predicted)]
        acc[0] += 1
        acc[1] += predicted
        acc[2] += recalled
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO fsrs_calibration (bin, reviews, predicted, recalled) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (bin) DO UPDATE SET reviews = excluded.reviews, "
        "predicted = excluded.predicted, recalled = excluded.recalled",
        [(b, int(n), p, int(r)) for b, (n, p, r) in sums.items()],
    )
    conn.execute("COMMIT")


def _derived_tables(conn: sqlite3.Connection) -> set[str]:
    """Virtual tables (the FTS5 card search) and their shadow tables: triggers fill them
    from the rows copied, so they are never copied themselves."""
    virtual = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        )
    ]
    return {t for t in _tables(conn) if any(t == v or t.startswith(f"{v}_") for v in virtual)}


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _in_parent_order(conn: sqlite3.Connection) -> list[str]:
    """The tables of `conn`, each after the tables its foreign keys point to."""
    tables = sorted(_tables(conn))
    parents = {t: {r[2] for r in conn.execute(f"PRAGMA foreign_key_list('{t}')")} for t in tables}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= {*ordered, t}]
        ordered.extend(ready or [t for t in tables if t not in ordered])
    return ordered


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info('{table}')")]


def _key_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """``rowid`` for an ordinary table, the primary key of a WITHOUT ROWID one."""
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    if "WITHOUT ROWID" not in sql.upper():
        return ["rowid"]
    info = conn.execute(f"PRAGMA table_info('{table}')").fetchall()
    return [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5] > 0]


def _readable_rows(
    conn: sqlite3.Connection, table: str, columns: list[str], keys: list[str], report: Recovery
) -> Iterator[tuple[object, ...]]:
    """Every row of `table` that can be read, in key order, skipping damaged stretches:
    after an error the scan starts again past the last good key, further each time it
    fails again before reading a row."""
    key_list = ", ".join(keys)
    select = f"SELECT {key_list}, {', '.join(columns)} FROM '{table}'"
    after: tuple[object, ...] | None = None
    step = 1
    while True:
        progressed = False
        try:
            if after is None:
                cursor = conn.execute(f"{select} ORDER BY {key_list}")
            else:
                marks = ", ".join("?" * len(keys))
                cursor = conn.execute(
                    f"{select} WHERE ({key_list}) > ({marks}) ORDER BY {key_list}", after
                )
            for row in cursor:
                after, progressed = tuple(row[: len(keys)]), True
                yield tuple(row[len(keys) :])
            return
        except sqlite3.DatabaseError:
            report.unreadable[table] = report.unreadable.get(table, 0) + 1
            step = 1 if progressed else step * 2
            found = _next_readable_key(conn, table, keys[0], after, step)
            if found is None:
                return
            after = (found - 1, *([None] * (len(keys) - 1)))


def _next_readable_key(
    conn: sqlite3.Connection, table: str, key: str, after: tuple[object, ...] | None, step: int
) -> int | None:
    """The first key of `table` at least `step` past `after` that a seek can reach past
    the damage (probing further and further), or None."""
    first = after[0] if after else 0
    if not isinstance(first, int):
        return None
    while step < 1 << 62:
        try:
            row = conn.execute(
                f"SELECT {key} FROM '{table}' WHERE {key} >= ? ORDER BY {key} LIMIT 1",
                (first + step,),
            ).fetchone()
        except sqlite3.DatabaseError:
            step *= 2
            continue
        return None if row is None else int(row[0])
    return None


def _copy_table(
    src: sqlite3.Connection, dest: sqlite3.Connection, table: str, report: Recovery
) -> None:
    columns = [c for c in _columns(dest, table) if c in set(_columns(src, table))]
    if not columns:
        return
    parents = [
        (r[3], r[2], r[4])  # (column here, parent table, parent column)
        for r in dest.execute(f"PRAGMA foreign_key_list('{table}')")
    ]
    present = {
        (parent, col): {row[0] for row in dest.execute(f"SELECT {col} FROM '{parent}'")}
        for _, parent, col in parents
    }
    where = [(columns.index(here), present[(parent, col)]) for here, parent, col in parents]
    report.copied.setdefault(table, 0)
    insert = (
        f"INSERT INTO '{table}' ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    )
    if table == "reviews":  # the counts are kept by triggers: start them from zero
        dest.execute("UPDATE review_counts SET n = 0")
    seeded = _take_seeded_rows(dest, table, columns)
    batch: list[tuple[object, ...]] = []
    for row in _readable_rows(src, table, columns, _key_columns(src, table), report):
        if any(row[i] is not None and row[i] not in keys for i, keys in where):
            report.orphaned[table] = report.orphaned.get(table, 0) + 1
            continue
        batch.append(row)
        if len(batch) >= _BATCH:
            _insert(dest, insert, batch, table, report)
            batch = []
    _insert(dest, insert, batch, table, report)
    if seeded:  # the seeded rows the source did not have (by key) stay
        dest.execute("BEGIN")
        dest.executemany(insert.replace("INSERT INTO", "INSERT OR IGNORE INTO", 1), seeded)
        dest.execute("COMMIT")


def _take_seeded_rows(
    dest: sqlite3.Connection, table: str, columns: list[str]
) -> list[tuple[object, ...]]:
    """The rows the migrations put in `table` of the new file, taken out so that the
    source's rows can go in their place (a seeded row is not garbage to refuse)."""
    seeded = [tuple(r) for r in dest.execute(f"SELECT {', '.join(columns)} FROM '{table}'")]
    if seeded:
        dest.execute("BEGIN")
        dest.execute(f"DELETE FROM '{table}'")
        dest.execute("COMMIT")
    return seeded


def _insert(
    dest: sqlite3.Connection,
    insert: str,
    rows: list[tuple[object, ...]],
    table: str,
    report: Recovery,
) -> None:
    if not rows:
        return
    dest.execute("BEGIN")
    try:
        dest.executemany(insert, rows)
        dest.execute("COMMIT")
        report.copied[table] = report.copied.get(table, 0) + len(rows)
        return
    except sqlite3.DatabaseError:
        if dest.in_transaction:  # some errors end the transaction themselves
            dest.execute("ROLLBACK")
    for row in rows:  # a bad row spoils the batch: insert one by one
        try:
            dest.execute(insert, row)
            report.copied[table] = report.copied.get(table, 0) + 1
        except sqlite3.DatabaseError:
            report.refused[table] = report.refused.get(table, 0) + 1
