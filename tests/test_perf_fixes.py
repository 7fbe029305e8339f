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
