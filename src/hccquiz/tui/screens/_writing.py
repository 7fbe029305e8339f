"""`WritingScreen`: a screen that writes in worker threads and shows short notices.

Study and quiz write each grade off the UI thread (`hccquiz.tui.background`). Keys typed
while a quick save is in flight run once it is done; if the save has to wait for another
process's write lock, the screen says so plainly (with the seconds waited), keeps its
clock running, and does not take keys until the grade is saved or given up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from rich.text import Text
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from ...errors import HccquizError
from ..background import SavesInBackground, write_in_thread

__all__ = ["WAIT_NOTICE_AFTER", "WritingScreen"]

T = TypeVar("T")

WAIT_NOTICE_AFTER = 0.4
"""Seconds a write may take before the screen says it is waiting for the database."""


class WritingScreen(SavesInBackground, Screen[None]):
    """Writes off the UI thread, typed-ahead keys, and a notice line (``#notice``) shown in
    place of the progress line (``#progress``, if any): toasts would cover the card."""

    def __init__(self) -> None:
        super().__init__()
        self.saving = False
        self.waiting_since: float | None = None
        self.quitting = False
        self._notice_timer: Timer | None = None
        self._typed_ahead: list[Callable[[], object]] = []

    # ---- notices -------------------------------------------------------------------------

    def say(self, text: str, *, severity: str = "information", seconds: float = 3) -> None:
        """Show a short message on the notice line; `seconds` 0 keeps it until cleared."""
        notice = self.query_one("#notice", Static)
        notice.update(Text(text))
        notice.set_classes(f"-{severity}")
        notice.display = True
        self._progress(False)
        if self._notice_timer is not None:
            self._notice_timer.stop()
        self._notice_timer = self.set_timer(seconds, self.clear_notice) if seconds else None

    def clear_notice(self) -> None:
        """Hide the notice line (the progress line comes back)."""
        self.query_one("#notice").display = False
        self._progress(True)

    def _progress(self, shown: bool) -> None:
        for progress in self.query("#progress"):
            progress.display = shown

    # ---- writes --------------------------------------------------------------------------

    def later(self, action: Callable[[], object]) -> bool:
        """True if a write is in flight, and `action` must not run now: typed ahead of a
        quick save it runs once the save is done; while the screen says the grade is
        waiting, it is dropped."""
        if not self.saving:
            return False
        if self.waiting_since is None:
            self._typed_ahead.append(action)
        else:
            self.show_waiting()
        return True

    def start_write(
        self,
        write: Callable[[], T],
        done: Callable[[T], object],
        failed: Callable[[HccquizError], object],
    ) -> None:
        """Run `write` in a worker thread; then `done(result)` or `failed(error)`."""
        self.saving = True
        self.waiting_since = None
        self.set_timer(WAIT_NOTICE_AFTER, self._maybe_waiting)

        def finished(result: T) -> None:
            self._end_write()
            if not self.quitting:
                done(result)

        def not_saved(error: HccquizError) -> None:
            self._end_write()
            if not self.quitting:
                failed(error)

        write_in_thread(self, write, finished, not_saved)

    def _maybe_waiting(self) -> None:
        if self.saving and self.waiting_since is None:
            self.waiting_since = time.monotonic()
            self.show_waiting()

    def show_waiting(self) -> None:
        """Say plainly that the grade is waiting for the database, and for how long."""
        if self.waiting_since is None:
            return
        waited = int(time.monotonic() - self.waiting_since)
        then = " hccquiz quits once it is saved." if self.quitting else ""
        self.say(
            f"⏳ Your grade is waiting to be saved ({waited} s): another program is writing "
            f"to the progress database.{then}",
            severity="warning",
            seconds=0,
        )

    def _end_write(self) -> None:
        self.saving = False
        if self.waiting_since is not None:
            self.waiting_since = None
            self._typed_ahead.clear()
            self.clear_notice()
        if self.quitting:
            self.app.exit()
        else:
            self.call_after_refresh(self._run_typed_ahead)

    def _run_typed_ahead(self) -> None:
        while self._typed_ahead and not self.saving:
            self._typed_ahead.pop(0)()

    def quit_when_saved(self) -> None:
        """Quit as soon as the write in flight is saved (or given up)."""
        self.quitting = True
        self.waiting_since = self.waiting_since or time.monotonic()
        self.show_waiting()
