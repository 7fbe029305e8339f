"""Loading progress logs into DuckDB, and proving them whole before any figure is made.

All the logs are read by one query into the table ``log`` (CSV with the format's exact
columns and types, Parquet by name). Then, in SQL: every file must hold ``log_rows``
rows numbered 1 to ``log_rows`` for one trainee in one format version, and every value
must be one the format allows. When a trainee's logs from one app were given more than
once (weekly exports in one folder), only the latest is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..grading import REVIEW_KINDS
from ..progress.export import csv_reader, sql_text
from ..progress.format import COLUMN_NAMES, FORMAT_VERSION, PARQUET_KEY
from .inputs import CohortError, LogFile, newer_version

if TYPE_CHECKING:
    import duckdb

__all__ = ["Loaded", "load_logs"]

_CHECKS = (
    ("format_version IS NULL OR format_version < 1",
     "format_version {format_version} is not valid"),
    ("trainee IS NULL OR deck_id IS NULL OR item_id IS NULL OR content_hash IS NULL "
     "OR card IS NULL OR reviewed_at IS NULL OR day IS NULL OR grade IS NULL",
     "a required value is empty"),
    (f"kind NOT IN ({', '.join(sql_text(k) for k in REVIEW_KINDS)})", "kind {kind!r} is unknown"),
    ("card_state NOT IN ('new', 'learning', 'review')", "card_state {card_state!r} is unknown"),
    ("item_type NOT IN ('basic', 'cloze', 'choice')", "item_type {item_type!r} is unknown"),
    ("grade NOT BETWEEN 0 AND 5", "grade {grade} is not 0-5"),
    ("card < 1", "card {card} is not a card number"),
    ("app NOT IN ('hccquiz', 'anki')", "app {app!r} is unknown"),
    ("answer_ms < 0", "answer_ms {answer_ms} is negative"),
    ("json_valid(levels) IS NOT TRUE OR json_valid(coalesce(picked, '[]')) IS NOT TRUE "
     "OR json_valid(coalesce(options, '[]')) IS NOT TRUE "
     "OR json_valid(coalesce(key, '[]')) IS NOT TRUE",
     "levels, picked, options or key is not a JSON array"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Loaded:
    """What loading found: the logs used, the older logs left out, and the row count."""

    logs: tuple[str, ...]
    left_out: tuple[str, ...]
    reviews: int


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _select(logs: Sequence[LogFile]) -> str:
    csvs = [log.path for log in logs if log.kind == "csv"]
    parquets = [log.path for log in logs if log.kind == "parquet"]
    columns = ", ".join(COLUMN_NAMES)
    parts = []
    if csvs:
        parts.append(f"SELECT {columns}, filename FROM {csv_reader(csvs, filename=True)}")
    if parquets:
        files = ", ".join(sql_text(str(p)) for p in parquets)
        parts.append(f"SELECT {columns}, filename FROM read_parquet([{files}], filename = true)")
    return " UNION ALL ".join(parts)


def _check_parquet_meta(conn: duckdb.DuckDBPyConnection, logs: Sequence[LogFile]) -> None:
    parquets = [log.path for log in logs if log.kind == "parquet"]
    if not parquets:
        return
    files = ", ".join(sql_text(str(p)) for p in parquets)
    try:
        versions = dict(
            conn.execute(
                f"SELECT file_name, decode(value) FROM parquet_kv_metadata([{files}]) "
                f"WHERE decode(key) = {sql_text(PARQUET_KEY)}"
            ).fetchall()
        )
        names = conn.execute(
            f"SELECT file_name, list(name) FROM parquet_schema([{files}]) "
            "WHERE num_children IS NULL GROUP BY file_name"
        ).fetchall()
    except Exception as exc:  # duckdb.Error, without importing duckdb at module level
        raise _locate(conn, logs, exc) from None
    columns = dict(names)
    for path in parquets:
        version = versions.get(str(path))
        if version is None:
            raise CohortError(f"{path}: not an hccquiz progress log (no {PARQUET_KEY} metadata)")
        if not version.isdigit():
            raise CohortError(f"{path}: not an hccquiz progress log (format {version!r})")
        if int(version) > FORMAT_VERSION:
            raise newer_version(path, int(version))
        if set(columns.get(str(path), [])) != set(COLUMN_NAMES):
            raise CohortError(f"{path}: not an hccquiz progress log (its columns differ)")


def _locate(
    conn: duckdb.DuckDBPyConnection, logs: Sequence[LogFile], exc: Exception
) -> CohortError:
    """The error naming the first file that fails to load on its own."""
    for log in logs:
        try:
            conn.execute(f"SELECT count(*) FROM ({_select([log])})").fetchall()
        except Exception as each:  # duckdb.Error
            return CohortError(f"{log.path}: not a complete progress log: {_one_line(each)}")
    return CohortError(f"the logs could not be read: {_one_line(exc)}")


def load_logs(conn: duckdb.DuckDBPyConnection, logs: Sequence[LogFile]) -> Loaded:
    """Load `logs` into table ``log`` (the format's columns, ``filename`` and ``ord``, an
    order key: the minute, then the place in the log); `CohortError` naming the file for
    anything incomplete or invalid."""
    _check_parquet_meta(conn, logs)
    try:
        conn.execute(
            "CREATE TABLE log AS SELECT *, "
            "(epoch(reviewed_at)::BIGINT // 60) * 16777216 + seq AS ord "
            f"FROM ({_select(logs)})"
        )
    except Exception as exc:  # duckdb.Error
        raise _locate(conn, logs, exc) from None
    bad = conn.execute(
        "SELECT filename, count(*), min(log_rows), max(log_rows), count(DISTINCT seq), "
        "min(seq), max(seq), count(DISTINCT trainee), count(DISTINCT format_version), "
        "max(format_version) FROM log GROUP BY filename "
        "HAVING NOT (count(*) = min(log_rows) AND min(log_rows) = max(log_rows) "
        "AND count(DISTINCT seq) = count(*) AND min(seq) = 1 AND max(seq) = count(*) "
        "AND count(DISTINCT trainee) = 1 AND count(DISTINCT format_version) = 1 "
        f"AND max(format_version) <= {FORMAT_VERSION}) LIMIT 1"
    ).fetchone()
    if bad:
        name, rows, low, high, seqs, _, _, trainees, versions, version = bad
        if version > FORMAT_VERSION:
            raise newer_version(name, version)
        if trainees != 1 or versions != 1:
            why = "rows of several trainees or format versions: logs were merged by hand"
        else:
            why = (
                f"{rows:,} row(s) but it says it has {high:,}"
                if low == high and seqs == rows
                else "its rows are not numbered 1 to log_rows"
            ) + ": it is cut short or was edited; export it again"
        raise CohortError(f"{name}: not a complete progress log: {why}")
    for condition, message in _CHECKS:
        cursor = conn.execute(f"SELECT * FROM log WHERE {condition} LIMIT 1")
        row = cursor.fetchone()
        if row:
            values = dict(zip([d[0] for d in cursor.description], row, strict=True))
            raise CohortError(
                f"{values['filename']}: review {values['seq']}: {message.format(**values)}"
            )
    left_out = _keep_latest(conn)
    (reviews,) = conn.execute("SELECT count(*) FROM log").fetchone() or (0,)
    used = [r[0] for r in conn.execute("SELECT DISTINCT filename FROM log ORDER BY 1").fetchall()]
    return Loaded(tuple(used), left_out, reviews)


def _keep_latest(conn: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """Drop every log but the latest (last review, then most rows) of each trainee and app."""
    rows = conn.execute(
        "WITH logs AS (SELECT filename, trainee, app, max(ord) AS last, count(*) AS n "
        "FROM log GROUP BY ALL), ranked AS (SELECT *, row_number() OVER "
        "(PARTITION BY trainee, app ORDER BY last DESC, n DESC, filename DESC) AS r FROM logs) "
        "SELECT filename FROM ranked WHERE r > 1 ORDER BY filename"
    ).fetchall()
    left_out = tuple(r[0] for r in rows)
    if left_out:
        conn.execute("DELETE FROM log WHERE filename IN (SELECT unnest(?))", [list(left_out)])
    return left_out
