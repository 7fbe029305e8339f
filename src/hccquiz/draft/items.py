"""A parsed `Summary` -> deck fields and items (`DraftDeck`). Pure: no I/O, no YAML.

Item ids are slugs of section and position (``kf-1``, ``sd-sample``, ``gd-resident``,
``trial-sharp-result``), never of the text, so that re-drafting a revised summary keeps
them and, with them, the trainees' progress. Levels follow the table in docs/draft.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..deck.levels import Level
from .cloze import make_cloze
from .parts import RelatedTrial, RoleQuestion
from .summary import Summary
from .text import first_sentence, lower_first, sentences, slugify

__all__ = ["DraftDeck", "DraftItem", "build_draft", "citation"]

MS, RES, FEL, ATT = Level.MED_STUDENT, Level.RESIDENT, Level.FELLOW, Level.ATTENDING
PHD, ED, GC = Level.PHD, Level.JOURNAL_EDITOR, Level.GUIDELINE_COMMITTEE
CLINICAL = (MS, RES, FEL, ATT)
_SECTION_LEVELS = {"Guided Discussion": CLINICAL, "Scholarly Review": (PHD, ED, GC)}
_DESIGN = {  # label -> (id part, question template, levels)
    "design": ("design", "What was the design of {trial}?", (MS, RES, FEL, PHD)),
    "sample": ("sample", "How many patients were enrolled in {trial}?", (FEL, PHD, ED)),
    "duration": ("duration", "What was the duration of {trial}?", (FEL, PHD, ED)),
    "setting": ("setting", "In what setting was {trial} conducted?", (FEL, PHD, ED)),
    "population": ("population", "Which patients did {trial} enrol?", (RES, FEL, ATT, GC)),
    "intervention": ("intervention", "What was the intervention in {trial}?", (RES, FEL, ATT)),
    "comparator": ("comparator", "What was the comparator in {trial}?", (MS, RES, FEL, ED)),
    "outcome": ("outcome", "Which outcomes did {trial} assess?", (FEL, PHD, ED)),
}
_DESIGN_ALIASES = {
    "sample size": "sample", "enrollment": "sample", "follow-up": "duration",
    "median follow-up": "duration", "comparison": "comparator", "control": "comparator",
    "outcomes": "outcome", "primary endpoint": "outcome", "primary outcome": "outcome",
    "endpoint": "outcome",
}  # fmt: skip
_CONSEQUENCE = r"limiting|meaning|making|leaving|so that|so|thus|thereby|which"
_CONCESSION = r"though|although|even though|but|whereas|however|despite"
_LIMITATION_SPLIT = re.compile(rf",\s+(?:(?P<c>{_CONSEQUENCE})|(?P<q>{_CONCESSION}))\b\s*")
_JOURNALS = {
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


@dataclass(frozen=True)
class DraftItem:
    """One drafted item; `text` set means a cloze item. `notes` become YAML comments."""

    id: str
    levels: tuple[Level, ...]
    tags: tuple[str, ...]
    source: str
    line: int
    question: str = ""
    answer: str = ""
    text: str = ""
    explanation: str = ""
    notes: tuple[str, ...] = ()

    @property
    def type(self) -> str:
        """``cloze`` or ``basic``."""
        return "cloze" if self.text else "basic"

    def data(self) -> dict[str, Any]:
        """The item as deck data, keys in the order they are written."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        data |= {"levels": [level.value for level in self.levels], "tags": list(self.tags)}
        data["source"] = self.source
        fields = ("text",) if self.text else ("question", "answer")
        data |= {name: getattr(self, name) for name in fields}
        if self.explanation:
            data["explanation"] = self.explanation
        return data


@dataclass(frozen=True)
class DraftDeck:
    """A drafted deck: its fields and items. `citation` and `description` may be empty."""

    id: str
    title: str
    description: str
    citation: str
    tags: tuple[str, ...]
    items: tuple[DraftItem, ...]
    warnings: tuple[str, ...] = ()


def _answer(text: str) -> tuple[str, str]:
    """(answer, explanation): the first sentence, with the whole text as the explanation."""
    parts = sentences(text)
    return (parts[0], text) if len(parts) > 1 else (text, "")


def _the(summary: Summary) -> str:
    return f"the {summary.trial_name} trial" if summary.trial_name else "this trial"


def _prose(summary: Summary) -> list[DraftItem]:
    trial = _the(summary)
    specs = [
        ("bl", "Bottom Line", summary.bottom_line, "bottom-line",
         f"What is the bottom line of {trial}?", CLINICAL),
        ("cs", "Clinical Significance", summary.significance, "clinical-significance",
         f"What is the clinical significance of {trial}?", (RES, FEL, ATT, GC)),
        ("hc", "Historical Context", summary.history, "historical-context",
         f"What was the historical context of {trial}?", (FEL, ATT, PHD, GC)),
    ]  # fmt: skip
    items = []
    for prefix, section, paragraphs, tag, question, levels in specs:
        if paragraphs:
            answer, explanation = _answer(" ".join(p.text for p in paragraphs))
            items.append(
                DraftItem(f"{prefix}-1", levels, (tag,), section, paragraphs[0].number, question,
                          answer, explanation=explanation)
            )  # fmt: skip
    return items


