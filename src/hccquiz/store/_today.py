"""Per-deck reads behind a study day's plan: grades given per deck, due cards within each
deck's review limit, a filtered due forecast, and where each deck was synced from."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date

from ._connection import Connection
from ._records import CardFilter
from ._rows import ACTIVE, ORDER, filter_sql

__all__ = ["DayQueries"]


class DayQueries(Connection):
    """Reads that `hccquiz.study` plans a study day with, deck by deck."""

    @contextmanager
    def _read_in_write(self) -> Iterator[sqlite3.Connection]:
        """A read, also from inside this thread's own write (sync checks a deck before it
        writes it, in the write transaction that `deck_writer` holds)."""
        with self._lock:
            if self._conn.in_transaction:
                yield self._conn
            else:
                with self._read() as conn:
                    yield conn

    def studied_by_deck(self, day: date) -> dict[str, tuple[int, int]]:
        """Per deck: (new cards introduced, reviews of seen cards) by study grades on ``day``."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT i.deck_id, coalesce(sum(r.due_before IS NULL), 0), "
                "coalesce(sum(r.due_before IS NOT NULL), 0) FROM reviews r INDEXED BY reviews_day "
                "JOIN cards c ON c.id = r.card_id JOIN items i ON i.id = c.item_id "
                "WHERE r.day = ? AND r.kind = 'study' GROUP BY i.deck_id",
                (day.isoformat(),),
            )
            return {deck_id: (new, reviews) for deck_id, new, reviews in rows}

    def due_cards_by_deck(
        self, today: date, filt: CardFilter | None, limits: Mapping[str, int]
    ) -> list[tuple[int, str]]:
        """(card id, deck id) of cards due on or before ``today``, at most ``limits[deck]``
        of each deck (most overdue first within a deck), all of them most overdue first,
        then in deck order. Decks missing from ``limits`` give none. A card in an FSRS step
        that ends today is left out: it comes back when its step ends."""
        if not limits:
            return []
        where, params = filter_sql(filt)
        values = ", ".join("(?, ?)" for _ in limits)
        sql = f"""
            WITH limits(deck_id, n) AS (VALUES {values}),
            due AS (
                SELECT c.id, i.deck_id, c.due, d.position AS dp, i.position AS ip, c.number,
                       row_number() OVER (PARTITION BY i.deck_id ORDER BY c.due, {ORDER}) AS rank
                FROM cards c INDEXED BY cards_by_due JOIN items i ON i.id = c.item_id
                JOIN decks d ON d.id = i.deck_id
                WHERE c.due <= ? AND (c.due_at IS NULL OR c.due < ?) AND c.suspended = 0
                      AND {ACTIVE}{where}
            )
            SELECT due.id, due.deck_id FROM due JOIN limits l ON l.deck_id = due.deck_id
            WHERE due.rank <= l.n ORDER BY due.due, due.dp, due.ip, due.number"""
        flat = [v for deck_id, n in limits.items() for v in (deck_id, max(n, 0))]
        with self._read() as conn:
            rows = conn.execute(sql, [*flat, today.isoformat(), today.isoformat(), *params])
            return [(r[0], r[1]) for r in rows]

    def due_forecast(self, filt: CardFilter | None, first: date, last: date) -> dict[date, int]:
        """Active, unsuspended cards matching ``filt`` due on each day up to ``last``; cards
        due before ``first`` (overdue) count on ``first``."""
        where, params = filter_sql(filt)
        sql = (
            "SELECT max(c.due, ?), count(*) FROM cards c INDEXED BY cards_by_due "
            "JOIN items i ON i.id = c.item_id "
            f"WHERE c.due IS NOT NULL AND c.due <= ? AND c.suspended = 0 AND {ACTIVE}{where} "
            "GROUP BY max(c.due, ?)"
        )
        f, last_text = first.isoformat(), last.isoformat()
        with self._read() as conn:
            rows = conn.execute(sql, [f, last_text, *params, f])
            return {date.fromisoformat(day): n for day, n in rows}

    def deck_paths(self) -> dict[str, str | None]:
        """The file each synced deck was last synced from, by deck id."""
        with self._read_in_write() as conn:
            return dict(conn.execute("SELECT id, path FROM decks ORDER BY position"))

    def deck_of_cards(self, card_ids: list[int]) -> dict[int, str]:
        """The deck id of each of ``card_ids`` (unknown ids are left out)."""
        found: dict[int, str] = {}
        with self._read() as conn:
            for start in range(0, len(card_ids), 500):
                chunk = card_ids[start : start + 500]
                found.update(
                    conn.execute(
                        "SELECT c.id, i.deck_id FROM cards c JOIN items i ON i.id = c.item_id "
                        f"WHERE c.id IN ({','.join('?' * len(chunk))})",
                        chunk,
                    ).fetchall()
                )
        return found

    def item_keys(self, deck_id: str) -> set[str]:
        """Ids of a deck's current (not retired) items."""
        with self._read_in_write() as conn:
            rows = conn.execute(
                "SELECT key FROM items WHERE deck_id = ? AND retired = 0", (deck_id,)
            )
            return {r[0] for r in rows}
