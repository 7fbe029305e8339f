"""The command group, the shared ``--db`` option and the one-line error handling."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .. import __version__
from ..errors import HccquizError, count_problems, printable

__all__ = ["cli", "db_option", "deck_problems", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True)
@click.version_option(__version__, prog_name="hccquiz")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Spaced-repetition flashcards and quizzes for clinical-trial evidence.

    With no command, opens the study app's home screen on the bundled decks.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(cli.commands["home"])


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
        raise HccquizError(
            f"{count_problems(problems)} problem(s) in the decks: {outcome}"
        ) from None


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
        problems = getattr(exc, "problems", None)
        lines = [str(p) for p in problems] if problems else [printable(f"hccquiz: {exc}")]
        click.echo("\n".join(lines), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
