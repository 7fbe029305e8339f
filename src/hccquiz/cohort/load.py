"""Reading progress logs into DuckDB, and proving them whole before any figure is made.

The logs (CSV with the format's exact columns and types, Parquet by name) are scanned
three times and never stored row by row, so millions of reviews fit in a small memory
budget:

- ``logs``: one row per log (``log``, its number): file name, trainee, app, scheduler;
- ``td``: one row per log and study day: counts, and what proves a log whole (``seq`` 1
  to ``log_rows``, one trainee, one format version) and its first invalid row (the view
  ``days`` gives its counts with the log's trainee, app and scheduler);
- ``qm``: one row per question (deck, item, card, content hash; numbered ``qid``): its
  type, levels, options and key, and answer times;
- ``tq``: one row per trainee and question, over the logs kept: the first answer, the
  first scheduled review, the first picks, the latest interval and due day, counts.

Logs are grouped by number (DuckDB's ``file_index``) and questions by ``qid``, never by
their text, which keeps the big aggregations on integers.

Every file must hold ``log_rows`` rows numbered 1 to ``log_rows`` for one trainee in one
format version, and every value must be one the format allows; the first file that fails
is named. When a trainee's logs from one app were given more than once (weekly exports in
one folder), only the latest is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..grading import REVIEW_KINDS
from ..progress.export import csv_reader, sql_text
from ..progress.format import COLUMN_NAMES, FORMAT_VERSION, PARQUET_KEY
from .inputs import CohortError, LogFile, newer_version

if TYPE_CHECKING:
    import duckdb

__all__ = ["CHECKS", "JSON_CHECK", "Loaded", "load_logs"]

CHECKS = (
    ("format_version IS NULL OR format_version < 1",
     "format_version {format_version} is not valid"),
    ("trainee IS NULL OR deck_id IS NULL OR item_id IS NULL OR content_hash IS NULL "
     "OR card IS NULL OR reviewed_at IS NULL OR day IS NULL OR grade IS NULL OR seq IS NULL "
     "OR log_rows IS NULL OR correct IS NULL",
     "a required value is empty"),
    (f"kind NOT IN ({', '.join(sql_text(k) for k in REVIEW_KINDS)})", "kind {kind!r} is unknown"),
    ("card_state NOT IN ('new', 'learning', 'review')", "card_state {card_state!r} is unknown"),
    ("item_type NOT IN ('basic', 'cloze', 'choice')", "item_type {item_type!r} is unknown"),
    ("grade NOT BETWEEN 0 AND 5", "grade {grade} is not 0-5"),
    ("card < 1", "card {card} is not a card number"),
    ("app NOT IN ('hccquiz', 'anki')", "app {app!r} is unknown"),
    ("coalesce(answer_ms, 0) < 0", "answer_ms {answer_ms} is negative"),
)  # fmt: skip
"""What every row must satisfy: (SQL condition of a bad row, message)."""
JSON_CHECK = (
    "json_valid(levels) IS NOT TRUE OR json_valid(coalesce(picked, '[]')) IS NOT TRUE "
    "OR json_valid(coalesce(options, '[]')) IS NOT TRUE "
    "OR json_valid(coalesce(key, '[]')) IS NOT TRUE"
)
"""What the JSON values a report uses must satisfy (checked on the values kept, then
located in their file)."""

_ORD = "(epoch(reviewed_at)::BIGINT // 60) * 16777216 + seq"
_QUESTION = "deck_id, item_id, card, content_hash"

_LOGS = """
CREATE TABLE logs AS
SELECT log, any_value(filename) AS filename, any_value(trainee) AS trainee,
       any_value(app) AS app, any_value(scheduler) AS scheduler
FROM ({source}) WHERE seq = 1 GROUP BY log
"""

_TD = f"""
CREATE TABLE td AS
SELECT log, day,
       count(*) AS n,
       max({_ORD}) AS last_ord,
       sum(seq::HUGEINT) AS seq_sum,
       sum(seq::HUGEINT * seq) AS seq_squares,
       min(seq) AS seq_min,
       max(seq) AS seq_max,
       min(log_rows) AS rows_min,
       max(log_rows) AS rows_max,
       min(format_version) AS version_min,
       max(format_version) AS version_max,
       min(hash(trainee)) AS trainee_low,
       max(hash(trainee)) AS trainee_high,
       min(hash(app, scheduler)) AS app_low,
       max(hash(app, scheduler)) AS app_high,
       min(seq) FILTER (WHERE {{bad}}) AS bad_seq
FROM ({{source}})
GROUP BY log, day
"""

_QM = f"""
CREATE TABLE qm AS
SELECT {_QUESTION},
       any_value(item_type) AS item_type,
       arg_max(levels, ord) AS levels,
       arg_max(options, ord) FILTER (WHERE options IS NOT NULL) AS options,
       arg_max(key, ord) FILTER (WHERE key IS NOT NULL) AS key,
       count(*) AS reviews,
       min(ord) AS first_ord,
       max(ord) AS last_ord,
       avg(answer_ms) AS answer_ms_mean,
       median(answer_ms) AS answer_ms_median,
       (row_number() OVER ())::INTEGER AS qid
FROM (SELECT {_QUESTION}, item_type, levels, options, key, answer_ms, {_ORD} AS ord
      FROM ({{source}}))
