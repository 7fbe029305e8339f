"""Rules for choice items, after the NBME item-writing guide: no negative lead-ins, no
"all/none of the above", a key no longer than its distractors, options that do not
overlap, and at least three options."""

from __future__ import annotations

import re
from collections.abc import Iterator
from statistics import mean

from ..models import ChoiceItem, Deck
from ._core import Context, Finding, Rule, item_loc, prompt_key
from ._text import contains_phrase, intervals_overlap, option_interval, plain, words

__all__ = ["CHOICE_RULES"]

_NEGATIVE = re.compile(r"\b(?:NOT|EXCEPT|LEAST)\b|\bexcept\b|\bnot\b(?!\s+only\b)|n't\b")
_ABOVE = re.compile(
    r"\b(?:all|none|both|neither)\s+of\s+(?:the\s+)?(?:above|these|those|the\s+options)\b"
    r"|^(?:all|none|both|neither)$",
    re.IGNORECASE,
)


def _choices(deck: Deck) -> Iterator[tuple[int, ChoiceItem]]:
    for index, item in enumerate(deck.items):
        if isinstance(item, ChoiceItem):
            yield index, item


def negative_lead_in(deck: Deck, context: Context) -> Iterator[Finding]:
    """A lead-in asking for the option that is NOT (or EXCEPT) something."""
    for index, item in _choices(deck):
        match = _NEGATIVE.search(plain(item.prompt))
        if match:
            yield Finding(
                "negative-lead-in",
                item_loc(index, prompt_key(item)),
                f"negative lead-in ({match.group()!r}): ask for the one true option instead; "
                "a reader who misses the negative answers the opposite question",
            )


def all_none_of_the_above(deck: Deck, context: Context) -> Iterator[Finding]:
    """An option "all of the above" or "none of the above"."""
    for index, item in _choices(deck):
        for position, choice in enumerate(item.choices):
            if _ABOVE.search(plain(choice)):
                yield Finding(
                    "all-none-of-above",
                    item_loc(index, "choices", position),
                    f"option {choice!r}: 'all/none of the above' rewards partial knowledge; "
                    "write options that each stand alone",
                )


def long_key(deck: Deck, context: Context) -> Iterator[Finding]:
    """A single correct option notably longer than every distractor."""
    for index, item in _choices(deck):
        if item.multiple:
            continue
        key = item.answers[0].strip()
        distractors = [len(plain(c)) for c in item.choices if c.strip() != key]
        length = len(plain(key))
        if len(distractors) < 2:
            continue
        if length > max(distractors) + 8 and length >= 1.5 * mean(distractors):
            position = [c.strip() for c in item.choices].index(key)
            yield Finding(
                "long-key",
                item_loc(index, "choices", position),
                f"the key ({length} characters) is notably longer than its distractors "
                f"({min(distractors)}-{max(distractors)}): test-wise readers pick the "
                "longest option; shorten it or lengthen the others",
            )


def overlapping_options(deck: Deck, context: Context) -> Iterator[Finding]:
    """Two options where one contains the other, or numeric ranges that overlap."""
    for index, item in _choices(deck):
        seen: list[tuple[int, str]] = []
        for position, choice in enumerate(item.choices):
            text = plain(choice)
            for earlier_position, earlier in seen:
                if _overlap(earlier, text):
                    yield Finding(
                        "overlapping-options",
                        item_loc(index, "choices", position),
                        f"option {choice!r} overlaps option "
                        f"{item.choices[earlier_position]!r}: make the options mutually "
                        "exclusive so that only one can be right",
                    )
                    break
            seen.append((position, text))


def _overlap(a: str, b: str) -> bool:
    ranges = option_interval(a), option_interval(b)
    if ranges[0] is not None and ranges[1] is not None:
        return intervals_overlap(ranges[0], ranges[1])
    short, long = sorted((a, b), key=len)
    return (
        bool(words(short)) and short.casefold() != long.casefold() and contains_phrase(long, short)
    )


def few_options(deck: Deck, context: Context) -> Iterator[Finding]:
    """A choice item with fewer than three options."""
    for index, item in _choices(deck):
        if len(item.choices) < 3:
            yield Finding(
                "few-options",
                item_loc(index, "choices"),
                f"only {len(item.choices)} options: a guess is right half the time; give at "
                "least three (single best answer items usually have four or five)",
            )


CHOICE_RULES = (
    Rule("negative-lead-in", "a lead-in that asks which option is NOT or EXCEPT",
         negative_lead_in),
    Rule("all-none-of-above", "an option 'all of the above' or 'none of the above'",
         all_none_of_the_above),
    Rule("long-key", "a single key notably longer than every distractor", long_key),
    Rule("overlapping-options", "options that contain one another or whose ranges overlap",
         overlapping_options),
    Rule("few-options", "a choice item with fewer than three options", few_options),
)  # fmt: skip
"""The choice-item rules, in the order they are reported."""
