"""hccquiz: spaced-repetition flashcards and quizzes for clinical-trial evidence.

The public API is loaded lazily so that ``hccquiz --help`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Deck", "DeckError", "Level", "Problem", "__version__", "export_apkg", "load_deck"]

_LAZY = {
    "Deck": "hccquiz.models",
    "Level": "hccquiz.models",
    "DeckError": "hccquiz.deckfile",
    "Problem": "hccquiz.deckfile",
    "load_deck": "hccquiz.deckfile",
    "export_apkg": "hccquiz.anki",
}

if TYPE_CHECKING:
    from .anki import export_apkg
    from .deckfile import DeckError, Problem, load_deck
    from .models import Deck, Level


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'hccquiz' has no attribute {name!r}")
