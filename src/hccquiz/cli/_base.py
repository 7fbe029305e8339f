"""The command group, the shared ``--db`` option and the one-line error handling."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .. import __version__
from ..errors import HccquizError, count_problems, printable

__all__ = ["cli", "db_option", "deck_problems", "main", "saying_made_folders"]


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


@contextmanager
def saying_made_folders(*outputs: str | os.PathLike[str] | None) -> Iterator[None]:
    """Around writing files the user named (``-o``; a path ending in ``/`` names a
    folder): say on stderr which missing folders the write made, never silently.

    Writes make missing folders (`hccquiz.fileio.write_atomic`), as ``draft -o drafts/...``
    relies on; this names the ones made, from the first that was missing down, so that a
    mistyped path does not go unnoticed (docs/reliability.md).
    """
    chains: list[list[Path]] = []
    for out in outputs:
        if out is None or os.fspath(out) == "-":
            continue
        folder = Path(out) if os.fspath(out).endswith(("/", os.sep)) else Path(out).parent
        chain = []  # the missing folders, from the lowest up
        while not os.path.lexists(folder) and folder.parent != folder:
            chain.append(folder)
            folder = folder.parent
        if chain and chain[::-1] not in chains:
            chains.append(chain[::-1])
    try:
        yield
    finally:  # a write that failed after making them says so too
        for chain in chains:
            made = [f for f in chain if f.is_dir()]
            if made:
                names = ", ".join(str(f) for f in made)
                what = "the folder" if len(made) == 1 else "the folders"
                it = "it" if len(made) == 1 else "they"
                click.echo(
                    printable(f"hccquiz: made {what} {names} ({it} did not exist)"), err=True
                )


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
