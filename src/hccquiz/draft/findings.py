"""Key findings -> items: a cloze per finding, and a choice item wherever the summary holds
other numbers of the same kind (other medians, other rates, other hazard ratios) to serve
as distractors, each with the reason it is wrong. Levels follow the numbers' content.

Pure: no I/O, no YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..deck.levels import Level
from .cloze import NumberSpan, make_cloze, number_spans
from .drafted import DraftItem, DraftOption
from .parts import Finding
from .summary import Summary
from .text import lower_first

__all__ = ["ValueGroup", "finding_items", "value_group"]

MS, RES, FEL, ATT, PHD = (
    Level.MED_STUDENT,
    Level.RESIDENT,
    Level.FELLOW,
    Level.ATTENDING,
    Level.PHD,
)
_RATIO_WORDS = re.compile(r"\b(?:hazard ratio|odds ratio|risk ratio|relative risk|HR|OR|RR)\b")
_DURATION_UNIT = re.compile(r"(months?|mo|weeks?|wk|years?|yr|days?)\b", re.IGNORECASE)
_UNITS = {"mo": "months", "month": "months", "wk": "weeks", "week": "weeks", "yr": "years",
          "year": "years", "day": "days"}  # fmt: skip
_CI_PHRASE = re.compile(
    r"(?:;\s*)?\d{2}(?:\.\d+)?\s?%\s*(?:CI|confidence interval)\b[,:]?\s*"
    r"[-−]?\d+(?:\.\d+)?\s?%?\s*(?:to|–|—|-)\s*[-−]?\d+(?:\.\d+)?\s?%?",
    re.IGNORECASE,
)
_SAFETY = re.compile(r"adverse event|toxicit|safety|discontinu", re.IGNORECASE)
_SUBJECT = re.compile(
    r"^(?P<subject>[A-Z][^,;:()]{3,80}?)\s+(?:was|were|did|had|showed|remained)\b", re.DOTALL
)


@dataclass(frozen=True)
class ValueGroup:
    """The numbers of one kind in a sentence, in order: what a choice item asks for."""

    kind: str
    values: tuple[str, ...]
    unit: str
    spans: tuple[NumberSpan, ...]
    where: str
    text: str

    def option(self, values: tuple[str, ...] | None = None) -> str:
        """The values as an option: ``67.2% vs 54.6%``, ``6.8 vs 4.3 months``, ``0.78``."""
        values = values or self.values
        shown = [f"{v}%" for v in values] if self.kind == "percent" else list(values)
        joined = (
            " vs ".join(shown) if len(shown) == 2 else ", ".join(shown[:-1]) + f" and {shown[-1]}"
        )
        joined = shown[0] if len(shown) == 1 else joined
        return f"{joined} {self.unit}" if self.unit else joined


def _kind(text: str, span: NumberSpan) -> tuple[str, str, str] | None:
    """(kind, value, unit) of a hidden number, or None for intervals and bare numbers."""
    raw = text[span.start : span.end]
    number = re.match(r"[-−]?\d+(?:\.\d+)?", raw)
    if span.kind == "ci" or number is None:
        return None
    if raw.rstrip().endswith("%"):
        return "percent", number.group(), ""
    unit = _DURATION_UNIT.search(raw[number.end() :])
    if span.kind == "duration" and unit:
        word = unit.group(1).lower()
        return "duration", number.group(), _UNITS.get(word, word)
    if _RATIO_WORDS.search(text[max(0, span.start - 45) : span.start]):
        return "ratio", number.group(), ""
    return None


def value_group(text: str, where: str) -> ValueGroup | None:
    """The first kind of number in `text` (rates, durations or a ratio) with all its values,
    when there are one to three of them; None otherwise."""
    found = [(span, k) for span in number_spans(text) if (k := _kind(text, span))]
    if not found:
        return None
    kind, _, unit = found[0][1]
    same = [(span, k) for span, k in found if k[0] == kind and (k[2] == unit or kind != "duration")]
    if not 1 <= len(same) <= 3 or (kind == "ratio" and len(same) > 1):
        return None
    values = tuple(k[1] for _, k in same)
    return ValueGroup(kind, values, unit, tuple(s for s, _ in same), where, text)


def _decimals(values: tuple[str, ...]) -> int:
    return max(len(v.split(".", 1)[1]) if "." in v else 0 for v in values)


def _excerpt(group: ValueGroup, words: int = 18) -> str:
    """The sentence a group comes from, up to its last value: the last `words` words."""
    end = group.spans[-1].end
    rest = group.text[end:]
    if len(rest.split()) <= 6:  # the sentence ends soon after: show it whole
        end, rest = len(group.text), ""
    upto = group.text[:end].split()
    head = "… " if len(upto) > words else ""
    return head + " ".join(upto[-words:]) + (" …" if rest.strip(" .") else "")


def _blanked(group: ValueGroup) -> str:
    """The sentence with the group's values as blanks and their intervals left out (an
    interval's midpoint would give its estimate away)."""
    text, out, position = group.text, [], 0
    for span in group.spans:
        out += [text[position : span.start], "___"]
        position = span.end
    out.append(text[position:])
    blanked = _CI_PHRASE.sub("", "".join(out))
    blanked = re.sub(r"\(\s*[;,]\s*", "(", blanked)
    blanked = re.sub(r"\s*\(\s*\)", "", blanked)
    return " ".join(blanked.split())


