"""The card browser in the app, and jump to source (`e`) with a fake editor as $EDITOR
(issue 15): search as you type, filters, suspend, reset (asked first), quiz, edit; after
an edit the deck is validated again, then synced or its problems shown."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select
from tui_support import make_workspace, screen_text, settle

from hccquiz.study.edit import EditRefused, SourceSpot, check_editable, editor_command
from hccquiz.tui import create_app
from hccquiz.tui.screens.browse import BrowserScreen
from hccquiz.tui.screens.dialogs import ConfirmScreen, ProblemsScreen
from hccquiz.tui.screens.quiz import QuizResultScreen, QuizScreen
from hccquiz.tui.screens.study import StudyScreen


def words(app) -> str:  # type: ignore[no-untyped-def]
    """The screen's text, and the notifications', each run of spaces one space."""
    toasts = " ".join(n.message for n in app._notifications)
    return " ".join((screen_text(app) + " " + toasts).split())


def fake_editor(tmp_path: Path, name: str, body: str) -> Path:
    """An executable script called `name` that runs `body` (sh) with the editor's
    arguments, and records them in args.txt."""
    script = tmp_path / "bin" / name
    script.parent.mkdir(exist_ok=True)
    script.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/args.txt\n{body}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


async def test_browser_searches_filters_suspends_resets_and_quizzes(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")  # from home
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        assert "6 cards" in words(app) and "basic-hr" in words(app)
        await pilot.press("slash", *"hazard")
        await settle(pilot)
        assert [r.item_id for r in screen.rows] == ["basic-hr"]
        assert "What was the OS hazard ratio?" in words(app)  # the detail pane
        assert "deck.yaml:5" in words(app)  # the item's PATH:LINE in its deck file
        await pilot.press("escape")  # from the search box to the table
        await pilot.press("s")  # suspend
        await settle(pilot)
        assert ws.store.card(screen.rows[0].card_id).suspended
        assert "susp" in words(app)
        await pilot.press("s")  # again: unsuspend
        await settle(pilot)
        assert not ws.store.card(screen.rows[0].card_id).suspended
        screen.query_one("#search", Input).value = ""
        await settle(pilot)
        assert len(screen.rows) == 6
        screen.query_one("#levels", Select).value = "phd"
        await settle(pilot)
        assert [r.item_id for r in screen.rows] == ["choice-all"]
        screen.query_one("#levels", Select).value = "__all__"
        screen.query_one("#state", Select).value = "suspended"
        await settle(pilot)
        assert screen.rows == [] and "No card matches" in words(app)
        screen.query_one("#state", Select).value = "all"
        await settle(pilot)
        await pilot.press("o")  # sort by the next column
        await settle(pilot)
        assert screen.query_now.sort == "due" and "sorted by due" in words(app)
        await pilot.press("O")
        await settle(pilot)
        assert screen.query_now.descending
        await pilot.press("space", "space")  # mark two cards
        await settle(pilot)
        marked = screen.targets()
        assert len(marked) == 2 and "2 marked" in words(app)
        await pilot.press("z")  # a quiz of the marked cards
        await settle(pilot)
        assert isinstance(app.screen, QuizScreen)
        assert [q.card_id for q in app.screen.quiz.questions] == marked


async def test_reset_asks_first_and_keeps_the_history(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "3")  # the first card: Good
        await settle(pilot)
        graded = ws.store.reviews()[0].card_id
        await pilot.press("b")  # the browser, from study, on the card on screen's item
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        assert screen.query_now.search == 'key:"cloze-pfs"'  # the card now on screen
        screen.query_one("#search", Input).value = "hazard"
        await settle(pilot)
        assert screen.rows[0].card_id == graded
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # asked first: no changes nothing
        await settle(pilot)
        assert not ws.store.card(graded).schedule.is_new
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert ws.store.card(graded).schedule.is_new
        assert len(ws.store.reviews(graded)) == 1  # the history is kept
        screen.query_one("#detail").scroll_end(animate=False)  # the pane scrolls
        await settle(pilot)
        assert "reset to new (was 1d; its reviews are kept)" in words(app)
        assert "3 Good" in words(app)  # the key pressed, on the four-button scale
        await pilot.press("escape")  # back to the study session, which goes on
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)


DECK_EDIT = 'sed -i \'s/answer: "0.58"/answer: "0.59"/\' "$1"'


async def test_the_browser_opens_in_its_search_box_where_letters_only_type(
    tmp_path: Path,
) -> None:
    """Opened on no search, typing searches: a word full of the table's action keys
    (s suspend, o sort, r reset, e edit, z quiz) fires none of them. ↓ goes to the table,
    where ↓ moves the cursor and the keys act again."""
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="browse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        assert screen.focused is screen.query_one("#search", Input)
        await pilot.press(*"sorafenib zero")
        await settle(pilot)
        assert screen.query_one("#search", Input).value == "sorafenib zero"
        assert app.screen is screen and screen.query_now.sort == "deck"
        assert not any(ws.store.card(r.card_id).suspended for r in screen.rows)
        await pilot.press("ctrl+u")  # clear the box: every card again
        await settle(pilot)
        assert len(screen.rows) == 6
        await pilot.press("down")  # to the table, on its first row
        table = screen.query_one("#cards", DataTable)
        assert screen.focused is table and table.cursor_row == 0
        await pilot.press("down")  # in the table, ↓ is the table's
        await settle(pilot)
        assert table.cursor_row == 1
        await pilot.press("s")
        await settle(pilot)
        assert ws.store.card(screen.rows[1].card_id).suspended
        await pilot.press("slash", *"x", "enter")  # / back to the box; enter to the table
        await settle(pilot)
        assert screen.focused is table and screen.query_now.search == "x"


async def test_e_in_study_edits_syncs_and_refreshes_the_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = fake_editor(tmp_path, "my-editor", 'sed -i \'s/answer: "0.58"/answer: "0.59"/\' "$1"')
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    ws = make_workspace(tmp_path)
    deck = tmp_path / "deck.yaml"
    app = create_app(ws, start="study")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert "0.58" in words(app)
        card_id = app.screen.card.card_id
        await pilot.press("e")
        await settle(pilot)
        await settle(pilot)
        assert (tmp_path / "args.txt").read_text().strip() == str(deck)
        assert 'answer: "0.59"' in deck.read_text()
        assert "Synced" in words(app)
        await pilot.press("space")
        await settle(pilot)
        assert "0.59" in words(app) and "0.58" not in words(app)
        assert app.screen.card.card_id == card_id  # the same card, its history kept
        assert ws.store.card(card_id).content["answer"] == "0.59"


async def test_an_edit_that_breaks_the_deck_shows_its_problems_and_syncs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = fake_editor(tmp_path, "vim", 'sed -i \'s/answer: "0.58"/answer: [0.58/\' "$2"')
    monkeypatch.setenv("VISUAL", str(editor))
    ws = make_workspace(tmp_path)
    app = create_app(ws, start="browse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "e")  # from the search box to the table; edit
        await settle(pilot)
        await settle(pilot)
        assert (tmp_path / "args.txt").read_text().split() == ["+5", str(tmp_path / "deck.yaml")]
        assert isinstance(app.screen, ProblemsScreen)
        assert "nothing was synced" in words(app)
        problem = app.screen.problems[0]
        assert str(problem).startswith(f"{tmp_path / 'deck.yaml'}:{problem.line}:")
        assert problem.line >= 8 and problem.column >= 1
        card = app.screen_stack[-2].rows[0]
        assert ws.store.card(card.card_id).content["answer"] == "0.58"  # nothing synced
        await pilot.press("e")  # edit again: the editor opens at the first problem
        await settle(pilot)
        await settle(pilot)
        assert (tmp_path / "args.txt").read_text().split()[0] == f"+{problem.line}"


async def test_e_says_why_when_there_is_no_editor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = create_app(make_workspace(tmp_path), start="browse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "e")
        await settle(pilot)
        assert "set $EDITOR" in words(app)


async def test_e_in_the_quiz_result_edits_a_missed_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = fake_editor(tmp_path, "nano", "true")
    monkeypatch.setenv("VISUAL", str(editor))
    app = create_app(make_workspace(tmp_path), start="quiz", quiz_count=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        question = app.screen.question
        if question.choices is not None:
            await pilot.press("c")
            await settle(pilot)
            await pilot.press("space")
        else:
            await pilot.press("space", "1")
        await settle(pilot)
        assert isinstance(app.screen, QuizResultScreen)
        await pilot.press("e")
        await settle(pilot)
        await settle(pilot)
        args = (tmp_path / "args.txt").read_text().split()
        assert args[0].startswith("+") and args[1] == str(tmp_path / "deck.yaml")
        assert "Synced" in words(app)


@pytest.mark.parametrize(
    ("editor", "expected"),
    [
        ("vi", ["vi", "+12", "{p}"]),
        ("/usr/bin/vim", ["/usr/bin/vim", "+12", "{p}"]),
        ("nvim -u NONE", ["nvim", "-u", "NONE", "+12", "{p}"]),
        ("nano", ["nano", "+12", "{p}"]),
        ("emacs -nw", ["emacs", "-nw", "+12:5", "{p}"]),
        ("emacsclient -t", ["emacsclient", "-t", "+12:5", "{p}"]),
        ("micro", ["micro", "{p}", "+12:5"]),
        ("hx", ["hx", "{p}:12:5"]),
        ("code", ["code", "--wait", "--goto", "{p}:12:5"]),
        ("code -w", ["code", "-w", "--goto", "{p}:12:5"]),
        ("'/opt/My Editor/ed2'", ["/opt/My Editor/ed2", "{p}"]),
    ],
)
def test_editor_commands_put_the_cursor_on_the_item(editor: str, expected: list[str]) -> None:
    spot = SourceSpot(Path("/decks/a b.yaml"), 12, 5)
    got = editor_command(spot, {"EDITOR": editor})
    assert got == [part.replace("{p}", "/decks/a b.yaml") for part in expected]
    assert editor_command(spot, {"VISUAL": "vi", "EDITOR": "nano"})[0] == "vi"
    with pytest.raises(EditRefused, match="set \\$EDITOR"):
        editor_command(spot, {})
    with pytest.raises(EditRefused, match="not a command"):
        editor_command(spot, {"EDITOR": "'unclosed"})


def test_a_bundled_deck_installed_read_only_is_not_opened(tmp_path: Path) -> None:
    bundled = tmp_path / "site-packages" / "hccquiz" / "_decks"
    bundled.mkdir(parents=True)
    deck = bundled / "imbrave150.yaml"
    deck.write_text("id: x\n")
    with pytest.raises(EditRefused, match=r"bundled deck installed read-only.*cp "):
        check_editable(deck, bundled)
    local = tmp_path / "mine.yaml"
    local.write_text("id: x\n")
    check_editable(local, bundled)  # a deck of one's own opens
    with pytest.raises(EditRefused, match="gone"):
        check_editable(tmp_path / "missing.yaml", bundled)
    if os.geteuid() != 0:  # root may write anything
        local.chmod(0o444)
        with pytest.raises(EditRefused, match="read-only"):
            check_editable(local, bundled)


async def test_the_browser_table_scrolls_and_reads_more_rows(tmp_path: Path) -> None:
    from hccquiz.study import FIRST_PAGE

    items = "".join(
        f'  - id: item-{n}\n    question: "Question {n}?"\n    answer: "{n}"\n' for n in range(450)
    )
    deck = f"id: big\ntitle: Big\nlevels: [resident]\nitems:\n{items}"
    app = create_app(make_workspace(tmp_path, deck), start="browse")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert len(screen.rows) == FIRST_PAGE and "450 cards" in words(app)
        await pilot.press("down", "ctrl+end")  # to the table's last row loaded: reads more
        await settle(pilot)
        await pilot.press("ctrl+end")
        await settle(pilot)
        await pilot.press("ctrl+end")
        await settle(pilot)
        assert len(screen.rows) == 450
        table = screen.query_one("#cards", DataTable)
        assert table.cursor_row == 449 and table.scroll_y > 0


async def test_typing_reads_a_short_first_page_and_counts_on_a_second_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hccquiz.store import BrowseQuery, StoreError
    from hccquiz.study import FIRST_PAGE, Browser

    items = "".join(
        f'  - id: item-{n}\n    question: "Question {n}?"\n    answer: "{n}"\n' for n in range(450)
    )
    deck = f"id: big\ntitle: Big\nlevels: [resident]\nitems:\n{items}"
    ws = make_workspace(tmp_path, deck)
    counted: list[str] = []
    real = Browser.count
    monkeypatch.setattr(Browser, "count", lambda b, q: counted.append(q.search) or real(b, q))
    monkeypatch.setattr("hccquiz.tui.screens.browse.TYPING_PAUSE", 3.0)  # one burst of keys
    app = create_app(ws, start="browse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        assert len(screen.rows) == FIRST_PAGE and "450 cards" in words(app)
        reader = screen.browser.reader
        assert reader is not ws.store and reader.path == ws.store.path  # counts never wait
        await pilot.press(*"question 7")  # the browser opens with the search box focused
        await settle(pilot)
        assert sorted(r.item_id for r in screen.rows) == sorted(
            ["item-7", *(f"item-{n}" for n in range(70, 80))]
        )
        assert "11 cards" in words(app)
        await pilot.pause(3.3)  # a pause in the typing; the page holds every match
        await settle(pilot)
        assert counted == [""]  # so only the opening's count was read
        await pilot.press("escape", "escape")  # the table, then out of the browser
        await settle(pilot)
        assert not isinstance(app.screen, BrowserScreen)
        with pytest.raises(StoreError):  # the browser's second connection was closed
            reader.browse_count(BrowseQuery(), today=ws.today())
        assert ws.store.browse_count(BrowseQuery(), today=ws.today()) == 450


async def test_reads_that_answer_after_the_browser_closed_are_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from hccquiz.study import Browser

    items = "".join(
        f'  - id: item-{n}\n    question: "Q {n}?"\n    answer: "{n}"\n' for n in range(80)
    )
    ws = make_workspace(tmp_path, f"id: big\ntitle: Big\nlevels: [resident]\nitems:\n{items}")
    real = Browser.count
    monkeypatch.setattr(Browser, "count", lambda b, q: time.sleep(0.5) or real(b, q))
    app = create_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        screen = app.screen
        while not (isinstance(screen, BrowserScreen) and screen.rows):  # the count is on its way
            await pilot.pause(0.01)
        await pilot.press("escape", "escape")  # to the table; closed before the count answers
        await settle(pilot)
        await pilot.pause(0.8)
        await settle(pilot)
        assert not isinstance(app.screen, BrowserScreen) and app.return_code is None
        await pilot.press("b")  # and it opens again
        await settle(pilot)
        assert isinstance(app.screen, BrowserScreen) and "80 cards" in words(app)


async def test_quitting_while_a_count_is_on_its_way_is_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from hccquiz.study import Browser

    items = "".join(
        f'  - id: item-{n}\n    question: "Q {n}?"\n    answer: "{n}"\n' for n in range(80)
    )
    ws = make_workspace(tmp_path, f"id: big\ntitle: Big\nlevels: [resident]\nitems:\n{items}")
    real = Browser.count
    monkeypatch.setattr(Browser, "count", lambda b, q: time.sleep(0.5) or real(b, q))
    app = create_app(ws, start="browse")
    async with app.run_test(size=(80, 24)) as pilot:  # raises what a worker raised
        screen = app.screen
        while not (isinstance(screen, BrowserScreen) and screen.rows):
            await pilot.pause(0.01)
            screen = app.screen
        await pilot.press("down", "q")  # from the search box (where q types) to the table
    assert app.return_code == 0


async def test_while_typing_the_count_and_detail_wait_for_a_pause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hccquiz.study import Browser

    items = "".join(
        f'  - id: item-{n}\n    question: "Question {n}?"\n    answer: "{n}"\n' for n in range(450)
    )
    ws = make_workspace(tmp_path, f"id: big\ntitle: Big\nlevels: [resident]\nitems:\n{items}")
    counted: list[str] = []
    detailed: list[int] = []
    real_count, real_detail = Browser.count, Browser.detail
    monkeypatch.setattr(Browser, "count", lambda b, q: counted.append(q.search) or real_count(b, q))
    monkeypatch.setattr(Browser, "detail", lambda b, c: detailed.append(c) or real_detail(b, c))
    monkeypatch.setattr("hccquiz.tui.screens.browse.TYPING_PAUSE", 3.0)  # slow keys on a busy
    app = create_app(ws, start="browse")  # machine are still one burst of typing
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert counted == [""] and len(detailed) == 1  # opening: both at once
        await pilot.press(*"question 1")  # each key reads its page, nothing more
        await settle(pilot)
        assert app.screen.query_now.search == "question 1" and counted == [""]
        assert len(detailed) == 1
        await pilot.pause(3.3)  # a pause in the typing: the count and the detail
        await settle(pilot)
        assert counted == ["", "question 1"] and len(detailed) == 2
        assert "111 cards" in words(app) and "Question 1?" in words(app)


async def test_hccquiz_browse_escapes_home_and_a_quiz_from_it_comes_back(tmp_path: Path) -> None:
    """Opened first (``hccquiz browse``), the browser's escape goes home, not to a blank
    screen; a quiz of its cards ends back in the browser; Home and End pick the first and
    last card."""
    from hccquiz.tui.screens.home import HomeScreen

    app = create_app(make_workspace(tmp_path), start="browse")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        await pilot.press("down", "end")
        table = screen.query_one("#cards", DataTable)
        assert table.cursor_row == len(screen.rows) - 1 == 5
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("z")  # a quiz of the highlighted card
        await settle(pilot)
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("escape")  # finish at once: the result, nothing missed
        await settle(pilot)
        assert isinstance(app.screen, QuizResultScreen)
        footer = screen_text(app).splitlines()[-1]
        assert "Back" in footer and "Home" not in footer and "e Edit" not in footer, footer
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")  # from the table: out of the browser, which came first
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "IMbrave150" in words(app) or "TUI Trial" in words(app)
