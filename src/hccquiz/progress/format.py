"""The progress-log format: one row per review, versioned, documented in docs/cohort.md.

A log is a CSV file (RFC 4180, UTF-8, a header row, empty field for null) or a Parquet
file with the same columns. The first column is always ``format_version`` and every row
carries it, so a reader tells a newer log from a broken one before anything else; a
Parquet log also says it in its key-value metadata (`PARQUET_KEY`). ``seq`` (1 to
``log_rows`` on every row) lets a reader prove a log is complete. A change that a reader
of version 1 would misread bumps `FORMAT_VERSION`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "COLUMNS",
    "COLUMN_NAMES",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "PARQUET_KEY",
    "SUFFIXES",
    "Column",
    "duckdb_columns",
    "log_kind",
]

FORMAT_NAME = "hccquiz-progress"
"""The format's name, in docs and in Parquet metadata."""
FORMAT_VERSION = 1
"""The version this hccquiz writes, and the newest it reads."""
PARQUET_KEY = "hccquiz-progress-format"
"""Parquet key-value metadata key whose value is the format version."""
SUFFIXES = {".csv": "csv", ".parquet": "parquet"}
"""File suffixes and the encoding each one means."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name, its type (DuckDB's name for it) and what it holds."""

    name: str
    type: str
    doc: str


COLUMNS: tuple[Column, ...] = (
    Column("format_version", "INTEGER", "format version of this log; always the first column"),
    Column("trainee", "VARCHAR", "the trainee's pseudonym (their choice, else random)"),
    Column("seq", "INTEGER", "the review's place in this log, 1 to log_rows, oldest first"),
    Column("log_rows", "INTEGER", "how many reviews this log holds (a shorter file is cut)"),
    Column("app", "VARCHAR", "where the review was made: hccquiz or anki"),
    Column("scheduler", "VARCHAR", "what set the next due date: sm2, fsrs, anki-sm2, anki-fsrs"),
    Column("deck_id", "VARCHAR", "the deck's id"),
    Column("item_id", "VARCHAR", "the item's id in the deck"),
    Column("card", "INTEGER", "card number: 1, or the cloze deletion number"),
    Column("item_type", "VARCHAR", "basic, cloze or choice"),
    Column("content_hash", "VARCHAR", "hash of what the item showed (16 hex digits)"),
    Column("levels", "VARCHAR", 'the item\'s training levels, a JSON array ("resident")'),
    Column("kind", "VARCHAR", "study (the day's first grade), drill (a same-day repeat), quiz"),
    Column("card_state", "VARCHAR", "new (never graded before), learning (same day), review"),
    Column("grade", "INTEGER", "the quality recorded, 0-5 (Again 2, Hard 3, Good 4, Easy 5)"),
    Column("correct", "BOOLEAN", "picked = key where both are known (choice), else grade >= 3"),
    Column("answer_ms", "INTEGER", "time to answer, in milliseconds"),
    Column("reviewed_at", "TIMESTAMPTZ", "when, in UTC, truncated to the minute"),
    Column("day", "DATE", "the study day (it starts at 04:00 local time)"),
    Column("interval_days", "INTEGER", "the card's interval after the review, in days"),
    Column("due", "DATE", "the study day the card is due after the review (empty: new)"),
    Column("picked", "VARCHAR", "choice items: the options picked, a JSON array of their texts"),
    Column("options", "VARCHAR", "choice items: every option in the deck's order (JSON array)"),
    Column("key", "VARCHAR", "choice items: the right option(s), a JSON array"),
)
"""Every column of version 1, in file order."""
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
"""The header row."""


def duckdb_columns() -> dict[str, str]:
    """Column name -> DuckDB type, as DuckDB's ``read_csv(columns=...)`` takes them."""
    return {c.name: c.type for c in COLUMNS}


def log_kind(name: str) -> str | None:
    """``csv`` or ``parquet`` from a file name's suffix (any case); None for another."""
    lower = name.lower()
    for suffix, kind in SUFFIXES.items():
        if lower.endswith(suffix):
            return kind
    return None
