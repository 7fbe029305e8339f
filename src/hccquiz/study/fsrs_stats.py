"""FSRS's figures for ``hccquiz stats`` and the stats screen, when FSRS is in force.

- ``predicted_retention_today``: the mean of every studied card's retrievability today
  (FSRS's predicted probability of recall), over active, unsuspended cards with a memory.
- ``retrievability``: how many of those cards fall in each tenth of retrievability.
- ``calibration``: for every first-of-day review of a seen card since FSRS took over (and
  the log replayed when it did), the recall FSRS predicted before it, in tenths, against
  the share actually recalled (grade 3 or more). A well-fitted model has the two close.
- ``cards`` (on request): each card's retrievability, stability, difficulty and due day.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..clock import DayBoundary
from .scheduling import SCHEDULER_KEYS, make_scheduler, stored_parameters

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["CalibrationBin", "CardRecall", "FsrsStats", "collect_fsrs", "render_fsrs"]


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Reviews whose predicted recall fell in [low, high): mean prediction, actual rate."""

    low: float
    high: float
    reviews: int
    predicted: float
    actual: float


@dataclass(frozen=True, slots=True)
class CardRecall:
    """One card's FSRS memory and its retrievability today."""

    card_id: int
    deck: str
    item: str
    number: int
    retrievability: float
    stability: float
    difficulty: float
    due: str


@dataclass(frozen=True, slots=True)
class FsrsStats:
    """FSRS's figures; see the module notes."""

    desired_retention: float
    parameters: str
    cards_with_memory: int
    predicted_retention_today: float | None
    retrievability: tuple[int, ...]
    calibration: tuple[CalibrationBin, ...]
    cards: tuple[CardRecall, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``cards`` left out unless they were asked for)."""
        data = asdict(self)
        if self.cards is None:
            del data["cards"]
        return data


def collect_fsrs(
    store: Store, today: date, *, boundary: DayBoundary, cards: bool = False
) -> FsrsStats:
    """FSRS's figures as of study day ``today`` (each card's with ``cards``), through the
    scheduler interface: the curve and the target of the scheduler in force."""
    settings = store.settings_of(*SCHEDULER_KEYS)
    scheduler = make_scheduler(settings, boundary=boundary)
    curve = scheduler.recall_curve()
    if curve is None or scheduler.desired_retention is None:
        raise ValueError(f"{scheduler.name} has no model of recall")
    params = stored_parameters(settings)
    figures = store.fsrs_figures(cards=cards)
    bins = [0] * 10
    total = 0.0
    for stability, last_day in figures.memories:
        r = curve(max((today - last_day).days, 0), stability)
        bins[min(int(r * 10), 9)] += 1
        total += r
    recalls = [
        CardRecall(card_id, deck, item, number, curve(max((today - last).days, 0), s), s, d, due)
        for card_id, deck, item, number, s, d, last, due in figures.cards or ()
    ]
    n = len(figures.memories)
    return FsrsStats(
        desired_retention=scheduler.desired_retention,
        parameters=f"fitted on {params.fitted_on}" if params.fitted_on else "default",
        cards_with_memory=n,
        predicted_retention_today=total / n if n else None,
        retrievability=tuple(bins),
        calibration=tuple(
            CalibrationBin(b / 10, (b + 1) / 10, reviews, predicted, recalled / reviews)
            for b, reviews, predicted, recalled in figures.calibration
        ),
        cards=tuple(recalls) if cards else None,
    )


def render_fsrs(stats: FsrsStats) -> list[str]:
    """The FSRS lines of ``hccquiz stats``."""
    retention = (
        f"{stats.predicted_retention_today:.1%} of {stats.cards_with_memory:,} studied cards "
        "recalled if asked today"
        if stats.predicted_retention_today is not None
        else "no studied cards yet"
    )
    lines = [
        f"FSRS          desired retention {stats.desired_retention:.2f}, "
        f"{stats.parameters} parameters",
        f"Predicted     {retention}",
    ]
    if stats.calibration:
        lines += ["", f"{'Predicted recall':<18}{'reviews':>9}{'predicted':>11}{'actual':>9}"]
        for b in stats.calibration:
            lines.append(
                f"{f'{b.low:.0%}-{b.high:.0%}':<18}{b.reviews:>9,}"
                f"{b.predicted:>11.1%}{b.actual:>9.1%}"
            )
    return lines
