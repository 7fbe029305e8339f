"""The CLI's happy paths, its help, the committed schema and the module boundaries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hccquiz.cli import cli
from hccquiz.deck.file import load_deck
from hccquiz.deck.schema import deck_json_schema, schema_text

ROOT = Path(__file__).resolve().parents[1]
DECKS = ROOT / "decks"

TINY = """\
id: {deck_id}
title: Tiny
levels: [fellow]
items:
  - id: q1
    question: Q?
    answer: A
  - id: c1
    type: cloze
    levels: [phd, fellow]
    text: "HR {{{{c1::0.58}}}}, CI {{{{c2::0.42 to 0.79::range}}}}, again {{{{c1::0.58}}}}"
"""


def test_validate_bundled_decks_passes(cli_run) -> None:
    result = cli_run("validate", "decks/")
    assert result.returncode == 0, result.stderr
    assert "imbrave150.yaml: ok: imbrave150:" in result.stdout
    levels = result.stdout.split("levels: ", 1)[1].split(", ")
    order = [
        "med-student",
        "resident",
        "fellow",
        "attending",
        "phd",
        "journal-editor",
        "guideline-committee",
    ]
    assert [entry.split()[0] for entry in levels] == order
    assert "Traceback" not in result.stderr


def test_validate_summary_counts_items_cards_and_levels(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(TINY.format(deck_id="tiny"))
    result = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "tiny: 2 items, 3 cards, levels: fellow 2, phd 1" in result.output


def test_validate_folder_without_decks_fails(tmp_path: Path, cli_run) -> None:
    (tmp_path / "notes.txt").write_text("nothing")
    result = cli_run("validate", tmp_path)
    assert result.returncode == 1
    assert "no *.yaml or *.yml deck files" in result.stderr


def test_same_deck_id_in_two_files_fails(tmp_path: Path, cli_run) -> None:
    (tmp_path / "a.yaml").write_text(TINY.format(deck_id="same"))
    (tmp_path / "b.yml").write_text(TINY.format(deck_id="same"))
    result = cli_run("validate", tmp_path)
    assert result.returncode == 1
    assert f"{tmp_path / 'b.yml'}:1:1: deck id 'same' is already used by" in result.stderr


def test_valid_and_invalid_together_exit_1(tmp_path: Path, cli_run) -> None:
    (tmp_path / "a.yaml").write_text(TINY.format(deck_id="good"))
    (tmp_path / "b.yaml").write_text("id: bad\n")
    result = cli_run("validate", tmp_path / "a.yaml", tmp_path / "b.yaml")
    assert result.returncode == 1
    assert "a.yaml: ok: good" in result.stdout
    assert "b.yaml:1:1: missing required field 'title'" in result.stderr


def test_cloze_cards_follow_deletion_numbers(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(TINY.format(deck_id="tiny"))
    deck = load_deck(tmp_path / "tiny.yaml")
    cloze = deck.items[1]
    assert cloze.card_numbers == [1, 2]
    assert [d.hint for d in cloze.deletions] == [None, "range", None]
    assert deck.item_levels(deck.items[0]) == ["fellow"]


def test_committed_schema_is_current() -> None:
    committed = (DECKS / "deck.schema.json").read_text()
    assert committed == schema_text(), "run: hccquiz schema > decks/deck.schema.json"


def test_schema_command_prints_the_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == deck_json_schema()


def test_every_command_has_help_text() -> None:
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), f"{name} has no help"
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name


def test_python_m_and_version(cli_run) -> None:
    result = cli_run("--version")
    assert result.returncode == 0
    assert "hccquiz" in result.stdout


def test_unknown_command_is_a_usage_error(cli_run) -> None:
    result = cli_run("no-such-command")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


BOUNDARIES = {
    # module -> packages (or modules) it must not load: the CLI loads no scheduler until a
    # command schedules (hccquiz.scheduling_choices names them)
    "hccquiz.cli": {
        "pydantic",
        "yaml",
        "textual",
        "rich",
        "sqlite3",
        "genanki",
        "sqlite_utils",
        "fsrs",
        "hccquiz.fsrs",
        "hccquiz.sm2",
        "hccquiz.scheduler",
    },
    "hccquiz.deck.models": {"yaml", "textual", "rich", "sqlite3", "genanki", "click"},
    "hccquiz.deck.file": {"textual", "rich", "sqlite3", "genanki", "sqlite_utils"},
}


@pytest.mark.parametrize("module", sorted(BOUNDARIES))
def test_import_boundaries(module: str) -> None:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    banned = BOUNDARIES[module]
    leaked = {name for name in loaded if name.split(".")[0] in banned or name in banned}
    assert not leaked, f"{module} loads {sorted(leaked)}"


ONLY_IN = {  # third-party package -> the only modules (or folder) allowed to import it
    "textual": ("tui/",),
    "rich": ("tui/",),
    "sqlite3": ("store/", "anki/package.py"),  # the in-memory package build is the exemption
    "sqlite_utils": ("store/",),
    "genanki": ("anki/",),
    "yaml": ("deck/parse.py", "deck/fastparse.py", "draft/"),  # fastparse: the 1.1 resolvers
    "yaml_rs": ("deck/fastparse.py",),
}


def test_only_the_owning_modules_import_their_packages() -> None:
    import ast

    src = ROOT / "src" / "hccquiz"
    offenders = []
    for path in src.rglob("*.py"):
        rel = path.relative_to(src).as_posix()
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                owners = ONLY_IN.get(name.split(".")[0])
                if owners and not rel.startswith(owners):
                    offenders.append(f"{rel} imports {name}")
    assert not offenders, offenders
