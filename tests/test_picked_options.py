"""The options a choice answer picked are kept in the review log (migration 0007), from
the study app, from `Session.grade` and from `Quiz.answer`, for the cohort report's
distractor analysis."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import make_workspace, settle

from hccquiz.study import Filters, Session
from hccquiz.tui import create_app

SIZE = (100, 40)


async def test_the_study_screen_records_the_option_picked(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study", filters=Filters(levels=("resident",)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "3")  # the basic card
        await pilot.press("b")  # "602" of 501 / 602 / 954, in the author's order
        await pilot.press("enter")
        await settle(pilot)
    reviews = ws.store.reviews()
    assert [(r.quality, r.picked) for r in reviews] == [(4, None), (2, ("602",))]


async def test_select_all_records_every_option_picked(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study", filters=Filters(levels=("phd",)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a", "c", "enter", "enter")  # OS and ORR: wrong (OS and PFS)
        await settle(pilot)
    (review,) = ws.store.reviews()
    assert review.picked == ("OS", "ORR") and review.quality == 2


async def test_revealed_without_a_pick_records_an_empty_pick(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study", filters=Filters(levels=("phd",)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "enter")
        await settle(pilot)
    (review,) = ws.store.reviews()
    assert review.picked == () and review.quality == 2  # nothing picked: wrong, as in a quiz


def test_session_grade_checks_the_picks(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    session = Session(ws.store, clock=ws.clock, filters=Filters(levels=("phd",)))
    card = session.next_card()
    assert card is not None and card.item.id == "choice-all"
    with pytest.raises(ValueError, match="not options of this card"):
        session.grade(4, picked=["OS", "DFS"])
    with pytest.raises(ValueError, match="not options of this card"):
        session.grade(4, picked="OS")
    result = session.grade(4, picked=["OS", "PFS"])
    assert result.review.picked == ("OS", "PFS")
    assert ws.store.reviews()[-1].picked == ("OS", "PFS")


def test_a_basic_card_takes_no_picks(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    session = Session(ws.store, clock=ws.clock, filters=Filters(levels=("resident",)))
    card = session.next_card()
    assert card is not None and card.item.type == "basic"
    with pytest.raises(ValueError, match="not options of this card"):
        session.grade(4, picked=["0.58"])
    assert not ws.store.reviews()
