"""`hccquiz db recover` on a sound file and `hccquiz db backup` run more than once a day.

A database that has been through every migration and real study (SM-2 days, a switch to
FSRS, FSRS days, a suspension, a reset, an undo) must come out of `recover_database` row
for row, with nothing refused or reported lost; and no backup may silently replace another.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from hccquiz.clock import DayBoundary, FixedClock
from hccquiz.store import (
    KEEP_BACKUPS,
    Store,
    backup_label,
    backup_now,
    backups_of,
    build_migrations,
    daily_backup,
    is_daily_backup,
    recover_database,
    restore_database,
)
from hccquiz.store._schema import MIGRATION_NAMES
from hccquiz.study import Session, StudyConfig
from hccquiz.study.scheduling import switch_scheduler
from hccquiz.study.sync import sync_files

START = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
CONFIG = StudyConfig(tz=UTC, new_per_day=12)

DECK = """\
id: maint
title: "Maintenance deck"
levels: [resident]
items:
"""


def _deck(path: Path) -> Path:
    items = []
    for i in range(24):
        items.append(
            f"  - id: b{i}\n    tags: [t{i % 3}]\n"
            f'    question: "Hazard ratio {i} for overall survival?"\n    answer: "0.{i + 10}"\n'
        )
    items.append('  - id: cz\n    type: cloze\n    text: "PFS {{c1::6.8 mo}} vs {{c2::4.3}}."\n')
    items.append(
        '  - id: ch\n    type: choice\n    shuffle: false\n    question: "Primary endpoint?"\n'
        '    choices: ["OS", "PFS", "ORR"]\n    answer: "OS"\n'
    )
    path.write_text(DECK + "".join(items), encoding="utf-8")
    return path


def _study_days(store: Store, clock: FixedClock, rng: random.Random, days: int) -> None:
    for _ in range(days):
        session = Session(store, clock=clock, config=CONFIG)
        while (card := session.next_card()) is not None:
            picked = ["OS"] if card.item.id == "ch" else None
            session.grade(rng.choice([2, 3, 4, 4, 5]), answer_ms=900, picked=picked)
            clock.advance(timedelta(minutes=1))
        clock.advance(timedelta(days=1))


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database begun before FSRS (``0005_fsrs`` and later migrated in afterwards, with
    their seeded rows), then studied for real: SM-2 days, FSRS switched on, FSRS days, a
    card suspended, one reset, a grade undone, settings kept."""
    folder = tmp_path_factory.mktemp("studied")
    deck = _deck(folder / "deck.yaml")
    db = folder / "p.db"
    older = build_migrations()
    older._migrations = [m for m in older._migrations if m.name < "0005"]
    with Store.open(db, migrations=older) as store:
        sync_files(store, [deck], now=START)
    clock = FixedClock(START)
    rng = random.Random(3)
    with Store.open(db) as store:  # every later migration runs here
        store.set_setting("new_per_day", "12")
        _study_days(store, clock, rng, 4)
        switch = switch_scheduler(store, "fsrs", now=clock.now(), boundary=DayBoundary(tz=UTC))
        assert switch is not None
        _study_days(store, clock, rng, 6)
        cards = store.card_ids()
        store.suspend_cards(cards[:1], True)
        store.reset_cards(cards[1:2], reset_at=clock.now(), day=clock.now().date())
        session = Session(store, clock=clock, config=CONFIG)
        if session.next_card() is not None:
            result = session.grade(4, answer_ms=500)
            store.undo_review(result.review.id)
    return db


