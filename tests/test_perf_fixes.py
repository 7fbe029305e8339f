"""Defects found while benchmarking (issue 16), each pinned by a test."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from hccquiz.deck.file import load_deck_text
from hccquiz.deck.models import Deck
from hccquiz.errors import DeckError
from hccquiz.store import DeckFile, Store

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

REPEATED_LEVEL = """\
id: tiny
title: Tiny deck
levels: [resident]
items:
  - id: q1
    levels: [resident, fellow, resident]
    question: What is the OS hazard ratio?
    answer: "0.58"
"""


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (REPEATED_LEVEL, (6, 13)),
        (
            REPEATED_LEVEL.replace("[resident]", "[phd, phd]", 1).replace(", fellow, resident", ""),
            (3, 9),
        ),
    ],
)
def test_a_level_listed_twice_is_refused_where_it_is(text: str, where: tuple[int, int]) -> None:
    with pytest.raises(DeckError) as caught:
        load_deck_text(text, "d.yaml")
    [problem] = [p for p in caught.value.problems if "listed twice" in p.message]
    assert (problem.line, problem.column) == where
    assert str(problem).startswith(f"d.yaml:{where[0]}:{where[1]}: ")


def test_a_level_listed_twice_fails_validate_not_sync(tmp_path: Path, cli_run) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text(REPEATED_LEVEL)
    db = tmp_path / "p.db"
    result = cli_run("validate", deck)
    assert result.returncode == 1
    assert f"{deck}:6:13:" in result.stderr and "listed twice" in result.stderr
    result = cli_run("sync", "--db", db, deck)
    assert result.returncode == 1
    assert "UNIQUE" not in result.stderr and "listed twice" in result.stderr


def test_the_store_keeps_each_level_once_even_from_unchecked_data(tmp_path: Path) -> None:
    # a deck built without validation (model_construct) must not break the write either
    deck = load_deck_text(REPEATED_LEVEL.replace(", fellow, resident", ""), "d.yaml")
    item = deck.items[0].model_copy(update={"levels": [*deck.items[0].levels] * 2})
    doubled = Deck.model_construct(**{**dict(deck), "items": [item]})
    with Store.open(tmp_path / "p.db", durable=False) as store:
        [report] = store.write_decks([DeckFile("d.yaml", "x", doubled)], now=NOW)
        assert report.status == "added"
        with store._read() as conn:
            rows = conn.execute("SELECT level FROM item_levels").fetchall()
    assert rows == [("resident",)]


def test_sync_memory_does_not_grow_with_the_number_of_decks(tmp_path: Path) -> None:
    import tracemalloc

    from deckgen import write_deck

    from hccquiz.study.sync import sync_files

    decks = []
    for n in range(6):
        path = write_deck(tmp_path / f"d{n}.yaml", 600, seed=n)
        path.write_text(path.read_text().replace("id: synthetic", f"id: deck-{n}", 1))
        decks.append(path)

    def peak(paths: list[Path], db: str) -> int:
        with Store.open(tmp_path / db, durable=False) as store:
            tracemalloc.start()
            try:
                sync_files(store, paths, now=NOW)
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

    one, six = peak(decks[:1], "one.db"), peak(decks, "six.db")
    assert six < 1.5 * one, (one, six)  # each deck is written and dropped before the next


def test_every_card_keeps_its_rank_in_deck_order_through_syncs(tmp_path: Path) -> None:
    # new cards are inserted with their rank, and a deck whose items moved is re-ranked
    import yaml

    from hccquiz.study.sync import sync_files

    def deck(path: Path, deck_id: str, keys: list[str]) -> Path:
        items = [
            {"id": k, "type": "cloze", "text": "{{c1::a}} {{c2::b}}"}
            if k.startswith("z")
            else {"id": k, "question": "Q?", "answer": "A"}
            for k in keys
        ]
        data = {"id": deck_id, "title": "T", "levels": ["resident"], "items": items}
        path.write_text(yaml.safe_dump(data))
        return path

    expected = """SELECT count(*) FROM cards c JOIN items i ON i.id = c.item_id
        JOIN decks d ON d.id = i.deck_id
        WHERE c.new_rank != (d.position << 40) + (i.position << 17) + c.number"""
    with Store.open(tmp_path / "p.db", durable=False) as store:
        one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
        for keys in (["a", "b", "za"], ["za", "c", "a", "zb"], ["c", "zb"], ["a", "c", "zb"]):
            sync_files(store, [deck(one, "one", keys), deck(two, "two", keys[::-1])], now=NOW)
            with store._read() as conn:
                assert conn.execute(expected).fetchone() == (0,), keys


STATS_REFERENCE = """
SELECT i.deck_id, i.levels, count(*), sum(c.suspended), sum(c.suspended = 0 AND c.due IS NULL),
       sum(c.suspended = 0 AND c.due IS NOT NULL AND c.due <= :t)
