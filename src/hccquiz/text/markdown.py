"""The one Markdown parser setup: CommonMark with raw HTML off, tables and strikethrough on.

Deck text is Markdown, and raw HTML in it is never markup: the terminal app and the Anki
export both render through this parser, so ``<script>`` and ``<b>`` always arrive as text.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt

__all__ = ["markdown_parser"]


@cache
def markdown_parser() -> MarkdownIt:
    """The shared parser: CommonMark, raw HTML off, tables and strikethrough on."""
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )
