"""``hccquiz optimize`` on a real database: below and above the threshold, with FSRS in force."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from hccquiz.clock import DayBoundary, FixedClock
from hccquiz.fsrs import DEFAULT_PARAMETERS
from hccquiz.store import Store
from hccquiz.study import Session, StudyConfig
from hccquiz.study.scheduling import PARAMETERS_KEY, stored_parameters, switch_scheduler
from hccquiz.study.sync import sync_files

START = datetime(2025, 1, 6, 10, 0, tzinfo=UTC)


def studied_db(tmp_path: Path, *, cards: int, days: int, fail: float) -> Path:
    """A database after ``days`` days of SM-2 study of ``cards`` cards by a learner who
    forgets each due card with probability ``fail``."""
    items = [{"id": f"q{i}", "question": f"q {i}?", "answer": "A"} for i in range(cards)]
    deck = tmp_path / "d.yaml"
    deck.write_text(yaml.safe_dump({"id": "d", "title": "T", "levels": ["resident"],
                                    "items": items}))  # fmt: skip
    db = tmp_path / "p.db"
    clock, rng = FixedClock(START), random.Random(9)
    with Store.open(db, durable=False) as store:
        sync_files(store, [deck], now=START)
        for _ in range(days):
            s = Session(store, clock=clock, config=StudyConfig(tz=UTC, new_per_day=12))
            while (card := s.next_card()) is not None:
                forgot = card.queue == "review" and rng.random() < fail
                s.grade(2 if forgot else rng.choice([3, 4, 4, 5]))
            clock.advance(timedelta(days=1))
    return db


def test_below_the_threshold_keeps_the_defaults(tmp_path: Path, cli_run) -> None:  # type: ignore[no-untyped-def]
    db = studied_db(tmp_path, cards=10, days=8, fail=0.2)
    result = cli_run("optimize", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "Kept the default parameters" in result.stdout
    assert "fitting needs 400" in result.stdout
    with Store.open(db) as store:
        assert PARAMETERS_KEY not in store.settings()


def test_above_the_threshold_fits_scores_and_stores(tmp_path: Path, cli_run) -> None:  # type: ignore[no-untyped-def]
    db = studied_db(tmp_path, cards=90, days=45, fail=0.35)
    with Store.open(db) as store:
        now = START + timedelta(days=45)
        switch_scheduler(store, "fsrs", now=now, boundary=DayBoundary())
        before = {c: store.card(c).schedule.memory for c in store.card_ids()}
    result = cli_run("optimize", "--db", db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "held back from the fit" in out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    default_loss, fitted_loss = float(lines["default"][0]), float(lines["fitted"][0])
    assert fitted_loss < default_loss
    assert "Stored the fitted parameters" in out and "FSRS memories replayed" in out
    assert "Fitting FSRS-6" in result.stderr  # the progress bar
    with Store.open(db) as store:
        stored = stored_parameters(store.settings())
        assert stored.fitted and stored.values != DEFAULT_PARAMETERS
        record = json.loads(store.settings()[PARAMETERS_KEY])
        assert record["fitted"]["log_loss"] == pytest.approx(fitted_loss, abs=1e-4)
        after = {c: store.card(c).schedule.memory for c in store.card_ids()}
        assert after != before  # replayed with the new parameters
    stats = json.loads(cli_run("stats", "--json", "--db", db).stdout)
    assert stats["scheduler"] == "fsrs"
    assert stats["fsrs"]["parameters"].startswith("fitted on ")


def test_scheduler_command_switches_and_back_with_nothing_lost(tmp_path: Path, cli_run) -> None:  # type: ignore[no-untyped-def]
    db = studied_db(tmp_path, cards=20, days=10, fail=0.2)
    with Store.open(db) as store:
        log = store.reviews()
    shown = cli_run("config", "get", "scheduler", "--db", db)
    assert shown.returncode == 0 and shown.stdout.strip() == "sm2"
    on = cli_run("config", "set", "scheduler", "fsrs", "--db", db)
    assert on.returncode == 0, on.stderr
    assert f"{len(log):,} answers replayed" in on.stdout and "due dates kept" in on.stdout
    assert "Replaying the review log" in on.stderr
    again = cli_run("config", "set", "scheduler", "fsrs", "--db", db)
    assert "already in force" in again.stdout
    off = cli_run("config", "unset", "scheduler", "--db", db)
    assert off.returncode == 0 and "scheduler = sm2" in off.stdout, off.stderr
    with Store.open(db) as store:
        assert store.reviews() == log and store.scheduler_in_force() == "sm2"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0.69", "desired_retention: '0.69' is not a desired retention from 0.70 to 0.97"),
        ("0.98", "desired_retention: '0.98' is not a desired retention from 0.70 to 0.97"),
        ("ninety", "desired_retention: 'ninety' is not a desired retention from 0.70"),
        ("nan", "desired_retention: 'nan' is not a desired retention from 0.70"),
    ],
)
def test_desired_retention_outside_the_range_is_refused(
    tmp_path: Path,
    cli_run,  # type: ignore[no-untyped-def]
    value: str,
    message: str,
) -> None:
    db = studied_db(tmp_path, cards=2, days=1, fail=0)
    result = cli_run("config", "set", "desired_retention", value, "--db", db)
    assert result.returncode == 1
    assert result.stderr.strip() == f"hccquiz: {message}" or message in result.stderr
    assert "Traceback" not in result.stderr
    ok = cli_run("config", "set", "desired_retention", "85%", "--db", db)
    assert ok.returncode == 0 and ok.stdout.strip() == "desired_retention = 0.85"
    with Store.open(db) as store:
        assert store.settings()["desired_retention"] == "0.85"


def test_the_switch_says_which_cards_come_back_today(tmp_path: Path, cli_run) -> None:  # type: ignore[no-untyped-def]
    """Cards first answered today are in FSRS's learning steps after a switch: the message
    says they come back today, and stats counts exactly them as left today."""
    items = [{"id": f"q{i}", "question": f"q {i}?", "answer": "A"} for i in range(5)]
    deck = tmp_path / "d.yaml"
    deck.write_text(yaml.safe_dump({"id": "d", "title": "T", "levels": ["resident"],
                                    "items": items}))  # fmt: skip
    db = tmp_path / "p.db"
    now = datetime.now(UTC)
    with Store.open(db) as store:
        sync_files(store, [deck], now=now)
        session = Session(store, clock=FixedClock(now), config=StudyConfig(tz=UTC, drill=False))
        for _ in range(3):  # three new cards, Good: SM-2 sends each to tomorrow
            assert session.next_card() is not None
            session.grade(4)
    before = json.loads(cli_run("stats", "--json", "--db", db).stdout)["left_today"]
    on = cli_run("config", "set", "scheduler", "fsrs", "--db", db, env={"TZ": "UTC"})
    assert on.returncode == 0, on.stderr
    assert "due dates kept, except 3 cards answered today, now in a learning step: they " \
           "come back today" in on.stdout, on.stdout  # fmt: skip
    after = json.loads(cli_run("stats", "--json", "--db", db).stdout)["left_today"]
    assert after["learning"] == before["learning"] + 3
