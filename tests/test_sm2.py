"""SM-2: the issue's vectors exactly, input checks, and hypothesis properties."""

from __future__ import annotations

import dataclasses
import itertools
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hccquiz.grading import FOUR_BUTTON, SIX_GRADE, Scale, check_quality
from hccquiz.sm2 import SM2State, needs_drill, preview, review

VECTORS = [
    ([4, 4, 4, 4, 4], [1, 6, 15, 38, 95], "2.50"),
    ([5, 5, 5, 5, 5], [1, 6, 17, 50, 150], "3.00"),
    ([3, 3, 3, 3, 3], [1, 6, 13, 26, 47], "1.80"),
    ([5, 5, 2, 4, 4], [1, 6, 1, 1, 6], "2.70"),
    ([4, 5, 5, 3, 2, 4, 4], [1, 6, 17, 44, 1, 1, 6], "2.56"),
    ([3] * 10, [1, 6, 13, 26, 47, 79, 121, 167, 218, 284], "1.30"),
]


def run(qualities: list[int], state: SM2State | None = None) -> tuple[list[int], SM2State]:
    state = state or SM2State()
    intervals = []
    for q in qualities:
        state = review(state, q)
        intervals.append(state.interval)
    return intervals, state


@pytest.mark.parametrize(("qualities", "intervals", "final_ef"), VECTORS)
def test_issue_vectors(qualities: list[int], intervals: list[int], final_ef: str) -> None:
    got, state = run(qualities)
    assert got == intervals
    assert state.easiness == Decimal(final_ef)
    assert str(state.easiness) == final_ef


def test_docstring_example() -> None:
    s = SM2State()
    assert (s.repetitions, s.easiness, s.interval) == (0, Decimal("2.5"), 0)
    assert review(s, 4) == SM2State(repetitions=1, easiness=2.5, interval=1)


def test_exact_products_where_floats_go_wrong() -> None:
    # five float q5 steps give EF 3.0000000000000004, and then 50 * EF rounds up to 151
    float_ef = 2.5
    for _ in range(5):
        float_ef += 0.1
    assert math.ceil(50 * float_ef) == 151
    assert review(SM2State(5, "1.30", 10), 3).interval == 13
    assert review(SM2State(5, "2.90", 50), 5).interval == 150


def test_state_is_immutable_and_review_returns_new() -> None:
    s = SM2State()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.interval = 3  # type: ignore[misc]
    assert review(s, 5) is not s
    assert s == SM2State()


@pytest.mark.parametrize("bad", [-1, 6, 2.0, "4", None, True, False, 4.5])
def test_bad_quality_raises(bad: object) -> None:
    with pytest.raises(ValueError, match="quality"):
        review(SM2State(), bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        check_quality(bad)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"easiness": 1.29},
        {"easiness": "2.505"},
        {"easiness": float("nan")},
        {"easiness": "abc"},
        {"easiness": True},
        {"repetitions": -1},
        {"interval": -2},
        {"interval": 1.5},
        {"repetitions": True},
    ],
)
def test_bad_state_raises(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        SM2State(**kwargs)  # type: ignore[arg-type]


def test_easiness_forms_agree() -> None:
    forms = [SM2State(2, e, 6) for e in (Decimal("2.36"), "2.36", 2.36)]
    assert forms[0] == forms[1] == forms[2]
    assert forms[0].ef100 == 236
    assert SM2State.from_ef100(2, 236, 6) == forms[0]
    assert SM2State(easiness=3).easiness == Decimal("3.00")


def test_lapse_keeps_ef_and_restarts() -> None:
    s = SM2State(4, "2.10", 30)
    for q in (0, 1, 2):
        after = review(s, q)
        assert after == SM2State(0, "2.10", 1)


def test_ef_floor_on_hard_pass() -> None:
    assert review(SM2State(3, "1.35", 10), 3).easiness == Decimal("1.30")
    assert review(SM2State(3, "1.30", 10), 3) == SM2State(4, "1.30", 13)


def test_scales_and_preview() -> None:
    assert [g.quality for g in FOUR_BUTTON] == [2, 3, 4, 5]
    assert [g.label for g in FOUR_BUTTON] == ["Again", "Hard", "Good", "Easy"]
    assert [g.quality for g in SIX_GRADE] == [0, 1, 2, 3, 4, 5]
    assert Scale("four").grades == FOUR_BUTTON and Scale.SIX.grades == SIX_GRADE
    assert Scale.FOUR.grade(4).label == "Good"
    with pytest.raises(ValueError):
        Scale.FOUR.grade(0)
    state = SM2State(2, "2.50", 6)
    assert preview(state) == {2: 1, 3: 15, 4: 15, 5: 16}
    assert preview(state, Scale.SIX) == {0: 1, 1: 1, 2: 1, 3: 15, 4: 15, 5: 16}
    assert preview(SM2State()) == {2: 1, 3: 1, 4: 1, 5: 1}


def test_needs_drill() -> None:
    assert [needs_drill(q) for q in range(6)] == [True, True, True, True, False, False]


qualities = st.integers(min_value=0, max_value=5)
states = st.builds(
    SM2State.from_ef100,
    st.integers(min_value=0, max_value=50),
    st.integers(min_value=130, max_value=400),
    st.integers(min_value=0, max_value=10_000),
)


@given(st.lists(qualities, max_size=60))
def test_ef_never_below_floor(seq: list[int]) -> None:
    state = SM2State()
    for q in seq:
        state = review(state, q)
        assert state.easiness >= Decimal("1.3")
        assert state.interval >= 1


@given(states, st.integers(min_value=0, max_value=2))
def test_lapse_resets_repetitions_and_keeps_ef(state: SM2State, q: int) -> None:
    after = review(state, q)
    assert after.repetitions == 0
    assert after.easiness == state.easiness
    assert after.interval == 1


@given(st.lists(st.integers(min_value=3, max_value=5), min_size=1, max_size=40))
def test_intervals_never_shrink_over_passes(seq: list[int]) -> None:
    intervals, _ = run(seq)
    assert intervals == sorted(intervals)
    assert all(b > a for a, b in itertools.pairwise(intervals))


@given(states, qualities)
def test_review_is_pure_and_matches_formula(state: SM2State, q: int) -> None:
    before = dataclasses.replace(state)
    after = review(state, q)
    assert state == before
    if q >= 3:
        expected = max(
            Decimal("1.3"),
            state.easiness
            + Decimal("0.1")
            - (5 - q) * (Decimal("0.08") + (5 - q) * Decimal("0.02")),
        )
        assert after.easiness == expected
        assert after.repetitions == state.repetitions + 1
        if after.repetitions > 2:
            assert after.interval == math.ceil(Decimal(state.interval) * expected)
