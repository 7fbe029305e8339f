"""The append-only review log: recording a grade, undoing it, reading history."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime

from ..grading import REVIEW_KINDS, ReviewKind, check_quality
from ._connection import Connection, utc_text
from ._errors import StaleCard, StoreError
from ._records import ReviewRecord, Schedule
from ._rows import REVIEW_SQL, due_text, review_record, schedule_of

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
        picked: Sequence[str] | None = None,
    ) -> ReviewRecord:
        """Log one graded answer and, for ``study``, move the card to ``after``. One commit.

        ``before`` must be the card's stored schedule (else `StaleCard`: someone else graded
        it). A ``study`` grade must be the card's first of ``day``; ``drill`` and ``quiz``
        grades must leave the schedule as it is (``after == before``). ``picked`` is the
        options a choice answer picked (their texts), kept for item analysis.
        """
        check_quality(quality)
        if kind not in REVIEW_KINDS:
            raise ValueError(f"kind must be one of {', '.join(REVIEW_KINDS)}, not {kind!r}")
        if kind != "study" and after != before:
            raise ValueError(f"a {kind} grade cannot change the schedule")
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
                "SELECT c.repetitions, c.ef100, c.interval, c.due, c.changed, i.content_hash "
                "FROM cards c JOIN items i ON i.id = c.item_id WHERE c.id = ?",
                (card_id,),
            ).fetchone()
            if row is None:
                raise StoreError(f"no card {card_id}")
            if schedule_of(*row[:4]) != before:
                raise StaleCard(f"card {card_id} was graded elsewhere; it is reloaded")
            if (
                kind == "study"
                and conn.execute(
                    "SELECT 1 FROM reviews WHERE card_id = ? AND day = ? AND kind = 'study'",
                    (card_id, day_text),
                ).fetchone()
            ):
                raise StaleCard(f"card {card_id} already had its study grade on {day_text}")
            a, b = after.state, before.state
            cur = conn.execute(
                "INSERT INTO reviews (card_id, reviewed_at, day, kind, quality, answer_ms, "
                "repetitions_before, ef100_before, interval_before, due_before, changed_before, "
                "repetitions_after, ef100_after, interval_after, due_after, content_hash, picked) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    card_id,
                    at,
                    day_text,
                    kind,
                    quality,
                    answer_ms,
                    b.repetitions,
                    b.ef100,
                    b.interval,
                    due_text(before),
                    row[4],
                    a.repetitions,
                    a.ef100,
                    a.interval,
                    due_text(after),
                    row[5],
                    picked_json,
                ),
            )
            if kind == "study":
                conn.execute(
                    "UPDATE cards SET repetitions = ?, ef100 = ?, interval = ?, due = ?, "
                    "changed = 0 WHERE id = ?",
                    (a.repetitions, a.ef100, a.interval, due_text(after), card_id),
                )
            review_id = cur.lastrowid
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
            bool(row[4]),
            row[5],
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
                "SELECT repetitions, ef100, interval, due FROM cards WHERE id = ?",
                (record.card_id,),
            ).fetchone()
            if later or schedule_of(*card) != record.after:
                raise StaleCard(f"card {record.card_id} changed after review {review_id}")
            if record.kind == "study":
                b = record.before.state
                conn.execute(
                    "UPDATE cards SET repetitions = ?, ef100 = ?, interval = ?, due = ?, "
                    "changed = ? WHERE id = ?",
                    (
                        b.repetitions,
                        b.ef100,
                        b.interval,
                        due_text(record.before),
                        int(record.changed_before),
                        record.card_id,
                    ),
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
