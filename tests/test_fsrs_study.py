"""FSRS in the study session, switching schedulers and back on a real database, stats."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import fsrs as pyfsrs
import pytest
import yaml

from hccquiz import fsrs
from hccquiz.clock import DayBoundary, FixedClock
from hccquiz.fsrs import FsrsConfig, Phase
from hccquiz.grading import Scale, rating_of
from hccquiz.scheduler import FSRSScheduler, SM2Scheduler
from hccquiz.sm2 import SM2State, review
from hccquiz.store import Store
from hccquiz.study import Session, StudyConfig
from hccquiz.study.scheduling import switch_scheduler
from hccquiz.study.stats import collect
from hccquiz.study.sync import sync_files

START = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
DAY = date(2025, 3, 1)
BOUNDARY = DayBoundary(tz=UTC)
CONFIG = StudyConfig(tz=UTC)


def write_deck(path: Path, n: int) -> Path:
    items = [{"id": f"q{i}", "question": f"q {i}?", "answer": "A"} for i in range(n)]
    data = {"id": "demo", "title": "T", "levels": ["resident"], "items": items}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "p.db") as opened:
        sync_files(opened, [write_deck(tmp_path / "d.yaml", 12)], now=START)
        yield opened


def switch(store: Store, name: str, clock: FixedClock) -> Any:
    return switch_scheduler(store, name, now=clock.now(), boundary=BOUNDARY)


def session(store: Store, clock: FixedClock, **config: Any) -> Session:
    return Session(store, clock=clock, config=StudyConfig(tz=UTC, **config))


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def test_six_grade_session_under_fsrs(store: Store) -> None:
    """Six grades map 0-2 Again, 3 Hard, 4 Good, 5 Easy; steps bring cards back within the
    session; every grade matches py-fsrs called directly and is logged as FSRS's."""
    clock = FixedClock(START)
    assert switch(store, "fsrs", clock).scheduler == "fsrs"
    s = session(store, clock, scale=Scale.SIX)
    assert s.scheduler.name == "fsrs"
    reference = pyfsrs.Scheduler(enable_fuzzing=False)
    cards: dict[int, pyfsrs.Card] = {}
    rng = random.Random(4)
    shown: list[int] = []
    while (card := s.next_card()) is not None and len(shown) < 60:
        shown.append(card.card_id)
        quality = rng.choice([0, 1, 2, 3, 4, 5, 4, 4])
        preview = card.preview(quality)
        result = s.grade(quality)
        ref = cards.get(card.card_id) or pyfsrs.Card(card_id=card.card_id, due=midnight(DAY))
        rating = pyfsrs.Rating(min(max(quality - 1, 1), 4))
        ref, _ = reference.review_card(ref, rating, midnight(DAY))
        cards[card.card_id] = ref
        memory = result.review.after.memory
        assert memory is not None
        assert (memory.stability, memory.difficulty) == (ref.stability, ref.difficulty)
        assert (int(memory.phase), memory.step) == (int(ref.state), ref.step)
        assert result.review.scheduler == "fsrs"
        assert result.again_today == preview.again_today
        assert result.review.after.due == preview.due
        if memory.phase is Phase.REVIEW:
            assert preview.step is None and preview.interval == (ref.due - midnight(DAY)).days
        else:
            assert preview.step == ref.due - midnight(DAY)
            assert result.review.after.due_at == clock.now() + preview.step
        clock.advance(seconds=30)
    assert card is None, "the session ends once every step is done"
    assert len(shown) > len(set(shown)), "learning steps bring cards back the same session"
    reviews = store.reviews()
    assert {r.kind for r in reviews} == {"study", "drill"}
    assert sum(r.kind == "study" for r in reviews) == len(set(shown))
    for card_id in set(shown):  # every card ends the day graduated, due on a later day
        sched = store.card(card_id).schedule
        assert sched.due_at is None and sched.due is not None and sched.due > DAY
        assert sched.state.repetitions in (0, 1)  # SM-2 moved once, by the first grade


