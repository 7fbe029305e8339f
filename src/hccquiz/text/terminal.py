"""What a card shows, as Markdown for the terminal: cloze fronts and backs, choice labels,
source lines and interval labels. Pure functions, shared by the TUI and the CLI.

Deck text stays Markdown; the UI renders it with raw HTML turned off, so HTML in a deck
shows as text. Text that hccquiz inserts (hints, ``[...]``) is escaped for Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

from ..deck.cloze import CLOZE_RE
from ..deck.models import AnyItem, ChoiceItem, ClozeItem

__all__ = [
    "CHOICE_LETTERS",
    "card_text",
    "choice_answer",
    "choice_hint",
    "choice_question",
    "cloze_back",
    "cloze_front",
    "escape_markdown",
    "format_interval",
    "format_step",
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


def format_step(step: timedelta) -> str:
    """A learning step as Anki shows it on buttons: ``1m``, ``10m``, ``1h``."""
    minutes = max(1, round(step.total_seconds() / 60))
    return f"{minutes}m" if minutes < 60 else f"{minutes / 60:.1f}h".replace(".0h", "h")


def card_text(item: AnyItem, number: int, picked: Sequence[str] = ()) -> tuple[str, str]:
    """(question, answer) Markdown for card `number` of an item; the answer side carries
    the explanation. For a choice item, `picked` (the options chosen) puts the rationale of
    a wrong pick first (`choice_answer`)."""
    if isinstance(item, ClozeItem):
        question, answer = cloze_front(item.text, number), cloze_back(item.text, number)
    elif isinstance(item, ChoiceItem):
        return choice_question(item), choice_answer(item, picked)
    else:
        question, answer = item.question, item.answer
    if item.explanation:
        answer += "\n\n" + item.explanation
    return question, answer


def choice_question(item: ChoiceItem) -> str:
    """A choice item's question side: the vignette (`stem`), then the question."""
    return f"{item.stem}\n\n{item.prompt}" if item.stem else item.prompt


def _rationale(label: str, choice: str, why: str | None) -> str:
    return f"**{label}** {choice}" + (f" — {why}" if why else "")


def choice_answer(item: ChoiceItem, picked: Sequence[str] = ()) -> str:
    """A choice item's answer side, as Markdown.

    The rationale of each wrong option picked comes first, then the right answer(s) with
    theirs, then the other options' rationales, the explanation and the educational
    objective. An item without rationales reads ``**Answer:** ...`` and its explanation.
    """
    right = [a.strip() for a in item.answers]
    chosen = {p.strip() for p in picked}
    has_why = any(option.why for option in item.options)
    if has_why:
        wrong_picks = [o for o in item.options if o.text.strip() in chosen - set(right)]
        others = [o for o in item.options if o.text.strip() not in chosen | set(right)]
        label = "Answer:" if len(right) == 1 else "Right:"
        parts = [_rationale("You chose:", o.text, o.why) for o in wrong_picks]
        parts += [_rationale(label, a, item.why(a)) for a in item.answers]
        parts += [_rationale("Not:", o.text, o.why) for o in others if o.why]
    else:
        parts = ["**Answer:** " + "; ".join(item.answers)]
    if item.explanation:
        parts.append(item.explanation)
    if item.objective:
        parts.append(f"**Educational objective:** {item.objective}")
    return "\n\n".join(parts)


def choice_hint(item: ChoiceItem) -> str:
    """How to answer a choice card, unless its question already says it."""
    if not item.multiple:
        return "\n\n*(press a letter)*"
    if "select all" in item.prompt.lower():
        return "\n\n*(then press enter)*"
    return "\n\n*(select all that apply, then press enter)*"
