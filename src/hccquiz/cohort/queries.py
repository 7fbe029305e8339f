"""The cohort statistics, in SQL over the tables of `hccquiz.cohort.load` (``tq``, ``qm``,
``days``).

A *question* is one card of one version of an item: (deck_id, item_id, card,
content_hash), so an item edited mid-cohort is analysed per version. For each trainee
and question (``tq``, across all of the trainee's logs), the *first exposure* is the
trainee's earliest review of it; its ``correct`` is the trainee's score on the question
(``x``, 0 or 1). A trainee's *rest score* for a
question is their mean score over the questions of every *other* item.

- facility: mean ``x`` over the trainees who reached the question;
- discrimination: the point-biserial correlation of ``x`` with the rest score (Pearson's
  r with a 0/1 variable), over trainees with a rest score;
- upper-lower index: facility among the top 27% of those trainees by rest score minus
  facility among the bottom 27% (k = round(0.27 n), at least 1; ties broken by a hash
  of the pseudonym, so the split is reproducible);
- answer time: mean and median over every review of the question;
- lapse rate: the share of trainees whose first scheduled review (kind study, state
  review) of the question was wrong;
- pick rates: for choice questions, over each trainee's first review with recorded
  picks, the share of trainees who picked each option.
"""

from __future__ import annotations

__all__ = [
    "ACTIVITY",
    "COHORT",
    "FIRST",
    "ITEMS",
    "LEVELS",
    "OPTIONS",
    "TRAINEES",
    "VERSIONS",
]

QUESTION = "deck_id, item_id, card, content_hash"
_DAY_OF_ORD = "to_timestamp(({0} // 16777216) * 60)::DATE"

FIRST = """
CREATE TEMP TABLE scored AS
WITH per_item AS (
    SELECT trainee, deck_id, item_id, sum(x) AS s, count(*) AS n FROM tq GROUP BY ALL
), per_trainee AS (
    SELECT trainee, sum(x) AS s, count(*) AS n FROM tq GROUP BY trainee
)
SELECT q.trainee, q.deck_id, q.item_id, q.card, q.content_hash, q.x, q.first_review_correct,
       (t.s - i.s) / nullif(t.n - i.n, 0) AS rest
FROM tq q
JOIN per_item i USING (trainee, deck_id, item_id)
JOIN per_trainee t USING (trainee);
"""
"""Per trainee and question: the first answer, the first scheduled review, and the rest
score (``tq`` holds the rest of what a trainee did with a question)."""

ITEMS = f"""
WITH ranked AS (
    SELECT *,
           count(rest) OVER q AS n_ranked,
           row_number() OVER (q ORDER BY rest DESC NULLS LAST, hash(trainee), trainee) AS up
    FROM scored
    WINDOW q AS (PARTITION BY {QUESTION})
), stats AS (
    SELECT {QUESTION},
           count(*) AS reached,
           avg(x) AS facility,
           CASE WHEN var_pop(x) FILTER (WHERE rest IS NOT NULL) > 0
                 AND var_pop(rest) > 0 THEN corr(x, rest) END AS discrimination,
           count(rest) AS discrimination_n,
           CASE WHEN max(n_ranked) >= 2 THEN
               avg(x) FILTER (WHERE rest IS NOT NULL
                              AND up <= greatest(1, round(0.27 * n_ranked)))
             - avg(x) FILTER (WHERE rest IS NOT NULL
                              AND n_ranked + 1 - up <= greatest(1, round(0.27 * n_ranked)))
           END AS upper_lower,
           1 - avg(first_review_correct::INTEGER) AS lapse_rate,
           count(first_review_correct) AS lapse_n
    FROM ranked GROUP BY ALL
), about AS (
    SELECT {QUESTION}, item_type, levels, reviews, answer_ms_mean, answer_ms_median,
           {_DAY_OF_ORD.format("first_ord")} AS first_seen,
           {_DAY_OF_ORD.format("last_ord")} AS last_seen
    FROM qm
)
SELECT * FROM stats JOIN about USING ({QUESTION})
ORDER BY deck_id, item_id, card, first_seen, content_hash
"""
"""One row per question."""

OPTIONS = f"""
WITH known AS (
    SELECT {QUESTION}, options, key FROM qm WHERE item_type = 'choice'
), listed AS (
    SELECT {QUESTION}, o.option, o.position,
           list_contains(from_json(coalesce(key, '[]'), '["VARCHAR"]'), o.option) AS is_key
    FROM known,
         unnest(from_json(coalesce(options, '[]'), '["VARCHAR"]')) WITH ORDINALITY
             AS o(option, position)
), pickers AS (
    SELECT {QUESTION}, count(*) AS pickers
    FROM tq WHERE picked IS NOT NULL GROUP BY ALL
), picks AS (
    SELECT {QUESTION}, p.option, count(*) AS picks
    FROM tq, unnest(from_json(picked, '["VARCHAR"]')) AS p(option)
    WHERE picked IS NOT NULL GROUP BY ALL
), every AS (
    SELECT {QUESTION}, option FROM listed UNION SELECT {QUESTION}, option FROM picks
)
SELECT e.deck_id, e.item_id, e.card, e.content_hash, e.option, l.position,
       coalesce(l.is_key, false) AS is_key, coalesce(p.picks, 0) AS picks,
       coalesce(k.pickers, 0) AS pickers,
       coalesce(p.picks, 0) / nullif(k.pickers, 0) AS rate
FROM every e
LEFT JOIN listed l USING ({QUESTION}, option)
LEFT JOIN picks p USING ({QUESTION}, option)
LEFT JOIN pickers k USING ({QUESTION})
ORDER BY e.deck_id, e.item_id, e.card, e.content_hash, l.position NULLS LAST, e.option
"""
"""One row per option of each choice question (those listed in the log and those
picked), with picks out of the trainees whose first recorded answer has its picks (one
shown with none picked, ``[]``, counts: it picked no option)."""

