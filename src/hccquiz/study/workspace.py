"""What a user interface is handed: an open store with its clock, randomness and settings.

`Workspace` makes study sessions, quizzes and per-deck overviews, so the TUI and the CLI
share one way of doing each. It runs no SQL itself and imports no UI.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..clock import Clock
from ..text.terminal import source_line
from ._filters import Filters
from ._quiz import Quiz
from ._session import Session
from ._settings import StudyConfig

if TYPE_CHECKING:
    from ..store import Store
    from .stats import Stats

__all__ = ["DeckOverview", "Workspace"]


@dataclass(frozen=True, slots=True)
class DeckOverview:
    """One row of the home screen: cards a session would serve today."""

    deck_id: str
    title: str
    new: int
    learning: int
    due: int


class Workspace:
    """An open progress store plus the injected clock, randomness and study settings."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        rng: random.Random,
        config: StudyConfig | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.rng = rng
        self.config = config or StudyConfig()
        self._titles = store.deck_titles()

    def title(self, deck_id: str) -> str:
        """A deck's title (its id if it has none)."""
        return self._titles.get(deck_id, deck_id)

    def source_line(self, deck_id: str, source: str | None) -> str:
        """``IMbrave150 · Key Findings 1`` for an item of this deck."""
        return source_line(self.title(deck_id), source)

    def deck_ids(self, decks: tuple[str, ...] = ()) -> list[str]:
        """The synced decks, or those of `decks` that are synced, in sync order."""
        return [d for d in self.store.deck_ids() if not decks or d in decks]

    def overview(self, filters: Filters | None = None) -> list[DeckOverview]:
        """New, learning and due counts per deck under `filters` (levels and tags)."""
        filters = filters or Filters()
        rows = []
        for deck_id in self.deck_ids(filters.decks):
            counts = self.session(Filters((deck_id,), filters.levels, filters.tags)).counts
            rows.append(
                DeckOverview(deck_id, self.title(deck_id), counts.new, counts.learning,
                             counts.review)
            )  # fmt: skip
        return rows

    def session(self, filters: Filters | None = None) -> Session:
        """A study session over `filters`, starting now."""
        return Session(self.store, clock=self.clock, config=self.config, filters=filters)

    def quiz(self, filters: Filters | None = None, count: int = 20) -> Quiz:
        """A quiz of up to `count` items drawn from `filters`; it never changes the schedule."""
        return Quiz(
            self.store, clock=self.clock, rng=self.rng, count=count, filters=filters,
            config=self.config,
        )  # fmt: skip

    def today(self) -> date:
        """The current study day (it rolls over at the configured hour)."""
        return self.config.boundary.day(self.clock.now())

    def stats(self) -> Stats:
        """The figures of ``hccquiz stats``, as of now."""
        from .stats import collect

        return collect(
            self.store, now=self.clock.now(), tz=self.config.tz,
            day_starts_at=self.config.day_starts_at,
        )  # fmt: skip

    def reviews_per_day(self, days: int) -> list[int]:
        """Reviews on each of the last `days` study days, oldest first, today last."""
        today = self.today()
        first = today - timedelta(days=days - 1)
        counts = self.store.reviews_per_day(first, today)
        return [counts.get(first + timedelta(days=n), 0) for n in range(days)]

    def next_due_text(self) -> str:
        """When reviews are next due: ``today (3 cards)``, ``tomorrow (2 cards)``, ..."""
        forecast = self.stats().due_by_day
        for offset, count in enumerate(forecast):
            if count:
                when = {0: "today", 1: "tomorrow"}.get(offset, f"in {offset} days")
                day = self.today() + timedelta(days=offset)
                return f"{when}, {day:%a %d %b} ({count} card{'s' if count != 1 else ''})"
        return f"nothing due in the next {len(forecast)} days"
