"""Simulated learners under SM-2 and FSRS: reviews a day, true retention, cards known at the end.

Each run studies a deck of ``--cards`` cards, ``--new-per-day`` new ones a day, for ``--days``
days, with one scheduler, through hccquiz's own scheduler interface (`hccquiz.scheduler`),
exactly as a session asks it: only the first grade of a day moves SM-2, which drills cards
graded below Good until they pass; FSRS brings new and lapsed cards back through its learning
and relearning steps the same day. Intervals are fuzzed as in the app.

The learner's true memory is never the scheduler being tested. Two ground-truth models:

- ``fsrs``: FSRS-6 with per-card noise. Each card has its own parameters: initial
  stabilities scaled by a log-normal factor (sigma 0.5), initial difficulty and the growth
  of stability on recall shifted at random. The scheduler only sees the grades.
- ``actr``: an ACT-R-style power-law decay with the spacing effect (Pavlik and Anderson,
  2005): activation m = ln(sum of t_j^-d_j) over past presentations (t in days), each
  decaying at d_j = c * e^(m at presentation j) + a_card; recall probability
  1 / (1 + e^((tau - m) / s)), with c = 0.217 and s = 0.255 from that paper, tau = -0.28
  (a card seen once is recalled 3 times in 4 the next day), a_card ~ N(0.177, 0.04) and
  d_j at most 1. Its forgetting is a power law, not FSRS's curve.

Grades: a first sight of a card is rated as Anki's simulator rates them (Again 24%, Hard
9.4%, Good 49.5%, Easy 17.1%); a recall is sampled from the true model, then Hard 22.4%,
Good 63.1%, Easy 14.5%; a lapse is Again. The four buttons record qualities 2/3/4/5.

Per run: reviews a day (every answer, same-day steps and drills included; and of them the
first-of-day reviews of cards seen before, "due reviews"), true retention
(share of first-of-day reviews of seen cards that were recalled), cards known at the end
(the sum of every card's true recall probability on the day after the last) and minutes a
day at ``--seconds`` per answer. Deterministic with ``--seed``.

    .venv/bin/python bench/simulate.py [--cards 5000] [--days 365] [--seed 1] [--json]
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import random
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import fsrs as pyfsrs

from hccquiz.clock import DayBoundary
from hccquiz.fsrs import DEFAULT_PARAMETERS, FsrsConfig
from hccquiz.grading import Quality
from hccquiz.scheduler import Schedule, Scheduler, scheduler_for

START = date(2026, 1, 1)
FIRST_RATINGS = (0.24, 0.094, 0.495, 0.171)  # Again, Hard, Good, Easy on first sight
RECALL_RATINGS = (0.224, 0.631, 0.145)  # Hard, Good, Easy when recalled
QUALITIES = (Quality.AGAIN, Quality.HARD, Quality.GOOD, Quality.EASY)
RUNS = ("sm2", "fsrs@0.80", "fsrs@0.85", "fsrs@0.90")


def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# ---- ground truth -----------------------------------------------------------------------


class FsrsTruth:
    """FSRS-6 with per-card parameters (py-fsrs, no fuzz), on study days."""

    name = "fsrs"

    def __init__(self, cards: int, rng: random.Random) -> None:
        lo, hi = pyfsrs.scheduler.LOWER_BOUNDS_PARAMETERS, pyfsrs.scheduler.UPPER_BOUNDS_PARAMETERS
        self.schedulers = []
        for _ in range(cards):
            w = list(DEFAULT_PARAMETERS)
            k = math.exp(rng.gauss(0, 0.5))
            w[0:4] = [p * k for p in w[0:4]]
            w[4] += rng.gauss(0, 1.0)
            w[8] += rng.gauss(0, 0.2)
            w = [min(max(p, a), b) for p, a, b in zip(w, lo, hi, strict=True)]
            self.schedulers.append(pyfsrs.Scheduler(w, enable_fuzzing=False))
        self.cards: dict[int, pyfsrs.Card] = {}

    def recall(self, card: int, day: date, now: datetime) -> float:
        return self.schedulers[card].get_card_retrievability(self.cards[card], midnight(day))

    def present(self, card: int, rating: int, day: date, now: datetime) -> None:
        before = self.cards.get(card) or pyfsrs.Card(card_id=card, due=midnight(day))
        after, _ = self.schedulers[card].review_card(before, pyfsrs.Rating(rating), midnight(day))
        self.cards[card] = after


class ActrTruth:
    """ACT-R activation with the spacing effect; time in days."""

    name = "actr"
    C, TAU, S, MAX_DECAY = 0.217, -0.28, 0.255, 1.0

    def __init__(self, cards: int, rng: random.Random) -> None:
        self.alpha = [min(max(rng.gauss(0.177, 0.04), 0.08), 0.35) for _ in range(cards)]
        self.traces: dict[int, list[tuple[float, float]]] = {}  # (time, decay)

    @staticmethod
    def _t(now: datetime) -> float:
        return (now - midnight(START)).total_seconds() / 86400

    def _activation(self, card: int, t: float) -> float:
        total = sum(max(t - at, 1 / 1440) ** -d for at, d in self.traces.get(card, ()))
        return math.log(total) if total > 0 else -math.inf

    def recall(self, card: int, day: date, now: datetime) -> float:
        m = self._activation(card, self._t(now))
        return 1 / (1 + math.exp((self.TAU - m) / self.S))

    def present(self, card: int, rating: int, day: date, now: datetime) -> None:
        t = self._t(now)
        m = self._activation(card, t)
        spacing = self.C * math.exp(min(m, 2.0)) if m > -math.inf else 0.0
        decay = min(spacing + self.alpha[card], self.MAX_DECAY)
        self.traces.setdefault(card, []).append((t, decay))


TRUTHS = {"fsrs": FsrsTruth, "actr": ActrTruth}


# ---- one run ----------------------------------------------------------------------------


@dataclass
class Result:
    model: str
    scheduler: str
    retention_target: float | None
    reviews_per_day: float
    due_reviews_per_day: float
    true_retention: float
    known_at_end: float
    minutes_per_day: float
    cards_introduced: int


def make_scheduler(run: str) -> tuple[Scheduler, float | None]:
    if run == "sm2":
        return scheduler_for("sm2"), None
    retention = float(run.split("@")[1])
    config = FsrsConfig(desired_retention=retention)
    return scheduler_for("fsrs", config=config, boundary=DayBoundary(tz=UTC)), retention


class Run:
    """One learner, one scheduler, day after day."""

    def __init__(self, model: str, run: str, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(f"{args.seed}/{model}/{run}")
        self.truth = TRUTHS[model](args.cards, random.Random(f"{args.seed}/{model}/cards"))
        self.scheduler, self.retention = make_scheduler(run)
        self.schedules: dict[int, Schedule] = {}
        self.next_new = self.answers = self.recalls = self.due_reviews = 0

    def day(self, today: date) -> None:
        """One study day: due cards (most overdue first), new cards, then same-day steps."""
        self.now = midnight(today) + timedelta(hours=9)
        due = sorted(
            (s.due, c) for c, s in self.schedules.items() if s.due is not None and s.due <= today
        )
        fresh = range(self.next_new, min(self.next_new + self.args.new_per_day, self.args.cards))
        self.next_new += len(fresh)
        steps: list[tuple[datetime, int]] = []
        studied: set[int] = set()
        for card in [c for _, c in due] + list(fresh):
            self.answer(card, today, steps, studied)
        while steps:
            back, card = heapq.heappop(steps)
            self.now = max(self.now, back)
            self.answer(card, today, steps, studied)

    def answer(
        self, card: int, today: date, steps: list[tuple[datetime, int]], studied: set[int]
    ) -> None:
        first = card not in studied
        studied.add(card)
        if card not in self.schedules:
            rating = self.rng.choices(range(1, 5), FIRST_RATINGS)[0]
        else:
            recalled = self.rng.random() < self.truth.recall(card, today, self.now)
            if first:
                self.due_reviews += 1
                self.recalls += recalled
            rating = self.rng.choices((2, 3, 4), RECALL_RATINGS)[0] if recalled else 1
        self.truth.present(card, rating, today, self.now)
        out = self.scheduler.review(
            self.schedules.get(card, Schedule()),
            QUALITIES[rating - 1],
            day=today,
            now=self.now,
            first_of_day=first,
            seed=card,
        )
        self.schedules[card] = out.schedule
        self.answers += 1
        self.now += timedelta(seconds=self.args.seconds)
        if out.again_today:
            back = out.schedule.due_at or self.now + timedelta(minutes=10)
            heapq.heappush(steps, (back, card))


def simulate(model: str, run: str, args: argparse.Namespace) -> Result:
    r = Run(model, run, args)
    for offset in range(args.days):
        r.day(START + timedelta(days=offset))
    end = START + timedelta(days=args.days)
    known = sum(r.truth.recall(c, end, midnight(end) + timedelta(hours=9)) for c in r.schedules)
    per_day = r.answers / args.days
    return Result(
        model,
        "sm2" if r.retention is None else "fsrs",
        r.retention,
        round(per_day, 2),
        round(r.due_reviews / args.days, 2),
        round(r.recalls / r.due_reviews, 4) if r.due_reviews else 0.0,
        round(known, 1),
        round(per_day * args.seconds / 60, 2),
        len(r.schedules),
    )


# ---- report -----------------------------------------------------------------------------


def table(results: Iterable[Result]) -> str:
    rows = list(results)
    lines = [
        "| truth | scheduler | reviews/day | vs SM-2 | of them due reviews | true retention "
        "| known at end | vs SM-2 | min/day |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    base = {r.model: r for r in rows if r.scheduler == "sm2"}
    for r in rows:
        b = base.get(r.model)
        name = "SM-2" if r.retention_target is None else f"FSRS @ {r.retention_target:.2f}"
        fewer = f"{r.reviews_per_day / b.reviews_per_day - 1:+.0%}" if b else ""
        known = f"{r.known_at_end / b.known_at_end - 1:+.1%}" if b else ""
        lines.append(
            f"| {r.model} | {name} | {r.reviews_per_day:.1f} | {fewer} "
            f"| {r.due_reviews_per_day:.1f} | {r.true_retention:.1%} "
            f"| {r.known_at_end:,.0f} | {known} | {r.minutes_per_day:.1f} |"
        )
    return "\n".join(lines)


def at_equal_knowledge(results: Iterable[Result]) -> str:
    """Per truth: FSRS's reviews a day at SM-2's cards known, interpolated between the
    desired retentions run (the fair reading of "fewer reviews for as much knowledge")."""
    rows = list(results)
    lines = []
    for model in dict.fromkeys(r.model for r in rows):
        base = next((r for r in rows if r.model == model and r.scheduler == "sm2"), None)
        runs = sorted(
            (r for r in rows if r.model == model and r.scheduler == "fsrs"),
            key=lambda r: r.known_at_end,
        )
        if base is None or len(runs) < 2:
            continue
        target = base.known_at_end
        pair = next(
            ((a, b) for a, b in pairwise(runs) if a.known_at_end <= target <= b.known_at_end),
            None,
        )
        if pair is None:
            side = "above" if target > runs[-1].known_at_end else "below"
            lines.append(f"- {model}: SM-2's {target:,.0f} cards known is {side} every FSRS run")
            continue
        a, b = pair
        share = (target - a.known_at_end) / ((b.known_at_end - a.known_at_end) or 1)
        reviews = a.reviews_per_day + share * (b.reviews_per_day - a.reviews_per_day)
        retention = (a.retention_target or 0) + share * (
            (b.retention_target or 0) - (a.retention_target or 0)
        )
        lines.append(
            f"- {model}: FSRS knows as many cards as SM-2 ({target:,.0f}) at desired retention "
            f"~{retention:.3f} with {reviews:.1f} reviews a day, "
            f"{reviews / base.reviews_per_day - 1:+.0%} against SM-2's {base.reviews_per_day:.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--new-per-day", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per answer")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--models", default="fsrs,actr")
    parser.add_argument("--runs", default=",".join(RUNS))
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    results = []
    for model in args.models.split(","):
        for run in args.runs.split(","):
            started = time.perf_counter()
            results.append(simulate(model, run, args))
            print(f"{model} {run}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if args.json:
        print(json.dumps([asdict(r) for r in results], indent=2))
    else:
        print(
            f"{args.cards} cards, {args.new_per_day} new a day, {args.days} days, "
            f"{args.seconds:g} s an answer, seed {args.seed}\n"
        )
        print(table(results))
        print()
        print(at_equal_knowledge(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
