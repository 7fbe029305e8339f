"""A parsed `Summary` -> deck fields and items (`DraftDeck`). Pure: no I/O, no YAML.

Item ids are slugs of section and position (``kf-1``, ``sd-sample``, ``gd-resident``,
``trial-sharp-result``), never of the text, so that re-drafting a revised summary keeps
them and, with them, the trainees' progress. Levels follow the table in docs/draft.md.
"""

from __future__ import annotations

import re

from ..deck.levels import Level
from .citation import citation
from .drafted import DraftDeck, DraftItem
from .facts import share_facts
from .findings import finding_items
from .parts import RelatedTrial, RoleQuestion
from .summary import Summary
from .text import MAX_ANSWER_WORDS, concise, lower_first, slugify

__all__ = ["DraftDeck", "DraftItem", "build_draft", "citation"]

MS, RES, FEL, ATT = Level.MED_STUDENT, Level.RESIDENT, Level.FELLOW, Level.ATTENDING
PHD, ED, GC = Level.PHD, Level.JOURNAL_EDITOR, Level.GUIDELINE_COMMITTEE
CLINICAL = (MS, RES, FEL, ATT)
_SECTION_LEVELS = {"Guided Discussion": CLINICAL, "Scholarly Review": (PHD, ED, GC)}
_DESIGN = {  # label -> (id part, question template, levels)
    "design": ("design", "What was the design of {trial}?", (MS, RES, FEL, PHD)),
    "duration": ("duration", "What was the follow-up in {trial}?", (FEL, PHD, ED)),
    "population": ("population", "Which patients did {trial} enrol?", (RES, FEL, ATT, GC)),
    "intervention": ("intervention", "What was the intervention in {trial}?", (RES, FEL, ATT)),
    "comparator": ("comparator", "What was the comparator in {trial}?", (MS, RES, FEL, ED)),
    "outcome": ("outcome", "Which outcomes did {trial} assess?", (FEL, PHD, ED)),
}
_FOLDED_INTO_DESIGN = ("sample", "setting")  # told in the design item's answer
_DESIGN_ALIASES = {
    "sample size": "sample", "enrollment": "sample", "follow-up": "duration",
    "median follow-up": "duration", "comparison": "comparator", "control": "comparator",
    "outcomes": "outcome", "primary endpoint": "outcome", "primary outcome": "outcome",
    "endpoint": "outcome", "sites": "setting",
}  # fmt: skip
_CONSEQUENCE = r"limiting|meaning|making|leaving|so that|so|thus|thereby|which"
_CONCESSION = r"though|although|even though|but|whereas|however|despite"
_VERBS = {"limiting": "limits", "making": "makes", "leaving": "leaves"}
_LIMITATION_SPLIT = re.compile(rf",\s+(?:(?P<c>{_CONSEQUENCE})|(?P<q>{_CONCESSION}))\b\s*")
_LIMITATION_LEVELS = (  # what a limitation is about -> who needs it
    (re.compile(r"generaliz|restricted|enrolled only|only patients|excluded|child-pugh|ecog",
                re.I), (RES, FEL, ATT, GC)),
    (re.compile(r"comparator|head-to-head|compares with", re.I), (FEL, ATT, GC)),
    (re.compile(r"follow-up|interim|long-term", re.I), (FEL, ATT, ED)),
    (re.compile(r"open-label|blind|bias", re.I), (FEL, PHD, ED)),
)  # fmt: skip
_LEAD = re.compile(
    r"^(?:The\s+)?(?:phase\s+\w+\s+)?[\w -]*?\b(?:trial|study)\s+"
    r"(?:showed|demonstrated|found|established)\s+that\s+",
    re.IGNORECASE,
)


def _answer(text: str, question: str = "") -> tuple[str, str]:
    """(concise answer, explanation): the gist (`concise`), with the whole text as the
    explanation when the gist leaves something out."""
    answer = concise(text, question)
    return (answer, text) if answer != text else (text, "")


def _the(summary: Summary) -> str:
    return f"the {summary.trial_name} trial" if summary.trial_name else "this trial"


def _bottom_line(text: str) -> tuple[str, str]:
    """The bottom line without its "The phase 3 X trial showed that" lead."""
    lead = _LEAD.match(text)
    if not lead:
        return _answer(text)
    rest = text[lead.end() :].replace(", and that ", ", and ")
    answer = rest[:1].upper() + rest[1:]
    if len(answer.split()) > MAX_ANSWER_WORDS:
        answer = concise(answer)
    return answer, text


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
            text = " ".join(p.text for p in paragraphs)
            answer, explanation = _bottom_line(text) if prefix == "bl" else _answer(text)
            items.append(
                DraftItem(f"{prefix}-1", levels, (tag,), section, paragraphs[0].number, question,
                          answer, explanation=explanation)
            )  # fmt: skip
    return items


def _follow_up(value: str) -> tuple[str, str]:
    """(question part, answer) for a Duration field: ``8.6 mo, median`` is a median
    follow-up of 8.6 months, not how long the trial ran."""
    text = re.sub(r"(\d)\s*mo\b\.?", r"\1 months", value)
    median = re.search(r"\bmedian\b", text, re.IGNORECASE)
    text = re.sub(r",?\s*\bmedian\b", "", text, flags=re.IGNORECASE).strip(" ,")
    return ("What was the median follow-up in {trial}?" if median else
            "What was the follow-up in {trial}?"), text  # fmt: skip


