"""The store's errors: each is one line for the user."""

from __future__ import annotations

from ..errors import HccquizError

__all__ = ["CorruptDatabase", "NotHccquizDatabase", "StaleCard", "StoreBusy", "StoreError"]


class StoreError(HccquizError):
    """A problem with the progress database, told in one line."""


class NotHccquizDatabase(StoreError):
    """The file is not an hccquiz database. It was not modified."""


class CorruptDatabase(StoreError):
    """The file looks like an hccquiz database but SQLite reports it damaged."""


class StoreBusy(StoreError):
    """Another process kept the database locked for longer than the retry window."""


class StaleCard(StoreError):
    """A card changed since it was read (another process graded it, or it was undone)."""
