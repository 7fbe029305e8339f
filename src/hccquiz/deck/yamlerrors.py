"""Where a YAML syntax error is reported, and how it reads: the problem, what the parser
was reading when it met it and where that starts. An unclosed quote or bracket is found
only at the end of the file; it is reported where it opens. No YAML import: the error's
``problem``, ``context`` and marks are read as plain attributes."""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["MarkedError", "syntax_mark", "syntax_message"]


class MarkedError(Protocol):
    """What a PyYAML ``MarkedYAMLError`` carries (marks have 0-based line and column)."""

    problem: str | None
    context: str | None
    problem_mark: Any
    context_mark: Any


def _runs_to_the_end(exc: MarkedError) -> bool:
    """True when the error is found only at the end of the file (an unclosed quote or
    bracket): the place to point at is where the unclosed thing starts."""
    return exc.context_mark is not None and "end of stream" in (exc.problem or "")


def syntax_mark(exc: MarkedError) -> Any:
    """The mark a syntax error is reported at: where it was found, or, for something left
    unclosed to the end of the file, where that thing starts (None: no mark at all)."""
    if _runs_to_the_end(exc):
        return exc.context_mark
    return exc.problem_mark or exc.context_mark


def syntax_message(exc: MarkedError) -> str:
    """``YAML syntax error: <problem> (<context> that starts at line L, column C)``."""
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    start, found = exc.context_mark, exc.problem_mark
    if _runs_to_the_end(exc) and found is not None:
        unclosed = "quote" if "quoted" in context else "bracket" if "flow" in context else ""
        hint = f"; is a closing {unclosed} missing?" if unclosed else ""
        return (f"YAML syntax error: {problem} at line {found.line + 1} ({context} that "
                f"starts here{hint})")  # fmt: skip
    if context and start is not None and found is not None and start.line != found.line:
        context += f" that starts at line {start.line + 1}, column {start.column + 1}"
    return f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
