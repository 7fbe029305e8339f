"""hccquiz's typed errors, which the CLI prints as one-line messages. Stdlib only."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["DeckError", "HccquizError", "Problem", "count_problems", "printable"]


class HccquizError(Exception):
    """An error meant for the user: its text is the whole message, no traceback."""


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """`text` with control characters (line breaks included) escaped as ``\\n``,
    ``\\x1b`` and so on, so that one message stays one line in a terminal or a CI log."""
    if not _CONTROL_RE.search(text):
        return text
    return _CONTROL_RE.sub(lambda m: repr(m.group())[1:-1], text)


@dataclass(frozen=True)
class Problem:
    """One located problem in a deck file. Line and column count from 1.

    A problem with `hidden` set is not one itself: it stands for that many problems left
    out of a long list (its message says so).
    """

    path: str
    line: int
    column: int
    message: str
    hidden: int = 0

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.line}:{self.column}: {self.message}")


class DeckError(HccquizError):
    """A deck file could not be loaded; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def count_problems(problems: list[Problem]) -> int:
    """How many problems `problems` stands for, counting those a long list left out."""
    return sum(p.hidden or 1 for p in problems)
