"""Rules across items and against the source: one number asked in too many items, long
basic answers, a `source` naming a section that does not hold the item's numbers, and
`lint_ignore` entries that name no rule."""

from __future__ import annotations

from collections.abc import Iterator

from ..cloze import cloze_deletions
from ..models import AnyItem, BasicItem, ChoiceItem, ClozeItem, Deck
from ._core import Context, Finding, Rule, item_loc
from ._text import numbers, plain

__all__ = ["DECK_RULES", "MAX_ANSWER_WORDS", "MAX_ITEMS_PER_NUMBER", "asked_numbers", "taught"]

MAX_ITEMS_PER_NUMBER = 2
"""A number asked by more items than this is over-drilled."""
MAX_ANSWER_WORDS = 40
"""A basic answer longer than this many words is a paragraph, not an answer."""


def _counts(number: str) -> bool:
    """Whether a number is worth tracking: decimals, and integers of two digits or more
    (``Grade 3``, ``ECOG 0 or 1`` and ``phase 3`` are not)."""
    return "." in number or len(number.lstrip("-")) >= 2


def asked_numbers(item: AnyItem) -> list[str]:
    """The numbers an item asks for: its hidden cloze answers, its basic answer, the
    correct options of a choice item."""
    if isinstance(item, ClozeItem):
        texts = [d.answer for d in cloze_deletions(item.text)]
    elif isinstance(item, ChoiceItem):
        texts = item.answers
    else:
        texts = [item.answer]
    found = [n for text in texts for n in numbers(plain(text)) if _counts(n)]
    return list(dict.fromkeys(found))


def taught(item: AnyItem) -> str:
    """The text an item teaches as fact: question, answer, cloze text and the correct
    options; not the distractors, the explanation, nor a vignette (`stem`), whose ages and
    lab values describe a patient, not the trial."""
    if isinstance(item, ClozeItem):
        return item.text
    if isinstance(item, ChoiceItem):
        return "\n".join([item.prompt, *item.answers])
    return f"{item.question}\n{item.answer}"


def repeated_number(deck: Deck, context: Context) -> Iterator[Finding]:
    """One number asked in more than two items."""
    askers: dict[str, list[str]] = {}
    for index, item in enumerate(deck.items):
        for number in asked_numbers(item):
            earlier = askers.setdefault(number, [])
            if len(earlier) >= MAX_ITEMS_PER_NUMBER:
                yield Finding(
                    "repeated-number",
                    item_loc(index),
                    f"{number} is already asked by {', '.join(earlier)}: one number in more "
                    f"than {MAX_ITEMS_PER_NUMBER} items drills recall, not understanding; ask "
                    "what it means instead, or merge the items",
                )
            earlier.append(item.id)


def long_answer(deck: Deck, context: Context) -> Iterator[Finding]:
    """A basic answer of more than about 40 words."""
    for index, item in enumerate(deck.items):
        if isinstance(item, BasicItem):
            count = len(plain(item.answer).split())
            if count > MAX_ANSWER_WORDS:
                yield Finding(
                    "long-answer",
                    item_loc(index, "answer"),
                    f"the answer runs to {count} words (over {MAX_ANSWER_WORDS}): keep the gist "
                    "as the answer and move the rest to `explanation`",
                )


def source_section(deck: Deck, context: Context) -> Iterator[Finding]:
    """A `source` that names a section (or part) the item's numbers are not in."""
    source = context.source
    assert source is not None  # the rule needs the summary
    for index, item in enumerate(deck.items):
        if not item.source:
            continue
        resolved = source.resolve(item.source)
        if resolved is None:
            yield Finding(
                "source-section",
                item_loc(index, "source"),
                f"source {item.source!r} names no section of the summary",
            )
            continue
        label, text = resolved
        here = set(numbers(text))
        for number in dict.fromkeys(n for n in numbers(plain(taught(item))) if _counts(n)):
            if number in here:
                continue
            elsewhere = source.where(number)
            where = f"it is in {', '.join(elsewhere)}" if elsewhere else "nor anywhere in it"
            yield Finding(
                "source-section",
                item_loc(index, "source"),
                f"{number} is not in {label} of the summary; {where}",
            )


def unknown_rule(deck: Deck, context: Context) -> Iterator[Finding]:
    """A `lint_ignore` entry that names no rule (a typo silences nothing)."""
    from . import RULE_IDS

    for index, item in enumerate(deck.items):
        for position, rule in enumerate(item.lint_ignore):
            if rule not in RULE_IDS:
                yield Finding(
                    "unknown-rule",
                    item_loc(index, "lint_ignore", position),
                    f"no lint rule is called {rule!r}: `hccquiz lint --rules` lists them",
                )


DECK_RULES = (
    Rule("repeated-number", "one number asked in more than two items", repeated_number),
    Rule("long-answer", "a basic answer of more than 40 words", long_answer),
    Rule("source-section", "a `source` naming a section the item's numbers are not in "
         "(needs --summary)", source_section, needs_source=True),
    Rule("unknown-rule", "a `lint_ignore` entry that names no rule", unknown_rule),
)  # fmt: skip
"""The rules across items and against the source."""
