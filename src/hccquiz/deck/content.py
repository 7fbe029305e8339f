"""What an item shows, as canonical JSON, and its hash: how sync tells an edit from a move.

Everything but an item's labels (id, levels, tags, fact, lint settings) is content: editing
the question or an answer changes the hash (and flags studied cards "changed");
re-tagging or re-levelling does not. The hash is kept in every review and in progress
exports, so its scheme never changes: the fields of the first deck format are always
hashed, and a field added since is hashed only when an item sets it, so adding a field to
the format changes no existing item's hash (`tests/test_store.py` pins them).
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import to_json

from .models import AnyItem, Item

__all__ = ["FIRST_FIELDS", "META_KEYS", "content_hash", "content_json", "item_contents"]

META_KEYS = ("id", "levels", "tags", "fact", "lint_ignore")
"""Item fields that are labels, not content."""
FIRST_FIELDS = frozenset(
    {"type", "question", "answer", "text", "choices", "shuffle", "source", "explanation"}
)
"""The content fields of the first deck format: always hashed, even when empty."""

_ITEMS: TypeAdapter[list[AnyItem]] = TypeAdapter(list[Item])


def content_json(item_data: dict[str, Any]) -> bytes:
    """What an item (as JSON data) shows, key-sorted, as compact JSON: its content fields
    (not its labels), later fields only when set."""
    return to_json(
        {
            k: v
            for k, v in sorted(item_data.items())
            if k not in META_KEYS and (k in FIRST_FIELDS or v not in (None, [], {}))
        }
    )


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def content_hash(item_data: dict[str, Any]) -> str:
    """The stored content hash of an item given as JSON data: the first 16 hex digits of
    the SHA-256 of `content_json`."""
    return _digest(content_json(item_data))


def item_contents(items: list[AnyItem]) -> list[tuple[str, str]]:
    """(content, hash) per item: compact key-sorted JSON of what it shows, and its hash."""
    dumped: list[dict[str, Any]] = _ITEMS.dump_python(items, mode="json")
    out = []
    for data in dumped:
        raw = content_json(data)
        out.append((raw.decode(), _digest(raw)))
    return out
