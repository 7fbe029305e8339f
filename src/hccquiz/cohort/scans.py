"""The SQL that scans progress logs into the report's small tables (see `load`).

Each scan decodes only the columns it needs and checks the values it reads, recording
the first invalid row it meets (``bad``, a log number and row as ``log * 2^32 + seq``),
so that a log is read three times in all (and once more for its first row only) and
every value is still checked once.
"""

from __future__ import annotations

from ..grading import REVIEW_KINDS
from ..progress.export import sql_text

__all__ = [
    "CHECKS",
    "CORRECT",
    "FILES",
    "JSON_CHECK",
    "KEY_SET",
    "LOGS",
    "ORD",
    "QM",
    "TD",
    "TQ",
    "TRAINEE_QUESTIONS",
]

_KINDS = ", ".join(sql_text(k) for k in REVIEW_KINDS)
CHECKS = (
    ("format_version IS NULL OR format_version < 1",
     "format_version {format_version} is not valid"),
    ("trainee IS NULL OR deck_id IS NULL OR item_id IS NULL OR content_hash IS NULL "
     "OR card IS NULL OR reviewed_at IS NULL OR day IS NULL OR grade IS NULL OR seq IS NULL "
     "OR log_rows IS NULL OR correct IS NULL OR scheduler IS NULL",
     "a required value is empty"),
    (f"kind NOT IN ({_KINDS})", "kind {kind!r} is unknown"),
    ("card_state NOT IN ('new', 'learning', 'review')", "card_state {card_state!r} is unknown"),
    ("item_type NOT IN ('basic', 'cloze', 'choice')", "item_type {item_type!r} is unknown"),
    ("grade NOT BETWEEN 0 AND 5", "grade {grade} is not 0-5"),
    ("card < 1", "card {card} is not a card number"),
    ("app NOT IN ('hccquiz', 'anki')", "app {app!r} is unknown"),
    ("coalesce(answer_ms, 0) < 0", "answer_ms {answer_ms} is negative"),
)  # fmt: skip
"""What every row must satisfy: (SQL condition of a bad row, message), in the order a
row's problems are told."""
JSON_CHECK = (
    "json_valid(levels) IS NOT TRUE OR json_valid(coalesce(picked, '[]')) IS NOT TRUE "
    "OR json_valid(coalesce(options, '[]')) IS NOT TRUE "
    "OR json_valid(coalesce(key, '[]')) IS NOT TRUE"
)
"""What the JSON values a report uses must satisfy (checked on the values kept, then
located in their file)."""

_WHITESPACE = "chr(32) || chr(9) || chr(10) || chr(13)"
_TRIMMED = f"list_transform(from_json({{}}, '[\"VARCHAR\"]'), lambda o: trim(o, {_WHITESPACE}))"
KEY_SET = f"CASE WHEN json_type(key) = 'ARRAY' THEN list_distinct({_TRIMMED.format('key')}) END"
"""A question's key as a list of distinct option texts, outer spaces trimmed (NULL
when the key is not known): made once per question, for `CORRECT`."""
CORRECT = (
    "CASE WHEN s.picked IS NULL OR q.key_set IS NULL OR s.item_type <> 'choice' "
    "THEN s.correct "
    "WHEN s.picked = q.key THEN true "  # the same text: no need to parse it
    "WHEN json_type(s.picked) = 'ARRAY' "  # the same set: each holds all of the other
    f"THEN list_has_all(q.key_set, {_TRIMMED.format('s.picked')}) "
    f"AND list_has_all({_TRIMMED.format('s.picked')}, q.key_set) "
    "ELSE s.correct END"
)
"""Whether a review (``s``) of a question (``q``, with its `KEY_SET`) was right: a choice
answer whose picks and key are known is right when its picks are exactly the key, as
sets, outer spaces aside (`hccquiz.grading.choice_correct`), whatever its ``correct``
says (a log written before hccquiz judged choice answers by their picks holds the
self-grade there); any other review, by its ``correct``."""

ORD = "(epoch(reviewed_at)::BIGINT // 60) * 16777216 + seq"
"""A review's order: its minute, then its place in its log."""
_QUESTION = "deck_id, item_id, card, content_hash"
_AT = "log::BIGINT * 4294967296 + seq"


def _bad(*conditions: str) -> str:
    return " OR ".join(f"({c}) IS NOT FALSE" for c in conditions)


LOGS = f"""
CREATE TABLE logs AS
SELECT log, any_value(filename) AS filename, any_value(trainee) AS trainee,
       any_value(app) AS app, any_value(scheduler) AS scheduler,
       min({_AT}) FILTER (WHERE {
    _bad("trainee IS NULL OR scheduler IS NULL", "app NOT IN ('hccquiz', 'anki')")
}) AS bad
FROM ({{source}}) WHERE seq = 1 GROUP BY log
"""
"""One row per log, from its first review: file, trainee, app and scheduler."""

