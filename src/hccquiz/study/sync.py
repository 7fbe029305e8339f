"""Deck files -> the progress database: read, skip what is synced, validate, write once.

`sync_files` reads every file, asks the store which file digests it already holds, parses
and validates only the changed files, and hands the validated decks to one store write
(`hccquiz.store.Store.write_decks`). One invalid file writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..deck.file import claim_deck_id, read_deck_bytes
from ..errors import DeckError, HccquizError, Problem
from ..gctuning import bulk_allocation

if TYPE_CHECKING:
    from ..store import DeckFile, DeckSync, Store

__all__ = ["file_hash", "sync_files"]


def file_hash(raw: bytes) -> str:
    """SHA-256 of a deck file's bytes, which decides whether it needs syncing."""
    return hashlib.sha256(raw).hexdigest()


def sync_files(
    store: Store, paths: Iterable[str | Path], *, now: datetime, replace: bool = False
) -> list[DeckSync]:
    """Validate every file, then write every changed deck in one transaction.

    Raises `DeckError` listing the problems of every invalid file, having written nothing.
    A deck id arriving from another file than the one it was synced from, with items the
    new file would retire, raises `HccquizError` (nothing written) unless `replace`.
    Returns one `DeckSync` per path (each path once), in order; unchanged files are skipped
    unparsed. The cyclic garbage collector runs rarely meanwhile (see `hccquiz.gctuning`).
    """
    with bulk_allocation():
        return _sync(store, list(dict.fromkeys(Path(p) for p in paths)), now, replace)


def _check_replacement(store: Store, file: DeckFile) -> None:
    """Refuse a deck arriving from another file when it would retire stored items."""
    synced_from = store.deck_paths().get(file.deck.id)
    if synced_from is None or _same_file(Path(synced_from), Path(file.path)):
        return
    retired = store.item_keys(file.deck.id) - {item.id for item in file.deck.items}
    if retired:
        raise HccquizError(
            f"{file.path}: deck id {file.deck.id!r} was synced from {synced_from}; this file "
            f"would retire {len(retired)} of its items and hide their progress: give it its "
            f"own id, or run `hccquiz sync {file.path} --replace` to replace that deck"
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:
        return False


def _sync(store: Store, paths: list[Path], now: datetime, replace: bool) -> list[DeckSync]:
    from ..store import DeckFile, DeckSync

    problems: list[Problem] = []
    raw: dict[int, bytes] = {}
    digests: dict[int, str] = {}
    for index, path in enumerate(paths):
        try:
            raw[index] = read_deck_bytes(path)
        except DeckError as exc:
            problems.extend(exc.problems)
            continue
        digests[index] = file_hash(raw[index])
    synced = store.synced_digests(digests.values())
    owners: dict[str, Path] = {}
    unchanged: dict[int, DeckSync] = {}
    changed: dict[int, DeckFile] = {}
    for index, digest in digests.items():
        path = paths[index]
        deck_id = synced.get(digest)
        deck = None
        if deck_id is None:
            # the parser (PyYAML, pydantic) is imported only when a file needs parsing,
            # so that syncing unchanged decks, the usual case, stays quick
            from ..deck.file import load_deck_text

            try:
                deck = load_deck_text(raw.pop(index), str(path))
            except DeckError as exc:
                problems.extend(exc.problems)
                continue
            deck_id = deck.id
        if problem := claim_deck_id(owners, deck_id, path):
            problems.append(problem)
        elif deck is None:
            unchanged[index] = DeckSync(str(path), deck_id, "unchanged")
        else:
            changed[index] = DeckFile(str(path), digest, deck)
    if problems:
        raise DeckError(problems)
    for file in changed.values() if not replace else ():
        _check_replacement(store, file)
    written = dict(zip(changed, store.write_decks(list(changed.values()), now=now), strict=True))
    return [unchanged.get(i) or written[i] for i in range(len(paths))]
