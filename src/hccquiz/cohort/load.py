"""Reading progress logs into DuckDB, and proving them whole before any figure is made.

The logs (CSV with the format's exact columns and types, Parquet by name) are scanned
three times, plus a filtered read of each log's first row (`hccquiz.cohort.scans`), and
never stored row by row, so millions of reviews fit in a small memory budget:

- ``logs``: one row per log (``log``, its number), from its first review: file name,
  trainee, app, scheduler;
- ``td``: one row per log and study day: reviews and the schedulers that set their due
  dates (the view ``days`` adds the log's trainee and app);
- ``qm``: one row per question (deck, item, card, content hash; numbered ``qid``): its
  type, levels, options and key, and answer times;
- ``tq``: one row per trainee and question, over the logs kept: the first answer, the
  first scheduled review, the first picks, the latest interval and due day, counts.

Logs are grouped by number (DuckDB's ``file_index``) and questions by ``qid``, never by
their text, which keeps the big aggregations on integers.

Every file must hold ``log_rows`` rows numbered 1 to ``log_rows`` in one format version,
and every value must be one the format allows; the first file that fails is named. When
a trainee's logs from one app were given more than once (weekly exports in one folder),
only the latest is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..progress.export import csv_reader, sql_text
from ..progress.format import COLUMN_NAMES, FORMAT_VERSION, PARQUET_KEY
from . import scans
from .inputs import CohortError, LogFile, newer_version

if TYPE_CHECKING:
    import duckdb

__all__ = ["Loaded", "load_logs"]


@dataclass(frozen=True, slots=True)
class Loaded:
    """What loading found: the logs used, the older logs left out, and the row count."""

    logs: tuple[str, ...]
    left_out: tuple[str, ...]
    reviews: int


def _one_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _select(logs: Sequence[LogFile], first: int = 0) -> str:
    """SQL reading `logs` (numbered from `first`, CSV then Parquet, each in the order
    given) with the format's columns, ``filename`` and ``log``."""
    csvs = [log.path for log in logs if log.kind == "csv"]
    parquets = [log.path for log in logs if log.kind == "parquet"]
    columns = ", ".join(COLUMN_NAMES)
    parts = []
    if csvs:
        parts.append(f"SELECT {columns}, filename, (file_index + {first})::INTEGER AS log "
                     f"FROM {csv_reader(csvs, filename=True)}")  # fmt: skip
    if parquets:
        files = ", ".join(sql_text(str(p)) for p in parquets)
        parts.append(
            f"SELECT {columns}, filename, (file_index + {first + len(csvs)})::INTEGER AS log "
            f"FROM read_parquet([{files}], filename = true, hive_partitioning = false)"
        )
    return " UNION ALL ".join(parts)


def _ordered(logs: Sequence[LogFile]) -> list[LogFile]:
    """`logs` in the order `_select` numbers them."""
    return [log for log in logs if log.kind == "csv"] + [
        log for log in logs if log.kind == "parquet"
    ]


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
    except Exception:  # duckdb.Error: a file that cannot be read is named by _locate
        return
    for path in parquets:
        version = versions.get(str(path))
        if version is None:
            raise CohortError(f"{path}: not an hccquiz progress log (no {PARQUET_KEY} metadata)")
        if not version.isdigit():
            raise CohortError(f"{path}: not an hccquiz progress log (format {version!r})")
        if int(version) > FORMAT_VERSION:
            raise newer_version(path, int(version))


def _locate(
    conn: duckdb.DuckDBPyConnection, logs: Sequence[LogFile], exc: Exception
) -> CohortError:
    """The error naming the first file that fails to load on its own (a Parquet log
    from a newer format is named as such first)."""
    _check_parquet_meta(conn, logs)
    for log in logs:
        try:
            conn.execute(f"SELECT count(*) FROM ({_select([log])})").fetchall()
        except Exception as each:  # duckdb.Error
            return CohortError(f"{log.path}: not a complete progress log: {_one_line(each)}")
    return CohortError(f"the logs could not be read: {_one_line(exc)}")


