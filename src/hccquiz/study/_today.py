"""What is left today: the one place that works out a study day's queues and counts.

`plan_day` applies each deck's daily limits (`StudyConfig.new_limit`, `review_limit`) to
what the store holds, and says for each deck whether a limit is holding cards back. A
`Session` builds its queues from it, and the home screen, the session summary and
``hccquiz stats`` count from it, so they agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from ._filters import Filters
from ._settings import StudyConfig

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["DayPlan", "DeckDay", "limit_note", "plan_day"]


@dataclass(frozen=True, slots=True)
class DeckDay:
    """One deck's day: cards left per queue, and its limits with what they hold back."""

    deck_id: str
    new: int
    learning: int
    review: int
    new_limit: int
    new_done: int
    new_held: bool
    review_limit: int
    review_done: int
    review_held: bool
    """``*_held``: the limit keeps cards of this deck for another day (more wait)."""

    @property
    def total(self) -> int:
        """Every card left today."""
        return self.new + self.learning + self.review


def limit_note(day: DeckDay, title: str | None = None) -> str | None:
    """``daily new-card limit reached: 20 of 20; change with …`` when a deck has used up a
    daily limit and more cards wait, else None. `title` names the deck (its id if None)."""
    notes = []
    deck = f" --deck {day.deck_id}"
    if day.new_held and day.new == 0:
        notes.append(
            f"daily new-card limit reached: {day.new_done} of {day.new_limit}; change with "
            f"hccquiz config set new_per_day {max(day.new_limit * 3 // 2, day.new_limit + 10)}"
            f"{deck}"
        )
    if day.review_held and day.review == 0:
        notes.append(
            f"daily review limit reached: {day.review_done} of {day.review_limit}; change with "
            f"hccquiz config set reviews_per_day {day.review_limit * 2 or 100}{deck}"
        )
    if not notes:
        return None
    return f"{title or day.deck_id}: " + "; ".join(notes)


@dataclass(frozen=True, slots=True)
class DayPlan:
    """The queues of one study day under some filters, and each deck's share."""

    day: date
    review: tuple[int, ...]
    new: tuple[int, ...]
    drill: tuple[int, ...]
    decks: tuple[DeckDay, ...]
    step_ends: Mapping[int, datetime] = field(default_factory=dict)
    """Under FSRS, ``drill`` holds the cards in a learning or relearning step that ends
    today, soonest first, and this the instant each step ends."""


def plan_day(
    store: Store,
    config: StudyConfig,
    filters: Filters,
    day: date,
    *,
    steps: bool | None = None,
) -> DayPlan:
    """The queues left on study day `day`: due reviews (most overdue first), new cards (in
    deck order, one per item and fact, siblings buried) and the same-day queue, each deck
    within its own daily limits. The same-day queue is SM-2's drill, or with `steps`
    (default: FSRS in force) FSRS's learning and relearning steps ending today."""
    if steps is None:
        steps = store.scheduler_in_force() == "fsrs"
    deck_ids = [d for d in store.deck_ids() if not filters.decks or d in filters.decks]
    done = store.studied_by_deck(day)
    new: list[int] = []
    new_per_deck: dict[str, tuple[int, bool]] = {}
    review_room: dict[str, int] = {}
    for deck_id in deck_ids:
        new_done, review_done = done.get(deck_id, (0, 0))
        room = max(0, config.new_limit(deck_id) - new_done)
        one_deck = Filters((deck_id,), filters.levels, filters.tags)
        ids = store.new_card_ids(one_deck, room + 1, bury_on=day)
        new += ids[:room]
        new_per_deck[deck_id] = (min(room, len(ids)), len(ids) > room)
        review_room[deck_id] = max(0, config.review_limit(deck_id) - review_done) + 1
    due = store.due_cards_by_deck(day, filters, review_room)
    taken: dict[str, int] = dict.fromkeys(deck_ids, 0)
    review: list[int] = []
    for card_id, deck_id in due:
        if taken[deck_id] < review_room[deck_id] - 1:
            review.append(card_id)
        taken[deck_id] += 1
    step_ends: dict[int, datetime] = {}
    if steps:
        rows = store.step_card_ids(day, filters)
        step_ends = {c: datetime.fromisoformat(at) for c, at, _ in rows}
        drill = list(step_ends)
        drill_decks = {c: deck for c, _, deck in rows}
    else:
        drill = store.drill_card_ids(day, filters) if config.drill else []
        drill_decks = store.deck_of_cards(drill) if drill else {}
    decks = []
    for deck_id in deck_ids:
        new_done, review_done = done.get(deck_id, (0, 0))
        room = review_room[deck_id] - 1
        decks.append(
            DeckDay(
                deck_id=deck_id,
                new=new_per_deck[deck_id][0],
                learning=sum(d == deck_id for d in drill_decks.values()),
                review=min(taken[deck_id], room),
                new_limit=config.new_limit(deck_id),
                new_done=new_done,
                new_held=new_per_deck[deck_id][1],
                review_limit=config.review_limit(deck_id),
                review_done=review_done,
                review_held=taken[deck_id] > room,
            )
        )
    return DayPlan(day, tuple(review), tuple(new), tuple(drill), tuple(decks), step_ends)
