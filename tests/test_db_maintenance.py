"""`hccquiz db recover` on a sound file and `hccquiz db backup` run more than once a day.

A database that has been through every migration and real study (SM-2 days, a switch to
FSRS, FSRS days, a suspension, a reset, an undo) must come out of `recover_database` row
for row, with nothing refused or reported lost; and no backup may silently replace another.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hccquiz.clock import DayBoundary, FixedClock
from hccquiz.store import Store, build_migrations, recover_database
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