def _stage(conn: duckdb.DuckDBPyConnection, logs: Sequence[LogFile], staging: Path) -> str:
    """Parse the CSV logs once into one Parquet file in `staging`, so that each scan
    after reads columns, not text; the SQL reading every log from there on."""
    ordered = _ordered(logs)
    csvs = [log for log in ordered if log.kind == "csv"]
    if not csvs:
        return _select(ordered)
    staged = staging / "csv-logs.parquet"
    try:
        conn.execute(
            f"COPY ({_select(csvs)}) TO {sql_text(str(staged))} "
            "(FORMAT parquet, COMPRESSION lz4_raw)"
        )
    except Exception as exc:  # duckdb.Error, without importing duckdb at module level
        raise _locate(conn, logs, exc) from None
    parts = [f"SELECT * FROM read_parquet({sql_text(str(staged))})"]
    parquets = [log for log in ordered if log.kind == "parquet"]
    if parquets:
        parts.append(_select(parquets, first=len(csvs)))
    return " UNION ALL ".join(parts)


def load_logs(conn: duckdb.DuckDBPyConnection, logs: Sequence[LogFile], staging: Path) -> Loaded:
    """Scan `logs` into tables ``logs``, ``td``, ``qm`` and ``tq`` (see above), with CSV
    logs parsed once into a Parquet file in the folder `staging`; `CohortError` naming
    the file for anything incomplete or invalid."""
    ordered = _ordered(logs)
    source = _stage(conn, logs, staging)
    try:
        conn.execute(scans.TD.format(source=source))
        conn.execute(scans.LOGS.format(source=source))
    except Exception as exc:  # duckdb.Error, without importing duckdb at module level
        raise _locate(conn, logs, exc) from None
    missing = conn.execute(
        "SELECT min(log) FROM (SELECT DISTINCT log FROM td) WHERE log NOT IN (SELECT log FROM logs)"
    ).fetchone()
    if missing and missing[0] is not None:
        path = ordered[missing[0]].path
        raise CohortError(f"{path}: not a complete progress log: it has no review 1")
    _first_bad(conn, ordered, "SELECT min(bad) FROM td UNION ALL SELECT min(bad) FROM logs")
    left_out = _keep_latest(conn)
    if left_out:
        source = f"SELECT * FROM ({source}) WHERE log IN (SELECT log FROM logs)"
    (reviews,) = conn.execute("SELECT coalesce(sum(n), 0) FROM td").fetchone() or (0,)
    if reviews:
        conn.execute(scans.QM.format(source=source))
        conn.execute(scans.TQ.format(source=source))
        cursor = conn.execute(scans.FILES)
        names = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            info = dict(zip(names, row, strict=True))
            _check_file(str(ordered[info["log"]].path), info)
        _first_bad(conn, ordered, "SELECT min(bad) FROM qm UNION ALL SELECT min(bad) FROM by_log")
        conn.execute(scans.TRAINEE_QUESTIONS)
        _check_json(conn, [log for log in logs if str(log.path) not in left_out])
    conn.execute(
        "CREATE VIEW days AS SELECT td.log, td.day, td.n, l.trainee, l.app, td.schedulers "
        "FROM td JOIN logs l USING (log)"
    )
    used = [r[0] for r in conn.execute("SELECT filename FROM logs ORDER BY filename").fetchall()]
    return Loaded(tuple(used), left_out, int(reviews))


def _first_bad(conn: duckdb.DuckDBPyConnection, ordered: Sequence[LogFile], sql: str) -> None:
    """Raise the message of the first invalid row the scans recorded (``bad``), if any."""
    found = [r[0] for r in conn.execute(sql).fetchall() if r[0] is not None]
    if found:
        at = min(found)
        log, seq = divmod(at, 4294967296)
        _explain(conn, str(ordered[log].path), seq, ordered, scans.CHECKS)


