"""The database schema, kept by sqlite-utils `Migrations` and applied when a store opens.

Migrations are append-only: never edit or reorder one that has shipped; add a new one.
Each runs in one transaction with its record (sqlite-utils' ``db.atomic()``), so statements
go through ``db.execute`` one at a time: ``executescript`` would commit halfway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database, Migrations

__all__ = ["APPLICATION_ID", "MIGRATION_NAMES", "MIGRATION_SET", "SYNC_VERSION", "build_migrations"]

APPLICATION_ID = int.from_bytes(b"HCQZ", "big")
"""``PRAGMA application_id`` of every hccquiz database (bytes 68-71 of the file header)."""
MIGRATION_SET = "hccquiz"
"""The sqlite-utils migration set name, in ``_sqlite_migrations``."""
MIGRATION_NAMES = (
    "0001_initial",
    "0002_hot_path_indexes",
    "0003_stats_labels",
    "0004_reviews_by_day_covering",
    "0005_fsrs",
    "0006_card_search",
    "0007_picked_options",
)
"""Every migration `build_migrations` registers, in order (checked by a test)."""
SYNC_VERSION = 2
"""Bumped when sync would store a deck differently, so unchanged files are synced again
(2: items keep their `fact`)."""

_INITIAL = """
CREATE TABLE decks (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    data TEXT NOT NULL,
    position INTEGER NOT NULL,
    path TEXT,
    file_hash TEXT,
    sync_version INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    synced_at TEXT NOT NULL
) STRICT;

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    deck_id TEXT NOT NULL REFERENCES decks(id),
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('basic', 'cloze', 'choice')),
    content_hash TEXT NOT NULL,
    levels TEXT NOT NULL,
    tags TEXT NOT NULL,
    retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    added_at TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    UNIQUE (deck_id, key)
) STRICT;

CREATE INDEX items_by_deck_levels ON items (deck_id, levels, retired);

CREATE TABLE item_content (
    item_id INTEGER PRIMARY KEY REFERENCES items(id),
    content TEXT NOT NULL
) STRICT;

CREATE TABLE item_levels (
    item_id INTEGER NOT NULL REFERENCES items(id),
    level TEXT NOT NULL,
    PRIMARY KEY (item_id, level)
) STRICT, WITHOUT ROWID;

CREATE TABLE item_tags (
    item_id INTEGER NOT NULL REFERENCES items(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (item_id, tag)
) STRICT, WITHOUT ROWID;

CREATE TABLE cards (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    number INTEGER NOT NULL CHECK (number >= 1),
    retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
    changed INTEGER NOT NULL DEFAULT 0 CHECK (changed IN (0, 1)),
    repetitions INTEGER NOT NULL DEFAULT 0 CHECK (repetitions >= 0),
    ef100 INTEGER NOT NULL DEFAULT 250 CHECK (ef100 >= 130),
    interval INTEGER NOT NULL DEFAULT 0 CHECK (interval >= 0),
    due TEXT,
    UNIQUE (item_id, number)
) STRICT;
CREATE INDEX cards_by_due ON cards (due) WHERE due IS NOT NULL;
CREATE INDEX cards_for_stats ON cards (item_id, retired, suspended, due, interval);

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL REFERENCES cards(id),
    reviewed_at TEXT NOT NULL,
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('study', 'drill', 'quiz')),
    quality INTEGER NOT NULL CHECK (quality BETWEEN 0 AND 5),
    answer_ms INTEGER CHECK (answer_ms IS NULL OR answer_ms >= 0),
    repetitions_before INTEGER NOT NULL,
    ef100_before INTEGER NOT NULL,
    interval_before INTEGER NOT NULL,
    due_before TEXT,
    changed_before INTEGER NOT NULL,
    repetitions_after INTEGER NOT NULL,
    ef100_after INTEGER NOT NULL,
    interval_after INTEGER NOT NULL,
    due_after TEXT,
    content_hash TEXT NOT NULL
) STRICT;
CREATE INDEX reviews_by_card ON reviews (card_id, id);
CREATE INDEX reviews_by_day ON reviews (day, kind, quality, due_before);

CREATE TABLE review_counts (
    kind TEXT PRIMARY KEY,
    n INTEGER NOT NULL
) STRICT;
INSERT INTO review_counts (kind, n) VALUES ('study', 0), ('drill', 0), ('quiz', 0);

CREATE TRIGGER reviews_count_insert AFTER INSERT ON reviews
BEGIN
    UPDATE review_counts SET n = n + 1 WHERE kind = NEW.kind;
END;

