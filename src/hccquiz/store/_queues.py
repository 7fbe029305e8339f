"""Reading cards and building the day's queues: due reviews, new cards, the drill."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

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
            "SELECT c.id FROM cards c JOIN items i ON i.id = c.item_id JOIN decks d "
            f"ON d.id = i.deck_id WHERE {ACTIVE}{where} ORDER BY {ORDER}"
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
            "SELECT i.id, c.id FROM cards c JOIN items i ON i.id = c.item_id JOIN decks d "
            f"ON d.id = i.deck_id WHERE c.suspended = 0 AND {ACTIVE}{where} ORDER BY {ORDER}"
        )
        with self._read() as conn:
            return [(r[0], r[1]) for r in conn.execute(sql, params)]

    def due_card_ids(self, today: date, filt: CardFilter | None, limit: int) -> list[int]:
        """Cards due on or before ``today``, most overdue first, then in deck order."""
        where, params = filter_sql(filt)
        sql = (
            "SELECT c.id FROM cards c JOIN items i ON i.id = c.item_id JOIN decks d "
            f"ON d.id = i.deck_id WHERE c.due <= ? AND c.suspended = 0 AND {ACTIVE}{where} "
            f"ORDER BY c.due, {ORDER} LIMIT ?"
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
        where, params = filter_sql(filt)
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
            f"ON d.id = i.deck_id WHERE c.due IS NULL AND c.suspended = 0 AND {ACTIVE}{where}"
            f"{bury} ORDER BY {ORDER} LIMIT ?"
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
        where, params = filter_sql(filt)
        sql = f"""
            SELECT r.card_id FROM reviews r
            JOIN cards c ON c.id = r.card_id JOIN items i ON i.id = c.item_id
            WHERE r.id IN (SELECT max(id) FROM reviews WHERE day = ? AND kind IN ('study', 'drill')
                           GROUP BY card_id)
              AND r.quality < 4 AND c.suspended = 0 AND {ACTIVE}{where}
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