def _check_json(conn: duckdb.DuckDBPyConnection, logs: Sequence[LogFile]) -> None:
    """The JSON values the report uses must parse; else name the first row that breaks."""
    invalid = conn.execute(
        "SELECT (SELECT count(*) FROM qm WHERE json_valid(levels) IS NOT TRUE "
        "OR json_valid(coalesce(options, '[]')) IS NOT TRUE "
        "OR json_valid(coalesce(key, '[]')) IS NOT TRUE) + "
        "(SELECT count(*) FROM tq WHERE json_valid(coalesce(picked, '[]')) IS NOT TRUE)"
    ).fetchone()
    if not invalid or not invalid[0]:
        return
    found = conn.execute(
        f"SELECT filename, min(seq) FROM ({_select(logs)}) WHERE {scans.JSON_CHECK} "
        "GROUP BY filename ORDER BY filename LIMIT 1"
    ).fetchone()
    assert found is not None
    message = "levels, picked, options or key is not a JSON array"
    _explain(conn, found[0], found[1], logs, ((scans.JSON_CHECK, message),))


def _check_file(name: str, info: dict[str, Any]) -> None:
    n = int(info["n"])
    if info["version_max"] > FORMAT_VERSION:
        raise newer_version(name, info["version_max"])
    if info["version_min"] != info["version_max"]:
        why = "rows of several trainees or format versions: logs were merged by hand"
        raise CohortError(f"{name}: not a complete progress log: {why}")
    whole = (
        info["rows_min"] == info["rows_max"] == n
        and info["seq_min"] == 1
        and info["seq_max"] == n
        and info["seq_sum"] == n * (n + 1) // 2
        and info["seq_squares"] == n * (n + 1) * (2 * n + 1) // 6
    )
    if not whole:
        why = (
            f"{n:,} row(s) but it says it has {info['rows_max']:,}"
            if info["rows_min"] == info["rows_max"] and info["seq_min"] == 1
            else "its rows are not numbered 1 to log_rows"
        )
        raise CohortError(
            f"{name}: not a complete progress log: {why}: it is cut short or was edited; "
            "export it again"
        )


def _explain(
    conn: duckdb.DuckDBPyConnection,
    filename: str,
    seq: int,
    logs: Sequence[LogFile],
    checks: Sequence[tuple[str, str]],
) -> None:
    """Raise the message for row `seq` of `filename`, the first that breaks a check."""
    log = next(log for log in logs if str(log.path) == filename)
    cursor = conn.execute(f"SELECT * FROM ({_select([log])}) WHERE seq = ?", [seq])
    row = cursor.fetchone()
    assert row is not None
    values = dict(zip([d[0] for d in cursor.description], row, strict=True))
    for condition, message in checks:
        failing = conn.execute(
            f"SELECT count(*) FROM ({_select([log])}) WHERE seq = ? AND ({condition}) IS NOT FALSE",
            [seq],
        ).fetchone()
        if failing and failing[0]:
            raise CohortError(f"{filename}: review {seq}: {message.format(**values)}")
    raise CohortError(f"{filename}: review {seq} is not valid")  # pragma: no cover


def _keep_latest(conn: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """Drop every log but the latest (last review, then most rows) of each trainee and app."""
    rows = conn.execute(
        "WITH sizes AS (SELECT log, max(last_ord) AS last, sum(n) AS n FROM td GROUP BY log), "
        "ranked AS (SELECT l.log, l.filename, row_number() OVER (PARTITION BY l.trainee, "
        "l.app ORDER BY s.last DESC, s.n DESC, l.filename DESC) AS r "
        "FROM logs l JOIN sizes s USING (log)) "
        "SELECT log, filename FROM ranked WHERE r > 1 ORDER BY filename"
    ).fetchall()
    if rows:
        dropped = [r[0] for r in rows]
        conn.execute("DELETE FROM td WHERE log IN (SELECT unnest(?))", [dropped])
        conn.execute("DELETE FROM logs WHERE log IN (SELECT unnest(?))", [dropped])
    return tuple(r[1] for r in rows)
