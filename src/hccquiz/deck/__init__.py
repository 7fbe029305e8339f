"""Decks: training levels, the item models, YAML deck files and where decks are found.

Names load lazily, so that ``hccquiz.deck.levels`` (for the command line's choices) does
not pay for pydantic and PyYAML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_getattr

__all__ = [
    "AnyItem",
    "BasicItem",
    "ChoiceItem",
    "ClozeItem",
    "Deck",
    "DeckError",
    "Item",
    "Level",
    "Problem",
    "Source",
    "load_deck",
    "load_deck_text",
    "load_decks",
]

_LAZY = {
    "AnyItem": ".models",
    "BasicItem": ".models",
    "ChoiceItem": ".models",
    "ClozeItem": ".models",
    "Deck": ".models",
    "Item": ".models",
    "Source": ".models",
    "Level": ".levels",
    "DeckError": "..errors",
    "Problem": "..errors",
    "load_deck": ".file",
    "load_deck_text": ".file",
    "load_decks": ".file",
}

if TYPE_CHECKING:
    from ..errors import DeckError, Problem
    from .file import load_deck, load_deck_text, load_decks
    from .levels import Level
    from .models import AnyItem, BasicItem, ChoiceItem, ClozeItem, Deck, Item, Source


__getattr__ = lazy_getattr(__name__, _LAZY)
