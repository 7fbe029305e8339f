"""Writing validated decks: the deck rows, then each deck's item diff, in one transaction.

The store never reads a deck file: `hccquiz.study.sync` reads, hashes and validates the
files and hands the store `DeckFile`s. `synced_digests` tells it which files need no parse.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from ._connection import Connection, utc_text
from ._diff import StoredCard, StoredItem, diff_deck
from ._records import DeckFile, DeckSync
from ._schema import SYNC_VERSION

__all__ = ["DeckWrites"]

_RANK = """((SELECT d.position FROM decks d WHERE d.id = :deck) << 40)
    + ((SELECT i.position FROM items i WHERE i.id = cards.item_id) << 17) + cards.number"""
_RANK_SQL = f"""UPDATE cards SET new_rank = {_RANK}
WHERE item_id IN (SELECT id FROM items WHERE deck_id = :deck) AND new_rank != {_RANK}"""
"""Keep ``cards.new_rank`` (deck, item, card number: the deck order) up to date for a deck."""


class DeckWrites(Connection):
    """The deck half of `Store`: what is synced, and writing decks."""

    def synced_digests(self, digests: Iterable[str]) -> dict[str, str]:
        """Deck id by file digest, for the digests already synced by this hccquiz version."""
        wanted = list(dict.fromkeys(digests))
        found: dict[str, str] = {}
        with self._read() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                found.update(
                    conn.execute(
                        "SELECT file_hash, id FROM decks WHERE sync_version = ? "
                        f"AND file_hash IN ({','.join('?' * len(chunk))})",
                        [SYNC_VERSION, *chunk],
                    ).fetchall()
                )
        return found

    def write_decks(self, files: Sequence[DeckFile], *, now: datetime) -> list[DeckSync]:
        """Write every deck in one transaction; one `DeckSync` per file, in order."""
        if not files:
            return []
        with self.deck_writer(now=now) as write:
            return [write(file) for file in files]

    @contextmanager
    def deck_writer(self, *, now: datetime) -> Iterator[Callable[[DeckFile], DeckSync]]:
        """One write transaction in which decks are written one at a time, so that a caller
        can validate, write and drop each deck in turn (memory stays that of one deck).

        The block's function writes one deck and returns its `DeckSync`. Everything is
        committed when the block ends, or rolled back, leaving the store as it was, if the
        block raises (an invalid deck found later, for example).
        """
        stamp = utc_text(now)
        with self._write() as conn:
            yield lambda file: _write_deck(conn, file, stamp)

    def deck_ids(self) -> list[str]:
        """Ids of every synced deck, in the order they were first synced."""
        with self._read() as conn:
            return [r[0] for r in conn.execute("SELECT id FROM decks ORDER BY position")]

    def deck_titles(self) -> dict[str, str]:
        """Title of every synced deck by id, in the order they were first synced."""
        with self._read() as conn:
            return dict(conn.execute("SELECT id, title FROM decks ORDER BY position"))


def _write_deck(conn: sqlite3.Connection, file: DeckFile, stamp: str) -> DeckSync:
    from ..deck.content import item_contents  # pydantic, only when a deck changed

    deck = file.deck
    position = _upsert_deck(conn, file, stamp)
    deck_position = (
        position
        or conn.execute("SELECT position FROM decks WHERE id = ?", (deck.id,)).fetchone()[0]
    )
    items = {
        r[0]: StoredItem(r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]))
        for r in conn.execute(
            "SELECT key, id, position, type, levels, tags, fact, content_hash, retired "
            "FROM items WHERE deck_id = ?",
            (deck.id,),
        )
    }
    cards: dict[int, dict[int, StoredCard]] = {}
    for card_id, item_pk, number, retired in conn.execute(
        "SELECT c.id, c.item_id, c.number, c.retired FROM cards c JOIN items i "
        "ON i.id = c.item_id WHERE i.deck_id = ?",
        (deck.id,),
    ):
        cards.setdefault(item_pk, {})[number] = StoredCard(card_id, bool(retired))
    diff = diff_deck(
        deck,
        item_contents(deck.items),
        items,
        cards,
        next_item=conn.execute("SELECT coalesce(max(id), 0) + 1 FROM items").fetchone()[0],
        next_card=conn.execute("SELECT coalesce(max(id), 0) + 1 FROM cards").fetchone()[0],
        stamp=stamp,
        deck_position=deck_position,
    )
    conn.executemany(
        "INSERT INTO items (id, deck_id, key, position, type, levels, tags, fact, content_hash, "
        "added_at, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        diff.new_items,
    )
    conn.executemany("INSERT INTO item_content (item_id, content) VALUES (?, ?)", diff.new_content)
    conn.executemany("UPDATE item_content SET content = ? WHERE item_id = ?", diff.edited_content)
    conn.executemany(
        "UPDATE items SET position = ?, type = ?, levels = ?, tags = ?, fact = ?, "
        "content_hash = ?, changed_at = coalesce(?, changed_at), retired = 0 WHERE id = ?",
        diff.updates,
    )
    conn.executemany("UPDATE items SET retired = 1 WHERE id = ?", diff.retire)
    conn.executemany("DELETE FROM item_levels WHERE item_id = ?", diff.relabelled)
    conn.executemany("DELETE FROM item_tags WHERE item_id = ?", diff.relabelled)
    conn.executemany("INSERT INTO item_levels (item_id, level) VALUES (?, ?)", diff.levels)
    conn.executemany("INSERT INTO item_tags (item_id, tag) VALUES (?, ?)", diff.tags)
    labels = _label_ids(
        conn, deck.id, {c[4] for c in diff.new_cards} | {levels for levels, _ in diff.card_labels}
    )
    conn.executemany(
        "INSERT INTO cards (id, item_id, number, new_rank, label) VALUES (?, ?, ?, ?, ?)",
        [(*card[:4], labels[card[4]]) for card in diff.new_cards],
    )
    conn.executemany(
        "UPDATE cards SET label = ? WHERE item_id = ?",
        [(labels[levels], item_pk) for levels, item_pk in diff.card_labels],
    )
    conn.executemany("UPDATE cards SET label = NULL WHERE item_id = ?", diff.retire)
    conn.executemany("UPDATE cards SET retired = ? WHERE id = ?", diff.card_flags)
    conn.executemany(
        "UPDATE cards SET changed = 1 WHERE item_id = ? AND due IS NOT NULL", diff.changed_items
    )
    if diff.updates:  # items moved, perhaps: re-rank the deck's existing cards (new ones
        conn.execute(_RANK_SQL, {"deck": deck.id})  # were inserted with their rank)
    return DeckSync(
        path=file.path,
        deck_id=deck.id,
        status="added" if position else "updated",
        items=len(deck.items),
        cards=diff.cards,
        **diff.counts,
    )


def _label_ids(conn: sqlite3.Connection, deck_id: str, wanted: set[str]) -> dict[str, int]:
    """The label id of each level set (as JSON) in `wanted` for deck `deck_id`, made if new."""
    labels: dict[str, int] = dict(
        conn.execute("SELECT levels, id FROM labels WHERE deck_id = ?", (deck_id,)).fetchall()
    )
    for levels in sorted(wanted - labels.keys()):
        cur = conn.execute("INSERT INTO labels (deck_id, levels) VALUES (?, ?)", (deck_id, levels))
        labels[levels] = int(cur.lastrowid or 0)
    return labels


def _upsert_deck(conn: sqlite3.Connection, file: DeckFile, stamp: str) -> int | None:
    """Insert or update the deck row; returns its position if it is new, else None."""
    deck = file.deck
    data = json.dumps(deck.model_dump(mode="json", exclude={"items"}), ensure_ascii=False)
    values = (deck.title, data, file.path, file.digest, SYNC_VERSION, stamp, deck.id)
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
