"""The linter's parts: findings, rules, the summary text a deck is checked against, and the
run that applies each item's `lint_ignore`. Pure: no files, no YAML."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from ..models import AnyItem, ChoiceItem, Deck, Loc

__all__ = [
    "Check",
    "Context",
    "Finding",
    "Rule",
    "SourceText",
    "item_loc",
    "prompt_key",
    "run_rules",
]


@dataclass(frozen=True, slots=True)
class Finding:
    """One item-writing flaw: the rule, where it is (a path into the deck data, such as
    ``("items", 3, "answer")``) and what to do about it."""

    rule: str
    loc: Loc
    message: str

    @property
    def item_index(self) -> int | None:
        """The index of the item the finding is about, if any."""
        if len(self.loc) >= 2 and self.loc[0] == "items" and isinstance(self.loc[1], int):
            return self.loc[1]
        return None


def _part_key(text: str) -> str:
    """A section part's name as looked up: ``SHARP Trial (2008)`` -> ``sharp``."""
    text = re.sub(r"\(\s*(?:19|20)\d\d\s*\)", " ", text.casefold())
    text = re.sub(r"\b(?:trial|study)\b", " ", text)
    return " ".join(re.sub(r"[^\w\s-]", " ", text).split())


def _label(section: str, part: str) -> str:
    """``Key Findings 5``, ``Guided Discussion · Resident``."""
    return f"{section} {part}" if part[:1].isdigit() else f"{section} · {part}"


@dataclass(frozen=True)
class SourceText:
    """The text of the summary a deck was written from, by section and by part of a
    section (a finding's number, a role, a related trial, a design label), so that an
    item's `source` (``Key Findings 5``, ``Guided Discussion · Resident``) can be checked.
    Built by `hccquiz.draft.source_text`."""

    sections: Mapping[str, str]
    parts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def everything(self) -> str:
        """All the summary's text."""
        return "\n".join(self.sections.values())

    def resolve(self, source: str) -> tuple[str, str] | None:
        """(label, text) of what `source` names, the whole section when its part is not
        found; None when it names no section of the summary."""
        for name in sorted(self.sections, key=len, reverse=True):
            if not source.casefold().startswith(name.casefold()):
                continue
            rest = source[len(name) :].strip(" ·,:;—–-")
            parts = {_part_key(k): (k, v) for k, v in self.parts.get(name, {}).items()}
            key = _part_key(rest)
            found = parts.get(key) or next(
                (p for k, p in parts.items() if key and (k.startswith(key) or key.startswith(k))),
                None,
            )
            if found:
                return _label(name, found[0]), found[1]
            return name, self.sections[name]
        return None

    def where(self, number: str) -> list[str]:
        """Labels of the parts (or sections, when they have no parts) that hold `number`."""
        from ._text import numbers

        found = []
        for name, text in self.sections.items():
            parts = self.parts.get(name) or {}
            holders = [k for k, v in parts.items() if number in numbers(v)]
            if holders:
                found += [_label(name, k) for k in holders]
            elif number in numbers(text):
                found.append(name)
        return found


@dataclass(frozen=True)
class Context:
    """What a rule sees besides the deck: the summary, when one was given."""

    source: SourceText | None = None


Check = Callable[[Deck, Context], Iterable[Finding]]
"""A rule's check: the findings for a whole deck."""


@dataclass(frozen=True)
class Rule:
    """A lint rule: its id (what ``lint_ignore`` names), a one-line summary and its check."""

    id: str
    summary: str
    check: Check
    needs_source: bool = False


def item_loc(index: int, *rest: str | int) -> Loc:
    """The path of an item's field: ``item_loc(3, "answer")`` -> ``("items", 3, "answer")``."""
    return ("items", index, *rest)


def prompt_key(item: ChoiceItem) -> str:
    """The key holding a choice item's question: ``lead_in`` or ``question``."""
    return "lead_in" if item.lead_in is not None else "question"


def run_rules(
    deck: Deck, rules: Iterable[Rule], source: SourceText | None = None
) -> Iterator[Finding]:
    """Every finding of `rules` on `deck`, except those an item silences in `lint_ignore`."""
    context = Context(source)
    for rule in rules:
        if rule.needs_source and source is None:
            continue
        for finding in rule.check(deck, context):
            index = finding.item_index
            if index is not None and rule.id in _ignored(deck.items[index]):
                continue
            yield finding


def _ignored(item: AnyItem) -> list[str]:
    return item.lint_ignore
