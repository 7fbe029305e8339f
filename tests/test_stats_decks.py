"""Stats count the decks home shows, and say which (today2, item 1): a deck synced once
from elsewhere (a draft, a deck of another folder) stays in the database but is not in use
here, so neither home nor ``hccquiz stats`` counts it unless asked (``--all-decks``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from tui_support import screen_text, settle

from hccquiz.cli import cli
from hccquiz.cli._study import AUTOPILOT


def deck_file(path: Path, deck_id: str, n: int, level: str = "resident") -> Path:
    items = [{"id": f"q{i}", "question": f"{deck_id} {i}?", "answer": "A"} for i in range(n)]
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"id": deck_id, "title": f"{deck_id.title()} deck", "levels": [level],
            "items": items}  # fmt: skip
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a local deck, a draft synced once, and a deck of another folder."""
    here = tmp_path / "here"
    deck_file(here / "decks" / "local.yaml", "local", 3)
    deck_file(here / "draft.yaml", "draft", 4)
    deck_file(tmp_path / "other" / "mini.yaml", "mini", 5)
    monkeypatch.chdir(here)
    db = str(tmp_path / "p.db")
    result = CliRunner().invoke(cli, ["sync", "draft.yaml", "../other/mini.yaml", "--db", db])
    assert result.exit_code == 0, result.output
    return here


def home_rows(db: str, *args: str) -> tuple[list[Any], str]:
    """The home screen's rows (deck id, new, learning, due) and the stats screen's text."""
    seen: dict[str, Any] = {}

    async def drive(pilot: Any) -> None:
        await settle(pilot)
        seen["rows"] = [(r.deck_id, r.new, r.learning, r.due) for r in pilot.app.screen.rows]
        await pilot.press("t")
        await settle(pilot)
        seen["stats"] = screen_text(pilot.app)
        await pilot.press("q")

    result = CliRunner().invoke(cli, ["home", "--db", db, *args], obj={AUTOPILOT: drive})
    assert result.exit_code == 0, result.output
    return seen["rows"], seen["stats"]


def stats_json(db: str, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["stats", "--json", "--db", db, *args])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_stats_count_the_decks_home_shows(folder: Path) -> None:
    db = str(folder.parent / "p.db")
    rows, screen = home_rows(db)
    shown = {deck for deck, *_ in rows}
    assert shown == {"local", "imbrave150"}
    home = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    data = stats_json(db)
    left = data["left_today"]
    assert [left["new"], left["learning"], left["review"]] == home
    assert set(data["today_by_deck"]) == shown == set(data["decks_counted"])
    assert data["decks_not_counted"] == ["draft", "mini"]
    assert {d["id"] for d in data["decks"]} == shown
    assert data["cards_total"] == 3 + sum(d["cards"] for d in data["decks"] if d["id"] != "local")
    # the stats screen in the app counts the same, and says which decks it counts
    assert f"Left today     {sum(home)}:" in screen
    assert "Not counted    draft, mini" in screen
    text = CliRunner().invoke(cli, ["stats", "--db", db]).output
    assert "Not counted   draft, mini (in the database, not in use here;" in text


def test_all_decks_and_named_decks(folder: Path) -> None:
    db = str(folder.parent / "p.db")
    home_rows(db)  # syncs the decks in use
    every = stats_json(db, "--all-decks")
    assert every["decks_not_counted"] == []
    assert set(every["decks_counted"]) == {"local", "imbrave150", "draft", "mini"}
    assert every["today_by_deck"]["mini"]["left_today"]["new"] == 5
    named = stats_json(db, "draft.yaml")
    assert named["decks_counted"] == ["draft"]
    assert named["left_today"]["new"] == 4 and named["cards_total"] == 4


def test_stats_follow_the_remembered_level(folder: Path) -> None:
    db = str(folder.parent / "p.db")
    assert CliRunner().invoke(cli, ["config", "set", "level", "fellow", "--db", db]).exit_code == 0
    rows, screen = home_rows(db)
    data = stats_json(db)
    assert data["level_filter"] == ["fellow"]
    home = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    left = data["left_today"]
    assert [left["new"], left["learning"], left["review"]] == home
    assert "at level fellow" in screen


def test_home_all_decks_row_studies_the_decks_in_use(folder: Path) -> None:
    """Study on home's All decks row takes the decks home lists, not every stored deck."""
    db = str(folder.parent / "p.db")
    seen: dict[str, Any] = {}

    async def drive(pilot: Any) -> None:
        await settle(pilot)
        seen["filters"] = pilot.app.screen.current_filters()  # the cursor is on All decks
        await pilot.press("s")
        await settle(pilot)
        seen["session"] = pilot.app.screen.session.filters
        await pilot.press("q")

    result = CliRunner().invoke(cli, ["home", "--db", db], obj={AUTOPILOT: drive})
    assert result.exit_code == 0, result.output
    assert set(seen["filters"].decks) == set(seen["session"].decks) == {"local", "imbrave150"}


def test_stats_screen_follows_the_tag_home_was_opened_with(folder: Path) -> None:
    db = str(folder.parent / "p.db")
    rows, screen = home_rows(db, "--tag", "nosuch")
    assert [r[1:] for r in rows] == [(0, 0, 0), (0, 0, 0)]
    assert "Left today     0: new 0 · learning 0 · review 0 with the tag nosuch" in screen
