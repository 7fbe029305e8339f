"""Benchmark: a million cards. Sync of 100 decks (1,000,000 cards) and `stats` on them.

    python bench/bench_scale.py [--runs 2] [--workdir DIR] [--decks-from DIR]

The decks: 100 files of 6,000 items (2,000 basic, 2,000 choice, 2,000 three-deletion
cloze: 10,000 cards each, 3.8 MB each), made from the engine benchmark's ten decks
(``--decks-from`` its workdir, else written here) with new deck ids. Measured, whole
processes, medians:

- ``hccquiz sync`` of all 100 files into a fresh database: wall time and peak RSS;
- ``hccquiz sync`` of the same files again (every file unchanged);
- ``hccquiz stats`` on the million cards, with 1,000,000 simulated reviews in their log
  and a busy day (2,000 grades today), interleaved with ``stats`` on the 100k collection
  if the engine benchmark's is given.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from collection import add_busy_day, simulate, write_decks
from timing import PY, Results

HCCQUIZ = [PY, "-m", "hccquiz"]
DECKS = 100


def make_decks(work: Path, source: Path | None) -> list[Path]:
    """100 deck files with distinct ids, copied from ten generated ones."""
    found = sorted(work.glob("scale-*.yaml"))
    if len(found) == DECKS:
        return found
    base = sorted(source.glob("bench-*.yaml")) if source else []
    if len(base) != 10:
        base = write_decks(work, 10, random.Random(20250301))
    texts = [path.read_text() for path in base]
    out = []
    for n in range(DECKS):
        text = texts[n % 10]
        first, rest = text.split("\n", 1)
        assert first.startswith("id: "), first
        out.append(work / f"scale-{n:03d}.yaml")
        out[-1].write_text(f"id: scale-{n:03d}\n{rest.replace('title: bench-', 'title: s', 1)}")
    return out


def add_history(db: Path) -> None:
    """1,000,000 simulated reviews and a busy day, written straight into the log."""
    import sqlite3

    from collection import REVIEW_COLUMNS

    rng = random.Random(7)
    conn = sqlite3.connect(db)
    card_ids = [r[0] for r in conn.execute("SELECT id FROM cards")]
    rows, states = simulate(card_ids, rng, 1_000_000)
    with conn:
        conn.executemany(
            f"INSERT INTO reviews ({REVIEW_COLUMNS}) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 'bench')",
            rows,
        )
        conn.executemany(
            "UPDATE cards SET repetitions = ?, ef100 = ?, interval = ?, due = ? WHERE id = ?",
            states,
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    add_busy_day(db, 2000, rng)


def main() -> None:
    """Build the decks, sync them, measure stats, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="runs of the million-card sync")
    parser.add_argument("--workdir", type=Path, help="where to build (kept)")
    parser.add_argument("--decks-from", type=Path, help="the engine benchmark's workdir")
    parser.add_argument("--history", type=Path, help=argparse.SUPPRESS)  # the children
    parser.add_argument("--make-decks", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.history:
        add_history(args.history)
        return
    if args.make_decks:
        make_decks(args.make_decks, args.decks_from)
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="hccquiz-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        # the decks are made in a child, like the history: a child's peak RSS on Linux
        # starts from its parent's at fork time, and this process stays small
        subprocess.run([PY, __file__, "--make-decks", str(work), *(["--decks-from",
                        str(args.decks_from)] if args.decks_from else [])], check=True)  # fmt: skip
        decks = sorted(work.glob("scale-*.yaml"))
        res = Results()
        db = work / "million.db"
        for n in range(args.runs):
            for path in work.glob("fresh.db*"):
                path.unlink()
            fresh = work / "fresh.db"
            res.process("sync 1,000,000 cards, fresh db", [*HCCQUIZ, "sync", "--db", str(fresh),
                        *map(str, decks)])  # fmt: skip
            if n == 0:
                out = res.process("re-sync, 100 unchanged files", [*HCCQUIZ, "sync", "--db",
                                  str(fresh), *map(str, decks)])  # fmt: skip
                assert out.count("unchanged") == DECKS, out[:500]
                for path in work.glob("million.db*"):
                    path.unlink()
                shutil.copyfile(fresh, db)
        # in a child: a child's peak RSS on Linux starts from its parent's at fork time
        subprocess.run([PY, __file__, "--history", str(db)], check=True)
        steps = [lambda: res.process("`hccquiz stats`, 1,000,000 cards", [*HCCQUIZ, "stats",
                                     "--all-decks", "--db", str(db)])]  # fmt: skip
        engine = args.decks_from / "collection.db" if args.decks_from else None
        if engine and engine.exists():
            steps.append(lambda: res.process("`hccquiz stats`, 100,000 cards", [*HCCQUIZ,
                         "stats", "--all-decks", "--db", str(engine)]))  # fmt: skip
        res.rounds(5, steps)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    print(f"## A million cards ({date.today().isoformat()})\n")
    print(f"{DECKS} decks, 600,000 items, 1,000,000 cards, 380 MB of YAML.\n")
    print("| measure | median | peak RSS | target |\n|---|---|---|---|")
    targets = {
        "sync 1,000,000 cards, fresh db": "≤ 60 s, ≤ 300 MB",
        "`hccquiz stats`, 1,000,000 cards": "≤ 500 ms",
    }
    for name in res.times:
        print(f"| {name} | {res.ms(name) / 1000:.2f} s | {res.mb(name):.0f} MB | "
              f"{targets.get(name, '')} |")  # fmt: skip


if __name__ == "__main__":
    main()
