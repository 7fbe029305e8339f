"""`Store`: decks, cards, queues and the review log, on top of `Connection`."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..sm2 import SM2State, check_quality
from ._base import Connection, utc_text
from ._records import (
    CardFilter,
    CardRecord,
    DeckSync,
    ReviewKind,
    ReviewRecord,
    Schedule,
    StaleCard,
    StatsFigures,
    StoreError,
)
from ._schema import MIGRATION_SET

__all__ = ["Store"]

_KINDS = ("study", "drill", "quiz")
_CARD_SQL = """
SELECT c.id, i.deck_id, i.key, i.id, c.number, i.type, t.content, i.content_hash, i.levels,
       i.tags, c.repetitions, c.ef100, c.interval, c.due, c.suspended,
       c.retired OR i.retired, c.changed
FROM cards c JOIN items i ON i.id = c.item_id JOIN item_content t ON t.item_id = i.id
"""
_REVIEW_SQL = """
SELECT id, card_id, reviewed_at, day, kind, quality, answer_ms,
       repetitions_before, ef100_before, interval_before, due_before,
       repetitions_after, ef100_after, interval_after, due_after, changed_before, content_hash
FROM reviews
"""
_ACTIVE = "c.retired = 0 AND i.retired = 0"
_ORDER = "d.position, i.position, c.number"


def _schedule(reps: int, ef100: int, interval: int, due: str | None) -> Schedule:
    return Schedule(
        SM2State.from_ef100(reps, ef100, interval), date.fromisoformat(due) if due else None
    )


def _due_text(schedule: Schedule) -> str | None:
    return schedule.due.isoformat() if schedule.due else None


def _card(row: tuple[Any, ...]) -> CardRecord:
    levels, tags = json.loads(row[8]), json.loads(row[9])
    return CardRecord(
        id=row[0],
        deck_id=row[1],
        item_id=row[2],
        item_pk=row[3],
        number=row[4],
        item_type=row[5],
        content={**json.loads(row[6]), "id": row[2], "levels": levels, "tags": tags},
        content_hash=row[7],
        levels=tuple(levels),
        tags=tuple(tags),
        schedule=_schedule(row[10], row[11], row[12], row[13]),
        suspended=bool(row[14]),
        retired=bool(row[15]),
        changed=bool(row[16]),
    )


def _review(row: tuple[Any, ...]) -> ReviewRecord:
    return ReviewRecord(
        id=row[0],
        card_id=row[1],
        reviewed_at=row[2],
        day=date.fromisoformat(row[3]),
        kind=row[4],
        quality=row[5],
        answer_ms=row[6],
        before=_schedule(*row[7:11]),
        after=_schedule(*row[11:15]),
        changed_before=bool(row[15]),
        content_hash=row[16],
    )


def _filter_sql(filt: CardFilter | None) -> tuple[str, list[Any]]:
    """SQL conditions (on aliases ``i`` for items) and parameters for a card filter."""
    if filt is None:
        return "", []
    clauses, params = [], []
    if filt.decks:
        clauses.append(f"i.deck_id IN ({','.join('?' * len(filt.decks))})")
        params.extend(filt.decks)
    for table, column, values in (
        ("item_levels", "level", filt.levels),
        ("item_tags", "tag", filt.tags),
    ):
        if values:
            clauses.append(
                f"EXISTS (SELECT 1 FROM {table} f WHERE f.item_id = i.id "
                f"AND f.{column} IN ({','.join('?' * len(values))}))"
            )
            params.extend(str(v) for v in values)
    return "".join(f" AND {c}" for c in clauses), params


class Store(Connection):
    """The progress database: decks, items, cards and the append-only review log.

    Open with `Store.open`; use as a context manager or call `close`. Every write is one
    ``BEGIN IMMEDIATE`` transaction that is committed before the method returns; a busy
    database is waited for (busy timeout, then retries) rather than failing. A store may be
    shared between threads: calls are serialised by a lock.
    """

    # ---- sync ----------------------------------------------------------------------------

    def sync(self, paths: Sequence[str | os.PathLike[str]], *, now: datetime) -> list[DeckSync]:
        """Sync deck files in one transaction; see `hccquiz.store._sync.sync`."""
        from ._sync import sync

        return sync(self, [Path(p) for p in paths], now=now)

    def deck_ids(self) -> list[str]:
        """Ids of every synced deck, in the order they were first synced."""
        with self._read() as conn:
            return [r[0] for r in conn.execute("SELECT id FROM decks ORDER BY position")]

    def deck_titles(self) -> dict[str, str]:
        """Title of every synced deck by id, in the order they were first synced."""
        with self._read() as conn:
            return dict(conn.execute("SELECT id, title FROM decks ORDER BY position"))

    # ---- cards ---------------------------------------------------------------------------

    def card(self, card_id: int) -> CardRecord:
        """One card with its item; `StoreError` if there is no such card."""
        with self._read() as conn:
            row = conn.execute(_CARD_SQL + "WHERE c.id = ?", (card_id,)).fetchone()
        if row is None:
            raise StoreError(f"no card {card_id}")
        return _card(row)

    def cards(self, card_ids: Sequence[int]) -> list[CardRecord]:
        """Several cards, in the order asked for (unknown ids are left out)."""
        found: dict[int, CardRecord] = {}
        with self._read() as conn:
            for start in range(0, len(card_ids), 500):
                chunk = list(card_ids[start : start + 500])
                sql = _CARD_SQL + f"WHERE c.id IN ({','.join('?' * len(chunk))})"
                found.update((r[0], _card(r)) for r in conn.execute(sql, chunk))
        return [found[i] for i in card_ids if i in found]

    def card_ids(
        self, filt: CardFilter | None = None, *, include_suspended: bool = True
    ) -> list[int]:
        """Active (not retired) cards matching ``filt``, in deck order."""
        where, params = _filter_sql(filt)
        if not include_suspended:
            where += " AND c.suspended = 0"
        sql = (
            "SELECT c.id FROM cards c JOIN items i ON i.id = c.item_id JOIN decks d "
            f"ON d.id = i.deck_id WHERE {_ACTIVE}{where} ORDER BY {_ORDER}"
        )
        with self._read() as conn:
            return [r[0] for r in conn.execute(sql, params)]

    def quiz_pool(
        self, filt: CardFilter | None = None, *, include_new: bool = True
    ) -> list[tuple[int, int]]:
        """(item row id, card id) of active, unsuspended cards matching ``filt``, in deck order."""
        where, params = _filter_sql(filt)
        if not include_new:
            where += " AND c.due IS NOT NULL"
        sql = (
            "SELECT i.id, c.id FROM cards c JOIN items i ON i.id = c.item_id JOIN decks d "
            f"ON d.id = i.deck_id WHERE c.suspended = 0 AND {_ACTIVE}{where} ORDER BY {_ORDER}"
        )
        with self._read() as conn:
            return [(r[0], r[1]) for r in conn.execute(sql, params)]

    def due_card_ids(self, today: date, filt: CardFilter | None, limit: int) -> list[int]:
        """Cards due on or before ``today``, most overdue first, then in deck order."""
        where, params = _filter_sql(filt)
        sql = (
            "SELECT c.id FROM cards c JOIN items i ON i.id = c.item_id JOIN decks d "
            f"ON d.id = i.deck_id WHERE c.due <= ? AND c.suspended = 0 AND {_ACTIVE}{where} "
            f"ORDER BY c.due, {_ORDER} LIMIT ?"
        )
        with self._read() as conn:
            return [r[0] for r in conn.execute(sql, [today.isoformat(), *params, max(limit, 0)])]

    def new_card_ids(
        self, filt: CardFilter | None, limit: int, *, bury_on: date | None = None
    ) -> list[int]:
        """New cards (never studied), in deck order.

        With ``bury_on`` (a study day), siblings are buried as Anki does: one new card per
        item, and none of an item that has a card due, or studied, on that day; the others
        wait for a later day, so one cloze deletion never gives another's answer away.
        """
        where, params = _filter_sql(filt)
        bury, bury_params = "", []
        if bury_on is not None:
            bury = (
                " AND c.number = (SELECT min(s.number) FROM cards s WHERE s.item_id = c.item_id"
                " AND s.due IS NULL AND s.suspended = 0 AND s.retired = 0)"
                " AND NOT EXISTS (SELECT 1 FROM cards s WHERE s.item_id = c.item_id"
                " AND s.due IS NOT NULL AND s.retired = 0 AND s.suspended = 0 AND s.due <= ?)"
                " AND NOT EXISTS (SELECT 1 FROM cards s JOIN reviews r ON r.card_id = s.id"
                " WHERE s.item_id = c.item_id AND r.day = ? AND r.kind = 'study')"
            )
            bury_params = [bury_on.isoformat(), bury_on.isoformat()]
        sql = (
            "SELECT c.id FROM cards c JOIN items i ON i.id = c.item_id JOIN decks d "
            f"ON d.id = i.deck_id WHERE c.due IS NULL AND c.suspended = 0 AND {_ACTIVE}{where}"
            f"{bury} ORDER BY {_ORDER} LIMIT ?"
        )
        with self._read() as conn:
            return [r[0] for r in conn.execute(sql, [*params, *bury_params, max(limit, 0)])]

    def studied_on(self, day: date) -> tuple[int, int]:
        """(new cards introduced, reviews of seen cards) by study grades on ``day``."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT coalesce(sum(due_before IS NULL), 0), "
                "coalesce(sum(due_before IS NOT NULL), 0) "
                "FROM reviews WHERE day = ? AND kind = 'study'",
                (day.isoformat(),),
            ).fetchone()
        return row[0], row[1]

    def drill_card_ids(self, day: date, filt: CardFilter | None = None) -> list[int]:
        """Cards studied on ``day`` whose latest study or drill grade that day is below 4."""
        where, params = _filter_sql(filt)
        sql = f"""
            SELECT r.card_id FROM reviews r
            JOIN cards c ON c.id = r.card_id JOIN items i ON i.id = c.item_id
            WHERE r.id IN (SELECT max(id) FROM reviews WHERE day = ? AND kind IN ('study', 'drill')
                           GROUP BY card_id)
              AND r.quality < 4 AND c.suspended = 0 AND {_ACTIVE}{where}
              AND EXISTS (SELECT 1 FROM reviews s WHERE s.card_id = r.card_id AND s.day = r.day
                          AND s.kind = 'study')
            ORDER BY r.id"""
        with self._read() as conn:
            return [r[0] for r in conn.execute(sql, [day.isoformat(), *params])]

    def set_suspended(self, card_id: int, suspended: bool) -> None:
        """Suspend a card (it leaves every queue, keeping its schedule) or unsuspend it."""
        with self._write() as conn:
            cur = conn.execute(
                "UPDATE cards SET suspended = ? WHERE id = ?", (int(suspended), card_id)
            )
            if cur.rowcount == 0:
                raise StoreError(f"no card {card_id}")

    # ---- reviews -------------------------------------------------------------------------

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
    ) -> ReviewRecord:
        """Log one graded answer and, for ``study``, move the card to ``after``. One commit.

        ``before`` must be the card's stored schedule (else `StaleCard`: someone else graded
        it). A ``study`` grade must be the card's first of ``day``; ``drill`` and ``quiz``
        grades must leave the schedule as it is (``after == before``).
        """
        check_quality(quality)
        if kind not in _KINDS:
            raise ValueError(f"kind must be one of {', '.join(_KINDS)}, not {kind!r}")
        if kind != "study" and after != before:
            raise ValueError(f"a {kind} grade cannot change the schedule")
        if answer_ms is not None and (isinstance(answer_ms, bool) or answer_ms < 0):
            raise ValueError(f"answer_ms must be an int >= 0, not {answer_ms!r}")
        at, day_text = utc_text(reviewed_at), day.isoformat()
        with self._write() as conn:
            row = conn.execute(
                "SELECT c.repetitions, c.ef100, c.interval, c.due, c.changed, i.content_hash "
                "FROM cards c JOIN items i ON i.id = c.item_id WHERE c.id = ?",
                (card_id,),
            ).fetchone()
            if row is None:
                raise StoreError(f"no card {card_id}")
            if _schedule(*row[:4]) != before:
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
                "repetitions_after, ef100_after, interval_after, due_after, content_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    _due_text(before),
                    row[4],
                    a.repetitions,
                    a.ef100,
                    a.interval,
                    _due_text(after),
                    row[5],
                ),
            )
            if kind == "study":
                conn.execute(
                    "UPDATE cards SET repetitions = ?, ef100 = ?, interval = ?, due = ?, "
                    "changed = 0 WHERE id = ?",
                    (a.repetitions, a.ef100, a.interval, _due_text(after), card_id),
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
        )

    def undo_review(self, review_id: int) -> ReviewRecord:
        """Delete a card's latest review and put the card back exactly as it was before it.

        Raises `StaleCard` if the card has a later review or was changed since.
        """
        with self._write() as conn:
            row = conn.execute(_REVIEW_SQL + "WHERE id = ?", (review_id,)).fetchone()
            if row is None:
                raise StaleCard(f"review {review_id} is not in the log (already undone?)")
            record = _review(row)
            later = conn.execute(
                "SELECT 1 FROM reviews WHERE card_id = ? AND id > ?", (record.card_id, review_id)
            ).fetchone()
            card = conn.execute(
                "SELECT repetitions, ef100, interval, due FROM cards WHERE id = ?",
                (record.card_id,),
            ).fetchone()
            if later or _schedule(*card) != record.after:
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
                        _due_text(record.before),
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
                rows = conn.execute(_REVIEW_SQL + "ORDER BY id")
            else:
                rows = conn.execute(_REVIEW_SQL + "WHERE card_id = ? ORDER BY id", (card_id,))
            return [_review(r) for r in rows]

    # ---- stats ---------------------------------------------------------------------------

    def stats_figures(
        self, today: date, *, mature_days: int = 21, window: int = 30
    ) -> StatsFigures:
        """Counts for `hccquiz.stats`, read in one snapshot."""
        from ._stats import figures

        with self._read() as conn:
            return figures(conn, today, mature_days=mature_days, window=window)

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

    def __repr__(self) -> str:
        return f"<Store {self.path} ({MIGRATION_SET})>"
