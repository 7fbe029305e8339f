"""What deck text may hold: no control characters but tab and line feed, and something
visible. Pure checks used by the models (`hccquiz.deck.models`) and their messages."""

from __future__ import annotations

import re

from pydantic import ValidationInfo

__all__ = ["no_control", "not_blank", "shown"]

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# characters that show nothing: whitespace, format characters (zero-width space and
# joiners, direction marks, BOM, soft hyphen), variation selectors and Hangul fillers
_VISIBLE_RE = re.compile(
    "[^\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f]"
)


def shown(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut short when long."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def no_control(value: str, info: ValidationInfo | None = None) -> str:
    """Refuse control characters other than tab and line feed (``\\x1f`` is Anki's field
    separator; escapes would reach terminals and logs).

    A YAML file can only carry them through escapes in double-quoted strings; the deck
    reader says in the validation context (``controls: False``) when a file has none.
    """
    if info is not None and info.context and info.context.get("controls") is False:
        return value
    bad = _CONTROL_RE.search(value)
    if bad:
        raise ValueError(
            f"holds the control character U+{ord(bad.group()):04X} at character "
            f"{bad.start() + 1}: deck text may hold tabs and line breaks, no other control "
            "characters"
        )
    return value


def not_blank(value: str, info: ValidationInfo) -> str:
    """Refuse empty text, text of invisible characters only, and control characters."""
    no_control(value, info)
    if not _VISIBLE_RE.search(value):
        if value.strip():
            raise ValueError(
                "holds only invisible characters (zero-width spaces, joiners or the like)"
            )
        raise ValueError("must not be empty")
    return value
