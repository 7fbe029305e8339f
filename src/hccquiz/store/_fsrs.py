"""Switching schedulers: FSRS memory replayed from the review log, SM-2 taken back; the log
read for fitting; FSRS's figures for the stats.

A switch is one write transaction that ends by storing the ``scheduler`` setting: a process
killed halfway leaves the database exactly as it was, on the scheduler it had. The review
log is never changed, only read (``study`` and ``drill`` rows; quiz answers move nothing).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ..clock import DayBoundary
from ..grading import PASS
from ..optimizer import History, replay
from ..scheduler import SchedulerName
from ._connection import Connection
from ._recall import forget_recalls, record_recall
from ._records import FsrsFigures
from ._rows import instant_text

__all__ = ["FsrsWrites", "Switch"]

Progress = Callable[[int, int], None]
"""Told (done, in all) as a replay goes: answers read, then answers replayed."""

_CHUNK = 4000
"""Cards replayed per batch (fsrs-rs call, then their writes)."""
_ANSWERS = "SELECT count(*) FROM reviews WHERE kind IN ('study', 'drill')"
_LOG = "SELECT card_id, id, day, quality FROM reviews WHERE kind IN ('study', 'drill') ORDER BY id"
_RESETS = "SELECT card_id, max(after_review) FROM card_resets GROUP BY card_id"
"""Each reset card's latest reset: its answers up to that review are not replayed."""
_SET = (
    "INSERT INTO settings (key, value) VALUES ('scheduler', ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
_FORGET = (
    "UPDATE cards SET fsrs_phase = NULL, fsrs_step = NULL, stability = NULL, "
    "difficulty = NULL, last_day = NULL WHERE fsrs_phase IS NOT NULL"
)


def _none(done: int, total: int) -> None:
    """A progress callback that shows nothing."""


@dataclass(frozen=True, slots=True)
class Switch:
    """What a switch did: the scheduler now in force, cards given an FSRS memory (or whose
    FSRS step was handed back to SM-2), answers replayed, and cards left in a same-day step."""

    scheduler: SchedulerName
    cards: int
    answers: int
    in_steps: int = 0


_Answer = tuple[int, date, int]  # review id, study day, quality
_Card = tuple[int, list[_Answer]]  # card id, its answers oldest first


def _read_log(
    conn: sqlite3.Connection, progress: Callable[[int], None]
) -> dict[int, list[_Answer]]:
    """Every card's answers, oldest first, read in one pass in log order (the fastest
    read: sequential, no index), grouped in memory; a card reset to new in the browser
    (``card_resets``) keeps only its answers after its latest reset."""
    days: dict[str, date] = {}
    cards: dict[int, list[_Answer]] = {}
    reset = dict(conn.execute(_RESETS).fetchall())  # card -> its answers up to here are gone
    cursor = conn.execute(_LOG)
    done = 0
    while rows := cursor.fetchmany(50000):
        for card_id, review_id, day, quality in rows:
            if reset and review_id <= reset.get(card_id, 0):
                continue  # answered before the card was reset to new
            when = days.get(day)
            if when is None:
                when = days[day] = date.fromisoformat(day)
            answers = cards.get(card_id)
            if answers is None:
                cards[card_id] = [(review_id, when, quality)]
            else:
                answers.append((review_id, when, quality))
        done += len(rows)
        progress(done)
    return cards


class FsrsWrites(Connection):
    """The scheduler half of `Store`: switching, reading the log for a fit, FSRS figures."""

    def scheduler_in_force(self) -> SchedulerName:
        """The stored ``scheduler`` setting (SM-2 when none is stored)."""
        from ..scheduling_choices import DEFAULT_SCHEDULER, check_scheduler_name

        stored = self.settings_of("scheduler").get("scheduler", DEFAULT_SCHEDULER)
        try:
            return check_scheduler_name(stored)
        except ValueError:
            return DEFAULT_SCHEDULER

    def switch_to_fsrs(
        self,
        parameters: Sequence[float],
        *,
        now: datetime,
        boundary: DayBoundary,
        progress: Progress = _none,
        settings: Mapping[str, str] | None = None,
    ) -> Switch:
        """Replay the whole log into FSRS memories and put FSRS in force, in one transaction.

        Due dates stay as they are (as Anki does when the scheduler changes without
        rescheduling); a card answered today that FSRS would have in a learning or
        relearning step comes back when that step ends. Predicted recalls before every
        delayed recall are kept for the calibration table. ``settings`` are stored in the
        same transaction (new parameters with the memories they give).
        """
        today = boundary.day(now)
        answers = steps = 0
        with self._write() as conn:
            total = conn.execute(_ANSWERS).fetchone()[0]
            progress(0, 2 * total)
            log = _read_log(conn, lambda done: progress(done, 2 * total))
            forget_recalls(conn)
            conn.execute(_FORGET)
            recalls: list[tuple[int, float, int]] = []
            ids = sorted(log)
            for start in range(0, len(ids), _CHUNK):
                batch = [(card_id, log.pop(card_id)) for card_id in ids[start : start + _CHUNK]]
                steps += self._replayed(conn, batch, parameters, today, boundary, recalls)
                answers += sum(len(a) for _, a in batch)
                progress(total + answers, 2 * total)
            recalls.sort()  # appended in key order: far faster than random inserts
            record_recall(conn, recalls)
            conn.execute(_SET, ("fsrs",))
            for key, value in (settings or {}).items():
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            progress(2 * total, 2 * total)
        return Switch("fsrs", len(ids), answers, steps)

    @staticmethod
    def _replayed(
        conn: sqlite3.Connection,
        batch: list[_Card],
        parameters: Sequence[float],
        today: date,
        boundary: DayBoundary,
        recalls: list[tuple[int, float, int]],
    ) -> int:
        """Replay a batch of cards, write their memories and steps; collect predictions."""
        histories: list[History] = [[(day, q) for _, day, q in answers] for _, answers in batch]
        memories: list[tuple[object, ...]] = []
        steps: list[tuple[str, str, int]] = []
        for (card_id, answers), done in zip(
            batch, replay(histories, parameters, today=today), strict=True
        ):
            m = done.memory
            row = (int(m.phase), m.step, m.stability, m.difficulty, m.last_day.isoformat())
            memories.append((*row, card_id))
            if done.step is not None:
                at = conn.execute(
                    "SELECT reviewed_at FROM reviews WHERE id = ?", (answers[-1][0],)
                ).fetchone()[0]
                due_at = datetime.fromisoformat(at) + done.step
                due = max(boundary.day(due_at), today).isoformat()
                steps.append((instant_text(due_at) or "", due, card_id))
            recalls.extend(
                (answers[k][0], p, int(answers[k][2] >= PASS)) for k, p in done.predicted
            )
        conn.executemany(
            "UPDATE cards SET fsrs_phase = ?, fsrs_step = ?, stability = ?, difficulty = ?, "
            "last_day = ? WHERE id = ?",
            memories,
        )
        conn.executemany("UPDATE cards SET due_at = ?, due = ? WHERE id = ?", steps)
        return len(steps)

    def switch_to_sm2(self) -> Switch:
        """Put SM-2 in force, in one transaction. SM-2's state was advanced by every first
        grade of a day meanwhile; a card in an FSRS step is due when SM-2 says (its last
        study day plus its SM-2 interval); FSRS memories and predictions are dropped."""
        with self._write() as conn:
            handed = conn.execute(
                "UPDATE cards SET due = date((SELECT max(r.day) FROM reviews r "
                "WHERE r.card_id = cards.id AND r.kind = 'study'), '+' || interval || ' days'), "
                "due_at = NULL WHERE due_at IS NOT NULL"
            ).rowcount
            conn.execute(_FORGET)
            forget_recalls(conn)
            conn.execute(_SET, ("sm2",))
        return Switch("sm2", handed, 0)

    def review_histories(self) -> list[History]:
        """Every card's answers that move a schedule (study and drill), oldest first."""
        with self._read() as conn:
            log = _read_log(conn, lambda done: None)
        return [[(day, q) for _, day, q in log[card_id]] for card_id in sorted(log)]

    def fsrs_figures(self, *, cards: bool = False) -> FsrsFigures:
        """The FSRS memory of every active, unsuspended card that has one (each card's,
        in deck order, with ``cards``) and the calibration rows, in one snapshot."""
        where = (  # an active card of an active item has a label (migration 0003)
            "FROM cards c JOIN items i ON i.id = c.item_id WHERE c.retired = 0 "
            "AND c.label IS NOT NULL AND c.suspended = 0 AND c.stability IS NOT NULL"
        )
        lean = "FROM cards c WHERE " + where.split(" WHERE ", 1)[1]
        days: dict[str, date] = {}
        with self._read() as conn:
            memories = [
                (stability, days.get(day) or days.setdefault(day, date.fromisoformat(day)))
                for stability, day in conn.execute(f"SELECT c.stability, c.last_day {lean}")
            ]
            each = None
            if cards:
                each = [
                    (*row[:6], date.fromisoformat(row[6]), row[7])
                    for row in conn.execute(
                        "SELECT c.id, i.deck_id, i.key, c.number, c.stability, c.difficulty, "
                        f"c.last_day, c.due {where} ORDER BY c.new_rank"
                    )
                ]
            calibration = conn.execute(
                "SELECT bin, reviews, predicted / reviews, recalled FROM fsrs_calibration "
                "WHERE reviews > 0 ORDER BY bin"
            ).fetchall()
        return FsrsFigures(memories, [tuple(row) for row in calibration], each)
