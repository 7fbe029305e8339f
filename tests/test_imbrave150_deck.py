"""Curation checks for the hand-written IMbrave150 deck.

The deck must cover its source summary: every level, every item type, all seven
discussion questions verbatim, every number in the key findings, the related
trials, and every study limitation. Where possible the expectations are parsed
from the source text itself, so that the tests fail if the deck drifts from it.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from hccquiz import load_deck

ROOT = Path(__file__).resolve().parents[1]
DECK_PATH = ROOT / "decks" / "imbrave150.yaml"
SOURCE_PATH = ROOT.parent / "shared" / "source" / "imbrave150-nejm-2020-summary.txt"

LEVELS = [
    "med-student",
    "resident",
    "fellow",
    "attending",
    "phd",
    "journal-editor",
    "guideline-committee",
]
MIN_ITEMS = 45
MIN_PER_LEVEL = 6

# The header pair (short label, full label) that opens each role's question in the
# source, and the level that role maps to.
ROLE_HEADERS = {
    "med-student": ("Med Student", "Medical Student"),
    "resident": ("Resident", "Resident"),
    "fellow": ("Fellow", "Fellow"),
    "attending": ("Attending", "Attending"),
    "phd": ("PhD", "PhD"),
    "journal-editor": ("Journal Editor", "Journal Editor"),
    "guideline-committee": ("Guideline Committee", "Guideline Committee"),
}

# Top-level section headings of the source, in order.
SECTION_HEADINGS = [
    "Bottom Line",
    "Key Findings",
    "Study Design",
    "Study Limitations",
    "Clinical Significance",
    "Historical Context",
    "Guided Discussion",
    "Scholarly Review",
    "Clinical Landscape",
]

DECIMAL_RE = re.compile(r"\d+\.\d+")
STOPWORDS = {
    "although",
    "because",
    "between",
    "compared",
    "could",
    "during",
    "findings",
    "limiting",
    "meaning",
    "patients",
    "results",
    "should",
    "study",
    "their",
    "though",
    "which",
    "would",
}


# ───────────────────────────── helpers ─────────────────────────────


def _value(x: object) -> str:
    """Enum members (levels, types) and plain strings alike, as their string value."""
    return str(getattr(x, "value", x))


def _levels(item, deck) -> list[str]:
    return [_value(lv) for lv in (item.levels or deck.levels)]


def _item_text(item) -> str:
    """Everything a learner sees for an item, concatenated."""
    parts: list[str] = []
    for name in ("stem", "question", "lead_in", "answer", "text", "choices", "explanation",
                 "objective"):  # fmt: skip
        value = getattr(item, name, None)
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            parts.extend(str(v) for v in value)
        else:
            parts.append(str(value))
    parts.extend(option.why for option in getattr(item, "options", []) if option.why)
    return "\n".join(parts)


def _contains_number(haystack: str, number: str) -> bool:
    """True if `number` occurs as a whole number (0.5 does not match inside 0.58)."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d]|\.\d)", haystack) is not None


def _section(source: str, heading: str) -> str:
    """The text under a top-level heading, up to the next heading."""
    start = re.search(rf"^{re.escape(heading)}$", source, re.MULTILINE)
    assert start, f"source has no {heading!r} section"
    rest = source[start.end() :]
    later = [h for h in SECTION_HEADINGS if h != heading]
    ends = [m.start() for h in later if (m := re.search(rf"^{re.escape(h)}$", rest, re.MULTILINE))]
    return rest[: min(ends)] if ends else rest


def _paragraphs(section: str) -> list[str]:
    return [line.strip() for line in section.splitlines() if line.strip()]


def _content_words(text: str) -> set[str]:
    words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]{5,}", text)}
    return words - STOPWORDS


# ───────────────────────────── fixtures ─────────────────────────────


@pytest.fixture(scope="module")
def deck():
    return load_deck(DECK_PATH)


@pytest.fixture(scope="module")
def source() -> str:
    if not SOURCE_PATH.exists():
        pytest.skip(f"source summary not found at {SOURCE_PATH}")
    return SOURCE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def all_text(deck) -> str:
    return "\n".join(_item_text(item) for item in deck.items)


# ─────────────────────── deck-only structure tests ───────────────────────


def test_deck_identity(deck):
    assert deck.id == "imbrave150"
    assert deck.title.strip()


def test_enough_items(deck):
    assert len(deck.items) >= MIN_ITEMS


def test_item_ids_unique(deck):
    counts = Counter(item.id for item in deck.items)
    assert [i for i, n in counts.items() if n > 1] == []


