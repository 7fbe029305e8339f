"""Fitting FSRS to a trainee's log (fsrs-rs): below and above the threshold, the held-back
split, and the replay of memory states."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from hccquiz import fsrs
from hccquiz.fsrs import FsrsConfig
from hccquiz.grading import Quality, rating_of
from hccquiz.optimizer import (
    HOLDOUT,
    MIN_REVIEWS,
    History,
    fit,
    learnable_reviews,
    memory_states,
)

START = date(2025, 1, 1)


def learner_histories(cards: int, seed: int, *, hard_learner: bool = True) -> list[History]:
    """Histories of a simulated learner whose memory is FSRS with parameters unlike the
    defaults (forgets much faster), scheduled by default FSRS at 0.9."""
    rng = random.Random(seed)
    truth = list(fsrs.DEFAULT_PARAMETERS)
    if hard_learner:
        truth[0:4] = [0.1, 0.4, 0.8, 2.5]
        truth[8] = 1.2
    true_config = FsrsConfig(tuple(truth))
    config = FsrsConfig()
    histories: list[History] = []
    for _ in range(cards):
        day = START + timedelta(days=rng.randrange(60))
        history: list[tuple[date, int]] = []
        seen = shown = None
        for _ in range(rng.randint(3, 12)):
            if seen is None:
                quality = rng.choice([2, 4, 4, 4, 5])
            else:
                recalled = rng.random() < fsrs.retrievability(seen.state, day, true_config)
                quality = rng.choice([3, 4, 4, 5]) if recalled else 2
            history.append((day, quality))
            seen = fsrs.review(seen.state if seen else None, rating_of(quality), day, true_config)
            shown = fsrs.review(shown.state if shown else None, rating_of(quality), day, config)
            day += timedelta(days=max(1, shown.days or 1))
        histories.append(history)
    return histories


def test_below_the_threshold_the_defaults_stay_and_it_says_why() -> None:
    histories = learner_histories(40, seed=1)
    learnable = learnable_reviews(histories)
    assert 0 < learnable < MIN_REVIEWS
    result = fit(histories)
    assert not result.fitted and result.parameters == fsrs.DEFAULT_PARAMETERS
    assert f"{learnable} delayed recalls" in result.reason and str(MIN_REVIEWS) in result.reason
    assert result.default is None and result.trial is None


def test_same_day_answers_do_not_count_towards_the_threshold() -> None:
    history = [(START, 2), (START, 2), (START, 4), (START + timedelta(days=1), 4)]
    assert learnable_reviews([history] * 10) == 10


def test_above_the_threshold_it_fits_and_beats_the_defaults_on_held_back_reviews() -> None:
    histories = learner_histories(600, seed=2)
    stages: list[tuple[str, int, int]] = []
    result = fit(histories, progress=lambda *s: stages.append(s))
    assert result.learnable >= MIN_REVIEWS
    assert result.fitted, result.reason
    assert result.default is not None and result.trial is not None
    assert result.trial.log_loss < result.default.log_loss
    assert result.trial.rmse_bins < result.default.rmse_bins
    assert result.default.items == pytest.approx(result.learnable * HOLDOUT, abs=1)
    assert result.parameters != fsrs.DEFAULT_PARAMETERS
    assert FsrsConfig(result.parameters).parameters == result.parameters  # py-fsrs accepts them
    assert result.parameters[0] < fsrs.DEFAULT_PARAMETERS[0] * 2  # the learner forgets fast
    assert [s[0] for s in stages if s[1] == s[2]][-3:] == ["fit", "evaluate", "refit"]
    assert fit(histories).parameters == result.parameters  # deterministic


def test_a_learner_the_defaults_fit_keeps_them() -> None:
    """When the fit does not beat the defaults on the held-back reviews, they stay."""
    histories = learner_histories(300, seed=7, hard_learner=False)
    result = fit(histories)
    assert result.learnable >= MIN_REVIEWS
    assert result.default is not None and result.trial is not None
    assert result.trial.log_loss >= result.default.log_loss
    assert not result.fitted and result.parameters == fsrs.DEFAULT_PARAMETERS
    assert "no better than the defaults" in result.reason


def test_memory_states_need_an_answer() -> None:
    with pytest.raises(ValueError, match="at least one"):
        memory_states([[]])
    ((stability, difficulty),) = memory_states([[(START, Quality.GOOD)]])
    assert stability == pytest.approx(fsrs.DEFAULT_PARAMETERS[2], rel=1e-6)
    assert 1 <= difficulty <= 10
