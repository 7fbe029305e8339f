"""Anki cloze deletions (``{{c1::answer::hint}}``): finding, numbering and checking them.

The one home of cloze syntax: the models check it, the store numbers cards by it, the
terminal and Anki renderers and the drafter read it. Pure; no pydantic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "CLOZE_RE",
    "MAX_CLOZE_DELETIONS",
    "MAX_CLOZE_NUMBER",
    "ClozeDeletion",
    "card_numbers",
    "check_cloze",
    "cloze_deletions",
]

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
"""One Anki cloze deletion: ``{{c1::answer}}`` or ``{{c1::answer::hint}}``."""
MAX_CLOZE_NUMBER = 65535
"""The largest cloze number: Anki keeps a card's number in 16 bits and refuses a package
with c65537 or more; hccquiz stops one short of the edge."""
MAX_CLOZE_DELETIONS = 1000
"""The most deletions one cloze item may hold (a flashcard, not a document)."""

_BRACES_RE = re.compile(r"\{\{|\}\}")
_OPEN_RE = re.compile(r"\{\{")
_NUMBER_RE = re.compile(r"\{\{c(\d+)::")
_NUMBER_DIGITS = len(str(MAX_CLOZE_NUMBER))
# A whole well-formed cloze text, matched in one pass (no Python per deletion): plain text
# without "{{" or "}}", and deletions numbered 1-65535 in at most 5 digits, whose answer
# is not blank and runs to the first "::" or "}}", as in CLOZE_RE; neither answer nor hint
# may hold "{{" (deletions cannot nest). Possessive, unrolled runs keep it cheap. A
# property test checks that it accepts exactly what `_explain` accepts.
_NUMBER = (
    r"(?=\d{1,5}::)0*+(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d\d|655[0-2]\d|6553[0-5])"
)
_ANSWER = r"(?!\s*+(?:::|\}\}))[^:{}]*+(?:(?::(?!:)|\{(?!\{)|\}(?!\}))[^:{}]*+)*+"
_HINT = r"[^{}]*+(?:(?:\{(?!\{)|\}(?!\}))[^{}]*+)*+"
_WELL_FORMED_RE = re.compile(
    r"(?:[^{}]++|\{(?!\{)|\}(?!\})|\{\{c"
    + _NUMBER
    + "::"
    + _ANSWER
    + "(?:::"
    + _HINT
    + r")?\}\})*+",
    re.DOTALL,
)


_LONG = 64
"""Above this many characters per deletion, `_long_deletions_well_formed` is faster than
the one-pass expression: it hops from marker to marker with ``str.find``."""
_HEAD_RE = re.compile(r"\{\{c" + _NUMBER + "::")
_BLANK_RE = re.compile(r"\s*+(?:::|\}\})")


def _long_deletions_well_formed(text: str, opens: int) -> bool:
    """`_WELL_FORMED_RE.fullmatch(text)`, for texts of few long deletions: a Python step
    per deletion, and the characters between markers skipped by ``str.find`` (C speed)."""
    pos = found = 0
    while (start := text.find("{{", pos)) != -1:
        if text.find("}}", pos, start) != -1 or (start > pos and text[start - 1] == "{"):
            return False  # a stray "}}", or "{{{" before a deletion
        head = _HEAD_RE.match(text, start)
        if head is None or _BLANK_RE.match(text, head.end()):
            return False  # not "{{c<1-65535>::", or a blank answer
        close = text.find("}}", head.end())
        if close == -1 or text.find("{{", head.end(), close) != -1:
            return False  # never closed, or a deletion inside a deletion
        pos, found = close + 2, found + 1
    return found == opens and text.find("}}", pos) == -1


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
    return sorted(set(map(int, _NUMBER_RE.findall(text))))


def check_cloze(text: str) -> str:
    """Return ``text`` if its deletions are well formed; raise `ValueError` saying where not.

    At most `MAX_CLOZE_DELETIONS` deletions, numbered 1 to `MAX_CLOZE_NUMBER`. A well
    formed text is settled by one regular-expression pass and a few whole-string
    operations (no Python loop per character or per deletion); only a text with a problem
    is walked to say where.
    """
    opens = text.count("{{")
    if opens > MAX_CLOZE_DELETIONS:
        raise ValueError(
            f"{opens:,} cloze deletions in one item: at most {MAX_CLOZE_DELETIONS:,}; "
            "split the text into several items"
        )
    if opens and (
        _long_deletions_well_formed(text, opens)
        if len(text) > _LONG * opens
        else _WELL_FORMED_RE.fullmatch(text) is not None
    ):
        return text
    _explain(text)
    raise ValueError("malformed cloze deletions: write {{c1::answer}}")  # pragma: no cover


def _explain(text: str) -> None:
    """Raise `ValueError` for the first problem in `text`, saying where it is."""
    depth, opened = 0, -1
    for m in _BRACES_RE.finditer(text):
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
    matches = list(CLOZE_RE.finditer(text))
    if not matches:
        raise ValueError("cloze text has no deletion; mark one like {{c1::0.58}}")
    starts = {m.start() for m in matches}
    for m in _OPEN_RE.finditer(text):
        if m.start() not in starts:
            snippet = text[m.start() : m.start() + 12]
            raise ValueError(f"malformed deletion {snippet!r}...: write {{{{c1::answer}}}}")
    for m in matches:
        digits = m.group(1)
        if len(digits) > _NUMBER_DIGITS or int(digits) > MAX_CLOZE_NUMBER:
            shown = digits if len(digits) <= 12 else f"{digits[:6]}...({len(digits):,} digits)"
            raise ValueError(
                f"cloze number c{shown} is too large: numbers go from c1 to "
                f"c{MAX_CLOZE_NUMBER} (Anki's limit)"
            )
        if int(digits) < 1:
            raise ValueError(f"cloze numbers start at c1, not c{digits}")
        if not m.group(2).strip():
            raise ValueError(f"cloze deletion c{int(digits)} is empty")
