"""The same-day queue: SM-2's drill in the order cards failed, or FSRS's learning and
relearning steps in the order they end."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

__all__ = ["LEARN_AHEAD", "SameDay"]

LEARN_AHEAD = timedelta(minutes=20)
"""How early a step card is shown when nothing else is left (Anki's learn-ahead limit)."""


class SameDay:
    """Cards that come back today: by the instant their step ends (FSRS), or in the order
    they were added (SM-2's drill, which has no instants). Iterates in that order."""

    def __init__(self, cards: Iterable[tuple[int, datetime | None]] = ()) -> None:
        self._order = itertools.count()
        self._items: list[tuple[float, int, int]] = []  # (timestamp, order, card)
        for card_id, at in cards:
            self.append(card_id, at)

    @staticmethod
    def _key(at: datetime | None) -> float:
        return float("inf") if at is None else at.timestamp()

    def append(self, card_id: int, at: datetime | None = None) -> None:
        """Add a card that comes back at ``at`` (None: after every timed one, in order)."""
        bisect.insort(self._items, (self._key(at), next(self._order), card_id))

    def appendleft(self, card_id: int) -> None:
        """Put a card first (an undone grade's card goes back where it was)."""
        self._items.insert(0, (float("-inf"), -1, card_id))

    def popleft(self) -> int:
        """Take the first card."""
        return self._items.pop(0)[2]

    def remove(self, card_id: int) -> None:
        """Take ``card_id`` out (its last entry)."""
        for k in range(len(self._items) - 1, -1, -1):
            if self._items[k][2] == card_id:
                del self._items[k]
                return
        raise ValueError(f"card {card_id} is not in the same-day queue")

    def ended(self, now: datetime) -> bool:
        """True if the first card's step has ended by ``now`` (never for an untimed card)."""
        return bool(self._items) and self._items[0][0] <= now.timestamp()

    def ready(self, now: datetime, ahead: timedelta = timedelta(0)) -> bool:
        """True if the first card may be shown at ``now`` (its step ends by ``now + ahead``;
        an untimed card always may)."""
        if not self._items:
            return False
        first = self._items[0][0]
        return first == float("inf") or first <= (now + ahead).timestamp()

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __iter__(self) -> Iterator[int]:
        return (card for _, _, card in self._items)

    def __getitem__(self, index: int) -> int:
        return self._items[index][2]