def _tables(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                "'CREATE VIRTUAL%' AND name NOT LIKE 'card_search%' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: conn.execute(f"SELECT * FROM '{n}' ORDER BY 1").fetchall() for n in names}
    finally:
        conn.close()


def test_the_study_database_has_history_in_every_table(studied: Path) -> None:
    tables = _tables(studied)
    assert [r[2] for r in tables["_sqlite_migrations"]] == list(MIGRATION_NAMES)
    for name in ("reviews", "fsrs_recall", "card_resets", "settings", "item_tags", "labels"):
        assert tables[name], name
    assert any(r[1] > 0 for r in tables["fsrs_calibration"])  # sums, not the seeded zeros
    assert any(r[-1] is not None for r in tables["reviews"])  # a choice's picked options


def test_recovering_a_sound_database_copies_every_row(studied: Path, tmp_path: Path) -> None:
    target = tmp_path / "recovered.db"
    report = recover_database(studied, target)
    assert report.refused == {} and report.unreadable == {} and report.orphaned == {}
    assert report.complete
    before, after = _tables(studied), _tables(target)
    assert after.keys() == before.keys()
    for name, rows in before.items():
        if name == "decks":  # marked for a fresh sync: file_hash cleared, nothing else
            assert [r[:5] + r[6:] for r in after[name]] == [r[:5] + r[6:] for r in rows]
        elif name == "_sqlite_migrations":  # the new file's own record of its migrations
            assert [r[1:3] for r in after[name]] == [r[1:3] for r in rows]
        elif name == "fsrs_calibration":  # rebuilt from fsrs_recall: the same sums
            assert [(r[0], r[1], r[3]) for r in after[name]] == [(r[0], r[1], r[3]) for r in rows]
            assert [r[2] for r in after[name]] == pytest.approx([r[2] for r in rows], abs=1e-9)
        else:
            assert after[name] == rows, name
        if name not in {"_sqlite_migrations", "review_counts", "fsrs_calibration"}:
            assert report.copied.get(name) == len(rows), name


def test_db_recover_on_a_sound_database_reports_no_loss(studied: Path, tmp_path, cli_run) -> None:
    target = tmp_path / "r.db"
    result = cli_run("db", "recover", "--db", studied, "-o", target)
    assert result.returncode == 0, result.stderr
    assert "everything was readable" in result.stdout
    for word in ("refused", "lost", "unreadable", "left out"):
        assert word not in result.stdout + result.stderr, word
    assert "fsrs_calibration: 10 row(s) copied" in result.stdout


def test_a_recovered_file_shows_the_same_fsrs_figures(studied: Path, tmp_path: Path) -> None:
    """The recovered file is usable: the store reads the same reviews, memories and
    calibration (predicted against recalled, per tenth) from it as from the original."""
    target = tmp_path / "recovered.db"
    recover_database(studied, target)
    with Store.open(studied, readonly=True) as a, Store.open(target, readonly=True) as b:
        assert a.reviews() == b.reviews()
        fa, fb = a.fsrs_figures(cards=True), b.fsrs_figures(cards=True)
        assert fa.calibration and len(fb.calibration) == len(fa.calibration)
        for ra, rb in zip(fa.calibration, fb.calibration, strict=True):
            assert (ra[0], ra[1], ra[3]) == (rb[0], rb[1], rb[3])
            assert ra[2] == pytest.approx(rb[2], abs=1e-12)
        assert fa.memories == fb.memories and fa.cards == fb.cards


# ---- backups: none ever replaces another -------------------------------------------------


def _setting(db: Path, key: str) -> str | None:
    with Store.open(db, readonly=True) as store:
        return store.settings().get(key)


def test_two_manual_backups_in_one_day_are_two_files(studied: Path, tmp_path, cli_run) -> None:
    db = tmp_path / "p.db"
    shutil.copyfile(studied, db)
    first = cli_run("db", "backup", "--db", db)
    assert first.returncode == 0, first.stderr
    with Store.open(db) as store:  # a mistake, then a second backup the same day
        store.set_setting("new_per_day", "99")
    second = cli_run("db", "backup", "--db", db)
    assert second.returncode == 0, second.stderr
    made = backups_of(db)
    manual = [p for p in made if not is_daily_backup(p)]
    assert len(manual) == 2 and manual[0] != manual[1]
    assert str(manual[0]) in first.stdout and str(manual[1]) in second.stdout
    assert _setting(manual[0], "new_per_day") == "12"  # the good backup is still there
    assert _setting(manual[1], "new_per_day") == "99"
    assert "manual backups (kept until you delete them): 2" in second.stderr
    # restore takes the newest; the earlier one can be named
    assert cli_run("db", "restore", "--db", db).returncode == 0
    assert _setting(db, "new_per_day") == "99"
    assert cli_run("db", "restore", "--db", db, manual[0]).returncode == 0
    assert _setting(db, "new_per_day") == "12"


def test_manual_backups_in_the_same_second_get_numbers(studied: Path, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    shutil.copyfile(studied, db)
    moment = datetime(2026, 12, 1, 14, 30, 5)
    made = [backup_now(db, moment) for _ in range(11)]
    assert [p.name for p in made[:3]] == [
        "2026-12-01_14-30-05.db",
        "2026-12-01_14-30-05-2.db",
        "2026-12-01_14-30-05-3.db",
    ]
    assert backups_of(db) == made  # oldest first, -10 after -9
    assert backup_label(made[0]) == "2026-12-01 14:30:05"
    assert backup_label(made[2]) == "2026-12-01 14:30:05 (3)"


def test_the_daily_rotation_keeps_manual_backups(studied: Path, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    shutil.copyfile(studied, db)
    manual = backup_now(db, datetime(2025, 1, 1, 9, 0, 0))
    for day in range(1, KEEP_BACKUPS + 5):
        assert daily_backup(db, date(2025, 1, day)) is not None
    daily = [p for p in backups_of(db) if is_daily_backup(p)]
    assert [p.stem for p in daily] == [f"2025-01-{d:02d}" for d in range(5, KEEP_BACKUPS + 5)]
    assert manual.exists() and manual in backups_of(db)
    assert daily_backup(db, date(2025, 1, 11)) is None  # one a day: the day's stays as it was


def test_a_day_with_a_manual_backup_still_gets_its_daily_one(studied, tmp_path) -> None:
    db = tmp_path / "p.db"
    shutil.copyfile(studied, db)
    manual = backup_now(db)
    with Store.open(db) as store:
        store.set_setting("new_per_day", "7")
    daily = [p for p in backups_of(db) if is_daily_backup(p)]
    assert [p.name for p in daily] == [f"{date.today().isoformat()}.db"]
    assert _setting(manual, "new_per_day") == "12" and _setting(daily[0], "new_per_day") == "7"
    assert backups_of(db)[-1] == daily[0]  # the newest, for a restore


def test_two_restores_in_one_second_keep_both_files_aside(studied: Path, tmp_path) -> None:
    db = tmp_path / "p.db"
    shutil.copyfile(studied, db)
    backup = backup_now(db)
    moment = datetime(2026, 12, 1, 14, 30, 5)
    first = restore_database(db, backup, now=moment)
    second = restore_database(db, backup, now=moment)
    assert first != second and first.exists() and second.exists()
    assert second.name == "p.db.replaced-20261201-143005-2"
