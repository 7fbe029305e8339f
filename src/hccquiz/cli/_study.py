"""Study commands: study, quiz, home (the app) and stats."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..deck.discovery import deck_files
from ..errors import HccquizError
from ._base import cli, db_option, deck_problems

if TYPE_CHECKING:
    from ..tui.app import StartAt

__all__ = ["home", "quiz", "stats", "study"]

F = TypeVar("F", bound=Callable[..., Any])


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--cards", is_flag=True, help="With FSRS and --json: each card's retrievability today."
)
def stats(db_path: Path | None, as_json: bool, cards: bool) -> None:
    """Show cards, due counts, reviews, 30-day retention, progress per level and the streak;
    with FSRS, predicted retention today and the calibration table."""
    import json
    from datetime import UTC, datetime

    from ..store import Store
    from ..study.stats import collect, render_text

    with Store.open(db_path, create=False) as store:
        if cards and not as_json:
            raise click.UsageError("--cards lists every card: give it with --json")
        figures = collect(store, now=datetime.now(UTC), cards=cards)
    if as_json:
        click.echo(json.dumps(figures.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(figures))


def _study_options(func: F) -> F:
    """DECK arguments plus --level, --tag, --scale and --db, shared by study, quiz and home."""
    from ..deck.levels import LEVEL_VALUES

    for option in reversed([
        click.argument("decks", nargs=-1, type=click.Path(exists=True, path_type=Path),
                       metavar="[DECK]..."),
        click.option("--level", "levels", multiple=True, metavar="LEVEL",
                     type=click.Choice(LEVEL_VALUES),
                     help="Only items for this training level. Repeat for any of several."),
        click.option("--tag", "tags", multiple=True, metavar="TAG",
                     help="Only items with this tag. Repeat for any of several."),
        click.option("--scale", type=click.Choice(["four", "six"]), default=None,
                     help="Grade buttons: four (Again/Hard/Good/Easy, the default) or the "
                     "six SM-2 grades 0-5."),
        db_option,
    ]):  # fmt: skip
        func = option(func)
    return func


def _run_app(
    decks: tuple[Path, ...],
    db_path: Path | None,
    levels: tuple[str, ...],
    tags: tuple[str, ...],
    scale: str | None,
    start: StartAt,
    quiz_count: int = 20,
) -> None:
    """Sync the decks (the bundled ones by default), then run the study app on them."""
    import random
    from datetime import UTC, datetime

    from ..clock import SystemClock
    from ..deck.discovery import bundled_deck_dir
    from ..store import Store
    from ..study import Filters, StudyConfig, Workspace, sync_files

    if not decks:
        bundled = bundled_deck_dir()
        if bundled is None:
            raise HccquizError("no decks/ folder here and no bundled decks: name a deck file")
        decks = (bundled,)
    with Store.open(db_path) as store:
        with deck_problems("nothing studied"):
            reports = sync_files(store, deck_files(decks), now=datetime.now(UTC))
        overrides = {"scale": scale} if scale else {}
        config = StudyConfig.from_settings(store.settings(), **overrides)
        workspace = Workspace(store, clock=SystemClock(), rng=random.Random(), config=config)
        filters = Filters(tuple(r.deck_id for r in reports if r.deck_id), levels, tags)
        from ..tui import create_app

        app = create_app(workspace, start=start, filters=filters, quiz_count=quiz_count)
        app.run()
    if app.return_code:
        sys.exit(app.return_code)


@cli.command()
@_study_options
def study(decks: tuple[Path, ...], levels: tuple[str, ...], tags: tuple[str, ...],
          scale: str | None, db_path: Path | None) -> None:  # fmt: skip
    """Study due and new cards in the terminal app (the bundled decks by default).

    Space shows the answer, 1-4 grade it (Again, Hard, Good, Easy), u undoes, s suspends,
    ? shows every key and q quits. Every grade is saved before the next card shows.
    """
    _run_app(decks, db_path, levels, tags, scale, "study")


@cli.command()
@_study_options
@click.option("-n", "count", type=click.IntRange(1, 500), default=20, show_default=True,
              help="How many items to ask.")  # fmt: skip
def quiz(decks: tuple[Path, ...], levels: tuple[str, ...], tags: tuple[str, ...],
         scale: str | None, db_path: Path | None, count: int) -> None:  # fmt: skip
    """A quiz of N items that never changes the schedule; scored per level at the end."""
    _run_app(decks, db_path, levels, tags, scale, "quiz", quiz_count=count)


@cli.command()
@_study_options
def home(decks: tuple[Path, ...], levels: tuple[str, ...], tags: tuple[str, ...],
         scale: str | None, db_path: Path | None) -> None:  # fmt: skip
    """Open the home screen: decks with their counts, study, quiz and stats (also `hccquiz`)."""
    _run_app(decks, db_path, levels, tags, scale, "home")
