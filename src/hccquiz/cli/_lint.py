"""``hccquiz lint``: item-writing warnings as ``PATH:LINE:COL: warning: message [rule-id]``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..deck.discovery import deck_files
from ..errors import HccquizError
from ._base import cli

if TYPE_CHECKING:
    from ..deck.lint import SourceText

__all__ = ["lint"]


def _source_text(path: Path) -> SourceText:
    from ..draft.sources import source_text
    from ..draft.summary import SummaryError, parse_summary
    from ..draft.writer import decode_summary, read_summary

    try:
        return source_text(parse_summary(decode_summary(read_summary(path), str(path))))
    except SummaryError as exc:
        raise HccquizError(f"{path}: {exc}") from None


def _rules() -> str:
    from ..deck.lint import RULES

    width = max(len(rule.id) for rule in RULES)
    return "\n".join(f"{rule.id:<{width}}  {rule.summary}" for rule in RULES)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, readable=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when there is any warning.")
@click.option(
    "--summary",
    type=click.Path(exists=True, dir_okay=False, readable=False, path_type=Path),
    metavar="SUMMARY",
    help="The trial summary the decks were written from: also check that each item's "
    "`source` section holds its numbers.",
)
@click.option("--rules", "list_rules", is_flag=True, help="List the rules and exit.")
def lint(paths: tuple[Path, ...], strict: bool, summary: Path | None, list_rules: bool) -> None:
    """Report item-writing flaws in decks (or every deck in folders).

    Warnings go to stdout as PATH:LINE:COL: warning: message [rule-id]. An item silences a
    rule with `lint_ignore: [rule-id]`. Exit 0 with warnings (1 with --strict), 1 on an
    invalid deck.
    """
    from ..deck.file import read_deck_bytes
    from ..deck.lint import lint_deck_text
    from ..errors import DeckError

    if list_rules:
        click.echo(_rules())
        return
    if not paths:
        raise click.UsageError("give deck files or folders to lint (or --rules)")
    source = _source_text(summary) if summary is not None else None
    files = deck_files(paths)
    warnings = invalid = 0
    for path in dict.fromkeys(files):
        try:
            _, found = lint_deck_text(read_deck_bytes(path), str(path), source)
        except DeckError as exc:
            invalid += 1
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            continue
        warnings += len(found)
        for warning in found:
            click.echo(str(warning))
    if invalid:
        raise HccquizError(f"{invalid} of {len(files)} deck file(s) invalid: not linted")
    checked = f"{len(files)} deck file(s)"
    click.echo(f"hccquiz lint: {warnings} warning(s) in {checked}", err=True)
    if warnings and strict:
        raise HccquizError(f"{warnings} warning(s) with --strict")
