"""FSRS parameters fitted to one trainee's reviews, and FSRS memory replayed from a log, with
fsrs-rs (``fsrs-rs-python``: Rust, no torch). Pure: no I/O, no clock.

The input is each card's history: the study day and quality of every answer that moves a
schedule (``study`` and ``drill`` rows of the review log; quiz answers never do), oldest
first. FSRS counts time between reviews in study days, as `hccquiz.fsrs` does.

- **Training items.** As fsrs-rs and Anki build them: one item per answer given on a later
  day than the card's previous one (a recall after a delay, which the model predicts),
  holding the card's history up to and including it.
- **Threshold.** `fit` keeps the default parameters, and says so, below `MIN_REVIEWS` such
  answers (Anki asks for 400 reviews; hccquiz counts only delayed recalls, the ones that
  carry information about forgetting).
- **Held-back time split.** The latest `HOLDOUT` of the items, by day, are kept out of a
  first fit; default and fitted parameters are scored on them (log loss and RMSE over bins,
  fsrs-rs's ``evaluate``). The parameters stored are then fitted on every item. If the
  first fit does not beat the defaults on the held-back items, the defaults are kept.
- **Replay.** `memory_states` and `replay` run each card's whole history through fsrs-rs in
  one batch; a test checks that it agrees with py-fsrs, which schedules. `replay` also gives
  the recall FSRS would have predicted before each delayed recall (for calibration), and
  puts a card last answered on the day of the switch through py-fsrs, so that a card that
  is in a learning or relearning step comes back within the session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

import fsrs_rs_python as rs

from . import fsrs
from .fsrs import DEFAULT_PARAMETERS, FsrsConfig, FsrsState, Phase, check_parameters
from .grading import rating_of

__all__ = [
    "HOLDOUT",
    "MIN_REVIEWS",
    "Evaluation",
    "Fit",
    "History",
    "Progress",
    "Replayed",
    "fit",
    "learnable_reviews",
    "memory_states",
    "replay",
]

MIN_REVIEWS = 400
"""Delayed recalls (answers on a later day than the card's previous one) needed to fit."""
HOLDOUT = 0.2
"""The share of training items, the latest by day, held back to score the fit."""

History = Sequence[tuple[date, int]]
"""One card's answers, oldest first: (study day, quality 0-5)."""
Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) as `fit` goes: ``items``, ``fit``, ``evaluate``, ``refit``."""


def _quiet(stage: str, done: int, total: int) -> None:
    """A progress callback that shows nothing."""


@dataclass(frozen=True, slots=True)
class Evaluation:
    """How well parameters predict held-back recalls: log loss and RMSE over bins (lower is
    better), on ``items`` items."""

    log_loss: float
    rmse_bins: float
    items: int


@dataclass(frozen=True, slots=True)
class Fit:
    """What `fit` found: the parameters to use, whether they were fitted, why not if not,
    and default against fitted scored on the held-back items (None below the threshold)."""

    parameters: tuple[float, ...]
    fitted: bool
    reason: str
    reviews: int
    learnable: int
    default: Evaluation | None = None
    trial: Evaluation | None = None


_RATING = tuple(int(rating_of(q)) for q in range(6))  # quality -> FSRS rating, by index


def _reviews(history: History) -> list[rs.FSRSReview]:
    out: list[rs.FSRSReview] = []
    last: date | None = None
    review, rating = rs.FSRSReview, _RATING
    for day, quality in history:
        out.append(review(rating[quality], 0 if last is None else (day - last).days))
        last = day
    return out


def _items(histories: Sequence[History], progress: Progress) -> list[tuple[date, rs.FSRSItem]]:
    items: list[tuple[date, rs.FSRSItem]] = []
    total = len(histories)
    for n, history in enumerate(histories, 1):
        reviews = _reviews(history)
        for k in range(1, len(reviews)):
            if history[k][0] > history[k - 1][0]:
                items.append((history[k][0], rs.FSRSItem(reviews[: k + 1])))
        if n % 5000 == 0 or n == total:
            progress("items", n, total)
    items.sort(key=lambda pair: pair[0])
    return items


def learnable_reviews(histories: Sequence[History]) -> int:
    """How many answers came on a later day than the card's previous one."""
    return sum(
        1
        for history in histories
        for (before, _), (after, _) in pairwise(history)
        if after > before
    )


def _evaluate(parameters: Sequence[float], items: list[rs.FSRSItem]) -> Evaluation:
    result = rs.FSRS(list(parameters)).evaluate(items)
    return Evaluation(float(result.log_loss), float(result.rmse_bins), len(items))


