"""What an item shows, as canonical JSON, and its hash: how sync tells an edit from a move.

Everything but an item's id, levels, tags and `lint_ignore` is content: editing the question
or an answer changes the hash (and flags studied cards "changed"); re-tagging, re-levelling
or silencing a lint rule does not.
"""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import to_json

from .models import AnyItem, Item

__all__ = ["META_KEYS", "content_hash", "content_json", "item_contents"]

META_KEYS = ("id", "levels", "tags", "lint_ignore")
"""Item fields that are labels, not content."""

_ITEMS: TypeAdapter[list[AnyItem]] = TypeAdapter(list[Item])


def content_json(item_data: dict[str, Any]) -> bytes:
    """What an item (as JSON data) shows: its fields but id, levels and tags, key-sorted,
    as compact JSON."""
    return to_json({k: v for k, v in sorted(item_data.items()) if k not in META_KEYS})


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def content_hash(item_data: dict[str, Any]) -> str:
    """The stored content hash of an item given as JSON data: the first 16 hex digits of
    the SHA-256 of `content_json`."""
    return _digest(content_json(item_data))


def item_contents(items: list[AnyItem]) -> list[tuple[str, str]]:
    """(content, hash) per item: compact key-sorted JSON of what it shows, and its hash."""
    dumped: list[dict[str, Any]] = _ITEMS.dump_python(
        items, mode="json", exclude={"__all__": set(META_KEYS)}
    )
    out = []
    for data in dumped:
        raw = content_json(data)
        out.append((raw.decode(), _digest(raw)))
    return out
