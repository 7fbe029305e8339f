"""The card browser at 80x24 and at 60x20 (pytest-textual-snapshot), and its footer keeping
Quit and Help at both sizes (issue 15). Update with ``--snapshot-update`` after an
intended change and look at the SVGs before committing."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import make_workspace, screen_text, settle

from hccquiz.store import BrowseQuery
from hccquiz.study import Filters, Workspace
from hccquiz.tui import create_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]


def studied(tmp_path: Path) -> Workspace:
    """The test deck with its first card (the hazard ratio) graded Again, then Good when
    the same-day drill brings it back: a history of two."""
    ws = make_workspace(tmp_path)
    session = ws.session(Filters())
    first = session.next_card()
    assert first is not None and first.item.id == "basic-hr"
    session.grade(2)  # Again on the four-button scale
    while (card := session.next_card()) is not None:
        session.grade(4 if card.card_id == first.card_id else 3)
        if card.card_id == first.card_id:
            break
    return ws


async def scroll_detail(pilot) -> None:  # type: ignore[no-untyped-def]
    """The detail pane scrolled to its end (the history)."""
    await settle(pilot)
    pilot.app.screen.query_one("#detail").scroll_end(animate=False)
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
class TestBrowserScreens:
    def test_browser(
        self, snap_compare, tmp_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)  # deck files show relative to the current folder
        app = create_app(make_workspace(tmp_path), start="browse")
        assert snap_compare(app, run_before=settle, terminal_size=size)

    def test_browser_search_and_history_scrolled(
        self, snap_compare, tmp_path: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        app = create_app(studied(tmp_path), start="browse", browse=BrowseQuery(search="hazard"))
        assert snap_compare(app, run_before=scroll_detail, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_browser_footer_keeps_quit_and_help(tmp_path: Path, size: tuple[int, int]):
    app = create_app(make_workspace(tmp_path), start="browse")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]  # in the search box, letters type
        for key in ("esc Back", "↓ Cards"):
            assert key in footer, footer
        for key in ("/ Search", "s Suspend", "q Quit", "? Help"):
            assert key not in footer, footer
        await pilot.press("down")  # to the table
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        for key in ("esc Back", "/ Search", "s Suspend", "r Reset", "e Edit", "q Quit", "? Help"):
            assert key in footer, footer
        assert "↓ Cards" not in footer, footer
        assert "deck.yaml:5" in screen_text(app)


async def test_a_deck_file_shows_relative_to_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(make_workspace(tmp_path), start="browse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert f"{tmp_path}/deck.yaml:5" in screen_text(app)  # elsewhere: the full path
    monkeypatch.chdir(tmp_path)
    app = create_app(make_workspace(tmp_path), start="browse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert f"{tmp_path}/deck.yaml" not in screen_text(app)
        assert " deck.yaml:5 " in f" {screen_text(app)} ".replace("\n", " ")
