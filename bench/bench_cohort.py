"""Cohort benchmarks (issue 13).

1. `hccquiz cohort report` on 1,000 trainees x 5,000 reviews (5,000,000 rows) over a
   500-item deck, from one Parquet log per trainee (and from CSV), against a bare DuckDB
   scan of the same files (read every row, one GROUP BY), interleaved. Peak RSS from
   wait4. Targets: <= 10 s and <= 1 GB.
2. `hccquiz progress export` of a 1,000,000-review database (the engine benchmark's
   collection, built here if not given) to CSV and to Parquet, against a bare sqlite3 +
   csv.writer script writing the same joined rows. Target: <= 5 s.

Command: .venv/bin/python bench/bench_cohort.py --runs 5 [--workdir DIR] [--collection DB]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from collection import build_collection, write_decks
from deckgen import write_deck

PY = sys.executable
TRAINEES, REVIEWS, ITEMS = 1000, 5000, 500


def run(argv: list[str]) -> tuple[float, int, float]:
    """Run a process: (wall seconds, peak RSS in KiB, CPU seconds, user + system)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{argv} failed:\n{err.decode()}")
    return wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def build_cohort(work: Path) -> tuple[Path, Path, Path]:
    """The deck, and the cohort's logs as Parquet and as CSV (one file per trainee)."""
    from hccquiz.deck.content import item_contents
    from hccquiz.deck.file import load_deck
    from hccquiz.deck.models import ChoiceItem
    from hccquiz.progress.duck import connect
    from hccquiz.progress.format import COLUMN_NAMES, FORMAT_VERSION, PARQUET_KEY

    deck_path = write_deck(work / "cohort-deck.yaml", ITEMS)
    deck = load_deck(deck_path)
    rng = random.Random(13)
    cards = []
    for item, (_, digest) in zip(deck.items, item_contents(deck.items), strict=True):
        levels = json.dumps([v.value for v in deck.item_levels(item)], separators=(",", ":"))
        options = key = None
        if isinstance(item, ChoiceItem):
            options = json.dumps(item.choices, separators=(",", ":"))
            key = json.dumps([item.answer], separators=(",", ":"))
        b = rng.gauss(0, 1.2)
        for number in range(1, item.card_count + 1):
            cards.append((item.id, number, item.type, digest, levels, options, key, b))
    conn = connect(memory_limit="4GB")
    conn.execute(
        "CREATE TABLE cards (item_id VARCHAR, card INT, item_type VARCHAR, content_hash "
        "VARCHAR, levels VARCHAR, options VARCHAR, key VARCHAR, b DOUBLE)"
    )
    conn.executemany("INSERT INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?)", cards)
    conn.execute("CREATE TABLE numbered AS SELECT *, row_number() OVER () - 1 AS n FROM cards")
    (n_cards,) = conn.execute("SELECT count(*) FROM numbered").fetchone()
    conn.execute(f"""
        CREATE TABLE log AS
        WITH t AS (
            SELECT t AS tn, printf('trainee-%04d', t) AS trainee, (hash(t) % 2000) / 1000.0 - 1
                AS theta FROM range({TRAINEES}) r(t)
        ), r AS (
            SELECT t.*, s AS seq, hash(t.tn * 7919 + s) % {n_cards} AS n,
                   (hash(t.tn * 104729 + s) % 1000000) / 1000000.0 AS u
            FROM t, range(1, {REVIEWS + 1}) g(s)
        )
        SELECT r.trainee, r.seq, c.*, r.u < 1 / (1 + exp(-1.4 * (r.theta - c.b))) AS correct,
               TIMESTAMPTZ '2026-03-01 07:00:00+00' + to_minutes((r.seq * 52)::BIGINT)
                   + to_minutes((r.tn % 600)::BIGINT) AS ts
        FROM r JOIN numbered c USING (n)
    """)
    columns = ", ".join(
        {
            "format_version": f"{FORMAT_VERSION} AS format_version",
            "log_rows": f"{REVIEWS} AS log_rows",
            "app": "'hccquiz' AS app",
            "scheduler": "'sm2' AS scheduler",
            "deck_id": f"'{deck.id}' AS deck_id",
            "kind": "'study' AS kind",
            "card_state": "CASE WHEN row_number() OVER (PARTITION BY trainee, item_id, card "
            "ORDER BY seq) = 1 THEN 'new' ELSE 'review' END AS card_state",
            "grade": "CASE WHEN correct THEN 4 ELSE 2 END AS grade",
            "answer_ms": "3000 + (hash(seq * 31 + length(trainee)) % 20000)::INT AS answer_ms",
            "reviewed_at": "date_trunc('minute', ts) AS reviewed_at",
            "day": "ts::DATE AS day",
            "interval_days": "CASE WHEN correct THEN 1 + seq % 40 ELSE 1 END AS interval_days",
            "due": "ts::DATE + (CASE WHEN correct THEN 1 + seq % 40 ELSE 1 END)::INT AS due",
            "picked": "CASE WHEN item_type = 'choice' THEN CASE WHEN correct THEN key ELSE "
            "'[' || json_extract(options, '$[' || (1 + seq % 3) || ']')::VARCHAR || ']' END "
            "END AS picked",
        }.get(name, name)
        for name in COLUMN_NAMES
    )
    conn.execute(f"CREATE TABLE out AS SELECT {columns} FROM log ORDER BY trainee, seq")
    parquet, csv = work / "parquet", work / "csv"
    conn.execute(
        f"COPY out TO '{parquet}' (FORMAT parquet, PARTITION_BY (trainee), "
        f"WRITE_PARTITION_COLUMNS true, KV_METADATA {{'{PARQUET_KEY}': '{FORMAT_VERSION}'}})"
    )
    conn.execute(
        f"COPY out TO '{csv}' (FORMAT csv, HEADER, PARTITION_BY (trainee), "
        "WRITE_PARTITION_COLUMNS true, TIMESTAMPFORMAT '%Y-%m-%dT%H:%M:00Z')"
    )
    conn.close()
    return deck_path, parquet, csv


