"""Damaged, foreign and read-only progress databases (issue 11, sections 1 and 8).

Damage is made at run time (`damage.damaged_copies`): bytes flipped inside a page or a
b-tree page header overwritten, on a real database with history.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from damage import (
    NOW,
    damaged_copies,
    integrity_ok,
    page_size,
    progress_db,
    workspace,
    write_deck,
)
from hostile import DROP_DAC

from hccquiz.store import (
    KEEP_BACKUPS,
    CorruptDatabase,
    NotHccquizDatabase,
    Store,
    StoreError,
    backup_folder,
    backup_now,
    backups_of,
    check_database,
    daily_backup,
    recover_database,
    restore_database,
    stamp_path,
)
from hccquiz.store._files import write_stamp
from hccquiz.study.sync import sync_files

ROOT = Path(__file__).resolve().parents[1]
HCCQUIZ = Path(sys.executable).parent / "hccquiz"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A database with 400 items synced and 60 cards studied, and its deck."""
    folder = tmp_path_factory.mktemp("source")
    deck = write_deck(folder / "deck.yaml")
    return progress_db(folder / "good.db", deck), deck


def fresh_copy(source: tuple[Path, Path], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / "p.db"
    shutil.copyfile(source[0], copy)
    return copy


def page_of(path: Path, name: str) -> int:
    """The root page number (1-based) of a table or index."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        row = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,))
        return int(row.fetchone()[0])
    finally:
        conn.close()


def trash_page(path: Path, page: int) -> None:
    raw = bytearray(path.read_bytes())
    size = page_size(raw)
    start = (page - 1) * size
    raw[start : start + 12] = b"\xff" * 12
    path.write_bytes(bytes(raw))


# ---- damage is found before anything is written --------------------------------------------


def test_grading_never_writes_into_a_damaged_copy(source, tmp_path: Path) -> None:
    copies = damaged_copies(source[0], tmp_path, 18)
    damaged = [c for c in copies if not integrity_ok(c)]
    assert len(damaged) >= 9  # the copies damage what integrity_check can see
    for copy in damaged:
        before = sha(copy)
        with (
            pytest.raises(CorruptDatabase, match="nothing was written") as info,
            Store.open(copy) as store,
        ):
            session = workspace(store).session()
            if session.next_card() is not None:
                session.grade(4, answer_ms=900)
        assert "hccquiz db recover" in str(info.value) and "\n" not in str(info.value)
        assert sha(copy) == before, copy.name
        assert not Path(f"{copy}-wal").exists() and not Path(f"{copy}-shm").exists()


def test_damage_met_by_a_statement_stops_every_later_write(source, tmp_path: Path) -> None:
    path = fresh_copy(source, tmp_path)
    trash_page(path, page_of(path, "reviews_by_card"))
    write_stamp(path)  # as if hccquiz had left it so: the open does not check the file
    with Store.open(path) as store:
        with pytest.raises(CorruptDatabase):
            store.reviews(store.card_ids()[0])
        before = store.settings()
        with pytest.raises(CorruptDatabase, match="nothing was written"):
            store.set_setting("new_per_day", "7")  # would not touch the damaged page
    assert "new_per_day" not in before
    assert not stamp_path(path).exists()  # the next open checks the whole file
    assert not backups_of(path)  # and no backup of a damaged file was made
    with pytest.raises(CorruptDatabase):
        Store.open(path)


def test_an_unchanged_file_is_not_checked_again(source, tmp_path: Path) -> None:
    path = fresh_copy(source, tmp_path)
    Store.open(path).close()
    assert stamp_path(path).exists()
    stamp = stamp_path(path).read_text()
    Store.open(path, readonly=True).close()
    assert stamp_path(path).read_text() == stamp
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))  # "changed outside"
    assert stamp_path(path).read_text() == stamp
    Store.open(path, readonly=True).close()  # checked again, found sound, stamped anew
    assert stamp_path(path).read_text() != stamp


# ---- read-only opens are read-only -----------------------------------------------------------


def test_a_read_only_open_cannot_write(source, tmp_path: Path) -> None:
    path = fresh_copy(source, tmp_path)
    before = sha(path)
    with Store.open(path, readonly=True) as store:
        with pytest.raises(StoreError, match="cannot be written here"):
            store.set_setting("x", "1")
        assert store.card_ids()
    assert sha(path) == before


def test_stats_leaves_a_foreign_wal_database_exactly_as_it_was(tmp_path: Path, cli_run) -> None:
    path = tmp_path / "collection.anki2"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE notes (flds TEXT)")
    conn.commit()
    conn.close()
    before = sha(path)
    result = cli_run("stats", "--db", path)
    assert result.returncode == 1 and "another application" in result.stderr
    assert sha(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["collection.anki2"]


def test_an_empty_sqlite_file_of_another_application_is_not_initialised(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 42")
    conn.commit()
    conn.close()
    before = sha(path)
    with pytest.raises(NotHccquizDatabase, match="user_version 42"):
        Store.open(path)
    assert sha(path) == before


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"), reason="needs setpriv")
def test_stats_works_in_a_read_only_folder(source, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    path = fresh_copy(source, folder)
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        prefix = DROP_DAC if os.geteuid() == 0 else []
        result = subprocess.run(
            [*prefix, str(HCCQUIZ), "stats", "--db", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert "400 total" in result.stdout
        assert sorted(p.name for p in folder.iterdir()) == ["p.db"]
    finally:
        folder.chmod(0o755)


# ---- backups, restore, check, recover --------------------------------------------------------


def test_closing_a_store_keeps_one_backup_a_day(source, tmp_path: Path) -> None:
    path = fresh_copy(source, tmp_path)
    with Store.open(path) as store:
        store.set_setting("new_per_day", "5")
    (backup,) = backups_of(path)
    assert backup.parent == backup_folder(path) == tmp_path / "p.db-backups"
    assert backup.name == f"{date.today().isoformat()}.db"
    assert check_database(backup) == []
    with Store.open(backup, readonly=True) as copy:
        assert copy.settings()["new_per_day"] == "5"
    Store.open(path).close()
    assert backups_of(path) == [backup]  # one a day


def test_a_new_database_is_not_backed_up(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with Store.open(path) as store:
        sync_files(store, [write_deck(tmp_path / "d.yaml", 5)], now=NOW)
    assert backups_of(path) == []


def test_only_the_last_backups_are_kept(source, tmp_path: Path) -> None:
    path = fresh_copy(source, tmp_path)
    for day in range(1, KEEP_BACKUPS + 4):
        daily_backup(path, date(2025, 1, day))
    kept = backups_of(path)
    assert [p.stem for p in kept] == [f"2025-01-{d:02d}" for d in range(4, KEEP_BACKUPS + 4)]


def test_restore_puts_a_backup_back_and_keeps_the_damaged_file(source, tmp_path: Path) -> None:
    path = fresh_copy(source, tmp_path)
    backup = backup_now(path)
    trash_page(path, page_of(path, "reviews"))
    damaged = sha(path)
    with pytest.raises(CorruptDatabase, match="hccquiz db restore"):
        Store.open(path)
    aside = restore_database(path, backup)
    assert sha(aside) == damaged
    with Store.open(path) as store:
        assert len(store.reviews()) == 60


def test_recover_copies_every_readable_row_into_a_new_file(source, tmp_path: Path) -> None:
    path = fresh_copy(source, tmp_path)
    trash_page(path, page_of(path, "item_content"))  # one damaged table
    damaged = sha(path)
    target = tmp_path / "recovered.db"
    report = recover_database(path, target)
    assert sha(path) == damaged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db", "recovered.db"]
    assert report.copied["reviews"] == 60 and report.copied["cards"] == 400
    assert report.unreadable == {"item_content": 1} and not report.complete
    assert check_database(target) == []
    with Store.open(target) as store:
        assert len(store.reviews()) == 60
    # the decks sync again, which brings back what was lost with the damaged page
    with Store.open(target) as store:
        (report,) = sync_files(store, [source[1]], now=NOW)
        assert report.status != "unchanged"


def test_db_commands_from_the_command_line(source, tmp_path: Path, cli_run) -> None:
    path = fresh_copy(source, tmp_path)
    assert cli_run("db", "check", "--db", path).stdout.strip() == f"{path}: ok"
    made = cli_run("db", "backup", "--db", path)
    assert made.returncode == 0 and "p.db-backups" in made.stdout
    trash_page(path, page_of(path, "cards"))
    checked = cli_run("db", "check", "--db", path)
    assert checked.returncode == 1 and "damaged" in checked.stderr
    assert "Traceback" not in checked.stderr
    target = tmp_path / "rec.db"
    recovered = cli_run("db", "recover", "--db", path, "-o", target)
    assert recovered.returncode == 0, recovered.stderr
    assert "hccquiz db restore" in recovered.stdout and target.exists()
    restored = cli_run("db", "restore", "--db", path)  # the newest backup
    assert restored.returncode == 0, restored.stderr
    assert cli_run("db", "check", "--db", path).returncode == 0
    refused = cli_run("db", "recover", "--db", path, "-o", target)
    assert refused.returncode == 1 and "already exists" in refused.stderr


# ---- the study app on a damaged database --------------------------------------------------


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_study_on_a_damaged_database_exits_with_one_line(source, tmp_path: Path) -> None:
    path = fresh_copy(source, tmp_path)
    trash_page(path, page_of(path, "reviews_by_card"))  # sync never reads it; studying does
    before = sha(path)
    out = tmp_path / "out.txt"
    socket = f"hccquiz-test-{uuid.uuid4().hex[:8]}"
    command = (
        f"{HCCQUIZ} study --db {path} {source[1]} > {out} 2>&1; echo EXIT=$? >> {out}; sleep 30"
    )
    tmux = ["tmux", "-L", socket]
    subprocess.run([*tmux, "new-session", "-d", "-x", "80", "-y", "24", command], check=True)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "EXIT=" not in (
            out.read_text() if out.exists() else ""
        ):
            for key in ("Space", "3", "Escape"):  # study a little if the app is up
                subprocess.run([*tmux, "send-keys", "-t", "0", key], capture_output=True)
            time.sleep(0.3)
        text = out.read_text()
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    assert "EXIT=1" in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 2 and lines[0].startswith(f"hccquiz: {path}: the database is damaged")
    assert "Traceback" not in text
    assert sha(path) == before


def _workspace_damaged_at(tmp_path: Path, page: str):  # type: ignore[no-untyped-def]
    """A workspace whose file was damaged at the root page of `page` (the review log, an
    index of cards) after hccquiz last closed it sound, so that the open does not look:
    studying starts, and the first write there fails."""
    import random

    from tui_support import START, make_workspace

    from hccquiz.clock import FixedClock
    from hccquiz.study import Workspace

    make_workspace(tmp_path).store.close()
    path = tmp_path / "progress.db"
    trash_page(path, page_of(path, page))
    write_stamp(path)
    store = Store.open(path, durable=False)
    return Workspace(store, clock=FixedClock(START), rng=random.Random(7)), sha(path)


@pytest.mark.parametrize(
    ("page", "keys"),
    [("reviews", ["space", "3"]), ("cards_by_label", ["s"]), ("reviews", ["space", "3", "q"])],
    ids=["grade", "suspend", "grade-then-quit"],
)
async def test_damage_met_while_studying_ends_the_app_with_one_line(
    tmp_path: Path, page: str, keys: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from tui_support import settle

    from hccquiz.tui import create_app

    workspace, before = _workspace_damaged_at(tmp_path, page)
    app = create_app(workspace, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*keys)  # a grade, a suspension, a grade then quit at once
        for _ in range(50):
            await pilot.pause(0.05)
            if not app.is_running:
                break
        assert not app.is_running, "the app stayed open on a damaged database"
    assert app.return_code == 1
    message = " ".join(capsys.readouterr().err.split())  # one message, wrapped to 80 columns
    assert message.startswith(f"hccquiz: {workspace.store.path}: the database is damaged")
    assert message.count("hccquiz:") == 1 and "hccquiz db recover" in message
    assert "Traceback" not in message
    workspace.store.close()
    assert sha(workspace.store.path) == before


@pytest.mark.parametrize("start", ["quiz", "study", "home", "stats"])
async def test_damage_met_when_a_screen_opens_ends_the_app_with_one_line(
    tmp_path: Path, start: str, capsys: pytest.CaptureFixture[str]
) -> None:

    from hccquiz.tui import create_app

    workspace, before = _workspace_damaged_at(tmp_path, "cards")
    app = create_app(workspace, start=start)  # type: ignore[arg-type]
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):  # not settle(): the app may end while a read is in flight
            await pilot.pause(0.05)
            if not app.is_running:
                break
    assert app.return_code == 1
    message = " ".join(capsys.readouterr().err.split())
    assert message.startswith(f"hccquiz: {workspace.store.path}: the database is damaged")
    assert "Traceback" not in message
    workspace.store.close()
    assert sha(workspace.store.path) == before