CREATE TRIGGER reviews_count_delete AFTER DELETE ON reviews
BEGIN
    UPDATE review_counts SET n = n - 1 WHERE kind = OLD.kind;
END;

CREATE TRIGGER reviews_append_only BEFORE UPDATE ON reviews
BEGIN
    SELECT RAISE(ABORT, 'reviews are append-only');
END;

CREATE TRIGGER reviews_undo_latest_only BEFORE DELETE ON reviews
WHEN EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = OLD.card_id AND r.id > OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'only the latest review of a card can be undone');
END;

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
"""


_HOT_PATH_INDEXES = (
    "ALTER TABLE items ADD COLUMN fact TEXT",
    "CREATE INDEX items_by_fact ON items (deck_id, fact) WHERE fact IS NOT NULL",
    "ALTER TABLE cards ADD COLUMN new_rank INTEGER NOT NULL DEFAULT 0",
    """UPDATE cards SET new_rank =
        ((SELECT d.position FROM items i JOIN decks d ON d.id = i.deck_id
          WHERE i.id = cards.item_id) << 40)
        + ((SELECT i.position FROM items i WHERE i.id = cards.item_id) << 17)
        + number""",
    "CREATE INDEX cards_new ON cards (new_rank) WHERE due IS NULL",
    "CREATE INDEX reviews_by_card_day ON reviews (card_id, day, kind)",
)
"""Queries whose plans are right by construction, whatever statistics the planner has:

- ``cards.new_rank`` is a card's place in deck order (deck, item, card number), so new
  cards are read in order from the partial index ``cards_new``, which holds only new cards;
- ``reviews_by_card_day`` answers "was this card studied on this day?" with one seek;
- ``items.fact`` names the fact an item tests, for burying.
"""

_STATS_LABELS = (
    """CREATE TABLE labels (
        id INTEGER PRIMARY KEY,
        deck_id TEXT NOT NULL REFERENCES decks(id),
        levels TEXT NOT NULL,
        UNIQUE (deck_id, levels)
    ) STRICT""",
    "ALTER TABLE cards ADD COLUMN label INTEGER REFERENCES labels(id)",
    "INSERT INTO labels (deck_id, levels) SELECT DISTINCT deck_id, levels FROM items",
    """UPDATE cards SET label = (SELECT l.id FROM items i JOIN labels l
        ON l.deck_id = i.deck_id AND l.levels = i.levels
        WHERE i.id = cards.item_id AND i.retired = 0)""",
    """CREATE INDEX cards_by_label ON cards (label, suspended, due, interval, retired)
        WHERE retired = 0 AND label IS NOT NULL""",
    """CREATE INDEX cards_due_active ON cards (due, retired, suspended, label)
        WHERE retired = 0 AND suspended = 0 AND label IS NOT NULL AND due IS NOT NULL""",
)
"""Statistics in one pass over the cards, with no join, at any size:

- ``labels`` holds each (deck, level set) pair that items have, and ``cards.label`` points
  a card at its item's pair, or is NULL while the item is retired (out of its deck): so
  ``c.retired = 0 AND c.label IS NOT NULL`` is exactly "an active card of an active item";
- ``cards_by_label`` serves the counts by deck and level set in index order, and
  ``cards_due_active`` the due forecast, both without reading the cards table itself.
