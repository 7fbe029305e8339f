"""A parsed `Summary` as the `SourceText` the linter checks item sources against.

Parts are keyed the way items name them: Key Findings and Study Limitations by number,
Study Design by label, the discussion sections by role, Clinical Landscape by trial.
Pure: no I/O.
"""

from __future__ import annotations

from ..deck.lint import SourceText
from .summary import Summary

__all__ = ["source_text"]


def _join(*texts: str) -> str:
    return "\n".join(t for t in texts if t)


def source_text(summary: Summary) -> SourceText:
    """The summary's text by section and part, for `hccquiz.deck.lint.lint_deck`."""
    parts: dict[str, dict[str, str]] = {
        "Bottom Line": {},
        "Key Findings": {str(f.number): f.text for f in summary.key_findings},
        "Study Design": {d.label: d.value for d in summary.design},
        "Study Limitations": {str(n): p.text for n, p in enumerate(summary.limitations, 1)},
        "Clinical Significance": {},
        "Historical Context": {},
        "Guided Discussion": {},
        "Scholarly Review": {},
        "Clinical Landscape": {},
    }
    for question in summary.questions:
        role = question.level.display_name if question.level else question.role
        parts[question.section][role or "question"] = _join(question.question, question.answer)
    for trial in summary.trials:
        parts["Clinical Landscape"][trial.name] = _join(
            trial.year, f"n = {trial.size}" if trial.size else "", trial.journal, trial.tested,
            trial.population, trial.comparator, trial.endpoint, trial.key_result,
        )  # fmt: skip
    whole = {
        "Bottom Line": _join(*(p.text for p in summary.bottom_line)),
        "Clinical Significance": _join(*(p.text for p in summary.significance)),
        "Historical Context": _join(*(p.text for p in summary.history)),
        "Study Design": _join(*(f"{d.label} {d.value}" for d in summary.design)),
    }
    sections = {
        name: whole.get(name) or _join(*parts[name].values())
        for name in parts
        if name in summary.sections
    }
    return SourceText(sections, {name: parts[name] for name in sections if parts[name]})
