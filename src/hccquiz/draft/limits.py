"""How much one trial summary may hold, checked before anything is drafted.

A summary is one trial on one page: a handful of key findings, a few discussion questions.
Drafting checks every finding's numbers against the others and lints every item against
the summary, work that grows faster than the input; a summary far past these limits is not
a summary, and would take minutes to draft a deck nobody could study. So `summary_limits`
refuses it at once, with the line where it goes past a limit.
"""

from __future__ import annotations

from .summary import Summary

__all__ = ["MAX_FINDINGS", "MAX_FINDING_CHARS", "MAX_QUESTIONS", "summary_limits"]

MAX_FINDINGS = 20
"""Key findings a summary may list (trial summaries have about five)."""
MAX_FINDING_CHARS = 600
"""Characters one key finding may hold (the longest in the bundled summary has 270)."""
MAX_QUESTIONS = 50
"""Discussion and review questions a summary may hold (trial summaries have four to eight)."""


def summary_limits(summary: Summary, name: str) -> str | None:
    """``PATH:LINE:COL: what`` for the first place `summary` goes past a limit, or None."""
    findings = summary.key_findings
    if len(findings) > MAX_FINDINGS:
        return (
            f"{name}:{findings[MAX_FINDINGS].line}:1: {len(findings):,} key findings, over the "
            f"{MAX_FINDINGS} a summary may list: split the summary, one trial at a time"
        )
    for finding in findings:
        if len(finding.text) > MAX_FINDING_CHARS:
            return (
                f"{name}:{finding.line}:1: key finding {finding.number} has "
                f"{len(finding.text):,} characters, over the {MAX_FINDING_CHARS} one finding "
                "may hold: split it into several findings"
            )
    questions = summary.questions
    if len(questions) > MAX_QUESTIONS:
        return (
            f"{name}:{questions[MAX_QUESTIONS].line}:1: {len(questions):,} discussion questions, "
            f"over the {MAX_QUESTIONS} a summary may hold: split the summary"
        )
    return None