def _findings(summary: Summary) -> list[DraftItem]:
    items = []
    name = summary.trial_name
    for finding in summary.key_findings:
        item_id, source, tags = (
            f"kf-{finding.number}",
            f"Key Findings {finding.number}",
            ("key-findings",),
        )
        text = finding.text
        if name and name.casefold() not in text.casefold():
            text = f"{name}: {text}"
        cloze = make_cloze(text)
        if cloze:
            items.append(DraftItem(item_id, CLINICAL, tags, source, finding.line, text=cloze))
            continue
        opening = " ".join(finding.text.split()[:6])
        question = f"Complete the key finding of {_the(summary)}: “{opening} …”"
        note = "no number to hide: rewrite this as a question or a cloze"
        items.append(
            DraftItem(item_id, CLINICAL, tags, source, finding.line, question, finding.text,
                      notes=(note,))
        )  # fmt: skip
    return items


def _design(summary: Summary) -> list[DraftItem]:
    items = []
    trial = _the(summary)
    for field in summary.design:
        key = _DESIGN_ALIASES.get(field.label.casefold(), field.label.casefold())
        part, template, levels = _DESIGN.get(
            key,
            (
                slugify(field.label) or "field",
                f"In {trial}, what was the {{label}}?",
                (FEL, PHD, ED),
            ),
        )
        question = template.format(trial=trial, label=field.label.lower())
        source = f"Study Design, {field.label}"
        items.append(
            DraftItem(f"sd-{part}", levels, ("study-design",), source, field.line, question,
                      field.value)
        )  # fmt: skip
    return items


