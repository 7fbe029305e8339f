"""Where the bundled decks are: ``decks/`` in a checkout, or the copy packaged in the wheel."""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_deck_dir"]


def bundled_deck_dir() -> Path | None:
    """``decks/`` in the current folder, else the checkout's, else the packaged copy."""
    package = Path(__file__).resolve().parent
    for folder in (Path("decks"), package.parents[1] / "decks", package / "_decks"):
        if folder.is_dir() and any(folder.glob("*.yaml")):
            return folder
    return None
