"""The card browser's reads and writes: a page of cards by filters, state and search, in any
column's order; a card's history (reviews and resets); suspending and resetting cards.

A search goes through the FTS5 index of `hccquiz.store._search`: the matching items are
one set the cards are checked against, while the cards are read in the order asked for
(deck order walks an index and stops at the page's end, whatever the size of the match).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, get_args

from ..grading import DRILL_PASS, PASS
from ._connection import Connection, utc_text
from ._errors import StoreError
from ._search import match_expression

__all__ = [
    "BROWSE_STATES",
    "SORT_KEYS",
    "BrowseQuery",
    "BrowseRow",
    "BrowseState",
    "Browsing",
    "CardEvent",
    "SortKey",
]

BrowseState = Literal["all", "new", "learning", "due", "suspended", "changed", "retired"]
"""Which cards the browser lists: every active card, or those in one state (learning: in
today's same-day queue, SM-2's drill or an FSRS learning or relearning step)."""
BROWSE_STATES: tuple[BrowseState, ...] = get_args(BrowseState)
SortKey = Literal[
    "deck", "item", "type", "levels", "tags", "due", "interval", "lapses", "grade", "state"
]
"""The browser's columns, each sortable."""
SORT_KEYS: tuple[SortKey, ...] = get_args(SortKey)

_ACTIVE = "c.retired = 0 AND i.retired = 0"
_LAST_GRADE = (
    "(SELECT r.quality FROM reviews r WHERE r.card_id = c.id AND r.kind = 'study' "
    "ORDER BY r.id DESC LIMIT 1)"
)
_LAPSES = (
    "(SELECT count(*) FROM reviews r WHERE r.card_id = c.id AND r.kind = 'study' "
    f"AND r.quality < {PASS} AND r.due_before IS NOT NULL)"
)
_STATE = "((c.retired OR i.retired) * 4 + c.suspended * 2 + c.changed)"
_DRILL = f"""c.id IN (
    SELECT r.card_id FROM reviews r
    WHERE r.id IN (SELECT max(id) FROM reviews INDEXED BY reviews_day
                   WHERE day = :day AND kind IN ('study', 'drill') GROUP BY card_id)
      AND r.quality < {int(DRILL_PASS)}
      AND EXISTS (SELECT 1 FROM reviews s INDEXED BY reviews_by_card_day
                  WHERE s.card_id = r.card_id AND s.day = r.day AND s.kind = 'study'))"""
_STATES: dict[str, str] = {
    "all": _ACTIVE,
    "new": f"{_ACTIVE} AND c.due IS NULL AND c.suspended = 0",
    "learning": f"{_ACTIVE} AND c.suspended = 0 AND (c.due_at IS NOT NULL OR {_DRILL})",
    "due": f"{_ACTIVE} AND c.suspended = 0 AND c.due <= :day",
    "suspended": f"{_ACTIVE} AND c.suspended = 1",
    "changed": f"{_ACTIVE} AND c.changed = 1",
    "retired": "(c.retired = 1 OR i.retired = 1)",
}
_ORDER: dict[str, str] = {
    "deck": "c.new_rank",
    "item": "i.key {dir}, c.number",
    "type": "i.type {dir}, c.new_rank",
    "levels": "i.levels {dir}, c.new_rank",
    "tags": "i.tags {dir}, c.new_rank",
    "due": "c.due {dir}, c.new_rank",  # new cards (no due day) first, as Anki sorts them
    "interval": "c.interval {dir}, c.new_rank",
    "lapses": "lapses {dir}, c.new_rank",
    "grade": "last_grade {dir}, c.new_rank",
    "state": f"{_STATE} {{dir}}, c.new_rank",
}
_COLUMNS = (
    "c.id, i.deck_id, i.key, c.number, i.type, i.levels, i.tags, c.due, c.interval, "
    f"c.suspended, c.retired OR i.retired, c.changed, {_LAPSES} AS lapses, "
    f"{_LAST_GRADE} AS last_grade"
)


