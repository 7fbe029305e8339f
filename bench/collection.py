"""Synthetic collections for the benchmarks: decks, review histories and a busy study day.

- `deck_data` / `write_yaml`: a deck whose items are about the size of the bundled deck's;
- `build_collection`: N decks of 6,000 items (10,000 cards each) synced through the store,
  then a seeded SM-2 review history bulk-written into the log (a million durable commits
  would take hours);
- `add_busy_day`: today's study grades (reviews, soonest due first, and a few new cards)
  with their same-day drills, written as the app would leave them: a heavy board-prep day.

Everything is seeded: the same data every run. Run as a script to build one collection:
``python bench/collection.py DIR --decks 2 --reviews 200000 --busy 2000``.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hccquiz.clock import DayBoundary
from hccquiz.deck.levels import LEVEL_VALUES

__all__ = [
    "REVIEW_COLUMNS",
    "TODAY",
    "add_busy_day",
    "build_collection",
    "deck_data",
    "write_yaml",
]

LEVELS = list(LEVEL_VALUES)
WORDS = [
    *("survival", "hazard", "ratio", "atezolizumab", "bevacizumab", "sorafenib"),
    *("hepatocellular", "carcinoma", "progression", "free", "overall", "response", "rate"),
    *("confidence", "interval", "trial", "phase", "randomized", "patients", "months"),
    *("median", "bleeding", "varices", "child", "pugh", "albi", "toxicity", "endpoint"),
]
TODAY = DayBoundary().day(datetime.now(UTC))
"""Today's study day, by the app's own 04:00 boundary."""
REVIEW_COLUMNS = (
    "card_id, reviewed_at, day, kind, quality, answer_ms, repetitions_before, ef100_before, "
    "interval_before, due_before, changed_before, repetitions_after, ef100_after, "
    "interval_after, due_after, content_hash"
)
GRADES = [2] * 8 + [3] * 15 + [4] * 52 + [5] * 25


def deck_data(deck_id: str, rng: random.Random, *, basic: int, choice: int, cloze: int) -> dict:
    """A synthetic deck whose items are about the size of the bundled deck's (~650 bytes)."""

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()

    items = []
    kinds = ["basic"] * basic + ["choice"] * choice + ["cloze"] * cloze
    rng.shuffle(kinds)
    for i, kind in enumerate(kinds):
        item = {
            "id": f"item-{i}",
            "type": kind,
            "levels": rng.sample(LEVELS, 2),
            "tags": rng.sample(["efficacy", "safety", "design", "stats", "history"], 2),
            "source": f"Section {i % 17}",
            "explanation": words(22),
        }
        if kind == "basic":
            item.update(question=words(20) + "?", answer=words(6))
        elif kind == "choice":
            options = [f"{words(4)} {j}" for j in range(4)]
            item.update(question=words(18) + "?", choices=options, answer=options[1])
        else:
            item["text"] = (
                f"{words(10)} {{{{c1::{words(2)}}}}} {words(8)} "
                f"{{{{c2::{words(2)}}}}} {words(6)} {{{{c3::{words(1)}}}}}."
            )
        items.append(item)
    return {"id": deck_id, "title": deck_id, "levels": ["resident"], "items": items}


def write_yaml(path: Path, data: dict) -> Path:
    """Write `data` as block-style YAML, as an editor would."""
    import yaml

    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    return path


def write_decks(folder: Path, count: int, rng: random.Random, prefix: str = "bench") -> list[Path]:
    """`count` decks of 6,000 items (2,000 basic, choice and three-deletion cloze each)."""
    return [
        write_yaml(
            folder / f"{prefix}-{n}.yaml",
            deck_data(f"{prefix}-{n}", rng, basic=2000, choice=2000, cloze=2000),
        )
        for n in range(count)
    ]


