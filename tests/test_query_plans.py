"""Hot-path queries whose plans are right by construction, and burying by fact.

Every statement a study session runs on a busy day (start, next card, grade, drill, undo,
suspend) is captured with SQLite's trace callback and explained: none may scan the cards or
the review log, with or without the statistics ``ANALYZE`` leaves for the planner.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hccquiz.clock import FixedClock
from hccquiz.store import Store
from hccquiz.store._schema import _INITIAL, MIGRATION_SET
from hccquiz.study import Session, StudyConfig
from hccquiz.study.sync import sync_files

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CONFIG = StudyConfig(tz=UTC, new_per_day=40, reviews_per_day=1000)


def deck_text(items: int, facts: dict[int, str] | None = None) -> str:
    lines = ["id: plans", "title: Plans", "levels: [resident]", "items:"]
    for n in range(items):
        lines.append(f"  - id: q{n}")
        if facts and n in facts:
            lines.append(f"    fact: {facts[n]}")
        if n % 3 == 2:
            lines += ["    type: cloze", f"    text: 'A {{{{c1::{n}}}}} and {{{{c2::x{n}}}}}'"]
        else:
            lines += [f"    question: 'Question {n}?'", f"    answer: 'Answer {n}'"]
    return "\n".join(lines) + "\n"


def busy_store(tmp_path: Path) -> tuple[Store, FixedClock]:
    """300 items (400 cards) studied over 6 days, then 100 study grades already today."""
    deck = tmp_path / "plans.yaml"
    deck.write_text(deck_text(300), encoding="utf-8")
    store = Store.open(tmp_path / "p.db", durable=False)
    clock = FixedClock(START - timedelta(days=6))
    sync_files(store, [deck], now=clock.now())
    config = StudyConfig(tz=UTC, new_per_day=40, drill=False)
    for _ in range(6):
        session = Session(store, clock=clock, config=config)
        while (card := session.next_card()) is not None:
            session.grade(4 if card.card_id % 5 else 2)
        clock.advance(days=1)
    clock.set(START)
    session = Session(store, clock=clock, config=StudyConfig(tz=UTC, new_per_day=100))
    for _ in range(100):
        if session.next_card() is None:
            break
        session.grade(4)
    return store, clock


def statements_of_a_session(store: Store, clock: FixedClock) -> list[str]:
    seen: list[str] = []
    store._conn.set_trace_callback(seen.append)
    try:
        session = Session(store, clock=clock, config=CONFIG)
        for n in range(12):
            if session.next_card() is None:
                break
            session.grade(2 if n % 4 == 0 else 4)
        session.next_card()
        session.suspend()
        session.undo()
        session.undo()
        session.summary()
    finally:
        store._conn.set_trace_callback(None)
    return [
        s for s in seen if s.split(None, 1)[0].upper() in ("SELECT", "UPDATE", "INSERT", "DELETE")
    ]


def scans(conn: sqlite3.Connection, sql: str) -> list[str]:
    """The plan lines of `sql` that scan cards or reviews (by table or alias), or build a
    Bloom filter, which reads the whole of a join's table before the first row."""
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    bad = []
    for *_, detail in rows:
        words = detail.split()
        scan = words[0] == "SCAN" and words[1] not in ("d", "decks", "CONSTANT")
        if scan or words[:2] == ["BLOOM", "FILTER"]:
            bad.append(detail)
    return bad


LARGE_ITEMS_STATS = [  # what PRAGMA optimize left on the benchmark's 100,000-card collection
    ("items", "items_by_deck_levels", "60000 6000 143 143"),
    ("items", "sqlite_autoindex_items_1", "60000 6000 1"),
]


@pytest.mark.parametrize("stats", ["none", "analyzed", "large-items"])
def test_no_hot_path_query_scans_cards_or_reviews(tmp_path: Path, stats: str) -> None:
    store, clock = busy_store(tmp_path)
    with store:
        assert store.studied_on(clock.now().date())[0] + store.studied_on(clock.now().date())[1]
        if stats != "none":
            store._conn.execute("ANALYZE")
        if stats == "large-items":  # statistics of a big collection, on the small one
            store._conn.execute("DELETE FROM sqlite_stat1")
            store._conn.executemany("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", LARGE_ITEMS_STATS)
            store._conn.execute("ANALYZE sqlite_schema")  # reload them
        statements = statements_of_a_session(store, clock)
        assert len(statements) > 20
        offenders = {sql: bad for sql in statements if (bad := scans(store._conn, sql))}
        assert not offenders, "\n\n".join(f"{sql}\n  -> {bad}" for sql, bad in offenders.items())