def _pool(summary: Summary) -> list[ValueGroup]:
    """Every group of numbers in the findings and in the related trials' key results."""
    groups = []
    for finding in summary.key_findings:
        if group := value_group(finding.text, f"Key Findings {finding.number}"):
            groups.append(group)
    for trial in summary.trials:
        name = re.sub(r"\s+(?i:trial|study)$", "", trial.name)
        if trial.key_result and (group := value_group(trial.key_result, f"the {name} trial's")):
            groups.append(group)
    return groups


def _choice(summary: Summary, finding: Finding, prefix: str) -> DraftItem | None:
    source = f"Key Findings {finding.number}"
    group = value_group(finding.text, source)
    if group is None:
        return None
    options = [DraftOption(group.option(), f"Right: {prefix}{finding.text}")]
    seen = {group.values}
    if len(group.values) > 1 and tuple(reversed(group.values)) not in seen:
        reverse = tuple(reversed(group.values))
        seen.add(reverse)
        first = group.option(group.values[:1])
        why = f"Right numbers, wrong order: the finding gives {first} first."
        options.append(DraftOption(group.option(reverse), why))
    for other in _pool(summary):
        same = (other.kind, other.unit, len(other.values)) == (
            group.kind,
            group.unit,
            len(group.values),
        )
        if not same or other.values in seen or other.where == source or len(options) >= 4:
            continue
        seen.add(other.values)
        what = other.where if other.where.startswith("Key") else f"{other.where} key result"
        options.append(DraftOption(other.option(), f"From {what}: “{_excerpt(other)}”"))
    if len(options) < 3 or len({o.text for o in options}) < len(options):
        return None
    if group.kind == "ratio":
        levels: tuple[Level, ...] = (RES, FEL)
    elif _decimals(group.values) >= 2:
        levels = (FEL, ATT)
    else:
        levels = (MS, RES, FEL)
    many = len(group.values) > 1
    lead_in = "Which values fill the blanks, in order?" if many else "Which value fills the blank?"
    return DraftItem(
        f"kf-{finding.number}-choice", levels, ("key-findings",), source, finding.line,
        stem=f"{prefix}{_blanked(group)}",
        lead_in=lead_in,
        options=tuple(options), answer=options[0].text, fact=f"kf-{finding.number}",
    )  # fmt: skip


def _cloze_levels(text: str, cloze: str) -> tuple[Level, ...]:
    hidden = re.findall(r"\{\{c\d+::(.*?)\}\}", cloze)
    precise = any(re.search(r"\d\.\d\d", h) for h in hidden)
    if precise or (_RATIO_WORDS.search(text) and any(not h.endswith("%") for h in hidden)):
        return (FEL, PHD)  # hazard ratios, intervals, two-decimal values: trivia below
    return (RES, FEL, ATT)


def _without_rate_intervals(text: str) -> str:
    """`text` without the CIs that follow a rate or a duration: on a cloze card they would
    give the hidden value away, and residents need the rate, not its interval."""
    return " ".join(
        re.sub(
            r"(\d(?:\.\d+)?\s?%|\d\s*(?:months?|mo|weeks?|years?))\s*\(\s*\d{2}(?:\.\d+)?\s?%\s*"
            r"(?:CI|confidence interval)[^()]*\)",
            r"\1",
            text,
        ).split()
    )


def finding_items(summary: Summary, trial: str) -> list[DraftItem]:
    """A cloze (or a question, when it has no number) per key finding, and a choice item
    where the summary has distractors of the same kind."""
    items = []
    name = summary.trial_name
    for finding in summary.key_findings:
        item_id, source, tags = (
            f"kf-{finding.number}",
            f"Key Findings {finding.number}",
            ("key-findings",),
        )
        prefix = f"{name}: " if name and name.casefold() not in finding.text.casefold() else ""
        shown = _without_rate_intervals(finding.text)
        cloze = make_cloze(prefix + shown)
        fact = f"kf-{finding.number}"
        explanation = finding.text if shown != finding.text else ""
        if cloze:
            levels = _cloze_levels(finding.text, cloze)
            if _SAFETY.search(finding.text) and levels != (FEL, PHD):
                levels = (RES, FEL, ATT)
            items.append(
                DraftItem(item_id, levels, tags, source, finding.line, text=cloze,
                          explanation=explanation, fact=fact)
            )  # fmt: skip
            if choice := _choice(summary, finding, prefix):
                items.append(choice)
            continue
        subject = _SUBJECT.match(finding.text)
        if subject and len(subject.group("subject").split()) <= 10:
            question = f"What did {trial} find for {lower_first(subject.group('subject'))}?"
            notes: tuple[str, ...] = ()
        else:
            opening = " ".join(finding.text.split()[:6])
            question = f"Complete the key finding of {trial}: “{opening} …”"
            notes = ("no number to hide: rewrite this as a question or a cloze",)
        items.append(
            DraftItem(item_id, (RES, FEL, ATT), tags, source, finding.line, question,
                      finding.text, notes=notes)
        )  # fmt: skip
    return items
