"""Benchmarks of the scheduling engine (issue 3). Not a test: it prints a Markdown report.

    python bench/bench_engine.py [--runs 5] [--workdir DIR] [--keep]

What it measures, each as the median of ``--runs`` runs (whole processes unless noted):

- cold sync of a 10,000-item deck into a fresh database (``hccquiz sync``), against a bare
  ``yaml.load(f, Loader=yaml.CSafeLoader)`` of the same file in its own process, timed
  alternately in the same run; and the same cold sync into the 100,000-card collection;
- re-sync of the unchanged deck (in process, the store already open; and whole process);
- next-card latency on the collection: ``Session.next_card()`` plus ``Session.grade()``,
  which commits the review (``synchronous=FULL``), as p50 and p99 over 2,000 cards;
- ``hccquiz stats`` wall time on the collection;
- peak RSS of every process above.

The collection: 10 decks of 6,000 items (2,000 basic, 2,000 choice, 2,000 three-deletion
cloze), so 100,000 cards, synced through the store; then 1,000,000 reviews simulated with
`hccquiz.sm2` over the past two years (study grades, same-day drills and quizzes) and bulk
written straight into the review log with sqlite3, since a million separate durable commits
would take hours. Everything is seeded: the same data every run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hccquiz.deck.levels import LEVEL_VALUES

LEVELS = list(LEVEL_VALUES)
WORDS = [
    "survival",
    "hazard",
    "ratio",
    "atezolizumab",
    "bevacizumab",
    "sorafenib",
    "hepatocellular",
    "carcinoma",
    "progression",
    "free",
    "overall",
    "response",
    "rate",
    "confidence",
    "interval",
    "trial",
    "phase",
    "randomized",
    "patients",
    "months",
    "median",
    "bleeding",
    "varices",
    "child",
    "pugh",
    "albi",
    "toxicity",
    "endpoint",
]
TODAY = date.today()
PY = sys.executable


def deck_data(deck_id: str, rng: random.Random, *, basic: int, choice: int, cloze: int) -> dict:
    """A synthetic deck whose items are about the size of the bundled deck's (~650 bytes)."""

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()

    items = []
    kinds = ["basic"] * basic + ["choice"] * choice + ["cloze"] * cloze
    rng.shuffle(kinds)
    for i, kind in enumerate(kinds):
        item = {
            "id": f"item-{i}",
            "type": kind,
            "levels": rng.sample(LEVELS, 2),
            "tags": rng.sample(["efficacy", "safety", "design", "stats", "history"], 2),
            "source": f"Section {i % 17}",
            "explanation": words(22),
        }
        if kind == "basic":
            item.update(question=words(20) + "?", answer=words(6))
        elif kind == "choice":
            options = [f"{words(4)} {j}" for j in range(4)]
            item.update(question=words(18) + "?", choices=options, answer=options[1])
        else:
            item["text"] = (
                f"{words(10)} {{{{c1::{words(2)}}}}} {words(8)} "
                f"{{{{c2::{words(2)}}}}} {words(6)} {{{{c3::{words(1)}}}}}."
            )
        items.append(item)
    return {"id": deck_id, "title": deck_id, "levels": ["resident"], "items": items}


def write_yaml(path: Path, data: dict) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    return path


