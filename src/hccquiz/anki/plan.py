"""What an Anki export holds and how it is named and stamped, without genanki.

The genanki-free part of the export (`hccquiz.anki.notes` and `hccquiz.anki.package` are
the genanki part):

- the level and tag filters: `parse_levels`, `select_items`, `unmatched_filters`;
- the Anki tags of a note: `anki_tag`, `note_tags`;
- the default file name of a package: `export_file_name`;
- the modification time to stamp (`choose_timestamp`) and the stamp an earlier export
  left in its zip comment (`read_stamp`, `stamp_comment`);
- what an export returns (`ExportResult`) and raises (`AnkiExportError`,
  `EmptyExportError`).

All of it is pure except `read_stamp`, which reads the file it is given.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..deck.levels import Level, in_level_order
from ..errors import HccquizError
from ..fileio import open_regular

if TYPE_CHECKING:
    from ..deck.models import AnyItem, Deck

__all__ = [
    "AnkiExportError",
    "EmptyExportError",
    "ExportResult",
    "anki_tag",
    "choose_timestamp",
    "export_file_name",
    "note_tags",
    "parse_levels",
    "read_stamp",
    "select_items",
    "stamp_comment",
    "unmatched_filters",
]

_STAMP_RE = re.compile(rb"^hccquiz anki export; mod=(\d+)$")


class AnkiExportError(HccquizError):
    """An export that cannot be done as asked (bad filter, bad path, bad stamp)."""


class EmptyExportError(AnkiExportError):
    """The level and tag filters left nothing to export."""


@dataclass(frozen=True)
class ExportResult:
    """What `hccquiz.anki.package.export_apkg` wrote."""

    path: Path
    decks: tuple[str, ...]
    skipped: tuple[str, ...]
    notes: int
    cards: int
    levels: Mapping[Level, int]
    timestamp: int
    """The modification time stamped on every note, card and note type."""
    previous_timestamp: int | None
    """The stamp of the hccquiz export this one replaced at `path`, if any."""
    stale: bool
    """True when the content changed but the stamp is not newer than the replaced file's:
    Anki would then keep the notes a trainee already imported (see ``SOURCE_DATE_EPOCH``)."""

    def describe(self) -> str:
        """One line for the CLI: path, notes, cards, decks, notes per level, skipped decks."""
        per_level = ", ".join(f"{level.value} {n}" for level, n in self.levels.items())
        skipped = f"; no match in {', '.join(self.skipped)}" if self.skipped else ""
        return (
            f"{self.path}: {self.notes} notes, {self.cards} cards from "
            f"{', '.join(self.decks)}; levels: {per_level}{skipped}"
        )


# ------------------------------------------------------------------------------- tags


def anki_tag(tag: str) -> str | None:
    """A deck tag as Anki stores it: whitespace runs become ``_`` and empty ``::``
    components are dropped (Anki would fill them with ``blank``). None if nothing is left."""
    parts = [part for part in "_".join(tag.split()).split("::") if part]
    return "::".join(parts) or None


def _tag_key(tag: str) -> str:
    return (anki_tag(tag) or "").casefold()  # Anki compares tags case-insensitively


def note_tags(deck: Deck, item: AnyItem) -> list[str]:
    """``hccquiz::deck::<id>``, ``hccquiz::level::<level>`` per level, then the item's tags."""
    return list(_note_tags(deck.id, tuple(deck.item_levels(item)), tuple(deck.item_tags(item))))


@lru_cache(maxsize=4096)  # items mostly share a few combinations of levels and tags
def _note_tags(
    deck_id: str, levels: tuple[Level, ...], raw_tags: tuple[str, ...]
) -> tuple[str, ...]:
    tags = [f"hccquiz::deck::{deck_id}"]
    tags += [f"hccquiz::level::{level.value}" for level in in_level_order(levels)]
    seen = {tag.casefold() for tag in tags}
    for raw in raw_tags:
        tag = anki_tag(raw)
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tuple(tags)


# ---------------------------------------------------------------------------- filters


