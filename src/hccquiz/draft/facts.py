"""Shared `fact`s for drafted items that would give each other away.

When one item shows what another asks (a discussion question quoting a finding's hazard
ratio, a limitation quoting the follow-up that a design item asks), the two get one `fact`,
so that a trainee never meets both on the same day. Choice options do not count as shown:
distractors are drawn from the summary's other numbers on purpose. Pure.
"""

from __future__ import annotations

from dataclasses import replace

from ..deck.cloze import cloze_deletions
from ..deck.lint._cloze import card_front
from ..deck.lint._text import contains_phrase, numbers, plain
from .drafted import DraftItem

__all__ = ["asked", "share_facts", "shown"]


def shown(item: DraftItem) -> list[str]:
    """What the item's question side shows, per card, as plain text."""
    if item.text:
        return [card_front(item.text, d.number) for d in cloze_deletions(item.text)]
    return [plain(f"{item.stem} {item.lead_in} {item.question}")]


def asked(item: DraftItem) -> list[str]:
    """The answers an item asks for that are specific enough to be given away: hidden
    cloze text, a short answer, the right option."""
    texts = [d.answer for d in cloze_deletions(item.text)] if item.text else [item.answer]
    out = []
    for text in texts:
        text = plain(text).rstrip(".")
        if numbers(text) or len(text.split()) >= 3:
            out.append(text)
    return out


def share_facts(items: list[DraftItem]) -> list[DraftItem]:
    """`items` with a shared `fact` on each group of items that give one another away or
    already share one (a finding's cloze and choice); a group keeps a fact one of its items
    has, else takes its first item's id. A fact no other item shares is dropped."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    fronts = [shown(item) for item in items]
    for b, item in enumerate(items):
        for answer in asked(item):
            for a, front in enumerate(fronts):
                if a != b and any(contains_phrase(f, answer) for f in front):
                    parent[root(a)] = root(b)
    for index, item in enumerate(items):  # items already sharing a fact (a finding's two)
        for other in range(index):
            if item.fact and items[other].fact == item.fact:
                parent[root(index)] = root(other)
                break
    groups: dict[int, list[int]] = {}
    for index in range(len(items)):
        groups.setdefault(root(index), []).append(index)
    out = [replace(item, fact="") if item.fact else item for item in items]
    for members in groups.values():
        if len(members) < 2:
            continue
        fact = next((items[i].fact for i in members if items[i].fact), items[members[0]].id)
        for i in members:
            out[i] = replace(items[i], fact=fact)
    return out
