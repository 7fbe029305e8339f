"""``hccquiz optimize``: fit FSRS to the trainee's own reviews; and the progress bar shown
while a switch of scheduler (``hccquiz config set scheduler fsrs``) replays the log."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._base import cli, db_option

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["optimize", "replay_bar", "switch_with_bar"]

_STAGES = {"items": (0, 40), "fit": (40, 70), "evaluate": (70, 80), "refit": (80, 100)}


@contextmanager
def replay_bar(label: str = "Replaying the review log") -> Iterator[Callable[[int, int], None]]:
    """A progress bar for a replay: yields the callback `Store.switch_to_fsrs` takes."""
    err = sys.stderr
    with click.progressbar(length=1, label=label, show_pos=True, file=err) as bar:
        done = 0

        def update(now: int, total: int) -> None:
            nonlocal done
            bar.length = max(total, 1)
            bar.update(now - done)
            done = now

        yield update


def switch_with_bar(store: Store, name: str) -> str:
    """Put scheduler ``name`` in force, with a progress bar while FSRS replays the log; the
    line to print. Ctrl-C (or any kill) leaves the database on the scheduler it had."""
    from datetime import UTC, datetime

    from ..clock import DayBoundary
    from ..study._settings import parse_day_start
    from ..study.scheduling import switch_scheduler

    boundary = DayBoundary(parse_day_start(store.settings().get("day_starts_at")))
    now = datetime.now(UTC)
    try:
        if name == "fsrs" and store.scheduler_in_force() != "fsrs":
            with replay_bar() as update:
                done = switch_scheduler(store, name, now=now, boundary=boundary, progress=update)
        else:
            done = switch_scheduler(store, name, now=now, boundary=boundary)
    except KeyboardInterrupt:
        raise click.ClickException(
            f"interrupted: nothing changed, still on {store.scheduler_in_force()}"
        ) from None
    if done is None:
        return f"scheduler = {name} (already in force)"
    if done.scheduler == "fsrs":
        kept = "due dates kept"
        if done.in_steps:  # a new or lapsed card answered today is in FSRS's short steps
            n = done.in_steps
            kept += (f", except {n:,} card{'s' * (n != 1)} answered today, now in a learning "
                     f"step: {'they come' if n != 1 else 'it comes'} back today")  # fmt: skip
        return (
            f"scheduler = fsrs: {done.answers:,} answers replayed into the memory of "
            f"{done.cards:,} cards; {kept}"
        )
    return "scheduler = sm2: SM-2 state kept up to date by every review; due dates kept"


@cli.command()
@db_option
def optimize(db_path: Path | None) -> None:
    """Fit FSRS's parameters to your own reviews.

    Needs 400 reviews given on a later day than the card's previous one; below that the
    default parameters stay. Scores default against fitted parameters on the latest 20% of
    your reviews, held back from the fit, and stores the fit only if it predicts them better.
    """
    from datetime import UTC, datetime

    from ..clock import DayBoundary
    from ..optimizer import HOLDOUT
    from ..store import Store
    from ..study._settings import parse_day_start
    from ..study.scheduling import optimize as run

    with Store.open(db_path, create=False) as store:
        boundary = DayBoundary(parse_day_start(store.settings().get("day_starts_at")))
        err = sys.stderr
        with click.progressbar(length=100, label="Fitting FSRS-6", file=err) as bar:
            at = 0

            def progress(stage: str, done: int, total: int) -> None:
                nonlocal at
                low, high = _STAGES.get(stage, (at, at))
                target = low + (high - low) * done // max(total, 1)
                if target > at:
                    bar.update(target - at)
                    at = target

            with ExitStack() as stack:
                bars: list[Callable[[int, int], None]] = []

                def replayed(done: int, total: int) -> None:  # a bar only if it replays
                    if not bars:
                        bars.append(stack.enter_context(replay_bar("Replaying with the fit")))
                    bars[0](done, total)

                result, switch = run(
                    store,
                    now=datetime.now(UTC),
                    boundary=boundary,
                    progress=progress,
                    replayed=replayed,
                )
    click.echo(
        f"{result.reviews:,} reviews, {result.learnable:,} on a later day than the card's last"
    )
    if result.default and result.trial:
        click.echo(
            f"Scored on the latest {HOLDOUT:.0%} ({result.default.items:,} reviews), "
            "held back from the fit:"
        )
        click.echo(f"{'':<10}{'log loss':>10}{'RMSE (bins)':>13}")
        for name, e in (("default", result.default), ("fitted", result.trial)):
            click.echo(f"{name:<10}{e.log_loss:>10.4f}{e.rmse_bins:>13.4f}")
    if not result.fitted:
        click.echo(f"Kept the default parameters: {result.reason}.")
        return
    click.echo(f"Stored the fitted parameters ({boundary.day(datetime.now(UTC))}).")
    if switch is not None:
        click.echo(f"FSRS memories replayed with them: {switch.cards:,} cards.")
    else:
        click.echo("They take effect when FSRS is in force (hccquiz config set scheduler fsrs).")
