"""Synthetic cohorts for the cohort-report tests: progress logs written as the format
documents them (docs/cohort.md), row by row, independently of the exporter."""

from __future__ import annotations

import csv
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HEADER = [
    "format_version",
    "trainee",
    "seq",
    "log_rows",
    "app",
    "scheduler",
    "deck_id",
    "item_id",
    "card",
    "item_type",
    "content_hash",
    "levels",
    "kind",
    "card_state",
    "grade",
    "correct",
    "answer_ms",
    "reviewed_at",
    "day",
    "interval_days",
    "due",
    "picked",
    "options",
    "key",
]


def review(
    item_id: str,
    correct: bool,
    *,
    when: datetime,
    deck_id: str = "sim",
    card: int = 1,
    item_type: str = "basic",
    content_hash: str = "0000000000000000",
    levels: Sequence[str] = ("resident",),
    kind: str = "study",
    card_state: str = "new",
    answer_ms: int = 5000,
    interval_days: int = 1,
    picked: Sequence[str] | None = None,
    options: Sequence[str] | None = None,
    key: Sequence[str] | None = None,
) -> dict[str, Any]:
    """One review row (without the per-log columns)."""
    day = when.date()
    return {
        "app": "hccquiz",
        "scheduler": "sm2",
        "deck_id": deck_id,
        "item_id": item_id,
        "card": card,
        "item_type": item_type,
        "content_hash": content_hash,
        "levels": json.dumps(list(levels)),
        "kind": kind,
        "card_state": card_state,
        "grade": 4 if correct else 2,
        "correct": "true" if correct else "false",
        "answer_ms": answer_ms,
        "reviewed_at": when.strftime("%Y-%m-%dT%H:%M:00Z"),
        "day": day.isoformat(),
        "interval_days": interval_days,
        "due": (day + timedelta(days=interval_days)).isoformat(),
        "picked": None if picked is None else json.dumps(list(picked)),
        "options": None if options is None else json.dumps(list(options)),
        "key": None if key is None else json.dumps(list(key)),
    }


def write_log(path: Path, trainee: str, rows: Sequence[dict[str, Any]], version: int = 1) -> Path:
    """Write `rows` as `trainee`'s CSV log, numbering them."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for seq, row in enumerate(rows, 1):
            full = {**row, "format_version": version, "trainee": trainee, "seq": seq,
                    "log_rows": len(rows)}  # fmt: skip
            writer.writerow(["" if full[c] is None else full[c] for c in HEADER])
    return path


@dataclass
class SimItem:
    """An item with known 2PL parameters; choice items say how wrong answers are drawn."""

    item_id: str
    a: float
    b: float
    options: tuple[str, ...] = ()
    wrong_weights: tuple[float, ...] = ()  # over the distractors, options[1:]
    item_type: str = "basic"
    levels: tuple[str, ...] = ("resident",)


@dataclass
class Cohort:
    """A simulated cohort: its logs, items, abilities and first-exposure answers."""

    folder: Path
    items: list[SimItem]
    abilities: dict[str, float]
    first: dict[tuple[str, str], bool] = field(default_factory=dict)
    picks: dict[tuple[str, str], str] = field(default_factory=dict)
    times: dict[str, list[int]] = field(default_factory=dict)


START = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def simulate(
    folder: Path,
    items: list[SimItem],
    *,
    trainees: int,
    seed: int,
    reach: float = 1.0,
    hashes: dict[str, str] | None = None,
) -> Cohort:
    """Trainees with abilities ~ N(0, 1) answer each item (reached with probability
    `reach`) by the 2PL model P = 1 / (1 + exp(-a (theta - b))); each item they reach
    comes back once, a few days later, as a scheduled review. `hashes` gives items'
    content hashes (by default all zeros)."""
    hashes = hashes or {}
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    cohort = Cohort(folder, items, {})
    for t in range(trainees):
        name = f"t{t:04d}"
        theta = rng.gauss(0, 1)
        cohort.abilities[name] = theta
        rows = []
        when = START + timedelta(minutes=rng.randrange(0, 60 * 24 * 10))
        for item in items:
            if rng.random() > reach:
                continue
            p = 1 / (1 + math.exp(-item.a * (theta - item.b)))
            right = rng.random() < p
            ms = int(rng.lognormvariate(8.5, 0.4))
            cohort.first[(name, item.item_id)] = right
            cohort.times.setdefault(item.item_id, []).append(ms)
            extra: dict[str, Any] = {}
            if item.options:
                pick = item.options[0] if right else rng.choices(item.options[1:],
                                                                 item.wrong_weights)[0]  # fmt: skip
                cohort.picks[(name, item.item_id)] = pick
                extra = {"item_type": "choice", "picked": [pick], "options": item.options,
                         "key": [item.options[0]]}  # fmt: skip
            extra.setdefault("item_type", item.item_type)
            extra["content_hash"] = hashes.get(item.item_id, "0" * 16)
            extra["levels"] = item.levels
            rows.append(review(item.item_id, right, when=when, answer_ms=ms, **extra))
            when += timedelta(seconds=rng.randrange(5, 90))
        later = when + timedelta(days=3)
        for item in items:
            if (name, item.item_id) not in cohort.first:
                continue
            p = 1 / (1 + math.exp(-item.a * (theta + 0.5 - item.b)))
            extra = {"item_type": "choice", "options": item.options,
                     "key": [item.options[0]]} if item.options else {}  # fmt: skip
            extra.setdefault("item_type", item.item_type)
            extra["content_hash"] = hashes.get(item.item_id, "0" * 16)
            extra["levels"] = item.levels
            rows.append(review(item.item_id, rng.random() < p, when=later, card_state="review",
                               interval_days=6, **extra))  # fmt: skip
            later += timedelta(seconds=30)
        write_log(folder / f"{name}.csv", name, rows)
    return cohort


def day(text: str) -> date:
    """A date from ISO text."""
    return date.fromisoformat(text)


def anki_collection_with_a_review(folder: Path, deck_file: Path) -> Path:
    """An Anki collection (official `anki` package) that imported `deck_file`'s .apkg and
    answered one card through Anki's scheduler."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
    from anki.scheduler.v3 import CardAnswer

    import hccquiz

    folder.mkdir(parents=True, exist_ok=True)
    apkg = folder / "deck.apkg"
    hccquiz.export_apkg([hccquiz.load_deck(deck_file)], apkg, timestamp=1_700_000_000)
    path = folder / "collection.anki2"
    col = Collection(str(path))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions())
        )
        col.decks.select(next(d["id"] for d in col.decks.all() if "::" in d["name"]))
        queued = col.sched.get_queued_cards().cards[0]
        card = col.get_card(queued.card.id)
        card.start_timer()
        col.sched.answer_card(
            col.sched.build_answer(card=card, states=queued.states, rating=CardAnswer.GOOD)
        )
    finally:
        col.close()
    return path