GROUP BY ALL
"""

_TQ = f"""
CREATE TEMP TABLE by_log AS
SELECT log, qid,
       count(*) AS n,
       min(ord) AS first_ord,
       max(ord) AS last_ord,
       arg_min(correct, ord)::INTEGER AS x,
       arg_min(correct, ord) FILTER (WHERE kind = 'study' AND card_state = 'review')
           AS first_review_correct,
       min(ord) FILTER (WHERE kind = 'study' AND card_state = 'review') AS first_review_ord,
       arg_min(picked, ord) FILTER (WHERE picked IS NOT NULL) AS picked,
       min(ord) FILTER (WHERE picked IS NOT NULL) AS picked_ord,
       arg_max(interval_days, ord) AS last_interval,
       arg_max(due, ord) AS last_due,
       count(*) FILTER (WHERE kind = 'study') AS study,
       count(*) FILTER (WHERE kind = 'study' AND card_state = 'review') AS scheduled,
       count(*) FILTER (WHERE kind = 'study' AND card_state = 'review' AND correct) AS kept
FROM (SELECT s.*, q.qid, {_ORD} AS ord FROM ({{source}}) s JOIN qm q USING ({_QUESTION}))
GROUP BY log, qid;

CREATE TABLE tq AS
SELECT q.deck_id, q.item_id, q.card, q.content_hash, t.*
FROM (
    SELECT l.trainee, b.qid,
           sum(b.n) AS n,
           min(b.first_ord) AS first_ord,
           max(b.last_ord) AS last_ord,
           arg_min(b.x, b.first_ord) AS x,
           arg_min(b.first_review_correct, b.first_review_ord) AS first_review_correct,
           arg_min(b.picked, b.picked_ord) AS picked,
           arg_max(b.last_interval, b.last_ord) AS last_interval,
           arg_max(b.last_due, b.last_ord) AS last_due,
           sum(b.study) AS study, sum(b.scheduled) AS scheduled, sum(b.kept) AS kept
    FROM by_log b JOIN logs l USING (log)
    GROUP BY l.trainee, b.qid
) t JOIN qm q USING (qid);
DROP TABLE by_log;
"""

_FILES = """
SELECT td.log, l.filename, sum(n) AS n, min(rows_min) AS rows_min, max(rows_max) AS rows_max,
       sum(seq_sum) AS seq_sum, sum(seq_squares) AS seq_squares, min(seq_min) AS seq_min,
       max(seq_max) AS seq_max,
       min(trainee_low) = max(trainee_high) AND min(app_low) = max(app_high) AS one_trainee,
       min(version_min) AS version_min, max(version_max) AS version_max,
       min(bad_seq) AS bad_seq
FROM td LEFT JOIN logs l USING (log) GROUP BY td.log, l.filename ORDER BY td.log
"""


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
    """Scan `logs` into tables ``td``, ``tq`` and ``qm`` (see above), with CSV logs parsed
    once into a Parquet file in the folder `staging`; `CohortError` naming the file for
    anything incomplete or invalid."""
    bad = " OR ".join(f"({condition}) IS NOT FALSE" for condition, _ in CHECKS)
    source = _stage(conn, logs, staging)
    try:
        conn.execute(_TD.format(source=source, bad=bad))
        conn.execute(_LOGS.format(source=source))
    except Exception as exc:  # duckdb.Error
        raise _locate(conn, logs, exc) from None
    cursor = conn.execute(_FILES)
    names = [d[0] for d in cursor.description]
    files = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    ordered = _ordered(logs)
    for info in files:
        info["filename"] = info["filename"] or str(ordered[info["log"]].path)
        _check_file(info)
    for info in files:
        if info["bad_seq"] is not None:
            _explain(conn, info["filename"], info["bad_seq"], logs, CHECKS)
    left_out = _keep_latest(conn)
    kept = [log for log in logs if str(log.path) not in left_out]
    if left_out:
        source = f"SELECT * FROM ({source}) WHERE log IN (SELECT log FROM logs)"
    (reviews,) = conn.execute("SELECT coalesce(sum(n), 0) FROM td").fetchone() or (0,)
    if reviews:
        conn.execute(_QM.format(source=source))
        conn.execute(_TQ.format(source=source))
        _check_json(conn, kept)
    conn.execute(
        "CREATE VIEW days AS SELECT td.log, td.day, td.n, l.trainee, l.app, l.scheduler "
        "FROM td JOIN logs l USING (log)"
    )
    used = [r[0] for r in conn.execute("SELECT filename FROM logs ORDER BY filename").fetchall()]
    return Loaded(tuple(used), left_out, int(reviews))


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
        f"SELECT filename, min(seq) FROM ({_select(logs)}) WHERE {JSON_CHECK} "
        "GROUP BY filename ORDER BY filename LIMIT 1"
    ).fetchone()
    assert found is not None
    _explain(conn, found[0], found[1], logs, ((JSON_CHECK, "levels, picked, options or key "
                                               "is not a JSON array"),))  # fmt: skip


def _check_file(info: dict[str, Any]) -> None:
    name, n = info["filename"], int(info["n"])
    if info["version_max"] > FORMAT_VERSION:
        raise newer_version(name, info["version_max"])
    if not info["one_trainee"] or info["version_min"] != info["version_max"]:
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
