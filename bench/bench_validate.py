"""Benchmark: `hccquiz validate` on a 10,000-item deck vs a bare CSafeLoader parse.

Run: .venv/bin/python bench/bench_validate.py [--runs 5] [--items 10000]
Every command is timed as a whole process; each round runs them all, in an order that
rotates from round to round, so that each sees the same machine load; medians are reported.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from deckgen import write_deck
from timing import Results


def main() -> None:
    """Generate the deck, time both commands, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    exe = shutil.which("hccquiz") or str(Path(sys.executable).parent / "hccquiz")
    with tempfile.TemporaryDirectory() as tmp:
        deck = write_deck(Path(tmp) / "synthetic.yaml", args.items)
        bare = [
            sys.executable,
            "-c",
            "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)",
            str(deck),
        ]
        tuned_code = (
            "import gc, sys, yaml; gc.set_threshold(100_000, 50, 100); "
            "yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"
        )
        tuned = [sys.executable, "-c", tuned_code, str(deck)]
        size_mb = deck.stat().st_size / 1e6
        res = Results()
        commands = {
            "parse": bare,
            "parse, tuned": tuned,
            "validate": [exe, "validate", str(deck)],
            "help": [exe, "--help"],
        }
        res.rounds(args.runs, [lambda n=n, c=c: res.process(n, c) for n, c in commands.items()])
        parse, parse_tuned, validate, helps = (res.ms(n) / 1000 for n in commands)
    print(f"deck: {args.items:,} items, {size_mb:.1f} MB; median of {args.runs} runs\n")
    print("| measure | seconds | ratio | target |")
    print("|---|---|---|---|")
    print(f"| bare `yaml.load(CSafeLoader)` process | {parse:.3f} | 1.00 | |")
    print(f"| bare parse, collector tuned as hccquiz | {parse_tuned:.3f} | "
          f"{parse_tuned / parse:.2f} | |")  # fmt: skip
    print(f"| `hccquiz validate` process | {validate:.3f} | {validate / parse:.2f} | ≤ 1.5× |")
    print(f"| `hccquiz --help` | {helps:.3f} | | ≤ 0.3 s |")
    print(f"\nLike for like (both tuned): validate is {validate / parse_tuned:.2f}x the parse.")


if __name__ == "__main__":
    main()
