"""The ``hccquiz`` command line. Heavy modules are imported inside the commands."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .bundled import deck_files
from .errors import HccquizError

if TYPE_CHECKING:
    from .models import Deck

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(__version__, prog_name="hccquiz")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Spaced-repetition flashcards and quizzes for clinical-trial evidence.

    With no command, opens the study app's home screen on the bundled decks.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(home)


@contextmanager
def deck_problems(outcome: str) -> Iterator[None]:
    """Print a `DeckError`'s located problems, then end with one line saying `outcome`."""
    try:
        yield
    except HccquizError as exc:
        problems = getattr(exc, "problems", None)  # a DeckError, without loading the parser
        if not problems:
            raise
        for problem in problems:
            click.echo(str(problem), err=True)
        raise HccquizError(f"{len(problems)} problem(s) in the decks: {outcome}") from None


def _summary(path: Path, deck: Deck) -> str:
    from .models import Level

    levels: Counter[Level] = Counter()
    for item in deck.items:
        levels.update(deck.item_levels(item))
    per_level = ", ".join(f"{level.value} {levels[level]}" for level in Level if levels[level])
    return (
        f"{path}: ok: {deck.id}: {len(deck.items)} items, {deck.card_count} cards, "
        f"levels: {per_level}"
    )


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check deck files (or every deck in folders) and report problems as PATH:LINE:COL."""
    from .deckfile import load_decks

    files = deck_files(paths)
    loaded, problems = load_decks(files)
    for path, deck in loaded:
        click.echo(_summary(path, deck))
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        invalid = len(set(files)) - len(loaded)
        raise HccquizError(
            f"{invalid} of {len(files)} deck file(s) invalid, {len(problems)} problem(s)"
        )


@cli.command()
def schema() -> None:
    """Print the deck JSON Schema (committed as decks/deck.schema.json)."""
    from .deckfile import schema_text

    click.echo(schema_text(), nl=False)


@cli.command()
@click.argument("decks", nargs=-1, metavar="[DECK]...")
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="One .apkg holding every deck given, or an existing folder (or a path ending in /) "
    "for one file per deck. Default: exports/<deck-id>[-<levels>].apkg, one per deck.",
)
@click.option(
    "--level",
    "levels",
    multiple=True,
    metavar="LEVEL",
    help="Only items for this training level, e.g. resident. Repeat for any of several.",
)
@click.option(
    "--tag",
    "tags",
    multiple=True,
    metavar="TAG",
    help="Only items with this tag. Repeat for any of several; combined with --level by AND.",
)
def export(
    decks: tuple[str, ...], output: str | None, levels: tuple[str, ...], tags: tuple[str, ...]
) -> None:
    """Export decks to Anki packages (.apkg) that update in place when re-imported.

    DECK is a deck file, a folder of decks, or the name of a deck in decks/. With no DECK,
    every deck in decks/ is exported. Set SOURCE_DATE_EPOCH for byte-identical builds.
    """
    from .ankibatch import export_decks
    from .ankiplan import ExportResult
    from .bundled import resolve_deck_args

    def show(event: ExportResult | str) -> None:
        if isinstance(event, ExportResult):
            click.echo(event.describe())
        else:
            click.echo(f"hccquiz: {event}", err=True)

    # This package's folder: where a wheel keeps its copy of the decks (hccquiz/_decks).
    paths = resolve_deck_args(decks, package=Path(__file__).parent)
    with deck_problems("nothing exported"):
        export_decks(paths, output, levels, tags, progress=show)


@cli.command()
@click.argument(
    "summary", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the deck to this file (atomically) instead of printing it.",
)
@click.option(
    "--id", "deck_id", metavar="ID", help="Deck id, instead of the slug of the trial name."
)
@click.option(
    "--merge",
    "merge_path",
    metavar="DECK",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Keep this deck's items and edits as they are; add only items with new ids.",
)
@click.option("--force", is_flag=True, help="Replace an existing -o file.")
def draft(
    summary: Path, output: Path | None, deck_id: str | None, merge_path: Path | None, force: bool
) -> None:
    """Draft a deck from a plain-text trial summary (SUMMARY, or - for stdin).

    The deck is printed, or written to -o PATH, with a comment on each item naming the
    summary section and line it came from. Check and edit it, then `hccquiz validate` it.
    """
    from .draft import run_draft

    source = sys.stdin.buffer if str(summary) == "-" else summary
    outcome = run_draft(source, output, deck_id, merge_path, force)
    for warning in outcome.warnings:
        click.echo(f"hccquiz: warning: {warning}", err=True)
    if output is None:
        click.echo(outcome.text, nl=False)
    if outcome.message:
        click.echo(outcome.message, err=output is None)


db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="PATH",
    help="Progress database (default: $HCCQUIZ_DB, else hccquiz.db in the user data dir).",
)
"""The shared ``--db PATH`` option, passed to a command as ``db_path`` (None: the default,
which `hccquiz.store.resolve_db_path` works out: ``$HCCQUIZ_DB``, else the user data dir)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@db_option
def sync(paths: tuple[Path, ...], db_path: Path | None) -> None:
    """Load decks (files, or folders of *.yaml) into the progress database.

    Edited items keep their progress and are flagged as changed; items removed from a file
    are retired with their history and come back with it. All files are checked first: if
    any is invalid, nothing is written. Unchanged files are skipped.
    """
    from datetime import UTC, datetime

    from .store import Store

    files = deck_files(paths)
    with Store.open(db_path) as store:
        with deck_problems("sync aborted, nothing written"):
            reports = store.sync(files, now=datetime.now(UTC))
        for report in reports:
            click.echo(report.describe())
        click.echo(f"database: {store.path}", err=True)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats(db_path: Path | None, as_json: bool) -> None:
    """Show cards, due counts, reviews, 30-day retention, progress per level and the streak."""
    import json
    from datetime import UTC, datetime

    from .stats import collect, render_text
    from .store import Store

    with Store.open(db_path, create=False) as store:
        figures = collect(store, now=datetime.now(UTC))
    if as_json:
        click.echo(json.dumps(figures.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(figures))


def _study_options(func):  # type: ignore[no-untyped-def]
    """DECK arguments plus --level, --tag, --scale and --db, shared by study, quiz and home."""
    from .levels import LEVEL_VALUES

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
    start: str,
    quiz_count: int = 20,
) -> None:
    """Sync the decks (the bundled ones by default), then run the study app on them."""
    import random
    from datetime import UTC, datetime

    from .bundled import bundled_deck_dir
    from .clock import SystemClock
    from .store import Store
    from .study import Filters, StudyConfig
    from .workspace import Workspace

    if not decks:
        bundled = bundled_deck_dir()
        if bundled is None:
            raise HccquizError("no decks/ folder here and no bundled decks: name a deck file")
        decks = (bundled,)
    with Store.open(db_path) as store:
        with deck_problems("nothing studied"):
            reports = store.sync(deck_files(decks), now=datetime.now(UTC))
        overrides = {"scale": scale} if scale else {}
        config = StudyConfig.from_settings(store.settings(), **overrides)
        workspace = Workspace(store, clock=SystemClock(), rng=random.Random(), config=config)
        filters = Filters(tuple(r.deck_id for r in reports if r.deck_id), levels, tags)
        from .tui import create_app

        app = create_app(workspace, start=start, filters=filters,  # type: ignore[arg-type]
                         quiz_count=quiz_count)  # fmt: skip
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


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; typed errors become one-line messages and exit 1."""
    try:
        cli.main(args=argv, prog_name="hccquiz", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except HccquizError as exc:
        click.echo(f"hccquiz: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
