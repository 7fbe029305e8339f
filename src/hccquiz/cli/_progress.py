"""``hccquiz progress export``: a trainee's anonymous review log, from hccquiz or Anki."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import HccquizError
from ._base import cli, db_option, deck_problems, saying_made_folders

if TYPE_CHECKING:
    from ..progress.export import ExportResult
    from ..store import Store

__all__ = ["export_progress", "progress"]


@cli.group()
def progress() -> None:
    """Your progress as a file to hand to your program (anonymous; see docs/cohort.md)."""


def _pseudonym(store: Store | None, chosen: str | None) -> str:
    """The chosen pseudonym, else the database's own random one (made once, then kept)."""
    import secrets

    from ..progress.pseudonym import PSEUDONYM_SETTING, check_pseudonym, new_pseudonym

    if chosen is not None:
        return check_pseudonym(chosen)
    assert store is not None, "without a chosen pseudonym the database keeps one"
    kept = store.settings().get(PSEUDONYM_SETTING)
    if kept:
        return kept
    made = new_pseudonym(secrets.randbelow)
    store.set_setting(PSEUDONYM_SETTING, made)
    return made


@progress.command("export")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write: .csv (the default) or .parquet. "
    "Default: hccquiz-progress-<pseudonym>.csv in the current folder.",
)
@click.option(
    "--pseudonym",
    metavar="NAME",
    help="The name the log carries (a code your program gave you). "
    "Default: a random one, made once and kept in the progress database.",
)
@click.option(
    "--from-anki",
    "collection",
    metavar="COLLECTION",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read Anki's collection.anki2 (studied from hccquiz's .apkg) instead of the "
    "progress database. It is read from a copy and never changed.",
)
@click.option(
    "--deck",
    "decks",
    multiple=True,
    metavar="DECK",
    help="With --from-anki: the deck files the notes came from (default: the bundled "
    "decks). Repeat for several.",
)
@db_option
def export_progress(
    output: Path | None,
    pseudonym: str | None,
    collection: Path | None,
    decks: tuple[str, ...],
    db_path: Path | None,
) -> None:
    """Write your review log, one row per review, to a CSV or Parquet file.

    Each row holds the deck and item ids, the card, the item's content hash and levels,
    the kind of review, the grade, the answer time, the study day and the time to the
    minute, the scheduler and, for choice items, the options picked. No names, paths,
    host or user names: only a pseudonym. docs/cohort.md lists every column.
    """
    from ..progress.format import log_kind

    if decks and collection is None:
        raise click.UsageError("--deck goes with --from-anki (the progress database has its decks)")
    if output is not None and log_kind(output.name) is None:
        raise click.BadParameter("name the file .csv or .parquet", param_hint="-o")
    with saying_made_folders(output):
        if collection is not None:
            result = _from_anki(collection, decks, output, pseudonym, db_path)
        else:
            result = _from_store(output, pseudonym, db_path)
    click.echo(
        f"{result.path}: {result.rows:,} review(s) of trainee {result.trainee} "
        f"(format {_version()})"
    )
    from ..progress.anki import SKIP_REASONS

    for reason, count in result.skipped.items():
        click.echo(f"skipped {count:,} review(s) {SKIP_REASONS[reason]}", err=True)


def _version() -> str:
    from ..progress.format import FORMAT_NAME, FORMAT_VERSION

    return f"{FORMAT_NAME} {FORMAT_VERSION}"


def _target(output: Path | None, trainee: str) -> Path:
    return output if output is not None else Path(f"hccquiz-progress-{trainee}.csv")


def _from_store(output: Path | None, pseudonym: str | None, db_path: Path | None) -> ExportResult:
    from ..progress.export import export_store
    from ..store import Store

    with Store.open(db_path, create=False) as store:
        if not store.reviews_total():
            raise HccquizError(f"{store.path}: no reviews yet, nothing to export")
        trainee = _pseudonym(store, pseudonym)
        return export_store(store, _target(output, trainee), trainee=trainee)


def _from_anki(
    collection: Path,
    deck_args: tuple[str, ...],
    output: Path | None,
    pseudonym: str | None,
    db_path: Path | None,
) -> ExportResult:
    from ..deck.discovery import deck_files, resolve_deck_args
    from ..deck.file import load_decks
    from ..errors import DeckError
    from ..progress.anki import SKIP_REASONS, anki_rows
    from ..progress.export import ExportResult, write_log
    from ..store import Store, read_anki_collection

    with deck_problems("nothing exported"):
        loaded, problems = load_decks(deck_files(resolve_deck_args(deck_args)))
        if problems:
            raise DeckError(problems)
    read = read_anki_collection(collection)
    if pseudonym is None:  # the progress database keeps the random one, as for hccquiz
        with Store.open(db_path) as store:
            trainee = _pseudonym(store, None)
    else:
        trainee = _pseudonym(None, pseudonym)
    rows, skipped = anki_rows(read, [deck for _, deck in loaded], trainee=trainee)
    if not rows:
        detail = "; ".join(f"{n:,} {SKIP_REASONS[r]}" for r, n in skipped.items())
        raise HccquizError(
            f"{collection}: no reviews of the given decks' notes"
            + (f" ({detail})" if detail else "")
            + ": nothing exported"
        )
    target = _target(output, trainee)
    write_log([rows], target)
    return ExportResult(target, len(rows), trainee, dict(skipped))
