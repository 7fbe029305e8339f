"""Database work off the UI thread, as harlequin and toolong do.

`read_in_thread` runs a read in a worker thread and hands its result to the screen on the
UI thread. `write_in_thread` does the same for a write (a grade, a suspension, an undo):
while another process holds the database's write lock the write waits (up to a minute),
and the app stays responsive meanwhile; the screen says the write is waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode

from ..errors import HccquizError
from .messages import Failed

__all__ = ["SavesInBackground", "read_in_thread", "write_in_thread"]

T = TypeVar("T")


def read_in_thread(
    node: DOMNode, read: Callable[[], T], show: Callable[[T], object], *, group: str
) -> None:
    """Run `read` in a worker thread, then `show(result)` on the UI thread.

    A newer read in the same `group` cancels an older one. An hccquiz error (a damaged or
    locked database) posts `Failed`, which ends the app with one line.
    """

    def work() -> None:
        try:
            result = read()
        except HccquizError as exc:
            node.app.call_from_thread(node.post_message, Failed(exc))
            return
        node.app.call_from_thread(show, result)

    node.run_worker(work, thread=True, exclusive=True, group=group)


def write_in_thread(
    node: DOMNode,
    write: Callable[[], T],
    done: Callable[[T], object],
    failed: Callable[[HccquizError], object],
    *,
    group: str = "write",
) -> None:
    """Run `write` in a worker thread, then `done(result)` or, on an hccquiz error (the
    database stayed locked, the card changed elsewhere), `failed(error)` on the UI thread."""

    def work() -> None:
        try:
            result = write()
        except HccquizError as exc:
            node.app.call_from_thread(failed, exc)
            return
        node.app.call_from_thread(done, result)

    node.run_worker(work, thread=True, group=group)


class SavesInBackground:
    """A screen whose writes run in worker threads. While `saving`, quitting waits: the
    app asks `quit_when_saved`, and the screen exits once the write is done."""

    saving: bool = False

    def quit_when_saved(self) -> None:
        """Quit as soon as the write in flight is done (saved or given up)."""
        raise NotImplementedError
