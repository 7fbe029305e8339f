"""Anki packages: genanki's collection built in memory, zipped reproducibly, written atomically.

Anki updates a note on re-import only when the incoming modification time is newer than
its own, so every export is stamped later than the previous one written to the same path
(`hccquiz.anki.plan.choose_timestamp`), unless ``SOURCE_DATE_EPOCH`` asks for a
reproducible build. The same decks and the same stamp always give the same bytes.

genanki's own ``write_to_file`` builds the collection in a temporary file that it never
deletes (kerrickstaley/genanki#104). Its public seam ``Package.write_to_db`` is used
instead, on an in-memory SQLite database that `hccquiz.store.database_bytes` hands back as
bytes: no file, no patching, and no SQL outside the store.
`export_apkg` is the edge that reads the clock, the environment and the previous file.
"""

from __future__ import annotations

import io
import itertools
import os
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path

import genanki

from ..deck.levels import Level
from ..deck.models import Deck
from ..errors import HccquizError
from ..fileio import read_regular, write_atomic
from ..store import database_bytes
from .notes import build_package
from .plan import AnkiExportError, ExportResult, choose_timestamp, read_stamp, stamp_comment

__all__ = ["export_apkg", "package_bytes"]

_ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold
_MAX_PREVIOUS = 1 << 30  # a replaced package larger than this is taken as changed


def _collection(package: genanki.Package, timestamp: int) -> bytes:
    """The collection database genanki writes for `package`, built in memory."""
    return database_bytes(
        lambda cursor: package.write_to_db(cursor, timestamp, itertools.count(timestamp * 1000))
    )


def package_bytes(package: genanki.Package, timestamp: int) -> bytes:
    """The ``.apkg`` bytes: a function of the package and the stamp alone.

    genanki's zip carries the current time and the host's file attributes, so the
    collection is zipped again with fixed entry times (in UTC) and attributes. The stamp
    also goes in the zip comment, for `read_stamp`.
    """
    if timestamp < 1:  # genanki numbers notes from timestamp * 1000; Anki reads id 0 as "none"
        raise AnkiExportError(f"stamp {timestamp} is too early: Anki needs a time after 1970")
    collection = _collection(package, timestamp)
    date_time = time.gmtime(max(timestamp, _ZIP_EPOCH))[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in (("collection.anki2", collection), ("media", b"{}")):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=1)
        archive.comment = stamp_comment(timestamp)
    return buffer.getvalue()


def export_apkg(
    decks: Deck | Iterable[Deck],
    path: str | os.PathLike[str],
    levels: Iterable[Level | str] | None = None,
    tags: Iterable[str] | None = None,
    *,
    timestamp: int | None = None,
) -> ExportResult:
    """Write `decks` to one Anki package at `path` (which must end in ``.apkg``).

    `levels` and `tags` keep only the items with any of those levels and any of those
    tags. Without `timestamp`, the stamp is ``SOURCE_DATE_EPOCH`` when set, else the
    current time made later than the stamp of the file being replaced. The file is
    replaced atomically; its folder is created if needed. Raises `EmptyExportError`
    when the filters match nothing and `AnkiExportError` on other misuse.
    """
    path = Path(path)
    if path.suffix.lower() != ".apkg":
        raise AnkiExportError(f"{path}: Anki packages must end in .apkg")
    built = build_package(decks, levels, tags)
    previous = read_stamp(path)
    if timestamp is None:
        timestamp = choose_timestamp(time.time(), previous, os.environ.get("SOURCE_DATE_EPOCH"))
    data = package_bytes(built.package, timestamp)
    stale = False
    if previous is not None and timestamp <= previous:  # did the notes change all the same?
        try:
            replaced = read_regular(path, _MAX_PREVIOUS, follow=False)
            stale = replaced != package_bytes(built.package, previous)
        except HccquizError:
            stale = True
    write_atomic(path, data)
    return ExportResult(
        path,
        built.decks,
        built.skipped,
        built.notes,
        built.cards,
        built.levels,
        timestamp,
        previous,
        stale,
    )
