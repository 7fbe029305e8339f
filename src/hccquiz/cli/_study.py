"""Study commands: study, quiz, home (the app), stats and decks."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..errors import HccquizError
from ._base import cli, db_option, deck_problems

if TYPE_CHECKING:
    from ..deck.discovery import DeckSource
    from ..store import DeckSync, Store
    from ..tui.app import StartAt

__all__ = ["AUTOPILOT", "browse", "decks", "home", "quiz", "stats", "study"]

F = TypeVar("F", bound=Callable[..., Any])

AUTOPILOT = "autopilot"
"""Key of the click context object (``cli.main(obj={AUTOPILOT: coroutine})``) that runs
the app headless under a Textual auto-pilot: the seam the tests drive the commands through."""

DECK_HELP = "DECK is a deck file, a folder of decks, or the name of a deck in decks/."
BROWSE_STATE_NAMES = ("all", "new", "learning", "due", "suspended", "changed", "retired")
"""The browser's states (`hccquiz.store.BROWSE_STATES`, checked by a test: the CLI does
not import the store to build its options)."""
SORT_NAMES = ("deck", "item", "type", "levels", "tags", "due", "interval", "lapses", "grade",
              "state")  # fmt: skip
"""The browser's sort columns (`hccquiz.store.SORT_KEYS`, checked by a test)."""


