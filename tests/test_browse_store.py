"""Card search (FTS5, kept in step with sync), the browser's reads, and resets to new that
keep the history (issue 15)."""

from __future__ import annotations

import random
import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hccquiz.clock import FixedClock
from hccquiz.store import BROWSE_STATES, SORT_KEYS, BrowseQuery, Store, StoreError
from hccquiz.store._schema import MIGRATION_NAMES
from hccquiz.store._search import SEARCH_MIGRATION, match_expression
from hccquiz.study import Session, StudyConfig, sync_files

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)

DECK = """\
id: searchdeck
title: "Search deck"
levels: [resident]
tags: [hcc]
items:
  - id: os-hr
    source: "Key Findings 1"
    question: "What was the overall survival hazard ratio?"
    answer: "0.58"
    explanation: "95% CI, 0.42 to 0.79."
  - id: pfs-cloze
    type: cloze
    levels: [fellow]
    tags: [efficacy]
    text: "Median PFS {{c1::6.8 months}} vs {{c2::4.3 months}} with sorafenib."
  - id: varices
    type: choice
    levels: [attending]
    stem: "A man with large oesophageal varices and Child-Pugh A cirrhosis."
    lead_in: "Which is the next step?"
    choices:
      - text: "Band ligation first"
        why: "Bevacizumab raises the bleeding risk."
      - "Start treatment now"
    answer: "Band ligation first"
    objective: "Treat high-risk varices before bevacizumab."
  - id: endpoints
    type: choice
    question: "Which were the primary endpoints?"
    choices: ["OS", "PFS", "ORR"]
    answer: ["OS", "PFS"]
"""


def _store(tmp_path: Path, text: str = DECK) -> tuple[Store, Path]:
    deck = tmp_path / "deck.yaml"
    deck.write_text(text, encoding="utf-8")
    store = Store.open(tmp_path / "p.db", durable=False)
    sync_files(store, [deck], now=NOW)
    return store, deck


def _items(store: Store, search: str, **query: object) -> list[str]:
    rows = store.browse(BrowseQuery(search=search, **query), today=TODAY)  # type: ignore[arg-type]
    return [f"{r.item_id}/{r.number}" for r in rows]


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("hazard", ["os-hr/1"]),
        ("haz", ["os-hr/1"]),  # the word being typed matches as a prefix
        ("0.58", ["os-hr/1"]),  # punctuation is matched as words in a row, not syntax
        ("0.42 to", ["os-hr/1"]),  # the explanation
        ("sorafenib", ["pfs-cloze/1", "pfs-cloze/2"]),  # cloze text
        ("ligation", ["varices/1"]),  # a choice's text
        ("bleeding risk", ["varices/1"]),  # a choice's why
        ("oesophageal", ["varices/1"]),  # the stem
        ("next step", ["varices/1"]),  # the lead-in
        ("high-risk", ["varices/1"]),  # the objective
        ("ORR", ["endpoints/1"]),
        ("key findings", ["os-hr/1"]),  # the source
        ("os-hr", ["os-hr/1"]),  # the item id
        ('"hazard ratio"', ["os-hr/1"]),
        ('"ratio hazard"', []),  # a phrase keeps its word order
        ("question:varices", []),  # one column: varices is not in a question
        ("stem:varices", ["varices/1"]),
        ("hazard nonsense", []),  # every word must match
        ('" - _ . "', ["os-hr/1", "pfs-cloze/1", "pfs-cloze/2", "varices/1", "endpoints/1"]),
        ("OESOPHAGÉAL", ["varices/1"]),  # case and accents do not matter
    ],
)
def test_search_covers_every_field_a_card_shows(tmp_path: Path, search: str, found: list[str]):
    store, _ = _store(tmp_path)
    with store:
        assert _items(store, search) == found