TD = f"""
CREATE TABLE td AS
SELECT log, day, count(*) AS n, max({ORD}) AS last_ord,
       list(DISTINCT scheduler ORDER BY scheduler) AS schedulers,
       min({_AT}) FILTER (WHERE {
    _bad("reviewed_at IS NULL OR day IS NULL OR seq IS NULL OR scheduler IS NULL")
}) AS bad
FROM ({{source}})
GROUP BY log, day
"""
"""Reviews per log and study day, and the schedulers that set their due dates (a log
switched between SM-2 and FSRS holds both)."""

QM = f"""
CREATE TABLE qm AS
SELECT {_QUESTION},
       any_value(item_type) AS item_type,
       arg_max(levels, ord) AS levels,
       arg_max(options, ord) FILTER (WHERE options IS NOT NULL) AS options,
       arg_max(key, ord) FILTER (WHERE key IS NOT NULL) AS key,
       count(*) AS reviews,
       min(ord) AS first_ord,
       max(ord) AS last_ord,
       avg(answer_ms) AS answer_ms_mean,
       median(answer_ms) AS answer_ms_median,
       min({_AT}) FILTER (WHERE {
    _bad(
        "deck_id IS NULL OR item_id IS NULL OR content_hash IS NULL OR card IS NULL",
        "item_type NOT IN ('basic', 'cloze', 'choice')",
        "card < 1",
        "coalesce(answer_ms, 0) < 0",
    )
}) AS bad,
       (row_number() OVER ())::INTEGER AS qid
FROM (SELECT {_QUESTION}, item_type, levels, options, key, answer_ms, log, seq,
             {ORD} AS ord
      FROM ({{source}}))
GROUP BY ALL
"""
"""One row per question (numbered ``qid``): type, levels, options, key, answer times."""

TQ = f"""
CREATE TEMP TABLE by_log AS
SELECT log, qid,
       count(*) AS n,
       min(ord) AS first_ord,
       max(ord) AS last_ord,
       arg_min(correct, ord)::INTEGER AS x,
       arg_min(correct, ord) FILTER (WHERE kind = 'study' AND card_state = 'review')
           AS first_review_correct,
       min(ord) FILTER (WHERE kind = 'study' AND card_state = 'review') AS first_review_ord,
       arg_min(picked, ord) FILTER (WHERE picked IS NOT NULL) AS picked,
       min(ord) FILTER (WHERE picked IS NOT NULL) AS picked_ord,
       arg_max(interval_days, ord) AS last_interval,
       arg_max(due, ord) AS last_due,
       count(*) FILTER (WHERE kind = 'study') AS study,
       count(*) FILTER (WHERE kind = 'study' AND card_state = 'review') AS scheduled,
       count(*) FILTER (WHERE kind = 'study' AND card_state = 'review' AND correct) AS kept,
       sum(seq::HUGEINT) AS seq_sum,
       sum(seq::HUGEINT * seq) AS seq_squares,
       min(seq) AS seq_min,
       max(seq) AS seq_max,
       min(log_rows) AS rows_min,
       max(log_rows) AS rows_max,
       min(format_version) AS version_min,
       max(format_version) AS version_max,
       min({_AT}) FILTER (WHERE {
    _bad(
        "format_version IS NULL OR format_version < 1 OR log_rows IS NULL",
        "grade IS NULL OR correct IS NULL",
        f"kind NOT IN ({_KINDS})",
        "card_state NOT IN ('new', 'learning', 'review')",
        "grade NOT BETWEEN 0 AND 5",
    )
}) AS bad
FROM (SELECT s.* REPLACE ({CORRECT} AS correct), q.qid, {ORD} AS ord
      FROM ({{source}}) s JOIN (SELECT *, {KEY_SET} AS key_set FROM qm) q USING ({_QUESTION}))
GROUP BY log, qid
"""
"""One row per log and question: what the trainee did with it, and the log's numbering."""

FILES = """
SELECT log, sum(n) AS n, min(rows_min) AS rows_min, max(rows_max) AS rows_max,
       sum(seq_sum) AS seq_sum, sum(seq_squares) AS seq_squares, min(seq_min) AS seq_min,
       max(seq_max) AS seq_max, min(version_min) AS version_min,
       max(version_max) AS version_max
FROM by_log GROUP BY log ORDER BY log
"""
"""Per log: what proves it whole (``seq`` 1 to ``log_rows``, one format version)."""

TRAINEE_QUESTIONS = """
CREATE TABLE tq AS
SELECT q.deck_id, q.item_id, q.card, q.content_hash, t.*
FROM (
    SELECT l.trainee, b.qid,
           sum(b.n) AS n,
           min(b.first_ord) AS first_ord,
           max(b.last_ord) AS last_ord,
           arg_min(b.x, b.first_ord) AS x,
           arg_min(b.first_review_correct, b.first_review_ord) AS first_review_correct,
           arg_min(b.picked, b.picked_ord) AS picked,
           arg_max(b.last_interval, b.last_ord) AS last_interval,
           arg_max(b.last_due, b.last_ord) AS last_due,
           sum(b.study) AS study, sum(b.scheduled) AS scheduled, sum(b.kept) AS kept
    FROM by_log b JOIN logs l USING (log)
    GROUP BY l.trainee, b.qid
) t JOIN qm q USING (qid);
DROP TABLE by_log;
"""
"""One row per trainee and question, over all of the trainee's logs."""
