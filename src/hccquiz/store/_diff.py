"""The pure half of writing a deck: what changes between the stored items and the new deck.

`diff_deck` compares a validated deck with the rows already stored for it and returns the
rows to insert, update and retire, with the counts `DeckSync` reports. It runs no SQL.

- Items are matched by (deck id, item id). Edited content keeps the cards' schedules and
  history, and flags studied cards "changed since last review".
- Items missing from the deck are retired (hidden, history kept) and restored, with their
  history, if they come back. Cloze cards are matched by deletion number in the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..deck.models import Deck

__all__ = ["DeckDiff", "StoredCard", "StoredItem", "diff_deck"]


@dataclass(frozen=True, slots=True)
class StoredItem:
    """An item row as stored: its row id, place, type, labels, content hash, retired flag."""

    pk: int
    position: int
    type: str
    levels: str
    tags: str
    fact: str | None
    content_hash: str
    retired: bool


@dataclass(frozen=True, slots=True)
class StoredCard:
    """A card row as stored: its id and retired flag."""

    id: int
    retired: bool


@dataclass
class DeckDiff:
    """Rows to write for one deck, as parameter tuples for ``executemany``."""

    new_items: list[tuple[Any, ...]] = field(default_factory=list)
    new_content: list[tuple[int, str]] = field(default_factory=list)
    edited_content: list[tuple[str, int]] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    retire: list[tuple[int]] = field(default_factory=list)
    relabelled: list[tuple[int]] = field(default_factory=list)
    levels: list[tuple[int, str]] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)
    new_cards: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    """(card id, item row id, card number, new_rank: the card's place in deck order, the
    item's levels as JSON: its label)"""
    card_labels: list[tuple[str, int]] = field(default_factory=list)
    """(levels JSON, item row id): items back from retirement or with new levels, whose
    cards take the label of these levels"""
    card_flags: list[tuple[int, int]] = field(default_factory=list)
    """(retired, card id)"""
    changed_items: list[tuple[int]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    cards: int = 0


def _numbers(item: Any) -> list[int]:
    """Cards of an item: one per distinct cloze number, else the single card 1."""
    return item.card_numbers if item.type == "cloze" else [1]


def diff_deck(
    deck: Deck,
    contents: list[tuple[str, str]],
    items: dict[str, StoredItem],
    cards: dict[int, dict[int, StoredCard]],
    *,
    next_item: int,
    next_card: int,
    stamp: str,
    deck_position: int = 0,
) -> DeckDiff:
    """The writes that take the stored rows of `deck` to its new content.

    `contents` is (content JSON, hash) per item, `items` the stored items by item id,
    `cards` the stored cards by item row id then card number; new rows are numbered from
    `next_item` and `next_card`. `stamp` is the time written on added and changed rows.
    New cards get their ``new_rank`` from `deck_position` (see `hccquiz.store._schema`).
    """
    from pydantic_core import to_json  # here: reading the store never needs it

    diff = DeckDiff()
    n = diff.counts
    remaining = dict(items)
    for index, (item, (content, digest)) in enumerate(zip(deck.items, contents, strict=True)):
        # each level once: validation refuses repeats, and item_levels is keyed on them
        levels = list(dict.fromkeys(level.value for level in deck.item_levels(item)))
        tags = deck.item_tags(item)
        levels_json = to_json(levels).decode()
        tags_json = to_json(tags).decode()
        numbers = _numbers(item)
        diff.cards += len(numbers)
        new = (index, item.type, levels_json, tags_json, item.fact)
        old = remaining.pop(item.id, None)
        if old is None:
            item_pk, next_item = next_item, next_item + 1
            diff.new_items.append((item_pk, deck.id, item.id, *new, digest, stamp, stamp))
            diff.new_content.append((item_pk, content))
            n["items_added"] += 1
        else:
            item_pk = old.pk
            changed = old.content_hash != digest
            was = (old.position, old.type, old.levels, old.tags, old.fact)
            if was != new or old.retired or changed:
                diff.updates.append((*new, digest, stamp if changed else None, item_pk))
            n["items_restored"] += old.retired
            n["items_changed"] += changed
            if changed:
                diff.changed_items.append((item_pk,))
                diff.edited_content.append((content, item_pk))
            if old.retired or old.levels != levels_json:
                diff.card_labels.append((levels_json, item_pk))
            if (old.levels, old.tags) == (levels_json, tags_json):
                levels = tags = []  # labels unchanged: nothing to rewrite
            else:
                diff.relabelled.append((item_pk,))
        diff.levels += [(item_pk, v) for v in levels]
        diff.tags += [(item_pk, v) for v in tags]
        have = cards.get(item_pk, {})
        for number in numbers:
            if number not in have:
                rank = (deck_position << 40) + (index << 17) + number
                diff.new_cards.append((next_card, item_pk, number, rank, levels_json))
                next_card += 1
                n["cards_added"] += 1
            elif have[number].retired:
                diff.card_flags.append((0, have[number].id))
                n["cards_restored"] += 1
        for number, card in have.items():
            if number not in numbers and not card.retired:
                diff.card_flags.append((1, card.id))
                n["cards_retired"] += 1
    diff.retire = [(old.pk,) for old in remaining.values() if not old.retired]
    n["items_retired"] = len(diff.retire)
    return diff
