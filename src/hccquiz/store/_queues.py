"""Reading cards and building the day's queues: due reviews, new cards, the drill."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date
from itertools import chain
from typing import Any

from ._connection import Connection
from ._errors import StoreError
from ._records import CardFilter, CardRecord
from ._rows import ACTIVE, CARD_SQL, ORDER, card_record, filter_sql

__all__ = ["Queues"]


class Queues(Connection):
    """The card half of `Store`: cards, queues, suspension."""

    def card(self, card_id: int) -> CardRecord:
        """One card with its item; `StoreError` if there is no such card."""
        with self._read() as conn:
            row = conn.execute(CARD_SQL + "WHERE c.id = ?", (card_id,)).fetchone()
        if row is None:
            raise StoreError(f"no card {card_id}")
        return card_record(row)

    def cards(self, card_ids: Sequence[int]) -> list[CardRecord]:
        """Several cards, in the order asked for (unknown ids are left out)."""
        found: dict[int, CardRecord] = {}
        with self._read() as conn:
            for start in range(0, len(card_ids), 500):
                chunk = list(card_ids[start : start + 500])
                sql = CARD_SQL + f"WHERE c.id IN ({','.join('?' * len(chunk))})"
                found.update((r[0], card_record(r)) for r in conn.execute(sql, chunk))
        return [found[i] for i in card_ids if i in found]

    def card_ids(
        self, filt: CardFilter | None = None, *, include_suspended: bool = True
    ) -> list[int]:
        """Active (not retired) cards matching ``filt``, in deck order."""
        where, params = filter_sql(filt)
        if not include_suspended:
            where += " AND c.suspended = 0"
        sql = (
            "SELECT c.id FROM cards c JOIN items i ON i.id = c.item_id "
            f"WHERE {ACTIVE}{where} ORDER BY {ORDER}"
        )
        with self._read() as conn:
            return [r[0] for r in conn.execute(sql, params)]

    def quiz_pool(
        self, filt: CardFilter | None = None, *, include_new: bool = True
    ) -> list[tuple[int, int]]:
        """(item row id, card id) of active, unsuspended cards matching ``filt``, in deck order."""
        where, params = filter_sql(filt)
        if not include_new:
            where += " AND c.due IS NOT NULL"
        sql = (
            "SELECT i.id, c.id FROM cards c JOIN items i ON i.id = c.item_id "
            f"WHERE c.suspended = 0 AND {ACTIVE}{where} ORDER BY {ORDER}"
        )
        with self._read() as conn:
            return [(r[0], r[1]) for r in conn.execute(sql, params)]

    def due_card_ids(self, today: date, filt: CardFilter | None, limit: int) -> list[int]:
        """Cards due on or before ``today``, most overdue first, then in deck order.

        A card in an FSRS learning or relearning step that ends today is left out: it
        comes back when its step ends (`step_card_ids`); one left over from an earlier
        day is due like any other.
        """
        where, params = filter_sql(filt)
        sql = (
            "SELECT c.id FROM cards c INDEXED BY cards_by_due JOIN items i ON i.id = c.item_id "
            f"WHERE c.due <= ? AND (c.due_at IS NULL OR c.due < ?) AND c.suspended = 0 "
            f"AND {ACTIVE}{where} ORDER BY c.due, {ORDER} LIMIT ?"
        )
        day = today.isoformat()
        with self._read() as conn:
            return [r[0] for r in conn.execute(sql, [day, day, *params, max(limit, 0)])]

    def step_card_ids(
        self, today: date, filt: CardFilter | None = None
    ) -> list[tuple[int, str, str]]:
        """(card, instant its step ends, deck) of cards in an FSRS learning or relearning
        step that ends on study day ``today``, soonest first."""
        where, params = filter_sql(filt)
        sql = (
            "SELECT c.id, c.due_at, i.deck_id FROM cards c INDEXED BY cards_by_due_at "
            "JOIN items i ON i.id = c.item_id WHERE c.due_at IS NOT NULL AND c.due = ? "
            f"AND c.suspended = 0 AND {ACTIVE}{where} ORDER BY c.due_at"
        )
        with self._read() as conn:
            return [(r[0], r[1], r[2]) for r in conn.execute(sql, [today.isoformat(), *params])]

    def new_card_ids(
        self, filt: CardFilter | None, limit: int, *, bury_on: date | None = None
    ) -> list[int]:
        """New cards (never studied), in deck order.

        With ``bury_on`` (a study day), siblings are buried as Anki does: one new card per
        item, or per fact when items of a deck share a ``fact``, and none of an item or
        fact that has a card due, or studied, on that day; the others wait for a later
        day, so one card never gives another's answer away.

        New cards are read in deck order from an index that holds only new cards, and the
        sibling checks are one index seek per candidate, so the cost follows the cards
        looked at, not the size of the collection or of the day's log.
        """
        where, params = filter_sql(filt)
        picked: list[int] = []
        if limit <= 0:
            return picked
        with self._read() as conn:
            page = limit if bury_on is None else 64
            rows = chain.from_iterable(
                _new_cards(conn, where, params, page=page, ranks=ranks)
                for ranks in _rank_ranges(conn, filt.decks if filt else ())
            )
            if bury_on is None:
                return [row[0] for _, row in zip(range(limit), rows, strict=False)]
            day = bury_on.isoformat()
            settled: dict[object, bool] = {}  # sibling group -> already met today
            for card_id, item_pk, deck_id, fact in rows:
                group = item_pk if fact is None else (deck_id, fact)
                if group not in settled:
                    settled[group] = _met_today(conn, item_pk, deck_id, fact, day)
                    if not settled[group]:
                        picked.append(card_id)
                        if len(picked) >= limit:
                            break
                    settled[group] = True  # one new card per group a day
        return picked

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
        where, params = filter_sql(filt)
        sql = f"""
            SELECT r.card_id FROM reviews r
            JOIN cards c ON c.id = r.card_id JOIN items i ON i.id = c.item_id
            WHERE r.id IN (SELECT max(id) FROM reviews INDEXED BY reviews_day
                           WHERE day = ? AND kind IN ('study', 'drill') GROUP BY card_id)
              AND r.quality < 4 AND c.suspended = 0 AND {ACTIVE}{where}
              AND EXISTS (SELECT 1 FROM reviews s INDEXED BY reviews_by_card_day
                          WHERE s.card_id = r.card_id AND s.day = r.day AND s.kind = 'study')
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


