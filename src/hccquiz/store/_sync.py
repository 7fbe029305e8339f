"""Deck files -> the database, without ever losing progress.

- Items are matched by (deck id, item id). Edited content keeps the cards' schedules and
  history, and flags studied cards "changed since last review".
- Items missing from the file are retired (hidden, history kept) and restored, with their
  history, if they come back. Cloze cards are matched by deletion number in the same way.
- Every file is validated before anything is written; one invalid file writes nothing.
  The whole sync is one transaction. A file whose bytes are unchanged is skipped unparsed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..gctuning import bulk_allocation
from ._base import utc_text
from ._records import DeckSync
from ._schema import SYNC_VERSION

if TYPE_CHECKING:
    from ..models import Deck
    from ._store import Store

__all__ = ["content_hash", "file_hash", "sync"]

_META_KEYS = ("id", "levels", "tags")


def file_hash(raw: bytes) -> str:
    """SHA-256 of a deck file's bytes, which decides whether it needs syncing."""
    return hashlib.sha256(raw).hexdigest()


def content_hash(item_data: dict[str, Any]) -> str:
    """A short hash of what an item shows (everything but its id, levels and tags), as
    stored in ``items.content_hash``: SHA-256 of its compact key-sorted JSON, 16 hex digits."""
    from pydantic_core import to_json

    shown = {k: v for k, v in sorted(item_data.items()) if k not in _META_KEYS}
    return hashlib.sha256(to_json(shown)).hexdigest()[:16]


@dataclass
class _Loaded:
    path: Path
    digest: str
    deck: Deck


def sync(store: Store, paths: list[Path], *, now: datetime) -> list[DeckSync]:
    """Validate every file, then write every changed deck in one transaction.

    Raises `hccquiz.deckfile.DeckError` listing the problems of every invalid file, having
    written nothing. Returns one `DeckSync` per path, in order.

    The cyclic garbage collector runs rarely meanwhile (see `hccquiz.gctuning`).
    """
    with bulk_allocation():
        return _sync(store, paths, now=now)