def test_every_level_has_enough_items(deck):
    counts = Counter(lv for item in deck.items for lv in _levels(item, deck))
    short = {lv: counts[lv] for lv in LEVELS if counts[lv] < MIN_PER_LEVEL}
    assert short == {}, f"levels with fewer than {MIN_PER_LEVEL} items: {short}"


def test_every_item_has_a_known_level(deck):
    for item in deck.items:
        levels = _levels(item, deck)
        assert levels, f"{item.id} has no level"
        assert set(levels) <= set(LEVELS), f"{item.id} has unknown levels {levels}"


def test_all_item_types_used(deck):
    types = {_value(item.type) for item in deck.items}
    assert types >= {"basic", "cloze", "choice"}


def test_has_select_all_choice(deck):
    assert any(
        _value(item.type) == "choice" and isinstance(item.answer, list) and len(item.answer) > 1
        for item in deck.items
    )


def test_every_item_names_its_source(deck):
    missing = [item.id for item in deck.items if not (item.source or "").strip()]
    assert missing == []


def test_item_sources_name_real_sections(deck):
    bad = [
        (item.id, item.source)
        for item in deck.items
        if not any(item.source.startswith(h) for h in SECTION_HEADINGS)
    ]
    assert bad == []


def test_most_items_explained(deck):
    explained = sum(1 for item in deck.items if (item.explanation or "").strip())
    assert explained >= 0.8 * len(deck.items)


def test_no_raw_html(deck):
    tag = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?/?>")
    offenders = [item.id for item in deck.items if tag.search(_item_text(item))]
    assert offenders == []


# ───────────────────────── source-comparison tests ─────────────────────────


def _discussion_questions(source: str) -> dict[str, str]:
    questions: dict[str, str] = {}
    for level, (short, full) in ROLE_HEADERS.items():
        m = re.search(rf"^{re.escape(short)}\n{re.escape(full)}\n\s*\n(.+?)$", source, re.MULTILINE)
        assert m, f"no discussion question for {level} in the source"
        questions[level] = m.group(1).strip()
    return questions


def test_source_has_seven_discussion_questions(source):
    questions = _discussion_questions(source)
    assert len(questions) == 7
    assert all(q.endswith("?") for q in questions.values())


@pytest.mark.parametrize("level", LEVELS)
def test_discussion_question_present_verbatim(deck, source, level):
    question = _discussion_questions(source)[level]
    matches = [item for item in deck.items if (getattr(item, "question", None) or "") == question]
    assert matches, f"no item asks the {level} discussion question verbatim: {question!r}"
    assert any(level in _levels(item, deck) for item in matches), (
        f"the {level} discussion question is not tagged with level {level}"
    )


@pytest.mark.parametrize("level", LEVELS)
def test_discussion_item_explains_key_response(deck, source, level):
    """The main discussion item carries the source's full key response."""
    question = _discussion_questions(source)[level]
    start = source.index(question)
    m = re.search(r"^Key Response\n\s*\n(.+?)$", source[start:], re.MULTILINE)
    assert m, f"no key response after the {level} question"
    key_response = " ".join(m.group(1).split())
    explanations = [
        " ".join((item.explanation or "").split())
        for item in deck.items
        if (getattr(item, "question", None) or "") == question
    ]
    assert key_response in explanations


def test_key_findings_numbers_present(source, all_text):
    numbers = sorted(set(DECIMAL_RE.findall(_section(source, "Key Findings"))))
    assert len(numbers) >= 10, f"parsed too few numbers from Key Findings: {numbers}"
    missing = [n for n in numbers if not _contains_number(all_text, n)]
    assert missing == [], f"Key Findings numbers not asked anywhere: {missing}"


def test_key_findings_p_values_kept_exact(source, all_text):
    p_values = set(re.findall(r"P<\d*\.\d+", _section(source, "Key Findings")))
    assert p_values
    for p in p_values:
        assert p in all_text


def test_key_findings_confidence_intervals_kept_exact(source, all_text):
    intervals = set(re.findall(r"\d+\.\d+ to \d+\.\d+", _section(source, "Key Findings")))
    assert len(intervals) >= 4
    missing = [ci for ci in intervals if ci not in all_text]
    assert missing == []


def test_every_key_finding_has_items(deck, source):
    findings = re.findall(r"^(\d+)\. ", _section(source, "Key Findings"), re.MULTILINE)
    assert len(findings) == 5
    sources = {item.source for item in deck.items}
    missing = [n for n in findings if f"Key Findings {n}" not in sources]
    assert missing == []


