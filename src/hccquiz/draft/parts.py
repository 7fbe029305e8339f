"""Parsers for the parts of a trial summary: findings, design, discussion roles and trials.

Pure: no I/O. Each parser takes the cleaned, non-blank lines of one section and appends
what it had to guess or skip to a list of warnings. `summary.parse_summary` puts them together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..deck.levels import Level
from .text import unwrap

__all__ = [
    "DESIGN_LABELS",
    "DesignField",
    "Finding",
    "Line",
    "RelatedTrial",
    "RoleQuestion",
    "paragraphs",
    "parse_design",
    "parse_discussion",
    "parse_findings",
    "parse_trials",
    "role_level",
]

_ROLES = {
    "med student": Level.MED_STUDENT,
    "medical student": Level.MED_STUDENT,
    "resident": Level.RESIDENT,
    "fellow": Level.FELLOW,
    "attending": Level.ATTENDING,
    "attending physician": Level.ATTENDING,
    "phd": Level.PHD,
    "journal editor": Level.JOURNAL_EDITOR,
    "editor": Level.JOURNAL_EDITOR,
    "guideline committee": Level.GUIDELINE_COMMITTEE,
    "guidelines committee": Level.GUIDELINE_COMMITTEE,
}
DESIGN_LABELS = (
    "Design", "Sample", "Sample Size", "Enrollment", "Duration", "Follow-up",
    "Median Follow-up", "Setting", "Sites", "Randomization", "Blinding", "Masking", "Phase",
    "Population", "Intervention", "Comparator", "Comparison", "Control", "Outcome",
    "Outcomes", "Primary Endpoint", "Primary Outcome", "Endpoint",
)  # fmt: skip
"""Labels recognised in Study Design, each on a line of its own with the value on the next
lines, or before a colon and the value; PICO labels may also be followed by just a space."""
_INLINE_LABELS = re.compile(
    r"^(?:(?P<pico>Population|Intervention|Comparator|Comparison|Control|Outcomes?"
    r"|Primary Endpoint|Primary Outcome|Endpoint)\s*:?\s+|(?P<any>"
    + "|".join(re.escape(label) for label in sorted(DESIGN_LABELS, key=len, reverse=True))
    + r")\s*:\s*)(?P<value>\S.*)$",
    re.IGNORECASE,
)
_TRIAL_LABELS = {
    "tested": "tested", "intervention": "tested", "population": "population",
    "comparator": "comparator", "control": "comparator", "endpoint": "endpoint",
    "primary endpoint": "endpoint", "outcome": "endpoint",
}  # fmt: skip
_KEY_RESPONSE = re.compile(r"^key (?:response|answer)\s*:?\s*(.*)$", re.IGNORECASE)
_KEY_RESULT = re.compile(r"^key (?:result|finding)s?\s*:?\s*(.*)$", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^(?:(\d{1,3})\s*[.)]|[-•*–·])\s+(\S.*)$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_SIZE = re.compile(r"^n\s*=\s*([\d,.]+\s*\w*)\s*(?:[·•|,;–-]\s*(.*))?$", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    """One non-blank input line, cleaned, with its 1-based line number."""

    number: int
    text: str


@dataclass(frozen=True)
class Finding:
    """One entry of Key Findings: its number in the list, its text and its line."""

    number: int
    text: str
    line: int


@dataclass(frozen=True)
class DesignField:
    """A Study Design label and its value, e.g. ``Sample`` / ``501 patients``."""

    label: str
    value: str
    line: int


@dataclass(frozen=True)
class RoleQuestion:
    """A Guided Discussion or Scholarly Review question; `level` is None for unknown roles."""

    section: str
    role: str
    level: Level | None
    question: str
    answer: str
    line: int


@dataclass(frozen=True)
class RelatedTrial:
    """A trial from Clinical Landscape; any field the source lacks is empty."""

    name: str
    line: int
    year: str = ""
    size: str = ""
    journal: str = ""
    tested: str = ""
    population: str = ""
    comparator: str = ""
    endpoint: str = ""
    key_result: str = ""


def role_level(text: str) -> Level | None:
    """The level a role header names (``Med Student`` -> med-student), or None.

    A short header that contains one role's name (``Resident Perspective``) names it too.
    """
    key = " ".join(text.replace(".", "").rstrip(":").split()).casefold()
    if key in _ROLES or len(key.split()) > 5:
        return _ROLES.get(key)
    named = {_ROLES[a] for a in _ROLES if re.search(rf"(?<![\w-]){a}(?![\w-])", key)}
    return named.pop() if len(named) == 1 else None


def paragraphs(lines: list[Line]) -> list[Line]:
    """Lines joined where the source hard-wrapped a sentence; list markers dropped."""
    out: list[Line] = []
    for line in lines:
        text = m.group(2) if (m := _LIST_MARKER.match(line.text)) else line.text
        if out and not m and unwrap(out[-1].text, text):
            out[-1] = Line(out[-1].number, f"{out[-1].text} {text}")
        else:
            out.append(Line(line.number, text))
    return out


def parse_findings(lines: list[Line], warnings: list[str]) -> tuple[Finding, ...]:
    """A numbered (or bulleted) list: lines without a marker continue the entry before them.
    Without any marker, each paragraph is a finding, numbered by position."""
    found: list[Finding] = []
    numbered = any(_LIST_MARKER.match(line.text) for line in lines)
    for line in lines:
        match = _LIST_MARKER.match(line.text)
        if match:
            number = int(match.group(1)) if match.group(1) else len(found) + 1
            found.append(Finding(number, match.group(2), line.number))
        elif found and (numbered or unwrap(found[-1].text, line.text)):
            last = found[-1]
            found[-1] = Finding(last.number, f"{last.text} {line.text}", last.line)
        elif not numbered:
            found.append(Finding(len(found) + 1, line.text, line.number))
        else:
            warnings.append(f"Key Findings line {line.number}: before the list, ignored")
    return tuple(found)


def parse_design(lines: list[Line], warnings: list[str]) -> tuple[DesignField, ...]:
    """Label/value fields (`DESIGN_LABELS`); a value's extra lines are joined to it."""
    labels = {label.casefold(): label for label in DESIGN_LABELS}
    fields: list[tuple[str, list[str], int]] = []
    for line in lines:
        text = line.text.rstrip(":")
        if text.casefold() in labels:
            fields.append((labels[text.casefold()], [], line.number))
        elif match := _INLINE_LABELS.match(line.text):
            found = match.group("pico") or match.group("any")
            label = labels.get(found.casefold(), found.title())
            fields.append((label, [match.group("value")], line.number))
        elif fields:
            fields[-1][1].append(line.text)
        else:
            warnings.append(f"Study Design line {line.number}: no label before it, ignored")
    out = []
    for label, parts, number in fields:
        if parts:
            out.append(DesignField(label, _join_parts(parts), number))
        else:
            warnings.append(f"Study Design line {number}: {label!r} has no value, skipped")
    return tuple(out)


