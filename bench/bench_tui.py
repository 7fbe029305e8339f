"""Benchmark: the study app as a person sees it, measured from outside through tmux.

Each process is started in a detached tmux (80x24) and the screen is polled with
``tmux capture-pane`` every 2 ms until the awaited text shows. Figures, each the median of
``--runs`` rounds whose order rotates (so each and its peer see the same machine load):

- the peer: a bare Textual app with one label (`bare_textual.py`), command to label shown;
- command to first card, ``hccquiz study`` on the bundled deck (already synced);
- command to first card on a heavy study day: 20,000 cards in two decks with 2,000 grades
  already made today (built by `collection.py`), studying both decks;
- command to first card on a large collection, studying every deck in it (``--collection
  DB --collection-decks DECK...``, e.g. the engine benchmark's 100,000-card database);
- key press to next card: a card revealed (space), then Enter records Good (or, on a choice
  card, the grade its picked option earned) until the new-card count drops.

Run: .venv/bin/python bench/bench_tui.py [--runs 5] [--workdir DIR] [--collection PATH
--collection-decks DECK...]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from collection import add_busy_day, build_collection, write_decks

ROOT = Path(__file__).resolve().parents[1]
HCCQUIZ = Path(sys.executable).parent / "hccquiz"
READY = "space Show answer"
BARE = (f"{sys.executable} {Path(__file__).parent / 'bare_textual.py'}", "hccquiz-bare-ready")


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


def shown_after(command: str, text: str) -> float:
    """Seconds from starting `command` in tmux to `text` on screen."""
    tmux = Tmux()
    start = time.perf_counter()
    tmux.start(f"cd {ROOT} && {command}")
    try:
        return tmux.wait(text) - start
    finally:
        tmux.close()


def new_count(screen: str) -> int:
    """The "New N" count on the study screen."""
    line = next(line for line in screen.splitlines() if "New " in line)
    return int(line.split("New ")[1].split()[0])


def next_card(db: Path, presses: int) -> float:
    """Median seconds from the key that records a grade to the next card on screen."""
    tmux = Tmux()
    tmux.start(f"cd {ROOT} && {HCCQUIZ} study --db {db}")
    times = []
    try:
        tmux.wait(READY)
        tmux.wait("New ")
        for _ in range(presses):
            left = new_count(tmux.screen())
            tmux.tmux("send-keys", "-t", "b", "Space")
            tmux.wait("Good ·")
            start = time.perf_counter()
            tmux.tmux("send-keys", "-t", "b", "Enter")
            times.append(tmux.wait(f"New {left - 1} ") - start)
    finally:
        tmux.close()
    return statistics.median(times)


def busy_collection(work: Path) -> tuple[Path, list[Path]]:
    """20,000 cards (two decks), 60,000 past reviews, 2,000 grades today (built once)."""
    db, decks = work / "busy20k.db", sorted(work.glob("busy-*.yaml"))
    if not db.exists() or len(decks) != 2:
        rng = random.Random(16)
        decks = write_decks(work, 2, rng, prefix="busy")
        build_collection(work / "building.db", decks, rng, 60_000)
        add_busy_day(work / "building.db", 2000, rng)
        (work / "building.db").rename(db)
    return db, decks


def main() -> None:
    """Measure and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="keep the busy-day collection here")
    parser.add_argument("--collection", type=Path, help="a large progress database to copy")
    parser.add_argument("--collection-decks", nargs="*", default=[], type=Path,
                        help="the deck files synced into it (studied all together)")  # fmt: skip
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed for this benchmark")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="hccquiz-tui-"))
    work.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="hccquiz-tui-run-"))
    try:
        busy, busy_decks = busy_collection(work)
        db = tmp / "bundled.db"
        subprocess.run([HCCQUIZ, "sync", "decks", "--db", db], check=True, cwd=ROOT,
                       capture_output=True)  # fmt: skip
        study = f"{HCCQUIZ} study --db"
        measures = {
            "bare Textual app, one label (the peer)": BARE,
            "first card, bundled deck": (f"{study} {db}", READY),
            "first card, heavy day: 20,000 cards, 2,000 grades today": (
                f"{study} {tmp / 'busy.db'} {' '.join(map(str, busy_decks))}",
                READY,
            ),
        }
        if args.collection:
            decks = " ".join(str(p.resolve()) for p in args.collection_decks)
            measures["first card, 100,000-card collection"] = (
                f"{study} {tmp / 'big.db'} {decks}",
                READY,
            )
        times: dict[str, list[float]] = {name: [] for name in measures}
        names = list(measures)
        for n in range(args.runs):
            shutil.copyfile(busy, tmp / "busy.db")  # each run starts on the same day
            if args.collection:
                shutil.copyfile(args.collection, tmp / "big.db")
            for name in names[n % len(names) :] + names[: n % len(names)]:
                times[name].append(shown_after(*measures[name]))
        key = next_card(db, args.runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    med = {name: statistics.median(values) for name, values in times.items()}
    bare = med["bare Textual app, one label (the peer)"]
    targets = {
        "first card, bundled deck": f"≤ bare + 0.15 s = {bare + 0.15:.3f} s",
        "first card, heavy day: 20,000 cards, 2,000 grades today": "≤ 1.0 s",
        "first card, 100,000-card collection": "≤ 1.5 s",
    }
    print(f"median of {args.runs} interleaved rounds\n")
    print("| measure | median s | minus bare Textual | target |\n|---|---|---|---|")
    for name, seconds in med.items():
        print(f"| {name} | {seconds:.3f} | {seconds - bare:+.3f} | {targets.get(name, '')} |")
    print(f"| key press to next card | {key:.3f} | | ≤ 0.05 s |")


if __name__ == "__main__":
    main()
