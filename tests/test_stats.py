"""`hccquiz.study.stats` figures on a real store, and the `sync` and `stats` commands."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from hccquiz.cli import cli, main
from hccquiz.deck.levels import LEVEL_VALUES as LEVEL_ORDER
from hccquiz.deck.levels import Level
from hccquiz.sm2 import SM2State
from hccquiz.store import DB_ENV, Schedule, Store
from hccquiz.study.stats import collect, render_text, streak
from hccquiz.study.sync import sync_files

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
TODAY = date(2025, 3, 10)


def write_deck(path: Path, n: int = 4, deck_id: str = "demo", **item: Any) -> Path:
    data = {
        "id": deck_id,
        "title": f"{deck_id} deck",
        "levels": ["resident"],
        "items": [{"id": f"q{i}", "question": f"Q{i}?", "answer": "A", **item} for i in range(n)],
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "p.db") as opened:
        yield opened


def log(
    store: Store,
    card_id: int,
    day: date,
    quality: int,
    kind: str = "study",
    interval: int | None = None,
) -> None:
    """Record a review on ``day``; a study grade sets the given interval (due day + interval)."""
    before = store.card(card_id).schedule
    after = before
    if kind == "study":
        reps = 0 if quality < 3 else before.state.repetitions + 1
        iv = interval or 1
        after = Schedule(SM2State(reps, before.state.easiness, iv), day + timedelta(days=iv))
    at = datetime.combine(day, time(12), UTC)
    store.record_review(
        card_id, kind=kind, quality=quality, reviewed_at=at, day=day, before=before, after=after
    )


def test_level_order_matches_models() -> None:
    assert tuple(level.value for level in Level) == LEVEL_ORDER


def test_empty_store(store: Store) -> None:
    stats = collect(store, now=NOW, tz=UTC)
    assert (stats.cards_total, stats.reviews_total, stats.streak_days) == (0, 0, 0)
    assert stats.retention_30d is None
    assert list(stats.by_level) == list(LEVEL_ORDER)
    assert "no reviews of studied cards yet" in render_text(stats)


def test_figures(store: Store, tmp_path: Path) -> None:
    sync_files(store, [write_deck(tmp_path / "d.yaml", 8)], now=NOW)
    sync_files(
        store, [write_deck(tmp_path / "f.yaml", 2, "fel", levels=["fellow", "phd"])], now=NOW
    )
    ids = store.card_ids()
    old = TODAY - timedelta(days=40)
    log(store, ids[0], old, 4, interval=40)  # due today, outside the 30-day window
    log(store, ids[1], TODAY - timedelta(days=5), 4, interval=3)  # overdue by 2
    log(store, ids[1], TODAY - timedelta(days=5), 2, kind="drill")
    log(store, ids[2], TODAY - timedelta(days=20), 4, interval=10)  # new card: not retention
    log(store, ids[2], TODAY - timedelta(days=10), 2, interval=1)  # lapse: due TODAY-9
    log(store, ids[3], TODAY - timedelta(days=2), 5, interval=3)  # due tomorrow
    log(store, ids[3], TODAY - timedelta(days=1), 2, kind="quiz")
    log(store, ids[4], TODAY, 4, interval=25)  # mature, due in 25 days
    log(store, ids[5], TODAY, 3, interval=7)  # due in 7 days
    log(store, ids[8], TODAY - timedelta(days=3), 4, interval=21)  # fellow+phd, mature
    log(store, ids[8], TODAY, 3, kind="quiz")
    store.set_suspended(ids[6], True)
    stats = collect(store, now=NOW, tz=UTC)
    assert (stats.cards_total, stats.cards_new, stats.cards_suspended) == (10, 2, 1)
    assert (stats.due_today, stats.due_overdue) == (3, 2)  # ids 0, 1, 2
    assert stats.due_tomorrow == 1  # ids 3
    assert stats.due_next_7_days == 2  # ids 3 and 5
    forecast = [0] * 31  # today and the next 30 days
    forecast[0], forecast[1], forecast[7], forecast[18], forecast[25] = 3, 1, 1, 1, 1
    assert stats.due_by_day == tuple(forecast)  # ids 0-2; 3; 5; 8 (TODAY-3 + 21); 4
    assert stats.reviews_total == 11
    assert stats.reviews_by_kind == {"study": 8, "drill": 1, "quiz": 2}
    assert (stats.reviews_today, stats.reviews_today_by_kind["quiz"]) == (3, 1)
    # first-of-day grades of studied cards in the last 30 days: ids[2] second grade (2)
    assert stats.retention_reviews_30d == 1 and stats.retention_30d == 0.0
    res = stats.by_level["resident"]
    assert (res.cards, res.new, res.learning, res.mature, res.suspended) == (8, 1, 4, 2, 1)
    for level in ("fellow", "phd"):
        lv = stats.by_level[level]
        assert (lv.cards, lv.new, lv.learning, lv.mature) == (2, 1, 0, 1)
    assert stats.by_level["attending"].cards == 0
    assert [d["id"] for d in stats.decks] == ["demo", "fel"]
    assert stats.decks[0] == {
        "id": "demo",
        "title": "demo deck",
        "cards": 8,
        "new": 1,
        "due_today": 3,
    }
    assert stats.streak_days == 4  # TODAY-3 .. TODAY
    text = render_text(stats)
    assert "3 today (2 overdue), 1 tomorrow, 2 in the next 7 days" in text
    assert "0.0% of 1 reviews" in text


def test_retention_counts_only_first_grades_of_studied_cards(store: Store, tmp_path: Path) -> None:
    sync_files(store, [write_deck(tmp_path / "d.yaml", 5)], now=NOW)
    ids = store.card_ids()
    for card_id in ids:
        log(store, card_id, TODAY - timedelta(days=31), 4)  # new: left out
    for n, card_id in enumerate(ids):
        log(store, card_id, TODAY - timedelta(days=29), 5 if n < 3 else 2)
        log(store, card_id, TODAY - timedelta(days=29), 1, kind="drill")
    stats = collect(store, now=NOW, tz=UTC)
    assert (stats.retention_reviews_30d, stats.retention_30d) == (5, 0.6)
    later = collect(store, now=NOW + timedelta(days=1), tz=UTC)
    assert later.retention_30d is None


def test_streak(store: Store, tmp_path: Path) -> None:
    sync_files(store, [write_deck(tmp_path / "d.yaml", 1)], now=NOW)
    [card] = store.card_ids()
    assert streak(store, TODAY) == 0
    for back in [*range(1, 75), 76]:  # 74 days ending yesterday, a gap, then one more
        log(store, card, TODAY - timedelta(days=back), 4, kind="quiz")
    assert streak(store, TODAY) == 74  # today has none yet: the streak still stands
    log(store, card, TODAY, 4, kind="quiz")
    assert streak(store, TODAY) == 75
    assert streak(store, TODAY + timedelta(days=2)) == 0
    assert streak(store, TODAY - timedelta(days=76)) == 1


def test_day_start_setting(store: Store, tmp_path: Path) -> None:
    early = datetime(2025, 3, 10, 5, 0, tzinfo=UTC)
    assert collect(store, now=early, tz=UTC).study_day == TODAY
    store.set_setting("day_starts_at", "06:00")
    assert collect(store, now=early, tz=UTC).study_day == TODAY - timedelta(days=1)
    assert collect(store, now=early, tz=UTC, day_starts_at=time(0)).study_day == TODAY


# ---- the commands -------------------------------------------------------------------------


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_commands_have_help() -> None:
    for name in ("sync", "stats"):
        assert cli.commands[name].help
        assert any(p.name == "db_path" for p in cli.commands[name].params)


def test_sync_and_stats_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "p.db"
    decks = tmp_path / "decks"
    decks.mkdir()
    write_deck(decks / "a.yaml", 3)
    write_deck(decks / "b.yml", 2, "beta")
    code, out, err = run(["sync", "--db", str(db), str(decks)], capsys)
    assert code == 0, err
    assert "a.yaml: added demo: 3 items (3 added), 3 cards (3 added)" in out
    assert "b.yml: added beta" in out
    code, out, _ = run(["sync", "--db", str(db), str(decks / "a.yaml")], capsys)
    assert "unchanged" in out
    code, out, _ = run(["stats", "--db", str(db), "--json", str(decks)], capsys)
    data = json.loads(out)
    for key in (
        "cards_total",
        "cards_new",
        "due_today",
        "reviews_total",
        "reviews_today",
        "retention_30d",
        "by_level",
    ):
        assert key in data
    assert (data["cards_total"], data["cards_new"], data["retention_30d"]) == (5, 5, None)
    assert data["by_level"]["resident"]["new"] == 5
    code, out, _ = run(["stats", "--db", str(db), str(decks)], capsys)
    assert code == 0 and "5 total, 5 new" in out


def test_sync_invalid_deck_exit_1_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "p.db"
    good = write_deck(tmp_path / "good.yaml", 2)
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: B\nitems: []\n")
    code, out, err = run(["sync", "--db", str(db), str(good), str(bad)], capsys)
    assert code == 1
    assert "bad.yaml:3:" in err and "nothing written" in err
    assert out == ""
    with Store.open(db) as store:
        assert store.deck_ids() == []


def test_foreign_file_exit_1_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 10)
    before = sha(notes)
    deck = write_deck(tmp_path / "d.yaml")
    for argv in (["sync", "--db", str(notes), str(deck)], ["stats", "--db", str(notes)]):
        code, _, err = run(argv, capsys)
        assert code == 1
        assert err.startswith("hccquiz: ") and "not an hccquiz database" in err
        assert err.count("\n") == 1  # one line, no traceback
    assert sha(notes) == before


def test_stats_without_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["stats", "--db", str(tmp_path / "none.db")], capsys)
    assert code == 1 and "hccquiz sync" in err
    assert not (tmp_path / "none.db").exists()


def test_env_var_chooses_the_database(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    deck = write_deck(tmp_path / "d.yaml", 2)
    env = {"HCCQUIZ_DB": str(db), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    assert DB_ENV == "HCCQUIZ_DB"
    done = subprocess.run(
        [sys.executable, "-m", "hccquiz", "sync", str(deck)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert db.exists()
    done = subprocess.run(
        [sys.executable, "-m", "hccquiz", "stats", "--json", str(deck)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert json.loads(done.stdout)["cards_total"] == 2
    assert json.loads(done.stdout)["database"] == str(db)


def test_bad_day_start_setting_is_a_clear_error(store: Store) -> None:
    from hccquiz.errors import HccquizError

    store.set_setting("day_starts_at", "dawn")
    with pytest.raises(HccquizError, match="not a time"):
        collect(store, now=NOW, tz=UTC)


def test_stats_leaves_an_empty_file_alone(tmp_path: Path, cli_run) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    result = cli_run("stats", "--db", db)
    assert result.returncode == 1
    assert "no progress database yet" in result.stderr and "Traceback" not in result.stderr
    assert db.stat().st_size == 0
