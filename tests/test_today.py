"""What is left today, per-deck limits, the day a grade belongs to, and sync's refusal of a
deck arriving from another file (issue 10, items 2, 5, 6 and 7)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from hccquiz.clock import FixedClock
from hccquiz.errors import HccquizError
from hccquiz.store import Store
from hccquiz.study import Counts, Filters, Session, StudyConfig, Workspace
from hccquiz.study.stats import collect
from hccquiz.study.sync import sync_files

START = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
DAY = date(2025, 3, 1)


def deck_file(path: Path, n: int, deck_id: str = "demo", prefix: str = "q", **item: Any) -> Path:
    items = [{"id": f"{prefix}{i}", "question": f"{prefix}{i}?", "answer": "A", **item}
             for i in range(n)]  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"id": deck_id, "title": f"{deck_id.title()} — a deck", "levels": ["resident"],
            "items": items}  # fmt: skip
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "p.db", durable=False) as opened:
        yield opened


def workspace(store: Store, clock: FixedClock, **config: Any) -> Workspace:
    return Workspace(store, clock=clock, rng=random.Random(1),
                     config=StudyConfig(tz=UTC, **config))  # fmt: skip


def left(ws: Workspace, filters: Filters | None = None) -> Counts:
    """What home shows (the sum of its rows), checked against stats and a fresh session."""
    rows = ws.overview(filters)
    home = Counts(sum(r.new for r in rows), sum(r.learning for r in rows), sum(r.due for r in rows))
    assert ws.session(filters).counts == home
    if filters is None:
        stats = collect(ws.store, now=ws.clock.now(), config=ws.config).left_today
        assert (stats["new"], stats["learning"], stats["review"], stats["total"]) == (
            home.new, home.learning, home.review, home.total,
        )  # fmt: skip
    return home


# ---- item 7: per-deck limits, visible where they bite -------------------------------------


def test_each_deck_has_its_own_new_card_limit(store: Store, tmp_path: Path) -> None:
    sync_files(store, [deck_file(tmp_path / "a.yaml", 25, "alpha", "a"),
                       deck_file(tmp_path / "b.yaml", 25, "beta", "b")], now=START)  # fmt: skip
    ws = workspace(store, FixedClock(START), deck_new={"beta": 5})
    assert [(r.deck_id, r.new) for r in ws.overview()] == [("alpha", 20), ("beta", 5)]
    session = ws.session()
    assert session.counts == Counts(new=25, learning=0, review=0)
    for _ in range(25):
        assert session.next_card() is not None
        session.grade(4)
    assert session.next_card() is None
    # a never-studied deck shows its new cards, however much another deck was studied
    sync_files(store, [deck_file(tmp_path / "c.yaml", 3, "gamma", "c")], now=START)
    assert [r.new for r in ws.overview()] == [0, 0, 3]


def test_a_limit_reached_says_so_and_how_to_change_it(store: Store, tmp_path: Path) -> None:
    sync_files(store, [deck_file(tmp_path / "d.yaml", 30, levels=["fellow"])], now=START)
    ws = workspace(store, FixedClock(START), new_per_day=20)
    assert ws.limit_notes() == []  # 20 wait within the limit: nothing held back yet
    session = ws.session()
    while session.next_card() is not None:
        session.grade(4)
    assert ws.limit_notes(Filters(levels=("fellow",))) == [
        "Demo: daily new-card limit reached: 20 of 20; change with "
        "hccquiz config set new_per_day 30 --deck demo"
    ]
    assert left(ws, Filters(levels=("fellow",))) == Counts(0, 0, 0)
    assert ws.overview()[0].limit_note is not None


def test_next_due_counts_only_the_session_decks(store: Store, tmp_path: Path) -> None:
    sync_files(store, [deck_file(tmp_path / "a.yaml", 3, "alpha", "a"),
                       deck_file(tmp_path / "b.yaml", 20, "beta", "b")], now=START)  # fmt: skip
    ws = workspace(store, FixedClock(START))
    for deck, n in (("beta", 20), ("alpha", 3)):
        session = ws.session(Filters((deck,)))
        for _ in range(n):
            session.next_card()
            session.grade(4)
    assert ws.next_due_text(Filters(("alpha",))) == "tomorrow, Sun 02 Mar (3 cards)"
    assert ws.next_due_text() == "tomorrow, Sun 02 Mar (23 cards)"


# ---- item 5: one source of truth for what is left today -----------------------------------


def test_suspend_undo_and_grades_keep_home_summary_and_stats_in_step(
    store: Store, tmp_path: Path
) -> None:
    sync_files(store, [deck_file(tmp_path / "d.yaml", 25)], now=START)
    clock = FixedClock(START)
    ws = workspace(store, clock)
    session = ws.session()
    assert session.counts == left(ws) == Counts(20, 0, 0)
    served = []
    for n in range(19):
        card = session.next_card()
        assert card is not None
        served.append(card.card_id)
        session.grade(2 if n < 3 else 4)  # three to the drill
        assert session.counts == left(ws)
    card = session.next_card()
    assert card is not None and card.queue == "new"
    session.suspend()  # the 20th new card: the next in line takes its place, as in Anki
    assert session.counts == left(ws) == Counts(1, 3, 0)
    assert session.undo() is not None  # the suspended card is back on screen
    assert session.counts == left(ws) == Counts(1, 3, 0)
    session.suspend()
    summary = session.summary()
    assert summary.remaining == left(ws) == Counts(1, 3, 0)
    replacement = session.next_card()
    assert replacement is not None and replacement.card_id not in served
    session.grade(4)
    assert session.counts == left(ws) == Counts(0, 3, 0)
    while (card := session.next_card()) is not None:
        session.grade(4)
    assert session.counts == left(ws) == Counts(0, 0, 0)


# ---- item 6: a grade belongs to the study day in which it is given ------------------------


def test_a_grade_given_after_the_day_starts_counts_for_the_new_day(
    store: Store, tmp_path: Path
) -> None:
    sync_files(store, [deck_file(tmp_path / "d.yaml", 3)], now=START)
    clock = FixedClock(datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
    config = StudyConfig(tz=UTC, day_starts_at=time(4, 0))
    first = Session(store, clock=clock, config=config)
    for _ in range(3):
        first.next_card()
        first.grade(4)  # all due 2 March
    clock.set(datetime(2025, 3, 2, 3, 59, 50, tzinfo=UTC))  # 1 March, 10 s before 04:00
    late = Session(store, clock=clock, config=config)
    assert late.day == DAY and late.next_card() is None  # nothing due on 1 March any more
    clock.set(datetime(2025, 3, 2, 3, 59, 55, tzinfo=UTC))
    night = Session(store, clock=clock, config=config, filters=Filters())
    sync_files(store, [deck_file(tmp_path / "d.yaml", 4)], now=START)  # a new card appears
    night._load()
    card = night.next_card()  # shown at 03:59:55, on 1 March: a new card
    assert card is not None and card.queue == "new" and night.day == DAY
    clock.set(datetime(2025, 3, 2, 4, 0, 5, tzinfo=UTC))  # graded on 2 March
    result = night.grade(4)
    assert result.review.day == date(2025, 3, 2)
    assert result.due == date(2025, 3, 3)  # interval 1 from the day it was given
    assert night.day == date(2025, 3, 2)
    # the reloaded queue is 2 March's: the three reviews due today, not the card just graded
    assert night.counts == Counts(new=0, learning=0, review=3)
    shown = night.next_card()
    assert shown is not None and shown.card_id != card.card_id and shown.queue == "review"


def test_a_drill_card_graded_after_the_day_starts_is_a_review_of_the_new_day(
    store: Store, tmp_path: Path
) -> None:
    sync_files(store, [deck_file(tmp_path / "d.yaml", 1)], now=START)
    clock = FixedClock(datetime(2025, 3, 2, 3, 50, tzinfo=UTC))  # 1 March, late
    session = Session(store, clock=clock, config=StudyConfig(tz=UTC))
    session.next_card()
    session.grade(2)  # Again: to the drill, due 2 March
    card = session.next_card()
    assert card is not None and card.queue == "drill"
    clock.set(datetime(2025, 3, 2, 4, 0, 5, tzinfo=UTC))
    result = session.grade(4)
    assert (result.review.kind, result.review.day) == ("study", date(2025, 3, 2))
    assert result.review.after.due == date(2025, 3, 3)  # after a lapse, 1 day from 2 March
    assert session.next_card() is None


# ---- item 2: a deck id arriving from another file ----------------------------------------


def test_a_deck_from_another_file_that_would_retire_items_is_refused(
    store: Store, tmp_path: Path
) -> None:
    original = deck_file(tmp_path / "decks" / "demo.yaml", 5)
    sync_files(store, [original], now=START)
    draft = deck_file(tmp_path / "draft.yaml", 2, prefix="x")
    with pytest.raises(HccquizError) as caught:
        sync_files(store, [draft], now=START)
    message = str(caught.value)
    assert message == (
        f"{draft}: deck id 'demo' was synced from {original}; this file would retire 5 of "
        f"its items and hide their progress: give it its own id, or run "
        f"`hccquiz sync {draft} --replace` to replace that deck"
    )
    assert len(store.card_ids()) == 5  # nothing written
    # a file that keeps every item may move; --replace lets one replace the deck
    moved = deck_file(tmp_path / "moved.yaml", 6)
    assert sync_files(store, [moved], now=START)[0].items_added == 1
    report = sync_files(store, [draft], now=START, replace=True)[0]
    assert (report.items_added, report.items_retired) == (2, 6)


def test_sync_refusal_from_the_command_line(tmp_path: Path, cli_run) -> None:
    db = tmp_path / "p.db"
    first = deck_file(tmp_path / "one.yaml", 3)
    second = deck_file(tmp_path / "two.yaml", 1, prefix="z")
    assert cli_run("sync", first, "--db", db).returncode == 0
    refused = cli_run("sync", second, "--db", db)
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert f"was synced from {first}" in refused.stderr and "--replace" in refused.stderr
    replaced = cli_run("sync", second, "--replace", "--db", db)
    assert replaced.returncode == 0, replaced.stderr
    assert "3 retired" in replaced.stdout


def test_the_bundled_deck_path_moving_is_not_a_replacement(tmp_path: Path, store: Store) -> None:
    a = deck_file(tmp_path / "a" / "demo.yaml", 3)
    sync_files(store, [a], now=START)
    b = deck_file(tmp_path / "b" / "demo.yaml", 3)  # the same items, elsewhere: fine
    deck = yaml.safe_load(b.read_text())
    deck["title"] = "Renamed"
    b.write_text(yaml.safe_dump(deck))
    assert sync_files(store, [b], now=START)[0].status == "updated"
    assert store.deck_paths() == {"demo": str(b)}


def test_workspace_stats_counts_by_study_day(store: Store, tmp_path: Path) -> None:
    sync_files(store, [deck_file(tmp_path / "d.yaml", 2)], now=START)
    ws = workspace(store, FixedClock(START + timedelta(hours=20)))  # 06:00 on 2 March
    assert ws.today() == date(2025, 3, 2)
    assert ws.stats().left_today == {"new": 2, "learning": 0, "review": 0, "total": 2}


def test_the_day_plan_reads_through_indexes(tmp_path: Path) -> None:
    """The per-deck reads of `plan_day` (and the filtered forecast) seek through indexes:
    no SCAN of cards, items or reviews (scans of their own small CTEs are fine)."""
    from test_query_plans import busy_store

    store, clock = busy_store(tmp_path)
    seen: list[str] = []
    with store:
        store._conn.set_trace_callback(seen.append)
        try:
            ws = Workspace(store, clock=clock, rng=random.Random(1), config=StudyConfig(tz=UTC))
            ws.session()
            ws.overview()
            ws.next_due_text(Filters(("plans",)))
        finally:
            store._conn.set_trace_callback(None)
        marks = ("row_number()", "max(c.due", "GROUP BY i.deck_id", "SELECT c.id, i.deck_id FROM")
        ours = [s for s in seen if any(mark in s for mark in marks)]
        assert len({s.split("(", 1)[0] for s in ours}) >= 3
        for sql in ours:
            plan = store._conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
            tables = {"c", "cards", "i", "items", "r", "reviews"}
            bad = [row[-1] for row in plan if row[-1].split()[:2][0] == "SCAN"
                   and row[-1].split()[1] in tables]  # fmt: skip
            assert not bad, (sql, bad)


@pytest.mark.parametrize("new_per_day", [20, 500])
def test_day_one_of_the_bundled_deck_never_asks_one_fact_twice(
    store: Store, new_per_day: int
) -> None:
    """Issue 10, item 4: new cards come in deck order, one per fact (and per item) a day,
    so the OS hazard ratio is not asked three times running on the first day."""
    from hccquiz.deck.file import load_deck

    root = Path(__file__).resolve().parents[1]
    sync_files(store, [root / "decks" / "imbrave150.yaml"], now=START)
    facts = {i.id: i.fact for i in load_deck(root / "decks" / "imbrave150.yaml").items}
    ws = workspace(store, FixedClock(START), new_per_day=new_per_day)
    session = ws.session()
    seen_facts: set[str] = set()
    seen_items: set[str] = set()
    asked = 0
    while (card := session.next_card()) is not None:
        if card.queue == "new":
            asked += 1
            assert card.item.id not in seen_items, card.item.id
            seen_items.add(card.item.id)
            if fact := facts[card.item.id]:
                assert fact not in seen_facts, (card.item.id, fact)
                seen_facts.add(fact)
        session.grade(4)
    assert asked == min(new_per_day, len(seen_items)) and asked >= 20
    assert len(seen_facts) >= 5  # the deck does name its facts
