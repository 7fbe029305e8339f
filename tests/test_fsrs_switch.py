"""A switch to FSRS killed with SIGKILL mid-transaction leaves the database on SM-2, intact."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from hccquiz.clock import DayBoundary, FixedClock
from hccquiz.store import Store
from hccquiz.study import Session, StudyConfig
from hccquiz.study.scheduling import switch_scheduler
from hccquiz.study.sync import sync_files

START = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
BOUNDARY = DayBoundary(tz=UTC)

CHILD = """
import sys, time
from datetime import UTC, datetime
from hccquiz.clock import DayBoundary
from hccquiz.store import Store
from hccquiz.study.scheduling import switch_scheduler

def progress(done, total):
    if done == total:  # every row written, the setting too: only the commit is left
        print("WRITTEN", flush=True)
        time.sleep(60)

with Store.open(sys.argv[1]) as store:
    switch_scheduler(store, "fsrs", now=datetime(2025, 3, 12, 10, tzinfo=UTC),
                     boundary=DayBoundary(tz=UTC), progress=progress)
"""


def snapshot(db: Path) -> tuple[object, ...]:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("PRAGMA integrity_check").fetchone()[0],
            conn.execute("SELECT value FROM settings WHERE key = 'scheduler'").fetchone(),
            conn.execute("SELECT count(*) FROM cards WHERE stability IS NOT NULL").fetchone()[0],
            conn.execute("SELECT count(*) FROM fsrs_recall").fetchone()[0],
            conn.execute("SELECT * FROM reviews ORDER BY id").fetchall(),
            conn.execute("SELECT * FROM cards ORDER BY id").fetchall(),
        )
    finally:
        conn.close()


@pytest.fixture
def studied(tmp_path: Path) -> Path:
    items = [{"id": f"q{i}", "question": f"q {i}?", "answer": "A"} for i in range(30)]
    deck = tmp_path / "d.yaml"
    deck.write_text(yaml.safe_dump({"id": "d", "title": "T", "levels": ["resident"],
                                    "items": items}))  # fmt: skip
    db = tmp_path / "p.db"
    clock = FixedClock(START)
    rng = random.Random(5)
    with Store.open(db) as store:
        sync_files(store, [deck], now=START)
        for _ in range(10):
            s = Session(store, clock=clock, config=StudyConfig(tz=UTC))
            while s.next_card() is not None:
                s.grade(rng.choice([2, 3, 4, 4, 5]))
            clock.advance(timedelta(days=1))
    return db


def test_sigkill_before_the_commit_leaves_sm2_intact(studied: Path) -> None:
    before = snapshot(studied)
    assert before[0] == "ok" and before[1] is None and before[2] == 0
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(studied)], stdout=subprocess.PIPE, text=True
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "WRITTEN"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert snapshot(studied) == before  # not a row changed, still on SM-2
    with Store.open(studied) as store:
        assert store.scheduler_in_force() == "sm2"
        done = switch_scheduler(store, "fsrs", now=START + timedelta(days=11), boundary=BOUNDARY)
        assert done is not None and done.answers == sum(r.kind != "quiz" for r in store.reviews())
        assert store.scheduler_in_force() == "fsrs"
    after = snapshot(studied)
    assert after[0] == "ok" and after[2] > 0 and after[4] == before[4]


def test_ctrl_c_during_the_switch_changes_nothing(studied: Path) -> None:
    before = snapshot(studied)

    def interrupt(done: int, total: int) -> None:
        if done == total:
            raise KeyboardInterrupt

    with Store.open(studied) as store, pytest.raises(KeyboardInterrupt):
        switch_scheduler(store, "fsrs", now=START, boundary=BOUNDARY, progress=interrupt)
    assert snapshot(studied) == before


def test_a_database_from_before_fsrs_is_migrated_with_a_backup(tmp_path: Path) -> None:
    """0005_fsrs on a database studied under the earlier schema: every earlier review is
    SM-2's, nothing is lost, a backup is kept, and FSRS can be switched on."""
    from hccquiz.store import build_migrations

    older = build_migrations()
    older._migrations = [m for m in older._migrations if m.name != "0005_fsrs"]
    items = [{"id": f"q{i}", "question": f"q {i}?", "answer": "A"} for i in range(6)]
    deck = tmp_path / "d.yaml"
    deck.write_text(yaml.safe_dump({"id": "d", "title": "T", "levels": ["resident"],
                                    "items": items}))  # fmt: skip
    db = tmp_path / "old.db"
    with Store.open(db, migrations=older) as store:
        sync_files(store, [deck], now=START)
        cards = store.card_ids()
        conn = store._conn
        for n, card_id in enumerate(cards):  # the old review columns only
            conn.execute(
                "INSERT INTO reviews (card_id, reviewed_at, day, kind, quality, answer_ms, "
                "repetitions_before, ef100_before, interval_before, due_before, changed_before, "
                "repetitions_after, ef100_after, interval_after, due_after, content_hash) "
                "VALUES (?, ?, '2025-03-01', 'study', ?, 1000, 0, 250, 0, NULL, 0, 1, 250, 1, "
                "'2025-03-02', 'h')",
                (card_id, f"2025-03-01T10:0{n}:00.000Z", 4),
            )
            conn.execute(
                "UPDATE cards SET repetitions = 1, interval = 1, due = '2025-03-02' WHERE id = ?",
                (card_id,),
            )
        assert "scheduler" not in {r[1] for r in conn.execute("PRAGMA table_info(reviews)")}
    with Store.open(db) as store:
        reviews = store.reviews()
        assert len(reviews) == len(cards) and {r.scheduler for r in reviews} == {"sm2"}
        assert store.scheduler_in_force() == "sm2"
        done = switch_scheduler(store, "fsrs", now=START + timedelta(days=1), boundary=BOUNDARY)
        assert done is not None and done.cards == len(cards)
        assert all(store.card(c).schedule.memory is not None for c in cards)
    assert list(tmp_path.glob("old.db.before-0005_fsrs*.bak"))
