"""Benchmarks of the scheduling engine against the official `anki` package. Not a test: it
prints a Markdown report.

    python bench/bench_engine.py [--runs 5] [--workdir DIR] [--reuse]

Built once (seeded, in a child process): a 10,000-item deck (6.4 MB of YAML); a collection
of 100,000 cards in 10 decks with 1,000,000 simulated reviews (`collection.py`); its busy
day (`busy.db`: 1,990 reviews and 10 new cards already graded today, with their drills);
the same decks as .apkg (``hccquiz export``) and the Anki twin of the busy collection
(`anki_peer.py mirror`: same cards, schedules, review log and today's counts).

Measured, each as the median of ``--runs`` rounds whose order rotates, so that every
figure and its peer see the same machine load:

- cold load: ``hccquiz sync`` of the deck into a fresh database, against Anki creating a
  collection and importing the deck's .apkg, and a bare PyYAML C-loader parse (whole
  processes, with peak RSS);
- cold sync into the 100k collection; unchanged re-sync (whole process and in process);
- ``hccquiz stats`` on the collection and on its busy day;
- the busy day, in process, hccquiz against Anki on the same collection: session start
  (open, the day's queues, first card), then 2,000 times next card + committed answer
  (p50, p99), and the counts shown;
- the same hccquiz loop on the ordinary day (no reviews yet today).
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
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from collection import add_busy_day, build_collection, deck_data, write_decks, write_yaml
from timing import PY, Results, pct, run

HERE = Path(__file__).parent
HCCQUIZ = [PY, "-m", "hccquiz"]
LOOP = 2000

STUDY = """
import json, sys, time
t0 = time.perf_counter()
from hccquiz.clock import SystemClock
from hccquiz.store import Store
from hccquiz.study import Session, StudyConfig
db, count = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
with Store.open(db) as store:
    # hccquiz's limits are per deck (as Anki's are), but Anki's selected parent deck also caps
    # the total at its own 500; 50 a deck over the 10 decks gives hccquiz the same queue
    session = Session(store, clock=SystemClock(),
                      config=StudyConfig(new_per_day=50, reviews_per_day=9999))
    session.next_card()
    first = time.perf_counter() - start
    c = session.counts() if callable(session.counts) else session.counts
    times = []
    for n in range(count):
        t = time.perf_counter()
        card = session.next_card()  # the same card until it is graded
        if card is None:
            break
        session.grade(4 if n % 7 else 2)
        times.append(time.perf_counter() - t)
print(json.dumps({"first": first, "times": times, "counts": [c.new, c.learning, c.review]}))
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


def build(work: Path) -> None:
    """Write the deck, the collection, its busy day, the packages and the Anki twin."""
    rng = random.Random(20250301)
    start = time.perf_counter()
    deck = write_yaml(
        work / "deck10k.yaml", deck_data("big", rng, basic=3334, choice=3333, cloze=3333)
    )
    decks = write_decks(work, 10, rng)
    collection = build_collection(work / "collection.db", decks, rng, 1_000_000)
    shutil.copyfile(collection, work / "busy.db")
    add_busy_day(work / "busy.db", 2000, rng)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    subprocess.run(
        [*HCCQUIZ, "export", str(deck), "-o", str(work / "deck10k.apkg")],
        check=True,
        capture_output=True,
        env=env,
    )
    subprocess.run(
        [*HCCQUIZ, "export", *map(str, decks), "-o", str(work / "all.apkg")],
        check=True,
        capture_output=True,
        env=env,
    )
    twin = work / "anki-busy" / "collection.anki2"
    twin.parent.mkdir(exist_ok=True)
    peer = [PY, str(HERE / "anki_peer.py")]
    subprocess.run(
        [*peer, "mirror", str(work / "busy.db"), str(work / "all.apkg"), str(twin)],
        check=True,
        capture_output=True,
    )
    print(
        f"built in {time.perf_counter() - start:.0f} s: deck {deck.stat().st_size / 1e6:.1f} MB"
        f", collection {collection.stat().st_size / 1e6:.0f} MB",
        file=sys.stderr,
    )


def fresh_dir(base: Path, name: str) -> Path:
    """An empty folder `base/name`."""
    shutil.rmtree(base / name, ignore_errors=True)
    (base / name).mkdir(parents=True)
    return base / name