VERSIONS = """
SELECT deck_id, item_id, list(DISTINCT content_hash ORDER BY content_hash) AS hashes
FROM qm GROUP BY ALL HAVING count(DISTINCT content_hash) > 1
ORDER BY deck_id, item_id
"""
"""Items seen in more than one version across the cohort."""

LEVELS = """
WITH card_levels AS (
    SELECT DISTINCT deck_id, item_id, card, level
    FROM (SELECT deck_id, item_id, card, arg_max(levels, last_ord) AS levels
          FROM qm GROUP BY ALL),
         unnest(from_json(levels, '["VARCHAR"]')) AS l(level)
), level_cards AS (
    SELECT level, count(*) AS cards FROM card_levels GROUP BY level
), latest AS (
    SELECT trainee, deck_id, item_id, card, arg_max(last_interval, last_ord) AS interval_days
    FROM tq GROUP BY ALL
), counted AS (
    SELECT l.trainee, c.level, count(*) AS seen,
           count(*) FILTER (WHERE l.interval_days >= $mature) AS mature
    FROM latest l JOIN card_levels c USING (deck_id, item_id, card)
    GROUP BY ALL
), per_trainee AS (
    SELECT lc.level, t.trainee, lc.cards,
           coalesce(c.seen, 0) / lc.cards AS seen,
           coalesce(c.mature, 0) / lc.cards AS share
    FROM level_cards lc CROSS JOIN (SELECT DISTINCT trainee FROM tq) t
    LEFT JOIN counted c ON c.level = lc.level AND c.trainee = t.trainee
)
SELECT level, max(cards) AS cards, count(*) AS trainees,
       avg(seen) AS seen_mean,
       min(share) AS mastery_min,
       quantile_cont(share, 0.25) AS mastery_q1,
       median(share) AS mastery_median,
       quantile_cont(share, 0.75) AS mastery_q3,
       max(share) AS mastery_max,
       avg(share) AS mastery_mean,
       [count(*) FILTER (WHERE share < 0.2),
        count(*) FILTER (WHERE share >= 0.2 AND share < 0.4),
        count(*) FILTER (WHERE share >= 0.4 AND share < 0.6),
        count(*) FILTER (WHERE share >= 0.6 AND share < 0.8),
        count(*) FILTER (WHERE share >= 0.8)] AS bins
FROM per_trainee GROUP BY level
"""
"""Per level: its cards in the cohort, and the distribution over trainees of the share
of them each trainee has mature (interval of ``$mature`` days or more): quartiles, and
trainees per fifth (``bins``: under 20%, 20-40%, ..., 80% or more)."""

TRAINEES = """
WITH cards AS (
    SELECT trainee, deck_id, item_id, card,
           arg_max(last_due, last_ord) AS due, sum(study) AS study
    FROM tq GROUP BY ALL
), per_card AS (
    SELECT trainee,
           count(*) FILTER (WHERE due < $as_of) AS overdue,
           count(*) FILTER (WHERE study > 0) AS cards_studied
    FROM cards GROUP BY trainee
), answers AS (
    SELECT trainee, avg(x) AS first_try,
           sum(kept) / nullif(sum(scheduled), 0) AS retention,
           sum(scheduled) AS retention_n
    FROM tq GROUP BY trainee
), days AS (
    SELECT trainee, sum(n) AS reviews, min(day) AS first_day, max(day) AS last_day,
           count(DISTINCT day) AS active_days,
           coalesce(sum(n) FILTER (WHERE day > $as_of - INTERVAL 7 DAY AND day <= $as_of), 0)
               AS reviews_7d,
           list(DISTINCT app ORDER BY app) AS apps
    FROM days GROUP BY trainee
)
SELECT trainee, reviews, cards_studied, retention, retention_n, overdue, first_try,
       first_day, last_day, active_days, reviews_7d, apps
FROM days JOIN per_card USING (trainee) JOIN answers USING (trainee)
ORDER BY overdue DESC, last_day, trainee
"""
"""One row per pseudonym, most overdue first."""

ACTIVITY = """
SELECT day, sum(n) AS reviews, count(DISTINCT trainee) AS trainees
FROM days GROUP BY day ORDER BY day
"""
"""Reviews and active trainees per study day."""

COHORT = """
SELECT (SELECT count(DISTINCT trainee) FROM days) AS trainees,
       (SELECT sum(n) FROM days) AS reviews,
       (SELECT count(DISTINCT (deck_id, item_id)) FROM tq) AS items,
       (SELECT min(day) FROM days) AS first_day,
       (SELECT max(day) FROM days) AS last_day,
       (SELECT list(DISTINCT deck_id ORDER BY deck_id) FROM tq) AS decks,
       (SELECT list(DISTINCT app ORDER BY app) FROM days) AS apps,
       (SELECT list(DISTINCT s ORDER BY s) FROM (SELECT unnest(schedulers) AS s FROM days))
           AS schedulers
"""
"""The cohort in one row."""
