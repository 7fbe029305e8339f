"""Card search: an SQLite FTS5 index over what items show, kept in step by triggers, and
the reset log. Both come with migration ``0006_card_search``.

**The index.** ``card_search`` is a contentless FTS5 table (it stores the index only, not
a second copy of the text) with one row per item, ``rowid`` = ``items.id``, and a column
per field a card shows: the item id (``key``), ``question``, ``answer``, cloze ``text``,
``choices`` (each option's text and its ``why``), ``stem``, ``lead_in``,
``explanation``, ``objective`` and ``source``. Triggers on ``item_content`` index an item
when sync inserts it, index it again when sync edits it (the old terms are deleted with
the very values they were indexed with, as a contentless table requires: both come from
`_COLUMNS`), and take it out if its content row is ever deleted; sync itself is unchanged.
Retired items stay indexed (the browser shows retired cards on request). One- and
two-letter prefixes have their own index (``prefix='1 2'``), so the first letters typed are
as quick to match as whole words. ``cards_by_rank`` lets the browser read cards in deck
order and stop at the end of a page.

**Queries.** `match_expression` turns what a user types into an FTS5 expression: every
word must match (a prefix match for the word being typed), ``"a phrase"`` matches words in
a row and ``column:word`` looks in one column; FTS5 syntax never reaches the index
unquoted, so no input is an error.

**Resets.** ``card_resets`` is the append-only log of "reset to new": one row per reset
with the card's state before it and ``after_review``, the id of the card's latest review
when it was reset (0 if none). A replay of the review log (FSRS memory, say) starts the
card afresh after its latest reset: the card's reviews with ``id <= after_review`` come
before the reset and are skipped; the first one after is the answer to a new card. The
reviews before a reset stay in the log and can no longer be undone (a trigger refuses),
so ``after_review`` keeps its place in the log's order.
"""

from __future__ import annotations

import re

__all__ = ["SEARCH_COLUMNS", "SEARCH_MIGRATION", "match_expression"]

_COLUMNS: dict[str, str] = {
    "key": "(SELECT key FROM items WHERE id = {row}.item_id)",
    "question": "json_extract({row}.content, '$.question')",
    "answer": (
        "CASE json_type({row}.content, '$.answer') WHEN 'array' THEN "
        "(SELECT group_concat(value, ' ') FROM json_each({row}.content, '$.answer')) "
        "ELSE json_extract({row}.content, '$.answer') END"
    ),
    "text": "json_extract({row}.content, '$.text')",
    "choices": (
        "(SELECT group_concat(CASE type WHEN 'object' THEN "
        "coalesce(json_extract(value, '$.text'), '') || ' ' || "
        "coalesce(json_extract(value, '$.why'), '') ELSE value END, ' ') "
        "FROM json_each({row}.content, '$.choices'))"
    ),
    "stem": "json_extract({row}.content, '$.stem')",
    "lead_in": "json_extract({row}.content, '$.lead_in')",
    "explanation": "json_extract({row}.content, '$.explanation')",
    "objective": "json_extract({row}.content, '$.objective')",
    "source": "json_extract({row}.content, '$.source')",
}
"""Each indexed column and the SQL that reads it from an ``item_content`` row (``{row}``)."""

SEARCH_COLUMNS = tuple(_COLUMNS)
"""The columns a search can name (``question:hazard``)."""

_NAMES = ", ".join(_COLUMNS)


def _values(row: str) -> str:
    return ", ".join(sql.format(row=row) for sql in _COLUMNS.values())


SEARCH_MIGRATION: tuple[str, ...] = (
    f"""CREATE VIRTUAL TABLE card_search USING fts5({_NAMES}, content='',
        prefix='1 2', tokenize='unicode61 remove_diacritics 2')""",
    f"INSERT INTO card_search (rowid, {_NAMES}) SELECT item_id, {_values('t')} FROM item_content t",
    f"""CREATE TRIGGER card_search_insert AFTER INSERT ON item_content BEGIN
        INSERT INTO card_search (rowid, {_NAMES}) VALUES (NEW.item_id, {_values("NEW")});
    END""",
    f"""CREATE TRIGGER card_search_update AFTER UPDATE OF content ON item_content BEGIN
        INSERT INTO card_search (card_search, rowid, {_NAMES})
            VALUES ('delete', OLD.item_id, {_values("OLD")});
        INSERT INTO card_search (rowid, {_NAMES}) VALUES (NEW.item_id, {_values("NEW")});
    END""",
    f"""CREATE TRIGGER card_search_delete AFTER DELETE ON item_content BEGIN
        INSERT INTO card_search (card_search, rowid, {_NAMES})
            VALUES ('delete', OLD.item_id, {_values("OLD")});
    END""",
    "CREATE INDEX cards_by_rank ON cards (new_rank)",
    """CREATE TABLE card_resets (
        id INTEGER PRIMARY KEY,
        card_id INTEGER NOT NULL REFERENCES cards(id),
        reset_at TEXT NOT NULL,
        day TEXT NOT NULL,
        after_review INTEGER NOT NULL CHECK (after_review >= 0),
        repetitions_before INTEGER NOT NULL,
        ef100_before INTEGER NOT NULL,
        interval_before INTEGER NOT NULL,
        due_before TEXT,
        changed_before INTEGER NOT NULL
    ) STRICT""",
    "CREATE INDEX card_resets_by_card ON card_resets (card_id, id)",
    """CREATE TRIGGER card_resets_append_only BEFORE UPDATE ON card_resets
    BEGIN
        SELECT RAISE(ABORT, 'card resets are append-only');
    END""",
    """CREATE TRIGGER card_resets_kept BEFORE DELETE ON card_resets
    BEGIN
        SELECT RAISE(ABORT, 'card resets are append-only');
    END""",
    """CREATE TRIGGER reviews_before_reset_kept BEFORE DELETE ON reviews
    WHEN EXISTS (SELECT 1 FROM card_resets k
                 WHERE k.card_id = OLD.card_id AND k.after_review >= OLD.id)
    BEGIN
        SELECT RAISE(ABORT, 'a review before a reset to new cannot be undone');
    END""",
)
"""Migration ``0006_card_search``: the index, filled from the items already stored, its
triggers, and the reset log."""

_TERM = re.compile(r'(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
_WORD = re.compile(r"[^\W_]")


def match_expression(text: str) -> str | None:
    """The FTS5 expression for what a user typed, or None when it holds no word.

    Every term must match: a word (a prefix match when it is the last and not followed by
    a space: it is being typed), a ``"quoted phrase"``, either as ``column:term`` for one
    of `SEARCH_COLUMNS`. Terms are quoted for FTS5, so punctuation (``0.58``, ``PD-L1``,
    a stray quote) is matched as words in a row, never parsed as query syntax.
    """
    terms = []
    matches = list(_TERM.finditer(text))
    for n, match in enumerate(matches):
        column, phrase, word = match.group(1), match.group(2), match.group(3)
        body = phrase if phrase is not None else word
        closed = phrase is not None and len(match.group(0)) > 1 and match.group(0)[-1] == '"'
        if column is not None and column not in _COLUMNS:
            column, body = None, match.group(0).replace('"', " ")  # "ratio:1" is text
        if not body or not _WORD.search(body):
            continue
        quoted = '"' + body.replace('"', '""') + '"'
        if n == len(matches) - 1 and not closed and not text[-1:].isspace():
            quoted += "*"  # the word being typed
        terms.append(f"{column} : {quoted}" if column else quoted)
    return " AND ".join(terms) if terms else None