def test_study_design_numbers_present(source, all_text):
    design = _section(source, "Study Design")
    sample = re.search(r"^Sample\n(\d+)$", design, re.MULTILINE)
    duration = re.search(r"^Duration\n(\d+(?:\.\d+)?) mo$", design, re.MULTILINE)
    assert sample and duration, "could not parse sample size and duration from the source"
    for number in (sample.group(1), duration.group(1)):
        assert _contains_number(all_text, number), f"study design number {number} missing"


def test_study_design_doses_present(source, all_text):
    design = _section(source, "Study Design")
    doses = re.findall(r"\d+ mg(?:/kg)?", design)
    assert len(doses) >= 3
    missing = [d for d in doses if d not in all_text]
    assert missing == []


def _related_trials(source: str) -> list[tuple[str, str, str]]:
    """(year, name, n) for each trial in the Clinical Landscape section."""
    landscape = _section(source, "Clinical Landscape")
    return re.findall(r"^(\d{4})\n\s*\n(\w+) Trial\n\s*\nn = (\d+)", landscape, re.MULTILINE)


def test_related_trials_years_and_sizes_present(source, all_text):
    trials = _related_trials(source)
    assert len(trials) == 3, f"expected three related trials, parsed {trials}"
    for year, name, n in trials:
        assert name in all_text, f"{name} not mentioned"
        assert _contains_number(all_text, year), f"{name} year {year} missing"
        assert _contains_number(all_text, n), f"{name} n = {n} missing"


def test_related_trials_each_have_items(deck, source):
    sources = {item.source for item in deck.items}
    for _, name, _ in _related_trials(source):
        assert f"Clinical Landscape · {name}" in sources, f"no item sourced from {name}"


def test_related_trial_results_present(source, all_text):
    landscape = _section(source, "Clinical Landscape")
    numbers = set(DECIMAL_RE.findall(landscape))
    assert len(numbers) >= 4
    missing = [n for n in numbers if not _contains_number(all_text, n)]
    assert missing == []


def test_every_study_limitation_covered(deck, source):
    paragraphs = _paragraphs(_section(source, "Study Limitations"))
    assert len(paragraphs) >= 4
    for number, paragraph in enumerate(paragraphs, start=1):
        items = [item for item in deck.items if item.source == f"Study Limitations {number}"]
        assert items, f"no item for Study Limitations {number}: {paragraph[:60]!r}"
        covered = _content_words("\n".join(_item_text(item) for item in items))
        shared = covered & _content_words(paragraph)
        assert len(shared) >= 3, (
            f"Study Limitations {number} items share too little with the paragraph: {shared}"
        )


def test_every_section_covered(deck, source):
    sources = [item.source for item in deck.items]
    for heading in SECTION_HEADINGS:
        _section(source, heading)  # the heading exists in the source
        assert any(s.startswith(heading) for s in sources), f"no item from {heading!r}"


# Decimals the deck may print although the summary does not. The published grade 3-4
# adverse-event rates (Finn et al., NEJM 2020) correct the summary's Key Findings 5, which
# gives the serious adverse events under that label; every item that teaches them must
# say what the summary printed. Derived figures are arithmetic on the summary's numbers.
PUBLISHED_CORRECTIONS = {"56.5", "55.1"}
DERIVED = {"12.6": ("67.2", "54.6")}  # the 12-month OS gain in percentage points


def test_no_invented_decimal_numbers(source, all_text):
    """Every decimal number in the deck is one the source states, a published correction
    of it, or arithmetic on it."""
    source_numbers = set(DECIMAL_RE.findall(source))
    allowed = source_numbers | PUBLISHED_CORRECTIONS | set(DERIVED)
    invented = sorted(set(DECIMAL_RE.findall(all_text)) - allowed)
    assert invented == [], f"decimal numbers not in the source: {invented}"
    for result, (a, b) in DERIVED.items():
        assert {a, b} <= source_numbers
        assert Decimal(a) - Decimal(b) == Decimal(result)
    assert not PUBLISHED_CORRECTIONS & source_numbers


def test_published_corrections_say_what_the_summary_printed(deck, source):
    finding = _section(source, "Key Findings")
    assert "Grade 3 or 4 adverse events occurred in 38.0%" in finding  # the mislabel
    teaching = [
        item
        for item in deck.items
        if any(_contains_number(_item_text(item), n) for n in PUBLISHED_CORRECTIONS)
    ]
    assert len(teaching) >= 3
    for item in teaching:
        text = _item_text(item)
        assert "38.0%" in text and "30.8%" in text, item.id
        assert "serious" in text.lower(), item.id
        assert item.source == "Key Findings 5", item.id