def test_any_typed_text_is_a_valid_query(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    rng = random.Random(3)
    alphabet = "ab \"*:()-^+.,NEAR AND OR NOT{}[]\\'é0"
    with store:
        for _ in range(300):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            store.browse(BrowseQuery(search=text), today=TODAY)  # never an FTS5 syntax error
            store.browse_count(BrowseQuery(search=text), today=TODAY)
    assert match_expression("") is None and match_expression("  -- ") is None


def _scan(store: Store) -> dict[str, set[str]]:
    """Words -> item ids, by reading every item's content in Python (the reference)."""
    words: dict[str, set[str]] = {}
    with store._read() as conn:
        for key, content in conn.execute(
            "SELECT i.key, t.content FROM items i JOIN item_content t ON t.item_id = i.id"
        ):
            for word in re.findall(r"[^\W_]+", content.lower()):
                words.setdefault(word, set()).add(key)
    return words


def test_the_index_follows_every_sync_edit(tmp_path: Path) -> None:
    """Edits, removals and returns through sync: every word finds exactly the items whose
    content holds it (a contentless index deleted with the wrong values would not)."""
    store, deck = _store(tmp_path)
    rng = random.Random(11)
    vocabulary = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    with store:
        for round_ in range(12):
            items = []
            for n in range(8):
                if rng.random() < 0.25:
                    continue  # removed this round (retired), back later
                words = " ".join(rng.choice(vocabulary) for _ in range(5))
                items.append(f'  - id: item-{n}\n    question: "{words} {round_}?"\n'
                             f'    answer: "{rng.choice(vocabulary)}"\n')  # fmt: skip
            deck.write_text("id: searchdeck\ntitle: t\nlevels: [resident]\nitems:\n"
                            + "".join(items), encoding="utf-8")  # fmt: skip
            sync_files(store, [deck], now=NOW + timedelta(minutes=round_))
            reference = _scan(store)
            for word in vocabulary:
                rows = store.browse(BrowseQuery(search=f"{word} ", state="all"), today=TODAY)
                retired = store.browse(BrowseQuery(search=f"{word} ", state="retired"),
                                       today=TODAY)  # fmt: skip
                got = {r.item_id for r in rows} | {r.item_id for r in retired}
                assert got == reference.get(word, set()), (round_, word)


def test_the_migration_indexes_items_already_stored(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    with store:
        with store._write() as conn:
            conn.execute("INSERT INTO card_search (card_search) VALUES ('delete-all')")
        assert _items(store, "hazard") == []
        with store._write() as conn:
            conn.execute(SEARCH_MIGRATION[1])  # what 0006_card_search runs on an existing file
        assert _items(store, "hazard") == ["os-hr/1"]


def _grade(store: Store, day: date, quality: int = 4) -> None:
    session = Session(store, clock=FixedClock(datetime.combine(day, datetime.min.time(),
                      UTC) + timedelta(hours=12)), config=StudyConfig(drill=False))  # fmt: skip
    while session.next_card() is not None:
        session.grade(quality)


def test_states_filters_and_every_sort(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    with store:
        assert store.browse_count(BrowseQuery(), today=TODAY) == 5
        _grade(store, TODAY - timedelta(days=3))
        first = store.browse(BrowseQuery(), today=TODAY)
        store.suspend_cards([first[0].card_id], True)
        for state in BROWSE_STATES:
            for sort in SORT_KEYS:
                for descending in (False, True):
                    q = BrowseQuery(state=state, sort=sort, descending=descending)
                    rows = store.browse(q, today=TODAY)
                    assert len(rows) == store.browse_count(q, today=TODAY)
        assert _items(store, "", state="suspended") == ["os-hr/1"]
        # studied 3 days ago, so due; the suspended one left out, the cloze sibling buried
        assert _items(store, "", state="due") == ["pfs-cloze/1", "varices/1", "endpoints/1"]
        assert _items(store, "", state="new") == ["pfs-cloze/2"]
        assert _items(store, "", levels=("fellow",)) == ["pfs-cloze/1", "pfs-cloze/2"]
        assert _items(store, "", tags=("efficacy",)) == ["pfs-cloze/1", "pfs-cloze/2"]
        assert _items(store, "", decks=("other",)) == []
        by_item = _items(store, "", sort="item", descending=True)
        assert by_item[0] == "varices/1" and by_item[-1] == "endpoints/1"
        assert store.tags_in_use() == ["efficacy", "hcc"]
        row = store.browse_rows([first[0].card_id])[0]
        assert row.suspended and row.last_grade == 4 and row.lapses == 0


def test_learning_is_todays_drill(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    with store:
        session = Session(store, clock=FixedClock(NOW), config=StudyConfig())
        card = session.next_card()
        assert card is not None
        session.grade(1 + 1)  # Again: back in today's drill
        assert _items(store, "", state="learning") == [f"{card.item.id}/{card.number}"]
        row = store.browse(BrowseQuery(state="learning"), today=TODAY)[0]
        assert row.last_grade == 2


def test_reset_to_new_keeps_the_history_and_logs_itself(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    with store:
        _grade(store, TODAY - timedelta(days=10), quality=2)  # a lapse-free first grade
        _grade(store, TODAY - timedelta(days=9), quality=2)
        card = store.browse(BrowseQuery(), today=TODAY)[0]
        log_before = store.reviews(card.card_id)
        assert len(log_before) == 2 and card.lapses == 1
        assert store.reset_cards([card.card_id], reset_at=NOW, day=TODAY) == 1
        assert store.reset_cards([card.card_id], reset_at=NOW, day=TODAY) == 0  # already new
        now = store.card(card.card_id)
        assert now.schedule.is_new and now.schedule.state.ef100 == 250
        assert store.reviews(card.card_id) == log_before  # every review kept
        events = store.card_events(card.card_id)
        assert [e.kind for e in events] == ["study", "study", "reset"]
        assert events[-1].interval_before == log_before[-1].after.state.interval
        with store._read() as conn:
            after = conn.execute(
                "SELECT after_review FROM card_resets WHERE card_id = ?", (card.card_id,)
            ).fetchone()[0]
        assert after == log_before[-1].id  # a replay skips this card's reviews up to here
        assert _items(store, "", state="new")[0] == f"{card.item_id}/{card.number}"
        with pytest.raises(StoreError):  # the reviews before a reset cannot be undone
            store.undo_review(log_before[-1].id)
        with pytest.raises(StoreError, match="before a reset"), store._write() as conn:
            conn.execute("DELETE FROM reviews WHERE id = ?", (log_before[-1].id,))
        with pytest.raises(StoreError, match="append-only"), store._write() as conn:
            conn.execute("DELETE FROM card_resets")
        with pytest.raises(StoreError, match="no card"):
            store.reset_cards([99999], reset_at=NOW, day=TODAY)
        # studied again: it is a new card's first answer, after the reset in the history
        _grade(store, TODAY)
        assert [e.kind for e in store.card_events(card.card_id)] == [
            "study", "study", "reset", "study"
        ]  # fmt: skip
        assert store.reviews(card.card_id)[-1].before.is_new


_WITHOUT_0006 = (
    *(f"DROP TRIGGER {t}" for t in ("card_search_insert", "card_search_update",
      "card_search_delete", "reviews_before_reset_kept", "card_resets_append_only",
      "card_resets_kept")),
    "DROP INDEX cards_by_rank",
    "DROP TABLE card_resets",
    "DROP TABLE card_search",
    "DELETE FROM _sqlite_migrations WHERE name = '0006_card_search'",
)  # fmt: skip
"""What takes ``0006_card_search`` out of a database: a file written by an hccquiz that had
``0007_picked_options`` (main before the browser) but not the card search."""


def _applied(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        conn.close()


def test_a_database_with_0007_gets_0006_and_then_opens_on_the_fast_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = _store(tmp_path)
    store.close()
    db = tmp_path / "p.db"
    conn = sqlite3.connect(db)
    with conn:
        for statement in _WITHOUT_0006:
            conn.execute(statement)
    conn.close()
    assert "0007_picked_options" in _applied(db) and "0006_card_search" not in _applied(db)
    with Store.open(db) as store:  # the missing lower-numbered migration is applied
        assert _items(store, "hazard") == ["os-hr/1"]  # items already stored are indexed
        card = store.browse(BrowseQuery(), today=TODAY)[0]
        assert store.reset_cards([card.card_id], reset_at=NOW, day=TODAY) == 0  # new already
    assert sorted(_applied(db)) == sorted(MIGRATION_NAMES)
    assert _applied(db)[-2:] == ["0007_picked_options", "0006_card_search"]
    assert list(tmp_path.glob("p.db.before-0006_card_search*.bak"))  # backed up first

    def no_migrations() -> None:
        raise AssertionError("an up-to-date database must not build the migrations")

    monkeypatch.setattr("hccquiz.store._connection.build_migrations", no_migrations)
    with Store.open(db) as store:  # up to date, whatever order the names were applied in
        assert _items(store, "hazard") == ["os-hr/1"]


def test_a_reset_card_is_new_under_fsrs_too_and_replays_start_after_the_reset(
    tmp_path: Path,
) -> None:
    from hccquiz.clock import DayBoundary
    from hccquiz.study.scheduling import switch_scheduler

    store, _ = _store(tmp_path)
    with store:
        _grade(store, TODAY - timedelta(days=10))
        _grade(store, TODAY - timedelta(days=5))
        switch_scheduler(store, "fsrs", now=NOW, boundary=DayBoundary())
        reset, kept = (r.card_id for r in store.browse(BrowseQuery(), today=TODAY)[:2])
        assert store.card(reset).schedule.memory is not None  # FSRS remembers both
        assert store.reset_cards([reset], reset_at=NOW, day=TODAY) == 1
        card = store.card(reset)
        assert card.schedule.is_new and card.schedule.memory is None  # new for FSRS too
        assert card.schedule.due_at is None
        # a replay (switching again, or a fit) starts the card afresh after its reset
        switch_scheduler(store, "sm2", now=NOW, boundary=DayBoundary())
        switch_scheduler(store, "fsrs", now=NOW, boundary=DayBoundary())
        assert store.card(reset).schedule.memory is None
        assert store.card(kept).schedule.memory is not None
        graded = {r.card_id for r in store.reviews()}
        assert reset in graded and len(store.review_histories()) == len(graded) - 1


def test_learning_includes_a_card_in_an_fsrs_step(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    with store:
        card = store.browse(BrowseQuery(), today=TODAY)[0]
        assert _items(store, "", state="learning") == []
        with store._write() as conn:  # as FSRS leaves a card answered Again: a step today
            conn.execute(
                "UPDATE cards SET due = ?, due_at = ?, fsrs_phase = 3 WHERE id = ?",
                (TODAY.isoformat(), "2026-11-23T15:10:00Z", card.card_id),
            )
        assert _items(store, "", state="learning") == [f"{card.item_id}/{card.number}"]
