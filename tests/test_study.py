"""Study sessions and quizzes on a real store file, with an injected clock."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hccquiz.clock import DayBoundary, FixedClock, SystemClock
from hccquiz.deck.models import ChoiceItem
from hccquiz.grading import Scale
from hccquiz.sm2 import SM2State, review
from hccquiz.store import Schedule, Store
from hccquiz.study import (
    Counts,
    Filters,
    Quiz,
    Session,
    SessionError,
    StudyConfig,
    score_choice,
)
from hccquiz.study.sync import sync_files

START = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
DAY = date(2025, 3, 1)
CONFIG = StudyConfig(tz=UTC)


def items(n: int, prefix: str = "q", **extra: Any) -> list[dict[str, Any]]:
    return [
        {"id": f"{prefix}{i}", "question": f"{prefix} {i}?", "answer": "A", **extra}
        for i in range(n)
    ]


def write_deck(
    path: Path, deck_items: list[dict[str, Any]], deck_id: str = "demo", **extra: Any
) -> Path:
    data = {"id": deck_id, "title": "T", "levels": ["resident"], **extra, "items": deck_items}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "p.db") as opened:
        yield opened


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def sync(store: Store, path: Path, deck_items: list[dict[str, Any]], **extra: Any) -> None:
    sync_files(store, [write_deck(path, deck_items, **extra)], now=START)


def run_through(session: Session, quality: int) -> list[int]:
    seen = []
    while (card := session.next_card()) is not None:
        seen.append(card.card_id)
        session.grade(quality)
    return seen


def study_on(store: Store, card_id: int, day: date, quality: int = 4) -> None:
    before = store.card(card_id).schedule
    state = review(before.state, quality)
    after = Schedule(state, day + timedelta(days=state.interval))
    at = datetime.combine(day, time(12), UTC)
    store.record_review(
        card_id, kind="study", quality=quality, reviewed_at=at, day=day, before=before, after=after
    )


def keys(store: Store, ids: list[int]) -> list[str]:
    return [
        f"{c.item_id}" + (f"#{c.number}" if c.item_type == "cloze" else "")
        for c in store.cards(ids)
    ]


# ---- clock and config -----------------------------------------------------------------------


def test_day_boundary() -> None:
    b = DayBoundary(tz=UTC)
    assert b.day(datetime(2025, 3, 2, 3, 59, tzinfo=UTC)) == date(2025, 3, 1)
    assert b.day(datetime(2025, 3, 2, 4, 0, tzinfo=UTC)) == date(2025, 3, 2)
    six = DayBoundary(time(6, 30), timezone(timedelta(hours=-5)))
    assert six.day(datetime(2025, 3, 2, 11, 29, tzinfo=UTC)) == date(2025, 3, 1)  # 06:29 local
    assert six.day(datetime(2025, 3, 2, 11, 30, tzinfo=UTC)) == date(2025, 3, 2)
    assert six.start(date(2025, 3, 2)) == datetime(2025, 3, 2, 11, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        b.day(datetime(2025, 3, 2))
    with pytest.raises(ValueError):
        FixedClock(datetime(2025, 3, 2))
    assert SystemClock().now().tzinfo is UTC


def test_config_settings_round_trip() -> None:
    cfg = StudyConfig(new_per_day=5, day_starts_at=time(5, 15), scale=Scale.SIX, drill=False)
    assert StudyConfig.from_settings(cfg.to_settings()) == cfg
    assert StudyConfig.from_settings({}, new_per_day=3).new_per_day == 3
    with pytest.raises(SessionError):
        StudyConfig.from_settings({"new_per_day": "lots"})
    with pytest.raises(ValueError):
        StudyConfig(new_per_day=-1)
    with pytest.raises(ValueError):
        Filters(levels=("dean",))


# ---- the queue ----------------------------------------------------------------------------


def test_queue_order_reviews_most_overdue_first_then_new(
    store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    sync(store, tmp_path / "d.yaml", items(6))
    ids = store.card_ids()
    study_on(store, ids[5], DAY - timedelta(days=2))  # due yesterday
    study_on(store, ids[3], DAY - timedelta(days=4))  # due three days ago
    session = Session(store, clock=clock, config=CONFIG)
    assert session.counts == Counts(new=4, learning=0, review=2)
    order = []
    while (card := session.next_card()) is not None:
        order.append(card.queue)
        session.grade(4)
    assert order == ["review", "review", "new", "new", "new", "new"]
    assert session.counts.total == 0 and session.next_card() is None
    log = [r.card_id for r in store.reviews() if r.day == DAY]
    assert log == [ids[3], ids[5], ids[0], ids[1], ids[2], ids[4]]


def test_daily_limits_hold_across_sessions(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    sync(store, tmp_path / "d.yaml", items(10))
    cfg = StudyConfig(new_per_day=3, reviews_per_day=2, tz=UTC)
    assert len(run_through(Session(store, clock=clock, config=cfg), 5)) == 3
    assert run_through(Session(store, clock=clock, config=cfg), 5) == []
    clock.advance(days=1)
    s = Session(store, clock=clock, config=cfg)
    assert s.counts == Counts(new=3, learning=0, review=2)  # 3 due, limit 2
    assert len(run_through(s, 5)) == 5


def test_filters(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    sync(
        store, tmp_path / "a.yaml", [*items(2, "a", tags=["os"]), *items(2, "b", levels=["fellow"])]
    )
    sync(store, tmp_path / "z.yaml", items(3, "z"), deck_id="zeta")

    def new_keys(**f: Any) -> list[str]:
        s = Session(store, clock=clock, config=CONFIG, filters=Filters(**f))
        return keys(store, list(s._queues["new"]))

    assert new_keys(decks=("zeta",)) == ["z0", "z1", "z2"]
    assert new_keys(levels=("fellow",)) == ["b0", "b1"]
    assert new_keys(tags=("os",)) == ["a0", "a1"]
    assert new_keys(levels=("fellow", "resident"), decks=("demo",)) == ["a0", "a1", "b0", "b1"]
    assert new_keys() == ["a0", "a1", "b0", "b1", "z0", "z1", "z2"]


def test_day_boundary_in_sessions(store: Store, tmp_path: Path) -> None:
    sync(store, tmp_path / "d.yaml", items(1))
    late = FixedClock(datetime(2025, 3, 2, 3, 30, tzinfo=UTC))  # still 1 March
    s = Session(store, clock=late, config=CONFIG)
    assert s.day == DAY
    s.next_card()
    assert s.grade(4).due == date(2025, 3, 2)
    late.set(datetime(2025, 3, 2, 4, 0, tzinfo=UTC))
    s2 = Session(store, clock=late, config=CONFIG)
    assert s2.day == date(2025, 3, 2) and s2.counts.review == 1
    shifted = StudyConfig(day_starts_at=time(6), tz=UTC)
    assert Session(store, clock=late, config=shifted).day == DAY


def test_rolls_over_to_a_new_day_when_left_open(
    store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    sync(store, tmp_path / "d.yaml", items(3))
    s = Session(store, clock=clock, config=StudyConfig(new_per_day=1, tz=UTC))
    assert len(run_through(s, 5)) == 1
    clock.advance(days=1)
    card = s.next_card()
    assert s.day == DAY + timedelta(days=1)
    assert card is not None and card.queue == "review"
    assert s.counts == Counts(new=1, learning=0, review=1)


# ---- grading, previews, drill -------------------------------------------------------------


def test_grade_records_and_previews(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    sync(store, tmp_path / "d.yaml", [{"id": "c", "type": "cloze", "text": "{{c1::a}} {{c2::b}}"}])
    s = Session(store, clock=clock, config=CONFIG)
    card = s.next_card()
    assert card is s.next_card()  # same card until graded
    assert (card.number, card.queue, card.changed) == (1, "new", False)
    assert card.item.type == "cloze"
    assert [(p.grade.label, p.interval, p.again_today) for p in card.previews] == [
        ("Again", 1, True),
        ("Hard", 1, True),
        ("Good", 1, False),
        ("Easy", 1, False),
    ]
    assert card.preview(4).due == DAY + timedelta(days=1)
    clock.advance(seconds=7.25)
    result = s.grade(5)
    assert result.review.answer_ms == 7250 and result.review.kind == "study"
    assert result.due == DAY + timedelta(days=1) and not result.again_today
    assert store.card(card.card_id).schedule == Schedule(SM2State(1, "2.6", 1), result.due)
    with pytest.raises(SessionError, match="no card"):
        s.grade(4)
    assert s.next_card() is None  # c2 is buried: its sibling was studied today
    clock.advance(days=1)
    later = Session(store, clock=clock, config=CONFIG)
    card = later.next_card()
    assert (card.number, card.queue) == (1, "review")  # c2 still buried: c1 is due today
    with pytest.raises(ValueError):
        later.grade(1)  # not on the four-button scale
    six = Session(store, clock=clock, config=StudyConfig(scale=Scale.SIX, tz=UTC))
    assert [p.grade.quality for p in six.next_card().previews] == [0, 1, 2, 3, 4, 5]
    six.grade(1)
    assert store.reviews()[-1].quality == 1


def test_drill_until_four_and_only_first_grade_counts(
    store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    sync(store, tmp_path / "d.yaml", items(3))
    ids = store.card_ids()
    s = Session(store, clock=clock, config=CONFIG)
    grades = {ids[0]: [2, 3, 4], ids[1]: [3, 5], ids[2]: [4]}
    shown = []
    while (card := s.next_card()) is not None:
        shown.append((card.card_id, card.queue))
        s.grade(grades[card.card_id].pop(0))
        if card.card_id == ids[0] and card.queue == "new":
            assert s.counts == Counts(new=2, learning=1, review=0)
    assert shown == [
        (ids[0], "new"),
        (ids[1], "new"),
        (ids[2], "new"),
        (ids[0], "drill"),
        (ids[1], "drill"),
        (ids[0], "drill"),
    ]
    assert store.card(ids[0]).schedule.state == review(SM2State(), 2)
    assert store.card(ids[1]).schedule.state == review(SM2State(), 3)
    kinds = [(r.card_id, r.kind, r.quality) for r in store.reviews()]
    assert kinds == [
        (ids[0], "study", 2),
        (ids[1], "study", 3),
        (ids[2], "study", 4),
        (ids[0], "drill", 3),
        (ids[1], "drill", 5),
        (ids[0], "drill", 4),
    ]


def test_drill_survives_a_restart(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    sync(store, tmp_path / "d.yaml", items(2))
    s = Session(store, clock=clock, config=CONFIG)
    s.next_card()
    s.grade(2)
    restarted = Session(store, clock=clock, config=CONFIG)
    assert restarted.counts == Counts(new=1, learning=1, review=0)
    run_through(restarted, 5)
    card = restarted.next_card()
    assert card is None
    assert [r.kind for r in store.reviews()] == ["study", "study", "drill"]
    no_drill = Session(store, clock=clock, config=StudyConfig(drill=False, tz=UTC))
    assert no_drill.counts.learning == 0


def test_drill_card_previews(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    sync(store, tmp_path / "d.yaml", items(1))
    s = Session(store, clock=clock, config=CONFIG)
    s.next_card()
    s.grade(3)
    card = s.next_card()
    assert card.queue == "drill"
    assert {p.interval for p in card.previews} == {None}
    assert {p.due for p in card.previews} == {DAY + timedelta(days=1)}
    assert [p.again_today for p in card.previews] == [True, True, False, False]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from([2, 3, 4, 5]), min_size=1, max_size=25))
def test_drill_never_changes_state(
    tmp_path_factory: pytest.TempPathFactory, seq: list[int]
) -> None:
    folder = tmp_path_factory.mktemp("drill")
    with Store.open(folder / "p.db", durable=False) as store:
        sync(store, folder / "d.yaml", items(3))
        s = Session(store, clock=FixedClock(START), config=CONFIG)
        first: dict[int, int] = {}
        for quality in seq:
            card = s.next_card()
            if card is None:
                break
            first.setdefault(card.card_id, quality)
            s.grade(quality)
        for card_id, quality in first.items():
            expected = review(SM2State(), quality)
            assert store.card(card_id).schedule == Schedule(
                expected, DAY + timedelta(days=expected.interval)
            )
        studies = [r for r in store.reviews() if r.kind == "study"]
        assert len(studies) == len(first)
        assert all(r.before == r.after for r in store.reviews() if r.kind == "drill")


# ---- undo and suspend ---------------------------------------------------------------------


def _snapshot(path: Path) -> list[Any]:
    conn = sqlite3.connect(path)
    rows = [conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("cards", "reviews")]
    conn.close()
    return rows


def test_undo_restores_everything(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    sync(store, tmp_path / "d.yaml", items(3))
    s = Session(store, clock=clock, config=CONFIG)
    initial = _snapshot(store.path)
    first = s.next_card()
    s.grade(2)
    after_first = _snapshot(store.path)
    second = s.next_card()
    s.grade(5)
    assert s.counts == Counts(new=1, learning=1, review=0)
    back = s.undo()
    assert back.card_id == second.card_id and back.queue == "new"
    assert _snapshot(store.path) == after_first
    assert s.counts == Counts(new=2, learning=1, review=0)
    again = s.undo()  # the shown card goes back to its queue first
    assert again.card_id == first.card_id
    assert _snapshot(store.path) == initial
    assert s.counts == Counts(new=3, learning=0, review=0)
    assert not s.can_undo
    with pytest.raises(SessionError, match="nothing to undo"):
        s.undo()
    assert run_through(s, 4) == store.card_ids()


def test_undo_a_drill_grade(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    sync(store, tmp_path / "d.yaml", items(1))
    s = Session(store, clock=clock, config=CONFIG)
    s.next_card()
    s.grade(2)
    s.next_card()
    s.grade(2)  # drill, failed again: back in the drill queue
    assert s.counts.learning == 1
    card = s.undo()
    assert card.queue == "drill" and s.counts == Counts(0, 1, 0)
    assert [r.kind for r in store.reviews()] == ["study"]
    s.grade(4)
    assert s.next_card() is None


def test_suspend_and_undo_suspend(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    sync(store, tmp_path / "d.yaml", items(2))
    s = Session(store, clock=clock, config=CONFIG)
    card = s.next_card()
    s.suspend()
    assert store.card(card.card_id).suspended
    assert s.counts == Counts(1, 0, 0)
    assert s.undo().card_id == card.card_id
    assert not store.card(card.card_id).suspended
    s.suspend()
    assert run_through(s, 4) == [store.card_ids()[1]]
    assert Session(store, clock=clock, config=CONFIG).counts.total == 0
    store.set_suspended(card.card_id, False)
    assert Session(store, clock=clock, config=CONFIG).counts == Counts(1, 0, 0)
    assert s.summary().suspended == (card.card_id,)


def test_changed_flag_and_concurrent_changes(
    store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    deck = tmp_path / "d.yaml"
    sync(store, deck, items(3))
    run_through(Session(store, clock=clock, config=CONFIG), 5)
    clock.advance(days=1)
    edited = items(3)
    edited[0]["question"] = "reworded?"
    sync(store, deck, edited[:2])  # q0 edited, q2 retired
    s = Session(store, clock=clock, config=CONFIG)
    first = s.next_card()
    assert first.changed and first.item.question == "reworded?"
    # another process grades the next card while this session holds it in its queue
    with Store.open(store.path) as other:
        s2 = Session(other, clock=clock, config=CONFIG)
        s2.next_card()
        s2.grade(4)
        s2.next_card()
        s2.grade(4)
    with pytest.raises(SessionError, match="graded elsewhere"):
        s.grade(4)
    assert s.next_card() is None  # q1 was graded elsewhere, q2 retired
    assert len([r for r in store.reviews() if r.day == DAY + timedelta(days=1)]) == 2


def test_summary(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    sync(store, tmp_path / "d.yaml", items(3))
    s = Session(store, clock=clock, config=CONFIG)
    for quality in (2, 5, 4):
        s.next_card()
        clock.advance(seconds=2)
        s.grade(quality)
    s.next_card()
    s.grade(4)  # the drill
    summary = s.summary()
    assert (summary.new, summary.reviews, summary.drills) == (3, 0, 1)
    assert (summary.passed, summary.lapsed, summary.studied) == (2, 1, 3)
    assert summary.by_quality == {2: 1, 4: 1, 5: 1}
    assert summary.pass_rate == pytest.approx(2 / 3)
    assert summary.answer_ms == 6000
    assert summary.remaining.total == 0 and summary.day == DAY
    assert summary.ended_at - summary.started_at == timedelta(seconds=6)


# ---- quiz ---------------------------------------------------------------------------------


CHOICE = {
    "id": "ch",
    "type": "choice",
    "question": "Pick",
    "choices": ["x", "y", "z"],
    "answer": "y",
    "levels": ["fellow"],
}
MULTI = {
    "id": "mu",
    "type": "choice",
    "question": "All?",
    "choices": ["p", "q", "r"],
    "answer": ["p", "r"],
    "shuffle": False,
}


def test_score_choice() -> None:
    single = ChoiceItem.model_validate(CHOICE)
    multi = ChoiceItem.model_validate(MULTI)
    assert score_choice(single, "y") and score_choice(single, [" y "])
    assert not score_choice(single, "x") and not score_choice(single, ["y", "x"])
    assert score_choice(multi, ["r", "p"]) and not score_choice(multi, ["p"])


def test_quiz_never_touches_the_schedule(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    cz = {"id": "cz", "type": "cloze", "text": "{{c1::a}} {{c2::b}}"}
    sync(store, tmp_path / "d.yaml", [*items(3), CHOICE, MULTI, cz])
    run_through(Session(store, clock=clock, config=StudyConfig(new_per_day=2, tz=UTC)), 4)
    cards_before = _snapshot(store.path)[0]
    quiz = Quiz(store, clock=clock, rng=random.Random(7), count=10, config=CONFIG)
    assert len(quiz.questions) == 6  # one card per item
    assert len({q.item.id for q in quiz.questions}) == 6
    while (q := quiz.next_question()) is not None:
        clock.advance(seconds=1)
        if q.item.id == "ch":
            assert sorted(q.choices) == ["x", "y", "z"]
            assert not quiz.answer("x").correct
        elif q.item.id == "mu":
            assert q.choices == ("p", "q", "r")  # shuffle: false keeps order
            with pytest.raises(SessionError, match="automatically"):
                quiz.grade(4)
            assert quiz.answer(["p", "r"]).correct
        else:
            with pytest.raises(SessionError, match="use grade"):
                quiz.answer("x")
            quiz.grade(2 if q.item.id == "q0" else 5)
    with pytest.raises(SessionError, match="over"):
        quiz.grade(4)
    assert _snapshot(store.path)[0] == cards_before
    quiz_rows = [r for r in store.reviews() if r.kind == "quiz"]
    assert len(quiz_rows) == 6 and all(r.before == r.after for r in quiz_rows)
    assert all(r.answer_ms == 1000 for r in quiz_rows)
    report = quiz.report()
    assert (report.correct, report.answered, report.total) == (4, 6, 6)
    assert report.score == pytest.approx(4 / 6)
    assert {m.question.item.id for m in report.missed} == {"ch", "q0"}
    assert [m.given for m in report.missed if m.question.item.id == "ch"] == [("x",)]
    assert list(report.by_level) == ["resident", "fellow"]
    assert report.by_level["fellow"].correct == 0 and report.by_level["fellow"].total == 1
    assert report.by_level["resident"].total == 5 and report.by_level["resident"].correct == 4


def test_quiz_draw_is_seeded_and_filtered(store: Store, clock: FixedClock, tmp_path: Path) -> None:
    sync(store, tmp_path / "d.yaml", [*items(20), CHOICE])

    def draw(seed: int, **kw: Any) -> list[str]:
        quiz = Quiz(store, clock=clock, rng=random.Random(seed), config=CONFIG, **kw)
        return [q.item.id for q in quiz.questions]

    assert draw(1, count=5) == draw(1, count=5)
    assert draw(1, count=5) != draw(2, count=5)
    assert draw(3, count=5, filters=Filters(levels=("fellow",))) == ["ch"]
    assert draw(3, count=5, include_new=False) == []
    with pytest.raises(ValueError):
        Quiz(store, clock=clock, rng=random.Random(1), count=0)
    empty = Quiz(store, clock=clock, rng=random.Random(1), filters=Filters(decks=("none",)))
    assert empty.next_question() is None and empty.report().score is None


def test_new_siblings_are_buried_until_another_day(
    store: Store, clock: FixedClock, tmp_path: Path
) -> None:
    cz = {"id": "cz", "type": "cloze", "text": "{{c1::a}} {{c2::b}} {{c3::c}}"}
    sync(store, tmp_path / "d.yaml", [cz, *items(1)])
    s = Session(store, clock=clock, config=CONFIG)
    shown = []
    while (card := s.next_card()) is not None:
        shown.append((card.item.id, card.number))
        s.grade(4)
    assert shown == [("cz", 1), ("q0", 1)]  # one new card per item a day
    clock.advance(days=1)  # c1 is due today: c2 and c3 stay buried
    s = Session(store, clock=clock, config=CONFIG)
    shown = []
    while (card := s.next_card()) is not None:
        shown.append((card.item.id, card.number, card.queue))
        s.grade(4)
    assert shown == [("cz", 1, "review"), ("q0", 1, "review")]
    clock.advance(days=2)  # nothing of cz is due or studied today: c2 comes
    s = Session(store, clock=clock, config=CONFIG)
    card = s.next_card()
    assert (card.item.id, card.number, card.queue) == ("cz", 2, "new")