def test_grade_3_4_items_teach_the_published_figures(deck):
    for item in deck.items:
        taught = " ".join(
            str(getattr(item, name, "") or "") for name in ("text", "question", "answer")
        )
        if re.search(r"grade 3 or 4", taught, re.IGNORECASE) and "38.0%" in taught:
            raise AssertionError(f"{item.id} teaches 38.0% as the grade 3 or 4 rate")


def _sba(item) -> bool:
    return item.type == "choice" and bool(getattr(item, "stem", None))


def test_single_best_answer_items_have_a_vignette_and_a_why_per_option(deck):
    sbas = [item for item in deck.items if _sba(item)]
    assert len(sbas) >= 12
    for item in sbas:
        assert not item.multiple, item.id
        assert len(item.choices) >= 4, item.id
        assert all(option.why for option in item.options), item.id
        assert item.objective, item.id
        assert item.why(item.answer).startswith("Right"), item.id


def test_editor_and_guideline_levels_do_not_drill_hazard_ratios_or_cis(deck, source):
    from hccquiz.deck.lint._deck import asked_numbers

    ratios = set(
        re.findall(r"(?:HR|hazard ratio[^\d]*?)\s*(\d\.\d+)", _section(source, "Key Findings"))
    )
    bounds = set(re.findall(r"(\d+\.\d+) to (\d+\.\d+)", _section(source, "Key Findings")))
    drilled = ratios | {n for pair in bounds for n in pair}
    assert {"0.58", "0.59", "0.42", "0.79"} <= drilled
    for item in deck.items:
        levels = set(_levels(item, deck))
        if levels & {"journal-editor", "guideline-committee"}:
            assert not set(asked_numbers(item)) & drilled, item.id


AUDITED = [  # ids the clinical audit flagged: fixed in place, ids kept
    "sr-phd-review-criteria-select-all", "sd-outcomes-select-all", "sd-median-follow-up",
    "gd-fellow-child-pugh-bc-risks-select-all", "kf2-12-month-os-cloze",
    "kf1-os-hazard-ratio-choice", "cs-drug-classes-choice",
    "gd-attending-hepatitis-differential-select-all", "sl4-short-follow-up-cloze",
    "sr-phd-alpha-splitting-cloze",
]  # fmt: skip


def test_audited_items_are_fixed_in_place(deck):
    items = {item.id: item for item in deck.items}
    assert set(AUDITED) <= set(items)
    assert "cl-reflect-sample-size-choice" not in items  # retired: sample size at PhD level
    assert items["sd-outcomes-select-all"].source == "Scholarly Review · PhD"
    assert items["sd-median-follow-up"].source == "Study Limitations 4"
    criteria = items["sr-phd-review-criteria-select-all"]
    assert "recommendation" in criteria.explanation and "does not say" in criteria.explanation
    assert "0.58" not in " ".join(items["kf1-os-hazard-ratio-choice"].answers)
    drugs = items["cs-drug-classes-choice"].choices
    assert not any(re.search(r"atezolizumab|bevacizumab|durvalumab", c, re.I) for c in drugs)
    assert "{{c2::short}}" not in items["sl4-short-follow-up-cloze"].text
    assert "CI" not in items["kf2-12-month-os-cloze"].text
    hepatitis = items["gd-attending-hepatitis-differential-select-all"]
    assert not any(c in hepatitis.choices for c in ("Hand-foot syndrome", "Variceal bleeding"))


def test_items_asking_the_same_number_share_a_fact(deck):
    """A trainee never meets the same number twice in a day (the HR 0.58 was asked three
    times in a row on day 1 in the first edition)."""
    from hccquiz.deck.lint._deck import asked_numbers

    askers: dict[str, list] = {}
    for item in deck.items:
        for number in asked_numbers(item):
            askers.setdefault(number, []).append(item)
    shared = {n: items for n, items in askers.items() if len(items) > 1}
    assert "0.58" in shared
    for number, items in shared.items():
        facts = {item.fact for item in items}
        assert len(facts) == 1 and None not in facts, (number, [(i.id, i.fact) for i in items])


def test_facts_group_more_than_one_item(deck):
    counts = Counter(item.fact for item in deck.items if item.fact)
    assert counts and min(counts.values()) >= 2, [f for f, n in counts.items() if n < 2]
