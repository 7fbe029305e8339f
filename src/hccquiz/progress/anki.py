"""Anki's review log as progress-log rows: notes are matched to items by their GUIDs.

An hccquiz export gives every note the GUID `hccquiz.anki.notes.note_guid` (deck id,
item id), so the deck files map a collection's notes back to items, and Anki's answers
become the same rows an hccquiz database gives. Anki's buttons are the four-button
scale (`hccquiz.grading.FOUR_BUTTON`); a card's first answer on a study day is its
``study`` grade and later ones the same day are ``drill``, as in hccquiz. Anki does not
record which option a choice card's reader had in mind, so ``picked`` stays empty.
Reviews of other notes, of deleted cards and manual reschedulings are skipped and counted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Any

from ..anki.notes import BASIC_MODEL_ID, CHOICE_MODEL_ID, CLOZE_MODEL_ID, note_guid
from ..clock import DayBoundary
from ..deck.content import item_contents
from ..deck.models import ChoiceItem, Deck
from ..grading import FOUR_BUTTON, answer_correct
from ..store import AnkiCollection
from .format import COLUMN_NAMES, FORMAT_VERSION

__all__ = ["SKIP_REASONS", "anki_rows"]

SKIP_REASONS = {
    "other": "of notes that did not come from hccquiz",
    "other-deck": "of hccquiz notes from decks not given (pass their files with --deck)",
    "deleted": "of cards deleted since",
    "manual": "that were manual reschedulings, not answers",
}
"""Why an Anki review is left out, as the export's summary says it."""

_OUR_NOTE_TYPES = {BASIC_MODEL_ID, CLOZE_MODEL_ID, CHOICE_MODEL_ID}


@dataclass(frozen=True, slots=True)
class _Target:
    deck_id: str
    item_id: str
    item_type: str
    content_hash: str
    levels: str
    options: str | None
    key: str | None


def _compact(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))


def _targets(decks: Sequence[Deck]) -> dict[str, _Target]:
    targets = {}
    for deck in decks:
        for item, (_, digest) in zip(deck.items, item_contents(deck.items), strict=True):
            options = key = None
            if isinstance(item, ChoiceItem):
                options = _compact(item.choices)
                key = _compact([item.answer] if isinstance(item.answer, str) else item.answer)
            levels = _compact([level.value for level in deck.item_levels(item)])
            targets[note_guid(deck.id, item.id)] = _Target(
                deck.id, item.id, item.type, digest, levels, options, key
            )
    return targets


def anki_rows(
    collection: AnkiCollection,
    decks: Sequence[Deck],
    *,
    trainee: str,
    tz: tzinfo | None = None,
) -> tuple[list[tuple[Any, ...]], Counter[str]]:
    """The collection's reviews of the decks' notes as rows (in `COLUMN_NAMES` order,
    oldest first), and how many reviews were skipped for each of `SKIP_REASONS`.

    Study days start at the collection's rollover hour in `tz` (None: local time).
    """
    targets = _targets(decks)
    boundary = DayBoundary(time(collection.rollover_hour), tz)
    scheduler = "anki-fsrs" if collection.fsrs else "anki-sm2"
    skipped: Counter[str] = Counter()
    seen_cards: set[tuple[str, int]] = set()
    seen_days: set[tuple[str, int, str]] = set()
    found: list[dict[str, Any]] = []
    for review in collection.reviews:
        if review.guid is None or review.ordinal is None:
            skipped["deleted"] += 1
            continue
        target = targets.get(review.guid)
        if target is None:
            skipped["other-deck" if review.notetype_id in _OUR_NOTE_TYPES else "other"] += 1
            continue
        if not 1 <= review.ease <= len(FOUR_BUTTON):
            skipped["manual"] += 1
            continue
        moment = datetime.fromtimestamp(review.revlog_id / 1000, UTC)
        day = boundary.day(moment)
        card_key = (review.guid, review.ordinal)
        day_key = (review.guid, review.ordinal, day.isoformat())
        if card_key not in seen_cards:
            state = "new"
        else:
            state = "learning" if review.type in (0, 2) else "review"
        kind = "drill" if day_key in seen_days else "study"
        seen_cards.add(card_key)
        seen_days.add(day_key)
        grade = int(FOUR_BUTTON[review.ease - 1].quality)
        interval = max(review.ivl, 0)
        minute = moment.replace(second=0, microsecond=0)
        found.append(
            {
                "deck_id": target.deck_id,
                "item_id": target.item_id,
                "card": review.ordinal + 1 if target.item_type == "cloze" else 1,
                "item_type": target.item_type,
                "content_hash": target.content_hash,
                "levels": target.levels,
                "kind": kind,
                "card_state": state,
                "grade": grade,
                "correct": "true" if answer_correct(grade) else "false",  # no picks
                "answer_ms": max(review.time_ms, 0),
                "reviewed_at": minute.strftime("%Y-%m-%dT%H:%M:00Z"),
                "day": day.isoformat(),
                "interval_days": interval,
                "due": (day + timedelta(days=interval)).isoformat(),
                "picked": None,
                "options": target.options,
                "key": target.key,
            }
        )
    constants = {
        "format_version": FORMAT_VERSION,
        "trainee": trainee,
        "log_rows": len(found),
        "app": "anki",
        "scheduler": scheduler,
    }
    rows = [
        tuple({**constants, **row, "seq": n}[name] for name in COLUMN_NAMES)
        for n, row in enumerate(found, 1)
    ]
    return rows, skipped
