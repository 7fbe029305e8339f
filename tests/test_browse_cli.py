"""`hccquiz browse [DECK]... [QUERY]`: DECK arguments first, then the words to search for;
each filter reaches the browser (issue 15)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from tui_support import settle

from hccquiz.cli import cli
from hccquiz.cli._study import AUTOPILOT
from hccquiz.store import BrowseQuery

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HCCQUIZ_DB", str(tmp_path / "progress.db"))
    monkeypatch.setenv("HCCQUIZ_CONFIG", str(tmp_path / "settings.json"))
    shutil.copy(ROOT / "decks" / "imbrave150.yaml", tmp_path / "mine.yaml")
    return tmp_path


def browse(*args: str) -> tuple[BrowseQuery, list[str], str]:
    """Run `hccquiz browse ARGS` headless: the browser's query, its rows' deck ids, and
    what the CLI printed."""
    seen: list[tuple[BrowseQuery, list[str]]] = []

    async def look(pilot) -> None:  # type: ignore[no-untyped-def]
        from hccquiz.tui.screens.browse import BrowserScreen

        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, BrowserScreen)
        seen.append((screen.query_now, sorted({r.deck_id for r in screen.rows})))
        pilot.app.exit()

    result = CliRunner().invoke(cli, ["browse", *args], obj={AUTOPILOT: look})
    output = result.output + (result.stderr if result.stderr_bytes else "")
    assert result.exit_code == 0 and "Traceback" not in output, output
    return seen[0][0], seen[0][1], output


@pytest.mark.parametrize(
    ("args", "decks", "search"),
    [
        (["hazard", "ratio"], (), "hazard ratio"),  # no deck named: every deck in use
        (["imbrave150", "hazard", "ratio"], ("imbrave150",), "hazard ratio"),
        (["imbrave150"], ("imbrave150",), ""),
        (["{here}/mine.yaml", "varices"], ("imbrave150",), "varices"),
        (["imbrave150", "--search", "varices bleeding"], ("imbrave150",), "varices bleeding"),
        (["imbrave150", "question:hazard", "--search", "0.58"], ("imbrave150",),
         "question:hazard 0.58"),
    ],
)  # fmt: skip
def test_deck_arguments_come_first_then_the_query(
    here: Path, args: list[str], decks: tuple[str, ...], search: str
) -> None:
    query, shown, _ = browse(*(a.format(here=here) for a in args))
    assert query.search == search
    assert query.decks == (decks or query.decks) and query.decks  # the decks synced
    if decks:
        assert set(shown) <= set(decks)


def test_a_path_that_is_not_there_is_an_error_not_a_search(here: Path, cli_run) -> None:  # type: ignore[no-untyped-def]
    result = cli_run("browse", "decks/nothing.yaml", "hazard", cwd=here)
    assert result.returncode == 1
    assert "decks/nothing.yaml: no such deck file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--level", "resident"], {"levels": ("resident",)}),
        (["--tag", "efficacy"], {"tags": ("efficacy",)}),
        (["--level", "resident", "--level", "fellow"], {"levels": ("resident", "fellow")}),
        (["--tag", "efficacy", "--tag", "safety"], {"tags": ("efficacy", "safety")}),
        *((["--state", s], {"state": s}) for s in
          ("all", "new", "learning", "due", "suspended", "changed", "retired")),
        (["--sort", "due"], {"sort": "due", "descending": False}),
        (["--sort", "lapses", "--reverse"], {"sort": "lapses", "descending": True}),
    ],
)  # fmt: skip
def test_each_filter_reaches_the_browser(
    here: Path, args: list[str], expected: dict[str, object]
) -> None:
    query, _, _ = browse("imbrave150", *args)
    for key, value in expected.items():
        assert getattr(query, key) == value, key


def test_the_cli_choices_are_the_stores() -> None:
    from hccquiz.cli._study import BROWSE_STATE_NAMES, SORT_NAMES
    from hccquiz.store import BROWSE_STATES, SORT_KEYS

    assert BROWSE_STATE_NAMES == BROWSE_STATES and SORT_NAMES == SORT_KEYS


def test_several_filter_values_show_as_one_short_entry() -> None:
    from hccquiz.tui.widgets.cardtable import ALL, filter_options, filter_values

    known = [("Resident", "resident"), ("Fellow", "fellow")]
    assert filter_options("all levels", known, ()) == ([("all levels", ALL), *known], ALL)
    assert filter_options("all levels", known, ("fellow",))[1] == "fellow"
    options, value = filter_options("all levels", known, ("resident", "fellow"))
    assert options[-1] == ("2 levels", value) and filter_values(value) == ("resident", "fellow")
    options, value = filter_options("all tags", [], ("hcc",))  # a tag not listed yet
    assert options[-1] == ("hcc", value) and filter_values(value) == ("hcc",)
    assert filter_values(ALL) == () and filter_values("fellow") == ("fellow",)