def parse_levels(levels: Iterable[Level | str] | None) -> list[Level] | None:
    """Level filter values as `Level`s (case-insensitive); None or empty means no filter."""
    if levels is None:
        return None
    parsed: list[Level] = []
    for value in levels:
        try:
            parsed.append(Level(str(value).strip().lower()))
        except ValueError:
            names = ", ".join(level.value for level in Level)
            raise AnkiExportError(f"unknown level {value!r}; levels are {names}") from None
    return in_level_order(parsed) or None


def select_items(
    deck: Deck, levels: Iterable[Level | str] | None = None, tags: Iterable[str] | None = None
) -> list[AnyItem]:
    """Items with any of `levels` and any of `tags` (tags matched as Anki would)."""
    level_set = set(parse_levels(levels) or ())
    tag_keys = {_tag_key(tag) for tag in tags or ()}
    return [
        item
        for item in deck.items
        if (not level_set or level_set.intersection(deck.item_levels(item)))
        and (not tag_keys or tag_keys.intersection(map(_tag_key, deck.item_tags(item))))
    ]


def unmatched_filters(
    decks: Iterable[Deck],
    levels: Iterable[Level | str] | None = None,
    tags: Iterable[str] | None = None,
) -> list[str]:
    """Filter values that match no item of `decks`, as ``--level X``/``--tag Y`` strings."""
    decks = list(decks)
    present_levels = {lv for d in decks for item in d.items for lv in d.item_levels(item)}
    present_tags = {_tag_key(t) for d in decks for item in d.items for t in d.item_tags(item)}
    wanted = parse_levels(levels) or ()
    misses = [f"--level {lv.value}" for lv in wanted if lv not in present_levels]
    return misses + [f"--tag {t}" for t in tags or () if _tag_key(t) not in present_tags]


def export_file_name(
    deck_id: str, levels: Iterable[Level | str] | None = None, tags: Iterable[str] | None = None
) -> str:
    """``<deck-id>.apkg``, ``<deck-id>-<level>_<level>.apkg`` when filtered by level, and
    ``-tag-<tag>_<tag>`` added when filtered by tag (names made file-safe)."""
    name = deck_id
    chosen = parse_levels(levels)
    if chosen:
        name += "-" + "_".join(level.value for level in chosen)
    slugs = [re.sub(r"[^a-z0-9]+", "-", tag.casefold()).strip("-") or "x" for tag in tags or ()]
    if slugs:
        name += "-tag-" + "_".join(dict.fromkeys(slugs))
    return f"{name}.apkg"


# ----------------------------------------------------------------------------- stamps


def choose_timestamp(
    now: float, previous: int | None = None, source_date_epoch: str | None = None
) -> int:
    """The modification time to stamp, in whole seconds (Anki's resolution).

    ``SOURCE_DATE_EPOCH``, when set and not empty, wins as is: a reproducible build.
    Otherwise `now`, moved to ``previous + 1`` if the previous export to the same path
    is not older, so that two exports in one second still make the second one newer.
    """
    if source_date_epoch is not None and source_date_epoch.strip():
        value = source_date_epoch.strip()
        if not value.isdigit() or int(value) < 1:
            raise AnkiExportError(
                f"SOURCE_DATE_EPOCH={source_date_epoch!r} is not a positive whole number of "
                "seconds since 1970 (try: export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct))"
            )
        return int(value)
    stamp = int(now)
    if previous is not None and stamp <= previous:
        stamp = previous + 1
    return stamp


def stamp_comment(timestamp: int) -> bytes:
    """The zip comment of a package stamped `timestamp`, which `read_stamp` reads back."""
    return f"hccquiz anki export; mod={timestamp}".encode()


def read_stamp(path: str | os.PathLike[str]) -> int | None:
    """The stamp of an earlier hccquiz export at `path`, or None if there is none."""
    try:  # only a regular file (a FIFO would block, a device never end), never a symlink
        with open_regular(path, follow=False) as file, zipfile.ZipFile(file) as archive:
            match = _STAMP_RE.match(archive.comment)
    except (OSError, HccquizError, zipfile.BadZipFile):
        return None
    return int(match.group(1)) if match else None
