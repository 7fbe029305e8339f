"""Benchmark: the study app against another revision, interleaved, as a person sees it.

Both builds run `python -m hccquiz study --db DB` in a detached tmux (80x24) with this
checkout's virtual environment; the other revision is `git archive`d into a temp folder and
put first on PYTHONPATH (so the same libraries serve both). Runs alternate between the two
builds, so the machine's load falls on both alike: on a shared machine, quote the ratio.

- command to first card: until the answer bar (``space Show answer``) is on screen;
- key press to next card: reveal a basic or cloze card, press 3 (Good), until the status
  line's new-card count drops (choice cards are answered but not timed).

Run: .venv/bin/python bench/bench_tui_vs.py [--against main] [--runs 7] [--presses 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_tui import Tmux

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
READY = "space Show answer"


def command(build: tuple[Path, str], db: Path, settings: Path, decks: str = "") -> str:
    cwd, env = build
    return (f"cd {cwd} && {env}HCCQUIZ_CONFIG={settings} {PYTHON} -m hccquiz study "
            f"--db {db} {decks}")  # fmt: skip


def first_card(build: tuple[Path, str], db: Path, settings: Path, decks: str = "") -> float:
    tmux = Tmux()
    start = time.perf_counter()
    tmux.start(command(build, db, settings, decks))
    try:
        return tmux.wait(READY) - start
    finally:
        tmux.close()


def next_cards(build: tuple[Path, str], db: Path, settings: Path, presses: int) -> list[float]:
    tmux = Tmux()
    tmux.start(command(build, db, settings))
    times = []
    try:
        tmux.wait(READY)
        for _ in range(presses):
            tmux.wait("New ")
            status = next(line for line in tmux.screen().splitlines() if "New " in line)
            left = int(status.split("New ")[1].split()[0])
            tmux.tmux("send-keys", "-t", "b", "Space")
            tmux.wait("Good ·")
            screen = tmux.screen()
            if "[ ]" in screen or "[x]" in screen:  # a choice card: mark Good, space records
                tmux.tmux("send-keys", "-t", "b", "3")
                time.sleep(0.05)
                tmux.tmux("send-keys", "-t", "b", "Space")
            else:
                start = time.perf_counter()
                tmux.tmux("send-keys", "-t", "b", "3")
                times.append(tmux.wait(f"New {left - 1} ") - start)
                continue
            tmux.wait(f"New {left - 1} ")
    finally:
        tmux.close()
    return times


def main() -> None:
    """Measure both builds, interleaved, and print a Markdown table with ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--against", default="main", help="the git revision to compare with")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--presses", type=int, default=5, help="graded cards per app run")
    parser.add_argument("--collection", type=Path, help="a large progress database to copy")
    parser.add_argument("--collection-decks", nargs="*", default=[], type=Path,
                        help="the deck files synced into it (studied all together)")  # fmt: skip
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed for this benchmark")
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other"
        other.mkdir()
        archive = subprocess.run(["git", "archive", args.against], cwd=ROOT, check=True,
                                 capture_output=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(other)], input=archive, check=True)
        builds = {args.against: (other, f"PYTHONPATH={other / 'src'} "), "this": (ROOT, "")}
        settings = Path(tmp) / "settings.json"
        dbs = {}
        for name, build in builds.items():
            dbs[name] = Path(tmp) / f"{name.replace('/', '-')}.db"
            subprocess.run(command(build, dbs[name], settings).replace("study", "sync decks"),
                           shell=True, check=True, capture_output=True)  # fmt: skip
        first: dict[str, list[float]] = {name: [] for name in builds}
        keys: dict[str, list[float]] = {name: [] for name in builds}
        for run in range(args.runs):
            order = list(builds) if run % 2 == 0 else list(reversed(builds))
            for name in order:
                first[name].append(first_card(builds[name], dbs[name], settings))
        for _ in range(3):
            for name in builds:
                keys[name] += next_cards(builds[name], dbs[name], settings, args.presses)
        big: dict[str, list[float]] = {name: [] for name in builds}
        if args.collection:
            decks = " ".join(str(p.resolve()) for p in args.collection_decks)
            copies = {}
            for name in builds:
                copies[name] = Path(tmp) / f"big-{name.replace('/', '-')}.db"
                shutil.copy(args.collection, copies[name])
            for run in range(args.runs):
                for name in list(builds) if run % 2 == 0 else list(reversed(builds)):
                    big[name].append(first_card(builds[name], copies[name], settings, decks))
    print(f"median of {args.runs} runs (first card) and {len(keys['this'])} timed presses\n")
    print("| measure | " + " | ".join(builds) + " | ratio this / " + args.against + " |")
    print("|---|" + "---|" * (len(builds) + 1))
    rows = [("command to first card (s)", first, 1.0), ("key to next card (ms)", keys, 1000.0)]
    if args.collection:
        rows.append(("first card, large collection (s)", big, 1.0))
    for label, data, unit in rows:
        medians = {name: statistics.median(values) for name, values in data.items()}
        cells = " | ".join(f"{medians[n] * unit:.3f}" for n in builds)
        print(f"| {label} | {cells} | {medians['this'] / medians[args.against]:.2f} |")


if __name__ == "__main__":
    main()
