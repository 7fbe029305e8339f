"""The card browser's side of studying: pages of cards by filters, state and search, one
card's detail (its item, source line and history), suspending and resetting to new.

`Browser` wraps a `Workspace` (its store, clock and settings); the app calls it from
worker threads. With ``own_reader`` it opens a second connection to the same database for
the reads that may wait (the count, a card's detail, the tags), so that the page of rows
for the next keystroke never queues behind them on the workspace's connection.

Resets keep the history: the review log is untouched and the reset itself is logged
(``card_resets``, see `hccquiz.store._search`), so a replay of the log sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..deck.models import AnyItem
from ..grading import Scale
from ._filters import item_of

if TYPE_CHECKING:
    from ..store import BrowseQuery, BrowseRow, CardEvent, Store
    from .edit import SourceSpot
    from .workspace import Workspace

__all__ = ["FIRST_PAGE", "PAGE", "Browser", "CardDetail"]

FIRST_PAGE = 50
"""Rows read for each keystroke: a screenful or more at any terminal size."""
PAGE = 200
"""Rows read at a time as the table scrolls towards the end of what it holds."""


@dataclass(frozen=True, slots=True)
class CardDetail:
    """What the browser's detail pane shows for one card."""

    card_id: int
    deck_id: str
    deck_title: str
    item: AnyItem
    number: int
    levels: tuple[str, ...]
    tags: tuple[str, ...]
    suspended: bool
    retired: bool
    changed: bool
    events: tuple[CardEvent, ...]
    path: Path | None
    spot: SourceSpot | None
    scale: Scale = Scale.FOUR
    """The grading scale in use, which names the grades of `events`."""

    @property
    def location(self) -> str:
        """``PATH:LINE`` of the item in its deck file (PATH relative to the current folder
        when the file is inside it), or why there is none."""
        if self.path is None:
            return "no deck file known"
        shown = _shown(self.spot.path if self.spot else self.path)
        return f"{shown}:{self.spot.line}" if self.spot else shown


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


class Browser:
    """Reads and writes of the card browser, over a workspace."""

    def __init__(self, workspace: Workspace, *, own_reader: bool = False) -> None:
        self.workspace = workspace
        self.store = workspace.store
        self.reader: Store = self.store
        """Where the count, details and tags are read: a second connection, or the store."""
        if own_reader:
            from ..store import Store

            self.reader = Store.open(self.store.path, create=False)

    def close(self) -> None:
        """Close the second connection, if one was opened."""
        if self.reader is not self.store:
            self.reader.close()

    @property
    def scale(self) -> Scale:
        """The grading scale in use (settings, or ``--scale``): the browser names grades
        as it does."""
        return self.workspace.config.scale

    def page(self, query: BrowseQuery, offset: int = 0, limit: int = PAGE) -> list[BrowseRow]:
        """The rows of `query` from `offset`, in its order."""
        return self.store.browse(query, today=self.workspace.today(), limit=limit, offset=offset)

    def count(self, query: BrowseQuery) -> int:
        """How many cards `query` lists."""
        return self.reader.browse_count(query, today=self.workspace.today())

    def rows(self, card_ids: Sequence[int]) -> list[BrowseRow]:
        """The rows of `card_ids` as they are now (after a change)."""
        return self.store.browse_rows(card_ids)

    def tags(self) -> list[str]:
        """Every tag in use, for the tag filter."""
        return self.reader.tags_in_use()

    def deck_file(self, deck_id: str) -> Path | None:
        """The file deck `deck_id` was last synced from."""
        path = self.reader.deck_paths().get(deck_id)
        return Path(path) if path else None

    def detail(self, card_id: int) -> CardDetail:
        """One card: its item, where it is in its deck file, and its history."""
        from .edit import EditRefused, item_spot

        card = self.reader.card(card_id)
        path = self.deck_file(card.deck_id)
        spot = None
        if path is not None and path.is_file():
            try:
                spot = item_spot(path, card.item_id)
            except EditRefused:
                spot = None
        return CardDetail(
            card_id=card.id,
            deck_id=card.deck_id,
            deck_title=self.workspace.title(card.deck_id),
            item=item_of(card),
            number=card.number,
            levels=card.levels,
            tags=card.tags,
            suspended=card.suspended,
            retired=card.retired,
            changed=card.changed,
            events=tuple(self.reader.card_events(card_id)),
            path=path,
            spot=spot,
            scale=self.scale,
        )

    def suspend(self, card_ids: Sequence[int], suspended: bool) -> int:
        """Suspend or unsuspend cards; how many changed."""
        return self.store.suspend_cards(card_ids, suspended)

    def reset(self, card_ids: Sequence[int]) -> int:
        """Reset cards to new, keeping their history (the reset is logged); how many."""
        ws = self.workspace
        return self.store.reset_cards(card_ids, reset_at=ws.clock.now(), day=ws.today())
