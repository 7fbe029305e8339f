"""Plain-text trial summaries -> a `Summary`: header, sections, findings, roles and trials.

Pure: no I/O and no YAML. The input is text copied from the web, so the parser expects
sections in any order or missing, blank lines and spacing that vary, CRLF or CR newlines,
roles or trials that are missing, unknown role headers, and page text after the content.
Everything it had to guess or skip is reported in `Summary.warnings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..deck.levels import Level
from ..errors import HccquizError
from .parts import (
    DesignField,
    Finding,
    Line,
    RelatedTrial,
    RoleQuestion,
    paragraphs,
    parse_design,
    parse_discussion,
    parse_findings,
    parse_trials,
)
from .text import clean_line

__all__ = [
    "SECTIONS",
    "DesignField",
    "Finding",
    "Line",
    "RelatedTrial",
    "RoleQuestion",
    "Summary",
    "SummaryError",
    "parse_summary",
]

SECTIONS = (
    "Bottom Line",
    "Key Findings",
    "Study Design",
    "Study Limitations",
    "Clinical Significance",
    "Historical Context",
    "Guided Discussion",
    "Scholarly Review",
    "Clinical Landscape",
)
"""The sections a summary can have, under their canonical names, in the usual order."""

_HEADINGS = {name.casefold(): name for name in SECTIONS} | {
    "limitations": "Study Limitations",
    "related trials": "Clinical Landscape",
}
_TRAILERS = ("tailored to your role", "want this tailored", "add your specialty",
             "personalize this analysis")  # fmt: skip
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_DATE = re.compile(
    rf"\b((?:{_MONTHS})[a-z]*\.?\s+(?:\d{{1,2}},?\s+)?(?:19|20)\d\d|(?:19|20)\d\d)\b"
)
_TRIAL_NAME = re.compile(
    r"(?<![\w-])([A-Z][A-Za-z]*[A-Z\d][A-Za-z\d]*(?:[- ]\d+[A-Za-z]*)?)\s+(?i:trial|study)\b"
)

_TITLE_NAME = re.compile(r"(?<![\w-])[A-Z][A-Za-z]*[A-Z][A-Za-z]*[- ]?\d+[A-Za-z]*(?![\w-])")


class SummaryError(HccquizError):
    """The text is not a trial summary this parser can use."""


@dataclass(frozen=True)
class Summary:
    """Everything drafted from a summary. Empty fields mean the source did not say."""

    sections: tuple[str, ...]
    section_lines: dict[str, int]
    title: str = ""
    journal: str = ""
    date: str = ""
    authors: tuple[str, ...] = ()
    et_al: bool = False
    trial_name: str = ""
    bottom_line: tuple[Line, ...] = ()
    key_findings: tuple[Finding, ...] = ()
    design: tuple[DesignField, ...] = ()
    limitations: tuple[Line, ...] = ()
    significance: tuple[Line, ...] = ()
    history: tuple[Line, ...] = ()
    questions: tuple[RoleQuestion, ...] = ()
    trials: tuple[RelatedTrial, ...] = ()
    warnings: tuple[str, ...] = ()


def _heading(text: str) -> str | None:
    key = " ".join(text.strip("#*_ ").rstrip(":").split()).casefold()
    return _HEADINGS.get(key)


def _split(text: str) -> tuple[list[Line], dict[str, list[Line]], dict[str, int], list[str]]:
    """Header lines, the lines of each section, where each section starts, and warnings."""
    header: list[Line] = []
    sections: dict[str, list[Line]] = {}
    starts: dict[str, int] = {}
    warnings: list[str] = []
    current: list[Line] = header
    current_name = ""
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = clean_line(raw)
        if not line:
            continue
        if starts and line.casefold().startswith(_TRAILERS):
            break  # page text after the summary
        name = _heading(line)
        if name == current_name:
            continue  # a sub-heading naming the same section ("Related Trials")
        current_name = name or current_name
        if name is None:
            current.append(Line(number, line))
        elif name in sections:
            warnings.append(f"{name} appears twice (line {number}); both parts are used")
            current = sections[name]
        else:
            starts[name] = number
            current = sections[name] = []
    return header, sections, starts, warnings


def _header(lines: list[Line]) -> tuple[str, str, str, tuple[str, ...], bool]:
    """(journal, date, title, authors, et al.) from the lines before the first section."""
    journal = date = title = ""
    authors: tuple[str, ...] = ()
    et_al = False
    rest = list(lines[:6])
    for line in rest[:3]:
        match = _DATE.search(line.text)
        if match and len(line.text) < 120:
            date = match.group(1)
            journal = line.text[: match.start()].strip(" ,.;:-–|")
            rest.remove(line)
            break
    for line in rest:
        text = line.text
        if re.search(r"\bet al\b", text) or (text.count(",") >= 2 and len(text.split(",")[0]) < 40):
            names = [n.strip() for n in re.split(r",|\band\b|;", text)]
            et_al = any(re.fullmatch(r"et al\.?", n) for n in names)
            authors = tuple(n for n in names if n and not re.fullmatch(r"et al\.?", n))
            rest.remove(line)
            break
    if rest:
        title = rest[0].text
    return journal, date, title, authors, et_al


def _trial_name(sections: dict[str, list[Line]], title: str, related: set[str]) -> str:
    """The summary's own trial: the named trial mentioned most outside the history/landscape."""
    texts = [line.text for name in SECTIONS if name not in ("Historical Context",
             "Clinical Landscape") for line in sections.get(name, [])]  # fmt: skip
    candidates = [m.group(1) for text in texts for m in _TRIAL_NAME.finditer(text)]
    candidates = [c for c in candidates if c.casefold() not in related]
    if not candidates:  # a name in the title, such as "(KEYNOTE-240)" or "IMbrave150"
        named = _TITLE_NAME.search(title)
        return named.group(0) if named else ""
    joined = "\n".join([*texts, title])
    counts = {c: joined.count(c) for c in list(dict.fromkeys(candidates))[:50]}
    best = max(counts.values())
    return next(c for c in counts if counts[c] == best)


