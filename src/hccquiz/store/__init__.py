"""The progress database (SQLite through sqlite-utils). The only place that runs SQL.

Tables: ``decks``; ``items`` (current content, a content hash, retired flag) with
``item_levels`` and ``item_tags``; ``cards`` (one per basic or choice item, one per cloze
deletion number; SM-2 state, due study day, suspended/retired/changed flags); ``reviews``,
the append-only log (card, UTC time, study day, quality, kind, state before and after,
answer time in ms), where triggers refuse updates and allow deleting only a card's latest
row (undo); ``card_resets``, the append-only log of resets to new; ``card_search``, the
FTS5 index of what items show (`hccquiz.store._search`); ``settings``. The schema is kept
by sqlite-utils `Migrations`, applied on open.

The store is handed validated decks (`Store.write_decks`); it never reads deck files,
which `hccquiz.study.sync` does. The file is in WAL mode with foreign keys on, a busy
timeout, and every write in its own ``BEGIN IMMEDIATE`` transaction, so two processes
(the study app and ``hccquiz sync``) can share it. Its header carries ``application_id``
``HCQZ``: any other file is refused untouched.

Damage: a file changed outside hccquiz since it last closed it is checked (``PRAGMA
quick_check``) before anything is written, and SQLite reporting damage on any statement
stops every later write; `check_database`, `recover_database`, daily backups
(`daily_backup`, in ``<name>-backups/``) and `restore_database` are the way back.

Two readers serve the progress export (`hccquiz.progress`): `Store.export_reviews` streams
the review log as rows of the export format (``_export.py``), and `read_anki_collection`
reads an Anki collection's review log from a private copy, never touching the original
(``_anki_collection.py``).

Names load lazily, so the Anki export, which needs only `database_bytes` (an in-memory
database as bytes, ``_memory.py``), does not import the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_getattr

__all__ = [
    "APPLICATION_ID",
    "BROWSE_STATES",
    "DB_ENV",
    "EXPORT_EXPRESSIONS",
    "KEEP_BACKUPS",
    "SORT_KEYS",
    "SYNC_VERSION",
    "AnkiCollection",
    "AnkiReview",
    "BrowseQuery",
    "BrowseRow",
    "BrowseState",
    "CardEvent",
    "CardFilter",
    "CardRecord",
    "CorruptDatabase",
    "DeckFile",
    "DeckSync",
    "FsrsFigures",
    "NotAnkiCollection",
    "NotHccquizDatabase",
    "Recovery",
    "ReviewRecord",
    "Schedule",
    "SortKey",
    "StaleCard",
    "StatsFigures",
    "Store",
    "StoreBusy",
    "StoreError",
    "Switch",
    "backup_folder",
    "backup_label",
    "backup_now",
    "backups_of",
    "build_migrations",
    "check_database",
    "daily_backup",
    "database_bytes",
    "default_db_path",
    "inspect_file",
    "is_daily_backup",
    "read_anki_collection",
    "recover_database",
    "resolve_db_path",
    "restore_database",
    "stamp_path",
    "utc_text",
]

_LAZY = {
    "APPLICATION_ID": "._schema",
    "AnkiCollection": "._anki_collection",
    "AnkiReview": "._anki_collection",
    "BROWSE_STATES": "._browse",
    "BrowseQuery": "._browse",
    "BrowseRow": "._browse",
    "BrowseState": "._browse",
    "CardEvent": "._browse",
    "CardFilter": "._records",
    "CardRecord": "._records",
    "CorruptDatabase": "._errors",
    "DB_ENV": "._files",
    "DeckFile": "._records",
    "DeckSync": "._records",
    "EXPORT_EXPRESSIONS": "._export",
    "FsrsFigures": "._records",
    "KEEP_BACKUPS": "._backups",
    "NotAnkiCollection": "._anki_collection",
    "NotHccquizDatabase": "._errors",
    "Recovery": "._repair",
    "ReviewRecord": "._records",
    "SORT_KEYS": "._browse",
    "SYNC_VERSION": "._schema",
    "Schedule": "._records",
    "SortKey": "._browse",
    "StaleCard": "._errors",
    "StatsFigures": "._records",
    "Store": "._store",
    "StoreBusy": "._errors",
    "StoreError": "._errors",
    "Switch": "._fsrs",
    "backup_folder": "._backups",
    "backup_label": "._backups",
    "backup_now": "._backups",
    "backups_of": "._backups",
    "build_migrations": "._schema",
    "check_database": "._backups",
    "daily_backup": "._backups",
    "is_daily_backup": "._backups",
    "database_bytes": "._memory",
    "default_db_path": "._files",
    "inspect_file": "._files",
    "read_anki_collection": "._anki_collection",
    "recover_database": "._repair",
    "resolve_db_path": "._files",
    "restore_database": "._backups",
    "stamp_path": "._files",
    "utc_text": "._connection",
}

if TYPE_CHECKING:
    from ._anki_collection import (
        AnkiCollection,
        AnkiReview,
        NotAnkiCollection,
        read_anki_collection,
    )
    from ._backups import (
        KEEP_BACKUPS,
        backup_folder,
        backup_label,
        backup_now,
        backups_of,
        check_database,
        daily_backup,
        is_daily_backup,
        restore_database,
    )
    from ._browse import (
        BROWSE_STATES,
        SORT_KEYS,
        BrowseQuery,
        BrowseRow,
        BrowseState,
        CardEvent,
        SortKey,
    )
    from ._connection import utc_text
    from ._errors import CorruptDatabase, NotHccquizDatabase, StaleCard, StoreBusy, StoreError
    from ._export import EXPORT_EXPRESSIONS
    from ._files import DB_ENV, default_db_path, inspect_file, resolve_db_path, stamp_path
    from ._fsrs import Switch
    from ._memory import database_bytes
    from ._records import (
        CardFilter,
        CardRecord,
        DeckFile,
        DeckSync,
        FsrsFigures,
        ReviewRecord,
        Schedule,
        StatsFigures,
    )
    from ._repair import Recovery, recover_database
    from ._schema import APPLICATION_ID, SYNC_VERSION, build_migrations
    from ._store import Store


__getattr__ = lazy_getattr(__name__, _LAZY)
