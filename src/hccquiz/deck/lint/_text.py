"""Text helpers for the lint rules: plain text of Markdown, words, numbers and intervals.

Pure functions; no pydantic, no YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "NUMBER_RE",
    "STOP_WORDS",
    "Interval",
    "ci_ranges",
    "contains_phrase",
    "decimals",
    "intervals_overlap",
    "numbers",
    "option_interval",
    "plain",
    "words",
]

NUMBER_RE = re.compile(r"(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w]|\.\d)")
"""A number as printed: ``0.58``, ``1171``, ``-3``; not the 3 of ``c3`` or of ``ECOG3``."""

_MARKUP = re.compile(r"[*_`~]+|\\(?=[\\`*_{}\[\]()#+\-.!|<>~&])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_CI = re.compile(
    r"(?:\bCI|confidence interval)\b[,:]?(?:\s+(?:of|was|is|from))?\s*"
    r"(?P<lo>-?\d+(?:\.\d+)?)\s*%?\s*(?:to|–|—|-)\s*(?P<hi>-?\d+(?:\.\d+)?)",
    re.IGNORECASE,
)

_STOP_WORD_LINES = (
    "a an the and or nor but if then than so as of in on at to for with by from into onto",
    "about over under between among per via vs versus is was are were be been being am it",
    "its this that these those there here which who whom whose what when where why how not",
    "no yes very more most less least much many few some any all each both either neither",
    "only also just such same other own too can could may might must shall should will would",
    "do does did has have had he she they we you i his her their our your them him us me my",
    "short long high low higher lower longer shorter greater larger smaller fewer better worse",
    "significant significantly relatively increased decreased improved reduced major minor",
    "good bad key main new old first last different",
)
STOP_WORDS = frozenset(word for line in _STOP_WORD_LINES for word in line.split())
"""Function words, and the vague modifiers (``short``, ``higher``) that grammar alone gives
away: a cloze that hides only these tests nothing."""


def plain(text: str) -> str:
    """Markdown text as plain words: emphasis and escapes dropped, whitespace collapsed."""
    return " ".join(_MARKUP.sub("", text).split())


def words(text: str) -> list[str]:
    """The words of `text`, lowercased (hyphenated words stay whole)."""
    return [w.casefold().strip("'’-") for w in _WORD.findall(text)]


def numbers(text: str) -> list[str]:
    """The numbers in `text` as printed (thousands separators dropped): ``1,171`` -> ``1171``."""
    return [m.group().replace(",", "") for m in NUMBER_RE.finditer(text)]


def decimals(number: str) -> int:
    """Digits after the decimal point: 2 for ``0.58``."""
    return len(number.split(".", 1)[1]) if "." in number else 0


def contains_phrase(haystack: str, phrase: str) -> bool:
    """True if `phrase` occurs in `haystack` as whole words, ignoring case."""
    phrase = " ".join(phrase.casefold().split())
    if not phrase:
        return False
    pattern = rf"(?<![\w.]){re.escape(phrase)}(?![\w]|\.\d)"
    return re.search(pattern, " ".join(haystack.casefold().split())) is not None


def ci_ranges(text: str) -> list[tuple[Decimal, Decimal]]:
    """The confidence intervals written in `text` (``95% CI, 0.42 to 0.79``), low first."""
    out = []
    for match in _CI.finditer(text):
        lo, hi = Decimal(match.group("lo")), Decimal(match.group("hi"))
        out.append((min(lo, hi), max(lo, hi)))
    return out


@dataclass(frozen=True, slots=True)
class Interval:
    """A range of values an option stands for; None is unbounded on that side."""

    low: Decimal | None
    high: Decimal | None
    low_closed: bool = True
    high_closed: bool = True


_NUM = r"(-?\d+(?:\.\d+)?)"
_RANGE = re.compile(rf"^(?:from\s+|between\s+)?{_NUM}\s*%?\s*(?:to|–|—|-|and)\s*{_NUM}\b")
_BOUND = re.compile(
    rf"^(?P<op><=|>=|≤|≥|<|>|less than|fewer than|under|below|more than|over|above|"
    rf"greater than|at least|at most|up to|no more than)\s*{_NUM}",
    re.IGNORECASE,
)
_UPPER = {"<": False, "less than": False, "fewer than": False, "under": False, "below": False,
          "<=": True, "≤": True, "at most": True, "up to": True, "no more than": True}  # fmt: skip
_LOWER = {">": False, "more than": False, "over": False, "above": False, "greater than": False,
          ">=": True, "≥": True, "at least": True}  # fmt: skip


def option_interval(text: str) -> Interval | None:
    """The range an option such as ``6 to 12 months``, ``< 6 months`` or ``≥ 50%`` stands
    for, or None when it is not a range or a bound."""
    text = plain(text).strip()
    if match := _RANGE.match(text):
        a, b = Decimal(match.group(1)), Decimal(match.group(2))
        return Interval(min(a, b), max(a, b))
    if match := _BOUND.match(text):
        op, value = match.group("op").casefold(), Decimal(match.group(2))
        if op in _UPPER:
            return Interval(None, value, high_closed=_UPPER[op])
        return Interval(value, None, low_closed=_LOWER[op])
    return None


def intervals_overlap(a: Interval, b: Interval) -> bool:
    """True if some value lies in both intervals."""
    for first, second in ((a, b), (b, a)):
        if first.high is not None and second.low is not None:
            if first.high < second.low:
                return False
            if first.high == second.low and not (first.high_closed and second.low_closed):
                return False
    return True
