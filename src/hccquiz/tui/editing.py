"""Jump to source from any screen: `e` opens the card's item in ``$VISUAL``/``$EDITOR`` at
its ``PATH:LINE``, with the app suspended while the editor has the terminal; afterwards
the deck is validated again and synced (the screen refreshes its card, history kept), or
its ``PATH:LINE:COL`` problems are shown and nothing is synced.

Where the item is, and the sync afterwards, run in worker threads; only the editor itself
runs on the UI thread, inside `App.suspend`. A headless app (the tests) has no terminal
to hand over and runs the editor as it is; a browser tab cannot run one and says so.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, SuspendNotSupported
from textual.screen import Screen

from ..errors import HccquizError
from ..study import Browser, EditOutcome, EditRefused, Workspace
from ..study.edit import SourceSpot, check_editable, editor_command, item_spot, sync_after_edit
from .background import write_in_thread

__all__ = ["edit_item", "edit_spot", "run_editor"]

Refreshed = Callable[[EditOutcome], object]


def run_editor(app: App[Any], command: list[str]) -> str | None:
    """Run `command` with the terminal handed over; None when it ran, else why not."""
    try:
        with app.suspend():
            subprocess.call(command)
    except SuspendNotSupported:
        if app.is_web:
            return "editing needs a terminal: run hccquiz in one to edit decks"
        subprocess.call(command, stdin=subprocess.DEVNULL)  # headless: no terminal to hand
    except OSError as exc:
        return f"cannot run the editor {command[0]}: {exc.strerror or exc}"
    return None


def edit_item(screen: Screen[Any], workspace: Workspace, deck_id: str, item_id: str,
              refreshed: Refreshed) -> None:  # fmt: skip
    """Open item `item_id` of deck `deck_id` in the editor (off the UI thread until the
    editor runs), then validate and sync; `refreshed(outcome)` once synced."""
    browser = Browser(workspace)

    def locate() -> SourceSpot:
        path = browser.deck_file(deck_id)
        if path is None:
            raise EditRefused(f"no deck file is known for {deck_id}: sync it from its file")
        check_editable(path)
        return item_spot(path, item_id)

    write_in_thread(screen, locate, lambda spot: edit_spot(screen, workspace, spot, refreshed),
                    lambda exc: _say(screen, str(exc)), group="edit")  # fmt: skip


def edit_spot(screen: Screen[Any], workspace: Workspace, spot: SourceSpot,
              refreshed: Refreshed) -> None:  # fmt: skip
    """Open `spot` in the editor, then validate the deck again and sync it or show its
    problems (from which `e` opens the first problem's line)."""
    try:
        command = editor_command(spot)
    except EditRefused as exc:
        _say(screen, str(exc))
        return
    why_not = run_editor(screen.app, command)
    if why_not is not None:
        _say(screen, why_not)
        return
    path = spot.path

    def synced(outcome: EditOutcome) -> None:
        if outcome.ok:
            workspace.reload_titles()
            refreshed(outcome)
            return
        from .screens.dialogs import ProblemsScreen

        def again(reopen: bool | None) -> None:
            if reopen:
                first = outcome.problems[0]
                where = SourceSpot(Path(first.path), first.line, first.column)
                edit_spot(screen, workspace, where, refreshed)

        screen.app.push_screen(ProblemsScreen(path, outcome.problems), again)

    def failed(exc: HccquizError) -> None:
        _say(screen, f"{exc}; nothing synced")

    write_in_thread(screen, lambda: sync_after_edit(workspace.store, path,
                    now=workspace.clock.now()), synced, failed, group="edit")  # fmt: skip


def _say(screen: Screen[Any], text: str) -> None:
    say = getattr(screen, "say", None)
    if callable(say):
        say(text, severity="warning", seconds=8)
    else:
        screen.notify(text, severity="warning", timeout=8)
