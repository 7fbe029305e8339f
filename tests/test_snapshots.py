"""Snapshots of the main screens at 80x24 (pytest-textual-snapshot).

Update them after an intended change with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the SVGs before committing.
"""

from __future__ import annotations

from pathlib import Path

from tui_support import make_workspace, settle

from hccquiz.tui import create_app

SIZE = (80, 24)


class TestStudyScreens:
    def test_study_question(self, snap_compare, tmp_path: Path) -> None:
        app = create_app(make_workspace(tmp_path), start="study")
        assert snap_compare(app, terminal_size=SIZE)

    def test_study_answer(self, snap_compare, tmp_path: Path) -> None:
        app = create_app(make_workspace(tmp_path), start="study")
        assert snap_compare(app, press=["space"], terminal_size=SIZE)

    def test_choice_answered(self, snap_compare, tmp_path: Path) -> None:
        app = create_app(make_workspace(tmp_path), start="study")
        keys = ["space", "3", "space", "3", "space", "3", "b"]
        assert snap_compare(app, press=keys, terminal_size=SIZE)


class TestResultScreens:
    def test_quiz_result(self, snap_compare, tmp_path: Path) -> None:
        app = create_app(make_workspace(tmp_path), start="quiz", quiz_count=2)

        async def answer(pilot) -> None:  # type: ignore[no-untyped-def]
            for _ in range(2):
                question = app.screen.question
                if question.choices is not None and question.item.multiple:
                    await pilot.press("c", "enter", "enter")
                elif question.choices is not None:
                    await pilot.press("c", "enter")
                else:
                    await pilot.press("space", "1")
            await pilot.pause()

        assert snap_compare(app, run_before=answer, terminal_size=SIZE)

    def test_stats(self, snap_compare, tmp_path: Path) -> None:
        app = create_app(make_workspace(tmp_path), start="stats")
        assert snap_compare(app, run_before=settle, terminal_size=SIZE)
