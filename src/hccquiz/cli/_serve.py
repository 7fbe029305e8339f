"""``hccquiz serve``: the study app in a browser tab, and ``hccquiz completion``."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from ._base import cli, db_option

__all__ = ["SERVE", "completion", "serve"]

SERVE = "serve"
"""Key of the click context object whose value, when set, is called with the command line,
host, port and address instead of serving (the seam the CLI walk test uses)."""


@cli.command(epilog="Stop it with ctrl+c.")
@click.argument("decks", nargs=-1, metavar="[DECK]...")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but this machine (127.0.0.1, ::1, "
    "localhost) lets anyone who can reach the port use the app and its database.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--public-url",
    "url",
    metavar="URL",
    default=None,
    help="The address browsers use, when it is not http://HOST:PORT (behind a "
    "proxy, or with --host 0.0.0.0).",
)
@db_option
def serve(decks: tuple[str, ...], host: str, port: int, url: str | None,
          db_path: Path | None) -> None:  # fmt: skip
    """Serve the study app to a browser tab: each connection runs the app (home screen) on
    the same progress database."""
    from ..deck.discovery import deck_sources
    from ..store import resolve_db_path
    from ..tui.serve import is_local, public_url

    sources = [str(s.path.resolve()) for s in deck_sources(decks)] if decks else []
    db = resolve_db_path(db_path).resolve()
    command = shlex.join([sys.executable, "-m", "hccquiz", "home", "--db", str(db), *sources])
    address = url or public_url(host, port)
    if not is_local(host):
        click.echo(
            f"warning: --host {host} is not this machine only: anyone who can reach port "
            f"{port} can use the app and change the progress database {db}",
            err=True,
        )
    click.echo(f"hccquiz: serving the study app on {address} (progress: {db}); ctrl+c stops")
    hook = (click.get_current_context().find_root().obj or {}).get(SERVE)
    if hook is not None:
        hook(command, host, port, address)
        return
    from ..tui.serve import serve as run

    run(command, host, port, address)


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script (click's own) for SHELL. Add one line to your
    shell's start-up file: eval "$(hccquiz completion bash)" (zsh: the same with zsh;
    fish: hccquiz completion fish | source)."""
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None  # bash, zsh and fish are click's own
    click.echo(cls(cli, {}, "hccquiz", "_HCCQUIZ_COMPLETE").source())