def _join_parts(parts: list[str]) -> str:
    """``["501", "Patients"]`` -> ``501 patients``; ``["Phase 3 RCT", "Open-Label"]`` ->
    ``Phase 3 RCT, open-label``."""
    text = parts[0]
    for part in parts[1:]:
        if re.fullmatch(r"[A-Z][a-z]+(?:[- ][A-Z]?[a-z]+)*", part):
            part = part.lower()
        text += " " + part if re.fullmatch(r"[\d,.]+", text) else ", " + part
    return text


def _is_header(text: str) -> bool:
    """A role header: a short title-like line, e.g. ``Resident`` or ``Nurse Practitioner``."""
    return role_level(text) is not None or (
        len(text) <= 40
        and len(text.split()) <= 4
        and text[:1].isupper()
        and not re.search(r"[.?!;,]$|\d", text)
    )


def parse_discussion(name: str, lines: list[Line], warnings: list[str]) -> list[RoleQuestion]:
    """Questions anchored on their ``Key Response`` lines: before each, the role header(s)
    and the question; after it, the answer, up to the next role's header."""
    marks = [i for i, line in enumerate(lines) if _KEY_RESPONSE.match(line.text)]
    if not marks:
        if lines:
            warnings.append(f"{name}: no 'Key Response' line, so no question was drafted")
        return []
    blocks: list[tuple[list[Line], list[Line], Line, list[Line]]] = []
    start = 0
    for k in [*marks, len(lines)]:
        region = lines[start:k]
        headers: list[Line]
        question: list[Line]
        if k == len(lines):
            headers, question, rest = [], [], region
        else:
            headers, question, rest = _split_region(region)
        if blocks:
            blocks[-1][3].extend(rest)  # the previous question's answer
        if k < len(lines):
            blocks.append((headers, question, lines[k], []))
        start = k + 1
    out = []
    for headers, question, mark, answer_lines in blocks:
        inline = _KEY_RESPONSE.match(mark.text)
        answer = " ".join([inline.group(1)] if inline and inline.group(1) else [])
        answer = " ".join([answer, *(p.text for p in paragraphs(answer_lines))]).strip()
        role = _pick_role(headers)
        first = (headers or question or [mark])[0].number
        text = " ".join(p.text for p in paragraphs(question))
        out.extend(_role_question(name, first, role, text, answer, warnings))
    return out


