"""Deck files given to a report: where each item (and each choice) is, for flags an
editor jumps to, and each item's current content hash, to tell versions apart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..deck.content import item_contents
from ..deck.file import read_deck_bytes
from ..deck.models import ChoiceItem, Deck
from ..deck.parse import compose, located
from ..errors import Problem
from .flags import Flag

__all__ = ["DeckIndex"]


@dataclass(slots=True)
class _DeckEntry:
    path: Path
    deck: Deck
    root: Any
    positions: dict[str, int] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)


class DeckIndex:
    """The decks of a report, by id, with their files' node trees."""

    def __init__(self, decks: Sequence[tuple[Path, Deck]]) -> None:
        self._decks: dict[str, _DeckEntry] = {}
        for path, deck in decks:
            entry = _DeckEntry(path, deck, compose(read_deck_bytes(path)))
            for n, (item, (_, digest)) in enumerate(
                zip(deck.items, item_contents(deck.items), strict=True)
            ):
                entry.positions[item.id] = n
                entry.hashes[item.id] = digest
            self._decks[deck.id] = entry

    @property
    def deck_ids(self) -> tuple[str, ...]:
        """The ids of the decks given."""
        return tuple(self._decks)

    def title(self, deck_id: str) -> str | None:
        """A deck's title, if its file was given."""
        entry = self._decks.get(deck_id)
        return entry.deck.title if entry else None

    def current_hash(self, deck_id: str, item_id: str) -> str | None:
        """The content hash of the item as its deck file has it now (None: not in it)."""
        entry = self._decks.get(deck_id)
        return entry.hashes.get(item_id) if entry else None

    def item(self, deck_id: str, item_id: str) -> Any:
        """The item as the deck file has it now, or None."""
        entry = self._decks.get(deck_id)
        if entry is None or item_id not in entry.positions:
            return None
        return entry.deck.items[entry.positions[item_id]]

    def locate(self, flag: Flag) -> Problem | None:
        """Where `flag` points in its deck file: the item, or the choice it names;
        None when the deck file was not given or no longer has the item."""
        entry = self._decks.get(flag.deck_id)
        if entry is None or flag.item_id not in entry.positions:
            return None
        n = entry.positions[flag.item_id]
        loc: tuple[str | int, ...] = ("items", n)
        item = entry.deck.items[n]
        if isinstance(item, ChoiceItem) and flag.option in item.choices:
            loc = ("items", n, "choices", item.choices.index(flag.option))
        message = flag.message
        if flag.card and flag.card > 1:
            message = f"card {flag.card}: {message}"
        if flag.content_hash and flag.content_hash != entry.hashes[flag.item_id]:
            message = f"(an earlier version, {flag.content_hash}) {message}"
        return located(str(entry.path), entry.root, loc, message)
