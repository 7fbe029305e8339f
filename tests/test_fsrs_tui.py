"""The study app with FSRS in force, through Textual's Pilot, on a real temp database."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

from tui_support import make_workspace, screen_text, settle

from hccquiz.clock import DayBoundary
from hccquiz.study.scheduling import switch_scheduler
from hccquiz.tui import create_app
from hccquiz.tui.screens.stats import StatsScreen
from hccquiz.tui.screens.study import StudyScreen

SIZE = (80, 24)


def fsrs_workspace(tmp_path: Path):  # type: ignore[no-untyped-def]
    ws = make_workspace(tmp_path)
    switch_scheduler(ws.store, "fsrs", now=ws.clock.now(), boundary=DayBoundary(tz=UTC))
    return ws


async def test_fsrs_buttons_show_steps_and_a_failed_card_comes_back(tmp_path: Path) -> None:
    ws = fsrs_workspace(tmp_path)
    app = create_app(ws, start="study")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        first = app.screen.card
        assert first is not None and "What was the OS hazard ratio?" in screen_text(app)
        await pilot.press("space")
        text = screen_text(app)
        assert "Again · 1m" in text and "Hard · 6m" in text and "Good · 10m" in text
        easy = first.preview(5)
        assert easy.interval is not None and easy.interval >= 6
        assert f"Easy · {easy.interval}d" in text
        await pilot.press("1")  # Again: back in a minute
        assert [(r.kind, r.scheduler) for r in ws.store.reviews()] == [("study", "fsrs")]
        for _ in range(4):  # the other new cards
            await pilot.press("space", "3")
            await settle(pilot)
        ws.clock.advance(timedelta(minutes=2))
        await pilot.press("space", "3")  # the last one; then the failed card's step is over
        await settle(pilot)
        card = app.screen.card
        assert card is not None and card.card_id == first.card_id and card.queue == "drill"
        assert "step · R 100%" in screen_text(app)  # FSRS's predicted recall, same day
        await pilot.press("space")
        assert "Good · 10m" in screen_text(app)  # Good moves it to the next step


async def test_stats_screen_shows_fsrs_and_calibration(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study")
    async with app.run_test(size=(100, 60)) as pilot:  # a day of SM-2
        await settle(pilot)
        for _ in range(5):
            await pilot.press("space", "3")
            await settle(pilot)
    ws.clock.advance(timedelta(days=2))
    switch_scheduler(ws.store, "fsrs", now=ws.clock.now(), boundary=DayBoundary(tz=UTC))
    app = create_app(ws, start="study")
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("space", "3", "escape")
        await settle(pilot)
        await pilot.press("enter")  # summary -> home
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        text = screen_text(app)
        assert "FSRS-6 · retention 0.90 · predicted today" in text
        assert "FSRS calibration: predicted against actual recall" in text


def test_the_summary_names_fsrs_steps_not_the_drill(tmp_path: Path) -> None:
    from hccquiz.study import Session
    from hccquiz.tui.screens.summary import summary_lines

    ws = fsrs_workspace(tmp_path)
    s = Session(ws.store, clock=ws.clock, config=ws.config)
    assert s.next_card() is not None
    s.grade(2)
    ws.clock.advance(timedelta(minutes=2))
    while s.current is None and s.next_card() is not None and s.current.queue != "drill":
        s.grade(4)
    assert s.current is not None and s.current.queue == "drill"
    s.grade(4)
    lines = summary_lines(s.summary(), "today")
    assert any(line.startswith("Steps         1 answer in learning") for line in lines)
    assert not any(line.startswith("Drill") for line in lines)


async def test_the_settings_screen_switches_to_fsrs_and_refuses_a_bad_retention(
    tmp_path: Path,
) -> None:
    from hccquiz.tui.screens.settings import SettingsScreen

    ws = make_workspace(tmp_path)
    app = create_app(ws)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        retention = screen.fields[("desired_retention", None)]
        retention.value = "0.99"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "desired_retention: '0.99' is not a desired retention from 0.70" in screen_text(app)
        retention.value = "0.85"
        screen.fields[("scheduler", None)].value = "fsrs"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SettingsScreen)
    assert ws.store.scheduler_in_force() == "fsrs"
    assert ws.store.settings()["desired_retention"] == "0.85"
    session = ws.session()
    assert session.scheduler.name == "fsrs" and session.scheduler.desired_retention == 0.85