@dataclass(frozen=True, slots=True)
class BrowseQuery:
    """What the browser lists: any of `decks`, `levels` and `tags`, cards in `state`,
    matching `search` (words as typed; see `hccquiz.store._search.match_expression`),
    sorted by `sort`."""

    decks: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    state: BrowseState = "all"
    search: str = ""
    sort: SortKey = "deck"
    descending: bool = False

    def __post_init__(self) -> None:
        if self.state not in _STATES:
            raise ValueError(f"state must be one of {', '.join(BROWSE_STATES)}")
        if self.sort not in _ORDER:
            raise ValueError(f"sort must be one of {', '.join(SORT_KEYS)}")


@dataclass(frozen=True, slots=True)
class BrowseRow:
    """One card as the browser's table shows it."""

    card_id: int
    deck_id: str
    item_id: str
    number: int
    item_type: str
    levels: tuple[str, ...]
    tags: tuple[str, ...]
    due: date | None
    interval: int
    suspended: bool
    retired: bool
    changed: bool
    lapses: int
    last_grade: int | None


@dataclass(frozen=True, slots=True)
class CardEvent:
    """One entry of a card's history: a review (``study``, ``drill``, ``quiz``) or a reset
    to new (``reset``, with no grade), with the interval and due day before and after."""

    kind: str
    at: str
    day: date
    quality: int | None
    interval_before: int
    interval_after: int
    due_before: date | None
    due_after: date | None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _row(r: tuple[Any, ...]) -> BrowseRow:
    return BrowseRow(
        r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5])), tuple(json.loads(r[6])),
        _day(r[7]), r[8], bool(r[9]), bool(r[10]), bool(r[11]), r[12], r[13],
    )  # fmt: skip


def _where(query: BrowseQuery, today: date) -> tuple[str, dict[str, Any]]:
    """The WHERE clause and its parameters."""
    params: dict[str, Any] = {"day": today.isoformat()}
    clauses = [_STATES[query.state]]
    for name, values, column in (("deck", query.decks, "i.deck_id"),):
        if values:
            names = [f":{name}{n}" for n in range(len(values))]
            clauses.append(f"{column} IN ({', '.join(names)})")
            params.update({n[1:]: v for n, v in zip(names, values, strict=True)})
    for name, table, column, values in (
        ("level", "item_levels", "level", query.levels),
        ("tag", "item_tags", "tag", query.tags),
    ):
        if values:
            names = [f":{name}{n}" for n in range(len(values))]
            clauses.append(
                f"EXISTS (SELECT 1 FROM {table} f WHERE f.item_id = i.id "
                f"AND f.{column} IN ({', '.join(names)}))"
            )
            params.update({n[1:]: v for n, v in zip(names, values, strict=True)})
    expression = match_expression(query.search)
    if expression is not None:  # text with no word in it searches for nothing
        params["match"] = expression
        clauses.append(
            "c.item_id IN (SELECT rowid FROM card_search WHERE card_search MATCH :match)"
        )
    return " AND ".join(clauses), params


