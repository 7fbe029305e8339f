"""The study app's screens after issue 10: scrolling, small terminals, what the footer and
the notices say, choice marks, the palette, remembered settings, and a grade that waits
for another process's write lock without freezing the app."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.events import MouseScrollDown
from textual.widgets import DataTable, Select
from textual.widgets._toast import Toast
from tui_support import STUDY_DECK, make_workspace, screen_text, settle

from hccquiz.cli import cli
from hccquiz.cli._study import AUTOPILOT
from hccquiz.grading import Scale
from hccquiz.store import Store
from hccquiz.study import StudyConfig
from hccquiz.tui import create_app
from hccquiz.tui.screens.home import HomeScreen
from hccquiz.tui.screens.quiz import QuizResultScreen
from hccquiz.tui.screens.study import StudyScreen

SMALL = (60, 20)


def footer(app) -> str:  # type: ignore[no-untyped-def]
    return screen_text(app).splitlines()[-1]


def words(app) -> str:  # type: ignore[no-untyped-def]
    """The screen's text with every run of spaces and line breaks made one space."""
    return " ".join(screen_text(app).split())


async def miss_everything(pilot, count: int = 5) -> None:  # type: ignore[no-untyped-def]
    """Answer every quiz question wrong: a wrong letter, or Again."""
    for _ in range(count):
        await settle(pilot)
        question = pilot.app.screen.question
        if question.choices is not None:
            await pilot.press("c", *(["enter"] if question.item.multiple else []))
            await settle(pilot)
            await pilot.press("space")
        else:
            await pilot.press("space", "1")
    await settle(pilot)


# ---- item 3: a result screen that scrolls, by keyboard and mouse, and says so ------------


async def test_quiz_result_scrolls_by_keyboard_and_mouse(tmp_path: Path) -> None:
    app = create_app(make_workspace(tmp_path), start="quiz", quiz_count=5)
    async with app.run_test(size=(80, 24)) as pilot:
        await miss_everything(pilot)
        screen = app.screen
        assert isinstance(screen, QuizResultScreen)
        assert "Missed (5)" in screen_text(app)
        body = screen.body
        assert body.max_scroll_y > 0 and "↑↓ Scroll" in footer(app)
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        assert "5." in screen_text(app)  # the last missed item is on screen
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("home", "down", "down")
        await pilot.pause()
        assert body.scroll_y == 2
        await pilot.press("home")
        x, y = 40, 12  # over the missed items
        app.post_message(MouseScrollDown(None, x, y, 0, 0, 0, False, False, False, x, y))
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_y > 0


async def test_a_missed_select_all_answer_shows_what_was_missed(tmp_path: Path) -> None:
    app = create_app(make_workspace(tmp_path), start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "3", "space", "3", "a")  # the basic, the cloze, then 501
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert "Which were primary endpoints?" in screen_text(app)
        await pilot.press("a", "enter")  # OS only: PFS missed
        await settle(pilot)
        text = screen_text(app)
        assert "✓ A [x]" in text and "✓ B [ ]" in text and "missed" in text
        assert "  C [ ]" in text
        assert "(then press enter)" not in text  # the answering hint is gone
        assert "space Again" in text  # wrong: space records Again, as the status line says


