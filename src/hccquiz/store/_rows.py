"""Rows to records: the card and review SELECTs, their converters and the filter clause."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..sm2 import SM2State
from ._records import CardFilter, CardRecord, ReviewRecord, Schedule

__all__ = [
    "ACTIVE",
    "BURY_GROUP",
    "CARD_SQL",
    "ORDER",
    "REVIEW_SQL",
    "card_record",
    "due_text",
    "filter_sql",
    "review_record",
    "schedule_of",
]

CARD_SQL = """
SELECT c.id, i.deck_id, i.key, i.id, c.number, i.type, t.content, i.content_hash, i.levels,
       i.tags, c.repetitions, c.ef100, c.interval, c.due, c.suspended,
       c.retired OR i.retired, c.changed
FROM cards c JOIN items i ON i.id = c.item_id JOIN item_content t ON t.item_id = i.id
"""
REVIEW_SQL = """
SELECT id, card_id, reviewed_at, day, kind, quality, answer_ms,
       repetitions_before, ef100_before, interval_before, due_before,
       repetitions_after, ef100_after, interval_after, due_after, changed_before, content_hash,
       picked
FROM reviews
"""
ACTIVE = "c.retired = 0 AND i.retired = 0"
ORDER = "c.new_rank"
"""Deck order: deck, then item, then card number (``cards.new_rank`` holds all three)."""
BURY_GROUP = "CASE WHEN i.fact IS NULL THEN i.id ELSE i.deck_id || '/' || i.fact END"
"""The sibling group of a card: its item, or its deck's fact when the item names one."""


def schedule_of(reps: int, ef100: int, interval: int, due: str | None) -> Schedule:
    """A `Schedule` from the stored columns (repetitions, EF in hundredths, interval, due)."""
    return Schedule(
        SM2State.from_ef100(reps, ef100, interval), date.fromisoformat(due) if due else None
    )


def due_text(schedule: Schedule) -> str | None:
    """A due day as stored text (ISO date), or None for a new card."""
    return schedule.due.isoformat() if schedule.due else None


def card_record(row: tuple[Any, ...]) -> CardRecord:
    """A `CardRecord` from a `CARD_SQL` row."""
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
        schedule=schedule_of(row[10], row[11], row[12], row[13]),
        suspended=bool(row[14]),
        retired=bool(row[15]),
        changed=bool(row[16]),
    )


def review_record(row: tuple[Any, ...]) -> ReviewRecord:
    """A `ReviewRecord` from a `REVIEW_SQL` row."""
    return ReviewRecord(
        id=row[0],
        card_id=row[1],
        reviewed_at=row[2],
        day=date.fromisoformat(row[3]),
        kind=row[4],
        quality=row[5],
        answer_ms=row[6],
        before=schedule_of(*row[7:11]),
        after=schedule_of(*row[11:15]),
        changed_before=bool(row[15]),
        content_hash=row[16],
        picked=tuple(json.loads(row[17])) if row[17] is not None else None,
    )


def filter_sql(filt: CardFilter | None) -> tuple[str, list[Any]]:
    """SQL conditions (on aliases ``i`` for items) and parameters for a card filter."""
    if filt is None:
        return "", []
    clauses: list[str] = []
    params: list[Any] = []
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
