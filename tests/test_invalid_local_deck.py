"""One invalid local deck no longer blocks everything (today2, item 3): `hccquiz decks`
names its first problem and exits 1; bare `hccquiz`/`home` and `study` open on the valid
decks with the problem on home, writing nothing for the invalid deck; a deck named on the
command line must still be valid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tui_support import screen_text, settle

from hccquiz.cli import cli
from hccquiz.cli._study import AUTOPILOT
from hccquiz.errors import HccquizError
from hccquiz.store import Store
from hccquiz.study import Filters

VALID = """\
id: bad
title: Soon broken
levels: [resident]
items:
  - id: q1
    question: "One?"
    answer: "A"
  - id: q2
    question: "Two?"
    answer: "B"
"""
INVALID = VALID.replace('    answer: "A"\n', "")  # q1 has no answer: line 5, column 5
PROBLEM = "decks/bad.yaml:5:5: items[0] (q1): missing required field 'answer'"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder whose decks/bad.yaml was synced while valid, then broken."""
    (tmp_path / "decks").mkdir()
    deck = tmp_path / "decks" / "bad.yaml"
    deck.write_text(VALID, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HCCQUIZ_DB", str(tmp_path / "p.db"))  # bare hccquiz has no --db
    result = CliRunner().invoke(cli, ["sync", "decks/bad.yaml", "--db", "p.db"])
    assert result.exit_code == 0, result.output
    deck.write_text(INVALID, encoding="utf-8")
    return tmp_path


def stored(db: Path) -> tuple[Any, ...]:
    """Everything stored of deck `bad`: its cards, its file and its digest."""
    with Store.open(db, readonly=True) as store:
        cards = store.cards(store.card_ids(Filters(("bad",))))
        return tuple(cards), store.deck_paths()["bad"], store.deck_titles()["bad"]


def run_app(*args: str) -> tuple[int, str, str]:
    """Exit code, output and the first screen of the app."""
    seen: list[str] = []

    async def drive(pilot: Any) -> None:
        await settle(pilot)
        seen.append(screen_text(pilot.app))
        await pilot.press("q")

    result = CliRunner().invoke(cli, list(args), obj={AUTOPILOT: drive})
    output = result.output + (str(result.exception) if result.exception else "")
    return result.exit_code, output, seen[0] if seen else ""


def test_decks_names_the_first_problem_and_fails(folder: Path) -> None:
    result = CliRunner().invoke(cli, ["decks", "--db", "p.db"])
    assert result.exit_code == 1
    assert f"  not valid: {PROBLEM}\n      local decks/: decks/bad.yaml" in result.output
    assert "imbrave150: IMbrave150" in result.output  # the valid decks are still listed
    assert isinstance(result.exception, HccquizError)
    assert "1 deck file(s) not valid" in str(result.exception)


@pytest.mark.parametrize("command", [[], ["home"], ["study"]])
def test_the_app_opens_on_the_valid_decks(folder: Path, command: list[str]) -> None:
    before = stored(folder / "p.db")
    code, output, screen = run_app(*command)
    assert code == 0, output
    assert PROBLEM in output  # also said on the terminal, where it stays after the app
    if command != ["study"]:
        assert "⚠ decks/bad.yaml:5:5: items[0] (q1): missing required field" in screen
        assert "IMbrave150" in screen and "Soon broken" not in screen
    else:
        assert "Show answer" in screen
    assert stored(folder / "p.db") == before  # nothing written for the invalid deck


def test_a_named_invalid_deck_is_still_refused(folder: Path) -> None:
    before = stored(folder / "p.db")
    code, output, screen = run_app("study", "decks/bad.yaml", "--db", "p.db")
    assert code == 1 and not screen
    assert PROBLEM in output and "nothing studied" in output
    assert stored(folder / "p.db") == before


def test_stats_leave_the_invalid_deck_out_as_home_does(folder: Path) -> None:
    import json

    def counted() -> tuple[list[str], list[str]]:
        result = CliRunner().invoke(cli, ["stats", "--json", "--db", "p.db"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        return data["decks_counted"], data["decks_not_counted"]

    assert counted() == ([], ["bad"])  # the bundled deck is not synced yet; bad is invalid
    run_app("home")
    assert counted() == (["imbrave150"], ["bad"])
    # fixed but edited since its last sync: counted, as home would sync and show it
    (folder / "decks" / "bad.yaml").write_text(VALID.replace("One?", "Uno?"), encoding="utf-8")
    assert counted() == (["bad", "imbrave150"], [])
