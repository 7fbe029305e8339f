"""Database commands: ``hccquiz db check | backup | restore | recover``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from ..errors import HccquizError
from ._base import cli, db_option

__all__ = ["db"]


@cli.group()
def db() -> None:
    """Check, back up, restore and recover the progress database.

    hccquiz keeps a backup a day (the last 7), YYYY-MM-DD.db in <database>-backups/ beside
    the database, made when a study session or sync closes it. `hccquiz db backup` adds a
    manual one, YYYY-MM-DD_HH-MM-SS.db, kept until you delete it. No backup ever replaces
    another.
    """


def _existing(db_path: Path | None) -> Path:
    from ..store import inspect_file, resolve_db_path

    path = resolve_db_path(db_path)
    if inspect_file(path) != "ours":  # refuses foreign and unreadable files in one line
        raise HccquizError(f"{path}: no progress database here")
    return path


@db.command()
@db_option
def check(db_path: Path | None) -> None:
    """Run SQLite's full integrity check; exit 1 if the database is damaged."""
    from ..store import check_database

    path = _existing(db_path)
    problems = check_database(path)
    if problems:
        for problem in problems:
            click.echo(f"{path}: {' '.join(problem.split())}", err=True)
        raise HccquizError(
            f"{path}: the database is damaged; `hccquiz db recover --db {path}` copies what "
            f"is readable into a new file, `hccquiz db restore --db {path}` puts back a backup"
        )
    click.echo(f"{path}: ok")


@db.command()
@db_option
def backup(db_path: Path | None) -> None:
    """Back up the database now, as a new manual backup named for the day and time.

    It never replaces another backup, and the daily rotation (the last 7 daily backups)
    never removes it: manual backups are kept until you delete them.
    """
    from ..store import (
        KEEP_BACKUPS,
        backup_label,
        backup_now,
        backups_of,
        check_database,
        is_daily_backup,
    )

    path = _existing(db_path)
    if problems := check_database(path):
        raise HccquizError(f"{path}: damaged ({problems[0]}): not backed up over good backups")
    made = backup_now(path)
    click.echo(f"backed up {path} to {made}")
    found = backups_of(path)
    daily = [backup_label(p) for p in found if is_daily_backup(p)]
    manual = [p for p in found if not is_daily_backup(p)] or [made]
    size = sum(p.stat().st_size for p in manual if p.exists()) / 1e6
    click.echo(
        f"daily backups (the last {KEEP_BACKUPS} are kept): {', '.join(daily) or 'none yet'}",
        err=True,
    )
    click.echo(
        f"manual backups (kept until you delete them): {len(manual)}, {size:.1f} MB; "
        f"the oldest {backup_label(manual[0])}, the newest {backup_label(manual[-1])}",
        err=True,
    )


@db.command()
@db_option
@click.argument(
    "replacement",
    required=False,
    type=click.Path(exists=True, dir_okay=False, readable=False, path_type=Path),
    metavar="[FILE]",
)
def restore(db_path: Path | None, replacement: Path | None) -> None:
    """Put a backup (the newest by default, daily or manual) or a recovered FILE in the
    database's place. FILE may be any backup in <database>-backups/.

    The current file is moved aside to <database>.replaced-<time>, never deleted.
    """
    from ..store import backups_of, resolve_db_path, restore_database

    path = resolve_db_path(db_path)
    if replacement is None:
        found = backups_of(path)
        if not found:
            raise HccquizError(f"{path}: no backups yet (they would be in {path}-backups/)")
        replacement = found[-1]
    aside = restore_database(path, replacement)
    moved = f"; the previous file is now {aside}" if aside.exists() else ""
    click.echo(f"restored {path} from {replacement}{moved}")


@db.command()
@db_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The new database (default: <database>.recovered-<time> beside it).",
)
def recover(db_path: Path | None, output: Path | None) -> None:
    """Copy every readable row of a damaged database into a new file.

    The damaged file is only read. Rows on damaged pages are lost, and so are cards and
    reviews whose item was lost; decks are synced again at the next study or sync, so
    items come back from the deck files.
    """
    from ..store import check_database, recover_database

    path = _existing(db_path)
    target = output or path.with_name(
        f"{path.name}.recovered-{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    )
    report = recover_database(path, target)
    for table, n in sorted(report.copied.items()):
        lost = [
            f"{count} {what}"
            for what, counts in (
                ("unreadable stretch(es)", report.unreadable),
                ("left out: their parent row was lost", report.orphaned),
                ("refused as garbage", report.refused),
            )
            if (count := counts.get(table))
        ]
        click.echo(f"{table}: {n} row(s) copied" + (f"; {'; '.join(lost)}" if lost else ""))
    problems = check_database(target)
    if problems:
        raise HccquizError(f"{target}: the recovered file does not check out: {problems[0]}")
    state = "everything was readable" if report.complete else "some rows were lost (above)"
    click.echo(
        f"recovered {path} into {target}: {state}. To use it: "
        f"hccquiz db restore --db {path} {target}"
    )
