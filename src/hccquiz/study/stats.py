"""Figures for the stats screen and ``hccquiz stats``: cards, due forecast, reviews, retention.

Definitions (all days are study days, which start at ``day_starts_at``, 04:00 by default):

- ``cards_total``: cards of current items (retired ones are left out), suspended included;
  ``cards_new``: never studied and not suspended.
- ``due_today``: due today or overdue (``due_overdue`` of them overdue); ``due_tomorrow``:
  due tomorrow exactly; ``due_next_7_days``: due in the 7 days after today (tomorrow through
  today + 7). ``due_by_day`` is the forecast from today (overdue included) to today + 30.
  Suspended cards are never due.
- ``reviews_total`` and ``reviews_today``: rows of the review log, every kind
  (``*_by_kind`` splits them into study, drill and quiz).
- ``retention_30d``: the share of first-of-day grades (kind ``study``) of already-studied
  cards in the last 30 days (today included) that were 3 or more; null without any.
  A new card's first grade is not a recall, so it is left out.
- ``by_level``: per level, cards, new, learning (studied, interval under 21 days), mature
  (interval 21 days or more) and suspended; a card with two levels counts in both.
- ``streak_days``: consecutive days with at least one review, ending today, or yesterday
  while today has none yet.
- ``decks_counted``: the decks every card figure, ``decks``, ``left_today`` and
  ``today_by_deck`` count: by default the decks in use (those home shows: the bundled
  decks and a ``decks/`` folder here; ``hccquiz decks`` lists them), or the decks named,
  or every deck in the database (``--all-decks``). ``decks_not_counted``: the other decks
  in the database. The review figures (grades, retention, streak) are of every deck.
- ``level_filter``: the levels ``left_today`` is limited to (the level remembered from
  home; empty: every level); ``tag_filter``: the tags it is limited to (the app's
  ``--tag``; empty: every tag).
- ``left_today``: what a study session over the counted decks, at ``level_filter``, would
  still ask today, within each deck's daily limits (``new``, ``learning``: the same-day
  drill, ``review``, ``total``); the home screen and a session's summary count the same
  way. ``today_by_deck`` gives each deck's ``left_today`` and its limits: ``new_per_day``,
  ``new_done`` (introduced today), ``new_held`` (true when the limit holds new cards
  back), and the same for reviews (``reviews_per_day``, ``reviews_done``, ``reviews_held``).
- ``scheduler``: the scheduler in force (``sm2`` or ``fsrs``); with FSRS, ``fsrs`` holds
  its figures (`hccquiz.study.fsrs_stats`): predicted retention today, retrievability and
  the calibration table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from ..deck.levels import LEVEL_VALUES
from ._filters import Filters
from ._settings import StudyConfig
from ._today import plan_day
from .fsrs_stats import FsrsStats, collect_fsrs, render_fsrs

if TYPE_CHECKING:
    from ..store import Store

__all__ = [
    "MATURE_DAYS",
    "LevelStats",
    "Stats",
    "collect",
    "deck_lines",
    "level_words",
    "render_text",
    "streak",
]

MATURE_DAYS = 21
"""A card with an interval of this many days or more is mature (Anki's threshold)."""
_WINDOW = 30


@dataclass(frozen=True, slots=True)
class LevelStats:
    """Card counts for one level."""

    cards: int = 0
    new: int = 0
    learning: int = 0
    mature: int = 0
    suspended: int = 0


@dataclass(frozen=True, slots=True)
class Stats:
    """Everything ``hccquiz stats`` shows; `to_dict` is the ``--json`` output."""

    database: str
    study_day: date
    cards_total: int
    cards_new: int
    cards_suspended: int
    due_today: int
    due_overdue: int
    due_tomorrow: int
    due_next_7_days: int
    due_by_day: tuple[int, ...]
    reviews_total: int
    reviews_by_kind: dict[str, int]
    reviews_today: int
    reviews_today_by_kind: dict[str, int]
    retention_30d: float | None
    retention_reviews_30d: int
    streak_days: int
    by_level: dict[str, LevelStats]
    decks: list[dict[str, Any]]
    left_today: dict[str, int]
    today_by_deck: dict[str, dict[str, Any]]
    scheduler: str = "sm2"
    fsrs: FsrsStats | None = None
    decks_counted: list[str] = field(default_factory=list)
    decks_not_counted: list[str] = field(default_factory=list)
    level_filter: list[str] = field(default_factory=list)
    tag_filter: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO text)."""
        data = asdict(self)
        data["study_day"] = self.study_day.isoformat()
        data["due_by_day"] = list(self.due_by_day)
        data["fsrs"] = self.fsrs.to_dict() if self.fsrs else None
        return data


def streak(store: Store, today: date) -> int:
    """Consecutive days with a review ending today (or yesterday if today has none yet)."""
    first = today - timedelta(days=_WINDOW - 1)
    days = store.review_days(first, today)
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while True:
        if day < first:  # read further back, a larger window each time
            first = day - timedelta(days=max(count, _WINDOW) - 1)
            days = store.review_days(first, day)
        if day not in days:
            return count
        count += 1
        day -= timedelta(days=1)


def collect(
    store: Store,
    *,
    now: datetime,
    tz: tzinfo | None = None,
    day_starts_at: time | None = None,
    config: StudyConfig | None = None,
    cards: bool = False,
    decks: Sequence[str] | None = None,
    levels: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> Stats:
    """Read the figures as of ``now``. The settings (day start, daily limits) are `config`,
    else the stored ones, with `tz` and `day_starts_at` if given. With FSRS in force,
    ``cards`` adds each card's retrievability. The card figures and what is left today are
    those of `decks` (None: every deck in the database); what is left today is limited to
    `levels` and `tags` (empty: every one), as home does."""
    if config is None:
        overrides: dict[str, Any] = {"tz": tz}
        if day_starts_at is not None:
            overrides["day_starts_at"] = day_starts_at
        config = StudyConfig.from_settings(store.settings(), **overrides)
    today = config.boundary.day(now)
    stored = store.deck_ids()
    counted = stored if decks is None else [d for d in stored if d in set(decks)]
    some = len(counted) < len(stored)  # else the quicker unfiltered queries count the same
    f = store.stats_figures(
        today, mature_days=MATURE_DAYS, window=_WINDOW, decks=counted if some else None
    )
    # Filters(()) means every deck: a filter of no deck counts nothing (see below)
    wanted = Filters(tuple(counted) if some else (), tuple(levels), tuple(tags))
    days = plan_day(store, config, wanted, today).decks if counted else ()
    plan = {d.deck_id: d for d in days}
    left = dict.fromkeys(("new", "learning", "review", "total"), 0)
    by_deck: dict[str, dict[str, Any]] = {}
    for deck_id, day in plan.items():
        mine = {"new": day.new, "learning": day.learning, "review": day.review,
                "total": day.total}  # fmt: skip
        left = {key: left[key] + mine[key] for key in left}
        by_deck[deck_id] = {
            "left_today": mine,
            "new_per_day": day.new_limit, "new_done": day.new_done, "new_held": day.new_held,
            "reviews_per_day": day.review_limit, "reviews_done": day.review_done,
            "reviews_held": day.review_held,
        }  # fmt: skip
    per_level = {level: LevelStats() for level in LEVEL_VALUES}
    for level, counts in f.by_level.items():
        per_level[level] = LevelStats(**counts)
    return Stats(
        database=str(store.path),
        study_day=today,
        cards_total=f.cards_total,
        cards_new=f.cards_new,
        cards_suspended=f.cards_suspended,
        due_today=f.overdue + f.due_by_day[0],
        due_overdue=f.overdue,
        due_tomorrow=f.due_by_day[1],
        due_next_7_days=sum(f.due_by_day[1:8]),
        due_by_day=(f.overdue + f.due_by_day[0], *f.due_by_day[1:]),
        reviews_total=f.reviews_total,
        reviews_by_kind=f.reviews_by_kind,
        reviews_today=f.reviews_today,
        reviews_today_by_kind=f.reviews_today_by_kind,
        retention_30d=(f.retention_passed / f.retention_reviews if f.retention_reviews else None),
        retention_reviews_30d=f.retention_reviews,
        streak_days=streak(store, today),
        by_level=per_level,
        decks=f.by_deck,
        left_today=left,
        today_by_deck=by_deck,
        decks_counted=list(counted),
        decks_not_counted=[d for d in stored if d not in counted],
        level_filter=list(levels),
        tag_filter=list(tags),
        scheduler=(name := store.scheduler_in_force()),
        fsrs=(
            collect_fsrs(store, today, boundary=config.boundary, cards=cards)
            if name == "fsrs"
            else None
        ),
    )


def deck_lines(s: Stats, width: int = 14) -> list[str]:
    """``Decks  imbrave150, local`` (what the figures count) and, if any, the stored decks
    they leave out and how to count those too."""
    lines = [f"{'Decks':<{width}}{', '.join(s.decks_counted) or 'none'}"]
    if s.decks_not_counted:
        lines.append(
            f"{'Not counted':<{width}}{', '.join(s.decks_not_counted)} (in the database, not "
            "in use here; hccquiz stats --all-decks counts them)"
        )
    return lines


def level_words(s: Stats) -> str:
    """`` at level fellow`` (`` with the tag x``) when what is left today is limited to
    levels (tags), else nothing."""
    words = f" at level {' or '.join(s.level_filter)}" if s.level_filter else ""
    return words + (f" with the tag {' or '.join(s.tag_filter)}" if s.tag_filter else "")


def render_text(stats: Stats) -> str:
    """The plain-text report of ``hccquiz stats``: every figure named by what it counts."""
    s = stats
    retention = (
        f"{s.retention_30d:.1%} of {s.retention_reviews_30d:,} reviews of studied cards"
        if s.retention_30d is not None
        else "no reviews of studied cards yet"
    )
    left = s.left_today
    kinds = ", ".join(f"{s.reviews_by_kind.get(k, 0):,} {k}" for k in ("study", "drill", "quiz"))
    lines = [
        f"Database      {s.database}",
        f"Study day     {s.study_day.isoformat()}",
        *deck_lines(s),
        f"Left today    {left['total']:,} (new {left['new']:,}, learning {left['learning']:,}, "
        f"review {left['review']:,}): what a session would still ask{level_words(s)}, within "
        "daily limits",
        f"Cards         {s.cards_total:,} total, {s.cards_new:,} new (never studied), "
        f"{s.cards_suspended:,} suspended",
        f"Due           {s.due_today:,} today ({s.due_overdue:,} overdue), "
        f"{s.due_tomorrow:,} tomorrow, {s.due_next_7_days:,} in the next 7 days "
        "(studied cards by due day, before limits)",
        f"Grades given  {s.reviews_total:,} total, {s.reviews_today:,} today ({kinds}), every deck",
        f"Retention     {retention}, first grade of the day, last 30 days",
        f"Streak        {s.streak_days} day{'s' if s.streak_days != 1 else ''} with grades",
        f"Scheduler     {'FSRS-6' if s.scheduler == 'fsrs' else 'SM-2'}",
        *(render_fsrs(s.fsrs) if s.fsrs else ()),
        "",
        f"{'Level':<21}{'cards':>8}{'new':>8}{'learning':>10}{'mature':>8}{'suspended':>11}",
    ]
    for level, c in s.by_level.items():
        lines.append(
            f"{level:<21}{c.cards:>8,}{c.new:>8,}{c.learning:>10,}{c.mature:>8,}{c.suspended:>11,}"
        )
    if s.decks:
        lines += ["", f"{'Deck':<24}{'cards':>8}{'new':>8}{'due':>8}{'left today':>12}  limits"]
        for d in s.decks:
            day = s.today_by_deck.get(d["id"])
            today = f"{day['left_today']['total']:>12,}" if day else f"{'':>12}"
            limits = (f"{day['new_per_day']} new, {day['reviews_per_day']} reviews a day"
                      if day else "")  # fmt: skip
            lines.append(
                f"{d['id']:<24}{d['cards']:>8,}{d['new']:>8,}{d['due_today']:>8,}{today}  {limits}"
            )
            lines.append(f"{'':<24}{d['title']}")
    return "\n".join(lines)
