"""`ScrollingScreen`: a screen whose body scrolls by keyboard and mouse, and says so.

The body (a `VerticalScroll` with id ``body``) has the focus, so the arrows, PgUp/PgDn,
Home/End and the mouse wheel scroll it, and space pages down as in a pager; while its
content is taller than the screen, the footer shows ``↑↓ Scroll``.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen

__all__ = ["ScrollingScreen"]


class ScrollingScreen(Screen[None]):
    """A screen with a scrolling ``#body``; the footer says so when there is more."""

    BINDINGS = [
        Binding("space", "more", "Scroll", key_display="↑↓", id="scroll.more",
                tooltip="↑ ↓, space, PgUp PgDn, Home End or the mouse wheel scroll this screen"),
    ]  # fmt: skip

    @property
    def body(self) -> VerticalScroll:
        """The scrolling part of the screen."""
        return self.query_one("#body", VerticalScroll)

    def on_mount(self) -> None:
        """Focus the body, so that the keys scroll it; watch whether it overflows."""
        self.body.focus()
        self.watch(self.body, "virtual_size", self._overflow_changed, init=False)
        self.call_after_refresh(self.refresh_bindings)

    def on_resize(self) -> None:
        """A new size may change whether the body overflows."""
        self.call_after_refresh(self.refresh_bindings)

    def _overflow_changed(self) -> None:
        self.call_after_refresh(self.refresh_bindings)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The scroll hint shows only while the body has more than fits."""
        if action == "more":
            return self.is_mounted and self.body.max_scroll_y > 0
        return True

    def action_more(self) -> None:
        """Space: a page further down."""
        self.body.scroll_page_down()
