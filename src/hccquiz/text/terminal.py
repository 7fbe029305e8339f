"""What a card shows, as Markdown for the terminal: cloze fronts and backs, choice labels,
source lines and interval labels. Pure functions, shared by the TUI and the CLI.

Deck text stays Markdown; the UI renders it with raw HTML turned off, so HTML in a deck
shows as text. Text that hccquiz inserts (hints, ``[...]``) is escaped for Markdown.
"""

from __future__ import annotations

import re

from ..deck.cloze import CLOZE_RE
from ..deck.models import AnyItem, ChoiceItem, ClozeItem

__all__ = [
    "CHOICE_LETTERS",
    "card_text",
    "choice_hint",
    "cloze_back",
    "cloze_front",
    "escape_markdown",
    "format_interval",
    "short_deck_name",
    "source_line",
]

CHOICE_LETTERS = "ABCDEFGH"
"""Labels of choice options, in display order (decks have at most 8 choices)."""

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def escape_markdown(text: str) -> str:
    """`text` with Markdown's special characters backslash-escaped, so it shows as is."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def cloze_front(text: str, number: int) -> str:
    """The question side of cloze card `number`: its deletions hidden as ``[...]`` or
    ``[hint]``, the other deletions shown as their answers."""

    def hide(match: re.Match[str]) -> str:
        if int(match.group(1)) != number:
            return match.group(2)
        hint = match.group(3)
        return f"**{escape_markdown(f'[{hint.strip()}]' if hint else '[...]')}**"

    return CLOZE_RE.sub(hide, text)


def cloze_back(text: str, number: int) -> str:
    """The answer side of cloze card `number`: its deletions revealed and highlighted."""

    def reveal(match: re.Match[str]) -> str:
        answer = match.group(2).strip()
        return f"**_{answer}_**" if int(match.group(1)) == number else match.group(2)

    return CLOZE_RE.sub(reveal, text)


def short_deck_name(title: str) -> str:
    """A deck's short name: its title up to a dash or colon (``IMbrave150 — ...``)."""
    short = re.split(r"\s+[—–-]\s+|:\s+", title, maxsplit=1)[0].strip()
    return short or title


def source_line(deck_title: str, source: str | None) -> str:
    """``IMbrave150 · Key Findings 1``, or just the deck's short name with no source."""
    name = short_deck_name(deck_title)
    return f"{name} · {source}" if source else name


def format_interval(days: int | None) -> str:
    """An interval as Anki shows it on buttons: ``<1d`` (today), ``6d``, ``1.5mo``, ``2.1y``."""
    if days is None or days < 1:
        return "<1d"
    if days < 30:
        return f"{days}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


def card_text(item: AnyItem, number: int) -> tuple[str, str]:
    """(question, answer) Markdown for card `number` of an item; the answer side carries
    the explanation."""
    if isinstance(item, ClozeItem):
        question, answer = cloze_front(item.text, number), cloze_back(item.text, number)
    elif isinstance(item, ChoiceItem):
        question = item.question
        answer = "**Answer:** " + "; ".join(item.answers)
    else:
        question, answer = item.question, item.answer
    if item.explanation:
        answer += "\n\n" + item.explanation
    return question, answer


def choice_hint(item: ChoiceItem) -> str:
    """How to answer a choice card, unless its question already says it."""
    if not item.multiple:
        return "\n\n*(press a letter)*"
    if "select all" in item.question.lower():
        return "\n\n*(then press enter)*"
    return "\n\n*(select all that apply, then press enter)*"
