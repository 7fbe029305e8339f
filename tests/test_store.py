"""The progress store on real SQLite files: opening, refusing, migrating, syncing, reviews."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from hccquiz.errors import DeckError
from hccquiz.sm2 import SM2State, review
from hccquiz.store import (
    APPLICATION_ID,
    DB_ENV,
    CorruptDatabase,
    NotHccquizDatabase,
    Schedule,
    StaleCard,
    Store,
    StoreError,
    build_migrations,
    default_db_path,
    resolve_db_path,
)
from hccquiz.store._schema import MIGRATION_NAMES
from hccquiz.study.sync import sync_files

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
DAY = date(2025, 3, 1)


@dataclass(frozen=True)
class Filt:
    decks: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def basic(item_id: str, question: str = "Q?", **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "question": question, "answer": "A", **extra}


def cloze(item_id: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"id": item_id, "type": "cloze", "text": text, **extra}


def write_deck(
    path: Path, items: list[dict[str, Any]], deck_id: str = "demo", **extra: Any
) -> Path:
    data = {"id": deck_id, "title": deck_id.title(), "levels": ["resident"], **extra}
    data["items"] = items
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "progress.db") as opened:
        yield opened


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cards_by_key(store: Store) -> dict[tuple[str, int], int]:
    return {(c.item_id, c.number): c.id for c in store.cards(store.card_ids())}


def study(store: Store, card_id: int, quality: int, *, day: date = DAY, kind: str = "study"):
    card = store.card(card_id)
    before = card.schedule
    if kind == "study":
        state = review(before.state, quality)
        after = Schedule(state, day + timedelta(days=state.interval))
    else:
        after = before
    at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=12)
    return store.record_review(
        card_id,
        kind=kind,
        quality=quality,
        reviewed_at=at,
        day=day,
        before=before,
        after=after,
        answer_ms=1500,
    )


# ---- opening -------------------------------------------------------------------------------


def test_new_database_settings(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "p.db"
    Store.open(path).close()
    header = path.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATION_NAMES)
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    assert names == [
        "0001_initial",
        "0002_hot_path_indexes",
        "0003_stats_labels",
        "0004_reviews_by_day_covering",
        "0005_fsrs",
        "0006_card_search",
        "0007_picked_options",
    ]
    assert names == list(MIGRATION_NAMES)
    conn.close()
    with Store.open(path) as store:
        assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_reopen_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Store.open(path).close()
    before = sha(path)
    Store.open(path).close()
    assert sha(path) == before
    assert not list(tmp_path.glob("*.bak"))


def test_zero_byte_file_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.touch()
    Store.open(path).close()
    assert int.from_bytes(path.read_bytes()[68:72], "big") == APPLICATION_ID


def _foreign_sqlite(path: Path, app_id: int = 0) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda p: p.write_text("just some notes\n" * 20), NotHccquizDatabase, "not a SQLite"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00"), NotHccquizDatabase, "not a SQLite"),
        (lambda p: _foreign_sqlite(p), NotHccquizDatabase, "tables: notes"),
        (lambda p: _foreign_sqlite(p, 1234), NotHccquizDatabase, "application_id 0x000004d2"),
    ],
    ids=["text", "short-header", "foreign-sqlite", "foreign-app-id"],
)
def test_foreign_files_are_refused_untouched(tmp_path: Path, make, error, message) -> None:
    path = tmp_path / "notes.db"
    make(path)
    before = sha(path)
    with pytest.raises(error, match=message) as info:
        Store.open(path)
    assert "left untouched" in str(info.value)
    assert sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotHccquizDatabase, match="folder"):
        Store.open(tmp_path)


def test_corrupt_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Store.open(path) as store:
        sync_files(
            store, [write_deck(tmp_path / "d.yaml", [basic(f"i{n}") for n in range(300)])], now=NOW
        )
    raw = bytearray(path.read_bytes())
    page = int.from_bytes(raw[16:18], "big")
    raw[page : page * 2] = b"\xa5" * page  # trash page 2 (a table's b-tree)
    raw[page * 4 : page * 6] = b"\x5a" * (page * 2)
    path.write_bytes(bytes(raw))
    before = sha(path)
    with pytest.raises(CorruptDatabase, match="damaged"), Store.open(path) as store:
        store.stats_figures(DAY)
        store.cards(store.card_ids())
    assert sha(path) == before


def test_garbage_after_valid_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Store.open(path).close()
    raw = bytearray(path.read_bytes())
    raw[100:] = b"\x00\xff" * ((len(raw) - 100) // 2)
    path.write_bytes(bytes(raw))
    before = sha(path)
    with pytest.raises(CorruptDatabase), Store.open(path) as store:
        store.stats_figures(DAY)
    assert sha(path) == before


def test_migration_backs_up_first(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Store.open(path) as store:
        sync_files(store, [write_deck(tmp_path / "d.yaml", [basic("a")])], now=NOW)
    before = sha(path)
    migrations = build_migrations()

    @migrations(name="0002_add_notes")
    def add_notes(db: Any) -> None:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")

    with Store.open(path, migrations=migrations) as store:
        tables = {r[0] for r in store._conn.execute("SELECT name FROM sqlite_master")}
        assert "notes" in tables
    backup = tmp_path / "p.db.before-0002_add_notes.bak"
    assert backup.exists()
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT key FROM items").fetchall() == [("a",)]
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'notes'").fetchall()
    conn.close()
    assert before != sha(path)
    # and this newer database is refused by the older code, untouched
    newer = sha(path)
    with pytest.raises(StoreError, match="newer hccquiz"):
        Store.open(path)
    assert sha(path) == newer


def test_db_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DB_ENV, raising=False)
    assert resolve_db_path() == default_db_path()
    assert default_db_path().name == "hccquiz.db"
    assert "hccquiz" in default_db_path().parent.name
    monkeypatch.setenv(DB_ENV, str(tmp_path / "env.db"))
    assert resolve_db_path() == tmp_path / "env.db"
    assert resolve_db_path(tmp_path / "arg.db") == tmp_path / "arg.db"
    monkeypatch.setenv(DB_ENV, "~/x.db")
    assert resolve_db_path() == Path.home() / "x.db"


def test_settings(store: Store) -> None:
    assert store.settings() == {}
    store.set_setting("day_starts_at", "5")
    store.set_setting("day_starts_at", "6")
    assert store.settings() == {"day_starts_at": "6"}
    store.set_setting("day_starts_at", None)
    assert store.settings() == {}


# ---- sync --------------------------------------------------------------------------------


def test_sync_adds_and_skips_unchanged(store: Store, tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "d.yaml", [basic("a"), cloze("b", "{{c1::x}} {{c3::y}}")])
    [report] = sync_files(store, [deck], now=NOW)
    assert (report.status, report.items, report.cards) == ("added", 2, 3)
    assert set(cards_by_key(store)) == {("a", 1), ("b", 1), ("b", 3)}
    [again] = sync_files(store, [deck], now=NOW)
    assert again.status == "unchanged" and again.deck_id == "demo"
    assert "unchanged" in again.describe()


def test_unchanged_file_is_not_parsed(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write_deck(tmp_path / "d.yaml", [basic("a")])
    sync_files(store, [deck], now=NOW)

    def boom(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr("hccquiz.deck.file.load_deck_text", boom)
    assert sync_files(store, [deck], now=NOW)[0].status == "unchanged"


def test_edit_keeps_schedule_and_history_and_flags_changed(store: Store, tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    sync_files(store, [write_deck(deck, [basic("a", "Old?"), basic("b", "Other?")])], now=NOW)
    ids = cards_by_key(store)
    study(store, ids[("a", 1)], 5)
    studied = store.card(ids[("a", 1)])
    assert not studied.changed
    write_deck(deck, [basic("a", "New wording?"), basic("b", "Other edited?")])
    [report] = sync_files(store, [deck], now=NOW)
    assert (report.status, report.items_changed, report.items_added) == ("updated", 2, 0)
    after = store.card(ids[("a", 1)])
    assert after.id == studied.id
    assert after.schedule == studied.schedule
    assert after.content["question"] == "New wording?"
    assert after.changed  # studied, then edited
    assert not store.card(ids[("b", 1)]).changed  # never studied: nothing to flag
    assert len(store.reviews(after.id)) == 1
    assert store.reviews(after.id)[0].content_hash != after.content_hash
    study(store, after.id, 4, day=DAY + timedelta(days=1))
    assert not store.card(after.id).changed


def test_tags_levels_and_order_are_not_content_changes(store: Store, tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    sync_files(store, [write_deck(deck, [basic("a"), basic("b")])], now=NOW)
    ids = cards_by_key(store)
    study(store, ids[("a", 1)], 5)
    write_deck(deck, [basic("b"), basic("a", tags=["x"], levels=["fellow"])], tags=["t"])
    [report] = sync_files(store, [deck], now=NOW)
    assert report.items_changed == 0
    card = store.card(ids[("a", 1)])
    assert not card.changed
    assert card.levels == ("fellow",) and card.tags == ("t", "x")
    assert store.new_card_ids(None, 10) == [ids[("b", 1)]]
    assert store.card_ids() == [ids[("b", 1)], ids[("a", 1)]]
    assert store.card_ids(Filt(tags=("x",))) == [ids[("a", 1)]]
    assert store.card_ids(Filt(tags=("t",))) == [ids[("b", 1)], ids[("a", 1)]]
    assert store.card_ids(Filt(levels=("fellow",))) == [ids[("a", 1)]]
    assert store.card_ids(Filt(levels=("resident",))) == [ids[("b", 1)]]


def test_remove_and_restore_keep_history(store: Store, tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    sync_files(store, [write_deck(deck, [basic("a"), basic("b")])], now=NOW)
    ids = cards_by_key(store)
    study(store, ids[("a", 1)], 5)
    schedule = store.card(ids[("a", 1)]).schedule
    write_deck(deck, [basic("b")])
    [report] = sync_files(store, [deck], now=NOW)
    assert report.items_retired == 1
    assert store.card_ids() == [ids[("b", 1)]]
    assert store.due_card_ids(DAY + timedelta(days=30), None, 100) == []
    assert store.card(ids[("a", 1)]).retired
    assert len(store.reviews(ids[("a", 1)])) == 1
    assert store.stats_figures(DAY).cards_total == 1
    write_deck(deck, [basic("a"), basic("b")])
    [report] = sync_files(store, [deck], now=NOW)
    assert report.items_restored == 1 and report.items_added == 0
    restored = store.card(ids[("a", 1)])
    assert not restored.retired and restored.schedule == schedule
    assert len(store.reviews(restored.id)) == 1
    assert cards_by_key(store) == ids


def test_cloze_numbers_map_to_cards(store: Store, tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    sync_files(store, [write_deck(deck, [cloze("c", "{{c1::a}} {{c2::b}}")])], now=NOW)
    ids = cards_by_key(store)
    study(store, ids[("c", 2)], 5)
    c2_schedule = store.card(ids[("c", 2)]).schedule
    write_deck(deck, [cloze("c", "{{c1::a}} b {{c3::c}}")])
    [report] = sync_files(store, [deck], now=NOW)
    assert (report.cards_added, report.cards_retired, report.cards) == (1, 1, 2)
    now_ids = cards_by_key(store)
    assert set(now_ids) == {("c", 1), ("c", 3)}
    assert now_ids[("c", 1)] == ids[("c", 1)]
    assert store.card(ids[("c", 2)]).retired
    write_deck(deck, [cloze("c", "{{c1::a}} {{c2::b}} {{c3::c}}")])
    [report] = sync_files(store, [deck], now=NOW)
    assert report.cards_restored == 1
    back = store.card(ids[("c", 2)])
    assert not back.retired and back.schedule == c2_schedule
    assert len(store.reviews(back.id)) == 1
    # retiring the whole item and bringing it back keeps the card-level state too
    write_deck(deck, [basic("z")])
    sync_files(store, [deck], now=NOW)
    write_deck(deck, [basic("z"), cloze("c", "{{c1::a}} {{c3::c}}")])
    sync_files(store, [deck], now=NOW)
    assert set(cards_by_key(store)) == {("z", 1), ("c", 1), ("c", 3)}
    assert store.card(ids[("c", 2)]).retired


def test_type_change_keeps_card_one(store: Store, tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    sync_files(store, [write_deck(deck, [basic("a")])], now=NOW)
    card_id = cards_by_key(store)[("a", 1)]
    study(store, card_id, 4)
    sync_files(store, [write_deck(deck, [cloze("a", "{{c1::x}} {{c2::y}}")])], now=NOW)
    card = store.card(card_id)
    assert card.item_type == "cloze" and card.changed and card.schedule.due is not None
    assert set(cards_by_key(store)) == {("a", 1), ("a", 2)}


def _dump(path: Path) -> list[Any]:
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    rows = [(t, conn.execute(f"SELECT * FROM {t}").fetchall()) for t in sorted(tables)]
    conn.close()
    return rows


def test_invalid_deck_writes_nothing(store: Store, tmp_path: Path) -> None:
    good = write_deck(tmp_path / "good.yaml", [basic("a")])
    sync_files(store, [good], now=NOW)
    write_deck(good, [basic("a"), basic("b")])
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: other\ntitle: T\nlevels: [resident]\nitems:\n  - id: x\n    question: Q\n")
    before = _dump(store.path)
    with pytest.raises(DeckError) as info:
        sync_files(store, [good, bad], now=NOW)
    assert "bad.yaml:5:5" in str(info.value) and "answer" in str(info.value)
    assert _dump(store.path) == before
    # the good file alone still syncs: nothing was marked as synced
    assert sync_files(store, [good], now=NOW)[0].status == "updated"


def test_duplicate_deck_ids_and_unreadable_files(store: Store, tmp_path: Path) -> None:
    one = write_deck(tmp_path / "one.yaml", [basic("a")])
    two = write_deck(tmp_path / "two.yaml", [basic("b")])
    with pytest.raises(DeckError, match="already used by"):
        sync_files(store, [one, two], now=NOW)
    with pytest.raises(DeckError, match="cannot read"):
        sync_files(store, [tmp_path / "missing.yaml"], now=NOW)
    assert store.deck_ids() == []


def test_two_decks_and_filters(store: Store, tmp_path: Path) -> None:
    sync_files(
        store,
        [
            write_deck(tmp_path / "b.yaml", [basic("x")], deck_id="beta"),
            write_deck(tmp_path / "a.yaml", [basic("x"), basic("y")], deck_id="alpha"),
        ],
        now=NOW,
    )
    assert store.deck_ids() == ["beta", "alpha"]
    assert [c.deck_id for c in store.cards(store.new_card_ids(None, 10))] == [
        "beta",
        "alpha",
        "alpha",
    ]
    assert len(store.new_card_ids(Filt(decks=("alpha",)), 10)) == 2
    assert (
        store.new_card_ids(Filt(decks=("alpha",)), 1)
        == store.new_card_ids(Filt(decks=("alpha",)), 10)[:1]
    )
    assert store.new_card_ids(Filt(decks=("nope",)), 10) == []


# ---- reviews -----------------------------------------------------------------------------


@pytest.fixture
def three(store: Store, tmp_path: Path) -> list[int]:
    sync_files(
        store, [write_deck(tmp_path / "d.yaml", [basic("a"), basic("b"), basic("c")])], now=NOW
    )
    return store.card_ids()


def test_study_review_moves_schedule_and_logs(store: Store, three: list[int]) -> None:
    record = study(store, three[0], 4)
    card = store.card(three[0])
    assert card.schedule == Schedule(SM2State(1, "2.5", 1), DAY + timedelta(days=1))
    assert record.before == Schedule() and record.after == card.schedule
    [logged] = store.reviews(three[0])
    assert logged == record
    assert logged.reviewed_at == "2025-03-01T12:00:00.000Z"
    assert (logged.kind, logged.quality, logged.answer_ms, logged.day) == ("study", 4, 1500, DAY)
    assert store.studied_on(DAY) == (1, 0)


def test_drill_and_quiz_change_nothing(store: Store, three: list[int]) -> None:
    study(store, three[0], 2)
    card = store.card(three[0])
    study(store, three[0], 3, kind="drill")
    study(store, three[0], 5, kind="quiz")
    assert store.card(three[0]) == card
    assert [r.kind for r in store.reviews(three[0])] == ["study", "drill", "quiz"]
    with pytest.raises(ValueError, match="cannot change"):
        store.record_review(
            three[0],
            kind="drill",
            quality=4,
            reviewed_at=NOW,
            day=DAY,
            before=card.schedule,
            after=Schedule(),
        )


def test_drill_queue(store: Store, three: list[int]) -> None:
    study(store, three[0], 2)
    study(store, three[1], 3)
    study(store, three[2], 4)
    assert store.drill_card_ids(DAY) == [three[0], three[1]]
    study(store, three[0], 4, kind="drill")
    assert store.drill_card_ids(DAY) == [three[1]]
    study(store, three[1], 2, kind="drill")
    assert store.drill_card_ids(DAY) == [three[1]]
    assert store.drill_card_ids(DAY + timedelta(days=1)) == []


def test_second_study_grade_same_day_is_refused(store: Store, three: list[int]) -> None:
    study(store, three[0], 2)
    with pytest.raises(StaleCard, match="already had its study grade"):
        study(store, three[0], 4)


def test_stale_before_is_refused(store: Store, three: list[int]) -> None:
    card = store.card(three[0])
    study(store, three[0], 5)
    with pytest.raises(StaleCard):
        store.record_review(
            three[0],
            kind="study",
            quality=4,
            reviewed_at=NOW,
            day=DAY + timedelta(days=1),
            before=card.schedule,
            after=Schedule(SM2State(1, 2.5, 1), DAY),
        )
    assert len(store.reviews(three[0])) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"quality": 6},
        {"kind": "cram"},
        {"answer_ms": -1},
        {"reviewed_at": datetime(2025, 3, 1, 12)},
    ],
)
def test_bad_review_input(store: Store, three: list[int], kwargs: dict[str, Any]) -> None:
    args = {
        "kind": "quiz",
        "quality": 4,
        "reviewed_at": NOW,
        "day": DAY,
        "before": Schedule(),
        "after": Schedule(),
        **kwargs,
    }
    with pytest.raises(ValueError):
        store.record_review(three[0], **args)
    assert store.reviews() == []


def test_reviews_are_append_only(store: Store, three: list[int]) -> None:
    study(store, three[0], 4)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store._conn.execute("UPDATE reviews SET quality = 5")
    study(store, three[0], 4, kind="drill")
    with pytest.raises(sqlite3.IntegrityError, match="latest"):
        store._conn.execute("DELETE FROM reviews WHERE id = 1")


def test_undo_restores_exact_state(store: Store, tmp_path: Path, three: list[int]) -> None:
    first = study(store, three[0], 5)
    original = store.card(three[0])
    second = study(store, three[0], 2, day=DAY + timedelta(days=1))
    write_deck(tmp_path / "d.yaml", [basic("a", "edited"), basic("b"), basic("c")])
    sync_files(store, [tmp_path / "d.yaml"], now=NOW)
    edited = store.card(three[0])
    assert edited.changed
    third = study(store, three[0], 4, day=DAY + timedelta(days=2))
    assert not store.card(three[0]).changed
    with pytest.raises(StaleCard):
        store.undo_review(second.id)  # not the latest
    assert store.undo_review(third.id) == third
    assert store.card(three[0]) == edited  # changed flag back too
    store.undo_review(second.id)
    assert store.card(three[0]).schedule == original.schedule
    assert store.stats_figures(DAY).reviews_by_kind == {"study": 1, "drill": 0, "quiz": 0}
    store.undo_review(first.id)
    assert store.card(three[0]).schedule == Schedule()
    assert store.reviews() == []
    assert store.stats_figures(DAY).reviews_total == 0
    with pytest.raises(StaleCard, match="not in the log"):
        store.undo_review(first.id)


def test_undo_of_drill_keeps_state(store: Store, three: list[int]) -> None:
    study(store, three[0], 2)
    card = store.card(three[0])
    drill = study(store, three[0], 5, kind="drill")
    store.undo_review(drill.id)
    assert store.card(three[0]) == card
    assert [r.kind for r in store.reviews()] == ["study"]


def test_suspend(store: Store, three: list[int]) -> None:
    store.set_suspended(three[1], True)
    assert store.new_card_ids(None, 10) == [three[0], three[2]]
    assert store.card(three[1]).suspended
    assert store.card_ids(include_suspended=False) == [three[0], three[2]]
    store.set_suspended(three[1], False)
    assert store.new_card_ids(None, 10) == three
    with pytest.raises(StoreError, match="no card"):
        store.set_suspended(999, True)


def test_due_order_most_overdue_first(store: Store, three: list[int]) -> None:
    study(store, three[2], 4, day=DAY - timedelta(days=5))  # due DAY-4
    study(store, three[0], 4, day=DAY - timedelta(days=2))  # due DAY-1
    study(store, three[1], 4, day=DAY - timedelta(days=1))  # due DAY
    assert store.due_card_ids(DAY, None, 10) == [three[2], three[0], three[1]]
    assert store.due_card_ids(DAY, None, 2) == [three[2], three[0]]
    assert store.due_card_ids(DAY - timedelta(days=2), None, 10) == [three[2]]
    store.set_suspended(three[0], True)
    assert store.due_card_ids(DAY, None, 10) == [three[2], three[1]]
    assert store.studied_on(DAY - timedelta(days=5)) == (1, 0)


def test_review_days(store: Store, three: list[int]) -> None:
    study(store, three[0], 4, day=DAY - timedelta(days=3))
    study(store, three[1], 4, day=DAY)
    study(store, three[1], 4, day=DAY, kind="quiz")
    assert store.review_days(DAY - timedelta(days=10), DAY) == {DAY - timedelta(days=3), DAY}


def test_timestamps_are_utc(store: Store, three: list[int]) -> None:
    local = datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    record = store.record_review(
        three[0],
        kind="quiz",
        quality=4,
        reviewed_at=local,
        day=DAY,
        before=Schedule(),
        after=Schedule(),
    )
    assert record.reviewed_at == "2025-03-01T14:30:00.000Z"


def test_content_hash_matches_stored(store: Store, tmp_path: Path) -> None:
    from hccquiz.deck.content import content_hash
    from hccquiz.deck.file import load_deck

    deck = write_deck(
        tmp_path / "d.yaml", [basic("a", "Ünïcode “quotes” \u2028?"), cloze("b", "{{c1::x}}")]
    )
    sync_files(store, [deck], now=NOW)
    loaded = load_deck(deck)
    for item, card_id in zip(loaded.items, store.card_ids(), strict=True):
        assert store.card(card_id).content_hash == content_hash(item.model_dump(mode="json"))


def test_migration_names_are_listed() -> None:
    from sqlite_utils import Database

    from hccquiz.store._schema import MIGRATION_NAMES

    with Database(memory=True, execute_plugins=False) as empty:
        pending = build_migrations().pending(empty)
    assert tuple(m.name for m in pending) == MIGRATION_NAMES


def test_up_to_date_open_skips_sqlite_utils(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "p.db"
    Store.open(path).close()
    code = (
        "import sys; from hccquiz.store import Store; Store.open(sys.argv[1]).close(); "
        "print('sqlite_utils' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_oversized_file_is_refused(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write_deck(tmp_path / "d.yaml", [basic("a")])
    monkeypatch.setattr("hccquiz.deck.file.MAX_DECK_BYTES", 50)
    with pytest.raises(DeckError, match="over 50 bytes"):
        sync_files(store, [deck], now=NOW)
    assert store.deck_ids() == []


def test_deck_titles_and_reviews_per_day(store: Store, tmp_path: Path) -> None:
    sync_files(store, [write_deck(tmp_path / "d.yaml", [basic("a"), basic("b")])], now=NOW)
    assert store.deck_titles() == {"demo": "Demo"}
    a, b = store.card_ids()
    study(store, a, 4, day=DAY - timedelta(days=2))
    study(store, b, 2, day=DAY)
    study(store, b, 4, day=DAY, kind="drill")
    assert store.reviews_per_day(DAY - timedelta(days=5), DAY) == {
        DAY - timedelta(days=2): 1,
        DAY: 2,
    }
