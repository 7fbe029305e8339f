"""Rows to records: the card and review SELECTs, their converters and the filter clause."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from ..fsrs import FsrsState, Phase
from ..sm2 import SM2State
from ._records import CardFilter, CardRecord, ReviewRecord, Schedule

__all__ = [
    "ACTIVE",
    "BURY_GROUP",
    "CARD_SQL",
    "ORDER",
    "REVIEW_SQL",
    "SCHEDULE_COLUMNS",
    "card_record",
    "due_text",
    "filter_sql",
    "instant_text",
    "memory_json",
    "memory_of_json",
    "review_record",
    "schedule_of",
    "schedule_values",
]

SCHEDULE_COLUMNS = (
    "repetitions, ef100, interval, due, fsrs_phase, fsrs_step, stability, difficulty, "
    "last_day, due_at"
)
"""A card's schedule columns, in the order `schedule_of` takes them."""
CARD_SQL = """
SELECT c.id, i.deck_id, i.key, i.id, c.number, i.type, t.content, i.content_hash, i.levels,
       i.tags, c.suspended, c.retired OR i.retired, c.changed,
       c.repetitions, c.ef100, c.interval, c.due, c.fsrs_phase, c.fsrs_step, c.stability,
       c.difficulty, c.last_day, c.due_at
FROM cards c JOIN items i ON i.id = c.item_id JOIN item_content t ON t.item_id = i.id
"""
REVIEW_SQL = """
SELECT id, card_id, reviewed_at, day, kind, quality, answer_ms, changed_before, content_hash,
       scheduler, repetitions_before, ef100_before, interval_before, due_before, memory_before,
       due_at_before, repetitions_after, ef100_after, interval_after, due_after, memory_after,
       due_at_after, picked
FROM reviews
"""
ACTIVE = "c.retired = 0 AND i.retired = 0"
ORDER = "c.new_rank"
"""Deck order: deck, then item, then card number (``cards.new_rank`` holds all three)."""
BURY_GROUP = "CASE WHEN i.fact IS NULL THEN i.id ELSE i.deck_id || '/' || i.fact END"
"""The sibling group of a card: its item, or its deck's fact when the item names one."""


def schedule_of(columns: Sequence[Any]) -> Schedule:
    """A `Schedule` from the stored columns (`SCHEDULE_COLUMNS`, in order)."""
    reps, ef100, interval, due, phase, step, stability, difficulty, last_day, due_at = columns
    memory = None
    if phase is not None and stability is not None and difficulty is not None and last_day:
        memory = FsrsState(Phase(phase), step, stability, difficulty, date.fromisoformat(last_day))
    return Schedule(
        SM2State.from_ef100(reps, ef100, interval),
        date.fromisoformat(due) if due else None,
        memory,
        datetime.fromisoformat(due_at) if due_at else None,
    )


def schedule_values(schedule: Schedule) -> tuple[Any, ...]:
    """The stored columns of a schedule (`SCHEDULE_COLUMNS`, in order)."""
    s, m = schedule.state, schedule.memory
    return (
        s.repetitions,
        s.ef100,
        s.interval,
        due_text(schedule),
        None if m is None else int(m.phase),
        None if m is None else m.step,
        None if m is None else m.stability,
        None if m is None else m.difficulty,
        None if m is None else m.last_day.isoformat(),
        instant_text(schedule.due_at),
    )


def instant_text(moment: datetime | None) -> str | None:
    """An aware instant as stored (UTC ISO 8601, microseconds: text order is time order)."""
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="microseconds")


def memory_json(schedule: Schedule) -> str | None:
    """A schedule's FSRS memory as the review log keeps it (JSON), None without one."""
    m = schedule.memory
    if m is None:
        return None
    return json.dumps(
        [int(m.phase), m.step, m.stability, m.difficulty, m.last_day.isoformat()],
        separators=(",", ":"),
    )


def memory_of_json(text: str | None) -> list[Any]:
    """The memory columns (phase, step, stability, difficulty, last day) of `memory_json`."""
    return [None] * 5 if text is None else list(json.loads(text))


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
        schedule=schedule_of(row[13:23]),
        suspended=bool(row[10]),
        retired=bool(row[11]),
        changed=bool(row[12]),
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
        before=schedule_of([*row[10:14], *memory_of_json(row[14]), row[15]]),
        after=schedule_of([*row[16:20], *memory_of_json(row[20]), row[21]]),
        changed_before=bool(row[7]),
        content_hash=row[8],
        scheduler=row[9],
        picked=tuple(json.loads(row[22])) if row[22] is not None else None,
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
