"""Deck text (Markdown, Anki cloze markers) -> safe HTML for Anki.

Deck text is Markdown. Raw HTML in it is never markup: ``<script>``, ``<b>`` and ``&``
arrive as visible text. Rendering uses the shared parser of `hccquiz.text.markdown`.
Unsafe link targets (``javascript:`` and the like) are refused by markdown-it's own link
validation.

Every function here is pure: text in, text out.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import escapeHtml

from ..deck.cloze import CLOZE_RE
from .markdown import markdown_parser

__all__ = [
    "cloze_to_html",
    "escape_html",
    "inline_markdown_to_html",
    "markdown_to_html",
]

# Placeholders that stand in for cloze deletions while the Markdown around them renders.
# Private-use characters are plain text to Markdown, so they come out unchanged.
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER_RE = re.compile(f"{_OPEN}(\\d+){_CLOSE}")

# Fast path. Most deck text is one line of prose, perhaps with **strong** or *emphasis*,
# and markdown-it takes 25-75 microseconds a field (about a second on a 10,000-item
# deck). For text in the narrow grammar below the output is computed directly; it is
# the very HTML markdown-it gives (a property test checks the two agree), and anything
# outside the grammar goes to markdown-it.
_WORD = r"[^\s\x00*_`\[\]\\~]+"  # no emphasis, code, link, escape or strikethrough mark
_PLAIN_RE = re.compile(f"{_WORD}(?: {_WORD})*")  # one line, trimmed, single spaces
_EMPHASIS_RE = re.compile(r"(?:^|(?<=[ (]))(\*\*?)([^\W_](?:[^*]*[^\W_])?)\1(?=$|[ .,;:?)])")
_ENTITY_RE = re.compile(r"&[#A-Za-z0-9]")
# A line that starts so could be a heading, quote, list, rule, fence, table, HTML or a
# link reference definition in block context.
_BLOCK_START_RE = re.compile(r"[#>+\-=*_`~\[<|]|\d{1,9}[.)](?:\s|$)")


def escape_html(text: str) -> str:
    """Escape ``& < > "`` exactly as markdown-it does, so both paths agree."""
    return escapeHtml(text)


def _fast_inline(text: str) -> str | None:
    """The inline HTML of `text` if it is plain words with simple emphasis, else None."""
    if ("<" in text and ">" in text) or ("&" in text and _ENTITY_RE.search(text)):
        return None  # a possible autolink or character reference
    if "*" not in text:
        return escapeHtml(text) if _PLAIN_RE.fullmatch(text) else None
    parts, position = [], 0
    for match in _EMPHASIS_RE.finditer(text):
        inner = match.group(2)
        if not _PLAIN_RE.fullmatch(inner):
            return None
        tag = "strong" if len(match.group(1)) == 2 else "em"
        parts += [text[position : match.start()], f"<{tag}>{escapeHtml(inner)}</{tag}>"]
        position = match.end()
    parts.append(text[position:])
    plain = parts[::2]
    if any("*" in part for part in plain) or not _PLAIN_RE.fullmatch("x".join(plain)):
        return None
    parts[::2] = [escapeHtml(part) for part in plain]
    return "".join(parts)


def markdown_to_html(text: str) -> str:
    """Render Markdown to HTML with any raw HTML escaped.

    A text that is a single paragraph comes back without the ``<p>`` wrapper, so that
    short questions and answers sit inline on the card; anything else (lists, several
    paragraphs, tables) comes back as block HTML.
    """
    one_line = "\n" not in text and "\r" not in text and text == text.strip()
    if one_line and text and _BLOCK_START_RE.match(text) is None:
        fast = _fast_inline(text)
        return fast if fast is not None else markdown_parser().renderInline(text)
    md = markdown_parser()
    tokens = md.parse(text)
    if [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]:
        return md.renderer.render(tokens[1].children or [], md.options, {})
    return md.renderer.render(tokens, md.options, {}).rstrip("\n")


def inline_markdown_to_html(text: str) -> str:
    """Render inline Markdown only (emphasis, code, links), for text inside a sentence or
    a list entry: ``2020.`` or ``- 5`` stay text instead of starting a list."""
    fast = _fast_inline(text)
    return fast if fast is not None else markdown_parser().renderInline(text)


def cloze_to_html(text: str) -> str:
    """Render a cloze text: Markdown around ``{{cN::answer::hint}}`` markers kept for Anki.

    Each deletion is swapped for a placeholder, the Markdown renders, and the deletions
    come back with their answer rendered as inline Markdown and their hint escaped, so
    that ``{{c1::P<0.001::p}}`` becomes ``{{c1::P&lt;0.001::p}}``.
    """
    text = text.replace(_OPEN, "\ufffd").replace(_CLOSE, "\ufffd")
    deletions: list[str] = []

    def protect(match: re.Match[str]) -> str:
        number, answer, hint = match.group(1), match.group(2), match.group(3)
        rendered = f"{{{{c{int(number)}::{inline_markdown_to_html(answer.strip())}"
        if hint is not None:
            rendered += f"::{escape_html(hint.strip())}"
        deletions.append(rendered + "}}")
        return f"{_OPEN}{len(deletions) - 1}{_CLOSE}"

    protected = CLOZE_RE.sub(protect, text)
    html = markdown_to_html(protected)
    return _PLACEHOLDER_RE.sub(lambda m: deletions[int(m.group(1))], html)
