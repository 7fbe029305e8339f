"""Real processes on one database: a SIGKILL mid-series, and writers running side by side."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from hccquiz.store import Store
from hccquiz.study.sync import sync_files

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

STUDENT = textwrap.dedent(
    """
    import os, random, sys
    from hccquiz.clock import SystemClock
    from hccquiz.store import Store
    from hccquiz.study import Filters, Session, StudyConfig

    db, deck, limit, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    stop = sys.argv[5] if len(sys.argv) > 5 else None  # grade until this file appears
    rng = random.Random(seed)
    config = StudyConfig(new_per_day=100_000, reviews_per_day=100_000, drill=False)
    with Store.open(db) as store:
        session = Session(store, clock=SystemClock(), config=config,
                          filters=Filters(decks=(deck,)))
        done = 0
        while done < limit and (card := session.next_card()) is not None:
            if stop and os.path.exists(stop):
                break
            result = session.grade(rng.choice([2, 3, 4, 5]))
            print(result.review.id, card.card_id, flush=True)  # committed before this line
            done += 1
    print("done", flush=True)
    """
)


def write_deck(path: Path, deck_id: str, n: int, version: int = 0) -> Path:
    items = [
        {"id": f"i{i}", "question": f"Question {i} v{version}?", "answer": f"A{i}"}
        for i in range(n)
        if not (version and i % 10 == version % 10)  # each version retires a different tenth
    ]
    data = {"id": deck_id, "title": deck_id, "levels": ["resident"], "items": items}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def spawn(args: list[str], tmp_path: Path, **kwargs: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("HCCQUIZ_DB", None)
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def check_consistent(db: Path, committed: list[tuple[int, int]]) -> None:
    """Every committed review is in the log, and every card matches its last study review."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = {r[0] for r in conn.execute("SELECT id FROM reviews")}
    missing = [rid for rid, _ in committed if rid not in ids]
    assert not missing, f"committed reviews lost: {missing[:10]}"
    logged = dict(conn.execute("SELECT id, card_id FROM reviews").fetchall())
    assert all(logged[rid] == cid for rid, cid in committed)
    rows = conn.execute(
        """SELECT c.id, c.repetitions, c.ef100, c.interval, c.due,
                  r.repetitions_after, r.ef100_after, r.interval_after, r.due_after
           FROM cards c LEFT JOIN reviews r ON r.id = (
               SELECT max(id) FROM reviews WHERE card_id = c.id AND kind = 'study')"""
    ).fetchall()
    conn.close()
    for card_id, *state in rows:
        now, last = state[:4], state[4:]
        if last[0] is None:
            assert now == [0, 250, 0, None], card_id
        else:
            assert now == last, card_id


def test_sigkill_mid_series_keeps_every_committed_review(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with Store.open(db) as store:
        sync_files(store, [write_deck(tmp_path / "d.yaml", "demo", 2000)], now=datetime.now(UTC))
    script = tmp_path / "student.py"
    script.write_text(STUDENT)
    proc = spawn([str(script), str(db), "demo", "100000", "1"], tmp_path)
    committed: list[tuple[int, int]] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while len(committed) < 150 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else "student died"
        review_id, card_id = map(int, line.split())
        committed.append((review_id, card_id))
    os.kill(proc.pid, signal.SIGKILL)  # somewhere in the middle of the next grade
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    proc.stdout.close()
    proc.stderr.close()
    assert len(committed) == 150
    assert (tmp_path / "p.db-wal").exists()  # the kill left the WAL behind, unmerged
    check_consistent(db, committed)
    with Store.open(db) as store:  # and the store opens and carries on
        assert len(store.reviews()) >= 150


def test_two_students_and_a_sync_never_lock_or_lose(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    alpha = write_deck(tmp_path / "alpha.yaml", "alpha", 3000)
    with Store.open(db) as store:
        sync_files(
            store, [alpha, write_deck(tmp_path / "beta.yaml", "beta", 400)], now=datetime.now(UTC)
        )
    script = tmp_path / "student.py"
    script.write_text(STUDENT)
    stop = tmp_path / "stop"
    students = [
        spawn([str(script), str(db), "alpha", "100000", "2", str(stop)], tmp_path),
        spawn([str(script), str(db), "beta", "100000", "3", str(stop)], tmp_path),
    ]
    syncs = []
    for version in range(1, 6):  # each sync edits every item and retires a tenth
        write_deck(alpha, "alpha", 3000, version)
        done = subprocess.run(
            [sys.executable, "-m", "hccquiz", "sync", "--db", str(db), str(alpha)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=tmp_path,
        )
        syncs.append(done)
    stop.touch()  # the students graded all through the syncs
    committed: list[tuple[int, int]] = []
    for proc in students:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        assert "locked" not in err and "busy" not in err
        lines = out.splitlines()
        assert lines[-1] == "done"
        committed += [tuple(map(int, line.split())) for line in lines[:-1]]  # type: ignore[misc]
    for done in syncs:
        assert done.returncode == 0, done.stderr
        assert "updated alpha" in done.stdout
    assert len(committed) > 20
    check_consistent(db, committed)
    with Store.open(db) as store:
        assert len(store.reviews()) == len(committed)
        alpha_cards = {c.id for c in store.cards(store.card_ids()) if c.deck_id == "alpha"}
        assert len(alpha_cards) == 2700  # version 5 retired a tenth


def test_a_writer_waits_out_a_long_transaction(tmp_path: Path) -> None:
    import threading

    from hccquiz.store import StoreBusy

    db = tmp_path / "p.db"
    with Store.open(db) as holder, Store.open(db, busy_timeout=0.05, retry_seconds=10) as patient:
        holder._conn.execute("BEGIN IMMEDIATE")  # e.g. a long sync in another process
        release = threading.Timer(0.6, lambda: holder._conn.execute("COMMIT"))
        release.start()
        start = time.monotonic()
        patient.set_setting("scale", "six")  # retried past its 50 ms busy timeout
        assert time.monotonic() - start >= 0.5
        release.join()
        assert patient.settings() == {"scale": "six"}
        with Store.open(db, busy_timeout=0.05, retry_seconds=0.2) as hasty:
            holder._conn.execute("BEGIN IMMEDIATE")
            with pytest.raises(StoreBusy, match="locked by another process"):
                hasty.set_setting("scale", "four")
            holder._conn.execute("ROLLBACK")
            assert hasty.settings() == {"scale": "six"}
