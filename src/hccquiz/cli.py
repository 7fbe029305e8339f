"""The ``hccquiz`` command line. Heavy modules are imported inside the commands."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .errors import HccquizError

if TYPE_CHECKING:
    from .models import Deck

__all__ = ["cli", "main"]

DECK_SUFFIXES = (".yaml", ".yml")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hccquiz")
def cli() -> None:
    """Spaced-repetition flashcards and quizzes for clinical-trial evidence."""


def deck_paths(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; folders expanded to the ``*.yaml``/``*.yml`` files in them."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            decks = sorted(p for p in path.iterdir() if p.suffix in DECK_SUFFIXES and p.is_file())
            if not decks:
                raise HccquizError(f"{path}: no *.yaml or *.yml deck files in this folder")
            found.extend(decks)
        else:
            found.append(path)
    return found


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
    from .deckfile import DeckError, Problem, load_deck

    problems: list[Problem] = []
    owners: dict[str, Path] = {}
    valid = 0
    files = deck_paths(paths)
    for path in files:
        try:
            deck = load_deck(path)
        except DeckError as exc:
            problems.extend(exc.problems)
            continue
        if deck.id in owners:
            problems.append(
                Problem(
                    str(path), 1, 1, f"deck id {deck.id!r} is already used by {owners[deck.id]}"
                )
            )
            continue
        owners[deck.id] = path
        valid += 1
        click.echo(_summary(path, deck))
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        invalid = len(files) - valid
        raise HccquizError(
            f"{invalid} of {len(files)} deck file(s) invalid, {len(problems)} problem(s)"
        )


@cli.command()
def schema() -> None:
    """Print the deck JSON Schema (committed as decks/deck.schema.json)."""
    from .deckfile import schema_text

    click.echo(schema_text(), nl=False)


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
