"""Benchmark: the study app as a person sees it, measured from outside through tmux.

- command to first card visible (`hccquiz study`, the bundled deck already synced);
- the same on a large collection, studying every deck in it (pass `--collection DB
  --collection-decks DECK...`, e.g. the engine benchmark's 100,000-card database:
  `bench/bench_engine.py --workdir W` builds W/collection.db from W/bench-*.yaml);
- key press to next card visible.

Run: .venv/bin/python bench/bench_tui.py [--runs 5] [--collection PATH]
Times are medians; the screen is polled with `tmux capture-pane` (a few ms per poll).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HCCQUIZ = Path(sys.executable).parent / "hccquiz"
READY = "space Show answer"


class Tmux:
    """A detached tmux session on a private socket."""

    def __init__(self) -> None:
        self.socket = f"hccquiz-bench-{uuid.uuid4().hex[:8]}"

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=True,
                              capture_output=True, text=True).stdout  # fmt: skip

    def start(self, command: str) -> None:
        self.tmux("new-session", "-d", "-s", "b", "-x", "80", "-y", "24", command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-t", "b", "-p")

    def wait(self, text: str, timeout: float = 60) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if text in self.screen():
                return time.perf_counter()
            time.sleep(0.002)
        raise TimeoutError(f"{text!r} never showed:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def first_card(db: Path, runs: int, decks: str = "") -> float:
    """Median seconds from starting `hccquiz study [DECKS]` to the first card on screen."""
    times = []
    for _ in range(runs):
        tmux = Tmux()
        start = time.perf_counter()
        tmux.start(f"cd {ROOT} && {HCCQUIZ} study --db {db} {decks}")
        try:
            times.append(tmux.wait(READY) - start)
        finally:
            tmux.close()
    return statistics.median(times)


def next_card(db: Path, presses: int) -> float:
    """Median seconds from pressing Good to the next card on screen."""
    tmux = Tmux()
    tmux.start(f"cd {ROOT} && {HCCQUIZ} study --db {db}")
    times = []
    try:
        tmux.wait(READY)
        tmux.wait("New ")
        for _ in range(presses):
            status = next(line for line in tmux.screen().splitlines() if "New " in line)
            left = int(status.split("New ")[1].split()[0])
            tmux.tmux("send-keys", "-t", "b", "Space")
            tmux.wait("Good ·")
            start = time.perf_counter()
            tmux.tmux("send-keys", "-t", "b", "3")
            times.append(tmux.wait(f"New {left - 1} ") - start)
    finally:
        tmux.close()
    return statistics.median(times)


def main() -> None:
    """Measure and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--collection", type=Path, help="a large progress database to copy")
    parser.add_argument("--collection-decks", nargs="*", default=[], type=Path,
                        help="the deck files synced into it (studied all together)")  # fmt: skip
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed for this benchmark")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bundled.db"
        subprocess.run([HCCQUIZ, "sync", "decks", "--db", db], check=True, cwd=ROOT,
                       capture_output=True)  # fmt: skip
        rows = [("first card, bundled deck", first_card(db, args.runs), 0.8)]
        rows.append(("key press to next card", next_card(db, args.runs), 0.05))
        if args.collection:
            big = Path(tmp) / "collection.db"
            shutil.copy(args.collection, big)
            decks = " ".join(str(p.resolve()) for p in args.collection_decks)
            rows.append(("first card, large collection", first_card(big, args.runs, decks), 1.5))
    print(f"median of {args.runs} runs\n")
    print("| measure | median s | target s |")
    print("|---|---|---|")
    for name, seconds, target in rows:
        print(f"| {name} | {seconds:.3f} | ≤ {target} |")


if __name__ == "__main__":
    main()
