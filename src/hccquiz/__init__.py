"""hccquiz: spaced-repetition flashcards and quizzes for clinical-trial evidence.

The public API is loaded lazily so that ``hccquiz --help`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_getattr

__version__ = "0.1.0"

__all__ = ["Deck", "DeckError", "Level", "Problem", "__version__", "export_apkg", "load_deck"]

_LAZY = {
    "Deck": ".deck.models",
    "Level": ".deck.levels",
    "DeckError": ".errors",
    "Problem": ".errors",
    "load_deck": ".deck.file",
    "export_apkg": ".anki.package",
}

if TYPE_CHECKING:
    from .anki.package import export_apkg
    from .deck.file import load_deck
    from .deck.levels import Level
    from .deck.models import Deck
    from .errors import DeckError, Problem


__getattr__ = lazy_getattr(__name__, _LAZY)
