"""``hccquiz config``: list, get, set and unset the settings of `hccquiz.study._settings`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..study._settings import SETTINGS
from ._base import cli, db_option

if TYPE_CHECKING:
    from ..study.preferences import Settings

__all__ = ["config", "keys"]

_KEYS = click.Choice([s.key for s in SETTINGS])
_deck_option = click.option(
    "--deck", "deck_id", metavar="ID",
    help="One deck's own value (for new_per_day and reviews_per_day).",
)  # fmt: skip


@contextmanager
def _settings(db_path: Path | None) -> Iterator[Settings]:
    from ..store import Store
    from ..study.preferences import Settings

    with Store.open(db_path) as store:
        yield Settings(store)


@cli.group()
def config() -> None:
    """Show and change settings: daily limits, day start, grading scale, drill, level, theme,
    the scheduler (sm2 or fsrs), FSRS's desired retention; keymap.

    Limits, the day start, the scale, the drill and the level filter are kept in the
    progress database (they travel with your progress); the theme and the keymap in this
    machine's settings file ($HCCQUIZ_CONFIG, else ~/.config/hccquiz/settings.json on
    Linux).
    """


@config.command("list")
@_deck_option
@db_option
def list_(deck_id: str | None, db_path: Path | None) -> None:
    """Every setting: value, where it comes from, and what it does."""
    with _settings(db_path) as settings:
        rows = settings.rows(deck_id)
        deck_rows = {d: settings.rows(d) for d in settings.store.deck_ids()} if not deck_id else {}
    width = max(len(s.key) for s in SETTINGS)
    for row in rows:
        click.echo(f"{row.key:<{width}} {row.value:<14} ({row.source}) {row.setting.help}")
    for deck, values in deck_rows.items():
        own = [v for v in values if v.source == f"deck {deck}"]
        for row in own:
            click.echo(f"{row.key:<{width}} {row.value:<14} (deck {deck}: hccquiz config get "
                       f"{row.key} --deck {deck})")  # fmt: skip


@config.command()
@click.argument("key", type=_KEYS, metavar="KEY")
@_deck_option
@db_option
def get(key: str, deck_id: str | None, db_path: Path | None) -> None:
    """Print one setting's value (for one deck with --deck)."""
    with _settings(db_path) as settings:
        click.echo(settings.get(key, deck_id).value)


@config.command(
    "set",
    short_help="Change a setting, for every deck or (--deck) for one.",
    context_settings={"ignore_unknown_options": True},  # `set new_per_day -1`: a value
)
@click.argument("key", type=_KEYS, metavar="KEY")
@click.argument("value")
@_deck_option
@db_option
def set_(key: str, value: str, deck_id: str | None, db_path: Path | None) -> None:
    """Change a setting, e.g. `hccquiz config set new_per_day 30` (every deck) or
    `hccquiz config set new_per_day 30 --deck imbrave150` (one deck)."""
    if key == "keymap":
        from ..study import setting
        from ..tui.keys import check_keymap

        check_keymap(setting(key).normal(value))  # every binding id must be the app's
    with _settings(db_path) as settings:
        if key == "scheduler":  # a switch: the replay shows a progress bar
            from ..study._settings import deck_key, setting
            from ._fsrs import switch_with_bar

            deck_key(key, deck_id)  # one setting for every deck
            click.echo(switch_with_bar(settings.store, setting(key).normal(value)))
            return
        stored = settings.set(key, value, deck_id)
    click.echo(f"{key} = {stored}" + (f" for deck {deck_id}" if deck_id else ""))


@config.command()
@click.argument("key", type=_KEYS, metavar="KEY")
@_deck_option
@db_option
def unset(key: str, deck_id: str | None, db_path: Path | None) -> None:
    """Go back to the default (with --deck: to the value every deck has)."""
    with _settings(db_path) as settings:
        settings.unset(key, deck_id)
        now = settings.get(key, deck_id)
    click.echo(f"{key} = {now.value} ({now.source})")


@config.command(short_help="List the app's key bindings by id, for the keymap setting.")
def keys() -> None:
    """List the app's key bindings by id, for the keymap setting, e.g.
    `hccquiz config set keymap "study.undo=ctrl+z; app.help=f1"`."""
    from ..tui.keys import binding_ids

    for info in binding_ids().values():
        click.echo(f"{info.id:<20} {info.keys:<16} {info.description}")