"""


_REVIEWS_BY_DAY_COVERING = (
    "CREATE INDEX reviews_day ON reviews (day, kind, card_id, due_before, quality)",
    "DROP INDEX reviews_by_day",
)
"""One index answers every question about a day's reviews without reading the log's rows:
the day's counts per deck (card), the drill (card, latest id), studied-today counts (new
or not) and retention (quality). It replaces ``reviews_by_day``, which lacked the card."""

_FSRS = (
    "ALTER TABLE cards ADD COLUMN fsrs_phase INTEGER CHECK (fsrs_phase IN (1, 2, 3))",
    "ALTER TABLE cards ADD COLUMN fsrs_step INTEGER CHECK (fsrs_step >= 0)",
    "ALTER TABLE cards ADD COLUMN stability REAL CHECK (stability > 0)",
    "ALTER TABLE cards ADD COLUMN difficulty REAL CHECK (difficulty BETWEEN 1 AND 10)",
    "ALTER TABLE cards ADD COLUMN last_day TEXT",
    "ALTER TABLE cards ADD COLUMN due_at TEXT",
    "CREATE INDEX cards_by_due_at ON cards (due_at) WHERE due_at IS NOT NULL",
    "ALTER TABLE reviews ADD COLUMN scheduler TEXT NOT NULL DEFAULT 'sm2' "
    "CHECK (scheduler IN ('sm2', 'fsrs'))",
    "ALTER TABLE reviews ADD COLUMN memory_before TEXT",
    "ALTER TABLE reviews ADD COLUMN memory_after TEXT",
    "ALTER TABLE reviews ADD COLUMN due_at_before TEXT",
    "ALTER TABLE reviews ADD COLUMN due_at_after TEXT",
    """CREATE TABLE fsrs_recall (
        review_id INTEGER PRIMARY KEY REFERENCES reviews(id),
        predicted REAL NOT NULL CHECK (predicted BETWEEN 0 AND 1),
        recalled INTEGER NOT NULL CHECK (recalled IN (0, 1))
    ) STRICT""",
    """CREATE TABLE fsrs_calibration (
        bin INTEGER PRIMARY KEY CHECK (bin BETWEEN 0 AND 9),
        reviews INTEGER NOT NULL,
        predicted REAL NOT NULL,
        recalled INTEGER NOT NULL
    ) STRICT""",
    "INSERT INTO fsrs_calibration (bin, reviews, predicted, recalled) "
    "VALUES (0, 0, 0, 0), (1, 0, 0, 0), (2, 0, 0, 0), (3, 0, 0, 0), (4, 0, 0, 0), "
    "(5, 0, 0, 0), (6, 0, 0, 0), (7, 0, 0, 0), (8, 0, 0, 0), (9, 0, 0, 0)",
    """CREATE TRIGGER reviews_undo_recall BEFORE DELETE ON reviews
    BEGIN
        UPDATE fsrs_calibration SET reviews = reviews - 1,
            predicted = predicted - (SELECT predicted FROM fsrs_recall WHERE review_id = OLD.id),
            recalled = recalled - (SELECT recalled FROM fsrs_recall WHERE review_id = OLD.id)
        WHERE bin = (SELECT min(CAST(predicted * 10 AS INTEGER), 9) FROM fsrs_recall
                     WHERE review_id = OLD.id);
        DELETE FROM fsrs_recall WHERE review_id = OLD.id;
    END""",
)
"""FSRS beside SM-2 (issue 12):

- ``cards``: the FSRS memory (phase, step, stability, difficulty, the study day of the last
  review; NULL while SM-2 is in force or the card is new) and ``due_at``, the instant a card
  in a learning or relearning step comes back (NULL otherwise);
- ``reviews.scheduler``: which scheduler set the due date after the answer (every earlier
  row was SM-2's); ``memory_*`` (JSON) and ``due_at_*``: the FSRS state before and after,
  so undo restores it exactly;
- ``fsrs_recall``: for each first-of-day review of a seen card, the recall FSRS predicted
  and whether it came: derived data behind the calibration table, rebuilt by the replay
  when FSRS is switched on or refitted, emptied when SM-2 takes over; ``fsrs_calibration``
  keeps its sums per tenth of predicted recall (reviews, predictions, recalls), so the
  stats read ten rows (undoing a review takes its row out of both).
"""


_PICKED_OPTIONS = ("ALTER TABLE reviews ADD COLUMN picked TEXT",)
"""``reviews.picked``: the options a choice answer picked, as a JSON array of their texts
(as shown), NULL when none were recorded (other item types; reviews logged before this)."""


def _card_search() -> tuple[str, ...]:
    """The statements of ``0006_card_search`` (see `hccquiz.store._search`)."""
    from ._search import SEARCH_MIGRATION

    return SEARCH_MIGRATION


def build_migrations() -> Migrations:
    """A fresh `Migrations` holding every hccquiz migration, in order."""
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)

    @migrations(name="0001_initial")
    def initial(db: Database) -> None:
        db.executescript(_INITIAL)

    @migrations(name="0002_hot_path_indexes")
    def hot_path_indexes(db: Database) -> None:
        for statement in _HOT_PATH_INDEXES:  # one by one: executescript would commit midway
            db.execute(statement)

    @migrations(name="0003_stats_labels")
    def stats_labels(db: Database) -> None:
        for statement in _STATS_LABELS:
            db.execute(statement)

    @migrations(name="0004_reviews_by_day_covering")
    def reviews_by_day_covering(db: Database) -> None:
        for statement in _REVIEWS_BY_DAY_COVERING:
            db.execute(statement)

    @migrations(name="0005_fsrs")
    def fsrs(db: Database) -> None:
        for statement in _FSRS:
            db.execute(statement)

    @migrations(name="0006_card_search")
    def card_search(db: Database) -> None:
        for statement in _card_search():
            db.execute(statement)

    @migrations(name="0007_picked_options")
    def picked_options(db: Database) -> None:
        for statement in _PICKED_OPTIONS:
            db.execute(statement)

    return migrations