def _design(summary: Summary) -> list[DraftItem]:
    items = []
    trial = _the(summary)
    fields = {
        _DESIGN_ALIASES.get(f.label.casefold(), f.label.casefold()): f for f in summary.design
    }
    for key, field in fields.items():
        if key in _FOLDED_INTO_DESIGN and "design" in fields:
            continue
        part, template, levels = _DESIGN.get(
            key,
            (slugify(field.label) or "field", f"In {trial}, what was the {{label}}?",
             (FEL, PHD, ED)),
        )  # fmt: skip
        answer, explanation = field.value, ""
        source = f"Study Design, {field.label}"
        if key == "design":
            extra = [lower_first(fields[k].value) for k in _FOLDED_INTO_DESIGN if k in fields]
            answer = "; ".join([field.value, *extra])
            source = "Study Design" if extra else source
        elif key == "duration":
            template, answer = _follow_up(field.value)
        question = template.format(trial=trial, label=field.label.lower())
        if len(answer.split()) > MAX_ANSWER_WORDS:
            answer, explanation = concise(answer), answer
        items.append(
            DraftItem(f"sd-{part}", levels, ("study-design",), source, field.line, question,
                      answer, explanation=explanation)
        )  # fmt: skip
    return items


def _limitation_levels(text: str) -> tuple[Level, ...]:
    return next((levels for rx, levels in _LIMITATION_LEVELS if rx.search(text)), (FEL, ATT, ED))


def _limitations(summary: Summary) -> tuple[list[DraftItem], list[str]]:
    """One item per limitation whose premise and consequence (or mitigation) can be told
    apart; a warning for each that cannot (a question quoting its own answer is useless)."""
    items, warnings = [], []
    trial = _the(summary)
    for n, line in enumerate(summary.limitations, start=1):
        match = _LIMITATION_SPLIT.search(line.text)
        source = f"Study Limitations {n}"
        if not match:
            warnings.append(f"{source}: could not tell the limitation from its consequence, so "
                            "no item was drafted for it: write one by hand")  # fmt: skip
            continue
        premise = line.text[: match.start()].rstrip(" ,;")
        rest = line.text[match.end() :]
        word = match.group("c") or ""
        if word in _VERBS:  # "limiting the ..." -> "It limits the ..."
            rest = f"It {_VERBS[word]} {rest}"
        rest = rest[:1].upper() + rest[1:]
        ask = "What does it imply?" if match.group("c") else "What mitigates it?"
        question = f"A limitation of {trial}: {lower_first(premise)}. {ask}"
        items.append(
            DraftItem(f"lim-{n}", _limitation_levels(line.text), ("limitations",), source,
                      line.number, question, rest, explanation=line.text)
        )  # fmt: skip
    return items, warnings


def _discussion(summary: Summary) -> list[DraftItem]:
    items = []
    for question in summary.questions:
        prefix = "gd" if question.section == "Guided Discussion" else "sr"
        role = question.role or "no role"
        part = question.level.value if question.level else slugify(role) or "question"
        levels = (question.level,) if question.level else _SECTION_LEVELS[question.section]
        answer, explanation = _answer(question.answer, question.question)
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
    """Per related trial: what it compared, and its key result. The result's question names
    no arm, so that neither item gives the other's answer away."""
    items = []
    for trial in summary.trials:
        name = re.sub(r"\s+(?i:trial|study)$", "", trial.name)
        slug = slugify(name, 40) or "related"
        where = f"the {name} trial" + (f" ({trial.year})" if trial.year else "")
        source = f"Clinical Landscape, {trial.name}" + (f" ({trial.year})" if trial.year else "")
        context = _trial_context(trial)
        tags = ("related-trials", slug)
        if trial.tested and trial.comparator:
            items.append(
                DraftItem(f"trial-{slug}-compared", (RES, FEL, ATT), tags, source, trial.line,
                          f"What did {where} compare?",
                          f"{trial.tested} vs. {lower_first(trial.comparator)}",
                          explanation=context)
            )  # fmt: skip
        elif trial.tested:
            items.append(
                DraftItem(f"trial-{slug}-tested", (RES, FEL, ATT), tags, source, trial.line,
                          f"What did {where} test?", trial.tested, explanation=context)
            )  # fmt: skip
        if trial.key_result:
            ratio = re.search(r"\b(?:hazard ratio|HR|CI)\b", trial.key_result)
            levels = (FEL, ATT) if ratio else (FEL, ATT, GC)
            versus = (
                f"{trial.tested} vs. {lower_first(trial.comparator)}. " if trial.comparator else ""
            )
            items.append(
                DraftItem(f"trial-{slug}-result", levels, tags, source, trial.line,
                          f"What was the key result of {where}?", trial.key_result,
                          explanation=f"{versus}{context}".strip())
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
    limitations, warnings = _limitations(summary)
    items = [
        *(item for item in prose if item.id == "bl-1"),
        *finding_items(summary, _the(summary)),
        *_design(summary),
        *limitations,
        *(item for item in prose if item.id != "bl-1"),
        *_discussion(summary),
        *_trial_items(summary),
    ]
    warnings += [f"{i.source}: {n}" for i in items if i.type == "basic" for n in i.notes
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
        items=tuple(share_facts(_unique(items))),
        warnings=tuple(warnings),
    )
