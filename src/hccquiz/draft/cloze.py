"""Cloze deletions for the numbers that matter in a finding. Pure functions, no I/O.

Hidden: ratio estimates (HR, OR, RR), confidence intervals, percentages and durations
(months, weeks, years, days). A point estimate and the CI right after it share one card
(``{{c1::0.58}} (95% CI, {{c1::0.42 to 0.79}})``): shown alone, an interval would give its
estimate away (the midpoint). Every other number gets its own card. P values, landmark
times (``at 12 months``), schedules (``every 3 weeks``) and bare counts (``Grade 3 or 4``)
stay visible: recalling them is trivia.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NumberSpan", "make_cloze", "number_spans"]

_NUM = r"\d+(?:\.\d+)?"
_CI = re.compile(
    rf"(?<![\w.])\d{{2}}(?:\.\d+)?\s?%\s*(?:CI|confidence interval)\b[,:]?\s*"
    rf"(?P<range>[-−]?{_NUM}\s?%?\s*(?:to|–|—|-)\s*[-−]?{_NUM}\s?%?)",
    re.IGNORECASE,
)
_P = re.compile(
    r"(?<![A-Za-z])[Pp]\s*(?:[<>=≤≥]|&lt;|&gt;)\s*(?:0?\.\d+|1(?:\.0+)?)(?:\s*[×x]\s*10[-−]?\d+)?"
)
_PERCENT = re.compile(rf"(?<![\w.]){_NUM}\s?%")
_DURATION = re.compile(rf"(?<![\w.]){_NUM}\s*(?:months?|mo|weeks?|wk|years?|yr|days?)\b", re.I)
_RATIO = re.compile(
    rf"(?:\b(?i:hazard ratio|odds ratio|risk ratio|relative risk)|\b(?:HR|OR|RR))\b"
    rf"[^\d;()]{{0,40}}?(?<![\w.])(?P<value>{_NUM})(?![\d%])"
)
_FRAME = re.compile(r"\b(?:at|every|each|per|within|after|for up to)\s+$", re.IGNORECASE)
_ESTIMATE_BEFORE_CI = re.compile(rf"(?<![\w.])({_NUM})\s?%?\s*[(;,]\s*$")
_GAP_TO_CI = re.compile(r"^[\s(;,:]*$")
_BARE_RANGE = re.compile(rf"\(\s*(?P<range>{_NUM}\s?%?\s*(?:to|–|—|-)\s*{_NUM}\s?%?)\s*[);,]")


@dataclass(frozen=True)
class NumberSpan:
    """A run of `text[start:end]` to hide; spans with the same `card` share a card."""

    start: int
    end: int
    kind: str
    card: int = 0


def number_spans(text: str) -> list[NumberSpan]:
    """The numbers to hide in `text`, in order, numbered by card from 1."""
    spans: list[NumberSpan] = []
    blocked: list[tuple[int, int]] = []
    cis: list[tuple[int, NumberSpan]] = []  # (start of the "95% CI" label, range span)
    for match in _CI.finditer(text):
        span = NumberSpan(match.start("range"), match.end("range"), "ci")
        spans.append(span)
        cis.append((match.start(), span))
        blocked.append(match.span())
        window = max(0, match.start() - 40)
        before = _ESTIMATE_BEFORE_CI.search(text[window : match.start()])
        if before:
            spans.append(NumberSpan(window + before.start(1), window + before.end(1), "estimate"))
    for match in _P.finditer(text):
        blocked.append(match.span())  # visible, and never read as another number
    for match in _RATIO.finditer(text):
        spans.append(NumberSpan(match.start("value"), match.end("value"), "ratio"))
    for regex, kind in ((_DURATION, "duration"), (_PERCENT, "percent")):
        for match in regex.finditer(text):
            if kind == "duration" and _FRAME.search(
                text[max(0, match.start() - 8) : match.start()]
            ):
                continue  # "at 12 months", "every 3 weeks": the frame, not the finding
            if not any(a <= match.start() < b for a, b in blocked):
                spans.append(NumberSpan(match.start(), match.end(), kind))
    kept: list[NumberSpan] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if kept and span.start < kept[-1].end:
            continue  # overlaps a span already kept
        kept.append(span)
    ends = {s.end for s in kept if s.kind not in ("ci", "p")}
    taken = {i for s in kept for i in range(s.start, s.end)}
    for match in _BARE_RANGE.finditer(text):  # "HR 0.80 (0.70-0.92)": an unlabelled CI
        span = NumberSpan(match.start("range"), match.end("range"), "ci")
        gap = len(text[max(0, match.start() - 8) : match.start()].rstrip())
        follows = max(0, match.start() - 8) + gap in ends
        if follows and not taken.intersection(range(span.start, span.end)):
            kept.append(span)
            cis.append((match.start(), span))
    kept.sort(key=lambda s: s.start)
    return _number_cards(text, kept, {(s.start, s.end): start for start, s in cis})


_Labels = dict[tuple[int, int], int]


def _number_cards(text: str, spans: list[NumberSpan], ci_label: _Labels) -> list[NumberSpan]:
    """Give each span its card; a CI joins the estimate just before it."""
    cards: list[NumberSpan] = []
    for span in spans:
        label = ci_label.get((span.start, span.end))
        previous = cards[-1] if cards else None
        joins = (
            label is not None
            and previous is not None
            and previous.kind not in ("ci", "p")
            and _GAP_TO_CI.match(text[previous.end : label]) is not None
        )
        card = previous.card if joins and previous else (cards[-1].card + 1 if cards else 1)
        cards.append(NumberSpan(span.start, span.end, span.kind, card))
    return cards


def make_cloze(text: str) -> str | None:
    """`text` with its numbers as ``{{cN::...}}`` deletions, or None when it has none.

    Braces already in `text` become parentheses so that they cannot form cloze markup.
    """
    text = text.replace("{", "(").replace("}", ")")
    spans = number_spans(text)
    if not spans:
        return None
    out: list[str] = []
    position = 0
    for span in spans:
        out.append(text[position : span.start])
        out.append(f"{{{{c{span.card}::{text[span.start : span.end]}}}}}")
        position = span.end
    out.append(text[position:])
    return "".join(out)
