"""Findings with file locations: ``PATH:LINE:COL: warning: message [rule-id]``."""

from __future__ import annotations

from dataclasses import dataclass

from ..file import check_file_bytes, load_deck_text
from ..models import Deck
from ..parse import compose, located
from ._core import Finding, SourceText

__all__ = ["LintWarning", "lint_deck_text", "locate"]


@dataclass(frozen=True, slots=True)
class LintWarning:
    """A finding at a place in a deck file."""

    path: str
    line: int
    column: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: warning: {self.message} [{self.rule}]"


def locate(text: bytes, name: str, findings: list[Finding]) -> list[LintWarning]:
    """`findings` placed in the deck file `text` (already known to parse), in file order."""
    if not findings:
        return []
    root = compose(text)
    out = []
    for finding in findings:
        problem = located(name, root, finding.loc, finding.message)
        out.append(LintWarning(name, problem.line, problem.column, finding.rule, problem.message))
    return sorted(out, key=lambda w: (w.line, w.column))


def lint_deck_text(
    raw: bytes | str, name: str = "<deck>", source: SourceText | None = None
) -> tuple[Deck, list[LintWarning]]:
    """Validate deck YAML and lint it: the deck and its warnings, located. An invalid deck
    raises `DeckError` with every problem, as `load_deck_text` does."""
    from . import lint_deck

    deck = load_deck_text(raw, name)
    text = check_file_bytes(raw, name) if isinstance(raw, bytes) else raw.encode("utf-8")
    return deck, locate(text, name, lint_deck(deck, source))
