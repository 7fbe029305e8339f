"""Rules about what a card gives away: a cloze that hides a stop-word or a word visible
elsewhere on the card, and an answer derivable from the visible text (the midpoint of a
visible confidence interval)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..cloze import CLOZE_RE
from ..models import BasicItem, ChoiceItem, ClozeItem, Deck, Loc
from ._core import Context, Finding, Rule, item_loc, prompt_key
from ._text import STOP_WORDS, ci_ranges, contains_phrase, decimals, numbers, plain, words

__all__ = ["CLOZE_RULES", "card_front"]


def card_front(text: str, number: int) -> str:
    """What cloze card `number` shows, as plain text: its deletions as ``[...]`` (or their
    hint), the other deletions as their answers."""

    def show(match: re.Match[str]) -> str:
        if int(match.group(1)) != number:
            return str(match.group(2))
        hint = match.group(3)
        return f"[{hint}]" if hint else "[...]"

    return plain(CLOZE_RE.sub(show, text))


def _clozes(deck: Deck) -> Iterator[tuple[int, ClozeItem]]:
    for index, item in enumerate(deck.items):
        if isinstance(item, ClozeItem):
            yield index, item


def stop_word(deck: Deck, context: Context) -> Iterator[Finding]:
    """A deletion that hides only stop-words or vague modifiers (``the``, ``short``)."""
    for index, item in _clozes(deck):
        for deletion in item.deletions:
            hidden = words(plain(deletion.answer))
            if hidden and not numbers(deletion.answer) and set(hidden) <= STOP_WORDS:
                yield Finding(
                    "cloze-stop-word",
                    item_loc(index, "text"),
                    f"c{deletion.number} hides {deletion.answer.strip()!r}, which grammar alone "
                    "gives away: hide the fact that matters instead",
                )


def visible_answer(deck: Deck, context: Context) -> Iterator[Finding]:
    """A deletion whose answer (or its hint) is visible elsewhere on the same card."""
    for index, item in _clozes(deck):
        for deletion in item.deletions:
            answer = plain(deletion.answer)
            if len(answer) < 3 or (set(words(answer)) <= STOP_WORDS and not numbers(answer)):
                continue
            front = card_front(item.text, deletion.number)
            if contains_phrase(front, answer):
                yield Finding(
                    "cloze-visible-answer",
                    item_loc(index, "text"),
                    f"c{deletion.number} hides {answer!r}, but the card shows it elsewhere: "
                    "hide every occurrence under the same number, or reword",
                )


def _derivable(value: str, visible: str) -> tuple[Decimal, Decimal] | None:
    """The visible CI whose midpoint (arithmetic, or geometric for ratios) gives `value`."""
    found = numbers(value)
    if len(found) != 1 or len(plain(value).split()) > 2:
        return None
    number = Decimal(found[0])
    slack = Decimal(5) * Decimal(10) ** (-decimals(found[0]) - 1)
    for low, high in ci_ranges(visible):
        middles = [(low + high) / 2]
        if low > 0:
            middles.append((low * high).sqrt())
        if any(abs(middle - number) <= slack for middle in middles):
            return low, high
    return None


def _derivable_finding(loc: Loc, what: str, ci: tuple[Decimal, Decimal]) -> Finding:
    return Finding(
        "derivable-answer",
        loc,
        f"{what} is the midpoint of the visible interval {ci[0]} to {ci[1]}: the card "
        "answers itself; hide the interval with it (same cloze number) or drop it",
    )


def derivable(deck: Deck, context: Context) -> Iterator[Finding]:
    """An answer that is the midpoint of a confidence interval the card shows."""
    for index, item in enumerate(deck.items):
        if isinstance(item, ClozeItem):
            for deletion in item.deletions:
                front = card_front(item.text, deletion.number)
                if ci := _derivable(deletion.answer, front):
                    what = f"c{deletion.number} ({deletion.answer.strip()})"
                    yield _derivable_finding(item_loc(index, "text"), what, ci)
        elif isinstance(item, BasicItem):
            if ci := _derivable(item.answer, plain(item.question)):
                yield _derivable_finding(item_loc(index, "answer"), "the answer", ci)
        elif isinstance(item, ChoiceItem):
            shown = plain(f"{item.stem or ''} {item.prompt}")
            for answer in item.answers:
                if ci := _derivable(answer, shown):
                    loc = item_loc(index, prompt_key(item))
                    yield _derivable_finding(loc, f"the answer {answer.strip()!r}", ci)


CLOZE_RULES = (
    Rule("cloze-stop-word", "a cloze that hides only a stop-word or a vague modifier",
         stop_word),
    Rule("cloze-visible-answer", "a cloze whose hidden words are visible elsewhere on the card",
         visible_answer),
    Rule("derivable-answer", "an answer that is the midpoint of a confidence interval the card "
         "shows", derivable),
)  # fmt: skip
"""The rules about what a card gives away."""
