"""Benchmarks of FSRS beside SM-2 (issue 12). Not a test: it prints a Markdown report.

    python bench/bench_fsrs.py [--runs 5] --workdir DIR

``DIR/collection.db`` is bench_engine's collection (100,000 cards, 1,000,000 reviews, as
``bench_engine.py --workdir DIR`` leaves it); it is built there when missing. Each figure
is the median of ``--runs`` runs, every run on a fresh copy, the two sides of each ratio
run alternately:

- the switch from SM-2 to FSRS (the replay of the whole log), a whole process, against a
  bare read of the same log rows in the same order (the floor any replay pays);
- a SIGKILL halfway through that switch: the database must still be on SM-2 and intact;
- next card + committed grade (p50, p99 over 2,000 cards) with FSRS against SM-2;
- ``hccquiz stats`` with FSRS (its calibration and retrievability) against SM-2;
- ``hccquiz optimize`` on 100,000 reviews (the first 100,000 of the log's cards' answers),
  against fsrs-rs's bare fit of the same items; peak RSS of each.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from bench_engine import STUDY  # noqa: E402
from timing import pct  # noqa: E402


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Run a process: (wall seconds, CPU seconds, peak RSS in KiB, stdout)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, env=env)
        out = proc.stdout.read() if proc.stdout else b""
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.stdout:
            proc.stdout.close()
        if proc.returncode:
            err.seek(0)
            raise SystemExit(f"{argv} failed:\n{err.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, out.decode()


SWITCH = """
import sys
from hccquiz.store import Store
from hccquiz.cli._fsrs import switch_with_bar
with Store.open(sys.argv[1]) as store:
    print(switch_with_bar(store, sys.argv[2]))
"""
BARE_READ = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
n = 0
for row in conn.execute("SELECT card_id, id, day, quality, reviewed_at FROM reviews "
                        "INDEXED BY reviews_by_card WHERE kind IN ('study', 'drill') "
                        "ORDER BY card_id, id"):
    n += 1
print(n)
"""
BARE_FIT = """
import sqlite3, sys
from datetime import date
import fsrs_rs_python as rs
conn = sqlite3.connect(sys.argv[1])
cards = {}
for card, day, q in conn.execute("SELECT card_id, day, quality FROM reviews WHERE kind IN "
                                 "('study', 'drill') ORDER BY card_id, id"):
    cards.setdefault(card, []).append((date.fromisoformat(day), q))
items = []
for history in cards.values():
    reviews = []
    for k, (day, q) in enumerate(history):
        gap = (day - history[k - 1][0]).days if k else 0
        reviews.append(rs.FSRSReview(max(1, q - 1) if q >= 3 else 1, gap))
        if k and gap > 0:
            items.append(rs.FSRSItem(list(reviews)))
rs.FSRS(rs.DEFAULT_PARAMETERS).compute_parameters(items)
"""


