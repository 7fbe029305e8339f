"""What a user interface is handed: an open store with its clock, randomness and settings.

`Workspace` makes study sessions, quizzes and per-deck overviews, so the TUI and the CLI
share one way of doing each. It runs no SQL itself and imports no UI.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ..clock import Clock
from ..text.terminal import short_deck_name, source_line
from ._filters import Filters
from ._quiz import Quiz
from ._session import Session
from ._settings import ALL_LEVELS, StudyConfig
from ._today import DeckDay, limit_note, plan_day

if TYPE_CHECKING:
    from ..store import Store
    from .preferences import Settings
    from .stats import Stats

__all__ = ["DeckOverview", "Workspace"]

FORECAST_DAYS = 30


@dataclass(frozen=True, slots=True)
class DeckOverview:
    """One row of the home screen: cards a session would serve today, and why not more."""

    deck_id: str
    title: str
    new: int
    learning: int
    due: int
    day: DeckDay
    source: str

    @property
    def limit_note(self) -> str | None:
        """Which daily limit holds cards back today and how to change it, if one does."""
        return limit_note(self.day, short_deck_name(self.title))


class Workspace:
    """An open progress store plus the injected clock, randomness and study settings.

    ``sources`` says where each deck in use came from (deck id -> text); ``settings``,
    when given, is where the app remembers the level filter and the theme and changes
    settings; ``overrides`` are the settings given on the command line (``--scale``),
    which win over the stored ones for this run; ``warnings``, what home shows about the
    decks at start (a deck file left out as invalid, with its first problem).
    """

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock,
        rng: random.Random,
        config: StudyConfig | None = None,
        settings: Settings | None = None,
        sources: Mapping[str, str] | None = None,
        overrides: Mapping[str, Any] | None = None,
        warnings: Sequence[str] = (),
    ) -> None:
        self.store = store
        self.warnings = tuple(warnings)
        self.clock = clock
        self.rng = rng
        self.config = config or StudyConfig()
        self.settings = settings
        self.sources = dict(sources or {})
        self.overrides = dict(overrides or {})
        self._titles = store.deck_titles()

    def reload_titles(self) -> None:
        """Read the decks' titles again (after a deck was synced while the app runs)."""
        self._titles = self.store.deck_titles()

    def title(self, deck_id: str) -> str:
        """A deck's title (its id if it has none)."""
        return self._titles.get(deck_id, deck_id)

    def source(self, deck_id: str) -> str:
        """Where a deck came from: as given at start, else the file it was last synced from."""
        if deck_id in self.sources:
            return self.sources[deck_id]
        path = self.store.deck_paths().get(deck_id)
        return f"synced earlier from {path}" if path else "synced earlier"

    def source_line(self, deck_id: str, source: str | None) -> str:
        """``IMbrave150 · Key Findings 1`` for an item of this deck."""
        return source_line(self.title(deck_id), source)

    def deck_ids(self, decks: tuple[str, ...] = ()) -> list[str]:
        """The synced decks, or those of `decks` that are synced, in sync order."""
        return [d for d in self.store.deck_ids() if not decks or d in decks]

    def today_plan(self, filters: Filters | None = None) -> tuple[DeckDay, ...]:
        """Each deck's day under `filters`: what is left and which limits hold cards back."""
        return plan_day(self.store, self.config, filters or Filters(), self.today()).decks

    def overview(self, filters: Filters | None = None) -> list[DeckOverview]:
        """New, learning and due counts per deck under `filters` (levels and tags)."""
        return [
            DeckOverview(d.deck_id, self.title(d.deck_id), d.new, d.learning, d.review, d,
                         self.source(d.deck_id))
            for d in self.today_plan(filters)
        ]  # fmt: skip

    def session(self, filters: Filters | None = None) -> Session:
        """A study session over `filters`, starting now."""
        return Session(self.store, clock=self.clock, config=self.config, filters=filters)

    def quiz(
        self, filters: Filters | None = None, count: int = 20, card_ids: list[int] | None = None
    ) -> Quiz:
        """A quiz of up to `count` items drawn from `filters` (or the cards `card_ids`);
        it never changes the schedule."""
        return Quiz(
            self.store, clock=self.clock, rng=self.rng, count=count, filters=filters,
            config=self.config, card_ids=card_ids,
        )  # fmt: skip

    def today(self) -> date:
        """The current study day (it rolls over at the configured hour)."""
        return self.config.boundary.day(self.clock.now())

    def stats(self, filters: Filters | None = None) -> Stats:
        """The figures of ``hccquiz stats``, as of now, of the decks home shows: `filters`'
        decks, else the decks in use (``sources``), else every stored deck; what is left
        today at `filters`' levels (else at the remembered level) and tags."""
        from .stats import collect

        decks = (filters.decks if filters else ()) or tuple(self.sources) or None
        remembered = self.remembered_level()
        levels = filters.levels if filters else (remembered,) if remembered else ()
        return collect(self.store, now=self.clock.now(), config=self.config, decks=decks,
                       levels=levels, tags=filters.tags if filters else ())  # fmt: skip

    def reviews_per_day(self, days: int) -> list[int]:
        """Reviews on each of the last `days` study days, oldest first, today last."""
        today = self.today()
        first = today - timedelta(days=days - 1)
        counts = self.store.reviews_per_day(first, today)
        return [counts.get(first + timedelta(days=n), 0) for n in range(days)]

    def next_due_text(self, filters: Filters | None = None) -> str:
        """When reviews of `filters`' cards are next due after today: ``tomorrow, Tue 24 Nov
        (2 cards)``, ``in 3 days, ...`` or ``nothing due in the next 30 days``."""
        today = self.today()
        forecast = self.store.due_forecast(
            filters or Filters(), today + timedelta(days=1), today + timedelta(FORECAST_DAYS)
        )
        for offset in range(1, FORECAST_DAYS + 1):
            day = today + timedelta(days=offset)
            if count := forecast.get(day, 0):
                when = "tomorrow" if offset == 1 else f"in {offset} days"
                return f"{when}, {day:%a %d %b} ({count} card{'s' if count != 1 else ''})"
        return f"nothing due in the next {FORECAST_DAYS} days"

    def limit_notes(self, filters: Filters | None = None) -> list[str]:
        """One line per deck whose daily limit holds cards back today, with the way to
        change it."""
        notes = (
            limit_note(day, short_deck_name(self.title(day.deck_id)))
            for day in self.today_plan(filters)
        )
        return [note for note in notes if note]

    def empty_reason(self, filters: Filters) -> str | None:
        """Why `filters` leave no card at all in their decks, naming each filter that does
        it and how to change it: ``no card of mini is at level fellow (the level remembered
        from home; …)``, ``no item of mini has the tag x (a tag no deck in use has)``.
        None when some card matches, or when there is no level or tag filter."""
        if not filters.levels and not filters.tags:
            return None
        decks = tuple(self.deck_ids(filters.decks))
        if not decks or self._matching(Filters(decks, filters.levels, filters.tags)):
            return None
        names = ", ".join(decks)
        tags = [t for t in filters.tags if not self._matching(Filters(decks, (), (t,)))]
        if tags and len(tags) == len(filters.tags):
            known = self.store.tags_in_use(decks)
            listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
            there = f"tags in use there: {listed}" if known else "no item there has a tag"
            return (
                f"no item of {names} has the tag {' or '.join(tags)}: an unknown tag "
                f"({there}; see hccquiz browse); change or drop --tag"
            )
        if filters.levels and not self._matching(Filters(decks, filters.levels)):
            return f"no card of {names} is {self._level_words(filters.levels)}"
        return (
            f"no card of {names} is {self._level_words(filters.levels)} with the tag "
            f"{' or '.join(filters.tags)}"
            if filters.levels
            else f"no item of {names} has the tag {' or '.join(filters.tags)}"
        )

    def _matching(self, filters: Filters) -> int:
        """How many active cards (suspended ones too) `filters` select."""
        from ..store import BrowseQuery

        query = BrowseQuery(filters.decks, filters.levels, filters.tags)
        return self.store.browse_count(query, today=self.today())

    def _level_words(self, levels: tuple[str, ...]) -> str:
        """``at level fellow (the level remembered from home; …)``: the levels and where
        they came from, with the ways to change them."""
        where = (
            "the level remembered from home; choose All levels there, give --level, or run "
            "`hccquiz config unset level`"
            if levels == (self.remembered_level(),)
            else "--level; drop it for every level"
        )
        return f"at level {' or '.join(levels)} ({where})"

    def reload_config(self) -> None:
        """Read the stored settings again (after the app changed them)."""
        if self.settings is not None:
            self.config = self.settings.study_config(tz=self.config.tz, **self.overrides)

    def remembered_level(self) -> str | None:
        """The level filter last chosen in the app (None: all levels, or nothing stored)."""
        if self.settings is None:
            return None
        value = self.settings.get("level").value
        return None if value == ALL_LEVELS else value

    def remember(self, key: str, value: str) -> None:
        """Store a setting the app changed (the level filter, the theme), if it can."""
        if self.settings is not None:
            self.settings.set(key, value)
