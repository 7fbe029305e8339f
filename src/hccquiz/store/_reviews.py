"""The append-only review log: recording a grade, undoing it, reading history."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

from ..grading import PASS, REVIEW_KINDS, ReviewKind, check_quality
from ..scheduling_choices import SchedulerName, check_scheduler_name
from ._connection import Connection, utc_text
from ._errors import StaleCard, StoreError
from ._recall import record_recall
from ._records import ReviewRecord, Schedule
from ._rows import (
    REVIEW_SQL,
    SCHEDULE_COLUMNS,
    memory_json,
    review_record,
    schedule_of,
    schedule_values,
)

_SET_SCHEDULE = ", ".join(f"{c} = ?" for c in SCHEDULE_COLUMNS.split(", "))

__all__ = ["ReviewLog"]


class ReviewLog(Connection):
    """The review half of `Store`: the log of graded answers."""

    def record_review(
        self,
        card_id: int,
        *,
        kind: ReviewKind,
        quality: int,
        reviewed_at: datetime,
        day: date,
        before: Schedule,
        after: Schedule,
        answer_ms: int | None = None,
        scheduler: SchedulerName = "sm2",
        predicted: float | None = None,
        picked: Sequence[str] | None = None,
    ) -> ReviewRecord:
        """Log one graded answer and move the card to ``after``. One commit.

        ``before`` must be the card's stored schedule (else `StaleCard`: someone else graded
        it). A ``study`` grade must be the card's first of ``day``; a ``drill`` grade never
        changes the SM-2 state (under FSRS it moves the memory and may set the due date);
        a ``quiz`` grade leaves the schedule as it is (``after == before``). ``scheduler``
        names the scheduler that set ``after``; ``predicted`` is the recall FSRS predicted
        for a first-of-day review of a seen card, kept for the calibration table. ``picked``
        is the options a choice answer picked (their texts), kept for item analysis.
        """
        check_quality(quality)
        check_scheduler_name(scheduler)
        if kind not in REVIEW_KINDS:
            raise ValueError(f"kind must be one of {', '.join(REVIEW_KINDS)}, not {kind!r}")
        if kind == "quiz" and after != before:
            raise ValueError("a quiz grade cannot change the schedule")
        if kind == "drill" and after.state != before.state:
            raise ValueError("a drill grade cannot change the SM-2 state")
        if predicted is not None and not 0.0 <= predicted <= 1.0:
            raise ValueError(f"predicted recall must be from 0 to 1, not {predicted!r}")
        if answer_ms is not None and (isinstance(answer_ms, bool) or answer_ms < 0):
            raise ValueError(f"answer_ms must be an int >= 0, not {answer_ms!r}")
        if picked is not None and (
            isinstance(picked, str) or not all(isinstance(p, str) for p in picked)
        ):
            raise ValueError(f"picked must be a sequence of option texts, not {picked!r}")
        picked_json = None if picked is None else json.dumps(list(picked), ensure_ascii=False)
        at, day_text = utc_text(reviewed_at), day.isoformat()
        with self._write() as conn:
            row = conn.execute(
                f"SELECT c.changed, i.content_hash, {SCHEDULE_COLUMNS} "
                "FROM cards c JOIN items i ON i.id = c.item_id WHERE c.id = ?",
                (card_id,),
            ).fetchone()
            if row is None:
                raise StoreError(f"no card {card_id}")
            if schedule_of(row[2:]) != before:
                raise StaleCard(f"card {card_id} was graded elsewhere; it is reloaded")
            if (
                kind == "study"
                and conn.execute(
                    "SELECT 1 FROM reviews WHERE card_id = ? AND day = ? AND kind = 'study'",
                    (card_id, day_text),
                ).fetchone()
            ):
                raise StaleCard(f"card {card_id} already had its study grade on {day_text}")
            b, a = schedule_values(before), schedule_values(after)
            cur = conn.execute(
                "INSERT INTO reviews (card_id, reviewed_at, day, kind, quality, answer_ms, "
                "changed_before, content_hash, scheduler, "
                "repetitions_before, ef100_before, interval_before, due_before, memory_before, "
                "due_at_before, repetitions_after, ef100_after, interval_after, due_after, "
                "memory_after, due_at_after, picked) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    card_id,
                    at,
                    day_text,
                    kind,
                    quality,
                    answer_ms,
                    row[0],
                    row[1],
                    scheduler,
                    *b[:4],
                    memory_json(before),
                    b[9],
                    *a[:4],
                    memory_json(after),
                    a[9],
                    picked_json,
                ),
            )
            review_id = cur.lastrowid
            if kind == "study":
                conn.execute(
                    f"UPDATE cards SET {_SET_SCHEDULE}, changed = 0 WHERE id = ?", (*a, card_id)
                )
            elif after != before:
                conn.execute(f"UPDATE cards SET {_SET_SCHEDULE} WHERE id = ?", (*a, card_id))
            if predicted is not None:
                record_recall(conn, [(review_id or 0, predicted, int(quality >= PASS))])
        return ReviewRecord(
            review_id or 0,
            card_id,
            at,
            day,
            kind,
            quality,
            answer_ms,
            before,
            after,
            bool(row[0]),
            row[1],
            scheduler,
            None if picked is None else tuple(picked),
        )

    def undo_review(self, review_id: int) -> ReviewRecord:
        """Delete a card's latest review and put the card back exactly as it was before it.

        Raises `StaleCard` if the card has a later review or was changed since.
        """
        with self._write() as conn:
            row = conn.execute(REVIEW_SQL + "WHERE id = ?", (review_id,)).fetchone()
            if row is None:
                raise StaleCard(f"review {review_id} is not in the log (already undone?)")
            record = review_record(row)
            later = conn.execute(
                "SELECT 1 FROM reviews WHERE card_id = ? AND id > ?", (record.card_id, review_id)
            ).fetchone()
            card = conn.execute(
                f"SELECT {SCHEDULE_COLUMNS} FROM cards WHERE id = ?", (record.card_id,)
            ).fetchone()
            if later or schedule_of(card) != record.after:
                raise StaleCard(f"card {record.card_id} changed after review {review_id}")
            before = schedule_values(record.before)
            if record.kind == "study":
                conn.execute(
                    f"UPDATE cards SET {_SET_SCHEDULE}, changed = ? WHERE id = ?",
                    (*before, int(record.changed_before), record.card_id),
                )
            elif record.before != record.after:
                conn.execute(
                    f"UPDATE cards SET {_SET_SCHEDULE} WHERE id = ?", (*before, record.card_id)
                )
            conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
        return record

    def reviews(self, card_id: int | None = None) -> list[ReviewRecord]:
        """The review log, oldest first; one card's history if ``card_id`` is given."""
        with self._read() as conn:
            if card_id is None:
                rows = conn.execute(REVIEW_SQL + "ORDER BY id")
            else:
                rows = conn.execute(REVIEW_SQL + "WHERE card_id = ? ORDER BY id", (card_id,))
            return [review_record(r) for r in rows]

    def review_days(self, first: date, last: date) -> set[date]:
        """Study days from ``first`` to ``last`` (inclusive) with at least one review."""
        # a loose index scan: one index seek per distinct day, however many reviews it has
        sql = """
            WITH RECURSIVE days(day) AS (
                SELECT max(day) FROM reviews WHERE day <= :last
                UNION ALL
                SELECT (SELECT max(day) FROM reviews WHERE day < days.day) FROM days
                WHERE days.day > :first
            )
            SELECT day FROM days WHERE day >= :first"""
        with self._read() as conn:
            rows = conn.execute(sql, {"first": first.isoformat(), "last": last.isoformat()})
            return {date.fromisoformat(r[0]) for r in rows if r[0] is not None}

    def reviews_per_day(self, first: date, last: date) -> dict[date, int]:
        """Reviews of every kind on each study day from ``first`` to ``last`` with any."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT day, COUNT(*) FROM reviews WHERE day BETWEEN ? AND ? GROUP BY day",
                (first.isoformat(), last.isoformat()),
            )
            return {date.fromisoformat(day): count for day, count in rows}
