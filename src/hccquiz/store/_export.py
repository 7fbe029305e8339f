"""The review log as progress-export rows: one SELECT, every column computed in SQLite.

`hccquiz.progress` owns the format (column names, order, types, version); this module
knows how each column is read from the database, by name (`EXPORT_EXPRESSIONS`). Rows come
out ready to write: times truncated to the minute, JSON arrays as compact text, in log
order, so a million reviews stream straight to a file without a Python step per value.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..grading import PASS
from ._connection import Connection

__all__ = [
    "EXPORT_EXPRESSIONS",
    "ReviewExport",
    "correct_sql",
    "csv_constants",
    "export_csv_sql",
    "export_sql",
]

_SAME_VERSION = "r.content_hash = i.content_hash"
_TRIM = "char(32, 9, 10, 13)"


def correct_sql(key: str) -> str:
    """The ``correct`` column: a choice answer whose picks are recorded and whose key
    (`key`, a JSON array, NULL when not known) is known is right when the picks are
    exactly the key, as sets, outer spaces aside (`hccquiz.grading.choice_correct`);
    any other answer is right when its grade is ``:pass`` or more. The grade of a choice
    answer is the reader's self-grade in study, so it does not decide."""
    picks = f"SELECT trim(p.value, {_TRIM}) FROM json_each(r.picked) p"
    keys = f"SELECT trim(k.value, {_TRIM}) FROM json_each({key}) k"
    first_pick = f"trim(json_extract(r.picked, '$[0]'), {_TRIM})"
    first_key = f"trim(json_extract({key}, '$[0]'), {_TRIM})"
    return (
        f"CASE WHEN r.picked IS NULL OR ({key}) IS NULL "
        "THEN CASE WHEN r.quality >= :pass THEN 'true' ELSE 'false' END "
        f"WHEN json(r.picked) = ({key}) THEN 'true' "  # the same text: no set to compare
        f"WHEN json_array_length(r.picked) = 1 AND json_array_length({key}) = 1 "
        f"THEN CASE WHEN {first_pick} = {first_key} THEN 'true' ELSE 'false' END "
        f"WHEN NOT EXISTS ({picks} EXCEPT {keys}) AND NOT EXISTS ({keys} EXCEPT {picks}) "
        "THEN 'true' ELSE 'false' END"
    )


EXPORT_EXPRESSIONS: Mapping[str, str] = {
    "seq": ":first_seq + r.id - :first_id",  # numbered in Python when ids have gaps
    "log_rows": ":log_rows",
    "deck_id": "i.deck_id",
    "item_id": "i.key",
    "card": "c.number",
    "item_type": "i.type",
    "content_hash": "r.content_hash",
    "levels": "json(i.levels)",
    "scheduler": "r.scheduler",
    "kind": "r.kind",
    "card_state": (
        "CASE WHEN r.kind = 'drill' THEN 'learning' "
        "WHEN r.due_before IS NULL THEN 'new' ELSE 'review' END"
    ),
    "grade": "r.quality",
    "correct": correct_sql(f"CASE WHEN {_SAME_VERSION} THEN o.key END"),
    "answer_ms": "r.answer_ms",
    "reviewed_at": "substr(r.reviewed_at, 1, 16) || ':00Z'",
    "day": "r.day",
    "interval_days": "r.interval_after",
    "due": "r.due_after",
    "picked": "json(r.picked)",
    "options": f"CASE WHEN {_SAME_VERSION} THEN o.options END",
    "key": f"CASE WHEN {_SAME_VERSION} THEN o.key END",
}
"""How each progress column is read from the database (``r`` reviews, ``c`` cards, ``i``
items, ``o`` a choice item's options and key). A choice item's options (their texts; an
option may be stored as ``{text, why}``) and key are those of its current content, so
they are given only for reviews of that same version."""

_OPTIONS = """
SELECT t.item_id,
       (SELECT json_group_array(CASE WHEN e.type = 'object'
                                     THEN json_extract(e.value, '$.text') ELSE e.value END)
        FROM json_each(t.content, '$.choices') e) AS options,
       CASE json_type(t.content, '$.answer')
           WHEN 'array' THEN json_extract(t.content, '$.answer')
           ELSE json_array(json_extract(t.content, '$.answer'))
       END AS key
FROM item_content t JOIN items ci ON ci.id = t.item_id
WHERE ci.type = 'choice'
"""
"""A choice item's options (their texts) and key, as JSON arrays."""

_FROM = f"""
FROM reviews r
JOIN cards c ON c.id = r.card_id
JOIN items i ON i.id = c.item_id
LEFT JOIN ({_OPTIONS}) o ON o.item_id = i.id
ORDER BY r.id
"""


def _csv_field(expression: str) -> str:
    """`expression` as one CSV field, as Python's ``csv.writer`` (QUOTE_MINIMAL) writes
    it: empty for NULL, quoted (quotes doubled) when it holds a comma, a quote or a line
    break, else as is."""
    return (
        f"CASE WHEN ({expression}) IS NULL THEN '' "
        f"WHEN ({expression}) GLOB :csv_special "
        f"THEN '\"' || replace({expression}, '\"', '\"\"') || '\"' "
        f"ELSE ({expression}) END"
    )


_FREE_TEXT = frozenset({"levels", "picked", "options", "key"})
"""Columns whose text may hold a comma, a quote or a line break (JSON arrays of deck
text). Every other column is a slug, a hash, a name from a fixed set, an ISO date or
time, or a number, and constants are checked by their writer (pseudonyms)."""


