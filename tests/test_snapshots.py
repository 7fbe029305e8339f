"""Snapshots of the main screens at 80x24 and at 60x20 (pytest-textual-snapshot).

Update them after an intended change with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the SVGs before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import make_workspace, settle

from hccquiz.tui import create_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]


async def miss_five(pilot) -> None:  # type: ignore[no-untyped-def]
    """Answer five quiz questions wrong, then scroll the result to its end."""
    for _ in range(5):
        await settle(pilot)
        question = pilot.app.screen.question
        if question.choices is not None:
            await pilot.press("c", *(["enter"] if question.item.multiple else []))
            await settle(pilot)
            await pilot.press("space")
        else:
            await pilot.press("space", "1")
    await settle(pilot)
    await pilot.press("end")
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
class TestStudyScreens:
    def test_home(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        app = create_app(make_workspace(tmp_path))
        assert snap_compare(app, run_before=settle, terminal_size=size)

    def test_study_question(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        app = create_app(make_workspace(tmp_path), start="study")
        assert snap_compare(app, run_before=settle, terminal_size=size)

    def test_study_answer(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        app = create_app(make_workspace(tmp_path), start="study")

        async def reveal(pilot) -> None:  # type: ignore[no-untyped-def]
            await settle(pilot)
            await pilot.press("space")
            await settle(pilot)

        assert snap_compare(app, run_before=reveal, terminal_size=size)

    def test_choice_answered(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        app = create_app(make_workspace(tmp_path), start="study")

        async def answer(pilot) -> None:  # type: ignore[no-untyped-def]
            for key in ("space", "3", "space", "3", "b"):
                await settle(pilot)
                await pilot.press(key)
            await settle(pilot)

        assert snap_compare(app, run_before=answer, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
class TestResultScreens:
    def test_quiz_result_five_missed_scrolled_to_the_end(
        self, snap_compare, tmp_path: Path, size: tuple[int, int]
    ) -> None:
        app = create_app(make_workspace(tmp_path), start="quiz", quiz_count=5)
        assert snap_compare(app, run_before=miss_five, terminal_size=size)

    def test_stats(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        app = create_app(make_workspace(tmp_path), start="stats")
        assert snap_compare(app, run_before=settle, terminal_size=size)

    def test_help(self, snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
        app = create_app(make_workspace(tmp_path), start="study")

        async def open_help(pilot) -> None:  # type: ignore[no-untyped-def]
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)

        assert snap_compare(app, run_before=open_help, terminal_size=size)
