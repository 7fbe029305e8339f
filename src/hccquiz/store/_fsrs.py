"""Switching schedulers: FSRS memory replayed from the review log, SM-2 taken back; the log
read for fitting; FSRS's figures for the stats.

A switch is one write transaction that ends by storing the ``scheduler`` setting: a process
killed halfway leaves the database exactly as it was, on the scheduler it had. The review
log is never changed, only read (``study`` and ``drill`` rows; quiz answers move nothing).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ..clock import DayBoundary
from ..grading import PASS
from ..optimizer import History, replay
from ..scheduler import SchedulerName
from ._connection import Connection
from ._records import FsrsFigures
from ._rows import instant_text

__all__ = ["FsrsWrites", "Switch"]

Progress = Callable[[int, int], None]
"""Told (answers done, answers in all) as a replay goes."""

_CHUNK = 4000
"""Cards replayed per batch (fsrs-rs call, then their writes)."""
_ANSWERS = "SELECT count(*) FROM reviews WHERE kind IN ('study', 'drill')"
_LOG = (
    "SELECT card_id, id, day, quality, reviewed_at FROM reviews INDEXED BY reviews_by_card "
    "WHERE kind IN ('study', 'drill') ORDER BY card_id, id"
)
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


_Card = tuple[int, list[tuple[int, date, int, str]]]  # card id, [(review id, day, quality, at)]


def _cards(conn: sqlite3.Connection) -> Iterator[_Card]:
    """Each card's answers, oldest first, one card at a time."""
    cursor = conn.execute(_LOG)
    current: int | None = None
    answers: list[tuple[int, date, int, str]] = []
    while rows := cursor.fetchmany(20000):
        for card_id, review_id, day, quality, at in rows:
            if card_id != current:
                if current is not None:
                    yield current, answers
                current, answers = card_id, []
            answers.append((review_id, date.fromisoformat(day), quality, at))
    if current is not None:
        yield current, answers


class FsrsWrites(Connection):
    """The scheduler half of `Store`: switching, reading the log for a fit, FSRS figures."""

    def scheduler_in_force(self) -> SchedulerName:
        """The stored ``scheduler`` setting (SM-2 when none is stored)."""
        from ..scheduler import DEFAULT_SCHEDULER, check_scheduler_name

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
        cards = answers = steps = 0
        with self._write() as conn:
            total = conn.execute(_ANSWERS).fetchone()[0]
            progress(0, total)
            conn.execute("DELETE FROM fsrs_recall")
            conn.execute(_FORGET)
            batch: list[_Card] = []
            for card in _cards(conn):
                batch.append(card)
                if len(batch) >= _CHUNK:
                    steps += self._replayed(conn, batch, parameters, today, boundary)
                    cards, answers = cards + len(batch), answers + sum(len(a) for _, a in batch)
                    batch = []
                    progress(answers, total)
            if batch:
                steps += self._replayed(conn, batch, parameters, today, boundary)
                cards, answers = cards + len(batch), answers + sum(len(a) for _, a in batch)
            conn.execute(_SET, ("fsrs",))
            for key, value in (settings or {}).items():
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            progress(answers, total)
        return Switch("fsrs", cards, answers, steps)

    @staticmethod
    def _replayed(
        conn: sqlite3.Connection,
        batch: list[_Card],
        parameters: Sequence[float],
        today: date,
        boundary: DayBoundary,
    ) -> int:
        histories: list[History] = [[(day, q) for _, day, q, _ in answers] for _, answers in batch]
        memories: list[tuple[object, ...]] = []
        steps: list[tuple[str, str, int]] = []
        recalls: list[tuple[int, float, int]] = []
        for (card_id, answers), done in zip(
            batch, replay(histories, parameters, today=today), strict=True
        ):
            m = done.memory
            row = (int(m.phase), m.step, m.stability, m.difficulty, m.last_day.isoformat())
            memories.append((*row, card_id))
            if done.step is not None:
                due_at = datetime.fromisoformat(answers[-1][3]) + done.step
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
        conn.executemany(
            "INSERT INTO fsrs_recall (review_id, predicted, recalled) VALUES (?, ?, ?)", recalls
        )
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
            conn.execute("DELETE FROM fsrs_recall")
            conn.execute(_SET, ("sm2",))
        return Switch("sm2", handed, 0)

    def review_histories(self) -> list[History]:
        """Every card's answers that move a schedule (study and drill), oldest first."""
        with self._read() as conn:
            return [[(day, q) for _, day, q, _ in answers] for _, answers in _cards(conn)]

    def fsrs_figures(self) -> FsrsFigures:
        """The FSRS memory of every active, unsuspended card that has one, and the
        calibration rows (per tenth of predicted recall), in one snapshot."""
        with self._read() as conn:
            memories = [
                (*row[:7], date.fromisoformat(row[7]), row[8])
                for row in conn.execute(
                    "SELECT c.id, i.deck_id, i.key, c.number, c.fsrs_phase, c.stability, "
                    "c.difficulty, c.last_day, c.due FROM cards c "
                    "JOIN items i ON i.id = c.item_id WHERE c.retired = 0 AND i.retired = 0 "
                    "AND c.suspended = 0 AND c.stability IS NOT NULL ORDER BY c.new_rank"
                )
            ]
            calibration = conn.execute(
                "SELECT min(CAST(predicted * 10 AS INTEGER), 9) AS bin, count(*), "
                "avg(predicted), sum(recalled) FROM fsrs_recall GROUP BY bin ORDER BY bin"
            ).fetchall()
        return FsrsFigures(memories, [tuple(row) for row in calibration])