async def test_choice_options_are_markdown_and_raw_html_stays_text(tmp_path: Path) -> None:
    deck = """\
id: md
title: "Markdown choices"
levels: [resident]
items:
  - id: c
    type: choice
    shuffle: false
    question: "Which?"
    choices: ["**bold** answer", "`code` answer", "<b>raw</b> answer"]
    answer: "**bold** answer"
"""
    app = create_app(make_workspace(tmp_path, deck), start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "bold answer" in text and "**bold**" not in text
        assert "code answer" in text and "`code`" not in text
        assert "<b>raw</b> answer" in text
        assert "(press a letter)" in text
        await pilot.press("a")
        await settle(pilot)
        assert "(press a letter)" not in screen_text(app)


# ---- item 8: every screen usable at 60x20 --------------------------------------------------


async def test_every_screen_keeps_quit_and_help_at_60x20(tmp_path: Path) -> None:
    app = create_app(make_workspace(tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        seen = {}
        seen["home"] = footer(app)
        await pilot.press("s")
        await settle(pilot)
        seen["study question"] = footer(app)
        await pilot.press("space")
        await settle(pilot)
        seen["study answer"] = footer(app)
        await pilot.press("escape")
        await settle(pilot)
        seen["summary"] = footer(app)
        await pilot.press("enter", "t")
        await settle(pilot)
        seen["stats"] = footer(app)
        await pilot.press("escape", "z")
        await settle(pilot)
        seen["quiz"] = footer(app)
        await pilot.press("escape")
        await settle(pilot)
        seen["quiz result"] = footer(app)
        await pilot.press("enter", "question_mark")
        await settle(pilot)
        seen["help"] = footer(app)
        await pilot.press("escape", "o")
        await settle(pilot)
        seen["settings"] = footer(app)
    for name, line in seen.items():
        assert "q Quit" in line or name in ("help", "settings"), (name, line)
        assert "? Help" in line or name in ("help", "settings"), (name, line)
    assert "esc Close" in seen["help"] and "q Quit" in seen["help"]
    assert "esc Cancel" in seen["settings"] and "^s Save" in seen["settings"]
    assert "space Show answer" not in seen["study answer"]  # the footer never says it


@pytest.mark.parametrize("scale", [Scale.FOUR, Scale.SIX])
async def test_every_grade_button_shows_at_60x20(tmp_path: Path, scale: Scale) -> None:
    ws = make_workspace(tmp_path, config=StudyConfig(scale=scale))
    app = create_app(ws, start="study")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        text = screen_text(app)
        for grade in scale.grades:
            label = grade.label if grade.label == grade.key else f"{grade.key} {grade.label}"
            assert f"{label} · " in text, (grade, text)
        assert "1d" in text  # the intervals too
        await pilot.click(f"#grade-{scale.grades[-1].quality}")
        await settle(pilot)
    assert [(r.kind, r.quality) for r in ws.store.reviews()] == [("study", 5)]


async def test_help_is_whole_and_scrolls_at_60x20(tmp_path: Path) -> None:
    app = create_app(make_workspace(tmp_path), start="study")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        help_box = app.screen.query_one("#help")
        assert help_box.size.width <= 60 and help_box.max_scroll_y > 0
        assert "Good" in screen_text(app) and "Goo\n" not in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        assert help_box.scroll_y == help_box.max_scroll_y
        assert "for one deck" in words(app)


async def test_long_deck_titles_are_whole_at_120_columns(tmp_path: Path) -> None:
    title = "A Deck With A Very Long Title — " + "ninety characters of subtitle " * 3
    deck = STUDY_DECK.replace('"TUI Trial — a deck for the app tests"', f'"{title.strip()}"')
    app = create_app(make_workspace(tmp_path, deck))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        row = app.screen.query_one("#decks", DataTable).get_row_at(0)
        assert str(row[0]) == title.strip()
        assert title.strip()[:100] in screen_text(app).replace("\n", "")


# ---- item 9: the footer, the notices, the palette ------------------------------------------


async def test_notices_show_in_place_of_the_progress_bar_not_over_the_card(
    tmp_path: Path,
) -> None:
    app = create_app(make_workspace(tmp_path), start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert "Card suspended (u to undo)." in screen_text(app)
        assert not app.query(Toast)
        await pilot.press("space")
        await settle(pilot)
        assert "TUI Trial · Key Findings 3" in screen_text(app)  # the source line is clear


async def test_the_palette_offers_the_apps_commands_before_typing(tmp_path: Path) -> None:
    app = create_app(make_workspace(tmp_path))
    async with app.run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.pause(0.3)
        text = screen_text(app)
        for command in ("Study", "Quiz", "Statistics", "Deck: study TUI Trial", "Level: Fellow",
                        "Theme", "Settings"):  # fmt: skip
            assert command in text, command
        await pilot.press(*"level phd", "enter")
        await settle(pilot)
        assert app.filters.levels == ("phd",)
        assert app.workspace.settings.get("level").value == "phd"
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.query_one("#level", Select).value == "phd"


# ---- item 7 and 9: settings in the app, remembered between launches ------------------------


def test_theme_and_level_are_remembered_between_launches(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    deck = tmp_path / "deck.yaml"
    deck.write_text(STUDY_DECK)
    seen: dict[str, object] = {}

    async def choose(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.screen.query_one("#level", Select).value = "fellow"
        pilot.app.theme = "nord"
        await settle(pilot)
        await pilot.press("q")

    async def look(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        seen["level"] = pilot.app.screen.query_one("#level", Select).value
        seen["theme"] = pilot.app.theme
        seen["text"] = screen_text(pilot.app)
        await pilot.press("q")

    for drive in (choose, look):
        result = CliRunner().invoke(cli, ["home", str(deck), "--db", str(db)],
                                    obj={AUTOPILOT: drive})  # fmt: skip
        assert result.exit_code == 0, result.output
    assert seen["level"] == "fellow" and seen["theme"] == "nord"
    assert "named: " in str(seen["text"])  # where the deck comes from


async def test_settings_screen_changes_a_decks_limit(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        screen = app.screen
        field = screen.fields[("new_per_day", "tuideck")]
        field.value = "lots"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "new_per_day: 'lots' is not a whole number" in screen_text(app)
        field.value = "2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#decks", DataTable).get_row_at(0)[1] == "2"
        await pilot.press("s")
        await settle(pilot)
        for _ in range(2):
            await pilot.press("space", "4")
            await settle(pilot)
        await settle(pilot)
        text = words(app)
        assert "Session complete" in text
        assert "TUI Trial: daily new-card limit reached: 2 of 2; change with" in text
    assert ws.store.settings() == {"deck:tuideck:new_per_day": "2"}


# ---- issue 11 §8: a grade waits for another process's write lock; the app does not freeze --


async def test_a_grade_waiting_for_the_write_lock_keeps_the_app_responsive(
    tmp_path: Path,
) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study")
    blocker = sqlite3.connect(tmp_path / "progress.db", isolation_level=None, timeout=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            await pilot.press("3")
            await pilot.pause(1.2)
            screen = app.screen
            assert isinstance(screen, StudyScreen) and screen.saving
            text = words(app)
            assert "Your grade is waiting to be saved" in text
            assert "another program is writing to the progress database" in text
            await pilot.press("question_mark")  # the app still answers keys
            await pilot.pause()
            assert "hccquiz help" in screen_text(app)
            await pilot.press("escape")
            waited = int(re.search(r"waiting to be saved \((\d+) s\)", words(app)).group(1))
            later = waited
            for _ in range(40):  # the clock still runs: the count goes up within seconds
                await pilot.pause(0.1)
                later = int(re.search(r"waiting to be saved \((\d+) s\)", words(app)).group(1))
                if later > waited:
                    break
            assert later > waited
            assert ws.store.path.exists() and not [r for r in _reviews(tmp_path)]
        finally:
            blocker.execute("COMMIT")
        for _ in range(40):
            await pilot.pause(0.1)
            if not app.screen.saving:
                break
        await settle(pilot)
        assert "waiting" not in screen_text(app)
        assert "[duration]" in screen_text(app)  # the next card
    blocker.close()
    assert [(r.kind, r.quality) for r in ws.store.reviews()] == [("study", 4)]


def _reviews(tmp_path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(tmp_path / "progress.db")
    try:
        return conn.execute("SELECT id FROM reviews").fetchall()
    finally:
        conn.close()


async def test_quitting_while_a_grade_waits_saves_it_first(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study")
    blocker = sqlite3.connect(tmp_path / "progress.db", isolation_level=None, timeout=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        blocker.execute("BEGIN IMMEDIATE")
        await pilot.press("4")
        await pilot.pause(0.6)
        await pilot.press("q")
        await pilot.pause(0.2)
        assert app.is_running and "hccquiz quits once it is saved" in screen_text(app)
        blocker.execute("COMMIT")
        await asyncio.sleep(0.5)
        await pilot.pause()
    blocker.close()
    with Store.open(tmp_path / "progress.db") as store:
        assert [(r.kind, r.quality) for r in store.reviews()] == [("study", 5)]


async def test_the_answer_bar_says_what_space_does(tmp_path: Path) -> None:
    app = create_app(make_workspace(tmp_path), start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "space Show answer" in text and "Good ·" not in text
        await pilot.press("space")
        await settle(pilot)
        text = screen_text(app)
        assert "space Show answer" not in text
        assert "3 Good · 1d" in text and "4 Easy · 1d" in text and "space Good" in text
        assert app.screen.query_one("#grade-4").has_class("-pending")
        await pilot.click("#grade-4")  # a click on a button, not space: Good is just marked
        await settle(pilot)
        assert "space Show answer" in screen_text(app)
        await pilot.click("#prompt")
        await settle(pilot)
        assert "[duration]" in screen_text(app) and "Good · " in screen_text(app)


async def test_a_card_taller_than_its_box_says_there_is_more(tmp_path: Path) -> None:
    long_answer = " ".join(f"Sentence {n} of a long explanation." for n in range(60))
    deck = STUDY_DECK.replace('explanation: "95% CI, 0.42 to 0.79."',
                              f'explanation: "{long_answer}"')  # fmt: skip
    app = create_app(make_workspace(tmp_path, deck), start="study")
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        card = app.screen.query_one("#card")
        assert card.border_subtitle == ""
        await pilot.press("space")
        await settle(pilot)
        await pilot.pause()
        assert card.max_scroll_y > 0 and "more" in str(card.border_subtitle)
        await pilot.press("end")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        assert card.scroll_y == card.max_scroll_y and card.border_subtitle == ""
        assert "Sentence 59" in screen_text(app)
