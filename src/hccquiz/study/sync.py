"""Deck files -> the progress database: read, skip what is synced, validate, write.

`sync_files` hashes every file, asks the store which digests it already holds, then reads,
parses and validates only the changed files, one at a time, writing each validated deck
into one store transaction (`hccquiz.store.Store.deck_writer`) and dropping it before the
next: memory stays that of the largest deck, not of all of them. One invalid file writes
nothing: the transaction is rolled back, after every file has been checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from contextlib import ExitStack, suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..deck.file import claim_deck_id, read_deck_bytes
from ..errors import DeckError, HccquizError, Problem
from ..gctuning import bulk_allocation

if TYPE_CHECKING:
    from ..store import DeckFile, DeckSync, Store

__all__ = ["file_hash", "sync_files", "synced_deck_ids"]


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


def synced_deck_ids(store: Store, paths: Iterable[str | Path]) -> list[str]:
    """The stored decks that `paths` stand for, in the store's order, writing nothing: the
    decks a sync of them would leave in use. A file whose bytes were synced is its deck,
    found by digest; a file edited since is parsed (rarely needed, so slow only then) and
    stands for its deck id if it is valid and that deck is stored. An invalid, unreadable or
    never synced file stands for nothing, as a study session leaves it out."""
    from ..deck.file import load_deck

    files = list(dict.fromkeys(Path(p) for p in paths))
    digests: dict[Path, str] = {}
    for path in files:
        with suppress(DeckError):
            digests[path] = file_hash(read_deck_bytes(path))
    by_digest = store.synced_digests(digests.values())
    found = {by_digest[d] for d in digests.values() if d in by_digest}
    for path, digest in digests.items():
        if digest not in by_digest:
            with suppress(DeckError):
                found.add(load_deck(path).id)
    return [d for d in store.deck_ids() if d in found]


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
    from ..store import DeckSync

    problems: list[Problem] = []
    digests: dict[int, str] = {}
    for index, path in enumerate(paths):  # pass 1: hash every file, keeping no bytes
        try:
            digests[index] = file_hash(read_deck_bytes(path))
        except DeckError as exc:
            problems.extend(exc.problems)
    synced = store.synced_digests(digests.values())
    owners: dict[str, Path] = {}
    reports: dict[int, DeckSync] = {}
    with ExitStack() as transaction:
        write: Callable[[DeckFile], DeckSync] | None = None
        for index, digest in digests.items():  # pass 2: changed files, one at a time
            path = paths[index]
            deck_id = synced.get(digest)
            if deck_id is not None:
                if problem := claim_deck_id(owners, deck_id, path):
                    problems.append(problem)
                else:
                    reports[index] = DeckSync(str(path), deck_id, "unchanged")
                continue
            try:
                file = _load(path)
            except DeckError as exc:
                problems.extend(exc.problems)
                continue
            if problem := claim_deck_id(owners, file.deck.id, path):
                problems.append(problem)
            elif not problems:  # after a problem, only check: nothing will be written
                if not replace:
                    _check_replacement(store, file)  # raising rolls everything back
                if write is None:
                    write = transaction.enter_context(store.deck_writer(now=now))
                reports[index] = write(file)
            del file  # before the next deck is parsed
        if problems:
            raise DeckError(problems)  # inside the transaction: it is rolled back
    return [reports[i] for i in range(len(paths))]


def _load(path: Path) -> DeckFile:
    """Read and validate one deck file (read again: it is hashed as it is parsed)."""
    # the parser (yaml-rs or PyYAML, pydantic) is imported only when a file needs parsing,
    # so that syncing unchanged decks, the usual case, stays quick
    from ..deck.file import load_deck_text
    from ..store import DeckFile

    raw = read_deck_bytes(path)
    digest = file_hash(raw)
    return DeckFile(str(path), digest, load_deck_text(raw, str(path)))
