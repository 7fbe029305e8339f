"""Card browser benchmark (issue 15): search results per keystroke on the 100,000-card
collection (the engine benchmark's: ten decks of 6,000 items, a million past reviews).

Each query is typed one key at a time, as into the browser's search box; for every prefix:

1. **the store** (in process, what the browser's worker thread runs): the first page of
   rows (50, what the browser reads per keystroke, in deck order), then the count (the
   status line; the app reads it on a second connection, and only when the page is full),
   through `Store.browse` / `Store.browse_count` and the FTS5 index. The peer, interleaved
   key by key: the same page read without the index, every word a ``LIKE '%word%'`` over
   the items' stored content (what a search without FTS5 costs in SQLite);
2. **the app** (headless Textual, in process): keys typed into the search box one every
   0.12 s at most; for each, from the key event to the table holding its rows (the
   worker's read and the table's refill), while the counts and details of earlier keys
   are read on the browser's second connection.

Also the first page per sort column and per state filter, for a broad search and none.
Target: results within 50 ms per keystroke. Rounds rotate their order; medians over rounds.

Command: ``.venv/bin/python bench/bench_browse.py --runs 5 [--workdir W] [--collection DB]``
(``--collection`` reuses a built collection, e.g. the engine benchmark's; it is copied).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from collection import TODAY, build_collection, write_decks

from hccquiz.store import BROWSE_STATES, SORT_KEYS, BrowseQuery, Store

QUERIES = ["varices bleeding", "hazard ratio", "item-1234", "sorafenib months", "zzz"]
"""What is typed: common words, an item id, a word that matches nothing."""
PAGE = 50
"""Rows of the first page (the browser's FIRST_PAGE)."""
PACE = 0.12
"""Seconds between keys in the app (about 100 words a minute)."""


def like_page(store: Store, text: str) -> int:
    """The peer: the first page of the same search without the index (LIKE per word)."""
    words = text.split()
    where = " AND ".join("t.content LIKE ?" for _ in words) or "1"
    sql = (
        "SELECT c.id, i.deck_id, i.key, c.number, i.type, i.levels, i.tags, c.due, "
        "c.interval, c.suspended FROM cards c INDEXED BY cards_by_rank "
        "JOIN items i ON i.id = c.item_id JOIN item_content t ON t.item_id = i.id "
        f"WHERE c.retired = 0 AND i.retired = 0 AND {where} ORDER BY c.new_rank LIMIT ?"
    )
    with store._read() as conn:
        return len(conn.execute(sql, [*(f"%{w}%" for w in words), PAGE]).fetchall())


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def keystrokes() -> list[str]:
    return [q[:k] for q in QUERIES for k in range(1, len(q) + 1)]


def store_round(store: Store) -> dict[str, list[float]]:
    """One round of typing every query: per keystroke, page, count and the LIKE peer."""
    out: dict[str, list[float]] = {"page": [], "page+count": [], "like": []}
    for typed in keystrokes():
        query = BrowseQuery(search=typed)
        page = timed(lambda q=query: store.browse(q, today=TODAY, limit=PAGE))
        count = timed(lambda q=query: store.browse_count(q, today=TODAY))
        out["page"].append(page)
        out["page+count"].append(page + count)
        out["like"].append(timed(lambda t=typed: like_page(store, t)))
    return out


def sort_round(store: Store) -> dict[str, float]:
    """The first page per sort column and per state, for a broad search and for none."""
    out: dict[str, float] = {}
    for search in ("s", ""):
        for sort in SORT_KEYS:
            q = BrowseQuery(search=search, sort=sort)
            out[f"sort {sort}, search {search!r}"] = timed(
                lambda q=q: store.browse(q, today=TODAY, limit=PAGE)
            )
        for state in BROWSE_STATES:
            q = BrowseQuery(search=search, state=state)
            out[f"state {state}, search {search!r}"] = timed(
                lambda q=q: store.browse(q, today=TODAY, limit=PAGE)
            )
    return out


async def app_round(db: Path) -> list[float]:
    """Type every query into the browser's search box, a key every `PACE` seconds at most
    (a fast typist); per key, from the key event to the table holding its rows."""
    from textual import events

    from hccquiz.clock import SystemClock
    from hccquiz.study import Workspace
    from hccquiz.tui import create_app
    from hccquiz.tui.screens.browse import BrowserScreen

    store = Store.open(db)
    workspace = Workspace(store, clock=SystemClock(), rng=random.Random(1))
    app = create_app(workspace, start="browse", browse=BrowseQuery())
    latencies: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        while not isinstance(screen, BrowserScreen) or not screen.rows:
            await asyncio.sleep(0.01)
            screen = app.screen
        for query in QUERIES:
            await pilot.press("slash")
            await pilot.pause(0.5)
            for k, key in enumerate(query):
                typed = query[: k + 1]
                start = time.perf_counter()
                app.post_message(events.Key("space" if key == " " else key, key))
                while screen.query_now.search != typed:  # the box took the key
                    await asyncio.sleep(0.0005)
                before = screen.rows
                while screen.rows is before:  # this keystroke's rows (older ones are dropped)
                    await asyncio.sleep(0.0005)
                latencies.append(time.perf_counter() - start)
                await asyncio.sleep(max(0.0, PACE - (time.perf_counter() - start)))
            await pilot.press("escape")  # the table; clear the box for the next query
            screen.query_one("#search").value = ""  # type: ignore[attr-defined]
            await pilot.pause(0.5)
    store.close()
    return latencies


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds per figure (median)")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a temp dir)")
    parser.add_argument("--collection", type=Path, help="a built 100,000-card collection")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="hccquiz-browse-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "collection.db"
    if args.collection:
        shutil.copy(args.collection, db)
    elif not db.exists():
        print("building the 100,000-card collection (about 6 minutes)...", file=sys.stderr)
        rng = random.Random(15)
        build_collection(db, write_decks(work, 10, rng), rng, 1_000_000)
    start = time.perf_counter()
    with Store.open(db) as store:  # migrates a collection built before 0006_card_search
        cards = store.browse_count(BrowseQuery(), today=TODAY)
    print(f"{cards:,} cards; opened (and migrated) in {time.perf_counter() - start:.1f} s",
          file=sys.stderr)  # fmt: skip
    rounds: dict[str, list[float]] = {}
    worst: dict[str, list[float]] = {}
    sorts: dict[str, list[float]] = {}
    with Store.open(db) as store:
        store_round(store)  # warm the page cache
        for n in range(args.runs):
            steps = ["store", "app", "sorts"]
            steps = steps[n % 3 :] + steps[: n % 3]
            for step in steps:
                if step == "store":
                    for key, values in store_round(store).items():
                        rounds.setdefault(key, []).append(statistics.median(values))
                        worst.setdefault(key, []).append(max(values))
                elif step == "app":
                    values = asyncio.run(app_round(db))
                    rounds.setdefault("app", []).append(statistics.median(values))
                    worst.setdefault("app", []).append(max(values))
                else:
                    for key, value in sort_round(store).items():
                        sorts.setdefault(key, []).append(value)
            print(f"round {n + 1}/{args.runs} done", file=sys.stderr)
    med = {k: statistics.median(v) for k, v in rounds.items()}
    bad = {k: statistics.median(v) for k, v in worst.items()}
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    print(f"\n{cards:,} cards, {len(keystrokes())} keystrokes a round ({', '.join(QUERIES)}), "
          f"{args.runs} rounds, {when}\n")  # fmt: skip
    print("| per keystroke | median ms | worst key ms | vs LIKE peer (median) | target |")
    print("|---|---|---|---|---|")
    rows = [("store: first page (50 rows), FTS5", "page"),
            ("store: first page, then the count", "page+count"),
            ("peer: first page by LIKE, no index", "like"),
            ("app: key press to the table's new rows", "app")]  # fmt: skip
    for label, key in rows:
        ratio = f"{med[key] / med['like']:.2f}×" if key != "like" else "1"
        target = "≤ 50 ms" if key in ("page", "app") else ""
        print(f"| {label} | {ms(med[key])} | {ms(bad[key])} | {ratio} | {target} |")
    print("\n| first page (50 rows) | median ms |\n|---|---|")
    for key, values in sorts.items():
        print(f"| {key} | {ms(statistics.median(values))} |")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