def new_items(store: Store, day: date) -> list[str]:
    """Item ids of the new cards a session would take on `day`, in order."""
    return [store.card(i).item_id for i in store.new_card_ids(None, 50, bury_on=day)]


def test_items_sharing_a_fact_are_buried_together(tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    facts = {0: "os-hr", 3: "os-hr", 5: "os-hr", 1: "pfs"}
    deck.write_text(deck_text(8, facts), encoding="utf-8")
    with Store.open(tmp_path / "p.db", durable=False) as store:
        sync_files(store, [deck], now=START)
        clock = FixedClock(START)
        order = new_items(store, START.date())
        # one card per fact or item: q0 (os-hr), q1 (pfs), q2 (c1 of a cloze), q4, q6, q7
        assert order == ["q0", "q1", "q2", "q4", "q6", "q7"]
        session = Session(store, clock=clock, config=StudyConfig(tz=UTC))
        first = session.next_card()
        assert first is not None and first.item.id == "q0"
        session.grade(4)
        # the next day q3 and q5 still wait: q0, of the same fact, is due (interval 1)
        clock.advance(days=1)
        tomorrow = new_items(store, date(2026, 3, 3))
        assert "q3" not in tomorrow and "q5" not in tomorrow
        assert "q1" in tomorrow  # another fact is free
        review = Session(store, clock=clock, config=StudyConfig(tz=UTC, new_per_day=0))
        card = review.next_card()
        assert card is not None and card.item.id == "q0"
        review.grade(4)  # next due in 6 days
        assert "q3" not in new_items(store, date(2026, 3, 3))  # studied today: still waits
        # once the fact's card is neither due nor studied that day, its next item comes in
        later = new_items(store, date(2026, 3, 5))
        assert later[:3] == ["q1", "q2", "q3"] and "q5" not in later


def test_migration_0002_upgrades_a_first_version_database(tmp_path: Path) -> None:
    from sqlite_utils import Migrations

    path = tmp_path / "old.db"
    first = Migrations(MIGRATION_SET)

    @first(name="0001_initial")
    def initial(db) -> None:  # type: ignore[no-untyped-def]
        db.executescript(_INITIAL)

    Store.open(path, migrations=first).close()
    conn = sqlite3.connect(path)
    stamp = "2026-01-01T00:00:00.000Z"
    with conn:
        for deck, position in (("b", 1), ("a", 2)):
            conn.execute(
                "INSERT INTO decks VALUES (?, ?, '{}', ?, NULL, NULL, 1, ?, ?)",
                (deck, deck, position, stamp, stamp),
            )
        for pk, (deck, key, position) in enumerate(
            [("a", "x", 0), ("b", "y", 1), ("b", "z", 0)], start=1
        ):
            conn.execute(
                "INSERT INTO items (id, deck_id, key, position, type, content_hash, levels, "
                "tags, added_at, changed_at) VALUES (?, ?, ?, ?, 'cloze', 'h', '[]', '[]', ?, ?)",
                (pk, deck, key, position, stamp, stamp),
            )
            content = '{"text":"{{c1::a}} {{c2::b}}","type":"cloze"}'
            conn.execute("INSERT INTO item_content VALUES (?, ?)", (pk, content))
            for number in (2, 1):
                conn.execute("INSERT INTO cards (item_id, number) VALUES (?, ?)", (pk, number))
    conn.close()
    with Store.open(path) as store:  # applies 0002, after a backup
        in_order = [(c.deck_id, c.item_id, c.number) for c in store.cards(store.card_ids())]
        assert in_order == [("b", "z", 1), ("b", "z", 2), ("b", "y", 1), ("b", "y", 2),
                            ("a", "x", 1), ("a", "x", 2)]  # fmt: skip
        assert [
            store.card(i).item_id for i in store.new_card_ids(None, 9, bury_on=START.date())
        ] == [
            "z",
            "y",
            "x",
        ]
    assert list(tmp_path.glob("old.db.before-0002_hot_path_indexes*.bak"))
