"""hccquiz's typed errors, which the CLI prints as one-line messages. Stdlib only."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DeckError", "HccquizError", "Problem"]


class HccquizError(Exception):
    """An error meant for the user: its text is the whole message, no traceback."""


@dataclass(frozen=True)
class Problem:
    """One located problem in a deck file. Line and column count from 1."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class DeckError(HccquizError):
    """A deck file could not be loaded; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))
