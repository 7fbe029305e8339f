"""The base of hccquiz's typed errors, which the CLI prints as one-line messages."""

from __future__ import annotations

__all__ = ["HccquizError"]


class HccquizError(Exception):
    """An error meant for the user: its text is the whole message, no traceback."""