def _sync(store: Store, paths: list[Path], *, now: datetime) -> list[DeckSync]:
    failures: list[Any] = []  # deckfile Problems, or (path, message) pairs
    results: dict[int, DeckSync] = {}
    loaded: dict[int, _Loaded] = {}
    owners: dict[str, Path] = {}
    for index, path in enumerate(paths):
        name = str(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            failures.append((name, f"cannot read file: {exc.strerror}"))
            continue
        digest = file_hash(raw)
        deck_id = _synced_deck(store, digest)
        deck = None
        if deck_id is None:
            # the parser (PyYAML, pydantic) is imported only when a file needs parsing,
            # so that syncing unchanged decks, the usual case, stays quick
            from ..deckfile import MAX_DECK_BYTES, DeckError, load_deck_text

            if len(raw) > MAX_DECK_BYTES:
                failures.append((name, f"file is over {MAX_DECK_BYTES:,} bytes"))
                continue
            try:
                deck = load_deck_text(raw, name)
            except DeckError as exc:
                failures.extend(exc.problems)
                continue
            deck_id = deck.id
        if deck_id in owners:
            failures.append((name, f"deck id {deck_id!r} is already used by {owners[deck_id]}"))
            continue
        owners[deck_id] = path
        if deck is None:
            results[index] = DeckSync(name, deck_id, "unchanged")
        else:
            loaded[index] = _Loaded(path, digest, deck)
    if failures:
        from ..deckfile import DeckError, Problem

        raise DeckError(
            [f if isinstance(f, Problem) else Problem(f[0], 1, 1, f[1]) for f in failures]
        )
    if loaded:
        stamp = utc_text(now)
        with store._write() as conn:
            for index, item in loaded.items():
                results[index] = _apply(conn, item, stamp)
    return [results[i] for i in range(len(paths))]


def _synced_deck(store: Store, digest: str) -> str | None:
    with store._read() as conn:
        row = conn.execute(
            "SELECT id FROM decks WHERE file_hash = ? AND sync_version = ?", (digest, SYNC_VERSION)
        ).fetchone()
    return row[0] if row else None


def _apply(conn: sqlite3.Connection, loaded: _Loaded, stamp: str) -> DeckSync:
    deck = loaded.deck
    position = _upsert_deck(conn, loaded, stamp)
    existing = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT key, id, position, type, levels, tags, content_hash, retired "
            "FROM items WHERE deck_id = ?",
            (deck.id,),
        )
    }
    cards: dict[int, dict[int, tuple[int, int]]] = {}
    for card_id, item_pk, number, retired in conn.execute(
        "SELECT c.id, c.item_id, c.number, c.retired FROM cards c JOIN items i "
        "ON i.id = c.item_id WHERE i.deck_id = ?",
        (deck.id,),
    ):
        cards.setdefault(item_pk, {})[number] = (card_id, retired)
    next_item = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM items").fetchone()[0]
    next_card = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM cards").fetchone()[0]
    n = Counter[str]()
    new_items: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    new_content: list[tuple[int, str]] = []
    edited_content: list[tuple[str, int]] = []
    labels: list[tuple[int, str, str]] = []  # (item, kind, value) for item_levels/item_tags
    relabelled: list[tuple[int]] = []
    new_cards: list[tuple[int, int, int]] = []
    card_flags: list[tuple[int, int]] = []  # (retired, card id)
    changed_items: list[tuple[int]] = []
    total_cards = 0
    from pydantic_core import to_json

    contents = _contents(deck)
    for index, (item, (content, digest)) in enumerate(zip(deck.items, contents, strict=True)):
        levels = [level.value for level in deck.item_levels(item)]
        tags = deck.item_tags(item)
        levels_json = '["' + '","'.join(levels) + '"]'
        tags_json = to_json(tags).decode()
        numbers = _card_numbers(item)
        total_cards += len(numbers)
        new = (index, item.type, levels_json, tags_json)
        old = existing.pop(item.id, None)
        if old is None:
            item_pk, next_item = next_item, next_item + 1
            new_items.append((item_pk, deck.id, item.id, *new, digest, stamp, stamp))
            new_content.append((item_pk, content))
            n["items_added"] += 1
        else:
            item_pk, *was, old_digest, retired = old
            changed = old_digest != digest
            if tuple(was) != new or retired or changed:
                updates.append((*new, digest, stamp if changed else None, item_pk))
            n["items_restored"] += bool(retired)
            n["items_changed"] += changed
            if changed:
                changed_items.append((item_pk,))
                edited_content.append((content, item_pk))
            if (was[2], was[3]) == (levels_json, tags_json):
                levels = tags = []  # labels unchanged: nothing to rewrite
            else:
                relabelled.append((item_pk,))
        labels += [(item_pk, "level", v) for v in levels] + [(item_pk, "tag", v) for v in tags]
        have = cards.get(item_pk, {})
        for number in numbers:
            if number not in have:
                new_cards.append((next_card, item_pk, number))
                next_card += 1
                n["cards_added"] += 1
            elif have[number][1]:
                card_flags.append((0, have[number][0]))
                n["cards_restored"] += 1
        for number, (card_id, card_retired) in have.items():
            if number not in numbers and not card_retired:
                card_flags.append((1, card_id))
                n["cards_retired"] += 1
    retire = [(old[0],) for old in existing.values() if not old[6]]
    n["items_retired"] = len(retire)
    conn.executemany(
        "INSERT INTO items (id, deck_id, key, position, type, levels, tags, content_hash, "
        "added_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        new_items,
    )
    conn.executemany("INSERT INTO item_content (item_id, content) VALUES (?, ?)", new_content)
    conn.executemany("UPDATE item_content SET content = ? WHERE item_id = ?", edited_content)
    conn.executemany(
        "UPDATE items SET position = ?, type = ?, levels = ?, tags = ?, content_hash = ?, "
        "changed_at = coalesce(?, changed_at), retired = 0 WHERE id = ?",
        updates,
    )
    conn.executemany("UPDATE items SET retired = 1 WHERE id = ?", retire)
    conn.executemany("DELETE FROM item_levels WHERE item_id = ?", relabelled)
    conn.executemany("DELETE FROM item_tags WHERE item_id = ?", relabelled)
    conn.executemany(
        "INSERT INTO item_levels (item_id, level) VALUES (?, ?)",
        [(pk, v) for pk, kind, v in labels if kind == "level"],
    )
    conn.executemany(
        "INSERT INTO item_tags (item_id, tag) VALUES (?, ?)",
        [(pk, v) for pk, kind, v in labels if kind == "tag"],
    )
    conn.executemany("INSERT INTO cards (id, item_id, number) VALUES (?, ?, ?)", new_cards)
    conn.executemany("UPDATE cards SET retired = ? WHERE id = ?", card_flags)
    conn.executemany(
        "UPDATE cards SET changed = 1 WHERE item_id = ? AND due IS NOT NULL", changed_items
    )
    return DeckSync(
        path=str(loaded.path),
        deck_id=deck.id,
        status="added" if position else "updated",
        items=len(deck.items),
        cards=total_cards,
        **n,
    )


def _upsert_deck(conn: sqlite3.Connection, loaded: _Loaded, stamp: str) -> int | None:
    """Insert or update the deck row; returns its position if it is new, else None."""
    deck = loaded.deck
    data = json.dumps(deck.model_dump(mode="json", exclude={"items"}), ensure_ascii=False)
    values = (deck.title, data, str(loaded.path), loaded.digest, SYNC_VERSION, stamp, deck.id)
    if conn.execute("SELECT 1 FROM decks WHERE id = ?", (deck.id,)).fetchone():
        conn.execute(
            "UPDATE decks SET title = ?, data = ?, path = ?, file_hash = ?, sync_version = ?, "
            "synced_at = ? WHERE id = ?",
            values,
        )
        return None
    position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM decks").fetchone()[0]
    conn.execute(
        "INSERT INTO decks (title, data, path, file_hash, sync_version, synced_at, id, "
        "position, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*values, position, stamp),
    )
    return int(position)


def _contents(deck: Deck) -> list[tuple[str, str]]:
    """(content, hash) per item: canonical JSON of what it shows (no id, levels or tags;
    keys sorted) and the first 16 hex digits of its SHA-256."""
    from pydantic import TypeAdapter
    from pydantic_core import to_json

    from ..models import Item

    dumped = TypeAdapter(list[Item]).dump_python(
        deck.items, mode="json", exclude={"__all__": set(_META_KEYS)}
    )
    out = []
    for data in dumped:
        raw = to_json(dict(sorted(data.items())))
        out.append((raw.decode(), hashlib.sha256(raw).hexdigest()[:16]))
    return out


def _card_numbers(item: Any) -> list[int]:
    """Cards of an item: one per distinct cloze number, else the single card 1."""
    if item.type != "cloze":
        return [1]
    from ..models import CLOZE_RE

    return sorted({int(m[0]) for m in CLOZE_RE.findall(item.text)})
