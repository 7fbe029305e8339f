"""Synthetic decks for the benchmarks: `write_deck(path, n)` writes an n-item YAML deck."""

from __future__ import annotations

import random
from pathlib import Path

from hccquiz.deck.levels import LEVEL_VALUES

__all__ = ["write_deck"]

LEVELS = list(LEVEL_VALUES)


def write_deck(path: Path, n: int, seed: int = 150) -> Path:
    """Write a valid deck of `n` items (basic, cloze and choice in turn) to `path`."""
    rng = random.Random(seed)
    out = [
        "id: synthetic",
        'title: "Synthetic benchmark deck"',
        'source: {citation: "hccquiz benchmark"}',
        "tags: [bench]",
        "levels: [resident]",
        "items:",
    ]
    for i in range(n):
        levels = ", ".join(rng.sample(LEVELS, 2))
        hr = f"0.{rng.randint(30, 99)}"
        out.append(f"  - id: item-{i}")
        out.append(f"    levels: [{levels}]")
        out.append(f"    tags: [topic-{i % 17}]")
        out.append(f'    source: "Key Findings {i % 5 + 1}"')
        kind = i % 3
        if kind == 0:
            out.append(f'    question: "What was the hazard ratio in synthetic trial {i}?"')
            out.append(f'    answer: "{hr}"')
        elif kind == 1:
            out.append("    type: cloze")
            out.append(
                f'    text: "Trial {i}: HR {{{{c1::{hr}}}}} (95% CI, '
                f'{{{{c2::0.42 to 0.79::CI}}}}; P<0.001)."'
            )
        else:
            out.append("    type: choice")
            out.append(f'    question: "Which hazard ratio did synthetic trial {i} report?"')
            out.append(f'    choices: ["{hr}", "1.{i % 10}0", "2.00", "0.05"]')
            out.append(f'    answer: "{hr}"')
        out.append(f'    explanation: "Synthetic explanation for item {i}, with **Markdown**."')
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path