def _limitations(summary: Summary) -> list[DraftItem]:
    items = []
    trial = _the(summary)
    premises = []
    for n, line in enumerate(summary.limitations, start=1):
        match = _LIMITATION_SPLIT.search(line.text)
        notes: tuple[str, ...] = ()
        source = f"Study Limitations {n}"
        if match:
            premise = line.text[: match.start()].rstrip(" ,;")
            rest = line.text[match.end() :]
            word = match.group("c") or ""
            if word.endswith("ing") and word != "meaning":  # "limiting the ..." keeps its verb
                rest = f"{word} {rest}"
            rest = rest[:1].upper() + rest[1:]
            ask = "What does it imply?" if match.group("c") else "What mitigates it?"
            question = f"A limitation of {trial}: {lower_first(premise)}. {ask}"
            answer, explanation = rest, line.text
        else:
            premise = first_sentence(line.text).rstrip(".")
            words = line.text.split()
            opening = " ".join(words[: max(3, min(8, len(words) // 2))])
            question = f"What limitation of {trial} does the summary raise (“{opening} …”)?"
            answer, explanation = line.text, ""
            notes = ("could not tell the limitation from its consequence: rewrite the question",)
        premises.append(premise)
        items.append(
            DraftItem(f"lim-{n}", (FEL, PHD, ED), ("limitations",), source, line.number,
                      question, answer, explanation=explanation, notes=notes)
        )  # fmt: skip
    if len(premises) > 1:
        listed = "; ".join(f"({n}) {p}" for n, p in enumerate(premises, start=1))
        items.append(
            DraftItem("lim-all", (ATT, ED, GC), ("limitations",), "Study Limitations",
                      summary.limitations[0].number,
                      f"What are the {len(premises)} main limitations of {trial}?", listed)
        )  # fmt: skip
    return items


def _discussion(summary: Summary) -> list[DraftItem]:
    items = []
    for question in summary.questions:
        prefix = "gd" if question.section == "Guided Discussion" else "sr"
        role = question.role or "no role"
        part = question.level.value if question.level else slugify(role) or "question"
        levels = (question.level,) if question.level else _SECTION_LEVELS[question.section]
        answer, explanation = _answer(question.answer)
        tag = slugify(question.section)
        notes = () if question.level else (_unknown_role_note(question),)
        items.append(
            DraftItem(f"{prefix}-{part}", levels, (tag,),
                      f"{question.section}, {role}", question.line, question.question, answer,
                      explanation=explanation, notes=notes)
        )  # fmt: skip
    return items


def _unknown_role_note(question: RoleQuestion) -> str:
    what = f"unknown role {question.role!r}" if question.role else "no role header"
    return f"{what}: levels are the section's, check them"


def _trial_items(summary: Summary) -> list[DraftItem]:
    items = []
    for trial in summary.trials:
        name = re.sub(r"\s+(?i:trial|study)$", "", trial.name)
        slug = slugify(name, 40) or "related"
        where = f"the {name} trial" + (f" ({trial.year})" if trial.year else "")
        source = f"Clinical Landscape, {trial.name}" + (f" ({trial.year})" if trial.year else "")
        context = _trial_context(trial)
        tags = ("related-trials", slug)
        levels = (RES, FEL, ATT, GC)
        if trial.tested:
            items.append(
                DraftItem(f"trial-{slug}-tested", levels, tags, source, trial.line,
                          f"What did {where} test?", trial.tested, explanation=context)
            )  # fmt: skip
        if trial.comparator:
            tested = f"was {lower_first(trial.tested)}" if trial.tested else "was tested"
            items.append(
                DraftItem(f"trial-{slug}-comparator", levels, tags, source, trial.line,
                          f"In {where}, what {tested} compared with?", trial.comparator,
                          explanation=context)
            )  # fmt: skip
        if trial.key_result:
            versus = ""
            if trial.tested and trial.comparator:
                versus = f": {lower_first(trial.tested)} vs. {lower_first(trial.comparator)}"
            items.append(
                DraftItem(f"trial-{slug}-result", (FEL, ATT, ED, GC), tags, source, trial.line,
                          f"What was the key result of {where}{versus}?", trial.key_result,
                          explanation=context)
            )  # fmt: skip
    return items


def _trial_context(trial: RelatedTrial) -> str:
    parts = [
        f"{label}: {value}."
        for label, value in (("Population", trial.population), ("Endpoint", trial.endpoint))
        if value
    ]
    if trial.size:
        parts.append(f"n = {trial.size}" + (f" ({trial.journal})." if trial.journal else "."))
    return " ".join(parts)


def _vancouver(name: str) -> str:
    """``Richard S. Finn`` -> ``Finn RS``; ``Tae-You Kim`` -> ``Kim TY``."""
    if re.fullmatch(r"[\w'’-]+ [A-Z]{1,3}", name):
        return name  # already "Finn RS"
    parts = name.replace(".", ". ").split()
    suffix = parts.pop() if len(parts) > 2 and parts[-1].rstrip(".") in ("Jr", "Sr", "II") else ""
    if len(parts) < 2:
        return name
    i = len(parts) - 1
    while i > 1 and parts[i - 1].islower():  # particles: van, de, von
        i -= 1
    initials = "".join(p[0].upper() for given in parts[:i] for p in given.split("-") if p[:1])
    return " ".join(x for x in (" ".join(parts[i:]), initials, suffix.rstrip(".")) if x)


def citation(summary: Summary) -> str:
    """A Vancouver-style citation: ``Finn RS, Qin S, Ikeda M, et al. Title. N Engl J Med.
    2020 May 14.``; parts the summary lacks are left out."""
    authors = [_vancouver(a) for a in summary.authors]
    if summary.et_al or len(authors) > 6:
        authors = [*authors[:3], "et al"]
    parts = [", ".join(authors), summary.title.rstrip(".")]
    parts.append(_JOURNALS.get(summary.journal.casefold(), summary.journal))
    date = re.match(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})", summary.date)
    parts.append(f"{date.group(3)} {date.group(1)} {date.group(2)}" if date else summary.date)
    return " ".join(f"{p}." if p[-1:] not in ".?!" else p for p in parts if p)


def _unique(items: list[DraftItem]) -> list[DraftItem]:
    """Ids made unique in order (``kf-1``, ``kf-1-2``) and at most 64 characters."""
    seen: set[str] = set()
    last: dict[str, int] = {}  # the last suffix tried per base, so that this stays linear
    out = []
    for item in items:
        base = item.id[:64].rstrip("-")
        item_id, n = base, last.get(base, 1)
        while item_id in seen:
            n += 1
            item_id = f"{base[: 63 - len(str(n))].rstrip('-')}-{n}"
        last[base] = n
        seen.add(item_id)
        out.append(item if item_id == item.id else _replace_id(item, item_id))
    return out


def _replace_id(item: DraftItem, item_id: str) -> DraftItem:
    return DraftItem(**{**item.__dict__, "id": item_id})


def build_draft(summary: Summary, deck_id: str | None = None) -> DraftDeck:
    """The deck for `summary`. `deck_id` overrides the id drawn from the trial or title."""
    name, title = summary.trial_name, summary.title
    if title and name and name.casefold() not in title.casefold():
        full_title = f"{name} — {title}"
    else:
        full_title = title or (f"{name} trial" if name else "Untitled trial summary")
    prose = _prose(summary)
    items = [
        *(item for item in prose if item.id == "bl-1"),
        *_findings(summary),
        *_design(summary),
        *_limitations(summary),
        *(item for item in prose if item.id != "bl-1"),
        *_discussion(summary),
        *_trial_items(summary),
    ]
    warnings = [f"{i.source}: {n}" for i in items if i.type == "basic" for n in i.notes
                if i.id.startswith("kf-")]  # fmt: skip
    final_id = deck_id or slugify(name) or slugify(title) or "draft"
    if not deck_id and not name:
        warnings.append(f"no trial name found: the deck id is {final_id!r}; set one with --id")
    return DraftDeck(
        id=final_id,
        title=full_title,
        description=" ".join(p.text for p in summary.bottom_line),
        citation=citation(summary),
        tags=(slugify(name, 64),) if slugify(name) else (),
        items=tuple(_unique(items)),
        warnings=tuple(warnings),
    )