def test_undo_under_fsrs_restores_the_memory(store: Store) -> None:
    clock = FixedClock(START)
    switch(store, "fsrs", clock)
    s = session(store, clock)
    first = s.next_card()
    assert first is not None
    s.grade(2)  # Again: a 1-minute step
    clock.advance(minutes=2)
    again = s.next_card()
    assert again is not None and again.card_id == first.card_id and again.queue == "drill"
    before = store.card(first.card_id).schedule
    s.grade(4)
    assert store.card(first.card_id).schedule != before
    back = s.undo()
    assert back is not None and back.card_id == first.card_id
    assert store.card(first.card_id).schedule == before
    assert len(store.reviews(first.card_id)) == 1


def study_days(store: Store, clock: FixedClock, days: int, rng: random.Random) -> None:
    for _ in range(days):
        s = session(store, clock)
        while s.next_card() is not None:
            s.grade(rng.choice([2, 3, 4, 4, 4, 5]))
            clock.advance(minutes=3)
        tomorrow = BOUNDARY.day(clock.now()) + timedelta(days=1)
        clock.set(BOUNDARY.start(tomorrow) + timedelta(hours=9))


def test_switch_and_switch_back_lose_nothing(store: Store, tmp_path: Path) -> None:
    clock = FixedClock(START)
    rng = random.Random(11)
    study_days(store, clock, 6, rng)  # SM-2
    sm2_log = store.reviews()
    due_before = {c: store.card(c).schedule.due for c in store.card_ids()}
    sm2_state = {c: store.card(c).schedule.state for c in store.card_ids()}

    done = switch(store, "fsrs", clock)
    assert done.answers == sum(r.kind != "quiz" for r in sm2_log)
    assert store.reviews() == sm2_log  # the log is only read
    for c in store.card_ids():
        sched = store.card(c).schedule
        assert sched.due == due_before[c] and sched.state == sm2_state[c]  # nothing moved
        assert (sched.memory is None) == (sched.due is None)

    # the replayed memory is what py-fsrs gives for each card's history, on study days
    config = FsrsConfig()
    for c in store.card_ids():
        history = [r for r in store.reviews(c) if r.kind != "quiz"]
        if not history:
            continue
        ref = None
        for r in history:
            ref = fsrs.review(ref.state if ref else None, rating_of(r.quality), r.day, config)
        memory = store.card(c).schedule.memory
        assert ref is not None and memory is not None
        assert memory.stability == pytest.approx(ref.state.stability, rel=1e-4)
        assert memory.difficulty == pytest.approx(ref.state.difficulty, abs=1e-4)

    study_days(store, clock, 5, rng)  # FSRS, SM-2 advanced in the shadow
    fsrs_log = store.reviews()
    assert fsrs_log[: len(sm2_log)] == sm2_log
    assert {r.scheduler for r in fsrs_log[len(sm2_log) :]} == {"fsrs"}
    assert switch(store, "fsrs", clock) is None  # already in force

    back = switch(store, "sm2", clock)
    assert back.scheduler == "sm2" and store.reviews() == fsrs_log
    for c in store.card_ids():
        card = store.card(c)
        study = [r for r in store.reviews(c) if r.kind == "study"]
        expected = SM2State()
        for r in study:  # SM-2's state is every first grade of a day, in order
            expected = review(expected, r.quality)
        assert card.schedule.state == expected
        assert card.schedule.memory is None and card.schedule.due_at is None
        if study:
            assert card.schedule.due is not None

    study_days(store, clock, 2, rng)  # SM-2 again
    assert {r.scheduler for r in store.reviews()[len(fsrs_log) :]} == {"sm2"}
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_card_failed_today_keeps_its_step_across_a_switch(store: Store) -> None:
    clock = FixedClock(START)
    switch(store, "fsrs", clock)
    s = session(store, clock)
    card = s.next_card()
    assert card is not None
    s.grade(2)  # Again: back in a minute
    assert switch(store, "sm2", clock).cards == 1  # handed back to SM-2: due tomorrow
    sched = store.card(card.card_id).schedule
    assert sched.due == DAY + timedelta(days=1) and sched.due_at is None
    drill = session(store, clock, new_per_day=0)
    assert drill.next_card() is not None and drill.current.queue == "drill"  # SM-2's drill
    assert switch(store, "fsrs", clock).in_steps == 1  # and back into its learning step
    steps = session(store, clock, new_per_day=0)
    clock.advance(minutes=1)
    again = steps.next_card()
    assert again is not None and again.card_id == card.card_id and again.queue == "drill"