def parse_summary(text: str) -> Summary:
    """Parse summary text. Raises `SummaryError` when no known section heading is found."""
    header, sections, starts, warnings = _split(text.removeprefix("\ufeff"))
    if not sections:
        raise SummaryError(
            "no recognised section: a trial summary has headings such as "
            + ", ".join(SECTIONS[:-1])
            + f" or {SECTIONS[-1]}, each on a line of its own"
        )
    journal, date, title, authors, et_al = _header(header)
    if not title:
        warnings.append("no title line before the first section")
    for name in SECTIONS:
        if name not in sections:
            warnings.append(f"missing section: {name}")
        elif not sections[name]:
            warnings.append(f"{name}: the section is empty")

    def get(name: str) -> list[Line]:
        return sections.get(name, [])

    questions = [
        *parse_discussion("Guided Discussion", get("Guided Discussion"), warnings),
        *parse_discussion("Scholarly Review", get("Scholarly Review"), warnings),
    ]
    if "Guided Discussion" in sections or "Scholarly Review" in sections:
        asked = {q.level for q in questions}
        for level in Level:
            if level not in asked:
                warnings.append(f"no discussion or review question for the {level.display_name}")
    trials = parse_trials(get("Clinical Landscape"), warnings)
    related = {t.name.casefold() for t in trials} | {
        re.sub(r"\s+(?i:trial|study)$", "", t.name).casefold() for t in trials
    }
    return Summary(
        sections=tuple(name for name in SECTIONS if name in sections),
        section_lines=starts,
        title=title,
        journal=journal,
        date=date,
        authors=authors,
        et_al=et_al,
        trial_name=_trial_name(sections, title, related),
        bottom_line=tuple(paragraphs(get("Bottom Line"))),
        key_findings=parse_findings(get("Key Findings"), warnings),
        design=parse_design(get("Study Design"), warnings),
        limitations=tuple(paragraphs(get("Study Limitations"))),
        significance=tuple(paragraphs(get("Clinical Significance"))),
        history=tuple(paragraphs(get("Historical Context"))),
        questions=tuple(questions),
        trials=trials,
        warnings=tuple(warnings),
    )
