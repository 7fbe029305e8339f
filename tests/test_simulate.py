"""bench/simulate.py: deterministic with --seed, and each learner behaves as described."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).parents[1] / "bench" / "simulate.py"


@pytest.fixture(scope="module")
def simulate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_simulate", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_simulate"] = module
    spec.loader.exec_module(module)
    return module


ARGS = ["--cards", "120", "--days", "40", "--new-per-day", "6", "--json"]


def run(simulate: ModuleType, capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict]:
    assert simulate.main([*ARGS, *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_same_seed_same_results(simulate: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    first = run(simulate, capsys, "--seed", "5")
    again = run(simulate, capsys, "--seed", "5")
    other = run(simulate, capsys, "--seed", "6")
    assert first == again
    assert first != other
    assert [(r["model"], r["scheduler"], r["retention_target"]) for r in first] == [
        (model, name, target)
        for model in ("fsrs", "actr")
        for name, target in (("sm2", None), ("fsrs", 0.8), ("fsrs", 0.85), ("fsrs", 0.9))
    ]


def test_every_run_studies_the_deck_and_fsrs_follows_its_target(
    simulate: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    results = run(simulate, capsys, "--seed", "3", "--models", "fsrs")
    for r in results:
        assert r["cards_introduced"] == 120
        assert r["reviews_per_day"] > 3
        assert r["minutes_per_day"] == pytest.approx(r["reviews_per_day"] * 10 / 60, abs=0.01)
        assert 0 < r["known_at_end"] <= 120
    fsrs = [r for r in results if r["scheduler"] == "fsrs"]
    assert [r["reviews_per_day"] for r in fsrs] == sorted(r["reviews_per_day"] for r in fsrs)


def test_table_and_equal_knowledge(
    simulate: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert simulate.main([*ARGS[:-1], "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "| fsrs | SM-2 |" in out and "| actr | FSRS @ 0.85 |" in out
    assert "- fsrs:" in out and "- actr:" in out
