"""The ``hccquiz`` command line (click). Heavy modules are imported inside the commands, so
``hccquiz --help`` loads none of pydantic, PyYAML, textual or SQLite."""

from __future__ import annotations

from . import (  # noqa: F401  (each registers its commands)
    _cohort,
    _config,
    _db,
    _decks,
    _fsrs,
    _lint,
    _progress,
    _serve,
    _study,
)
from ._base import cli, main

__all__ = ["cli", "main"]
