"""Progress databases with history, and damaged copies of them, made at run time.

`progress_db` builds a real hccquiz database through the store (a deck synced, some cards
studied); `damaged_copies` writes copies with bytes flipped or b-tree page headers trashed,
the way the adversarial run of issue 11 damaged them. Shared by the tests and by
``bench/bench_hostile.py``.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import yaml

from hccquiz.clock import FixedClock
from hccquiz.store import Store
from hccquiz.study import StudyConfig, Workspace
from hccquiz.study.sync import sync_files

NOW = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


def write_deck(path: Path, n: int = 400, deck_id: str = "demo") -> Path:
    """A valid deck of `n` basic items."""
    items = [
        {"id": f"q{i}", "question": f"Question {i} about overall survival?", "answer": f"A{i}"}
        for i in range(n)
    ]
    data = {"id": deck_id, "title": "Demo", "levels": ["resident"], "items": items}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def progress_db(path: Path, deck: Path, graded: int = 60) -> Path:
    """A database at `path` with `deck` synced and `graded` cards studied."""
    with Store.open(path) as store:
        sync_files(store, [deck], now=NOW)
        session = workspace(store).session()
        for _ in range(graded):
            if session.next_card() is None:
                break
            session.grade(4, answer_ms=1000)
    return path


def workspace(store: Store) -> Workspace:
    """A workspace with a fixed clock and seeded randomness."""
    return Workspace(
        store,
        clock=FixedClock(NOW),
        rng=random.Random(1),
        config=StudyConfig(tz=UTC, new_per_day=1000),
    )


def page_size(raw: bytes) -> int:
    size = int.from_bytes(raw[16:18], "big")
    return 65536 if size == 1 else size


def damaged_copies(source: Path, folder: Path, count: int = 18, seed: int = 11) -> list[Path]:
    """`count` damaged copies of the database `source`: half with random bytes flipped
    inside one page, half with one b-tree page header overwritten (pages 2 and up; page 1
    holds the header and the schema)."""
    raw = source.read_bytes()
    size = page_size(raw)
    pages = len(raw) // size
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for n in range(count):
        data = bytearray(raw)
        page = rng.randrange(1, pages)  # 0-based: never the first page
        start = page * size
        if n % 2:
            for _ in range(16):
                data[start + rng.randrange(size)] ^= 1 << rng.randrange(8)
        else:
            data[start : start + 12] = bytes(rng.randrange(256) for _ in range(12))
        copy = folder / f"damaged-{n:02d}.db"
        copy.write_bytes(bytes(data))
        copies.append(copy)
    return copies


def integrity_ok(path: Path) -> bool:
    """SQLite's full ``PRAGMA integrity_check``, reading the file as immutable (nothing is
    made beside it)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def copy_db(source: Path, target: Path) -> Path:
    """A plain file copy of a closed database."""
    shutil.copyfile(source, target)
    return target