def build_collection(db: Path, decks: list[Path], rng: random.Random, reviews: int) -> Path:
    """Sync `decks` into a fresh `db`, then write `reviews` simulated history rows."""
    from hccquiz.store import Store
    from hccquiz.study.sync import sync_files

    with Store.open(db, durable=False) as store:
        sync_files(store, decks, now=datetime.now(UTC))
        card_ids = store.card_ids()
    rows, states = simulate(card_ids, rng, reviews)
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            f"INSERT INTO reviews ({REVIEW_COLUMNS}) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 'bench')",
            rows,
        )
        conn.executemany(
            "UPDATE cards SET repetitions = ?, ef100 = ?, interval = ?, due = ? WHERE id = ?",
            states,
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def simulate(card_ids: list[int], rng: random.Random, total: int) -> tuple[list, list]:
    """SM-2 histories over the last two years until ``total`` review rows exist."""
    from hccquiz.sm2 import SM2State, review

    rows: list[tuple] = []
    states: list[tuple] = []
    order = card_ids[:]
    rng.shuffle(order)
    for card_id in order:
        if len(rows) >= total:
            break
        state, due = SM2State(), None
        day = TODAY - timedelta(days=rng.randint(1, 730))
        while day < TODAY and len(rows) < total:
            q = rng.choice(GRADES)
            after = review(state, q)
            new_due = day + timedelta(days=after.interval)
            at = f"{day.isoformat()}T{rng.randint(8, 22):02d}:{rng.randint(0, 59):02d}:00.000Z"
            before_due = due.isoformat() if due else None
            rows.append(
                (card_id, at, day.isoformat(), "study", q, rng.randint(2000, 20000),
                 state.repetitions, state.ef100, state.interval, before_due,
                 after.repetitions, after.ef100, after.interval, new_due.isoformat())
            )  # fmt: skip
            # drills and quizzes leave the schedule as the study grade left it
            unchanged = (after.repetitions, after.ef100, after.interval, new_due.isoformat()) * 2
            if q < 4:
                rows.append((card_id, at, day.isoformat(), "drill", 4, 3000, *unchanged))
            if rng.random() < 0.05:
                quality = rng.choice([2, 4])
                rows.append((card_id, at, day.isoformat(), "quiz", quality, 5000, *unchanged))
            state, due, day = after, new_due, new_due
        if due is not None:
            states.append(
                (state.repetitions, state.ef100, state.interval, due.isoformat(), card_id)
            )
    return rows[:total], states


def add_busy_day(
    db: Path, study: int, rng: random.Random, *, new: int = 10, day: date = TODAY
) -> int:
    """Write a heavy study day on `day`: `study` grades of seen cards, soonest due first (a
    board-prep day reviews ahead), and `new` new cards in deck order (fewer than the daily
    new-card limit, so that the app still looks for new cards); a drill row for each grade
    below 4. Returns the number of study grades written."""
    from hccquiz.sm2 import SM2State, review

    conn = sqlite3.connect(db)
    today = day.isoformat()
    due = conn.execute(
        "SELECT id, repetitions, ef100, interval, due FROM cards WHERE due IS NOT NULL "
        "ORDER BY due, id LIMIT ?",
        (study - new,),
    ).fetchall()
    fresh = conn.execute(
        "SELECT min(c.id), 0, 250, 0, NULL FROM cards c JOIN items i ON i.id = c.item_id "
        "WHERE c.due IS NULL GROUP BY c.item_id ORDER BY i.deck_id, i.position LIMIT ?",
        (new,),
    ).fetchall()
    rows, updates = [], []
    for n, (card_id, reps, ef100, interval, due_day) in enumerate(due + fresh):
        before = SM2State.from_ef100(reps, ef100, interval)
        q = rng.choice(GRADES)
        after = review(before, q)
        new_due = (day + timedelta(days=after.interval)).isoformat()
        at = f"{today}T{8 + n * 12 // max(1, study):02d}:{n % 60:02d}:00.000Z"
        rows.append(
            (card_id, at, today, "study", q, rng.randint(2000, 20000), before.repetitions,
             before.ef100, before.interval, due_day, 0, after.repetitions, after.ef100,
             after.interval, new_due, "bench")
        )  # fmt: skip
        if q < 4:
            same = (after.repetitions, after.ef100, after.interval, new_due)
            rows.append((card_id, at, today, "drill", 4, 3000, *same, 0, *same, "bench"))
        updates.append((after.repetitions, after.ef100, after.interval, new_due, card_id))
    with conn:
        conn.executemany(f"INSERT INTO reviews ({REVIEW_COLUMNS}) VALUES ({'?, ' * 15}?)", rows)
        conn.executemany(
            "UPDATE cards SET repetitions = ?, ef100 = ?, interval = ?, due = ? WHERE id = ?",
            updates,
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return len(updates)


def main() -> None:
    """Build one collection in DIR (decks, database), for trying things by hand."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--decks", type=int, default=10, help="decks of 10,000 cards")
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--busy", type=int, default=0, help="study grades today")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20250301)
    start = time.perf_counter()
    decks = write_decks(args.dir, args.decks, rng)
    db = build_collection(args.dir / "collection.db", decks, rng, args.reviews)
    if args.busy:
        add_busy_day(db, args.busy, rng)
    print(f"built {db} in {time.perf_counter() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
