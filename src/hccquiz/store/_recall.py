"""FSRS's predicted recalls (``fsrs_recall``) and their sums per tenth (``fsrs_calibration``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

__all__ = ["bin_of", "forget_recalls", "record_recall"]


def bin_of(predicted: float) -> int:
    """The tenth of predicted recall a prediction falls in, 0-9 (1.0 in the last)."""
    return min(int(predicted * 10), 9)


def record_recall(conn: sqlite3.Connection, rows: Sequence[tuple[int, float, int]]) -> None:
    """Keep (review id, predicted recall, recalled 0/1) rows, and add them to the sums.

    Rows are inserted in the order given: give a large batch sorted by review id.
    """
    conn.executemany(
        "INSERT INTO fsrs_recall (review_id, predicted, recalled) VALUES (?, ?, ?)", rows
    )
    sums: dict[int, list[float]] = {}
    for _, predicted, recalled in rows:
        acc = sums.setdefault(bin_of(predicted), [0, 0.0, 0])
        acc[0] += 1
        acc[1] += predicted
        acc[2] += recalled
    conn.executemany(
        "UPDATE fsrs_calibration SET reviews = reviews + ?, predicted = predicted + ?, "
        "recalled = recalled + ? WHERE bin = ?",
        [(int(n), p, int(r), b) for b, (n, p, r) in sums.items()],
    )


def forget_recalls(conn: sqlite3.Connection) -> None:
    """Drop every prediction and zero the sums."""
    conn.execute("DELETE FROM fsrs_recall")
    conn.execute("UPDATE fsrs_calibration SET reviews = 0, predicted = 0, recalled = 0")
