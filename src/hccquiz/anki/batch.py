"""`hccquiz export` as a function: deck files in, Anki packages out, one per deck or one
for all.

`export_decks` loads the deck files, stops before writing anything if one is invalid,
chooses the output paths, writes each package with `hccquiz.anki.package.export_apkg`, and
collects the messages the command shows. It prints nothing: the CLI command is a thin
wrapper that prints what it returns (or reports as it goes).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..deck.discovery import deck_files
from ..deck.file import load_decks
from ..errors import DeckError
from ..gctuning import bulk_allocation
from .package import export_apkg
from .plan import EmptyExportError, ExportResult, export_file_name, parse_levels, unmatched_filters

if TYPE_CHECKING:
    from ..deck.levels import Level
    from ..deck.models import Deck

__all__ = ["DecksExport", "export_decks"]


@dataclass(frozen=True)
class DecksExport:
    """What `export_decks` wrote and what it has to say about it."""

    results: tuple[ExportResult, ...]
    """One per package written, in order."""
    messages: tuple[str, ...]
    """Notes for the user, in order: ``skipped: <why>`` for a deck the filters emptied,
    ``warning: <what>`` for a stale stamp or a filter value that matches no item."""


def export_decks(
    paths: Iterable[str | os.PathLike[str]],
    output: str | os.PathLike[str] | None = None,
    levels: Iterable[Level | str] | None = None,
    tags: Iterable[str] | None = None,
    *,
    progress: Callable[[ExportResult | str], object] | None = None,
) -> DecksExport:
    """Export the decks in `paths` (deck files, or folders of them) to Anki packages.

    With `output` None, each deck goes to ``exports/<file name>`` (see
    `export_file_name`); an existing folder, or a path ending in a separator, gets one
    file per deck too; any other path gets one package holding every deck. `progress`
    is called with each result and each message as soon as there is one, so a caller
    can show them while the export runs.

    Raises `DeckError` with every problem of every invalid deck (and a repeated deck id)
    before writing anything, and `EmptyExportError` when the filters leave nothing in
    any package; a deck the filters empty is otherwise skipped with a message.
    """
    report = progress or (lambda event: None)
    results: list[ExportResult] = []
    messages: list[str] = []

    def say(message: str) -> None:
        messages.append(message)
        report(message)

    chosen = parse_levels(levels)
    tags = list(tags or ())
    with bulk_allocation():
        loaded = _load_all(Path(path) for path in paths)
        jobs = _jobs(loaded, output, chosen, tags)
        for group, path in jobs:
            try:
                result = export_apkg(group, path, chosen, tags)
            except EmptyExportError as exc:
                if len(jobs) == 1:
                    raise
                say(f"skipped: {exc}")
                continue
            results.append(result)
            report(result)
            if result.stale:
                say(
                    f"warning: {result.path}: the notes changed but the stamp "
                    f"{result.timestamp} is not newer than the replaced file's "
                    f"({result.previous_timestamp}): Anki will not update notes already "
                    "imported. Use a later SOURCE_DATE_EPOCH."
                )
    if not results:
        raise EmptyExportError("no deck has an item that matches the filters: nothing exported")
    for miss in unmatched_filters(loaded, chosen, tags):
        say(f"warning: {miss} matches no item")
    return DecksExport(tuple(results), tuple(messages))


def _load_all(paths: Iterable[Path]) -> list[Deck]:
    """Every deck, each file once; `DeckError` with all the problems if any is invalid."""
    found, problems = load_decks(deck_files(paths))
    loaded = [deck for _, deck in found]
    if problems:
        raise DeckError(problems)
    return loaded


def _jobs(
    decks: list[Deck],
    output: str | os.PathLike[str] | None,
    levels: list[Level] | None,
    tags: list[str],
) -> list[tuple[list[Deck], Path]]:
    """(decks, package path) pairs: one per deck, or one for all at `output`."""
    out = Path(output or "exports")
    per_deck = output is None or out.is_dir() or os.fspath(output).endswith(("/", os.sep))
    if per_deck:
        return [([deck], out / export_file_name(deck.id, levels, tags)) for deck in decks]
    return [(decks, out)]
