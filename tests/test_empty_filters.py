"""Filters that leave no card say so, naming the filter and how to change it (today2,
item 2): the level remembered from home, --level, and --tag (an unknown tag named as such),
in the CLI's study and quiz and in the app's summary of an empty session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from tui_support import make_workspace, screen_text, settle

from hccquiz.cli import cli
from hccquiz.cli._study import AUTOPILOT
from hccquiz.errors import HccquizError
from hccquiz.study import Filters
from hccquiz.tui import create_app


@pytest.fixture
def mini(tmp_path: Path) -> tuple[Path, str]:
    """A deck of resident items only, and a database it was synced into."""
    items = [{"id": f"q{i}", "question": f"Q{i}?", "answer": "A", "tags": ["dosing"]}
             for i in range(3)]  # fmt: skip
    path = tmp_path / "mini.yaml"
    data = {"id": "mini", "title": "Mini", "levels": ["resident"], "items": items}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    db = str(tmp_path / "p.db")
    assert CliRunner().invoke(cli, ["sync", str(path), "--db", db]).exit_code == 0
    return path, db


def run(*args: str) -> tuple[int, str, bool]:
    """Exit code, output, and whether the app opened."""
    opened: list[bool] = []

    async def drive(pilot: Any) -> None:
        opened.append(True)
        await settle(pilot)
        await pilot.press("q")

    result = CliRunner().invoke(cli, list(args), obj={AUTOPILOT: drive})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert isinstance(result.exception, HccquizError), result.exception  # one line, exit 1
    return result.exit_code, result.output + str(result.exception or ""), bool(opened)


def test_remembered_level_that_empties_a_deck_is_named(mini: tuple[Path, str]) -> None:
    path, db = mini
    assert CliRunner().invoke(cli, ["config", "set", "level", "fellow", "--db", db]).exit_code == 0
    for command in ("study", "quiz"):
        code, output, opened = run(command, str(path), "--db", db)
        assert code == 1 and not opened
        assert f"nothing to {command}: no card of mini is at level fellow (the level " in output
        assert "remembered from home" in output and "hccquiz config unset level" in output
    code, output, _ = run("study", str(path), "--db", db, "--level", "phd")
    assert code == 1 and "no card of mini is at level phd (--level" in output
    # a level that matches studies as before
    code, output, opened = run("study", str(path), "--db", db, "--level", "resident")
    assert code == 0 and opened, output


def test_unknown_tag_is_named_as_such(mini: tuple[Path, str]) -> None:
    path, db = mini
    for command in ("study", "quiz"):
        code, output, opened = run(command, str(path), "--db", db, "--tag", "nosuchtag")
        assert code == 1 and not opened
        assert "no item of mini has the tag nosuchtag: an unknown tag" in output
        assert "tags in use there: dosing" in output
    # a known tag with a level no item of it has names both
    code, output, _ = run("study", str(path), "--db", db, "--tag", "dosing", "--level", "phd")
    assert code == 1 and "no card of mini is at level phd (--level" in output
    code, output, opened = run("study", str(path), "--db", db, "--tag", "dosing")
    assert code == 0 and opened, output


async def test_the_apps_empty_summary_names_the_filter(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    ws.remember("level", "attending")
    app = create_app(ws, start="study", filters=Filters(("tuideck",), ("attending",)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Nothing to study: no card matches" in text
        assert "no card of tuideck is at level attending (the level remembered from" in text
    app = create_app(ws, start="study", filters=Filters(("tuideck",), (), ("nosuch",)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "the tag nosuch: an unknown tag" in screen_text(app)


async def test_the_apps_empty_quiz_names_the_filter(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="quiz", filters=Filters(("tuideck",), ("attending",)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        toasts = " ".join(n.message for n in app._notifications)  # as test_keymap reads them
        assert "no card of tuideck is at level attending (--level" in toasts