def _table(times: dict[str, list[float]], cpu: dict[str, list[float]], rss: dict[str, int],
           base: str) -> None:  # fmt: skip
    peer = statistics.median(times[base])
    print("| measure | median s | ratio | CPU s | peak RSS MB |\n|---|---|---|---|---|")
    for name, values in times.items():
        m = statistics.median(values)
        c = statistics.median(cpu[name])
        print(f"| {name} | {m:.2f} | {m / peer:.2f} | {c:.1f} | {rss[name] / 1024:.0f} |")


def _measure(commands: dict[str, list[str]], runs: int, base: str) -> None:
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    rss: dict[str, int] = {}
    for _ in range(runs):  # interleaved, so that all see the same machine load
        for name, argv in commands.items():
            wall, peak, used = run(argv)
            times.setdefault(name, []).append(wall)
            cpu.setdefault(name, []).append(used)
            rss[name] = max(rss.get(name, 0), peak)
    _table(times, cpu, rss, base)


def _peer(sql: str) -> str:
    """A bare script running `sql` in DuckDB (2 threads) on the logs given as argv[1]."""
    return (
        "import sys, duckdb\n"
        "c = duckdb.connect(config={'threads': 2})\n"
        f"c.execute({sql!r}, [sys.argv[1]]).fetchall()\n"
    )


def measure_report(work: Path, runs: int) -> None:
    deck, parquet, csv = (work / "cohort-deck.yaml", work / "parquet", work / "csv")
    bare = _peer("SELECT trainee, count(*), avg(grade) FROM read_parquet(?) GROUP BY ALL")
    facility = _peer(
        "SELECT deck_id, item_id, card, content_hash, avg(x) FROM (SELECT trainee, deck_id, "
        "item_id, card, content_hash, arg_min(correct, seq)::INT AS x FROM read_parquet(?) "
        "GROUP BY ALL) GROUP BY ALL"
    )
    glob_p, glob_c = f"{parquet}/*/*.parquet", f"{csv}/*/*.csv"
    report = [PY, "-m", "hccquiz", "cohort", "report", "--deck", str(deck), "--as-of",
              "2026-09-01"]  # fmt: skip
    _measure(
        {
            "bare DuckDB scan of the Parquet logs (one GROUP BY)": [PY, "-c", bare, glob_p],
            "bare facility per question (first answers, one GROUP BY)": [
                PY,
                "-c",
                facility,
                glob_p,
            ],
            "cohort report, Parquet logs": [
                *report,
                glob_p,
                "-o",
                str(work / "r.html"),
                "--json",
                str(work / "r.json"),
            ],
            "cohort report, CSV logs": [*report, glob_c, "-o", str(work / "r2.html")],
        },
        runs,
        "bare DuckDB scan of the Parquet logs (one GROUP BY)",
    )
    html = work / "r.html"
    print(f"\nreport: {html.stat().st_size / 1e6:.1f} MB of HTML")


def measure_export(work: Path, collection: Path, runs: int) -> None:
    from hccquiz.store import Store

    with Store.open(collection) as store:  # migrate once (0007), outside the timings
        total = store.reviews_total()
    bare = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(
    "SELECT r.id, i.deck_id, i.key, c.number, i.type, r.content_hash, i.levels, r.kind, "
    "r.quality, r.answer_ms, r.reviewed_at, r.day, r.interval_after, r.due_after, r.picked "
    "FROM reviews r JOIN cards c ON c.id = r.card_id JOIN items i ON i.id = c.item_id "
    "ORDER BY r.id")
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    while batch := rows.fetchmany(20000):
        w.writerows(batch)
"""
    commands = {
        "bare sqlite3 + csv.writer, same join": [PY, "-c", bare, str(collection),
                                                 str(work / "bare.csv")],
        "progress export to CSV": [PY, "-m", "hccquiz", "progress", "export", "--db",
                                   str(collection), "-o", str(work / "export.csv")],
        "progress export to Parquet": [PY, "-m", "hccquiz", "progress", "export", "--db",
                                       str(collection), "-o", str(work / "export.parquet")],
    }  # fmt: skip
    print(f"\nexport of {total:,} reviews\n")
    _measure(commands, runs, "bare sqlite3 + csv.writer, same join")
    sizes = {p: (work / p).stat().st_size / 1e6 for p in ("export.csv", "export.parquet")}
    print(f"\nfiles: CSV {sizes['export.csv']:.0f} MB, Parquet {sizes['export.parquet']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--collection", type=Path, help="a 1M-review database to copy")
    parser.add_argument("--only", choices=["report", "export"])
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="cohortbench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.only != "export":
            if not (work / "parquet").exists():
                t = time.perf_counter()
                build_cohort(work)
                print(f"built the cohort in {time.perf_counter() - t:.0f} s", file=sys.stderr)
            measure_report(work, args.runs)
        if args.only != "report":
            db = work / "collection.db"
            if not db.exists():
                if args.collection:
                    shutil.copyfile(args.collection, db)
                else:  # the engine benchmark's collection: 10 decks, 1,000,000 reviews
                    rng = random.Random(20250301)
                    build_collection(db, write_decks(work, 10, rng), rng, 1_000_000)
            measure_export(work, db, args.runs)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    os.sync()


if __name__ == "__main__":
    main()
