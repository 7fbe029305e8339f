"""The counting queries behind `hccquiz.stats`, run inside one read transaction."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from ._records import StatsFigures

__all__ = ["HORIZON_DAYS", "figures"]

HORIZON_DAYS = 7
"""How many days after today the due forecast covers."""

_ACTIVE = "FROM cards c JOIN items i ON i.id = c.item_id WHERE c.retired = 0 AND i.retired = 0"


def figures(
    conn: sqlite3.Connection, today: date, *, mature_days: int, window: int
) -> StatsFigures:
    """Card, due and review counts as of study day ``today``."""
    t = today.isoformat()
    total, new, suspended = conn.execute(
        "SELECT count(*), coalesce(sum(c.due IS NULL AND c.suspended = 0), 0), "
        f"coalesce(sum(c.suspended), 0) {_ACTIVE}"
    ).fetchone()
    horizon = (today + timedelta(days=HORIZON_DAYS)).isoformat()
    due_by_day = [0] * (HORIZON_DAYS + 1)
    overdue = 0
    for due, n in conn.execute(
        f"SELECT c.due, count(*) {_ACTIVE} AND c.suspended = 0 AND c.due IS NOT NULL "
        "AND c.due <= ? GROUP BY c.due",
        (horizon,),
    ):
        offset = (date.fromisoformat(due) - today).days
        if offset < 0:
            overdue += n
        else:
            due_by_day[offset] += n
    by_kind = dict.fromkeys(("study", "drill", "quiz"), 0)
    for kind in by_kind:
        by_kind[kind] = conn.execute(
            "SELECT count(*) FROM reviews WHERE kind = ?", (kind,)
        ).fetchone()[0]
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
    by_level: dict[str, dict[str, int]] = {}
    for level, cards, susp, lnew, learning, mature in conn.execute(
        "SELECT l.level, count(*), coalesce(sum(c.suspended), 0), "
        "coalesce(sum(c.suspended = 0 AND c.due IS NULL), 0), "
        "coalesce(sum(c.suspended = 0 AND c.due IS NOT NULL AND c.interval < ?), 0), "
        "coalesce(sum(c.suspended = 0 AND c.due IS NOT NULL AND c.interval >= ?), 0) "
        "FROM cards c JOIN items i ON i.id = c.item_id JOIN item_levels l ON l.item_id = i.id "
        "WHERE c.retired = 0 AND i.retired = 0 GROUP BY l.level",
        (mature_days, mature_days),
    ):
        by_level[level] = {
            "cards": cards,
            "new": lnew,
            "learning": learning,
            "mature": mature,
            "suspended": susp,
        }
    by_deck = [
        {"id": deck_id, "title": title, "cards": cards, "new": dnew, "due_today": due}
        for deck_id, title, cards, dnew, due in conn.execute(
            "SELECT d.id, d.title, count(c.id), "
            "coalesce(sum(c.due IS NULL AND c.suspended = 0), 0), "
            "coalesce(sum(c.due <= ? AND c.suspended = 0), 0) "
            "FROM decks d LEFT JOIN items i ON i.deck_id = d.id AND i.retired = 0 "
            "LEFT JOIN cards c ON c.item_id = i.id AND c.retired = 0 "
            "GROUP BY d.id ORDER BY d.position",
            (t,),
        )
    ]
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
        by_deck=by_deck,
    )
