"""Help: the keys of every screen and how grades schedule cards."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from ..widgets.card import safe_markdown

__all__ = ["HELP_TEXT", "HelpScreen"]

HELP_TEXT = """\
# hccquiz help

*Press `escape` or `?` to close this help.*

**Everywhere:** `q` quits (every grade is already saved) · `?` this help ·
`ctrl+p` command palette.

**Home:** arrows pick a deck · `enter` or `s` study · `z` quiz · `t` statistics ·
`l` level filter.

**Study:** `space` shows the answer · `1` Again · `2` Hard · `3` Good · `4` Easy
(six-grade mode: `0`–`5`) · after the answer, `space`/`enter` records Good ·
`u` undo · `s` suspend · `escape` ends the session.
Each button shows when the card comes back (`Good · 6d`).
Cards graded Again or Hard come back later today until you grade them Good.

**Choice cards:** press a letter (`a`–`h`) to answer; for *select all that apply*,
press every letter that fits, then `enter`. Right answers default to Good,
wrong ones to Again; `1`–`4` change it before `enter` moves on.

**Quiz:** like study, but nothing is rescheduled. Choice items are scored for you;
for the others, show the answer and grade yourself (Hard or better counts as right).
"""


class HelpScreen(ModalScreen[None]):
    """A modal list of keys; escape or ? closes it."""

    BINDINGS = [
        Binding("escape,question_mark", "dismiss", "Close", id="help.close",
                tooltip="Close the help"),
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        """The help text."""
        with VerticalScroll(id="help"):
            yield safe_markdown(HELP_TEXT)
