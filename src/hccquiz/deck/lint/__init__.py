"""``hccquiz lint``: item-writing flaws in a deck, after the NBME item-writing guide.

Each rule has an id that an item can name in ``lint_ignore`` to silence it there. `lint_deck`
is pure (a `Deck` in, `Finding`s out); `lint_deck_text` adds file locations and reports as
``PATH:LINE:COL: warning: message [rule-id]``.
"""

from __future__ import annotations

from ..models import Deck
from ._choice import CHOICE_RULES
from ._cloze import CLOZE_RULES
from ._core import Finding, Rule, SourceText, run_rules
from ._deck import DECK_RULES
from ._report import LintWarning, lint_deck_text, locate

__all__ = [
    "RULES",
    "RULE_IDS",
    "Finding",
    "LintWarning",
    "Rule",
    "SourceText",
    "lint_deck",
    "lint_deck_text",
    "locate",
]

RULES: tuple[Rule, ...] = (*CHOICE_RULES, *CLOZE_RULES, *DECK_RULES)
"""Every rule, in the order findings are reported for an item."""
RULE_IDS = frozenset(rule.id for rule in RULES)
"""The ids `lint_ignore` may name."""


def lint_deck(deck: Deck, source: SourceText | None = None) -> list[Finding]:
    """The findings on `deck` that its items do not silence; `source` (the summary's text)
    enables the rules that need it."""
    return list(run_rules(deck, RULES, source))
