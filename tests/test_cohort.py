"""Cohort reports: the figures agree with independent computations (scipy), a known-answer
IRT simulation is recovered, and flags point at the deck file's lines."""

from __future__ import annotations

import json
import statistics
from datetime import date
from pathlib import Path

import pytest
from cohort_support import SimItem, simulate
from scipy import stats as sps

from hccquiz.cohort.report import build_report
from hccquiz.deck.content import item_contents
from hccquiz.deck.file import load_deck

AS_OF = date(2026, 10, 1)


def _basic(n: int, *, seed_b: float = -2.0, step: float = 0.2, a: float = 1.6) -> list[SimItem]:
    return [SimItem(f"item-{i:02d}", a, seed_b + step * i) for i in range(n)]


def _rest_scores(cohort, item_id: str) -> tuple[list[int], list[float]]:
    """Independently: each trainee's first answer to `item_id` and mean on the others."""
    xs, rests = [], []
    for trainee in cohort.abilities:
        if (trainee, item_id) not in cohort.first:
            continue
        others = [v for (t, i), v in cohort.first.items() if t == trainee and i != item_id]
        if not others:
            continue
        xs.append(int(cohort.first[(trainee, item_id)]))
        rests.append(sum(others) / len(others))
    return xs, rests


def test_figures_agree_with_scipy_and_plain_python(tmp_path: Path) -> None:
    items = _basic(12, step=0.35)
    items.append(SimItem("choice", 1.2, 0.0, ("key", "d1", "d2", "d3"), (0.6, 0.3, 0.1)))
    cohort = simulate(tmp_path / "logs", items, trainees=120, seed=7, reach=0.8)
    report = build_report([str(cohort.folder)], as_of=AS_OF).to_json()
    by_id = {i["item_id"]: i for i in report["items"]}
    assert set(by_id) == {i.item_id for i in items}
    checked = 0
    for item in items:
        row = by_id[item.item_id]
        firsts = [v for (_, i), v in cohort.first.items() if i == item.item_id]
        assert row["reached"] == len(firsts)
        assert row["facility"] == pytest.approx(sum(firsts) / len(firsts), abs=1e-12)
        xs, rests = _rest_scores(cohort, item.item_id)
        expected = sps.pointbiserialr(xs, rests).statistic
        assert row["discrimination"] == pytest.approx(expected, abs=1e-9)
        assert row["discrimination_n"] == len(xs)
        times = cohort.times[item.item_id] + [5000] * len(firsts)  # the second reviews: 5 s
        assert row["answer_ms_mean"] == pytest.approx(statistics.fmean(times))
        assert row["answer_ms_median"] == pytest.approx(statistics.median(times))
        checked += 1
    assert checked == 13
    picks = [p for (_, i), p in cohort.picks.items() if i == "choice"]
    rates = {o["option"]: o["rate"] for o in by_id["choice"]["options"]}
    for option in ("key", "d1", "d2", "d3"):
        assert rates[option] == pytest.approx(picks.count(option) / len(picks))
    assert [o["is_key"] for o in by_id["choice"]["options"]] == [True, False, False, False]


def test_upper_lower_index_matches_a_sort_by_rest_score(tmp_path: Path) -> None:
    cohort = simulate(tmp_path / "logs", _basic(16, step=0.25), trainees=60, seed=3, reach=0.7)
    report = build_report([str(cohort.folder)], as_of=AS_OF).to_json()
    checked = 0
    for row in report["items"]:
        xs, rests = _rest_scores(cohort, row["item_id"])
        pairs = sorted(zip(rests, xs, strict=True), reverse=True)
        k = max(1, round(0.27 * len(pairs)))
        if pairs[k - 1][0] == pairs[k][0] or pairs[-k][0] == pairs[-k - 1][0]:
            continue  # a tie at the cut: which trainee goes in is a tie-break, not a figure
        upper = sum(x for _, x in pairs[:k]) / k
        lower = sum(x for _, x in pairs[-k:]) / k
        assert row["upper_lower"] == pytest.approx(upper - lower)
        checked += 1
    assert checked >= 5


def test_lapse_rate_at_the_first_scheduled_review(tmp_path: Path) -> None:
    from cohort_support import START, review, write_log

    folder = tmp_path / "logs"
    folder.mkdir()
    outcomes = [True, False, False, True, True]  # first scheduled review: 2 of 5 lapse
    for n, second in enumerate(outcomes):
        rows = [
            review("x", True, when=START),
            review("x", True, when=START.replace(hour=9), kind="drill", card_state="learning"),
            review("x", second, when=START.replace(day=5), card_state="review"),
            review("x", not second, when=START.replace(day=9), card_state="review"),
        ]
        write_log(folder / f"t{n}.csv", f"t{n}", rows)
    (row,) = build_report([str(folder)], as_of=AS_OF).to_json()["items"]
    assert row["lapse_rate"] == pytest.approx(2 / 5)
    assert row["lapse_n"] == 5


