"""Which scheduler studies a collection: choosing it, switching, and fitting FSRS to the log.

The scheduler in force and FSRS's desired retention are settings (``scheduler``,
``desired_retention``); the parameters `optimize` fits are stored with their date under
``fsrs_parameters``. `make_scheduler` turns them into a `hccquiz.scheduler.Scheduler`.
`switch_scheduler` moves a collection from one scheduler to the other without losing
anything (`hccquiz.store.Store.switch_to_fsrs` replays the log in one transaction).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..clock import DayBoundary
from ..fsrs import DEFAULT_PARAMETERS, DEFAULT_RETENTION, FsrsConfig, check_parameters
from ..fsrs import check_retention as _check_retention
from ..optimizer import Fit, fit
from ..scheduler import DEFAULT_SCHEDULER, Scheduler, SchedulerName, check_scheduler_name
from ..scheduler import scheduler_for as _scheduler_for
from ._settings import SessionError

if TYPE_CHECKING:
    from ..store import Store, Switch

__all__ = [
    "PARAMETERS_KEY",
    "SCHEDULER_KEYS",
    "Parameters",
    "make_scheduler",
    "optimize",
    "parse_retention",
    "parse_scheduler",
    "retention_value",
    "stored_parameters",
    "switch_scheduler",
]

PARAMETERS_KEY = "fsrs_parameters"
"""The setting that keeps the fitted FSRS parameters, as JSON with their date."""
SCHEDULER_KEYS = ("scheduler", "desired_retention", PARAMETERS_KEY)
"""The settings `make_scheduler` reads (``store.settings_of(*SCHEDULER_KEYS)``)."""


def parse_scheduler(text: str) -> SchedulerName:
    """A ``scheduler`` setting: ``sm2`` or ``fsrs``; `SessionError` otherwise."""
    try:
        return check_scheduler_name(text.strip().lower())
    except ValueError as exc:
        raise SessionError(str(exc)) from None


def retention_value(text: str) -> float:
    """``desired_retention`` for a declarative settings table: the value, or `ValueError`
    worded to follow "'0.99' is " (``not from 0.70 to 0.97 (...)``)."""
    try:
        return parse_retention(text)
    except SessionError as exc:
        message = str(exc)
        raise ValueError(
            "not a number like 0.90"
            if "not a number" in message or "must be a number" in message
            else "not from 0.70 to 0.97 (lower forgets too much; higher piles up reviews)"
        ) from None


def parse_retention(text: str) -> float:
    """A ``desired_retention`` setting from 0.70 to 0.97 (``0.85``, or ``85%``);
    `SessionError` with the allowed range otherwise."""
    value = text.strip()
    try:
        number = float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError:
        raise SessionError(f"desired_retention: {text!r} is not a number like 0.90") from None
    try:
        return _check_retention(number)
    except ValueError as exc:
        raise SessionError(str(exc).replace("desired retention", "desired_retention", 1)) from None


@dataclass(frozen=True, slots=True)
class Parameters:
    """FSRS parameters in use: the defaults, or a fit with its date and figures."""

    values: tuple[float, ...] = DEFAULT_PARAMETERS
    fitted_on: date | None = None
    details: Mapping[str, Any] | None = None

    @property
    def fitted(self) -> bool:
        """True if these came from `optimize`."""
        return self.fitted_on is not None


def stored_parameters(settings: Mapping[str, str]) -> Parameters:
    """The parameters `optimize` stored, or the defaults (also if the stored ones are not
    valid any more: a newer py-fsrs may narrow the bounds)."""
    text = settings.get(PARAMETERS_KEY)
    if not text:
        return Parameters()
    try:
        data = json.loads(text)
        values = check_parameters(tuple(data["parameters"]))
        return Parameters(values, date.fromisoformat(data["fitted_on"]), data)
    except (ValueError, KeyError, TypeError):
        return Parameters()


def make_scheduler(
    settings: Mapping[str, str], *, boundary: DayBoundary, drill: bool = True
) -> Scheduler:
    """The scheduler the stored settings put in force (SM-2 unless ``scheduler`` says fsrs)."""
    name = parse_scheduler(settings.get("scheduler", DEFAULT_SCHEDULER))
    retention = parse_retention(settings.get("desired_retention", str(DEFAULT_RETENTION)))
    config = FsrsConfig(stored_parameters(settings).values, retention)
    return _scheduler_for(name, drill=drill, config=config, boundary=boundary)


def switch_scheduler(
    store: Store,
    name: str,
    *,
    now: datetime,
    boundary: DayBoundary,
    progress: Callable[[int, int], None] | None = None,
) -> Switch | None:
    """Put scheduler ``name`` in force; None if it already is. Nothing is lost either way:
    FSRS memories are replayed from the log, SM-2's state was kept up to date meanwhile."""
    target = parse_scheduler(name)
    if store.scheduler_in_force() == target:
        return None
    if target == "sm2":
        return store.switch_to_sm2()
    parameters = stored_parameters(store.settings()).values
    return store.switch_to_fsrs(parameters, now=now, boundary=boundary, progress=progress or _quiet)


def optimize(
    store: Store,
    *,
    now: datetime,
    boundary: DayBoundary,
    progress: Callable[[str, int, int], None] | None = None,
    replayed: Callable[[int, int], None] | None = None,
) -> tuple[Fit, Switch | None]:
    """Fit FSRS to the log and store the result with today's date (see `hccquiz.optimizer`).

    Below the threshold, or when the fit does not beat the defaults, nothing is stored.
    With FSRS in force, every memory is then replayed with the new parameters.
    """
    histories = store.review_histories()
    result = fit(histories) if progress is None else fit(histories, progress)
    if not result.fitted:
        return result, None
    record = {
        "parameters": list(result.parameters),
        "fitted_on": boundary.day(now).isoformat(),
        "reviews": result.reviews,
        "learnable": result.learnable,
        "default": _figures(result.default),
        "fitted": _figures(result.trial),
    }
    if store.scheduler_in_force() != "fsrs":
        store.set_setting(PARAMETERS_KEY, json.dumps(record))
        return result, None
    switch = store.switch_to_fsrs(  # the new parameters and the memories, in one transaction
        result.parameters,
        now=now,
        boundary=boundary,
        progress=replayed or _quiet,
        settings={PARAMETERS_KEY: json.dumps(record)},
    )
    return result, switch


def _quiet(done: int, total: int) -> None:
    """Shows nothing."""


def _figures(evaluation: Any) -> dict[str, float] | None:
    if evaluation is None:
        return None
    return {"log_loss": evaluation.log_loss, "rmse_bins": evaluation.rmse_bins}