def run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Run a process: (wall seconds, peak RSS in KiB, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out = proc.stdout.read() if proc.stdout else b""
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{argv} failed:\n{err.decode()}")
    return wall, usage.ru_maxrss, out.decode()


def build_collection(folder: Path, rng: random.Random) -> Path:
    """100,000 cards in 10 decks, then 1,000,000 simulated reviews."""
    from hccquiz.store import Store
    from hccquiz.study.sync import sync_files

    db = folder / "collection.db"
    decks = [
        write_yaml(
            folder / f"bench-{n}.yaml",
            deck_data(f"bench-{n}", rng, basic=2000, choice=2000, cloze=2000),
        )
        for n in range(10)
    ]
    with Store.open(db, durable=False) as store:
        sync_files(store, decks, now=datetime.now(UTC))
        card_ids = store.card_ids()
    assert len(card_ids) == 100_000, len(card_ids)
    reviews, states = simulate(card_ids, rng, 1_000_000)
    assert len(reviews) == 1_000_000, len(reviews)
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO reviews (card_id, reviewed_at, day, kind, quality, answer_ms, "
            "repetitions_before, ef100_before, interval_before, due_before, changed_before, "
            "repetitions_after, ef100_after, interval_after, due_after, content_hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 'bench')",
            reviews,
        )
        conn.executemany(
            "UPDATE cards SET repetitions = ?, ef100 = ?, interval = ?, due = ? WHERE id = ?",
            states,
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def simulate(card_ids: list[int], rng: random.Random, total: int) -> tuple[list, list]:
    """SM-2 histories over the last two years until ``total`` review rows exist."""
    from hccquiz.sm2 import SM2State, review

    rows: list[tuple] = []
    states: list[tuple] = []
    order = card_ids[:]
    rng.shuffle(order)
    grades = [2] * 8 + [3] * 15 + [4] * 52 + [5] * 25
    for card_id in order:
        if len(rows) >= total:
            break
        state, due = SM2State(), None
        day = TODAY - timedelta(days=rng.randint(1, 730))
        while day < TODAY and len(rows) < total:
            q = rng.choice(grades)
            after = review(state, q)
            new_due = day + timedelta(days=after.interval)
            at = f"{day.isoformat()}T{rng.randint(8, 22):02d}:{rng.randint(0, 59):02d}:00.000Z"
            before_due = due.isoformat() if due else None
            rows.append(
                (
                    card_id,
                    at,
                    day.isoformat(),
                    "study",
                    q,
                    rng.randint(2000, 20000),
                    state.repetitions,
                    state.ef100,
                    state.interval,
                    before_due,
                    after.repetitions,
                    after.ef100,
                    after.interval,
                    new_due.isoformat(),
                )
            )
            # drills and quizzes leave the schedule as the study grade left it
            unchanged = (after.repetitions, after.ef100, after.interval, new_due.isoformat()) * 2
            if q < 4:
                rows.append((card_id, at, day.isoformat(), "drill", 4, 3000, *unchanged))
            if rng.random() < 0.05:
                quality = rng.choice([2, 4])
                rows.append((card_id, at, day.isoformat(), "quiz", quality, 5000, *unchanged))
            state, due, day = after, new_due, new_due
        if due is not None:
            states.append(
                (state.repetitions, state.ef100, state.interval, due.isoformat(), card_id)
            )
    return rows[:total], states


NEXT_CARD = """
import json, sys, time
from hccquiz.clock import SystemClock
from hccquiz.store import Store
from hccquiz.study import Session, StudyConfig
db, count = sys.argv[1], int(sys.argv[2])
with Store.open(db) as store:
    t = time.perf_counter()
    session = Session(store, clock=SystemClock(),
                      config=StudyConfig(new_per_day=500, reviews_per_day=100_000))
    build = time.perf_counter() - t
    times = []
    for n in range(count):
        t = time.perf_counter()
        card = session.next_card()
        if card is None:
            break
        session.grade(4 if n % 7 else 2)
        times.append(time.perf_counter() - t)
print(json.dumps({"build": build, "times": times}))
"""

RESYNC = """
import json, sys, time
from datetime import UTC, datetime
from hccquiz.store import Store
from hccquiz.study.sync import sync_files
db, deck, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Store.open(db) as store:
    times = []
    for _ in range(count):
        t = time.perf_counter()
        [report] = sync_files(store, [deck], now=datetime.now(UTC))
        times.append(time.perf_counter() - t)
        assert report.status == "unchanged"
print(json.dumps(times))
"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def build(work: Path) -> None:
    """Write the 10,000-item deck and the 100,000-card collection into ``work``."""
    rng = random.Random(20250301)
    t = time.perf_counter()
    deck = write_yaml(
        work / "deck10k.yaml", deck_data("big", rng, basic=3334, choice=3333, cloze=3333)
    )
    collection = build_collection(work, rng)
    print(
        f"built in {time.perf_counter() - t:.0f} s: deck {deck.stat().st_size / 1e6:.1f} MB, "
        f"collection {collection.stat().st_size / 1e6:.0f} MB",
        file=sys.stderr,
    )


def measure(work: Path, runs: int) -> None:
    """Run every measurement on the built files and print the Markdown report."""
    deck, collection, copy = work / "deck10k.yaml", work / "collection.db", work / "copy.db"
    env = {k: v for k, v in os.environ.items() if k != "HCCQUIZ_DB"}
    hccquiz = [PY, "-m", "hccquiz"]
    times: dict[str, list[float]] = {}
    rss: dict[str, int] = {}

    def timed(name: str, argv: list[str]) -> str:
        wall, peak, out = run(argv, env)
        times.setdefault(name, []).append(wall)
        rss[name] = max(rss.get(name, 0), peak)
        return out

    parse_code = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
    for n in range(runs):  # alternate, so that both see the same machine load
        timed("bare YAML parse", [PY, "-c", parse_code, str(deck)])
        fresh = work / f"fresh-{n}.db"
        timed("cold sync, fresh db", [*hccquiz, "sync", "--db", str(fresh), str(deck)])
        shutil.copyfile(collection, copy)
        timed("cold sync, 100k collection", [*hccquiz, "sync", "--db", str(copy), str(deck)])
        timed("hccquiz stats", [*hccquiz, "stats", "--db", str(collection)])
        out = timed("re-sync, whole process", [*hccquiz, "sync", "--db", str(copy), str(deck)])
        assert "unchanged" in out, out
    resync = json.loads(
        timed("re-sync, in process", [PY, "-c", RESYNC, str(copy), str(deck), "50"])
    )
    latencies, builds = [], []
    for _ in range(runs):
        shutil.copyfile(collection, copy)
        data = json.loads(
            timed("study session, 2,000 cards", [PY, "-c", NEXT_CARD, str(copy), "2000"])
        )
        latencies.append(data["times"])
        builds.append(data["build"])
    med = {name: statistics.median(values) * 1000 for name, values in times.items()}
    p50 = statistics.median(pct(t, 0.50) for t in latencies) * 1000
    p99 = statistics.median(pct(t, 0.99) for t in latencies) * 1000
    ratio = med["cold sync, fresh db"] / med["bare YAML parse"]
    ratio_big = med["cold sync, 100k collection"] / med["bare YAML parse"]
    print(
        f"## Engine benchmarks ({date.today().isoformat()}, {os.cpu_count()} CPUs, "
        f"median of {runs} runs)\n"
    )
    print(
        f"Deck: 10,000 items, {deck.stat().st_size / 1e6:.1f} MB of YAML. Collection: "
        f"100,000 cards, 1,000,000 reviews, {collection.stat().st_size / 1e6:.0f} MB.\n"
    )
    print("| figure | result | target |\n|---|---|---|")
    print(f"| bare `yaml.load` (CSafeLoader), whole process | {med['bare YAML parse']:.0f} ms | |")
    print(
        f"| cold sync, fresh db, whole process | {med['cold sync, fresh db']:.0f} ms "
        f"(**{ratio:.2f}×** the bare parse) | ≤ 1.5× |"
    )
    print(
        f"| cold sync into the 100k collection, whole process | "
        f"{med['cold sync, 100k collection']:.0f} ms ({ratio_big:.2f}×) | |"
    )
    print(
        f"| unchanged re-sync, in process | **{statistics.median(resync) * 1000:.1f} ms** "
        "| ≤ 50 ms |"
    )
    print(f"| unchanged re-sync, whole process | {med['re-sync, whole process']:.0f} ms | |")
    print(f"| next card + grade (committed), p50 | **{p50:.2f} ms** | |")
    print(f"| next card + grade (committed), p99 | **{p99:.2f} ms** | ≤ 5 ms |")
    print(f"| session start (the day's queues) | {statistics.median(builds) * 1000:.0f} ms | |")
    print(f"| `hccquiz stats`, whole process | **{med['hccquiz stats']:.0f} ms** | ≤ 300 ms |")
    for name, peak in rss.items():
        print(f"| peak RSS, {name} | {peak / 1024:.0f} MB | ≤ 150 MB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temp dir)")
    parser.add_argument("--reuse", action="store_true", help="reuse files built in --workdir")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # the child that builds
    args = parser.parse_args()
    if args.build:
        build(args.build)
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="hccquiz-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if not (args.reuse and (work / "collection.db").exists()):
            # built in a child, so that this process stays small: a child's peak RSS on
            # Linux starts from its parent's at fork time
            subprocess.run([PY, __file__, "--build", str(work)], check=True)
        measure(work, args.runs)
    finally:
        if args.workdir:
            print(f"work dir kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
