"""A fast path for reading a deck: yaml-rs (Rust) where it provably agrees with PyYAML.

`hccquiz.deck.parse` reads decks with PyYAML, which follows YAML 1.1 and is the reference:
its data, its refusals and its ``PATH:LINE:COL`` problems are what a deck means. It is also
slow (about 2 s for a 6 MB deck). yaml-rs parses the same bytes several times faster, but it
follows YAML 1.2, where some plain scalars mean other things (``yes`` is text, ``017`` is 17,
``2:1`` is text where YAML 1.1 reads 121), it ignores tags it does not know (``!!binary``),
and it reports no node locations.

So `fast_deck` gives a `Deck` only when it can show that the exact path would give the very
same data and accept it, and None on any doubt, after which the caller takes the exact path
(which then also finds and locates every problem). It is None when:

- yaml-rs is not installed, fails, or finds a duplicate key, a recursive or any alias;
- the bytes hold anything that may be a tag (``!`` where a node can start), an anchor, a
  merge key (``<<``), a directive, a tab, a lone carriage return or a backslash escape, or
  do not end with a line break (the two parsers end a last block scalar differently);
- the text holds a character libyaml refuses or treats as a line break (NEL, LS, PS), a
  control or invisible formatting character, or a byte-order mark inside;
- the data is not a mapping, or holds anything but mappings, lists, strings and booleans
  (a number or a null: the two YAML versions may disagree on them, so the exact path decides);
- a string starts with a YAML indicator (``-``, ``>``, ``:``...: YAML 1.1 refuses some
  of them plain in a flow list, where yaml-rs takes them as text);
- a string is blank but not empty (a block scalar of blank lines: yaml-rs keeps a line
  break that PyYAML drops);
- a string is one that YAML 1.1 would read as another type if it was written plain (``yes``,
  ``2:1``, a date), unless yaml-rs, too, reads that text as a non-string when plain, which
  shows that the file quoted it;
- the deck is invalid (a cross-item problem or a validation error): only the exact path
  locates problems.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from yaml.resolver import Resolver

from .models import Deck, cross_check

__all__ = ["fast_data", "fast_deck"]

# a tag: `!` after anything but a word character (in text, `!` follows a word: "Stop!")
_TAG = re.compile(rb"(?:^|[^A-Za-z0-9.)!?*_%\x80-\xff])!")
_ANCHOR = re.compile(rb"(?:^|[\s\[{,])&[^\s\[\]{},]")
_DIRECTIVE = re.compile(rb"(?m:^%)")
_LONE_CR = re.compile(rb"\r(?!\n)")
_ASCII_OK = bytes([0x0A, 0x0D, *range(0x20, 0x7F), *range(0x80, 0x100)])
"""Bytes allowed in the ASCII part: line breaks and printable characters (and UTF-8)."""
_DOUBT_CHARS = re.compile(
    "[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"  # libyaml refuses these
    "|[\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"  # breaks, invisibles
)
_ASCII = bytes(range(0x80))
_RESOLVERS: dict[str | None, list[tuple[str, re.Pattern[str]]]] = Resolver.yaml_implicit_resolvers
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
"""Characters a plain scalar may not start with in YAML 1.1 (yaml-rs allows some of them)."""
_FIRST = frozenset(c for c in _RESOLVERS if c) | _INDICATORS
"""First characters of strings that need a closer look."""


def fast_deck(text: bytes) -> Deck | None:
    """The valid `Deck` in `text` (UTF-8, no BOM), exactly as the exact path would give
    it, or None when that cannot be shown cheaply (then take the exact path)."""
    data = fast_data(text)
    if data is None or cross_check(data):
        return None
    from pydantic import ValidationError

    try:
        # no control character can be in the text (`_doubtful_bytes`): skip that check
        return Deck.model_validate(data, context={"defer_cross_check": True, "controls": False})
    except ValidationError:
        return None


def fast_data(text: bytes) -> dict[str, Any] | None:
    """The mapping `hccquiz.deck.parse.parse_yaml` would build from `text`, or None."""
    try:
        import yaml_rs
    except ImportError:  # pragma: no cover - yaml-rs is a dependency; a broken install
        return None
    if _doubtful_bytes(text):
        return None
    decoded = text.decode("utf-8")
    try:
        data = yaml_rs.loads(
            decoded,
            parse_datetime=False,
            alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=0),
            duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error,
        )
    except Exception:  # any refusal or failure: the exact path will say what it is
        return None
    if type(data) is not dict or not _plain_data(data):
        return None
    return data


def _doubtful_bytes(text: bytes) -> bool:
    """True if `text` may hold a tag, anchor, merge key, directive, escape, tab, lone CR,
    or a character libyaml refuses or breaks lines at (a few C-speed scans)."""
    if not text.endswith(b"\n") or b"<<" in text or b"\t" in text or b"\\" in text:
        return True
    if text.translate(None, _ASCII_OK):  # an ASCII control character
        return True
    checks = ((b"!", _TAG), (b"&", _ANCHOR), (b"%", _DIRECTIVE), (b"\r", _LONE_CR))
    if any(mark in text and pattern.search(text) for mark, pattern in checks):
        return True
    # the non-ASCII bytes alone are whole UTF-8 sequences: the text's non-ASCII characters
    return bool(_DOUBT_CHARS.search(text.translate(None, _ASCII).decode("utf-8", "replace")))


def _plain_data(root: dict[str, Any]) -> bool:
    """True if `root` holds only mappings, lists, strings and booleans that PyYAML reads
    the same way (booleans: yaml-rs reads only true/false in three casings as booleans, a
    subset of YAML 1.1's words with the same values; a test checks every casing)."""
    stack: list[Any] = [root]
    first = _FIRST
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is str:
            if node and ((node[0] in first and _ambiguous(node)) or node.isspace()):
                return False
        elif kind is dict:
            for key in node:
                if type(key) is not str or (key and key[0] in first and _ambiguous(key)):
                    return False
            stack.extend(node.values())
        elif kind is list:
            stack.extend(node)
        elif kind is not bool:
            return False
    return True


def _ambiguous(text: str) -> bool:
    """True if `text` may have been a plain scalar that YAML 1.1 reads as a non-string,
    or refuses (one that starts with an indicator, which yaml-rs accepts in flow lists)."""
    if not text:
        return False  # yaml-rs reads an empty plain scalar as null: this one was quoted
    if text[0] in _INDICATORS:
        return True
    for _tag, pattern in _RESOLVERS.get(text[0], ()):
        if pattern.match(text):
            return not _typed_when_plain(text)
    return False


@lru_cache(maxsize=4096)
def _typed_when_plain(text: str) -> bool:
    """True if yaml-rs reads `text` written plain as a non-string: then a string `text`
    came from a quoted (or block) scalar, which PyYAML reads as the same string."""
    import yaml_rs

    try:
        data = yaml_rs.loads(f"k: {text}\n", parse_datetime=False)
    except Exception:
        return False
    return type(data) is dict and list(data) == ["k"] and type(data["k"]) is not str
