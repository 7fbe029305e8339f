"""Writing a progress log: rows in the format of `hccquiz.progress.format`, to CSV or Parquet.

CSV is written by the standard library, straight from the store's batches. Parquet is
made by DuckDB from that CSV (written first to a private temporary folder), with the
format version in the file's key-value metadata. Either way the file appears whole or
not at all (`hccquiz.fileio.atomic_path`).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import HccquizError
from ..fileio import atomic_path
from .format import COLUMN_NAMES, FORMAT_VERSION, PARQUET_KEY, duckdb_columns, log_kind

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "ExportResult",
    "ProgressExportError",
    "csv_reader",
    "export_store",
    "sql_text",
    "write_csv_lines",
    "write_log",
]


class ProgressExportError(HccquizError):
    """A progress export that cannot be made; nothing was written."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What an export wrote: the file, its rows and pseudonym, and reviews left out."""

    path: Path
    rows: int
    trainee: str
    skipped: dict[str, int] = field(default_factory=dict)


def _check_target(out: Path) -> str:
    kind = log_kind(out.name)
    if kind is None:
        raise ProgressExportError(
            f"{out}: name the file .csv or .parquet (the suffix picks the format)"
        )
    return kind


def write_log(batches: Iterable[Sequence[Sequence[Any]]], out: Path) -> int:
    """Write rows (in `COLUMN_NAMES` order, given in batches) to `out`, CSV or Parquet by
    its suffix, atomically. Returns the number of rows written."""
    return _write(_from_rows(batches), out)


def write_csv_lines(lines: Iterable[Sequence[str]], out: Path) -> int:
    """Like `write_log`, for rows already written as CSV lines (batches of them, each
    line without its end)."""
    return _write(((len(batch), "".join(f"{line}\n" for line in batch)) for batch in lines), out)


def _from_rows(batches: Iterable[Sequence[Sequence[Any]]]) -> Iterator[tuple[int, str]]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(batch)
        yield len(batch), buffer.getvalue()


def _write(chunks: Iterable[tuple[int, str]], out: Path) -> int:
    kind = _check_target(out)
    if kind == "csv":
        with atomic_path(out) as tmp:
            return _write_csv(chunks, tmp)
    with tempfile.TemporaryDirectory(prefix="hccquiz-export-") as folder:
        staged = Path(folder) / "log.csv"
        rows = _write_csv(chunks, staged)
        with atomic_path(out) as tmp:
            _csv_to_parquet(staged, tmp)
    return rows


def _write_csv(chunks: Iterable[tuple[int, str]], path: Path) -> int:
    """The header, then each chunk of CSV text; the number of rows written."""
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(COLUMN_NAMES) + "\n")
        for count, text in chunks:
            handle.write(text)
            rows += count
    return rows


def _csv_to_parquet(source: Path, target: Path) -> None:
    from .duck import connect

    conn = connect()
    try:
        conn.execute(
            f"COPY (SELECT * FROM {csv_reader([source])}) TO {sql_text(str(target))} "
            f"(FORMAT parquet, COMPRESSION zstd, "
            f"KV_METADATA {{{sql_text(PARQUET_KEY)}: {sql_text(str(FORMAT_VERSION))}}})"
        )
    finally:
        conn.close()


def csv_reader(paths: Sequence[Path], *, filename: bool = False) -> str:
    """DuckDB's ``read_csv(...)`` call that reads progress logs with the format's exact
    columns and types (no sniffing: a file that does not fit is an error)."""
    columns = ", ".join(f"{sql_text(k)}: {sql_text(v)}" for k, v in duckdb_columns().items())
    files = ", ".join(sql_text(str(p)) for p in paths)
    return (
        f"read_csv([{files}], header = true, auto_detect = false, columns = {{{columns}}}, "
        "delim = ',', quote = '\"', escape = '\"', nullstr = '', strict_mode = true, "
        "hive_partitioning = false"
        f"{', filename = true' if filename else ''})"
    )


def sql_text(text: str) -> str:
    """`text` as a single-quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def export_store(store: Store, out: Path, *, trainee: str) -> ExportResult:
    """Write `store`'s whole review log to `out` as trainee `trainee`."""
    _check_target(out)
    constants = {
        "format_version": FORMAT_VERSION,
        "trainee": trainee,
        "app": "hccquiz",
    }
    rows = write_csv_lines(store.export_csv(COLUMN_NAMES, constants), out)
    return ExportResult(out, rows, trainee)