class Browsing(Connection):
    """The browser half of `Store`."""

    def browse(
        self, query: BrowseQuery, *, today: date, limit: int = 200, offset: int = 0
    ) -> list[BrowseRow]:
        """A page of the cards `query` lists, in its order (`today` decides what is due)."""
        if limit <= 0:
            return []
        clause, params = _where(query, today)
        direction = "DESC" if query.descending else "ASC"
        order = _ORDER[query.sort].format(dir=direction)
        if query.sort == "deck":
            order = f"c.new_rank {direction}"
        hint = "INDEXED BY cards_by_rank " if query.sort == "deck" else ""
        sql = (
            f"SELECT {_COLUMNS} FROM cards c {hint}JOIN items i ON i.id = c.item_id "
            f"WHERE {clause} ORDER BY {order} LIMIT :limit OFFSET :offset"
        )
        with self._read() as conn:
            rows = conn.execute(sql, {**params, "limit": limit, "offset": max(offset, 0)})
            return [_row(r) for r in rows]

    def browse_count(self, query: BrowseQuery, *, today: date) -> int:
        """How many cards `query` lists."""
        clause, params = _where(query, today)
        sql = f"SELECT count(*) FROM cards c JOIN items i ON i.id = c.item_id WHERE {clause}"
        with self._read() as conn:
            return int(conn.execute(sql, params).fetchone()[0])

    def browse_rows(self, card_ids: Sequence[int]) -> list[BrowseRow]:
        """The browser's rows of `card_ids` (as they are now), in the order asked for."""
        found: dict[int, BrowseRow] = {}
        with self._read() as conn:
            for start in range(0, len(card_ids), 500):
                chunk = list(card_ids[start : start + 500])
                sql = (
                    f"SELECT {_COLUMNS} FROM cards c JOIN items i ON i.id = c.item_id "
                    f"WHERE c.id IN ({','.join('?' * len(chunk))})"
                )
                found.update((r[0], _row(r)) for r in conn.execute(sql, chunk))
        return [found[i] for i in card_ids if i in found]

    def tags_in_use(self, decks: Sequence[str] = ()) -> list[str]:
        """Every tag of an active item (of `decks`, if given), sorted."""
        where = f" AND i.deck_id IN ({','.join('?' * len(decks))})" if decks else ""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT DISTINCT t.tag FROM item_tags t JOIN items i ON i.id = t.item_id "
                f"WHERE i.retired = 0{where} ORDER BY t.tag",
                list(decks),
            )
            return [r[0] for r in rows]

    def card_events(self, card_id: int) -> list[CardEvent]:
        """A card's reviews and resets to new, oldest first."""
        sql = """
            SELECT kind, reviewed_at, day, quality, interval_before, interval_after,
                   due_before, due_after, id, 0 FROM reviews WHERE card_id = :card
            UNION ALL
            SELECT 'reset', reset_at, day, NULL, interval_before, 0, due_before, NULL,
                   after_review, 1 FROM card_resets WHERE card_id = :card
            ORDER BY 9, 10"""
        with self._read() as conn:
            rows = conn.execute(sql, {"card": card_id}).fetchall()
        return [
            CardEvent(r[0], r[1], date.fromisoformat(r[2]), r[3], r[4], r[5], _day(r[6]),
                      _day(r[7]))
            for r in rows
        ]  # fmt: skip

    def suspend_cards(self, card_ids: Sequence[int], suspended: bool) -> int:
        """Suspend (or unsuspend) cards in one transaction; returns how many changed."""
        with self._write() as conn:
            changed = 0
            for card_id in card_ids:
                cur = conn.execute(
                    "UPDATE cards SET suspended = ? WHERE id = ? AND suspended != ?",
                    (int(suspended), card_id, int(suspended)),
                )
                changed += cur.rowcount
            return changed

    def reset_cards(self, card_ids: Sequence[int], *, reset_at: datetime, day: date) -> int:
        """Reset cards to new in one transaction, each reset logged in ``card_resets``
        with the card's SM-2 state before it; their reviews stay in the log. The card is new
        for either scheduler: its FSRS memory and step are cleared too, and an FSRS replay
        of the log starts it afresh after the reset (`hccquiz.store._fsrs`). Cards already new
        (never studied, or reset since their last review) are left alone. Returns how many
        were reset. `StoreError` for an unknown card."""
        at, day_text = utc_text(reset_at), day.isoformat()
        reset = 0
        with self._write() as conn:
            for card_id in card_ids:
                row = conn.execute(
                    "SELECT repetitions, ef100, interval, due, changed, "
                    "(SELECT coalesce(max(id), 0) FROM reviews WHERE card_id = cards.id), "
                    "stability IS NOT NULL OR due_at IS NOT NULL FROM cards WHERE id = ?",
                    (card_id,),
                ).fetchone()
                if row is None:
                    raise StoreError(f"no card {card_id}")
                if row[3] is None and row[0] == 0 and row[2] == 0 and row[1] == 250 and not row[6]:
                    continue  # already new
                conn.execute(
                    "INSERT INTO card_resets (card_id, reset_at, day, after_review, "
                    "repetitions_before, ef100_before, interval_before, due_before, "
                    "changed_before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (card_id, at, day_text, row[5], row[0], row[1], row[2], row[3], row[4]),
                )
                conn.execute(
                    "UPDATE cards SET repetitions = 0, ef100 = 250, interval = 0, due = NULL, "
                    "changed = 0, fsrs_phase = NULL, fsrs_step = NULL, stability = NULL, "
                    "difficulty = NULL, last_day = NULL, due_at = NULL WHERE id = ?",
                    (card_id,),
                )  # new for either scheduler: SM-2's state and FSRS's memory both cleared
                reset += 1
        return reset
