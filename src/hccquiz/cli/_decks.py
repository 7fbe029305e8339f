"""Deck commands: validate, schema, export, draft and sync."""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..deck.discovery import deck_files
from ..deck.levels import LEVEL_VALUES
from ..errors import HccquizError, count_problems
from ._base import cli, db_option, deck_problems, saying_made_folders

if TYPE_CHECKING:
    from ..deck.models import Deck

__all__ = ["draft", "export", "schema", "sync", "validate"]


def _summary(path: Path, deck: Deck) -> str:
    from ..deck.levels import Level

    levels: Counter[Level] = Counter()
    for item in deck.items:
        levels.update(deck.item_levels(item))
    per_level = ", ".join(f"{level.value} {levels[level]}" for level in Level if levels[level])
    return (
        f"{path}: ok: {deck.id}: {len(deck.items)} items, {deck.card_count} cards, "
        f"levels: {per_level}"
    )


@cli.command()
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, readable=False, path_type=Path)
)
def validate(paths: tuple[Path, ...]) -> None:
    """Check deck files (or every deck in folders) and report problems as PATH:LINE:COL."""
    from ..deck.file import load_decks

    files = deck_files(paths)
    loaded, problems = load_decks(files)
    for path, deck in loaded:
        click.echo(_summary(path, deck))
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        invalid = len(set(files)) - len(loaded)
        raise HccquizError(
            f"{invalid} of {len(files)} deck file(s) invalid, {count_problems(problems)} problem(s)"
        )


@cli.command()
def schema() -> None:
    """Print the deck JSON Schema (committed as decks/deck.schema.json)."""
    from ..deck.schema import schema_text

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
    type=click.Choice(LEVEL_VALUES),
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
    from ..anki.batch import export_decks
    from ..anki.plan import ExportResult
    from ..deck.discovery import resolve_deck_args

    def show(event: ExportResult | str) -> None:
        if isinstance(event, ExportResult):
            click.echo(event.describe())
        else:
            click.echo(f"hccquiz: {event}", err=True)

    paths = resolve_deck_args(decks)
    with deck_problems("nothing exported"), saying_made_folders(output):
        export_decks(paths, output, levels, tags, progress=show)


@cli.command()
@click.argument(
    "summary",
    type=click.Path(exists=True, dir_okay=False, readable=False, allow_dash=True, path_type=Path),
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
    type=click.Path(exists=True, dir_okay=False, readable=False, path_type=Path),
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
    from ..draft.writer import run_draft

    source = sys.stdin.buffer if str(summary) == "-" else summary
    with saying_made_folders(output):
        outcome = run_draft(source, output, deck_id, merge_path, force)
    for warning in outcome.warnings:
        click.echo(f"hccquiz: warning: {warning}", err=True)
    if output is None:
        click.echo(outcome.text, nl=False)
    if outcome.message:
        click.echo(outcome.message, err=output is None)
    _warn_if_id_taken(outcome.text, output)


def _warn_if_id_taken(text: str, output: Path | None) -> None:
    """Warn when a draft's deck id is already used by a deck in decks/ or the bundled ones."""
    from ..deck.discovery import deck_sources
    from ..deck.file import load_deck_text, load_decks

    drafted = load_deck_text(text, "<draft>").id
    with contextlib.suppress(HccquizError):
        for path, deck in load_decks(s.path for s in deck_sources([]))[0]:
            if deck.id == drafted and not (output and output.exists() and output.samefile(path)):
                click.echo(f"hccquiz: warning: deck id {drafted!r} is already used by {path}; "
                           "syncing this draft would replace that deck: pass --id NEW-ID",
                           err=True)  # fmt: skip


@cli.command()
@click.argument("decks", nargs=-1, required=True, metavar="DECK...")
@click.option("--replace", is_flag=True,
              help="Let a file replace a deck of the same id synced from another file, "
              "retiring the items it lacks (their history is kept).")  # fmt: skip
@db_option
def sync(decks: tuple[str, ...], replace: bool, db_path: Path | None) -> None:
    """Load decks (files, folders of *.yaml, or names of decks in decks/) into the progress
    database.

    Edited items keep their progress and are flagged as changed; items removed from a file
    are retired with their history and come back with it. All files are checked first: if
    any is invalid, nothing is written. Unchanged files are skipped. A deck id arriving
    from another file than the one it was synced from is refused if it would retire items,
    unless --replace.
    """
    from datetime import UTC, datetime

    from ..deck.discovery import resolve_deck_args
    from ..store import Store
    from ..study.sync import sync_files

    files = resolve_deck_args(decks)
    with Store.open(db_path) as store:
        with deck_problems("sync aborted, nothing written"):
            reports = sync_files(store, files, now=datetime.now(UTC), replace=replace)
        for report in reports:
            click.echo(report.describe())
        click.echo(f"database: {store.path}", err=True)