def copy(collection: Path, to: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{to}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(collection, to)
    return to


def killed_halfway(collection: Path, work: Path, after: float) -> dict[str, object]:
    """Start a switch, SIGKILL it ``after`` seconds in, and check what is left."""
    db = copy(collection, work / "killed.db")
    proc = subprocess.Popen([PY, "-c", SWITCH, str(db), "fsrs"], stderr=subprocess.DEVNULL)
    time.sleep(after)
    alive = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    result = {
        "killed while running": alive,
        "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
        "scheduler": (conn.execute("SELECT value FROM settings WHERE key = 'scheduler'")
                      .fetchone() or ["sm2 (unset)"])[0],
        "cards with FSRS memory": conn.execute(
            "SELECT count(*) FROM cards WHERE stability IS NOT NULL").fetchone()[0],
        "reviews": conn.execute("SELECT count(*) FROM reviews").fetchone()[0],
    }  # fmt: skip
    conn.close()
    return result


def small_log(collection: Path, work: Path, reviews: int) -> Path:
    """A copy whose log keeps whole card histories up to ``reviews`` answers."""
    db = copy(collection, work / "small.db")
    conn = sqlite3.connect(db)
    cut = conn.execute(
        "SELECT card_id FROM (SELECT card_id, sum(count(*)) OVER (ORDER BY card_id) AS n "
        "FROM reviews GROUP BY card_id) WHERE n <= ? ORDER BY card_id DESC LIMIT 1",
        (reviews,),
    ).fetchone()[0]
    with conn:
        conn.execute("DROP TRIGGER reviews_undo_latest_only")
        conn.execute("DELETE FROM reviews WHERE card_id > ?", (cut,))
        conn.execute("UPDATE cards SET due = NULL, repetitions = 0 WHERE id > ?", (cut,))
    conn.execute("VACUUM")
    conn.close()
    return db


def measure(work: Path, runs: int) -> None:
    collection = work / "collection.db"
    env = {k: v for k, v in os.environ.items() if k != "HCCQUIZ_DB"}
    times: dict[str, list[float]] = {}
    cpus: dict[str, list[float]] = {}
    rss: dict[str, int] = {}

    def timed(name: str, argv: list[str]) -> str:
        wall, cpu, peak, out = run(argv, env)
        times.setdefault(name, []).append(wall)
        cpus.setdefault(name, []).append(cpu)
        rss[name] = max(rss.get(name, 0), peak)
        return out

    fsrs_db = work / "fsrs.db"
    for _ in range(runs):
        timed("bare read of the log", [PY, "-c", BARE_READ, str(copy(collection, work / "r.db"))])
        db = copy(collection, fsrs_db)
        timed("switch to FSRS (replay)", [PY, "-c", SWITCH, str(db), "fsrs"])
    kill = killed_halfway(collection, work, statistics.median(times["switch to FSRS (replay)"]) / 2)
    sm2_db = copy(collection, work / "sm2.db")
    for _ in range(runs):
        timed("stats, SM-2", [PY, "-m", "hccquiz", "stats", "--all-decks", "--db", str(sm2_db)])
        timed("stats, FSRS", [PY, "-m", "hccquiz", "stats", "--all-decks", "--db", str(fsrs_db)])
    latencies: dict[str, list[list[float]]] = {"sm2": [], "fsrs": []}
    for _ in range(runs):
        for name, source in (("sm2", sm2_db), ("fsrs", fsrs_db)):
            db = copy(source, work / "session.db")
            out = timed(f"session, {name}", [PY, "-c", STUDY, str(db), "2000"])
            data = json.loads(out.strip().splitlines()[-1])
            latencies[name].append(data["times"])
    small = small_log(collection, work, 100_000)
    n_small = sqlite3.connect(small).execute("SELECT count(*) FROM reviews").fetchone()[0]
    for _ in range(runs):
        timed("bare fsrs-rs fit", [PY, "-c", BARE_FIT, str(small)])
        db = copy(small, work / "opt.db")
        timed("hccquiz optimize", [PY, "-m", "hccquiz", "optimize", "--db", str(db)])
    med = {name: statistics.median(values) for name, values in times.items()}
    cpu = {name: statistics.median(values) for name, values in cpus.items()}
    p = {
        (name, q): statistics.median(pct(t, q) for t in latencies[name]) * 1000
        for name in latencies
        for q in (0.5, 0.99)
    }
    print(f"## FSRS benchmarks (median of {runs} runs, {os.cpu_count()} CPUs)\n")
    rows = [("figure", "result", "ratio", "target"), ("---",) * 4]
    sw, read = med["switch to FSRS (replay)"], med["bare read of the log"]
    rows += [
        ("bare read of the 1M-review log in card order, whole process", f"{read:.2f} s",
         "1.00", ""),
        ("switch SM-2 → FSRS (replay of 1M reviews), whole process",
         f"**{sw:.2f} s** (CPU {cpu['switch to FSRS (replay)']:.1f} s)", f"{sw / read:.2f}",
         "≤ 30 s"),
        (f"SIGKILL at {sw / 2:.1f} s into the switch", str(kill), "", "on SM-2, intact"),
    ]  # fmt: skip
    for name in ("sm2", "fsrs"):
        rows.append((
            f"next card + grade, {name}, p50 / p99",
            f"{p[name, 0.5]:.2f} / **{p[name, 0.99]:.2f} ms**",
            f"{p[name, 0.99] / p['sm2', 0.99]:.2f}",
            "≤ 5 ms",
        ))  # fmt: skip
    s_sm2, s_fsrs = med["stats, SM-2"], med["stats, FSRS"]
    fit, opt = med["bare fsrs-rs fit"], med["hccquiz optimize"]
    rows += [
        ("`hccquiz stats`, SM-2", f"{s_sm2 * 1000:.0f} ms", "1.00", ""),
        ("`hccquiz stats`, FSRS", f"{s_fsrs * 1000:.0f} ms", f"{s_fsrs / s_sm2:.2f}", ""),
        (f"bare fsrs-rs fit of the {n_small:,}-review log, whole process", f"{fit:.2f} s",
         "1.00", ""),
        (f"`hccquiz optimize` on {n_small:,} reviews, whole process",
         f"**{opt:.2f} s** (CPU {cpu['hccquiz optimize']:.1f} s)", f"{opt / fit:.2f}", "≤ 60 s"),
    ]  # fmt: skip
    for name, peak in rss.items():
        limit = "≤ 500 MB" if name == "hccquiz optimize" else ""
        rows.append((f"peak RSS, {name}", f"{peak / 1024:.0f} MB", "", limit))
    print(f"## FSRS benchmarks (median of {runs} runs, {os.cpu_count()} CPUs)\n")
    print("\n".join("| " + " | ".join(row) + " |" for row in rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--workdir", type=Path, required=True, help="where the collection is")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if not (args.workdir / "collection.db").exists():
        subprocess.run(
            [PY, str(HERE / "bench_engine.py"), "--build", str(args.workdir)], check=True
        )
    measure(args.workdir, args.runs)


if __name__ == "__main__":
    main()