@cli.command(epilog=DECK_HELP)
@click.argument("decks", nargs=-1, metavar="[DECK]...")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--cards", is_flag=True, help="With FSRS: each card's retrievability today (as JSON)."
)
@click.option(
    "--all-decks",
    is_flag=True,
    help="Count every deck in the progress database, not only the decks in use here.",
)
def stats(
    decks: tuple[str, ...], db_path: Path | None, as_json: bool, cards: bool, all_decks: bool
) -> None:
    """Show what is left today, cards, due counts, grades, 30-day retention, progress per
    level and the streak; with FSRS, predicted retention today and the calibration table.

    The figures count the decks home shows (the bundled decks and a decks/ folder here, or
    the DECKs named), and what is left today the level remembered from home, as home does.
    """
    import json
    from datetime import UTC, datetime

    from ..deck.discovery import deck_sources
    from ..store import Store
    from ..study._settings import ALL_LEVELS
    from ..study.preferences import Settings
    from ..study.stats import collect, render_text

    if all_decks and decks:
        raise click.UsageError("give DECK arguments or --all-decks, not both")
    paths = None if all_decks else [s.path for s in deck_sources(decks)]
    with Store.open(db_path, readonly=True) as store:
        settings = Settings(store)
        config = settings.study_config()
        level = settings.get("level").value
        levels = () if level == ALL_LEVELS else (level,)
        if paths is None:
            counted = None
        else:
            from ..study.sync import synced_deck_ids

            counted = synced_deck_ids(store, paths)
        figures = collect(store, now=datetime.now(UTC), config=config, cards=cards,
                          decks=counted, levels=levels)  # fmt: skip
    if as_json or cards:  # every card's figures only make sense as data
        click.echo(json.dumps(figures.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(figures))


@cli.command()
@db_option
def decks(db_path: Path | None) -> None:
    """List the decks study, quiz and home use, where each comes from, and the decks in the
    progress database."""
    from ..deck.discovery import deck_sources
    from ..deck.file import load_decks

    sources = deck_sources([])
    loaded, problems = load_decks(s.path for s in sources)
    by_path = dict(loaded)
    click.echo("Decks in use (hccquiz study with no DECK):")
    invalid = 0
    for source in sources:
        deck = by_path.get(source.path)
        if deck is not None:
            what = f"{deck.id}: {deck.title} ({len(deck.items)} items)"
        else:
            invalid += 1
            mine = [p for p in problems if Path(p.path) == source.path]
            more = sum(p.hidden or 1 for p in mine) - 1
            what = f"not valid: {mine[0]}" if mine else "not valid"
            if more > 0:
                what += f" (and {more} more: hccquiz validate {source.path})"
        click.echo(f"  {what}\n      {source.describe()}")
    _stored_decks(db_path, {deck.id for deck in by_path.values()})
    if invalid:  # after the whole listing
        raise HccquizError(
            f"{invalid} deck file(s) not valid: study, quiz and home leave "
            f"{'it' if invalid == 1 else 'them'} out; hccquiz validate lists every problem"
        )


def _stored_decks(db_path: Path | None, in_use: set[str]) -> None:
    """List the decks of the progress database that are not in use, if it exists."""
    from ..store import Store

    try:
        store = Store.open(db_path, readonly=True)
    except HccquizError:
        return
    with store:
        paths, titles = store.deck_paths(), store.deck_titles()
        others = [d for d in titles if d not in in_use]
        if others:
            click.echo(f"Also in the progress database ({store.path}):")
            for deck_id in others:
                click.echo(f"  {deck_id}: {titles[deck_id]}\n      synced from {paths[deck_id]}")


def _study_options(func: F, metavar: str = "[DECK]...") -> F:
    """DECK arguments plus --level, --tag, --scale and --db, shared by study, quiz, home
    and browse."""
    from ..deck.levels import LEVEL_VALUES

    for option in reversed([
        click.argument("decks", nargs=-1, metavar=metavar),
        click.option("--level", "levels", multiple=True, metavar="LEVEL",
                     type=click.Choice(LEVEL_VALUES),
                     help="Only items for this training level. Repeat for any of several. "
                     "Without it, the level last chosen in the app."),
        click.option("--tag", "tags", multiple=True, metavar="TAG",
                     help="Only items with this tag. Repeat for any of several."),
        click.option("--scale", type=click.Choice(["four", "six"]), default=None,
                     help="Grade buttons: four (Again/Hard/Good/Easy) or the six SM-2 grades "
                     "0-5. Default: the scale setting (hccquiz config set scale six)."),
        db_option,
    ]):  # fmt: skip
        func = option(func)
    return func


def _run_app(
    decks: tuple[str, ...],
    db_path: Path | None,
    levels: tuple[str, ...],
    tags: tuple[str, ...],
    scale: str | None,
    start: StartAt,
    quiz_count: int = 20,
    browse: dict[str, Any] | None = None,
) -> None:
    """Sync the decks (local and bundled ones by default), then run the study app on them."""
    import random

    from ..clock import SystemClock
    from ..deck.discovery import deck_sources
    from ..store import Store
    from ..study import Filters, Workspace
    from ..study.preferences import Settings

    sources = deck_sources(decks)
    with Store.open(db_path) as store:
        with deck_problems("nothing studied"):
            sources, reports, warnings = _sync_usable(store, sources, named=bool(decks))
        for warning in warnings:
            click.echo(f"hccquiz: {warning}", err=True)
        settings = Settings(store)
        overrides = {"scale": scale} if scale else {}
        config = settings.study_config(**overrides)
        described = {r.deck_id: s.describe() for r, s in zip(reports, sources, strict=True)
                     if r.deck_id}  # fmt: skip
        workspace = Workspace(store, clock=SystemClock(), rng=random.Random(), config=config,
                              settings=settings, sources=described, overrides=overrides,
                              warnings=warnings)  # fmt: skip
        if not levels and (remembered := workspace.remembered_level()):
            levels = (remembered,)
        filters = Filters(tuple(described), levels, tags)
        if start in ("study", "quiz") and (empty := workspace.empty_reason(filters)):
            raise HccquizError(f"nothing to {start}: {empty}")
        from ..store import BrowseQuery
        from ..tui import create_app

        query = None
        if browse is not None:
            query = BrowseQuery(filters.decks, filters.levels, filters.tags, **browse)
        app = create_app(workspace, start=start, filters=filters, quiz_count=quiz_count,
                         browse=query)  # fmt: skip
        autopilot = (click.get_current_context().find_root().obj or {}).get(AUTOPILOT)
        if autopilot is None:
            from ..tui.serve import ignore_late_interrupts

            app.run()
            ignore_late_interrupts()  # a browser tab's app: Ctrl+C on serve closed it
        else:
            app.run(headless=True, size=(80, 24), auto_pilot=autopilot)
    if app.return_code:
        sys.exit(app.return_code)


def _sync_usable(
    store: Store, sources: list[DeckSource], *, named: bool
) -> tuple[list[DeckSource], list[DeckSync], list[str]]:
    """Sync the decks in use. Decks named on the command line must all be valid (else
    `DeckError`, nothing written); of the default decks (local and bundled), an invalid file
    is left out, unwritten (what is stored of its deck stays as it was), and the rest are
    synced: returned with a warning naming the file's first problem."""
    from datetime import UTC, datetime

    from ..errors import DeckError
    from ..study import sync_files

    now = datetime.now(UTC)
    try:
        return sources, sync_files(store, [s.path for s in sources], now=now), []
    except DeckError as exc:
        bad = {Path(p.path) for p in exc.problems}
        usable = [s for s in sources if s.path not in bad]
        if named or not usable or len(usable) == len(sources):
            raise
        problems = exc.problems
    reports = sync_files(store, [s.path for s in usable], now=now)
    warnings = []
    for source in sources:
        if source.path in bad:
            first = next(p for p in problems if Path(p.path) == source.path)
            more = sum(p.hidden or 1 for p in problems if Path(p.path) == source.path) - 1
            warnings.append(
                f"{first} (deck left out{f'; {more} more problem(s)' if more else ''}: "
                f"hccquiz validate {source.path})"
            )
    return usable, reports, warnings


@cli.command(epilog=DECK_HELP)
@_study_options
def study(decks: tuple[str, ...], levels: tuple[str, ...], tags: tuple[str, ...],
          scale: str | None, db_path: Path | None) -> None:  # fmt: skip
    """Study due and new cards in the terminal app (the bundled decks by default).

    Space shows the answer, 1-4 grade it (Again, Hard, Good, Easy), u undoes, s suspends,
    ? shows every key and q quits. Every grade is saved before the next card shows. Each
    deck introduces at most new_per_day new cards a day (20; see hccquiz config).
    """
    _run_app(decks, db_path, levels, tags, scale, "study")


@cli.command(epilog=DECK_HELP)
@_study_options
@click.option("-n", "count", type=click.IntRange(1, 500), default=20, show_default=True,
              help="How many items to ask.")  # fmt: skip
def quiz(decks: tuple[str, ...], levels: tuple[str, ...], tags: tuple[str, ...],
         scale: str | None, db_path: Path | None, count: int) -> None:  # fmt: skip
    """A quiz of N items that never changes the schedule; scored per level at the end."""
    _run_app(decks, db_path, levels, tags, scale, "quiz", quiz_count=count)


@cli.command(epilog=DECK_HELP)
@_study_options
def home(decks: tuple[str, ...], levels: tuple[str, ...], tags: tuple[str, ...],
         scale: str | None, db_path: Path | None) -> None:  # fmt: skip
    """Open the home screen: decks with their counts, study, quiz and stats (also `hccquiz`)."""
    _run_app(decks, db_path, levels, tags, scale, "home")


def _decks_then_words(args: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """Split browse's arguments: the leading ones that name decks (a file, a folder, a deck
    name), then the words to search for. An argument that looks like a path (a ``/`` in
    it, or a deck file's suffix) is always a deck, so a missing file is an error."""
    from ..deck.discovery import DECK_SUFFIXES, deck_sources

    for n, arg in enumerate(args):
        if "/" in arg or arg.lower().endswith(DECK_SUFFIXES):
            continue  # a path: deck_sources says so if it is not there
        try:
            deck_sources([arg])
        except HccquizError:
            return args[:n], " ".join(args[n:])
    return args, ""


@cli.command(epilog=DECK_HELP + " The first argument that is not a deck starts the words "
             "to search for: hccquiz browse imbrave150 varices bleeding.")  # fmt: skip
@partial(_study_options, metavar="[DECK]... [WORDS]...")
@click.option(
    "--search",
    "search",
    default="",
    metavar="WORDS",
    help="Words to find (in questions, answers, choices, explanations...), e.g. "
    '"varices bleeding"; question:hazard looks in one field. The same as WORDS, for '
    "words that are also deck names.",
)
@click.option(
    "--state",
    type=click.Choice(BROWSE_STATE_NAMES),
    default="all",
    show_default=True,
    help="Only cards in this state (learning: in today's same-day drill; changed: edited "
    "since last studied).",
)
@click.option(
    "--sort",
    type=click.Choice(SORT_NAMES),
    default="deck",
    show_default=True,
    help="Sort by this column (deck: the deck's own order).",
)
@click.option("--reverse", is_flag=True, help="Sort in reverse order.")
def browse(
    decks: tuple[str, ...],
    levels: tuple[str, ...],
    tags: tuple[str, ...],
    scale: str | None,
    db_path: Path | None,
    search: str,
    state: str,
    sort: str,
    reverse: bool,
) -> None:
    """Open the card browser on the cards of DECK (default: every deck in use) that match
    WORDS: searched as you type, filtered by state, level and tag, sorted by any column,
    each with its history; suspend, reset to new, quiz or edit (in $EDITOR) from there."""
    named, words = _decks_then_words(decks)
    query = " ".join(filter(None, (words, search)))
    browse = {"search": query, "state": state, "sort": sort, "descending": reverse}
    _run_app(named, db_path, levels, tags, scale, "browse", browse=browse)
