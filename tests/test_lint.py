"""`hccquiz lint`: every rule trips on a deck written to trip it and stays quiet on its
corrected twin; `lint_ignore` silences a rule per item; the CLI reports
``PATH:LINE:COL: warning: message [rule-id]`` and exits 0, or 1 with --strict."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from hccquiz.deck.lint import RULE_IDS, RULES, SourceText, lint_deck_text

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "decks" / "imbrave150.yaml"
SUMMARY = ROOT.parent / "shared" / "source" / "imbrave150-nejm-2020-summary.txt"

HEAD = 'id: lintdeck\ntitle: "Lint deck"\nlevels: [resident]\nitems:\n'


def deck(*items: str) -> str:
    """A deck of the given items, each written as the YAML of one list entry."""
    return HEAD + "".join(textwrap.indent(textwrap.dedent(i).strip() + "\n", "  ") for i in items)


def choice(item_id: str, question: str, choices: list[str], answer: str) -> str:
    options = "".join(f"\n  - {c!r}" for c in choices)
    return (
        f"- id: {item_id}\n  type: choice\n  question: {question!r}\n  choices:{options}\n"
        f"  answer: {answer!r}"
    )


def cloze(item_id: str, text: str) -> str:
    return f"- id: {item_id}\n  type: cloze\n  text: {text!r}"


def basic(item_id: str, question: str, answer: str, source: str | None = None) -> str:
    where = f"\n  source: {source!r}" if source else ""
    return f"- id: {item_id}\n  question: {question!r}\n  answer: {answer!r}{where}"


SOURCE = SourceText(
    {
        "Key Findings": "1. HR for overall survival 0.58 (95% CI, 0.42 to 0.79).\n"
        "2. Median PFS 6.8 vs 4.3 months.",
        "Study Design": "Sample 501 patients\nDuration 8.6 mo, median",
    },
    {
        "Key Findings": {
            "1": "HR for overall survival 0.58 (95% CI, 0.42 to 0.79).",
            "2": "Median PFS 6.8 vs 4.3 months.",
        },
        "Study Design": {"Sample": "501 patients", "Duration": "8.6 mo, median"},
    },
)

FORTY = " ".join(["word"] * 40)

# rule -> (a deck that trips it, its corrected twin that does not)
CASES: dict[str, tuple[str, str]] = {
    "negative-lead-in": (
        deck(choice("n", "Which drug was NOT in the trial?", ["A", "B", "C"], "C")),
        deck(choice("n", "Which drug was tested with atezolizumab?", ["A", "B", "C"], "C")),
    ),
    "all-none-of-above": (
        deck(choice("a", "Which?", ["Sorafenib", "Lenvatinib", "All of the above"], "Sorafenib")),
        deck(choice("a", "Which?", ["Sorafenib", "Lenvatinib", "Placebo"], "Sorafenib")),
    ),
    "long-key": (
        deck(
            choice(
                "k",
                "How were sorafenib and lenvatinib positioned?",
                [
                    "Alternatives for patients with contraindications to immunotherapy or VEGF",
                    "Preferred first line",
                    "Withdrawn",
                    "Second line only",
                ],
                "Alternatives for patients with contraindications to immunotherapy or VEGF",
            )
        ),
        deck(
            choice(
                "k",
                "How were sorafenib and lenvatinib positioned?",
                [
                    "Alternatives when immunotherapy is contraindicated",
                    "Co-preferred with atezolizumab plus bevacizumab",
                    "Withdrawn from the treatment algorithms",
                    "Preferred second-line options only",
                ],
                "Alternatives when immunotherapy is contraindicated",
            )
        ),
    ),
    "overlapping-options": (
        deck(
            choice("o", "Median follow-up?", ["< 6 months", "6 to 12 months", "≥ 12 months"], "b")
            .replace("'b'", "'6 to 12 months'")
            .replace("< 6 months", "≤ 6 months")
        ),
        deck(
            choice(
                "o",
                "Median follow-up?",
                ["< 6 months", "6 to 12 months", "> 12 months"],
                "6 to 12 months",
            )
        ),
    ),
    "few-options": (
        deck(
            choice(
                "f",
                "Which agent carries the bleeding risk?",
                ["Bevacizumab", "Atezolizumab"],
                "Bevacizumab",
            )
        ),
        deck(
            choice(
                "f",
                "Which agent carries the bleeding risk?",
                ["Bevacizumab", "Atezolizumab", "Sorafenib"],
                "Bevacizumab",
            )
        ),
    ),
    "cloze-stop-word": (
        deck(cloze("s", "Follow-up of {{c1::8.6 months}} was relatively {{c2::short}}.")),
        deck(cloze("s", "Follow-up of {{c1::8.6 months}} was too short to judge long-term OS.")),
    ),
    "cloze-visible-answer": (
        deck(cloze("v", "{{c1::Sorafenib}} was the comparator; sorafenib is a multikinase drug.")),
        deck(cloze("v", "{{c1::Sorafenib}} was the comparator, a {{c2::multikinase}} inhibitor.")),
    ),
    "derivable-answer": (
        deck(cloze("d", "12-month OS {{c1::67.2%}} (95% CI, {{c2::61.3 to 73.1}}).")),
        deck(cloze("d", "12-month OS {{c1::67.2%}} (95% CI, {{c1::61.3 to 73.1}}).")),
    ),
    "repeated-number": (
        deck(
            basic("r1", "OS HR?", "0.58"),
            cloze("r2", "HR {{c1::0.58}}"),
            basic("r3", "HR for death?", "0.58"),
        ),
        deck(
            basic("r1", "OS HR?", "0.58"),
            cloze("r2", "HR {{c1::0.58}}"),
            basic("r3", "What does HR 0.58 mean?", "A 42% lower hazard of death"),
        ),
    ),
    "long-answer": (
        deck(basic("l", "Why?", FORTY + " more")),
        deck(basic("l", "Why?", FORTY)),
    ),
    "source-section": (
        deck(basic("x", "What was the OS hazard ratio?", "0.58", "Study Design")),
        deck(basic("x", "What was the OS hazard ratio?", "0.58", "Key Findings 1")),
    ),
    "unknown-rule": (
        deck(basic("u", "Q?", "A") + "\n  lint_ignore: [long-answr]"),
        deck(basic("u", "Q?", "A") + "\n  lint_ignore: [long-answer]"),
    ),
}


def rules_found(text: str) -> list[str]:
    _, warnings = lint_deck_text(text, "deck.yaml", SOURCE)
    return [w.rule for w in warnings]


def test_every_rule_has_a_tripping_and_a_clean_case() -> None:
    assert set(CASES) == RULE_IDS


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_trips_on_its_flaw(rule: str) -> None:
    assert rule in rules_found(CASES[rule][0])


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_is_quiet_once_the_flaw_is_fixed(rule: str) -> None:
    assert rules_found(CASES[rule][1]) == []


@pytest.mark.parametrize("rule", sorted(set(CASES) - {"unknown-rule"}))
def test_lint_ignore_silences_the_rule_on_that_item_only(rule: str) -> None:
    text = CASES[rule][0]
    silenced = re.sub(r"^(  - id: .*)$", rf"\1\n    lint_ignore: [{rule}]", text, flags=re.M)
    assert rule not in rules_found(silenced)
    other = sorted(RULE_IDS - {rule, "unknown-rule"})[0]
    wrong = re.sub(r"^(  - id: .*)$", rf"\1\n    lint_ignore: [{other}]", text, flags=re.M)
    assert rule in rules_found(wrong)


def test_negative_lead_in_variants() -> None:
    for question in ("All of these EXCEPT which?", "Which was not an inclusion criterion?",
                     "Which one wasn't excluded?", "Which is LEAST likely?"):  # fmt: skip
        assert "negative-lead-in" in rules_found(deck(choice("n", question, ["A", "B", "C"], "A")))
    fine = "Which drug not only blocks VEGF but also normalizes vessels?"
    assert rules_found(deck(choice("n", fine, ["A", "B", "C"], "A"))) == []


def test_overlap_by_containment_and_by_range() -> None:
    contained = choice("o", "Which?", ["Bevacizumab", "Bevacizumab plus atezolizumab", "Placebo"],
                       "Placebo")  # fmt: skip
    assert "overlapping-options" in rules_found(deck(contained))
    ranges = choice("o", "Which?", ["1 to 5 months", "3 to 9 months", "over 9 months"],
                    "over 9 months")  # fmt: skip
    assert "overlapping-options" in rules_found(deck(ranges))


def test_derivable_answer_uses_the_geometric_midpoint_for_ratios() -> None:
    hr = deck(cloze("h", "OS HR {{c1::0.58}} (95% CI, 0.42 to 0.79)."))
    assert "derivable-answer" in rules_found(hr)
    shown = deck(basic("b", "The OS HR had a 95% CI of 0.42 to 0.79. What was the HR?", "0.58"))
    assert "derivable-answer" in rules_found(shown)
    unrelated = deck(basic("b", "The OS HR had a 95% CI of 0.42 to 0.79. And the PFS HR?", "0.59"))
    assert "derivable-answer" not in rules_found(unrelated)


def test_source_section_names_where_the_number_is() -> None:
    _, warnings = lint_deck_text(CASES["source-section"][0], "deck.yaml", SOURCE)
    (warning,) = warnings
    assert "0.58 is not in Study Design of the summary; it is in Key Findings 1" in warning.message
    unknown = deck(basic("x", "Q?", "0.58", "Appendix 3"))
    assert "names no section of the summary" in str(lint_deck_text(unknown, "d", SOURCE)[1][0])
    absent = deck(basic("x", "Serious AEs?", "38.0%", "Key Findings 1"))
    assert "nor anywhere in it" in lint_deck_text(absent, "d", SOURCE)[1][0].message


def test_source_section_needs_the_summary() -> None:
    _, warnings = lint_deck_text(CASES["source-section"][0], "deck.yaml")
    assert warnings == []


def test_warnings_point_at_the_flawed_field() -> None:
    text = deck(
        basic("fine", "Q?", "A"),
        choice("n", "Which was NOT tested?", ["A", "B", "C"], "A"),
    )
    _, (warning,) = lint_deck_text(text, "deck.yaml")
    line = text.splitlines()[warning.line - 1]
    assert line.strip().startswith("question:")
    assert line[warning.column - 1 :] == "'Which was NOT tested?'"  # the value itself
    assert str(warning).startswith(f"deck.yaml:{warning.line}:{warning.column}: warning: ")
    assert str(warning).endswith(" [negative-lead-in]")
    assert "items[1] (n).question" in str(warning)


def test_rules_have_unique_ids_and_summaries() -> None:
    assert len(RULE_IDS) == len(RULES)
    assert all(rule.summary and re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule.id) for rule in RULES)


# ───────────────────────────── the command ─────────────────────────────


def test_cli_exit_0_with_warnings_and_1_with_strict(cli_run, tmp_path: Path) -> None:
    path = tmp_path / "flawed.yaml"
    path.write_text(CASES["few-options"][0], encoding="utf-8")
    run = cli_run("lint", path)
    assert run.returncode == 0, run.stderr
    assert re.fullmatch(
        rf"{re.escape(str(path))}:\d+:\d+: warning: .* \[few-options\]\n", run.stdout
    )
    assert "1 warning(s) in 1 deck file(s)" in run.stderr
    strict = cli_run("lint", "--strict", path)
    assert strict.returncode == 1
    assert strict.stdout == run.stdout
    assert strict.stderr.strip().endswith("hccquiz: 1 warning(s) with --strict")


def test_cli_clean_deck_and_folders(cli_run, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(CASES["few-options"][1], encoding="utf-8")
    run = cli_run("lint", "--strict", tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == ""


def test_cli_invalid_deck_is_an_error_with_locations(cli_run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(deck(basic("x", "Q?", "A") + "\n  lint_ignore: ['Not A Rule']"), "utf-8")
    run = cli_run("lint", bad)
    assert run.returncode == 1
    assert f"{bad}:" in run.stderr and "is not a lint rule id" in run.stderr
    assert "Traceback" not in run.stderr


def test_cli_lists_rules_and_needs_paths(cli_run) -> None:
    run = cli_run("lint", "--rules")
    assert run.returncode == 0
    assert [line.split()[0] for line in run.stdout.splitlines()] == [r.id for r in RULES]
    assert cli_run("lint").returncode == 2


def test_cli_summary_that_is_not_a_summary(cli_run, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("just some notes\n", encoding="utf-8")
    run = cli_run("lint", "--summary", notes, BUNDLED)
    assert run.returncode == 1
    assert run.stderr.startswith(f"hccquiz: {notes}: no recognised section")


def test_bundled_deck_passes_strict(cli_run) -> None:
    run = cli_run("lint", "--strict", "decks/")
    assert run.returncode == 0, run.stdout
    assert run.stdout == ""


def test_bundled_deck_passes_strict_against_its_summary(cli_run) -> None:
    if not SUMMARY.exists():
        pytest.skip(f"shared summary not found at {SUMMARY}")
    run = cli_run("lint", "--strict", "--summary", SUMMARY, BUNDLED)
    assert run.returncode == 0, run.stdout
