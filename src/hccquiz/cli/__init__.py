"""The ``hccquiz`` command line (click). Heavy modules are imported inside the commands, so
``hccquiz --help`` loads none of pydantic, PyYAML, textual or SQLite."""

from __future__ import annotations

from . import _config, _decks, _lint, _serve, _study  # noqa: F401  (each registers its commands)
from ._base import cli, main

__all__ = ["cli", "main"]