def test_stats_under_fsrs(store: Store) -> None:
    clock = FixedClock(START)
    rng = random.Random(3)
    study_days(store, clock, 4, rng)
    sm2 = collect(store, now=clock.now(), tz=UTC)
    assert sm2.scheduler == "sm2" and sm2.fsrs is None and sm2.to_dict()["fsrs"] is None
    switch(store, "fsrs", clock)
    study_days(store, clock, 3, rng)
    s = collect(store, now=clock.now(), tz=UTC, cards=True)
    assert s.scheduler == "fsrs" and s.fsrs is not None
    f = s.fsrs
    assert f.cards is not None and len(f.cards) == f.cards_with_memory > 0
    assert sum(f.retrievability) == f.cards_with_memory
    assert f.predicted_retention_today == pytest.approx(
        sum(c.retrievability for c in f.cards) / len(f.cards)
    )
    first_of_day_seen = [r for r in store.reviews() if r.kind == "study" and not r.before.is_new]
    assert sum(b.reviews for b in f.calibration) == len(first_of_day_seen)
    for b in f.calibration:
        assert b.low <= b.predicted < b.high and 0 <= b.actual <= 1
    data = s.to_dict()
    assert data["fsrs"]["calibration"] and "cards" in data["fsrs"]
    assert "cards" not in collect(store, now=clock.now(), tz=UTC).to_dict()["fsrs"]


def test_sessions_take_an_injected_scheduler(store: Store) -> None:
    clock = FixedClock(START)
    s = Session(store, clock=clock, config=CONFIG, scheduler=SM2Scheduler())
    assert s.scheduler.name == "sm2"
    f = Session(store, clock=clock, config=CONFIG, scheduler=FSRSScheduler(boundary=BOUNDARY))
    card = f.next_card()
    assert card is not None and card.retrievability is None
    assert [p.step for p in card.previews][:2] == [timedelta(minutes=1), timedelta(minutes=5.5)]


@pytest.mark.parametrize("analyzed", [False, True], ids=["no-stats", "analyzed"])
def test_no_fsrs_hot_path_query_scans_cards_or_reviews(tmp_path: Path, analyzed: bool) -> None:
    from test_query_plans import busy_store, scans, statements_of_a_session

    store, clock = busy_store(tmp_path)
    with store:
        switch(store, "fsrs", clock)
        s = session(store, clock, new_per_day=200)
        for _ in range(30):  # some cards into their learning steps
            if s.next_card() is None:
                break
            s.grade(2)
        clock.advance(minutes=3)
        if analyzed:
            store._conn.execute("ANALYZE")
        statements = statements_of_a_session(store, clock)
        assert any("due_at" in sql for sql in statements)
        offenders = {sql: bad for sql in statements if (bad := scans(store._conn, sql))}
        assert not offenders, "\n\n".join(f"{sql}\n  -> {bad}" for sql, bad in offenders.items())


def test_undoing_a_review_takes_its_prediction_out_of_the_calibration(store: Store) -> None:
    clock = FixedClock(START)
    switch(store, "fsrs", clock)
    study_days(store, clock, 3, random.Random(8))
    before = collect(store, now=clock.now(), tz=UTC).fsrs
    assert before is not None
    s = session(store, clock)
    card = s.next_card()
    assert card is not None and card.queue == "review" and card.retrievability is not None
    s.grade(4)
    graded = collect(store, now=clock.now(), tz=UTC).fsrs
    assert graded is not None
    assert (
        sum(b.reviews for b in graded.calibration) == sum(b.reviews for b in before.calibration) + 1
    )
    s.undo()
    after = collect(store, now=clock.now(), tz=UTC).fsrs
    assert after is not None

    def rows(f: Any) -> list[tuple[float, int, float, float]]:
        return [
            (b.low, b.reviews, round(b.predicted, 9), round(b.actual, 9)) for b in f.calibration
        ]

    assert rows(after) == rows(before)
