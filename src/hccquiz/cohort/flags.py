"""Which items an educator should look at, and why: the rules applied to the figures.

Each rule is a threshold on a figure of `hccquiz.cohort.queries`, applied only once enough
trainees give the figure meaning (``min_trainees``). Items seen in more than one version
are flagged whatever the numbers, since their results are split.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DISCRIMINATION_LOW",
    "FACILITY_HIGH",
    "FACILITY_LOW",
    "RULES",
    "Flag",
    "find_flags",
]

FACILITY_LOW = 0.30
"""Facility below this: most of the cohort fails the item at first sight."""
FACILITY_HIGH = 0.95
"""Facility above this: nearly everyone knows it already; it teaches little."""
DISCRIMINATION_LOW = 0.10
"""Point-biserial below this: the item does not separate stronger from weaker trainees."""
RULES = {
    "facility-low": "facility below 0.30",
    "facility-high": "facility above 0.95",
    "discrimination-low": "discrimination below 0.10",
    "distractor-over-key": "a distractor picked more often than the key",
    "distractor-unpicked": "a distractor nobody picks",
    "versions": "the item changed mid-cohort",
}
"""Every rule, by id, in the order flags are listed for one item."""


@dataclass(frozen=True, slots=True)
class Flag:
    """One warning about one question (or, for ``versions``, one item)."""

    rule: str
    deck_id: str
    item_id: str
    card: int | None
    content_hash: str | None
    message: str
    option: str | None = None

    @property
    def subject(self) -> str:
        """``deck/item`` (with ``card N`` for a cloze card after the first)."""
        card = f" card {self.card}" if self.card and self.card > 1 else ""
        return f"{self.deck_id}/{self.item_id}{card}"


def _pct(value: float) -> str:
    return f"{value:.2f}"


def find_flags(
    items: Iterable[Mapping[str, Any]],
    options: Iterable[Mapping[str, Any]],
    versions: Iterable[Mapping[str, Any]],
    *,
    min_trainees: int,
) -> list[Flag]:
    """Flags for `items` (rows of ``ITEMS``), `options` (``OPTIONS``), `versions`
    (``VERSIONS``), in deck, item, card and rule order."""
    flags: list[Flag] = []
    order = {rule: n for n, rule in enumerate(RULES)}
    by_question: dict[tuple[Any, ...], list[Mapping[str, Any]]] = {}
    for option in options:
        key = (option["deck_id"], option["item_id"], option["card"], option["content_hash"])
        by_question.setdefault(key, []).append(option)
    for item in items:
        q = (item["deck_id"], item["item_id"], item["card"], item["content_hash"])
        n = item["reached"]

        def flag(rule: str, message: str, option: str | None = None, q: Any = q) -> None:
            flags.append(Flag(rule, q[0], q[1], q[2], q[3], message, option))

        if n >= min_trainees:
            facility = item["facility"]
            if facility < FACILITY_LOW:
                flag("facility-low", f"facility {_pct(facility)} is below {FACILITY_LOW:.2f} "
                     f"({n} trainees): most fail it at first sight; is the key right, "
                     "is it taught?")  # fmt: skip
            elif facility > FACILITY_HIGH:
                flag("facility-high", f"facility {_pct(facility)} is above {FACILITY_HIGH:.2f} "
                     f"({n} trainees): nearly everyone knows it already")  # fmt: skip
        d = item["discrimination"]
        if d is not None and item["discrimination_n"] >= min_trainees and d < DISCRIMINATION_LOW:
            flag("discrimination-low", f"discrimination {d:.2f} is below "
                 f"{DISCRIMINATION_LOW:.2f} ({item['discrimination_n']} trainees): stronger "
                 "trainees do no better on it than weaker ones; is it ambiguous?")  # fmt: skip
        listed = by_question.get(q, [])
        pickers = max((o["pickers"] for o in listed), default=0)
        if pickers < min_trainees:
            continue
        keys = [o for o in listed if o["is_key"]]
        key_rate = min((o["rate"] for o in keys), default=None)
        for o in listed:
            if o["is_key"] or o["position"] is None:
                continue
            if key_rate is not None and o["rate"] > key_rate:
                flag("distractor-over-key", f"distractor {o['option']!r} is picked by "
                     f"{o['rate']:.0%} of {pickers} trainees, more than the key "
                     f"({key_rate:.0%}): a misconception, or a wrong key?",
                     o["option"])  # fmt: skip
            elif o["picks"] == 0:
                flag("distractor-unpicked", f"distractor {o['option']!r} was picked by none "
                     f"of {pickers} trainees: it distracts no one", o["option"])  # fmt: skip
    for v in versions:
        hashes = ", ".join(v["hashes"])
        flags.append(
            Flag(
                "versions",
                v["deck_id"],
                v["item_id"],
                None,
                None,
                f"changed mid-cohort: {len(v['hashes'])} versions ({hashes}); "
                "results are split by version",
            )
        )
    flags.sort(key=lambda f: (f.deck_id, f.item_id, f.card or 0, order[f.rule]))
    return flags
