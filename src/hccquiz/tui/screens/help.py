"""Help: the keys of every screen, how grades schedule cards, and the daily limits."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer

from ..widgets.card import safe_markdown

__all__ = ["HELP_TEXT", "HelpScreen"]

HELP_TEXT = """\
# hccquiz help

*`escape` or `?` closes this help; `↑` `↓`, `PgUp` `PgDn`, `Home` `End` or the mouse
wheel scroll it.*

**Everywhere:** `q` quits (every grade is already saved) · `?` this help ·
`ctrl+p` command palette (study, quiz, statistics, a deck, a level, the theme,
settings).

**Home:** arrows pick a deck · `enter` or `s` study · `z` quiz · `t` statistics ·
`b` browse the deck's cards · `l` level filter · `o` settings (daily limits, scale,
day start, theme, keymap).

**Study:** `space` shows the answer · `1` Again · `2` Hard · `3` Good · `4` Easy
(six-grade mode: `0`–`5`) · after the answer, `space`/`enter` records Good ·
`u` undo · `s` suspend · `e` edit the card's item in `$EDITOR` (at its line; synced
when you save) · `b` browse · `escape` ends the session.
Each button shows when the card comes back (`Good · 6d`).
Cards graded Again or Hard come back later today until you grade them Good.

**Choice cards:** press a letter (`a`–`h`) to answer; for *select all that apply*,
press every letter that fits, then `enter`. Right answers default to Good,
wrong ones to Again; `1`–`4` change it before `space` or `enter` moves on.
Afterwards ✓ marks the right options, ✗ a wrong pick, and *missed* a right
option you did not pick.

**Quiz:** like study, but nothing is rescheduled. Choice items are scored for you;
for the others, show the answer and grade yourself (Hard or better counts as right).

**Quiz result:** `e` edits a missed item in `$EDITOR`.

**Browser:** every card, one a row. `/` searches as you type (question, answer, cloze
text, choices, explanation, source; `"a phrase"`, `question:word` for one field) ·
the state, level and tag filters sit beside it · `↑` `↓` pick a card, its detail and
history below · `o` sorts by the next column, `O` reverses (or click a heading) ·
`space` marks cards · `s` suspends or unsuspends · `r` resets to new (asks first; the
history is kept) · `z` quizzes the marked cards · `e` edits · `escape` goes back.

**Daily limits:** each deck introduces at most `new_per_day` new cards (20 unless
changed) and asks at most `reviews_per_day` reviews (200) a study day, which starts at
`day_starts_at` (04:00). Home and the session summary say when a limit holds cards back.
Change them with `o` on the home screen, or `hccquiz config set new_per_day 30`
(add `--deck ID` for one deck).
"""


class HelpScreen(ModalScreen[None]):
    """A modal list of keys; escape or ? closes it; it scrolls by keyboard and mouse."""

    BINDINGS = [
        Binding("escape,question_mark", "dismiss", "Close", id="help.close",
                tooltip="Close the help"),
        Binding("q", "app.quit", "Quit", id="help.quit", tooltip="Quit hccquiz"),
        Binding("space", "page", "Scroll", key_display="↑↓", id="help.scroll",
                tooltip="↑ ↓, space, PgUp PgDn, Home End or the mouse wheel scroll the help"),
    ]  # fmt: skip

    def compose(self) -> ComposeResult:
        """The help text."""
        with VerticalScroll(id="help"):
            yield safe_markdown(HELP_TEXT)
        yield Footer()

    def on_mount(self) -> None:
        """Focus the text, so that the keys scroll it."""
        self.query_one("#help").focus()

    def action_page(self) -> None:
        """Space: a page further down."""
        self.query_one("#help", VerticalScroll).scroll_page_down()
