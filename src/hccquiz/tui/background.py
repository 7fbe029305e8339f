"""Database reads off the UI thread: `read_in_thread` runs a read in a worker thread and
hands its result to the screen on the UI thread, as harlequin and toolong do."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode

from ..errors import HccquizError
from .messages import Failed

__all__ = ["read_in_thread"]

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

    node.run_worker(work, thread=True, exclusive=True, group=group, exit_on_error=False)
