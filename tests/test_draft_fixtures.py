"""Drafts of summaries the drafter was not written against: HIMALAYA (NEJM Evidence 2022)
and CheckMate 9DW (Lancet 2025), in the seed's format, from their published abstracts.

What an educator needs to keep a draft: no number that is not in the summary, choice items
whose distractors are the summary's own numbers of the same kind, each with its reason,
concise answers with the full key response explained, levels by content, no item that
gives another's answer away on the same day, citations as journals print them, and the
linter's warnings above the items they concern.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hccquiz.deck.file import load_deck_text
from hccquiz.deck.lint import lint_deck
from hccquiz.deck.lint._deck import asked_numbers
from hccquiz.deck.models import BasicItem, ChoiceItem, ClozeItem
from hccquiz.draft import draft_summary
from hccquiz.draft.facts import asked, shown
from hccquiz.draft.sources import source_text
from hccquiz.draft.summary import parse_summary

FIXTURES = Path(__file__).parent / "fixtures"
SUMMARIES = {
    "himalaya": FIXTURES / "himalaya-nejm-evid-2022-summary.txt",
    "checkmate-9dw": FIXTURES / "checkmate-9dw-lancet-2025-summary.txt",
}
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w]|\.\d)")


@pytest.fixture(scope="module", params=sorted(SUMMARIES))
def drafted(request):
    text = SUMMARIES[request.param].read_text(encoding="utf-8")
    result = draft_summary(text, SUMMARIES[request.param].name)
    return request.param, text, result, load_deck_text(result.text, "draft.yaml")


def test_drafts_validate_with_the_trial_as_the_deck(drafted):
    name, _, _, deck = drafted
    assert deck.id == name
    assert deck.title.startswith("HIMALAYA — " if name == "himalaya" else "Nivolumab plus")


def test_citations_read_as_the_journal_prints_them(drafted):
    name, _, _, deck = drafted
    assert deck.source is not None
    expected = {
        "himalaya": "Abou-Alfa GK, Lau G, Kudo M, et al. Tremelimumab plus Durvalumab in "
        "Unresectable Hepatocellular Carcinoma. NEJM Evid. 2022 Jun.",
        "checkmate-9dw": "Yau T, Galle PR, Decaens T, et al. Nivolumab plus Ipilimumab "
        "versus Lenvatinib or Sorafenib as First-Line Treatment for Unresectable "
        "Hepatocellular Carcinoma (CheckMate 9DW). Lancet. 2025 May 24.",
    }
    assert deck.source.citation == expected[name]


def test_every_number_is_the_summarys(drafted):
    _, text, result, _ = drafted
    in_summary = set(NUMBER.findall(text))
    data = yaml.safe_load(result.text)
    written = yaml.safe_dump(data["items"], allow_unicode=True, width=10_000)
    invented = sorted(set(NUMBER.findall(written)) - in_summary - {"1", "2", "3", "4", "5", "6"})
    assert invented == []


def test_choice_items_draw_distractors_of_the_same_kind_with_reasons(drafted):
    name, text, _, deck = drafted
    choices = [i for i in deck.items if isinstance(i, ChoiceItem)]
    expected = {
        "himalaya": ["kf-1", "kf-3", "kf-4", "kf-6"],
        "checkmate-9dw": ["kf-2", "kf-3", "kf-4"],
    }
    assert [i.id.removesuffix("-choice") for i in choices] == expected[name]
    items = {i.id: i for i in deck.items}
    for item in choices:
        cloze = items[item.id.removesuffix("-choice")]
        assert isinstance(cloze, ClozeItem)
        assert item.fact and item.fact == cloze.fact  # never both on one day
        assert len(item.choices) >= 3 and all(o.why for o in item.options)
        assert item.why(item.answer).startswith("Right: ")
        assert item.stem and "___" in item.stem and "CI" not in item.stem  # not derivable
        key_numbers = NUMBER.findall(item.answer)
        assert all(n in NUMBER.findall(cloze.text) for n in key_numbers)
        for option in item.options[1:]:  # distractors: the summary's own numbers
            assert all(n in text for n in NUMBER.findall(option.text))
            assert option.why.startswith(("From ", "Right numbers, wrong order"))
            same_kind = option.text.endswith("%") == item.answer.endswith("%")
            assert same_kind and ("months" in option.text) == ("months" in item.answer)


def test_answers_are_concise_and_explanations_whole(drafted):
    _, text, _, deck = drafted
    flat = " ".join(text.split())
    for item in deck.items:
        if isinstance(item, BasicItem):
            assert len(item.answer.split()) <= 40, item.id
        if item.id.startswith(("gd-", "sr-")):
            full = item.explanation or item.answer
            assert f"Key Response {full} " in flat, item.id  # the whole key response
            assert full.startswith(item.answer.split(". ")[0].rstrip("."))


def test_levels_follow_the_content(drafted):
    _, _, _, deck = drafted
    for item in deck.items:
        levels = {level.value for level in deck.item_levels(item)}
        ratio_or_ci = isinstance(item, ClozeItem) and any(
            re.fullmatch(r"\d\.\d\d", d.answer) or " to " in d.answer for d in item.deletions
        )
        if ratio_or_ci or "96.02%" in str(getattr(item, "text", "")):
            assert "med-student" not in levels, item.id
        if levels & {"journal-editor", "guideline-committee"}:
            assert not any(re.fullmatch(r"\d\.\d\d", n) for n in asked_numbers(item)), item.id
    limitation_levels = {lv.value for i in deck.items if i.id.startswith("lim-") for lv in i.levels}
    assert {"resident", "attending"} <= limitation_levels


def test_no_item_shows_another_items_answer_unless_they_share_a_fact(drafted):
    _, _, result, _ = drafted
    items = result.deck.items
    for b in items:
        for answer in asked(b):
            for a in items:
                if a is b:
                    continue
                if any(answer.casefold() in " ".join(f.split()).casefold() for f in shown(a)):
                    assert a.fact and a.fact == b.fact, f"{a.id} shows {b.id}'s {answer!r}"


def test_lint_warnings_are_written_above_their_items(drafted):
    name, text, result, deck = drafted
    findings = lint_deck(deck, source_text(parse_summary(text)))
    lines = result.text.splitlines()
    written = [line.strip() for line in lines if line.strip().startswith("# LINT: ")]
    assert len(written) == len(findings)
    for finding in findings:
        item_id = deck.items[finding.item_index].id
        at = lines.index(f"  - id: {item_id}")
        above = []
        while lines[at - 1 - len(above)].startswith("  # "):
            above.append(lines[at - 1 - len(above)].strip())
        assert f"# LINT: {finding.message} [{finding.rule}]" in above
    if name == "checkmate-9dw":  # the fellow's answer repeats the median OS of two items
        assert any("[repeated-number]" in line for line in written)


def test_the_follow_up_is_asked_as_a_follow_up(drafted):
    name, _, _, deck = drafted
    items = {i.id: i for i in deck.items}
    if name == "checkmate-9dw":
        assert items["sd-duration"].question.startswith("What was the median follow-up")
        assert items["sd-duration"].answer == "35.2 months"
    else:
        assert "sd-duration" not in items