FROM cards c JOIN items i ON i.id = c.item_id WHERE c.retired = 0 AND i.retired = 0
GROUP BY i.deck_id, i.levels"""


def _reference(store: Store, today: str) -> dict[tuple[str, str], tuple[int, ...]]:
    with store._read() as conn:
        rows = conn.execute(STATS_REFERENCE, {"t": today}).fetchall()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def _labelled(store: Store, today: str) -> dict[tuple[str, str], tuple[int, ...]]:
    sql = """SELECT l.deck_id, l.levels, count(*), sum(c.suspended),
                    sum(c.suspended = 0 AND c.due IS NULL),
                    sum(c.suspended = 0 AND c.due IS NOT NULL AND c.due <= :t)
             FROM cards c JOIN labels l ON l.id = c.label WHERE c.retired = 0
             GROUP BY l.deck_id, l.levels"""
    with store._read() as conn:
        rows = conn.execute(sql, {"t": today}).fetchall()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def test_card_labels_follow_items_through_every_kind_of_sync(tmp_path: Path) -> None:
    import yaml

    from hccquiz.sm2 import SM2State, review
    from hccquiz.store import Schedule
    from hccquiz.study.sync import sync_files

    path = tmp_path / "d.yaml"

    def sync(items: list[dict], levels: list[str]) -> None:
        data = {"id": "d", "title": "T", "levels": levels, "items": items}
        path.write_text(yaml.safe_dump(data))
        sync_files(store, [path], now=NOW)

    def basic(key: str, *levels: str) -> dict:
        item = {"id": key, "question": "Q?", "answer": "A"}
        return {**item, "levels": list(levels)} if levels else item

    cloze = {"id": "z", "type": "cloze", "text": "{{c1::a}} {{c2::b}}"}
    today = NOW.date()
    with Store.open(tmp_path / "p.db", durable=False) as store:
        steps = [
            ([basic("a"), basic("b", "phd"), cloze], ["resident"]),
            ([basic("a"), cloze | {"text": "{{c1::a}} {{c3::c}}"}], ["resident"]),  # b retired
            ([basic("b", "phd", "fellow"), basic("a"), cloze], ["fellow"]),  # b back, relabelled
            ([basic("a", "phd"), basic("b", "phd"), cloze], ["attending"]),  # deck levels move
        ]
        for n, (items, levels) in enumerate(steps):
            sync(items, levels)
            card_id = store.card_ids()[0]
            if n == 1:  # one studied card, one suspended
                before = store.card(card_id).schedule
                after = Schedule(review(SM2State(), 4), today)
                store.record_review(card_id, kind="study", quality=4, reviewed_at=NOW,
                                    day=today, before=before, after=after)  # fmt: skip
                store.set_suspended(store.card_ids()[-1], True)
            assert _labelled(store, today.isoformat()) == _reference(store, today.isoformat()), n
        figures = store.stats_figures(today)
        assert figures.cards_total == sum(v[0] for v in _reference(store, "9999").values())


def test_stats_read_only_the_stats_indexes(tmp_path: Path) -> None:
    from hccquiz.study.sync import sync_files

    path = tmp_path / "d.yaml"
    path.write_text(REPEATED_LEVEL.replace(", fellow, resident", ""))
    with Store.open(tmp_path / "p.db", durable=False) as store:
        sync_files(store, [path], now=NOW)
        for analyzed in (False, True):
            if analyzed:
                store._conn.execute("ANALYZE")
            seen: list[str] = []
            store._conn.set_trace_callback(seen.append)
            store.stats_figures(NOW.date())
            store._conn.set_trace_callback(None)
            for sql in (s for s in seen if "cards" in s):
                plan = [r[3] for r in store._conn.execute("EXPLAIN QUERY PLAN " + sql)]
                cards = [line for line in plan if " cards " in f" {line} "]
                assert cards and all("COVERING INDEX cards_" in line for line in cards), plan
                assert not any(" items " in f" {line} " for line in plan), plan


def test_migration_0003_labels_the_cards_of_an_existing_database(tmp_path: Path) -> None:
    import sqlite3

    from sqlite_utils import Migrations

    from hccquiz.store._schema import _HOT_PATH_INDEXES, _INITIAL, MIGRATION_SET

    path = tmp_path / "old.db"
    before = Migrations(MIGRATION_SET)

    @before(name="0001_initial")
    def initial(db) -> None:  # type: ignore[no-untyped-def]
        db.executescript(_INITIAL)

    @before(name="0002_hot_path_indexes")
    def hot(db) -> None:  # type: ignore[no-untyped-def]
        for statement in _HOT_PATH_INDEXES:
            db.execute(statement)

    Store.open(path, migrations=before).close()
    conn = sqlite3.connect(path)
    stamp = "2026-01-01T00:00:00.000Z"
    with conn:
        conn.execute(
            "INSERT INTO decks VALUES ('d', 'D', '{}', 1, NULL, NULL, 2, ?, ?)", (stamp, stamp)
        )
        for pk, levels, retired in [(1, '["phd"]', 0), (2, '["phd"]', 1), (3, '["fellow"]', 0)]:
            conn.execute(
                "INSERT INTO items (id, deck_id, key, position, type, content_hash, levels, "
                "tags, retired, added_at, changed_at) "
                "VALUES (?, 'd', ?, ?, 'basic', 'h', ?, '[]', ?, ?, ?)",
                (pk, f"k{pk}", pk, levels, retired, stamp, stamp),
            )
            conn.execute("INSERT INTO item_content VALUES (?, '{}')", (pk,))
            conn.execute("INSERT INTO cards (item_id, number, due) VALUES (?, 1, ?)", (pk, None))
    conn.close()
    with Store.open(path) as store:  # applies 0003, after a backup
        with store._read() as conn:
            rows = conn.execute(
                "SELECT c.item_id, l.deck_id, l.levels FROM cards c "
                "LEFT JOIN labels l ON l.id = c.label ORDER BY c.item_id"
            ).fetchall()
        assert rows == [(1, "d", '["phd"]'), (2, None, None), (3, "d", '["fellow"]')]
        assert _labelled(store, "2026-01-01") == _reference(store, "2026-01-01")
        assert store.stats_figures(NOW.date()).cards_total == 2
