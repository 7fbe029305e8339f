"""Anki export: decks -> ``.apkg`` packages that import cleanly and update in place.

`plan` (filters, tags, file names, stamps; no genanki), `notes` (note types and fields:
the genanki notes), `package` (the ``.apkg`` bytes and `export_apkg`), `batch` (the
``hccquiz export`` command as a function). genanki is imported only in this package.
Names load lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_getattr

__all__ = [
    "BASIC_MODEL_ID",
    "CHOICE_MODEL_ID",
    "CLOZE_MODEL_ID",
    "CSS",
    "AnkiExportError",
    "BuiltPackage",
    "EmptyExportError",
    "ExportResult",
    "anki_deck_id",
    "anki_tag",
    "build_package",
    "choose_timestamp",
    "export_apkg",
    "export_decks",
    "export_file_name",
    "note_guid",
    "note_tags",
    "package_bytes",
    "parse_levels",
    "read_stamp",
    "select_items",
    "stamp_comment",
    "unmatched_filters",
]

_LAZY = {
    **dict.fromkeys(
        [
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
        ],
        ".plan",
    ),
    **dict.fromkeys(
        [
            "BASIC_MODEL_ID",
            "CHOICE_MODEL_ID",
            "CLOZE_MODEL_ID",
            "CSS",
            "BuiltPackage",
            "anki_deck_id",
            "build_package",
            "note_guid",
        ],
        ".notes",
    ),
    **dict.fromkeys(["export_apkg", "package_bytes"], ".package"),
    "export_decks": ".batch",
}

if TYPE_CHECKING:
    from .batch import export_decks
    from .notes import (
        BASIC_MODEL_ID,
        CHOICE_MODEL_ID,
        CLOZE_MODEL_ID,
        CSS,
        BuiltPackage,
        anki_deck_id,
        build_package,
        note_guid,
    )
    from .package import export_apkg, package_bytes
    from .plan import (
        AnkiExportError,
        EmptyExportError,
        ExportResult,
        anki_tag,
        choose_timestamp,
        export_file_name,
        note_tags,
        parse_levels,
        read_stamp,
        select_items,
        stamp_comment,
        unmatched_filters,
    )

__getattr__ = lazy_getattr(__name__, _LAZY)