def fit(histories: Sequence[History], progress: Progress = _quiet) -> Fit:
    """Fit FSRS-6's 21 parameters to ``histories`` (see the module notes)."""
    reviews = sum(len(h) for h in histories)
    learnable = learnable_reviews(histories)
    if learnable < MIN_REVIEWS:
        return Fit(
            DEFAULT_PARAMETERS,
            False,
            f"{learnable} delayed recall{'s' if learnable != 1 else ''} in {reviews} reviews; "
            f"fitting needs {MIN_REVIEWS} (answers on a later day than the card's previous one)",
            reviews,
            learnable,
        )
    dated = _items([h for h in histories if len(h) > 1], progress)
    items = [item for _, item in dated]
    cut = len(items) - max(1, round(len(items) * HOLDOUT))
    train, test = items[:cut], items[cut:]
    model = rs.FSRS(list(DEFAULT_PARAMETERS))
    progress("fit", 0, 1)
    trial_parameters = model.compute_parameters(train)
    progress("fit", 1, 1)
    progress("evaluate", 0, 2)
    default = _evaluate(DEFAULT_PARAMETERS, test)
    progress("evaluate", 1, 2)
    trial = _evaluate(trial_parameters, test)
    progress("evaluate", 2, 2)
    if trial.log_loss >= default.log_loss:
        reason = (
            "parameters fitted on the earlier reviews predicted the held-back ones no better "
            "than the defaults"
        )
        return Fit(DEFAULT_PARAMETERS, False, reason, reviews, learnable, default, trial)
    progress("refit", 0, 1)
    final = model.compute_parameters(items)
    progress("refit", 1, 1)
    try:
        parameters = check_parameters(tuple(final))
    except ValueError as exc:
        reason = f"the fitted parameters are outside FSRS's bounds ({exc})"
        return Fit(DEFAULT_PARAMETERS, False, reason, reviews, learnable, default, trial)
    reason = f"fitted on {learnable} delayed recalls"
    return Fit(parameters, True, reason, reviews, learnable, default, trial)


def memory_states(
    histories: Sequence[History], parameters: Sequence[float] = DEFAULT_PARAMETERS
) -> list[tuple[float, float]]:
    """(stability, difficulty) after each card's whole history (each must have an answer)."""
    if any(not h for h in histories):
        raise ValueError("every history needs at least one answer")
    model = rs.FSRS(list(parameters))
    states = model.memory_state_batch([rs.FSRSItem(_reviews(h)) for h in histories])
    return [(float(s.stability), float(s.difficulty)) for s in states]


@dataclass(frozen=True, slots=True)
class Replayed:
    """One card after its history: its FSRS memory, the recall predicted before each delayed
    recall (index in the history, probability), and, for a card left in a learning or
    relearning step, the step's length (to add to the instant of its last answer)."""

    memory: FsrsState
    predicted: list[tuple[int, float]]
    step: timedelta | None


def replay(
    histories: Sequence[History],
    parameters: Sequence[float] = DEFAULT_PARAMETERS,
    *,
    today: date,
) -> list[Replayed]:
    """Each card's FSRS memory after its whole history (see the module notes).

    A card last answered before ``today`` is in review (its learning steps, if any, are
    long over); one answered ``today`` is replayed through py-fsrs, which knows the steps.
    """
    if any(not h for h in histories):
        raise ValueError("every history needs at least one answer")
    params = tuple(parameters)
    model = rs.FSRS(list(params))
    states = model.historical_memory_state_batch([rs.FSRSItem(_reviews(h)) for h in histories])
    config = FsrsConfig(params)
    curve = fsrs.curve_of(params)
    out: list[Replayed] = []
    for history, after in zip(histories, states, strict=True):
        predicted = []
        for k in range(1, len(history)):
            gap = (history[k][0] - history[k - 1][0]).days
            if gap > 0:
                predicted.append((k, curve(gap, after[k - 1].stability)))
        last_day = history[-1][0]
        if last_day < today:
            last = after[-1]
            memory = FsrsState(
                Phase.REVIEW, None, float(last.stability), float(last.difficulty), last_day
            )
            out.append(Replayed(memory, predicted, None))
            continue
        state = None
        step = None
        for day, quality in history:
            result = fsrs.review(state, rating_of(quality), day, config)
            state, step = result.state, result
        assert state is not None and step is not None
        out.append(Replayed(state, predicted, None if step.days is not None else step.interval))
    return out
