"""Hostile inputs (issue 11): validation speed on the worst shapes, the reliability table,
and the cost of checking a database for damage. Not a test: it prints Markdown.

    python bench/bench_hostile.py [--runs 3] [--mib 15] [--skip-speed] [--skip-reliability]
        [--against PYTHON] [--collection DB]

- Speed: decks of about ``--mib`` MiB (under the 16 MiB cap) in the worst shapes found:
  many items (valid and invalid), items at the cap of 1,000 cloze deletions, one 15 MiB
  line, one cloze line of 1,000 long deletions, text full of ``&x``/``*x`` look-alikes
  (which make the alias guard walk the whole tree), real aliases, unquoted numbers, and
  an alias bomb. Each is timed as whole processes, ``hccquiz validate`` against a bare
  ``yaml.load(f, Loader=yaml.CSafeLoader)`` of the same file, and as the work alone
  (``load_deck`` against ``yaml.load``, imports excluded, each in a fresh process),
  interleaved; medians. Target: validate within 1.5x of the bare parse. Where the parse
  takes a fraction of a second, the whole-process ratio is the cost of importing pydantic
  (about 0.3 s), which the work-only ratio leaves out.
- Reliability: every case of ``tests/hostile.py`` run through the command line, per group
  of the issue: inputs tried, refused cleanly, accepted (good inputs), tracebacks, hangs,
  data lost, other wrong outcomes. ``--against PYTHON`` runs them with another checkout's
  interpreter too (``/work/main/.venv/bin/python``: the code before the fixes).
- Damage check: with ``--collection`` (e.g. the engine benchmark's 226 MB database),
  ``hccquiz stats`` on a file hccquiz left as it was (no check) against the same file
  changed outside hccquiz (``PRAGMA quick_check`` first), interleaved.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

BARE = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
HEAD = "id: shapes\ntitle: Hostile shapes\nlevels: [resident]\nitems:\n"
WORDS = ["survival", "hazard", "ratio", "atezolizumab", "bevacizumab", "sorafenib", "months"]


def words(i: int, n: int) -> str:
    return " ".join(WORDS[(i + k) % len(WORDS)] for k in range(n))


def fill(path: Path, limit: int, head: str, item: callable) -> Path:
    """`head`, then `item(i)` for i = 0, 1, ... while the file stays under `limit` bytes."""
    parts, size, i = [head], len(head), 0
    while True:
        text = item(i)
        if size + len(text) > limit:
            break
        parts.append(text)
        size += len(text)
        i += 1
    path.write_text("".join(parts), encoding="utf-8")
    return path


def shapes(folder: Path, limit: int) -> dict[str, Path]:
    """The worst shapes, each a file of at most `limit` bytes."""
    out: dict[str, Path] = {}

    def basic(i: int) -> str:
        return f'  - {{id: i{i}, question: "{words(i, 8)}?", answer: "{words(i, 2)}"}}\n'

    out["many small items"] = fill(folder / "items.yaml", limit, HEAD, basic)
    out["many invalid items"] = fill(
        folder / "invalid.yaml", limit, HEAD, lambda i: f"  - {{id: i{i}, levels: [nurse]}}\n"
    )

    def deletions(i: int) -> str:
        text = " ".join(f"{{{{c{k + 1}::w{k}}}}}" for k in range(1000))
        return f'  - id: c{i}\n    type: cloze\n    text: "{text}"\n'

    out["items of 1,000 deletions"] = fill(folder / "deletions.yaml", limit, HEAD, deletions)
    line = "x" * (limit - 200)
    (folder / "line.yaml").write_text(HEAD + f'  - id: a\n    question: "{line}"\n    answer: a\n')
    out["one long line"] = folder / "line.yaml"
    chunk = "y" * ((limit - 300) // 1000 - 12)
    text = " ".join(f"{{{{c{k + 1}::{chunk}}}}}" for k in range(1000))
    (folder / "longcloze.yaml").write_text(
        HEAD + f'  - id: c\n    type: cloze\n    text: "{text}"\n'
    )
    out["one line of 1,000 long deletions"] = folder / "longcloze.yaml"

    def lookalike(i: int) -> str:
        return (
            f'  - {{id: i{i}, question: "R &D {words(i, 4)} &x *y?", '
            f'answer: "A &b *c {words(i, 2)}"}}\n'
        )

    out["anchor look-alikes in text"] = fill(folder / "lookalike.yaml", limit, HEAD, lookalike)
    head = "id: shapes\ntitle: Aliases\nlevels: &lv [resident, fellow]\ntags: [t]\nitems:\n"

    def aliased(i: int) -> str:
        return (
            f'  - {{id: i{i}, question: "{words(i, 8)}?", answer: "{words(i, 2)}", levels: *lv}}\n'
        )

    out["real aliases on every item"] = fill(folder / "aliases.yaml", limit, head, aliased)

    def numbers(i: int) -> str:
        return f"  - {{id: i{i}, question: {i}.5, answer: 0.{i % 9 + 1}, explanation: {i}}}\n"

    out["unquoted numbers"] = fill(folder / "numbers.yaml", limit, HEAD, numbers)
    big = "x" * (1 << 20)
    bomb = [HEAD.rstrip("\n"), f'  - {{id: i0, question: &a "{big}", answer: a}}']
    bomb += [f"  - {{id: i{i}, question: *a, answer: a}}" for i in range(1, 1000)]
    (folder / "bomb.yaml").write_text("\n".join(bomb) + "\n")
    out["1 MiB aliased 1,000 times"] = folder / "bomb.yaml"
    return out


def timed(argv: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run(argv, capture_output=True)
    return time.perf_counter() - start, result.returncode


WORK_BARE = (
    "import sys, time, yaml; t = time.perf_counter(); "
    "yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader); "
    "print(time.perf_counter() - t)"
)
WORK_VALIDATE = (
    "import sys, time; from hccquiz.deck.file import load_deck; from hccquiz.errors import "
    "DeckError; t = time.perf_counter()\ntry: load_deck(sys.argv[1])\nexcept DeckError: pass\n"
    "print(time.perf_counter() - t)"
)


def work(code: str, path: Path) -> float:
    """Seconds of the work alone (imports excluded), in a fresh process."""
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def speed(runs: int, mib: float, only: str | None) -> None:
    hccquiz = [sys.executable, "-m", "hccquiz"]
    print(f"### Validation on the worst shapes (median of {runs} runs, interleaved)\n")
    print(
        "| shape | MB | bare parse s | `hccquiz validate` s | ratio | work only: parse s "
        "| work only: validate s | ratio | outcome |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in shapes(Path(tmp), int(mib * (1 << 20))).items():
            if only and only not in name:
                continue
            bare, check, bare_work, check_work, codes = [], [], [], [], set()
            for _ in range(runs):
                bare.append(timed([sys.executable, "-c", BARE, str(path)])[0])
                seconds, code = timed([*hccquiz, "validate", str(path)])
                check.append(seconds)
                codes.add(code)
                bare_work.append(work(WORK_BARE, path))
                check_work.append(work(WORK_VALIDATE, path))
            b, v = statistics.median(bare), statistics.median(check)
            bw, vw = statistics.median(bare_work), statistics.median(check_work)
            ratios.append(vw / bw)
            outcome = {0: "valid", 1: "refused"}.get(code, f"exit {code}")
            outcome = outcome if len(codes) == 1 else str(codes)
            size = path.stat().st_size / 1e6
            print(
                f"| {name} | {size:.1f} | {b:.2f} | {v:.2f} | {v / b:.2f} | {bw:.2f} | "
                f"{vw:.2f} | **{vw / bw:.2f}** | {outcome} |"
            )
    print(f"\nWorst work-only ratio: {max(ratios):.2f} (target ≤ 1.5).\n")


def reliability(pythons: dict[str, str]) -> None:
    from hostile import GROUPS, all_cases, run_case

    cases = all_cases()
    for label, python in pythons.items():
        counts: dict[int, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        notes = []
        start = time.perf_counter()
        for case in cases:
            outcome = run_case(case, [python, "-m", "hccquiz"], timeout=30)
            counts[case.group][outcome.kind] += 1
            if outcome.kind not in ("refused", "ok"):
                notes.append(
                    f"- {case.group} `{case.name}`: {outcome.kind}: {outcome.detail[:140]}"
                )
        elapsed = time.perf_counter() - start
        print(f"### Reliability: {label} ({len(cases)} inputs, {elapsed:.0f} s)\n")
        print(
            "| group | inputs tried | refused cleanly | accepted (good input) | tracebacks "
            "| hangs | data lost | other wrong |"
        )
        print("|---|---|---|---|---|---|---|---|")
        total: collections.Counter[str] = collections.Counter()
        for group in sorted(counts):
            c = counts[group]
            total.update(c)
            print(
                f"| {group}. {GROUPS[group]} | {sum(c.values())} | {c['refused']} | {c['ok']} | "
                f"{c['traceback']} | {c['hang']} | {c['lost']} | {c['wrong']} |"
            )
        print(
            f"| **all** | **{sum(total.values())}** | {total['refused']} | {total['ok']} | "
            f"{total['traceback']} | {total['hang']} | {total['lost']} | {total['wrong']} |\n"
        )
        if notes:
            print("\n".join(notes) + "\n")


def damage_check(collection: Path, runs: int) -> None:
    from hccquiz.store import stamp_path

    hccquiz = [sys.executable, "-m", "hccquiz"]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "collection.db"
        shutil.copyfile(collection, db)
        subprocess.run(
            [*hccquiz, "stats", "--all-decks", "--db", str(db)], capture_output=True, check=True
        )
        fresh, changed = [], []
        for _ in range(runs):
            fresh.append(timed([*hccquiz, "stats", "--all-decks", "--db", str(db)])[0])
            stamp_path(db).unlink()
            os.utime(db)
            changed.append(timed([*hccquiz, "stats", "--all-decks", "--db", str(db)])[0])
        import sqlite3

        checks = []
        for _ in range(runs):
            conn = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
            start = time.perf_counter()
            conn.execute("PRAGMA quick_check(1)").fetchone()
            checks.append(time.perf_counter() - start)
            conn.close()
    size = collection.stat().st_size / 1e6
    print(f"### Damage check on open ({size:.0f} MB collection, median of {runs})\n")
    print("| measure | seconds |")
    print("|---|---|")
    rows = [
        ("`hccquiz stats`, file as hccquiz left it (no check)", fresh),
        ("`hccquiz stats`, file changed outside hccquiz (`quick_check` first)", changed),
    ]
    for label, times in rows:
        print(f"| {label} | {statistics.median(times):.3f} |")
    print(f"| `PRAGMA quick_check` alone, in process | {statistics.median(checks):.3f} |\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mib", type=float, default=15.0, help="size of the speed shapes")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--shapes", metavar="TEXT", help="only the shapes whose name has TEXT")
    parser.add_argument("--skip-reliability", action="store_true")
    parser.add_argument("--against", metavar="PYTHON", help="also run the cases with this Python")
    parser.add_argument("--collection", type=Path, help="a large database for the damage check")
    args = parser.parse_args()
    if not args.skip_speed:
        speed(args.runs, args.mib, args.shapes)
    if not args.skip_reliability:
        pythons = {"this checkout": sys.executable}
        if args.against:
            pythons[f"`{args.against}`"] = args.against
        reliability(pythons)
    if args.collection:
        damage_check(args.collection, args.runs)


if __name__ == "__main__":
    main()