_PER_ITEM = {
    "deck_id": "q.deck_id",
    "item_id": "q.item_key",
    "item_type": "q.type",
    "levels": "q.levels",
    "options": "CASE WHEN r.content_hash = q.content_hash THEN q.options ELSE '' END",
    "key": "CASE WHEN r.content_hash = q.content_hash THEN q.key ELSE '' END",
    "correct": correct_sql("CASE WHEN r.content_hash = q.content_hash THEN q.key_json END"),
}
"""The CSV path's columns that depend only on the item: formatted once per item in the
materialized ``q`` (levels, options and key as quoted CSV text), not once per review."""


def _joined(fields: Sequence[str]) -> str:
    """One ``format()`` call joining `fields` with commas: the line is built once, not
    copied at every ``||``, and a NULL's ``%s`` is empty, as an empty CSV field."""
    if not fields:
        return "''"
    return f"format('{','.join(['%s'] * len(fields))}', {', '.join(fields)})"


def export_csv_sql(columns: Sequence[str], constants: Mapping[str, object]) -> str:
    """The SELECT giving each review as CSV text: the fields before ``seq`` and the
    fields after it (``seq`` itself is numbered as the rows stream out). Constants are
    bound already formatted as CSV fields (`csv_constants`)."""
    fields = []
    for name in columns:
        if name in constants:
            fields.append(f":c_{name}")
        elif name in _PER_ITEM:
            fields.append(_PER_ITEM[name])
        elif name in _FREE_TEXT:
            fields.append(_csv_field(EXPORT_EXPRESSIONS[name]))
        else:
            fields.append(EXPORT_EXPRESSIONS[name])
    at = list(columns).index("seq")
    head, tail = _joined(fields[:at]), _joined(fields[at + 1 :])
    return f"""WITH q AS MATERIALIZED (
    SELECT i.id AS item_id, i.deck_id, i.key AS item_key, i.type, i.content_hash,
           {_csv_field("json(i.levels)")} AS levels,
           {_csv_field("o.options")} AS options,
           {_csv_field("o.key")} AS key,
           o.key AS key_json
    FROM items i LEFT JOIN ({_OPTIONS}) o ON o.item_id = i.id
)
SELECT {head}, {tail}
FROM reviews r
JOIN cards c ON c.id = r.card_id
JOIN q ON q.item_id = c.item_id
ORDER BY r.id
"""


def csv_constants(constants: Mapping[str, object]) -> dict[str, str]:
    """`constants` as the parameters `export_csv_sql` binds: each value already written
    as ``csv.writer`` writes a field."""
    out = {}
    for name, value in constants.items():
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow([value])
        out[f"c_{name}"] = buffer.getvalue()
    return out


def export_sql(columns: Sequence[str], constants: Mapping[str, object]) -> str:
    """The SELECT giving `columns` in order: a constant (bound as ``:c_<name>``) or a
    column of `EXPORT_EXPRESSIONS`. `KeyError` for a name that is neither."""
    parts = []
    for name in columns:
        if name in constants:
            parts.append(f":c_{name} AS {name}")
        else:
            parts.append(f"{EXPORT_EXPRESSIONS[name]} AS {name}")
    return "SELECT " + ",\n       ".join(parts) + _FROM


class ReviewExport(Connection):
    """The export half of `Store`: the whole review log, streamed in batches."""

    def export_reviews(
        self,
        columns: Sequence[str],
        constants: Mapping[str, object],
        *,
        batch: int = 20_000,
    ) -> Iterator[list[tuple[Any, ...]]]:
        """Every review as a row of `columns`, oldest first, in lists of up to `batch`.

        `constants` gives the columns that are the same on every row (format version,
        pseudonym, app...). The rows are read in one snapshot: the log a process
        appends to meanwhile is not mixed in. The generator holds the connection until
        it is exhausted or closed.
        """
        sql = export_sql(columns, constants)
        params: dict[str, object] = {f"c_{k}": v for k, v in constants.items()}
        params["pass"] = int(PASS)
        with self._read() as conn:
            count, first, last = conn.execute(
                "SELECT count(*), min(id), max(id) FROM reviews"
            ).fetchone()
            params.update(log_rows=count, first_id=first or 0, first_seq=1)
            # ids without gaps (no undo in the middle) number the rows in SQL; otherwise
            # Python renumbers each batch (a window function would sort a million rows)
            at = None
            if "seq" in columns and count and last - first + 1 != count:
                at = list(columns).index("seq")
            cursor = conn.execute(sql, params)
            done = 0
            while rows := cursor.fetchmany(batch):
                if at is not None:
                    rows = [(*r[:at], n, *r[at + 1 :]) for n, r in enumerate(rows, done + 1)]
                done += len(rows)
                yield rows

    def export_csv(
        self,
        columns: Sequence[str],
        constants: Mapping[str, object],
        *,
        batch: int = 50_000,
    ) -> Iterator[list[str]]:
        """Every review as one CSV line (no line end) of `columns`, which must include
        ``seq``: what `export_reviews` gives, written as ``csv.writer`` would write it,
        but formatted by SQLite, a string per row instead of an object per value."""
        sql = export_csv_sql(columns, constants)
        params: dict[str, object] = dict(csv_constants(constants))
        params.update({"pass": int(PASS), "csv_special": '*[,"\r\n]*'})
        with self._read() as conn:
            params["log_rows"] = self.review_count(conn)
            params["first_id"] = params["first_seq"] = 0  # unused: Python numbers the rows
            cursor = conn.execute(sql, params)
            done = 0
            while rows := cursor.fetchmany(batch):
                yield [f"{head},{n},{tail}" for n, (head, tail) in enumerate(rows, done + 1)]
                done += len(rows)

    @staticmethod
    def review_count(conn: sqlite3.Connection) -> int:
        """The number of rows in the review log (read inside the caller's transaction)."""
        count: int = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        return count

    def reviews_total(self) -> int:
        """The number of rows in the review log."""
        with self._read() as conn:
            return self.review_count(conn)
