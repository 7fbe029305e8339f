"""``hccquiz cohort report``: item analysis and progress of a cohort, from progress logs."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from ._base import cli, deck_problems, saying_made_folders

__all__ = ["cohort", "report"]


@cli.group()
def cohort() -> None:
    """For educators and programs: what a cohort's progress logs say (docs/cohort.md)."""


def _day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-30") from None


@cohort.command()
@click.argument("logs", nargs=-1, required=True, metavar="LOGS...")
@click.option(
    "--deck",
    "decks",
    multiple=True,
    metavar="DECK",
    help="A deck file (or folder) the logs come from: flags then point into it as "
    "PATH:LINE:COL. Repeat for several; every deck in the logs must be given.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The HTML report (one self-contained file). Default: cohort-report.html, "
    "unless only --json is asked for.",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    metavar="FILE",
    help="Also write every figure as JSON (- for standard output).",
)
@click.option(
    "--as-of",
    "as_of",
    callback=_day,
    metavar="DATE",
    help="The day overdue counts and inactivity are measured on (default: today).",
)
@click.option(
    "--min-trainees",
    type=click.IntRange(1, 100_000),
    default=5,
    show_default=True,
    help="Flag an item only once this many trainees have reached it.",
)
def report(
    logs: tuple[str, ...],
    decks: tuple[str, ...],
    output: Path | None,
    json_path: Path | None,
    as_of: date | None,
    min_trainees: int,
) -> None:
    """Item analysis and trainee progress from progress logs (files, folders or globs).

    Prints a warning per flagged item, as PATH:LINE:COL when the deck file is given (so
    an editor jumps to it), and writes a self-contained HTML report and/or JSON.
    """
    import json

    from ..cohort.html import render_html
    from ..cohort.report import build_report
    from ..deck.discovery import deck_files, resolve_deck_args
    from ..deck.file import load_decks
    from ..errors import DeckError
    from ..fileio import write_atomic

    loaded: list = []
    if decks:
        with deck_problems("no report made"):
            loaded, problems = load_decks(deck_files(resolve_deck_args(decks)))
            if problems:
                raise DeckError(problems)
    day = as_of or datetime.now().date()
    result = build_report(list(logs), loaded, as_of=day, min_trainees=min_trainees)
    html_path = output
    if output is None and json_path is None:
        html_path = Path("cohort-report.html")
    page = render_html(result) if html_path is not None else None
    figures = json.dumps(result.to_json(), indent=1, ensure_ascii=False) + "\n"
    for line in result.warning_lines():
        click.echo(line)
    wrote = []
    with saying_made_folders(output, json_path):
        if html_path is not None and page is not None:
            write_atomic(html_path, page)
            wrote.append(str(html_path))
        if json_path is not None:
            if str(json_path) == "-":
                click.echo(figures, nl=False)
            else:
                write_atomic(json_path, figures)
                wrote.append(str(json_path))
    c = result.cohort
    summary = (
        f"cohort: {c['trainees']:,} trainee(s), {c['reviews']:,} review(s) of "
        f"{c['items']:,} item(s), {c['first_day']} to {c['last_day']}; "
        f"{len(result.flags)} flag(s)"
    )
    if result.loaded.left_out:
        summary += f"; {len(result.loaded.left_out)} older log(s) of the same trainees left out"
    click.echo(summary + (f"; wrote {', '.join(wrote)}" if wrote else ""), err=True)
