"""The counting queries behind `hccquiz.study.stats`, run inside one read transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable
from datetime import date, timedelta
from typing import Any

from ..grading import REVIEW_KINDS
from ._records import StatsFigures

__all__ = ["HORIZON_DAYS", "figures"]

HORIZON_DAYS = 30
"""How many days after today the due forecast covers."""

_LEVEL_KEYS = ("cards", "new", "learning", "mature", "suspended")
_BY_LABEL = "FROM cards INDEXED BY cards_by_label WHERE retired = 0 AND label IS NOT NULL"
"""Active cards of active items, read from the stats index alone (see `_schema`)."""
_DUE = (
    "FROM cards INDEXED BY cards_due_active WHERE retired = 0 AND suspended = 0 "
    "AND label IS NOT NULL AND due IS NOT NULL"
)


def figures(
    conn: sqlite3.Connection,
    today: date,
    *,
    mature_days: int,
    window: int,
    decks_only: Collection[str] | None = None,
) -> StatsFigures:
    """Card, due and review counts as of study day ``today``. With ``decks_only``, the card
    and due counts are those of these decks alone; the review counts are always of every
    deck (they are the learner's, not a deck's)."""
    t = today.isoformat()
    decks: dict[str, dict[str, Any]] = {
        deck_id: {"id": deck_id, "title": title, "cards": 0, "new": 0, "due_today": 0}
        for deck_id, title in conn.execute("SELECT id, title FROM decks ORDER BY position")
        if decks_only is None or deck_id in decks_only
    }
    by_level: dict[str, dict[str, int]] = {}
    total = new = suspended = 0
    labels = {
        label: (deck_id, json.loads(levels))
        for label, deck_id, levels in conn.execute("SELECT id, deck_id, levels FROM labels")
    }
    # one pass over the stats index in its order, grouped by label (deck, level set: a few
    # hundred) and suspended; few aggregates, as each costs per card
    for label, susp_group, cards, seen, mature, due in conn.execute(
        "SELECT label, suspended, count(*), count(due), "
        "coalesce(sum(due IS NOT NULL AND interval >= ?), 0), coalesce(sum(due <= ?), 0) "
        f"{_BY_LABEL} GROUP BY label, suspended",
        (mature_days, t),
    ):
        deck_id, levels = labels[label]
        if deck_id not in decks:
            continue
        if susp_group:
            susp, gnew, learning, mature, due = cards, 0, 0, 0, 0
        else:
            susp, gnew, learning = 0, cards - seen, seen - mature
        total, new, suspended = total + cards, new + gnew, suspended + susp
        deck = decks[deck_id]
        deck["cards"] += cards
        deck["new"] += gnew
        deck["due_today"] += due
        for level in levels:
            counts = by_level.setdefault(level, dict.fromkeys(_LEVEL_KEYS, 0))
            for key, value in zip(_LEVEL_KEYS, (cards, gnew, learning, mature, susp), strict=True):
                counts[key] += value
    horizon = (today + timedelta(days=HORIZON_DAYS)).isoformat()
    due_by_day = [0] * (HORIZON_DAYS + 1)
    overdue = 0
    rows: Iterable[tuple[str, int]]
    if decks_only is None:
        rows = conn.execute(f"SELECT due, count(*) {_DUE} AND due <= ? GROUP BY due", (horizon,))
    else:
        rows = (
            (due, n)
            for due, label, n in conn.execute(
                f"SELECT due, label, count(*) {_DUE} AND due <= ? GROUP BY due, label", (horizon,)
            )
            if labels[label][0] in decks
        )
    for due, n in rows:
        offset = (date.fromisoformat(due) - today).days
        if offset < 0:
            overdue += n
        else:
            due_by_day[offset] += n
    by_kind: dict[str, int] = dict.fromkeys(REVIEW_KINDS, 0)
    by_kind.update(conn.execute("SELECT kind, n FROM review_counts"))
    today_by_kind = dict.fromkeys(by_kind, 0)
    today_by_kind.update(
        conn.execute("SELECT kind, count(*) FROM reviews WHERE day = ? GROUP BY kind", (t,))
    )
    first = (today - timedelta(days=window - 1)).isoformat()
    reviews, passed = conn.execute(
        "SELECT count(*), coalesce(sum(quality >= 3), 0) FROM reviews "
        "WHERE day BETWEEN ? AND ? AND kind = 'study' AND due_before IS NOT NULL",
        (first, t),
    ).fetchone()
    return StatsFigures(
        cards_total=total,
        cards_new=new,
        cards_suspended=suspended,
        due_by_day=tuple(due_by_day),
        overdue=overdue,
        reviews_total=sum(by_kind.values()),
        reviews_by_kind=by_kind,
        reviews_today=sum(today_by_kind.values()),
        reviews_today_by_kind=today_by_kind,
        retention_passed=passed,
        retention_reviews=reviews,
        by_level=by_level,
        by_deck=list(decks.values()),
    )
