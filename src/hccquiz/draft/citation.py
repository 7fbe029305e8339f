"""The deck's citation, Vancouver style, from a summary's header. Pure."""

from __future__ import annotations

import re

from .summary import Summary

__all__ = ["JOURNALS", "citation", "vancouver"]

JOURNALS = {
    "the new england journal of medicine": "N Engl J Med",
    "new england journal of medicine": "N Engl J Med",
    "nejm evidence": "NEJM Evid",
    "the lancet": "Lancet",
    "the lancet oncology": "Lancet Oncol",
    "the lancet gastroenterology & hepatology": "Lancet Gastroenterol Hepatol",
    "journal of clinical oncology": "J Clin Oncol",
    "jama oncology": "JAMA Oncol",
    "journal of hepatology": "J Hepatol",
    "annals of oncology": "Ann Oncol",
}
"""Journal names as printed -> their NLM abbreviations."""

_DAY_DATE = re.compile(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})")
_MONTH_DATE = re.compile(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{4})")


def vancouver(name: str) -> str:
    """``Richard S. Finn`` -> ``Finn RS``; ``Tae-You Kim`` -> ``Kim TY``."""
    if re.fullmatch(r"[\w'’-]+ [A-Z]{1,3}", name):
        return name  # already "Finn RS"
    parts = name.replace(".", ". ").split()
    suffix = parts.pop() if len(parts) > 2 and parts[-1].rstrip(".") in ("Jr", "Sr", "II") else ""
    if len(parts) < 2:
        return name
    i = len(parts) - 1
    while i > 1 and parts[i - 1].islower():  # particles: van, de, von, da
        i -= 1
    initials = "".join(p[0].upper() for given in parts[:i] for p in given.split("-") if p[:1])
    return " ".join(x for x in (" ".join(parts[i:]), initials, suffix.rstrip(".")) if x)


def _date(text: str) -> str:
    """``May 14, 2020`` -> ``2020 May 14``; ``June 2022`` -> ``2022 Jun``; a year as is."""
    if match := _DAY_DATE.match(text):
        return f"{match.group(3)} {match.group(1).title()} {match.group(2)}"
    if match := _MONTH_DATE.match(text):
        return f"{match.group(2)} {match.group(1).title()}"
    return text


def citation(summary: Summary) -> str:
    """A Vancouver-style citation: ``Finn RS, Qin S, Ikeda M, et al. Title. N Engl J Med.
    2020 May 14.``; parts the summary lacks are left out."""
    authors = [vancouver(a) for a in summary.authors]
    if summary.et_al or len(authors) > 6:
        authors = [*authors[:3], "et al"]
    parts = [", ".join(authors), summary.title.rstrip(".")]
    parts.append(JOURNALS.get(summary.journal.casefold(), summary.journal))
    parts.append(_date(summary.date))
    return " ".join(f"{p}." if p[-1:] not in ".?!" else p for p in parts if p)
