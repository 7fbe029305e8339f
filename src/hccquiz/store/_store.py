"""`Store`: the progress database, on top of `Connection`: decks, cards, reviews, stats."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from ._browse import Browsing
from ._decks import DeckWrites
from ._export import ReviewExport
from ._fsrs import FsrsWrites
from ._queues import Queues
from ._records import StatsFigures
from ._reviews import ReviewLog
from ._schema import MIGRATION_SET
from ._today import DayQueries

__all__ = ["Store"]


class Store(DeckWrites, Queues, ReviewLog, DayQueries, FsrsWrites, ReviewExport, Browsing):
    """The progress database.

    Open it with `Store.open` (see `Connection.open`), use it as a context manager or call
    `close`. Every write is one ``BEGIN IMMEDIATE`` transaction that is committed before the
    method returns; a busy database is waited for (busy timeout, then retries) rather than
    failing. A store may be shared between threads: calls are serialised by a lock. It is
    handed validated decks (`write_decks`) and never reads a deck file.
    """

    def stats_figures(
        self,
        today: date,
        *,
        mature_days: int = 21,
        window: int = 30,
        decks: Collection[str] | None = None,
    ) -> StatsFigures:
        """Counts for `hccquiz.stats`, read in one snapshot; card and due counts of `decks`
        alone if given (review counts are always of every deck)."""
        from ._stats import figures

        with self._read() as conn:
            return figures(conn, today, mature_days=mature_days, window=window,
                           decks_only=decks)  # fmt: skip

    def __repr__(self) -> str:
        return f"<Store {self.path} ({MIGRATION_SET})>"
