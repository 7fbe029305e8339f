"""Key overrides by binding id (the ``keymap`` setting, issue 15): checked when set, kept
in this machine's settings file, listed by ``hccquiz config keys``, put on the app's
bindings; a damaged stored keymap leaves the keys as they are, with one warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tui_support import make_workspace, settle

from hccquiz.cli import cli
from hccquiz.tui import create_app
from hccquiz.tui.keys import binding_ids


def config(*args: str, db: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["config", *args, "--db", str(db)])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_keymap_is_set_checked_and_kept_on_this_machine(
    tmp_path: Path, private_settings_file: Path
) -> None:
    db = tmp_path / "p.db"
    code, out = config("set", "keymap", "study.undo = ctrl+z ;app.help=f1,f2", db=db)
    assert code == 0 and out.strip() == "keymap = study.undo=ctrl+z; app.help=f1,f2"
    stored = json.loads(private_settings_file.read_text())
    assert stored["keymap"] == "study.undo=ctrl+z; app.help=f1,f2"  # not in the database
    code, out = config("get", "keymap", db=db)
    assert code == 0 and "study.undo=ctrl+z; app.help=f1,f2" in out
    code, out = config("list", db=db)
    assert "keymap" in out and "study.undo=ctrl+z" in out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("undo", "not binding-id=keys pairs separated by ';' ('undo')"),
        ("study.undo=ctrl z", "not key names for study.undo ('ctrl z'), e.g. ctrl+z or f1"),
        ("study.nothing=x", "keymap: no binding 'study.nothing'; `hccquiz config keys` lists"),
        ("=x", "not binding-id=keys pairs"),
    ],
)
def test_a_bad_keymap_is_one_line(tmp_path: Path, value: str, message: str, cli_run) -> None:  # type: ignore[no-untyped-def]
    result = cli_run("config", "set", "keymap", value, "--db", tmp_path / "p.db")
    assert result.returncode == 1 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def test_config_keys_lists_every_binding_id(cli_run) -> None:  # type: ignore[no-untyped-def]
    result = cli_run("config", "keys")
    assert result.returncode == 0
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert ids == sorted(binding_ids()) and len(ids) == len(set(ids))
    for wanted in ("app.quit", "study.undo", "study.edit", "browse.search", "browse.reset",
                   "home.browse", "quizresult.edit"):  # fmt: skip
        assert wanted in ids


async def test_the_app_puts_the_keymap_on_its_bindings(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    assert ws.settings is not None
    ws.settings.set("keymap", "study.undo=ctrl+z")
    app = create_app(ws, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "3")
        await settle(pilot)
        assert len(ws.store.reviews()) == 1
        await pilot.press("u")  # no longer undo
        await settle(pilot)
        assert len(ws.store.reviews()) == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert ws.store.reviews() == []


async def test_a_damaged_stored_keymap_warns_and_keeps_the_keys(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    (tmp_path / "settings.json").write_text(json.dumps({"keymap": "study.gone=x"}))
    app = create_app(ws, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        notes = " ".join(n.message for n in app._notifications)
        assert "keymap: no binding 'study.gone'" in notes and "keys left as they are" in notes
        await pilot.press("space", "3")
        await settle(pilot)
        await pilot.press("u")  # the default key still works
        await settle(pilot)
        assert ws.store.reviews() == []
