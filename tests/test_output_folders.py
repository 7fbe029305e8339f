"""An output path the user names in a missing folder: the folders are made, and said.

`progress export -o`, `cohort report -o/--json`, `draft -o` and `export -o` all make the
missing folders of the path they are given (as docs/draft.md has ``draft -o drafts/...``
do), and each names on stderr every folder it made, so that a mistyped path
(``/nonexist/dir/x.csv``) is never followed silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from damage import progress_db, write_deck

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = ROOT / "tests" / "fixtures" / "himalaya-nejm-evid-2022-summary.txt"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A deck, a database with reviews, and a progress log exported from it."""
    from conftest import run_cli

    folder = tmp_path_factory.mktemp("inputs")
    deck = write_deck(folder / "deck.yaml", 20)
    db = progress_db(folder / "p.db", deck, graded=10)
    log = folder / "log.csv"
    made = run_cli("progress", "export", "--db", db, "-o", log)
    assert made.returncode == 0, made.stderr
    return {"deck": deck, "db": db, "log": log}


COMMANDS = {
    "progress export -o": lambda i, out: ["progress", "export", "--db", i["db"], "-o", out],
    "cohort report -o": lambda i, out: ["cohort", "report", i["log"], "-o", out],
    "cohort report --json": lambda i, out: ["cohort", "report", i["log"], "--json", out],
    "draft -o": lambda i, out: ["draft", SUMMARY, "-o", out],
    "export -o": lambda i, out: ["export", i["deck"], "-o", out],
}
SUFFIX = {
    "progress export -o": ".csv",
    "cohort report -o": ".html",
    "cohort report --json": ".json",
    "draft -o": ".yaml",
    "export -o": ".apkg",
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_folders_made_for_an_output_are_named(
    command: str, inputs, tmp_path: Path, cli_run
) -> None:
    out = tmp_path / "nonexist" / "dir" / f"x{SUFFIX[command]}"
    result = cli_run(*COMMANDS[command](inputs, out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.is_file() and out.stat().st_size > 0
    made = f"hccquiz: made the folders {out.parent.parent}, {out.parent} (they did not exist)"
    assert result.stderr.splitlines().count(made) == 1, result.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_existing_folder_is_written_to_without_a_word(
    command: str, inputs, tmp_path: Path, cli_run
) -> None:
    out = tmp_path / f"x{SUFFIX[command]}"
    result = cli_run(*COMMANDS[command](inputs, out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.is_file() and out.stat().st_size > 0
    assert "made the folder" not in result.stderr


def test_a_folder_named_for_the_packages_is_made_and_named(inputs, tmp_path, cli_run) -> None:
    named = cli_run("export", inputs["deck"], "-o", "packages/", cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    assert (tmp_path / "packages" / "demo.apkg").is_file()
    assert "hccquiz: made the folder packages (it did not exist)" in named.stderr.splitlines()


def test_a_file_in_the_path_is_refused_and_nothing_is_made(inputs, tmp_path, cli_run) -> None:
    (tmp_path / "notes.txt").write_text("x")
    out = tmp_path / "notes.txt" / "sub" / "x.csv"
    result = cli_run("progress", "export", "--db", inputs["db"], "-o", out, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"hccquiz: {out}: cannot write: a part of the path is a file"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
