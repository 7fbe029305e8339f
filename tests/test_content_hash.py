"""Content hashes never change for an unchanged item.

The hash is stored with every review and goes into progress exports, where a changed hash
splits an item's results by version. These values were computed by hccquiz 0.1 (before any
field was added to the deck format) for `fixtures/pinned-hashes.yaml`, which uses every
field of that format; a new optional field must leave them exactly as they are.
"""

from __future__ import annotations

from pathlib import Path

from hccquiz.deck.content import content_hash, item_contents
from hccquiz.deck.file import load_deck, load_deck_text

FIXTURE = Path(__file__).parent / "fixtures" / "pinned-hashes.yaml"
PINNED = {
    "b1": "413f4412983d6ef4",
    "b2": "262e680c8fcfa988",
    "c1": "bc896b4e5ac91125",
    "c2": "798553374654c0b0",
    "m1": "b3643ec7a0327a82",
    "m2": "e039077d9841ea60",
}


def test_hashes_of_first_format_items_are_pinned() -> None:
    deck = load_deck(FIXTURE)
    contents = item_contents(deck.items)
    stored = {item.id: digest for item, (_, digest) in zip(deck.items, contents, strict=True)}
    assert stored == PINNED
    assert {i.id: content_hash(i.model_dump(mode="json")) for i in deck.items} == PINNED


def test_labels_are_not_content() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    relabelled = text.replace("  - id: b1\n", "  - id: b1\n    fact: os-hr\n    tags: [y]\n")
    deck = load_deck_text(relabelled)
    assert item_contents(deck.items)[0][1] == PINNED["b1"]
    edited = load_deck_text(text.replace('answer: "0.58"', 'answer: "0.59"'))
    assert item_contents(edited.items)[0][1] != PINNED["b1"]
