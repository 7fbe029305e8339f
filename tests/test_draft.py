"""`hccquiz draft`: trial summary text -> a commented deck draft, and `--merge`.

The shared IMbrave150 summary is the real input; small summaries written here exercise
the edge cases (reordered or missing sections, blank lines, CRLF, missing or unknown
roles, page text after the content, bad input) and the merge of a re-drafted summary.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hccquiz.cli import cli
from hccquiz.deck.cloze import cloze_deletions
from hccquiz.deck.file import load_deck_text
from hccquiz.deck.levels import Level
from hccquiz.deck.models import SLUG_PATTERN, BasicItem, ClozeItem
from hccquiz.draft import DraftError, draft_summary, merge_draft
from hccquiz.draft.cloze import make_cloze, number_spans
from hccquiz.draft.summary import SECTIONS, parse_summary

SOURCE = (
    Path(__file__).resolve().parents[1].parent / "shared/source/imbrave150-nejm-2020-summary.txt"
)
CLINICAL = ["med-student", "resident", "fellow", "attending"]
ROLE_LEVELS = {
    "gd-med-student": "med-student",
    "gd-resident": "resident",
    "gd-fellow": "fellow",
    "gd-attending": "attending",
    "sr-phd": "phd",
    "sr-journal-editor": "journal-editor",
    "sr-guideline-committee": "guideline-committee",
}

# A small summary in the shared format, with every section, two roles per discussion
# section, one related trial, and page text after the content.
MINI_PARTS = {
    "header": "The Lancet June 3, 2021\n\nDrug X versus Drug Y in Advanced HCC\n\n"
    "Ann B. Author, Carl D. Writer, Eve Scholar\n",
    "Bottom Line": "The phase 3 ALPHA-1 trial showed that drug X improves survival.\n",
    "Key Findings": "1. Drug X reduced the risk of death, with a hazard ratio of 0.70 "
    "(95% CI, 0.55 to 0.89; P=0.004).\n"
    "2. Median overall survival was 14.1 months vs. 11.0 months.\n",
    "Study Design": "Design\nPhase 3 RCT\nSample\n420\nPatients\n"
    "Population Adults with advanced HCC and Child-Pugh A liver function.\n"
    "Comparator Drug Y 10 mg daily\n",
    "Study Limitations": "The trial was open-label, limiting the assessment of quality of life.\n"
    "Few patients were enrolled in the West.\n",
    "Clinical Significance": "ALPHA-1 made drug X a first-line option. It also changed trials.\n",
    "Historical Context": "Drug Y had been the standard since 2008.\n",
    "Guided Discussion": "High-yield insights from every perspective\n\n"
    "Resident\nResident\n\nWhich test must precede drug X?\n\nKey Response\n\n"
    "An upper endoscopy. Varices must be treated first.\n\n"
    "Fellow\nFellow\n\nWho was excluded from ALPHA-1?\n\nKey Response\n\n"
    "Patients with Child-Pugh B or C cirrhosis.\n",
    "Scholarly Review": "Critical appraisal through the lens of expert reviewers\n\n"
    "PhD\nPhD\n\nWhy does an open-label design matter?\n\nKey Response\n\n"
    "It can bias subjective outcomes such as quality of life.\n",
    "Clinical Landscape": "Noteworthy Related Trials\n\n2008\n\nSHARP Trial\n\n"
    "n = 602 · NEJM\n\nTested\n\nSorafenib\n\nPopulation\n\nAdvanced HCC\n\n"
    "Comparator\n\nPlacebo\n\nEndpoint\n\nOverall survival\n\n"
    "Key result: Sorafenib improved median survival from 7.9 to 10.7 months.\n",
}
TRAILER = "\nTailored to your role\n\nWant this tailored to you?\n\nPersonalize this analysis"


def mini(*, order: list[str] | None = None, drop: tuple[str, ...] = (), **replace: str) -> str:
    """The small summary, its sections in `order`, without `drop`, parts replaced by name."""
    parts = {**MINI_PARTS, **{k.replace("_", " "): v for k, v in replace.items()}}
    names = [n for n in (order or [s for s in SECTIONS]) if n not in drop]
    body = "".join(f"\n{name}\n\n{parts[name]}" for name in names)
    return parts["header"] + body + TRAILER


def drafted(text: str | bytes, **kwargs: str):
    """(validated Deck, DraftResult) for summary text."""
    result = draft_summary(text, "summary.txt", **kwargs)
    return load_deck_text(result.text, "draft.yaml"), result


def items_by_id(deck) -> dict:
    return {item.id: item for item in deck.items}


def plain(text: str) -> str:
    """Cloze text with its markup removed: ``{{c1::0.58::hint}}`` -> ``0.58``."""
    return re.sub(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", r"\1", text)


def one_line(text: str) -> str:
    return " ".join(text.split())


# ───────────────────────────── the shared IMbrave150 summary ─────────────────────────────


@pytest.fixture(scope="module")
def source() -> str:
    if not SOURCE.exists():
        pytest.skip(f"shared summary not found at {SOURCE}")
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def shared(source):
    return drafted(SOURCE.read_bytes())


def test_shared_summary_drafts_a_valid_deck(shared):
    deck, result = shared
    assert result.warnings == ()
    assert deck.id == "imbrave150"
    assert deck.title.startswith("IMbrave150 — Atezolizumab plus Bevacizumab")
    assert deck.source is not None
    assert deck.source.citation.startswith("Finn RS, Qin S, Ikeda M, et al. Atezolizumab")
    assert "N Engl J Med. 2020 May 14." in deck.source.citation
    assert all(re.fullmatch(SLUG_PATTERN, item.id) for item in deck.items)
    assert all(item.levels and item.source for item in deck.items)


def test_shared_discussion_and_review_items_at_their_levels(shared, source):
    deck, _ = shared
    items = items_by_id(deck)
    flat = one_line(source)
    for item_id, level in ROLE_LEVELS.items():
        item = items[item_id]
        assert isinstance(item, BasicItem)
        assert [lv.value for lv in item.levels] == [level]
        section = "Guided Discussion" if item_id.startswith("gd-") else "Scholarly Review"
        assert item.source == f"{section}, {Level(level).display_name}"
        assert item.question in flat
        full = item.explanation or item.answer
        # the full key response, exactly: it runs from "Key Response" to the next header
        assert re.search(r"Key Response " + re.escape(full) + r" [A-Z]", flat)
        # a concise answer: the response's own words, clause by clause, under 40 words
        assert len(item.answer.split()) <= 40
        assert full.startswith(item.answer.split(". ")[0].rstrip("."))
        for clause in item.answer.split(". "):
            assert clause.rstrip(".") in full
    discussion = [i for i in deck.items if i.id.startswith(("gd-", "sr-"))]
    assert len(discussion) == 7


RATE_CI = re.compile(r" \(95% CI, \d+\.\d+ to \d+\.\d+\)")


def test_shared_key_findings_hide_the_numbers(shared, source):
    deck, _ = shared
    findings = re.findall(r"^\d\. (.*)$", source, re.MULTILINE)
    clozes = [i for i in deck.items if re.fullmatch(r"kf-\d", i.id)]
    assert len(findings) == len(clozes) == 5
    for n, (finding, item) in enumerate(zip(findings, clozes, strict=True), start=1):
        assert isinstance(item, ClozeItem)
        assert item.id == f"kf-{n}" and item.source == f"Key Findings {n}"
        # a rate's interval is left off the card (its midpoint is the rate) and explained
        on_card = RATE_CI.sub("", finding)
        assert plain(item.text).removeprefix("IMbrave150: ") == on_card
        assert item.explanation == (finding if on_card != finding else None)
        hidden = " | ".join(d.answer for d in cloze_deletions(item.text))
        for number in re.findall(r"(?<![<=])\d+\.\d+%?", on_card):  # all but P values
            assert number in hidden, f"kf-{n}: {number} is not hidden"
        assert "95%" not in hidden  # the CI level stays visible
        assert "P<0.001" not in hidden and "12 months" not in hidden  # trivia and frames
    items = items_by_id(deck)
    kf1 = items["kf-1"]
    assert [(d.number, d.answer) for d in kf1.deletions] == [
        (1, "0.58"),
        (1, "0.42 to 0.79"),  # an estimate and its CI share a card
    ]
    assert "Grade 3 or 4" in items["kf-5"].text  # bare counts stay visible
    # levels by content: hazard ratios and CIs for fellows and PhDs, rates for residents up
    assert [lv.value for lv in kf1.levels] == ["fellow", "phd"]
    assert [lv.value for lv in items["kf-2"].levels] == ["resident", "fellow", "attending"]


def test_shared_related_trials(shared):
    deck, _ = shared
    items = items_by_id(deck)
    trials = sorted({i.id.split("-")[1] for i in deck.items if i.id.startswith("trial-")})
    assert trials == ["himalaya", "reflect", "sharp"]
    for name in trials:
        for part in ("compared", "result"):
            assert f"trial-{name}-{part}" in items
    assert items["trial-sharp-compared"].answer == "Sorafenib 400mg twice daily vs. placebo"
    assert items["trial-reflect-compared"].answer == "Lenvatinib vs. sorafenib 400mg twice daily"
    assert items["trial-himalaya-compared"].answer == "Tremelimumab plus Durvalumab vs. sorafenib"
    assert "16.4 months versus 13.8 months" in items["trial-himalaya-result"].answer
    assert "(2008)" in items["trial-sharp-result"].question
    for name in trials:  # the result's question names no arm: it gives nothing away
        compared = items[f"trial-{name}-compared"].answer.casefold()
        question = items[f"trial-{name}-result"].question.casefold()
        assert not any(arm.strip(". ") in question for arm in compared.split(" vs. "))


def test_shared_other_sections(shared):
    deck, _ = shared
    items = items_by_id(deck)
    assert items["sd-design"].answer == "Phase 3 RCT, open-label; 501 patients; multicenter, global"
    assert "sd-sample" not in items and "sd-setting" not in items  # told in sd-design
    assert items["sd-duration"].question == "What was the median follow-up in the IMbrave150 trial?"
    assert items["sd-duration"].answer == "8.6 months"  # not "the duration of the trial"
    assert items["sd-comparator"].answer == "Sorafenib 400 mg orally twice daily"
    assert [f"lim-{n}" in items for n in range(1, 5)] == [True] * 4
    assert items["lim-2"].answer.startswith("It limits the generalizability")
    for n in range(1, 5):  # the question asks the premise; the answer is not quoted in it
        lim = items[f"lim-{n}"]
        assert lim.answer.rstrip(".").casefold() not in lim.question.casefold()
    # limitations reach clinicians too, by content
    assert [lv.value for lv in items["lim-2"].levels] == [
        "resident",
        "fellow",
        "attending",
        "guideline-committee",
    ]
    assert "lim-all" not in items and "bl-1" in items and "cs-1" in items and "hc-1" in items
    assert items["cs-1"].answer.endswith("unresectable hepatocellular carcinoma.")
    assert items["cs-1"].explanation.endswith("refractory to systemic therapies.")


def test_every_item_is_commented_with_where_it_came_from(shared):
    deck, result = shared
    lines = result.text.splitlines()
    comments = [line.strip() for line in lines if line.strip().startswith("# from: ")]
    assert len(comments) == len(deck.items)
    assert "# from: Key Findings 2 (summary line 14)" in comments
    for i, line in enumerate(lines):
        if line.startswith("  - id: "):
            assert lines[i - 1].startswith(("  # from: ", "  # NOTE", "  # LINT: "))


def test_emitted_yaml_round_trips_exactly(shared):
    _, result = shared
    data = yaml.safe_load(result.text)
    assert data["items"] == [item.data() for item in result.deck.items]


def test_cli_prints_a_valid_deck(source):
    run = CliRunner().invoke(cli, ["draft", str(SOURCE)])
    assert run.exit_code == 0, run.output
    # the only message: the drafted id is the bundled deck's (issue 10, item 2)
    bundled = Path(__file__).resolve().parents[1] / "decks" / "imbrave150.yaml"
    assert run.stderr.splitlines() == [
        f"hccquiz: warning: deck id 'imbrave150' is already used by {bundled}; "
        "syncing this draft would replace that deck: pass --id NEW-ID"
    ]
    assert load_deck_text(run.stdout).id == "imbrave150"
    fresh = CliRunner().invoke(cli, ["draft", str(SOURCE), "--id", "imbrave150-draft"])
    assert fresh.exit_code == 0 and fresh.stderr == ""


# ───────────────────────────── edge cases ─────────────────────────────


def test_mini_summary():
    deck, result = drafted(mini())
    assert result.warnings == (
        *(
            f"no discussion or review question for the {role}"
            for role in ("Medical Student", "Attending", "Journal Editor", "Guideline Committee")
        ),
        "Study Limitations 2: could not tell the limitation from its consequence, so no item "
        "was drafted for it: write one by hand",
    )
    items = items_by_id(deck)
    assert deck.id == "alpha-1"
    assert deck.source.citation == (
        "Author AB, Writer CD, Scholar E. Drug X versus Drug Y in Advanced HCC. Lancet. 2021 Jun 3."
    )
    assert list(items) == [
        "bl-1", "kf-1", "kf-2", "sd-design", "sd-population", "sd-comparator", "lim-1",
        "cs-1", "hc-1", "gd-resident", "gd-fellow", "sr-phd", "trial-sharp-compared",
        "trial-sharp-result",
    ]  # fmt: skip
    assert items["kf-1"].text == (
        "ALPHA-1: Drug X reduced the risk of death, with a hazard ratio of {{c1::0.70}} "
        "(95% CI, {{c1::0.55 to 0.89}}; P=0.004)."
    )
    assert items["sd-design"].answer == "Phase 3 RCT; 420 patients"
    assert items["bl-1"].answer == "Drug X improves survival."
    assert items["gd-resident"].answer == "An upper endoscopy."
    assert items["gd-resident"].explanation == "An upper endoscopy. Varices must be treated first."
    assert items["lim-1"].answer == "It limits the assessment of quality of life."
    assert "Tailored" not in yaml.safe_dump(yaml.safe_load(result.text))


def test_reordered_sections_give_the_same_items():
    shuffled = list(reversed(SECTIONS))
    assert drafted(mini(order=shuffled))[0].items == drafted(mini())[0].items


def test_missing_sections_are_warned_once_each():
    deck, result = drafted(mini(drop=("Study Design", "Clinical Landscape")))
    missing = [w for w in result.warnings if "missing section" in w]
    assert missing == ["missing section: Study Design", "missing section: Clinical Landscape"]
    assert not any(i.id.startswith(("sd-", "trial-")) for i in deck.items)
    assert "kf-1" in items_by_id(deck)


def test_blank_lines_and_spacing_do_not_matter():
    text = mini()
    spaced = "\n\n\n" + re.sub(r"\n", "\n \n\t\n", text).replace(" ", "   ") + "\n\n"
    assert drafted(spaced)[0].items == drafted(text)[0].items


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_newlines(newline):
    text = mini()
    assert drafted(text.replace("\n", newline))[0].items == drafted(text)[0].items


def test_utf8_bom_is_ignored():
    text = mini()
    assert drafted("\ufeff".encode() + text.encode())[0].items == drafted(text)[0].items


def test_a_missing_role_is_warned_and_the_others_stay_whole():
    guided = MINI_PARTS["Guided Discussion"].split("Fellow\nFellow")[0]
    deck, result = drafted(mini(Guided_Discussion=guided))
    items = items_by_id(deck)
    assert "gd-fellow" not in items
    assert items["gd-resident"].explanation.endswith("Varices must be treated first.")
    assert "no discussion or review question for the Fellow" in result.warnings


def test_unknown_role_is_kept_with_a_warning():
    guided = MINI_PARTS["Guided Discussion"] + (
        "\nNurse Practitioner\n\nWhat should patients report at once?\n\nKey Response\n\n"
        "Bleeding, jaundice or confusion.\n"
    )
    deck, result = drafted(mini(Guided_Discussion=guided))
    item = items_by_id(deck)["gd-nurse-practitioner"]
    assert [lv.value for lv in item.levels] == CLINICAL
    assert item.question == "What should patients report at once?"
    assert item.answer == "Bleeding, jaundice or confusion."
    assert items_by_id(deck)["gd-fellow"].answer == "Patients with Child-Pugh B or C cirrhosis."
    assert any("unknown role 'Nurse Practitioner'" in w for w in result.warnings)
    assert "# NOTE: unknown role 'Nurse Practitioner'" in result.text


def test_header_variants_and_hard_wrapped_text():
    text = mini(
        Guided_Discussion=MINI_PARTS["Guided Discussion"].replace(
            "Resident\nResident", "Resident Perspective:"
        ),
        Study_Limitations="The trial was open-label,\nlimiting the assessment of quality\n"
        "of life.\nFew patients were enrolled in the West.\n",
    )
    text = text.replace("\nKey Findings\n", "\n## Key findings:\n")
    deck, result = drafted(text)
    items = items_by_id(deck)
    assert [lv.value for lv in items["gd-resident"].levels] == ["resident"]
    plain_items = items_by_id(drafted(mini())[0])
    assert items["kf-1"].text == plain_items["kf-1"].text
    assert items["lim-1"] == plain_items["lim-1"]
    assert not any("unknown role" in w or "missing section" in w for w in result.warnings)


def test_design_labels_with_colons_and_trials_without_a_year():
    design = "Design: Phase 2\nSample: 80\nFollow-up\n12 months\nPopulation: Adults\n"
    landscape = (
        "Noteworthy Related Trials\nREACH Trial\nn = 565 · Lancet Oncol\nTested: Ramucirumab\n"
    )
    deck, result = drafted(mini(Study_Design=design, Clinical_Landscape=landscape))
    items = items_by_id(deck)
    assert items["sd-design"].answer == "Phase 2; 80"
    assert items["sd-duration"].question == "What was the follow-up in the ALPHA-1 trial?"
    assert items["sd-duration"].answer == "12 months"
    assert items["sd-population"].answer == "Adults"
    assert items["trial-reach-tested"].answer == "Ramucirumab"
    assert "trial-reach-comparator" not in items
    assert any("REACH Trial has no Comparator or Key result" in w for w in result.warnings)
    assert not any("appears twice" in w for w in result.warnings)


def test_ids_and_tags_that_yaml_would_misread_are_quoted():
    text = mini().replace("ALPHA-1 trial", "TRUE trial").replace("SHARP Trial", "NULL Trial")
    deck, result = drafted(text)
    assert deck.id == "true" and 'id: "true"' in result.text
    assert 'tags: [related-trials, "null"]' in result.text
    assert "trial-null-result" in items_by_id(deck)


def test_a_finding_without_numbers_becomes_a_question_about_its_subject():
    findings = MINI_PARTS["Key Findings"] + "3. Quality of life was maintained longer.\n"
    findings += "4. Across subgroups, consistent.\n"
    deck, result = drafted(mini(Key_Findings=findings))
    item = items_by_id(deck)["kf-3"]
    assert isinstance(item, BasicItem)
    assert item.question == "What did the ALPHA-1 trial find for quality of life?"
    assert item.answer == "Quality of life was maintained longer."
    assert not any(w.startswith("Key Findings 3") for w in result.warnings)
    assert any(w.startswith("Key Findings 4: no number to hide") for w in result.warnings)


def test_awkward_text_is_quoted_safely():
    awkward = '"Quoted": - #hash, back\\slash, {{c1::not a cloze}}, 50% & ünïcödé: yes'
    deck, result = drafted(mini(Historical_Context=awkward + "\n", Key_Findings="1. " + awkward))
    items = items_by_id(deck)
    assert items["hc-1"].answer == awkward
    assert "{{c1::50%}}" in items["kf-1"].text and "((c1::not a cloze))" in items["kf-1"].text
    assert yaml.safe_load(result.text)["items"] == [i.data() for i in result.deck.items]


def test_only_some_sections():
    deck, result = drafted("Key Findings\n\n1. Response rate 30% vs 12%.\n")
    assert [i.id for i in deck.items] == ["kf-1"]
    assert deck.id == "draft" and deck.title == "Untitled trial summary"
    assert any("no trial name found" in w for w in result.warnings)
    assert sum("missing section" in w for w in result.warnings) == len(SECTIONS) - 1


def test_no_recognised_section_is_an_error():
    with pytest.raises(DraftError, match="no recognised section"):
        draft_summary("Just some notes\nabout a trial\n", "notes.txt")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Notes about a trial\nnothing else\n", "notes.txt: no recognised section"),
        ("Key Findings\n1. R\u00e9ponse 30%\n".encode("latin-1"), "notes.txt:2:5: not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "notes.txt:3:1: binary file"),
        (b"", "notes.txt: no recognised section"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(tmp_path, content, message):
    (tmp_path / "notes.txt").write_bytes(content)
    run = subprocess.run(
        [sys.executable, "-m", "hccquiz", "draft", "notes.txt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr.startswith(f"hccquiz: {message}")
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_bad_deck_id_is_refused():
    with pytest.raises(DraftError, match="not a slug"):
        draft_summary(mini(), deck_id="Not A Slug")
    assert drafted(mini(), deck_id="my-deck")[0].id == "my-deck"


# ───────────────────────────── ids, re-drafting and --merge ─────────────────────────────


def revised() -> str:
    """The small summary, revised: numbers and wording changed, a finding added."""
    findings = MINI_PARTS["Key Findings"].replace("0.70", "0.72").replace("14.1", "14.3")
    findings += "3. Grade 3 adverse events occurred in 41% vs. 35%.\n"
    guided = MINI_PARTS["Guided Discussion"].replace("An upper endoscopy.", "An EGD.")
    return mini(Key_Findings=findings, Guided_Discussion=guided)


def test_redrafting_keeps_ids():
    before = [i.id for i in drafted(mini())[0].items]
    after = [i.id for i in drafted(revised())[0].items]
    assert [i for i in after if i != "kf-3"] == before
    assert "kf-3" in after


def test_drafting_is_deterministic():
    assert draft_summary(mini()).text == draft_summary(mini()).text


def test_merge_keeps_hand_edits_and_adds_new_items(tmp_path):
    runner = CliRunner()
    (tmp_path / "v1.txt").write_text(mini(), encoding="utf-8")
    (tmp_path / "v2.txt").write_text(revised(), encoding="utf-8")
    deck = tmp_path / "alpha.yaml"
    run = runner.invoke(cli, ["draft", str(tmp_path / "v1.txt"), "-o", str(deck)])
    assert run.exit_code == 0, run.output
    edited = deck.read_text(encoding="utf-8").replace(
        'answer: "An upper endoscopy."', 'answer: "EGD, to find varices"  # my wording'
    )
    edited = edited.replace("items:\n", "items:\n  # Reviewed by Dr. Q.\n")
    assert "my wording" in edited
    deck.write_text(edited, encoding="utf-8")
    run = runner.invoke(
        cli, ["draft", str(tmp_path / "v2.txt"), "--merge", str(deck), "-o", str(deck)]
    )
    assert run.exit_code == 0, run.output
    assert "added 1: kf-3" in run.stdout
    merged = deck.read_text(encoding="utf-8")
    assert merged.startswith(edited)  # the hand-edited file is kept byte for byte
    items = items_by_id(load_deck_text(merged))
    assert items["gd-resident"].answer == "EGD, to find varices"
    assert "0.70" in items["kf-1"].text  # kept as it was, not re-drafted
    assert "{{c1::41%}}" in items["kf-3"].text
    assert list(items)[-1] == "kf-3"
    again = runner.invoke(
        cli, ["draft", str(tmp_path / "v2.txt"), "--merge", str(deck), "-o", str(deck)]
    )
    assert again.exit_code == 0 and "unchanged" in again.stdout
    assert deck.read_text(encoding="utf-8") == merged
    deck_id = load_deck_text(merged).id
    same = runner.invoke(cli, ["draft", str(tmp_path / "v2.txt"), "--merge", str(deck),
                               "--id", deck_id])  # fmt: skip
    assert same.exit_code == 0 and "is ignored" not in same.stderr  # nothing to ignore
    other = runner.invoke(cli, ["draft", str(tmp_path / "v2.txt"), "--merge", str(deck),
                                "--id", "other-id"])  # fmt: skip
    assert f"--id other-id is ignored: the merged deck keeps {deck_id}" in other.stderr


def test_merge_into_a_crlf_list_that_is_not_last_keeps_the_rest():
    existing = (
        "id: alpha-1\r\ntitle: Mine\r\nitems:\r\n- id: kf-1\r\n  levels: [fellow]\r\n"
        "  question: q\r\n  answer: a\r\n# my note\r\nlevels: [fellow]\r\n"
    )
    result = merge_draft(existing, draft_summary(mini()).deck)
    assert result.warnings == ()
    kept = existing.removesuffix("levels: [fellow]\r\n")
    assert result.text.startswith(kept + "\r\n# Added by `hccquiz draft --merge`")
    assert result.text.endswith("\r\n\r\nlevels: [fellow]\r\n")
    assert re.search(r"(?<!\r)\n", result.text) is None  # the file's CRLF newlines are kept
    deck = load_deck_text(result.text)
    assert deck.items[0].answer == "a" and len(deck.items) == 14


def test_merge_into_a_deck_with_another_id_is_quiet():
    first = draft_summary(mini(), deck_id="alpha-1-2021").text
    result = merge_draft(first, draft_summary(revised()).deck, "mine.yaml")
    assert result.warnings == () and result.added == ("kf-3",)
    assert load_deck_text(result.text).id == "alpha-1-2021"


def test_merge_into_a_flow_list_rewrites_and_says_so():
    existing = (
        "id: alpha-1\ntitle: Mine\nitems: [{id: kf-1, levels: [fellow], question: q, answer: a}]\n"
    )
    result = merge_draft(existing, draft_summary(mini()).deck, "mine.yaml")
    assert len(result.warnings) == 1 and "comments and formatting are lost" in result.warnings[0]
    deck = load_deck_text(result.text)
    assert deck.items[0].answer == "a" and len(result.added) == 13


def test_merge_warns_about_a_different_deck():
    existing = (
        "id: other\ntitle: Other\nlevels: [fellow]\nitems:\n  - {id: x, question: q, answer: a}\n"
    )
    result = merge_draft(existing, draft_summary(mini()).deck, "other.yaml")
    assert "has none of the draft's item ids, so all 14 items are added" in result.warnings[0]


def test_output_is_not_overwritten_without_force(tmp_path):
    runner = CliRunner()
    summary = tmp_path / "s.txt"
    summary.write_text(mini(), encoding="utf-8")
    out = tmp_path / "deck.yaml"
    out.write_text("precious", encoding="utf-8")
    run = runner.invoke(cli, ["draft", str(summary), "-o", str(out)])
    assert run.exit_code == 1 and "already exists" in str(run.exception)
    assert out.read_text(encoding="utf-8") == "precious"
    run = runner.invoke(cli, ["draft", str(summary), "-o", str(out), "--force"])
    assert run.exit_code == 0, run.output
    assert load_deck_text(out.read_bytes()).id == "alpha-1"
    assert sorted(os.listdir(tmp_path)) == ["deck.yaml", "s.txt"]  # no temporary files left
    run = runner.invoke(cli, ["draft", str(summary), "-o", str(summary), "--force"])
    assert run.exit_code == 1 and "is the summary itself" in str(run.exception)


def test_stdin_and_warnings_on_stderr():
    run = CliRunner().invoke(cli, ["draft", "-"], input=mini(drop=("Historical Context",)))
    assert run.exit_code == 0, run.output
    assert "hccquiz: warning: <stdin>: missing section: Historical Context" in run.stderr
    assert load_deck_text(run.stdout).id == "alpha-1"


# ───────────────────────────── cloze numbers ─────────────────────────────


@pytest.mark.parametrize(
    ("text", "cloze"),
    [
        ("HR 0.80 (0.70-0.92)", "HR {{c1::0.80}} ({{c1::0.70-0.92}})"),
        ("OR 1.5, p = .03", "OR {{c1::1.5}}, p = .03"),  # P values stay visible
        ("at 24 weeks, 12% vs. 8%", "at 24 weeks, {{c1::12%}} vs. {{c2::8%}}"),  # the frame
        ("median 6.8 months every 3 weeks", "median {{c1::6.8 months}} every 3 weeks"),
        ("95% CI, 1.2 to 3.4", "95% CI, {{c1::1.2 to 3.4}}"),
        ("Grade 3 or 4 in 2008", None),
    ],
)
def test_cloze_numbers(text, cloze):
    assert make_cloze(text) == cloze


# ───────────────────────────── properties ─────────────────────────────

PIECES = [
    *SECTIONS,
    "Med Student", "Resident", "Fellow", "Attending", "PhD", "Journal Editor",
    "Guideline Committee", "Nurse", "Key Response", "Key result: better by 3 months.",
    "1. HR 0.58 (95% CI, 0.42 to 0.79; P<0.001).", "2. Rate 67.2% vs 54.6%.", "- bullet",
    "Design", "Sample", "501", "Population Adults", "2008", "SHARP Trial", "n = 602 · NEJM",
    "Tested", "Comparator", "Placebo", "What is it?", "It is this.", "", "   ", "{{c1::x}}",
    "Tailored to your role", "# ## :", "ÅNGSTRÖM trial", "IMbrave150 trial", "TRUE trial",
    "Null Trial", "Key Findings:", "Resident Perspective", "Sample: 12",
]  # fmt: skip


def _check_draft(text: str) -> None:
    try:
        result = draft_summary(text)
    except DraftError:
        return
    deck = load_deck_text(result.text)
    ids = [item.id for item in deck.items]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(SLUG_PATTERN, i) and len(i) <= 64 for i in ids)
    assert yaml.safe_load(result.text)["items"] == [i.data() for i in result.deck.items]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=40)), max_size=40))
def test_drafting_never_crashes_on_summary_like_text(lines):
    _check_draft("\n".join(lines))


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_drafting_never_crashes_on_arbitrary_text(text):
    _check_draft(text)
    _check_draft("Key Findings\n1. " + text + "\nGuided Discussion\n" + text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789.% (),;-toPHR<=CImonths vs"), max_size=60))
def test_cloze_hides_only_and_keeps_all_the_text(text):
    cloze = make_cloze(text)
    if cloze is None:
        assert number_spans(text) == []
        return
    assert plain(cloze) == text
    assert all(re.search(r"\d", d.answer) for d in cloze_deletions(cloze))
    item = {"id": "c", "type": "cloze", "text": cloze}
    load_deck_text(yaml.safe_dump({"id": "d", "title": "t", "levels": ["fellow"], "items": [item]}))


def test_parse_reports_sections_in_canonical_order():
    summary = parse_summary(mini(order=list(reversed(SECTIONS))))
    assert summary.sections == SECTIONS
    assert summary.trial_name == "ALPHA-1"


# ───────────────────────────── concise answers ─────────────────────────────


@pytest.mark.parametrize(
    ("question", "response", "answer"),
    [
        (  # one thing asked: the first sentence
            "Which test must precede drug X?",
            "An upper endoscopy. Varices must be treated first.",
            "An upper endoscopy.",
        ),
        (  # "... and why?": the why's main clause too
            "What must be done and why?",
            "Do an EGD within 6 months. Bevacizumab carries a bleeding risk, and untreated "
            "varices are a contraindication.",
            "Do an EGD within 6 months. Bevacizumab carries a bleeding risk.",
        ),
        (  # a first sentence that turns ("but") goes on
            "How does monitoring change?",
            "Rates were similar, but their nature differs. Immune events replace kinase "
            "toxicities, so clinics must adapt.",
            "Rates were similar, but their nature differs. Immune events replace kinase "
            "toxicities.",
        ),
        (  # a "how" answered too briefly gets the next main clause ("because" ends it)
            "How should hepatitis be handled?",
            "Hepatitis is frequent. Early recognition is essential, because it mimics progression.",
            "Hepatitis is frequent. Early recognition is essential.",
        ),
    ],
)
def test_concise_answers_keep_the_point_in_the_responses_own_words(question, response, answer):
    from hccquiz.draft.text import concise

    assert concise(response, question) == answer


def test_concise_answers_stay_under_40_words():
    from hccquiz.draft.text import concise

    long_second = "Second " + " ".join(["word"] * 40) + "."
    assert concise("First sentence here. " + long_second, "Why?") == "First sentence here."
    clauses = " ".join(["word"] * 30) + ", and " + " ".join(["more"] * 20) + "."
    assert concise(clauses) == " ".join(["word"] * 30) + "."
