"""`hccquiz study`/`quiz` errors before the app opens: one line, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

from tui_support import STUDY_DECK, make_workspace, screen_text

from hccquiz.store import Store
from hccquiz.study.sync import sync_files
from hccquiz.tui import create_app


def test_bad_deck_gives_located_error(tmp_path: Path, cli_run) -> None:
    deck = tmp_path / "bad.yaml"
    deck.write_text(STUDY_DECK.replace("[resident]", "[residnet]"))
    result = cli_run("study", deck, "--db", tmp_path / "p.db")
    assert result.returncode == 1
    assert f"{deck}:3:10: " in result.stderr
    assert "Traceback" not in result.stderr
    if (tmp_path / "p.db").exists():  # opened, but the invalid deck wrote nothing
        with Store.open(tmp_path / "p.db") as store:
            assert store.deck_ids() == []


def test_database_that_is_not_ours_is_refused_untouched(tmp_path: Path, cli_run) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes(b"these are my notes, not a database\n" * 10)
    before = db.read_bytes()
    deck = tmp_path / "deck.yaml"
    deck.write_text(STUDY_DECK)
    for command in ("study", "quiz"):
        result = cli_run(command, deck, "--db", db)
        assert result.returncode == 1
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert str(db) in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_unknown_level_is_a_usage_error(tmp_path: Path, cli_run) -> None:
    result = cli_run("study", "--level", "nurse", "--db", tmp_path / "p.db")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


async def test_changed_card_is_flagged(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    deck = tmp_path / "deck.yaml"
    app = create_app(ws, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "1")  # basic-hr: Again, so it is due again today
    deck.write_text(STUDY_DECK.replace("What was the OS hazard ratio?", "What was the HR for OS?"))
    sync_files(ws.store, [deck], now=ws.clock.now())
    app = create_app(ws, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(6):
            if "What was the HR for OS?" in screen_text(app):
                break
            await pilot.press("space", "3")
        text = screen_text(app)
        assert "What was the HR for OS?" in text
        assert "Changed since you last saw it" in text
