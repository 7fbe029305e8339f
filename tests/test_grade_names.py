"""Grades are shown in the scale in use: on the four buttons the key pressed and its label
(``3 Good``, not the stored quality 4), on the six grades the quality and its name, in the
browser's table and history and in the session summary (`hccquiz.grading.Scale`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable
from tui_support import make_workspace, screen_text, settle

from hccquiz.grading import DRILL_PASS, FOUR_BUTTON, PASS, Scale
from hccquiz.store import BrowseQuery
from hccquiz.study import Filters, StudyConfig
from hccquiz.tui import create_app
from hccquiz.tui.screens.browse import BrowserScreen
from hccquiz.tui.screens.quiz import missed_markdown
from hccquiz.tui.screens.summary import summary_lines

RESIDENT = Filters(levels=("resident",))  # the hazard-ratio card first


def test_four_buttons_name_the_key_pressed() -> None:
    assert [Scale.FOUR.grade_name(g.quality) for g in FOUR_BUTTON] == [
        "1 Again", "2 Hard", "3 Good", "4 Easy"
    ]  # fmt: skip
    # 0 and 1, given on the six grades, are on the Again button (as FSRS rates them)
    assert Scale.FOUR.grade_name(0) == Scale.FOUR.grade_name(1) == "1 Again"


def test_six_grades_name_the_quality() -> None:
    names = [Scale.SIX.grade_name(q) for q in range(6)]
    assert names == ["0 Blank", "1 Wrong", "2 Again", "3 Hard", "4 Good", "5 Easy"]
    assert all(len(n) <= 7 for n in names)  # the browser's Last column is 7 wide
    with pytest.raises(ValueError):
        Scale.SIX.grade_name(6)


def test_the_pass_threshold_is_named_on_each_scale() -> None:
    assert (Scale.FOUR.threshold(PASS), Scale.FOUR.threshold(DRILL_PASS)) == ("Hard", "Good")
    assert (Scale.SIX.threshold(PASS), Scale.SIX.threshold(DRILL_PASS)) == ("3", "4")


def _last_cell(app) -> str:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, BrowserScreen)
    table = screen.query_one("#cards", DataTable)
    graded = [r for r in screen.rows if r.last_grade is not None]
    assert len(graded) == 1
    return str(table.get_cell(str(graded[0].card_id), "grade"))


@pytest.mark.parametrize(
    ("scale", "quality", "shown", "not_shown"),
    [
        ("four", 4, "3 Good", "4 Good"),  # key 3 records quality 4
        ("four", 5, "4 Easy", "5 Easy"),
        ("four", 2, "1 Again", "2 Again"),
        ("six", 4, "4 Good", "3 Good"),  # key 4 records quality 4
        ("six", 0, "0 Blank", "1 Again"),
    ],
)
async def test_the_browser_names_grades_as_the_scale_does(
    tmp_path: Path, scale: str, quality: int, shown: str, not_shown: str
) -> None:
    ws = make_workspace(tmp_path, config=StudyConfig(scale=Scale(scale)))
    session = ws.session(RESIDENT)
    card = session.next_card()
    assert card is not None and card.item.id == "basic-hr"
    session.grade(quality)
    app = create_app(ws, start="browse", browse=BrowseQuery(search="hazard"))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert _last_cell(app) == shown
        history = str(app.screen.query_one("#detail-history").render())
        assert f"  {shown} " in history and "study" in history
        assert not_shown not in screen_text(app)


def test_the_summary_names_the_threshold_in_the_scale_in_use(tmp_path: Path) -> None:
    for scale, passed, drilled in (
        (Scale.FOUR, "graded Hard or better", "graded below Good"),
        (Scale.SIX, "graded 3 or better", "graded below 4"),
    ):
        (tmp_path / scale.value).mkdir()
        ws = make_workspace(tmp_path / scale.value, config=StudyConfig(scale=scale))
        session = ws.session(RESIDENT)
        assert session.next_card() is not None
        session.grade(3)
        text = "\n".join(summary_lines(session.summary(), "tomorrow"))
        assert f"(1 of 1 {passed})" in text and drilled in text


@pytest.mark.parametrize(
    ("scale", "quality", "shown"), [("four", 2, "1 Again"), ("six", 1, "1 Wrong")]
)
def test_the_quiz_result_names_a_self_grade_as_the_scale_does(
    tmp_path: Path, scale: str, quality: int, shown: str
) -> None:
    ws = make_workspace(tmp_path, config=StudyConfig(scale=Scale(scale)))
    quiz = ws.quiz(RESIDENT, count=3)
    while (question := quiz.next_question()) is not None:
        if question.auto_scored:
            quiz.answer(question.choices[0])
        else:
            quiz.grade(quality)
    text = missed_markdown(quiz.report(), ws.config.scale)
    assert f"*You graded it {shown}.*" in text
