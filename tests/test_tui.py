"""The study app through Textual's Pilot, on a real temp database."""

from __future__ import annotations

from pathlib import Path

from tui_support import MARKUP_DECK, make_workspace, screen_text, settle

from hccquiz.study import Filters
from hccquiz.tui import create_app
from hccquiz.tui.screens.quiz import QuizResultScreen
from hccquiz.tui.screens.stats import StatsScreen
from hccquiz.tui.screens.study import StudyScreen
from hccquiz.tui.screens.summary import SummaryScreen

SIZE = (80, 24)


def kinds(workspace) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return [(r.kind, r.quality) for r in workspace.store.reviews()]


async def test_full_study_session_with_drill_undo_and_suspend(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        text = screen_text(app)
        assert "What was the OS hazard ratio?" in text
        assert "New 5 · Learning 0 · Review 0" in text
        assert "0.58" not in text  # answer hidden

        await pilot.press("space")
        text = screen_text(app)
        assert "0.58" in text and "95% CI" in text
        assert "TUI Trial · Key Findings 1" in text
        assert "Good · 1d" in text and "Easy · 1d" in text
        assert "Again · today" in text and "Hard · today" in text  # the same-day drill
        await pilot.press("1")  # Again: to the same-day drill
        assert kinds(ws) == [("study", 2)]

        text = screen_text(app)
        assert "[duration]" in text and "4.3 months" in text  # cloze card 1
        await pilot.press("space", "3")
        assert kinds(ws)[-1] == ("study", 4)

        await pilot.press("u")  # undo the cloze grade: that card comes back
        await settle(pilot)
        assert kinds(ws) == [("study", 2)]
        assert "[duration]" in screen_text(app)
        await pilot.press("space", "3")

        text = screen_text(app)  # cloze card 2 is buried: its sibling was studied today
        assert "How many patients were enrolled?" in text and "[...]" not in text
        await pilot.press("a")  # right: defaults to Good
        assert "✓" in screen_text(app)
        await pilot.press("enter")

        assert "Which were primary endpoints?" in screen_text(app)
        await pilot.press("a", "b", "enter")  # select all that apply, then submit
        await pilot.press("2", "enter")  # change the default Good to Hard, then record

        assert "What was the median follow-up?" in screen_text(app)
        await pilot.press("s")  # suspend it
        await settle(pilot)

        text = screen_text(app)
        assert "What was the OS hazard ratio?" in text  # the drill brings it back
        assert "Learning 2" in text  # Again and Hard both drill until Good
        await pilot.press("space", "3")
        assert "Which were primary endpoints?" in screen_text(app)
        await pilot.press("a", "b", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Session complete" in text
        assert "Suspended     1" in text

    assert kinds(ws) == [
        ("study", 2),
        ("study", 4),
        ("study", 4),
        ("study", 3),
        ("drill", 4),
        ("drill", 4),
    ]
    suspended = [c for c in ws.store.cards(ws.store.card_ids()) if c.suspended]
    assert [(c.item_id, c.number) for c in suspended] == [("basic-followup", 1)]


async def test_wrong_choice_defaults_to_again(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study", filters=Filters(levels=("resident",)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "3")  # the basic card
        assert "How many patients" in screen_text(app)
        await pilot.press("b")
        assert "✗" in screen_text(app)
        await pilot.press("enter")
    assert kinds(ws)[-1] == ("study", 2)


async def test_grade_buttons_can_be_clicked(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await pilot.click("#grade-5")
        await settle(pilot)
    assert kinds(ws) == [("study", 5)]


async def test_quiz_scores_and_lists_missed_items(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="quiz", quiz_count=5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(5):
            text = screen_text(app)
            if "How many patients" in text:
                await pilot.press("c", "enter")  # wrong
            elif "primary endpoints" in text:
                await pilot.press("a", "b", "enter", "enter")  # right
            else:
                await pilot.press("space", "3")  # self-graded right
        await settle(pilot)
        assert isinstance(app.screen, QuizResultScreen)
        text = screen_text(app)
        assert "Score 4/5 (80%)" in text
        assert "Missed" in text and "How many patients were enrolled?" in text
        assert "Answer: 501" in text
    assert {r.kind for r in ws.store.reviews()} == {"quiz"}
    cards = ws.store.cards(ws.store.card_ids())
    assert all(c.schedule.state.repetitions == 0 for c in cards)  # schedule untouched


async def test_stats_screen_shows_figures(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("space", "3", "escape")
        await settle(pilot)
        await pilot.press("enter")  # summary -> home
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        text = screen_text(app)
        assert "Cards" in text and "Retention" in text and "Streak" in text
        assert "Resident" in text  # mastery per level, with display names


async def test_deck_text_is_never_markup(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path, MARKUP_DECK)
    app = create_app(ws, start="study")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Is [bold]x[/bold] bold? [/] <b>raw</b> [@click=app.quit]quit[/]" in text
        await pilot.press("space")
        await settle(pilot)
        text = screen_text(app)
        assert "<script>alert(1)</script> and [red]red[/red]" in text
        assert "[i]not italic[/i]" in text
        assert "Markup [bold]deck[/bold] · [link=https://evil.example]src[/link]" in text
        assert app.is_running


async def test_home_lists_decks_and_filters_by_level(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "TUI Trial — a deck for the app tests" in text
        assert "All levels" in text
        home = app.screen
        select = home.query_one("#level")
        select.value = "phd"
        await settle(pilot)
        table = home.query_one("#decks")
        assert table.get_row_at(0)[1] == "1"  # one new phd card
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        assert "Which were primary endpoints?" in screen_text(app)


async def test_help_and_quit_from_anywhere(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert "hccquiz help" in screen_text(app)
        await pilot.press("escape", "space", "4", "q")
        await settle(pilot)
        assert not app.is_running
    assert kinds(ws) == [("study", 5)]  # graded before quitting, already on disk


async def test_resize_keeps_the_card(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert "What was the OS hazard ratio?" in screen_text(app)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await pilot.press("space")
        assert "Good · 1d" in screen_text(app)


def test_bindings_have_ids_and_tooltips() -> None:
    from hccquiz.tui.app import HccquizApp
    from hccquiz.tui.screens.home import HomeScreen
    from hccquiz.tui.screens.quiz import QuizScreen

    for owner in (HccquizApp, HomeScreen, StudyScreen, QuizScreen, SummaryScreen):
        for binding in owner.BINDINGS:
            if binding.show:
                assert binding.id and binding.tooltip, (owner.__name__, binding.key)


async def test_quiz_space_after_the_answer_counts_as_right(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="quiz", quiz_count=4)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        while (question := app.screen.question).choices is not None:  # to a self-graded item
            await pilot.press("a", "enter", *(["enter"] if question.item.multiple else []))
            await settle(pilot)
        await pilot.press("space")  # show the answer
        answered = len(ws.store.reviews())
        await pilot.press("space")  # go on: counts as Good
        await settle(pilot)
    reviews = ws.store.reviews()
    assert len(reviews) == answered + 1
    assert (reviews[-1].kind, reviews[-1].quality) == ("quiz", 4)