def measure(work: Path, runs: int) -> None:
    """Run every measurement on the built files and print the Markdown report."""
    deck, collection, busy = work / "deck10k.yaml", work / "collection.db", work / "busy.db"
    twin = work / "anki-busy" / "collection.anki2"
    tmp = work / "tmp"
    env = {k: v for k, v in os.environ.items() if k != "HCCQUIZ_DB"}
    res = Results()
    loops: dict[str, list[dict]] = {"hccquiz busy": [], "anki busy": [], "hccquiz ordinary": []}
    peer = [PY, str(HERE / "anki_peer.py")]
    parse = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"

    def cold_sync() -> None:
        db = fresh_dir(tmp, "fresh") / "p.db"
        res.process("cold sync, fresh db", [*HCCQUIZ, "sync", "--db", str(db), str(deck)], env)

    def anki_import() -> None:
        col = fresh_dir(tmp, "anki") / "collection.anki2"
        res.process(
            "Anki: new collection + import .apkg",
            [*peer, "import", str(work / "deck10k.apkg"), str(col)],
        )

    def into_collection() -> None:
        copy = fresh_dir(tmp, "big") / "p.db"
        shutil.copyfile(collection, copy)
        res.process(
            "cold sync into the 100k collection",
            [*HCCQUIZ, "sync", "--db", str(copy), str(deck)],
            env,
        )
        out = res.process(
            "unchanged re-sync, whole process",
            [*HCCQUIZ, "sync", "--db", str(copy), str(deck)],
            env,
        )
        assert "unchanged" in out, out

    def study(kind: str) -> None:
        folder = fresh_dir(tmp, "study")
        if kind == "anki busy":
            copy = folder / "collection.anki2"
            shutil.copyfile(twin, copy)
            argv = [*peer, "study", str(copy), str(LOOP)]
        else:
            copy = folder / "p.db"
            shutil.copyfile(busy if kind == "hccquiz busy" else collection, copy)
            argv = [PY, "-c", STUDY, str(copy), str(LOOP)]
        _, peak, out = run(argv, env)
        res.rss[f"study session, {kind}"] = max(res.rss.get(f"study session, {kind}", 0), peak)
        loops[kind].append(json.loads(out.strip().splitlines()[-1]))

    steps = [
        lambda: res.process("bare PyYAML parse (C loader)", [PY, "-c", parse, str(deck)]),
        cold_sync,
        anki_import,
        into_collection,
        lambda: res.process(
            "`hccquiz stats`, 100k cards",
            [*HCCQUIZ, "stats", "--all-decks", "--db", str(collection)],
            env,
        ),
        lambda: res.process(
            "`hccquiz stats`, 100k cards, busy day",
            [*HCCQUIZ, "stats", "--all-decks", "--db", str(busy)],
            env,
        ),
        lambda: study("hccquiz busy"),
        lambda: study("anki busy"),
        lambda: study("hccquiz ordinary"),
    ]
    res.rounds(runs, steps)
    copy = fresh_dir(tmp, "resync") / "p.db"
    shutil.copyfile(collection, copy)
    run([*HCCQUIZ, "sync", "--db", str(copy), str(deck)], env)
    resync = json.loads(run([PY, "-c", RESYNC, str(copy), str(deck), "50"], env)[2])
    shutil.rmtree(tmp, ignore_errors=True)
    report(res, loops, resync, runs, deck, collection)


def loop_figures(loops: list[dict]) -> tuple[float, float, float, list]:
    """(first card ms, p50 ms, p99 ms, counts) medians over the runs of one study loop."""
    first = statistics.median(r["first"] for r in loops) * 1000
    p50 = statistics.median(pct(r["times"], 0.50) for r in loops) * 1000
    p99 = statistics.median(pct(r["times"], 0.99) for r in loops) * 1000
    return first, p50, p99, loops[0]["counts"]


def report(res: Results, loops: dict, resync: list, runs: int, deck: Path, db: Path) -> None:
    """Print the Markdown tables."""
    anki, sync, parse = (
        res.ms("Anki: new collection + import .apkg"),
        res.ms("cold sync, fresh db"),
        res.ms("bare PyYAML parse (C loader)"),
    )
    print(
        f"## Engine ({date.today().isoformat()}, {os.cpu_count()} CPUs, median of {runs} "
        "interleaved rounds)\n"
    )
    print(
        f"Deck: 10,000 items, {deck.stat().st_size / 1e6:.1f} MB of YAML. Collection: "
        f"100,000 cards, 1,000,000 reviews, {db.stat().st_size / 1e6:.0f} MB.\n"
    )
    print("| figure | median | ratio | target |\n|---|---|---|---|")
    print(
        f"| Anki: new collection + import the deck's .apkg, whole process | {anki:.0f} ms "
        "| 1.00 | |"
    )
    print(
        f"| **cold sync**, fresh db, whole process | {sync:.0f} ms | **{sync / anki:.2f}×** "
        "Anki | ≤ 1.0× |"
    )
    print(
        f"| bare PyYAML C-loader parse of the deck, whole process | {parse:.0f} ms | "
        f"{parse / anki:.2f}× | |"
    )
    for name in (
        "cold sync into the 100k collection",
        "unchanged re-sync, whole process",
        "`hccquiz stats`, 100k cards",
        "`hccquiz stats`, 100k cards, busy day",
    ):
        print(f"| {name} | {res.ms(name):.0f} ms | | |")
    print(
        f"| unchanged re-sync, in process | {statistics.median(resync) * 1000:.1f} ms | | ≤ 50 ms |"
    )
    print(
        "\nBusy day (1,990 reviews and 10 new cards already graded today), in process, "
        f"{LOOP:,} answers per run:\n"
    )
    print("| figure | hccquiz | Anki | ratio | target |\n|---|---|---|---|---|")
    h, a = loop_figures(loops["hccquiz busy"]), loop_figures(loops["anki busy"])
    for label, i, target in (
        ("session start: open, queues, first card", 0, "≤ 50 ms"),
        ("next card + committed answer, p50", 1, "≤ 1.0×"),
        ("next card + committed answer, p99", 2, ""),
    ):
        print(f"| {label} | {h[i]:.2f} ms | {a[i]:.2f} ms | **{h[i] / a[i]:.2f}×** | {target} |")
    print(f"| counts shown (new, learning, review) | {h[3]} | {a[3]} | | |")
    o = loop_figures(loops["hccquiz ordinary"])
    print(
        f"\nOrdinary day (nothing graded yet): session start {o[0]:.1f} ms, next card + "
        f"committed answer p50 {o[1]:.2f} ms, p99 {o[2]:.2f} ms.\n"
    )
    print("| peak RSS | MB | target |\n|---|---|---|")
    for name, kib in res.rss.items():
        target = "≤ 150 MB" if name in ("cold sync, fresh db",) else ""
        print(f"| {name} | {kib / 1024:.0f} | {target} |")


def main() -> None:
    """Build (or reuse) the files, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds per figure (median)")
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
        if not (args.reuse and (work / "anki-busy" / "collection.anki2").exists()):
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
