"""The cohort statistics, in SQL over the table ``log`` (see `hccquiz.cohort.load`).

A *question* is one card of one version of an item: (deck_id, item_id, card,
content_hash), so an item edited mid-cohort is analysed per version. For each trainee
and question, the *first exposure* is the trainee's earliest review of it (``ord``); its
``correct`` is the trainee's score on the question (``x``, 0 or 1). A trainee's *rest
score* for a question is their mean score over the questions of every *other* item.

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

FIRST = f"""
CREATE TEMP TABLE first AS
SELECT trainee, {QUESTION},
       arg_min(correct, ord)::INTEGER AS x,
       arg_min(correct, ord) FILTER (WHERE kind = 'study' AND card_state = 'review')
           AS first_review_correct,
       arg_min(picked, ord) FILTER (WHERE picked IS NOT NULL) AS picked
FROM log GROUP BY ALL;

CREATE TEMP TABLE scored AS
WITH per_item AS (
    SELECT trainee, deck_id, item_id, sum(x) AS s, count(*) AS n FROM first GROUP BY ALL
), per_trainee AS (
    SELECT trainee, sum(x) AS s, count(*) AS n FROM first GROUP BY trainee
)
SELECT f.*, (t.s - i.s) / nullif(t.n - i.n, 0) AS rest
FROM first f
JOIN per_item i USING (trainee, deck_id, item_id)
JOIN per_trainee t USING (trainee);
"""
"""Per trainee and question: first-exposure score, first scheduled review, first picks,
and the rest score."""

ITEMS = f"""
WITH ranked AS (
    SELECT *,
           count(rest) OVER q AS n_ranked,
           row_number() OVER (q ORDER BY rest DESC NULLS LAST, hash(trainee)) AS up,
           row_number() OVER (q ORDER BY rest ASC NULLS LAST, hash(trainee) DESC) AS down
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
                              AND down <= greatest(1, round(0.27 * n_ranked)))
           END AS upper_lower,
           1 - avg(first_review_correct::INTEGER) AS lapse_rate,
           count(first_review_correct) AS lapse_n
    FROM ranked GROUP BY ALL
), times AS (
    SELECT {QUESTION},
           any_value(item_type) AS item_type,
           arg_max(levels, ord) AS levels,
           count(*) AS reviews,
           avg(answer_ms) AS answer_ms_mean,
           median(answer_ms) AS answer_ms_median,
           min(day) AS first_day,
           max(day) AS last_day
    FROM log GROUP BY ALL
)
SELECT * FROM stats JOIN times USING ({QUESTION})
ORDER BY deck_id, item_id, card, first_day, content_hash
"""
"""One row per question."""

OPTIONS = f"""
WITH known AS (
    SELECT {QUESTION},
           arg_max(options, ord) FILTER (WHERE options IS NOT NULL) AS options,
           arg_max(key, ord) FILTER (WHERE key IS NOT NULL) AS key
    FROM log WHERE item_type = 'choice' GROUP BY ALL
), listed AS (
    SELECT {QUESTION}, o.option, o.position,
           list_contains(from_json(coalesce(key, '[]'), '["VARCHAR"]'), o.option) AS is_key
    FROM known,
         unnest(from_json(coalesce(options, '[]'), '["VARCHAR"]')) WITH ORDINALITY
             AS o(option, position)
), pickers AS (
    SELECT {QUESTION}, count(*) AS pickers
    FROM first WHERE picked IS NOT NULL GROUP BY ALL
), picks AS (
    SELECT {QUESTION}, p.option, count(*) AS picks
    FROM first, unnest(from_json(picked, '["VARCHAR"]')) AS p(option)
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
picked), with picks out of the trainees who picked anything."""

VERSIONS = """
SELECT deck_id, item_id, list(DISTINCT content_hash ORDER BY content_hash) AS hashes
FROM log GROUP BY ALL HAVING count(DISTINCT content_hash) > 1
ORDER BY deck_id, item_id
"""
"""Items seen in more than one version across the cohort."""

LEVELS = """
WITH latest AS (
    SELECT trainee, deck_id, item_id, card,
           arg_max(levels, ord) AS levels,
           arg_max(interval_days, ord) AS interval_days
    FROM log GROUP BY ALL
), card_levels AS (
    SELECT DISTINCT deck_id, item_id, card, level
    FROM (SELECT deck_id, item_id, card, arg_max(levels, ord) AS levels FROM log GROUP BY ALL),
         unnest(from_json(levels, '["VARCHAR"]')) AS l(level)
), trainees AS (SELECT DISTINCT trainee FROM log),
per_trainee AS (
    SELECT c.level, t.trainee,
           count(*) AS cards,
           count(l.trainee) AS seen,
           count(*) FILTER (WHERE l.interval_days >= $mature) AS mature
    FROM card_levels c CROSS JOIN trainees t
    LEFT JOIN latest l ON l.trainee = t.trainee AND l.deck_id = c.deck_id
                      AND l.item_id = c.item_id AND l.card = c.card
    GROUP BY ALL
)
SELECT level, max(cards) AS cards, count(*) AS trainees,
       avg(seen / cards) AS seen_mean,
       min(mature / cards) AS mastery_min,
       quantile_cont(mature / cards, 0.25) AS mastery_q1,
       median(mature / cards) AS mastery_median,
       quantile_cont(mature / cards, 0.75) AS mastery_q3,
       max(mature / cards) AS mastery_max,
       avg(mature / cards) AS mastery_mean,
       [count(*) FILTER (WHERE mature / cards < 0.2),
        count(*) FILTER (WHERE mature / cards >= 0.2 AND mature / cards < 0.4),
        count(*) FILTER (WHERE mature / cards >= 0.4 AND mature / cards < 0.6),
        count(*) FILTER (WHERE mature / cards >= 0.6 AND mature / cards < 0.8),
        count(*) FILTER (WHERE mature / cards >= 0.8)] AS bins