def test_known_answer_irt_simulation(tmp_path: Path) -> None:
    """300 trainees, 2PL items of known difficulty: facility recovers the difficulty
    order; the planted flat item and the planted bad distractor are flagged."""
    items = _basic(24, seed_b=-2.3, step=0.2, a=1.7)
    items.append(SimItem("flat", 0.0, 0.0))  # answers are coin flips whatever the ability
    items.append(SimItem("misconception", 1.5, 1.2, ("right", "tempting", "fair", "never"),
                         (0.85, 0.15, 0.0)))  # fmt: skip
    cohort = simulate(tmp_path / "logs", items, trainees=300, seed=2026)
    report = build_report([str(cohort.folder)], as_of=AS_OF)
    rows = {i["item_id"]: i for i in report.items}
    basic = [i for i in items if i.item_id.startswith("item-")]
    rho = sps.spearmanr([rows[i.item_id]["facility"] for i in basic], [-i.b for i in basic])
    assert rho.statistic >= 0.9
    flags = {(f.item_id, f.rule, f.option) for f in report.flags}
    assert ("flat", "discrimination-low", None) in flags
    assert ("misconception", "distractor-over-key", "tempting") in flags
    assert ("misconception", "distractor-unpicked", "never") in flags
    low = {item for item, rule, _ in flags if rule == "discrimination-low"}
    assert low == {"flat"}, "only the planted item fails to discriminate"
    extreme = {item for item, rule, _ in flags if rule.startswith("facility")}
    truth = {i.item_id: _expected_facility(i) for i in basic}
    assert {i for i, f in truth.items() if f < 0.25 or f > 0.97} <= extreme
    assert not {i for i, f in truth.items() if 0.35 <= f <= 0.92} & extreme


def _expected_facility(item: SimItem) -> float:
    """The model's facility: P(right) averaged over abilities ~ N(0, 1) (a fine sum)."""
    import math

    grid = [x / 100 for x in range(-600, 601)]
    weights = [math.exp(-x * x / 2) for x in grid]
    p = [1 / (1 + math.exp(-item.a * (x - item.b))) for x in grid]
    return sum(w * q for w, q in zip(weights, p, strict=True)) / sum(weights)


DECK = """\
id: sim
title: "Simulated deck"
levels: [resident]
items:
  - id: item-00
    question: "Easy?"
    answer: "yes"
  - id: flat
    question: "Coin?"
    answer: "heads"
  - id: misconception
    type: choice
    question: "Which?"
    choices: ["right", "tempting", "fair", "never"]
    answer: "right"
"""


def test_flags_point_at_the_deck_file_lines(tmp_path: Path, cli_run) -> None:
    items = [
        SimItem("item-00", 1.5, -3.5),
        SimItem("flat", 0.0, 0.0),
        SimItem("misconception", 1.5, 1.2, ("right", "tempting", "fair", "never"),
                (0.85, 0.15, 0.0)),
    ]  # fmt: skip
    deck = tmp_path / "sim.yaml"
    deck.write_text(DECK)
    loaded = load_deck(deck)
    hashes = {i.id: h for i, (_, h) in zip(loaded.items, item_contents(loaded.items), strict=True)}
    cohort = simulate(tmp_path / "logs", items, trainees=200, seed=11, hashes=hashes)
    lines = DECK.splitlines()

    def where(text: str) -> str:
        n = next(i for i, line in enumerate(lines) if text in line)
        return f"{deck}:{n + 1}:{lines[n].index(text) + 1}"

    out = tmp_path / "r.html"
    result = cli_run("cohort", "report", cohort.folder, "--deck", deck, "-o", out,
                     "--json", tmp_path / "r.json", "--as-of", "2026-10-01")  # fmt: skip
    assert result.returncode == 0, result.stderr
    warnings = result.stdout.splitlines()
    assert any(w.startswith(where("- id: item-00")[:-1]) and "facility" in w for w in warnings)
    assert f"{where('- id: flat')[:-2]}:5: warning: items[1] (flat): discrimination" in "\n".join(
        warnings
    )
    tempting = where('"tempting"')
    assert any(w.startswith(f"{tempting}: warning: ") and "more than the key" in w
               for w in warnings)  # fmt: skip
    figures = json.loads((tmp_path / "r.json").read_text())
    assert {f["line"] for f in figures["flags"]} >= {int(tempting.split(":")[1])}
    assert out.read_text().startswith("<!DOCTYPE html>")
