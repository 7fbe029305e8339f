"""`CardDetailView`: the browser's detail pane: the card as it shows (question, options,
answer), where its item is in its deck file, and its history, newest first (date, grade,
interval before → after, kind; resets to new among them)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static

from ...deck.models import ChoiceItem
from ...grading import Scale
from ...store import CardEvent
from ...study import CardDetail
from ...text.terminal import CHOICE_LETTERS, card_text, format_interval
from .card import safe_markdown

__all__ = ["CardDetailView", "event_line", "grade_label"]


def grade_label(quality: int | None, scale: Scale = Scale.FOUR) -> str:
    """A stored quality as `scale` names it (`Scale.grade_name`): ``3 Good`` for quality
    4 on the four buttons (the key pressed), ``4 Good`` on the six grades; empty for none."""
    return "" if quality is None else scale.grade_name(quality)


def _interval(days: int, due: object) -> str:
    return "new" if due is None else format_interval(days)


def event_line(event: CardEvent, scale: Scale = Scale.FOUR) -> str:
    """One line of history: ``2026-11-23  3 Good   new → 1d  study`` (the grade named
    as `scale` names it)."""
    if event.kind == "reset":
        was = _interval(event.interval_before, event.due_before)
        return f"{event.day}  reset to new (was {was}; its reviews are kept)"
    before = _interval(event.interval_before, event.due_before)
    after = _interval(event.interval_after, event.due_after)
    grade = grade_label(event.quality, scale)
    return f"{event.day}  {grade:<7} {before:>4} → {after:<4}  {event.kind}"


class CardDetailView(VerticalScroll):
    """The highlighted card of the browser, scrolling when it is taller than the pane."""

    def compose(self) -> ComposeResult:
        """Heading, the card, the history."""
        yield Static(id="detail-head")
        yield safe_markdown(id="detail-card")
        yield Static(id="detail-history")

    def show(self, detail: CardDetail | None) -> None:
        """Show `detail` (None: no card highlighted)."""
        head = self.query_one("#detail-head", Static)
        card = self.query_one("#detail-card", Markdown)
        history = self.query_one("#detail-history", Static)
        if detail is None:
            head.update(Text("No card matches.", style="italic"))
            card.update("")
            history.update("")
            return
        item = detail.item
        state = [s for s, on in (("suspended", detail.suspended), ("retired", detail.retired),
                                 ("changed since last review", detail.changed)) if on]  # fmt: skip
        flags = f" · {', '.join(state)}" if state else ""
        head.update(
            Text.assemble(
                (f"{detail.deck_title} · {item.id}", "bold"),
                f" · card {detail.number} · {item.type}{flags}",
                (f"\n{detail.location}", "italic"),
                f"  (e: edit){'  · ' + item.source if item.source else ''}",
                f"\nlevels: {', '.join(detail.levels)} · tags: {', '.join(detail.tags) or '—'}",
            )
        )  # fmt: skip
        question, answer = card_text(item, detail.number)
        if isinstance(item, ChoiceItem):
            options = "\n".join(
                f"- {'✓' if o.text.strip() in {a.strip() for a in item.answers} else '·'} "
                f"**{CHOICE_LETTERS[n]}** {o.text}"
                for n, o in enumerate(item.options)
            )
            question += "\n\n" + options
        card.update(f"{question}\n\n---\n\n{answer}")
        lines = [event_line(e, detail.scale) for e in reversed(detail.events)]
        title = f"History ({len(detail.events)})" if detail.events else "History: not studied yet"
        history.update(Text.assemble((title, "bold"), *(f"\n{line}" for line in lines)))
        self.scroll_home(animate=False)