def _split_region(region: list[Line]) -> tuple[list[Line], list[Line], list[Line]]:
    """(role headers, question, what precedes them) for the lines before a Key Response."""
    q_start = len(region)
    while q_start > 0 and not _is_header(region[q_start - 1].text):
        q_start -= 1
    h_start = q_start
    while h_start > 0 and _is_header(region[h_start - 1].text):
        h_start -= 1
    if h_start == q_start:  # no role header: only the last paragraph is the question
        q_start = h_start = max(0, len(region) - 1)
    return region[h_start:q_start], region[q_start:], region[:h_start]


def _pick_role(headers: list[Line]) -> str:
    """The role named nearest the question: known roles win over stray header-like lines."""
    for line in reversed(headers):
        if role_level(line.text):
            return line.text
    return headers[-1].text if headers else ""


def _role_question(
    name: str, number: int, role: str, question: str, answer: str, warnings: list[str]
) -> list[RoleQuestion]:
    level = role_level(role) if role else None
    label = level.display_name if level else role
    where = f"{name} line {number}"
    if not question or not answer:
        missing = "question" if not question else "key response"
        warnings.append(f"{where}: {label or 'a role'} has no {missing}, skipped")
        return []
    if not role:
        warnings.append(f"{where}: question without a role header, kept with the section's levels")
    elif level is None:
        warnings.append(f"{where}: unknown role {role!r}, kept with the section's levels")
    return [RoleQuestion(name, label, level, question, answer, number)]


def parse_trials(lines: list[Line], warnings: list[str]) -> tuple[RelatedTrial, ...]:
    """Related trials: each starts at its year line, or at its name when the year is missing
    (the line before ``n = …``); then Tested, Population, Comparator, Endpoint and
    ``Key result: …``."""
    starts = []
    for i, line in enumerate(lines):
        after_year = i > 0 and _YEAR.match(lines[i - 1].text)
        before_size = i + 1 < len(lines) and _SIZE.match(lines[i + 1].text)
        if _YEAR.match(line.text) or (before_size and not after_year):
            starts.append(i)
    trials = []
    for n, start in enumerate(starts):
        block = lines[start : starts[n + 1] if n + 1 < len(starts) else len(lines)]
        trial = _trial(block)
        fields = {"Tested": trial.tested, "Comparator": trial.comparator}
        lacks = [label for label, value in {**fields, "Key result": trial.key_result}.items()
                 if not value]  # fmt: skip
        if trial.name and lacks:
            where = f"Clinical Landscape line {trial.line}"
            warnings.append(f"{where}: {trial.name} has no {' or '.join(lacks)}, so no item for it")
        if trial.name:
            trials.append(trial)
        else:
            warnings.append(f"Clinical Landscape line {block[0].number}: a trial without a name")
    if not trials and lines:
        warnings.append("Clinical Landscape: no related trial found (each starts with its year)")
    return tuple(trials)


def _trial(block: list[Line]) -> RelatedTrial:
    values: dict[str, str] = {}
    current: str | None = None
    year = ""
    rows = list(block)
    if rows and _YEAR.match(rows[0].text):
        year = rows.pop(0).text
    name = ""
    if rows and not _SIZE.match(rows[0].text) and rows[0].text.casefold() not in _TRIAL_LABELS:
        name = rows.pop(0).text
    for row in rows:
        label = _TRIAL_LABELS.get(row.text.rstrip(":").casefold())
        inline = re.match(r"^([A-Za-z ]+):\s*(\S.*)$", row.text)
        if size := _SIZE.match(row.text):
            values["size"], values["journal"] = size.group(1).strip(), (size.group(2) or "")
            current = None
        elif result := _KEY_RESULT.match(row.text):
            current = "key_result"
            values[current] = result.group(1)
        elif label:
            current = label
        elif inline and inline.group(1).casefold() in _TRIAL_LABELS:
            current = _TRIAL_LABELS[inline.group(1).casefold()]
            values[current] = inline.group(2)
        elif current and (
            current != "key_result" or not values[current] or unwrap(values[current], row.text)
        ):
            values[current] = f"{values.get(current, '')} {row.text}".strip()
    first = block[0].number if block else 0
    return RelatedTrial(name=name, line=first, year=year, **values)
