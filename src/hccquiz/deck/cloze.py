"""Anki cloze deletions (``{{c1::answer::hint}}``): finding, numbering and checking them.

The one home of cloze syntax: the models check it, the store numbers cards by it, the
terminal and Anki renderers and the drafter read it. Pure; no pydantic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CLOZE_RE", "ClozeDeletion", "card_numbers", "check_cloze", "cloze_deletions"]

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
"""One Anki cloze deletion: ``{{c1::answer}}`` or ``{{c1::answer::hint}}``."""


@dataclass(frozen=True, slots=True)
class ClozeDeletion:
    """One ``{{cN::answer::hint}}`` occurrence in a cloze text."""

    number: int
    answer: str
    hint: str | None
    start: int
    end: int


def cloze_deletions(text: str) -> list[ClozeDeletion]:
    """Every deletion in ``text``, in order of appearance."""
    return [
        ClozeDeletion(int(m.group(1)), m.group(2), m.group(3), m.start(), m.end())
        for m in CLOZE_RE.finditer(text)
    ]


def card_numbers(text: str) -> list[int]:
    """The distinct deletion numbers of a cloze text, ascending: one card each, as in Anki."""
    return sorted({int(m) for m in re.findall(r"\{\{c(\d+)::", text)})


def check_cloze(text: str) -> str:
    """Return ``text`` if its deletions are well formed; raise `ValueError` saying where not."""
    depth, opened = 0, -1
    for m in re.finditer(r"\{\{|\}\}", text):
        if m.group() == "{{":
            if depth:
                raise ValueError(f"cloze deletions cannot nest ('{{{{' at character {m.start()})")
            depth, opened = 1, m.start()
        elif depth:
            depth = 0
        else:
            raise ValueError(f"unbalanced braces: '}}}}' at character {m.start()} closes nothing")
    if depth:
        raise ValueError(f"unbalanced braces: '{{{{' at character {opened} is never closed")
    deletions = cloze_deletions(text)
    if not deletions:
        raise ValueError("cloze text has no deletion; mark one like {{c1::0.58}}")
    for m in re.finditer(r"\{\{", text):
        if not any(d.start == m.start() for d in deletions):
            snippet = text[m.start() : m.start() + 12]
            raise ValueError(f"malformed deletion {snippet!r}...: write {{{{c1::answer}}}}")
    for d in deletions:
        if d.number < 1:
            raise ValueError(f"cloze numbers start at c1, not c{d.number}")
        if not d.answer.strip():
            raise ValueError(f"cloze deletion c{d.number} is empty")
    return text