FROM per_trainee GROUP BY level
"""
"""Per level: its cards in the cohort, and the distribution over trainees of the share
of them each trainee has mature (interval of ``$mature`` days or more): quartiles, and
trainees per fifth (``bins``: under 20%, 20-40%, ..., 80% or more)."""

TRAINEES = """
WITH latest AS (
    SELECT trainee, deck_id, item_id, card, arg_max(due, ord) AS due
    FROM log GROUP BY ALL
), backlog AS (
    SELECT trainee, count(*) FILTER (WHERE due < $as_of) AS overdue FROM latest GROUP BY ALL
), score AS (
    SELECT trainee, avg(x) AS first_try FROM first GROUP BY ALL
)
SELECT trainee,
       count(*) AS reviews,
       count(DISTINCT (deck_id, item_id, card)) FILTER (WHERE kind = 'study') AS cards_studied,
       avg(correct::INTEGER) FILTER (WHERE kind = 'study' AND card_state = 'review')
           AS retention,
       count(*) FILTER (WHERE kind = 'study' AND card_state = 'review') AS retention_n,
       any_value(b.overdue) AS overdue,
       any_value(s.first_try) AS first_try,
       min(day) AS first_day,
       max(day) AS last_day,
       count(DISTINCT day) AS active_days,
       count(*) FILTER (WHERE day > $as_of - INTERVAL 7 DAY AND day <= $as_of) AS reviews_7d,
       list(DISTINCT app ORDER BY app) AS apps
FROM log JOIN backlog b USING (trainee) JOIN score s USING (trainee)
GROUP BY trainee
ORDER BY overdue DESC, last_day, trainee
"""
"""One row per pseudonym, most overdue first."""

ACTIVITY = """
SELECT day, count(*) AS reviews, count(DISTINCT trainee) AS trainees
FROM log GROUP BY day ORDER BY day
"""
"""Reviews and active trainees per study day."""

COHORT = """
SELECT count(DISTINCT trainee) AS trainees, count(*) AS reviews,
       count(DISTINCT (deck_id, item_id)) AS items, min(day) AS first_day,
       max(day) AS last_day, list(DISTINCT deck_id ORDER BY deck_id) AS decks,
       list(DISTINCT app ORDER BY app) AS apps,
       list(DISTINCT scheduler ORDER BY scheduler) AS schedulers
FROM log
"""
"""The cohort in one row."""
