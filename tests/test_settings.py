"""The settings table, where each setting lives, and ``hccquiz config`` (issue 10, item 7)."""

from __future__ import annotations

import json
from datetime import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hccquiz.cli import cli
from hccquiz.grading import Scale
from hccquiz.store import Store
from hccquiz.study import SETTINGS, SettingError, StudyConfig, setting
from hccquiz.study.preferences import MachineFile, Settings
from hccquiz.study.sync import sync_files

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    with Store.open(path) as store:
        from datetime import UTC, datetime

        sync_files(store, [ROOT / "decks" / "imbrave150.yaml"], now=datetime.now(UTC))
    return path


def config(*args: str, db: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["config", *args, "--db", str(db)])
    text = result.output + (result.stderr if result.stderr_bytes else "")
    if result.exception and not isinstance(result.exception, SystemExit):
        text += str(result.exception)
    return result.exit_code, text


def test_every_setting_takes_its_own_default() -> None:
    for entry in SETTINGS:
        assert entry.normal(entry.default) == entry.default, entry.key
        assert entry.help and entry.where in ("database", "machine")


def test_the_theme_list_is_textuals() -> None:
    from textual.theme import BUILTIN_THEMES

    assert set(setting("theme").choices) == set(BUILTIN_THEMES)


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("new_per_day", "lots", "new_per_day: 'lots' is not a whole number from 0 to 9999"),
        ("new_per_day", "-1", "not a whole number"),
        ("reviews_per_day", "1e3", "not a whole number"),
        ("day_starts_at", "25:00", "day_starts_at: '25:00' is not a time like 04:00"),
        ("scale", "five", "scale: 'five' is not one of four, six"),
        ("drill", "maybe", "drill: 'maybe' is not on or off"),
        ("level", "intern", "level: 'intern' is not one of all, med-student"),
        ("theme", "neon", "theme: 'neon' is not one of textual-dark, textual-light, nord"),
    ],
)
def test_bad_values_are_one_line_errors(key: str, text: str, message: str) -> None:
    with pytest.raises(SettingError) as caught:
        setting(key).check(text)
    assert str(caught.value).startswith(f"{key}: {text!r} is ")
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_values_are_stored_in_a_normal_form() -> None:
    assert setting("new_per_day").normal(" 030 ") == "30"
    assert setting("day_starts_at").normal("5:30") == "05:30"
    assert setting("drill").normal("TRUE") == "on"
    with pytest.raises(SettingError, match="no setting 'colour'; settings: new_per_day"):
        setting("colour")


def test_study_config_reads_every_deck_and_one_deck() -> None:
    stored = {"new_per_day": "30", "deck:imbrave150:new_per_day": "5", "scale": "six",
              "deck:other:reviews_per_day": "7", "day_starts_at": "06:15", "drill": "off",
              "level": "fellow", "something-else": "ignored"}  # fmt: skip
    cfg = StudyConfig.from_settings(stored)
    assert (cfg.new_limit("imbrave150"), cfg.new_limit("other")) == (5, 30)
    assert (cfg.review_limit("imbrave150"), cfg.review_limit("other")) == (200, 7)
    assert (cfg.scale, cfg.day_starts_at, cfg.drill) == (Scale.SIX, time(6, 15), False)
    assert StudyConfig.from_settings(cfg.to_settings()) == cfg


def test_scale_given_as_text_is_a_scale() -> None:
    # the defect of item 1: `--scale six` handed the session a str
    cfg = StudyConfig.from_settings({}, scale="six")
    assert cfg.scale is Scale.SIX and cfg.scale.grades[0].key == "0"
    assert StudyConfig(scale="four").scale is Scale.FOUR  # type: ignore[arg-type]
    with pytest.raises(SettingError):
        StudyConfig.from_settings({}, scale="five")


def test_config_set_get_list_unset(db: Path, private_settings_file: Path) -> None:
    assert config("get", "new_per_day", db=db) == (0, "20\n")
    assert config("set", "new_per_day", "30", db=db) == (0, "new_per_day = 30\n")
    assert config("set", "new_per_day", "5", "--deck", "imbrave150", db=db) == (
        0, "new_per_day = 5 for deck imbrave150\n",
    )  # fmt: skip
    assert config("get", "new_per_day", "--deck", "imbrave150", db=db) == (0, "5\n")
    code, text = config("list", db=db)
    assert code == 0
    assert "new_per_day       30             (every deck) New cards a deck introduces" in text
    assert "new_per_day       5              (deck imbrave150:" in text
    assert "theme             textual-dark   (default)" in text
    assert config("unset", "new_per_day", "--deck", "imbrave150", db=db) == (
        0, "new_per_day = 30 (every deck)\n",
    )  # fmt: skip
    with Store.open(db) as store:
        assert store.settings() == {"new_per_day": "30"}
        assert Settings(store).study_config().new_limit("imbrave150") == 30


def test_config_errors_are_one_line(db: Path) -> None:
    code, text = config("set", "new_per_day", "lots", db=db)
    assert code == 1 and "new_per_day: 'lots' is not a whole number" in text
    code, text = config("set", "scale", "six", "--deck", "imbrave150", db=db)
    assert code == 1 and "scale is one setting for every deck: leave out --deck" in text
    code, text = config("get", "new_per_day", "--deck", "nope", db=db)
    assert code == 1 and "no deck 'nope' in the progress database (decks: imbrave150)" in text
    code, text = config("get", "colour", db=db)
    assert code == 2 and "'colour' is not one of" in text
    code, text = config("set", "new_per_day", "-1", db=db)  # a value, not an option
    assert code == 1 and "new_per_day: '-1' is not a whole number from 0 to" in text
    code, text = config("set", "desired_retention", "-0.5", db=db)
    assert code == 1 and "'-0.5' is not a desired retention" in text


def test_the_theme_lives_on_this_machine_and_limits_in_the_database(
    db: Path, private_settings_file: Path
) -> None:
    assert config("set", "theme", "nord", db=db)[0] == 0
    assert config("set", "level", "fellow", db=db)[0] == 0
    assert json.loads(private_settings_file.read_text()) == {"theme": "nord"}
    with Store.open(db) as store:
        assert store.settings() == {"level": "fellow"}
    assert config("get", "theme", db=db) == (0, "nord\n")


def test_a_damaged_settings_file_is_located(tmp_path: Path, db: Path) -> None:
    bad = tmp_path / "settings.json"
    bad.write_text('{"theme": "nord",\n  oops}')
    with Store.open(db) as store, pytest.raises(SettingError) as caught:
        Settings(store, MachineFile(bad)).get("theme")
    assert str(caught.value).startswith(f"{bad}:2:3: not a settings file")
    bad.write_text('{"theme": 3}')
    with Store.open(db) as store, pytest.raises(SettingError, match="object of text values"):
        Settings(store, MachineFile(bad)).get("theme")


def test_the_cli_reports_a_damaged_settings_file(tmp_path: Path, db: Path, cli_run) -> None:
    bad = tmp_path / "settings.json"
    bad.write_text("[")
    result = cli_run("config", "get", "theme", "--db", db, env={"HCCQUIZ_CONFIG": str(bad)})
    assert result.returncode == 1
    assert result.stderr.startswith(f"hccquiz: {bad}:1:2: not a settings file")
    assert "Traceback" not in result.stderr