def _rank_ranges(conn: sqlite3.Connection, decks: Sequence[str]) -> list[tuple[int, int]]:
    """The ``new_rank`` ranges (exclusive bounds) that hold the new cards of `decks`, in
    deck order; every rank when no deck is named. A deck's cards share the high bits of
    their rank (its position), so a deck's new cards are one contiguous range."""
    if not decks:
        return [(-1, 1 << 62)]
    positions = conn.execute(
        f"SELECT position FROM decks WHERE id IN ({','.join('?' * len(decks))}) ORDER BY position",
        list(decks),
    ).fetchall()
    return [((p << 40) - 1, (p + 1) << 40) for (p,) in positions]


def _new_cards(
    conn: sqlite3.Connection,
    where: str,
    params: list[Any],
    *,
    page: int,
    ranks: tuple[int, int],
) -> Iterator[tuple[int, int, str, str | None]]:
    """(card, item row, deck, fact) of new cards in deck order within `ranks`, a page at a
    time: each page is one seek into the partial index of new cards (keyset pagination on
    ``new_rank``)."""
    # the item's columns come from correlated lookups, not a join: with statistics that
    # show many items, SQLite would build a Bloom filter over all of them first
    sql = (
        "SELECT c.id, c.item_id, (SELECT deck_id FROM items WHERE id = c.item_id), "
        "(SELECT fact FROM items WHERE id = c.item_id), c.new_rank "
        "FROM cards c INDEXED BY cards_new WHERE c.due IS NULL AND c.new_rank > ? "
        "AND c.new_rank < ? "
        "AND c.suspended = 0 AND c.retired = 0 AND EXISTS (SELECT 1 FROM items i "
        f"WHERE i.id = c.item_id AND i.retired = 0{where}) ORDER BY {ORDER} LIMIT ?"
    )
    after, before = ranks
    while True:
        rows = conn.execute(sql, [after, before, *params, page]).fetchall()
        for card_id, item_pk, deck_id, fact, rank in rows:
            yield card_id, item_pk, deck_id, fact
            after = rank
        if len(rows) < page:
            return


_GROUP_ITEMS = {
    False: "SELECT ?",
    True: "SELECT f.id FROM items f INDEXED BY items_by_fact WHERE f.deck_id = ? AND f.fact = ?",
}


def _met_today(
    conn: sqlite3.Connection, item_pk: int, deck_id: str, fact: str | None, day: str
) -> bool:
    """True if a card of the item (or of every item of its fact) is due by ``day`` or had
    its study grade on ``day``: its new siblings then wait for another day."""
    items = _GROUP_ITEMS[fact is not None]
    args: list[object] = [item_pk] if fact is None else [deck_id, fact]
    row = conn.execute(
        f"""SELECT EXISTS (SELECT 1 FROM cards s INDEXED BY cards_for_stats
                          WHERE s.item_id IN ({items}) AND s.retired = 0
                          AND s.suspended = 0 AND s.due <= ?)
               OR EXISTS (SELECT 1 FROM cards s CROSS JOIN reviews r INDEXED BY reviews_by_card_day
                          ON r.card_id = s.id
                          WHERE s.item_id IN ({items}) AND r.day = ? AND r.kind = 'study')""",
        [*args, day, *args, day],
    ).fetchone()
    return bool(row[0])
