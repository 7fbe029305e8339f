"""Run every benchmark in bench/ in one go (`make bench`), each figure beside its peer.

    python bench/run.py [--runs 5] [--workdir DIR] [--quick]

The engine benchmark builds the 100,000-card collection and its Anki twin in the work
folder; the TUI benchmark studies that collection too, the browser benchmark searches a
copy of it, and the million-card benchmark reuses its decks. Every other ``bench_*.py``
runs with its defaults. The report is Markdown on stdout; progress goes to stderr.
``--quick`` skips the million-card run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
ORDERED = ["bench_engine.py", "bench_tui.py", "bench_scale.py"]


def main() -> None:
    """Run the benchmarks in turn; stop at the first that fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds per figure (median)")
    parser.add_argument("--workdir", type=Path, help="keep the built collections here")
    parser.add_argument("--quick", action="store_true", help="skip the million-card run")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="hccquiz-bench-"))
    engine, runs = work / "engine", ["--runs", str(args.runs)]
    scripts = ORDERED + sorted(p.name for p in HERE.glob("bench_*.py") if p.name not in ORDERED)
    try:
        for name in scripts:
            if name == "bench_engine.py":
                argv = [*runs, "--workdir", str(engine), "--reuse"]
            elif name == "bench_tui.py":  # studies the collection the engine built
                decks = sorted(map(str, engine.glob("bench-*.yaml")))
                argv = [*runs, "--workdir", str(work / "tui"), "--collection",
                        str(engine / "collection.db"), "--collection-decks", *decks]  # fmt: skip
            elif name == "bench_scale.py":
                if args.quick:
                    continue
                argv = ["--workdir", str(work / "scale"), "--decks-from", str(engine)]
            elif name == "bench_browse.py":  # searches the collection the engine built
                argv = [*runs, "--workdir", str(work / "browse"), "--collection",
                        str(engine / "collection.db")]  # fmt: skip
            elif name in ("bench_validate.py", "bench_export.py"):
                argv = runs
            else:  # another helper's benchmark: its own defaults
                argv = []
            print(f"\n## {name}\n", flush=True)
            subprocess.run([sys.executable, str(HERE / name), *argv], check=True)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
