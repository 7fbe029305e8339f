"""Finding and checking the progress logs a cohort report reads, before DuckDB loads them.

LOGS are files, folders (every ``*.csv`` and ``*.parquet`` in them) or glob patterns.
Each file is looked at cheaply first: a CSV's header and first row (is it a progress log?
which format version?), a Parquet file's magic bytes at both ends (a cut file lacks its
footer). A log from a newer hccquiz is refused by name, never half-read.
"""

from __future__ import annotations

import csv
import glob
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import HccquizError
from ..progress.format import COLUMN_NAMES, FORMAT_NAME, FORMAT_VERSION, SUFFIXES, log_kind

__all__ = ["CohortError", "LogFile", "find_logs", "newer_version"]

_HEAD_BYTES = 64 * 1024
_PARQUET_MAGIC = b"PAR1"


class CohortError(HccquizError):
    """A cohort report that cannot be made; one line, and nothing was written."""


@dataclass(frozen=True, slots=True)
class LogFile:
    """A progress log to read: its path and encoding (``csv`` or ``parquet``)."""

    path: Path
    kind: str


def newer_version(path: Path | str, version: int) -> CohortError:
    """The error for a log written in a format version this hccquiz does not read."""
    return CohortError(
        f"{path}: written by a newer hccquiz ({FORMAT_NAME} format {version}; this one "
        f"reads up to {FORMAT_VERSION}): upgrade hccquiz to read it"
    )


def _expand(arg: str) -> list[Path]:
    path = Path(arg)
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if log_kind(p.name) and p.is_file())
        if not found:
            raise CohortError(f"{path}: no *.csv or *.parquet progress logs in this folder")
        return found
    if path.exists() or not glob.has_magic(arg):
        return [path]
    matched = sorted(Path(p) for p in glob.glob(arg) if log_kind(p))
    if not matched:
        raise CohortError(f"{arg}: no progress logs match this pattern")
    return matched


def find_logs(args: list[str]) -> list[LogFile]:
    """The log files named by `args`, each checked as described above; `CohortError`
    (naming the file) for the first that is not a readable progress log."""
    if not args:
        raise CohortError("no progress logs given: name the files (or a folder of them)")
    files = list(dict.fromkeys(p for arg in args for p in _expand(arg)))
    logs = []
    for path in files:
        kind = log_kind(path.name)
        if kind is None:
            known = " or ".join(SUFFIXES)
            raise CohortError(f"{path}: not a progress log (expected a {known} file)")
        try:
            info = path.stat()
        except FileNotFoundError:
            raise CohortError(f"{path}: no such file") from None
        except OSError as exc:
            raise CohortError(f"{path}: cannot read: {exc.strerror}") from None
        if not stat.S_ISREG(info.st_mode):
            raise CohortError(f"{path}: not a regular file")
        if kind == "csv":
            _check_csv(path)
        else:
            _check_parquet(path, info.st_size)
        logs.append(LogFile(path, kind))
    return logs


def _not_a_log(path: Path, why: str) -> CohortError:
    return CohortError(f"{path}: not an hccquiz progress log ({why})")


def _check_csv(path: Path) -> None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise CohortError(f"{path}: cannot read: {exc.strerror}") from None
    if head.startswith(b"SQLite format 3\x00"):
        raise _not_a_log(path, "an SQLite database: export it with `hccquiz progress export`")
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut by the read limit
            raise _not_a_log(path, "not UTF-8 text") from None
        text = head[: exc.start].decode("utf-8")
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if not header or header[0].lstrip("\ufeff") != "format_version":
        raise _not_a_log(path, "its first column is not format_version")
    first = next(rows, None)
    if first:
        try:
            version = int(first[0])
        except ValueError:
            raise _not_a_log(path, f"format_version {first[0]!r} is not a number") from None
        if version > FORMAT_VERSION:
            raise newer_version(path, version)
    if tuple(header) != COLUMN_NAMES:
        missing = [c for c in COLUMN_NAMES if c not in header]
        extra = [c for c in header if c not in COLUMN_NAMES]
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(extra)}" if extra else "",
            )
            if part
        )
        raise _not_a_log(path, f"its columns differ from format {FORMAT_VERSION}: "
                         f"{detail or 'in another order'}")  # fmt: skip


def _check_parquet(path: Path, size: int) -> None:
    try:
        with open(path, "rb") as handle:
            start = handle.read(4)
            if size >= 8:
                handle.seek(-4, os.SEEK_END)
            end = handle.read(4)
    except OSError as exc:
        raise CohortError(f"{path}: cannot read: {exc.strerror}") from None
    if start != _PARQUET_MAGIC:
        raise _not_a_log(path, "not a Parquet file")
    if size < 12 or end != _PARQUET_MAGIC:
        raise CohortError(f"{path}: the Parquet file is cut short (no footer); copy it again")
