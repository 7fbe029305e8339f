"""Pseudonyms: the only name a progress log carries.

A trainee may choose one (a program may hand out codes); otherwise a random one is made
once and kept in the progress database's settings, so every export from that database
carries the same pseudonym and nothing else about the person.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import HccquizError

__all__ = ["PSEUDONYM_RE", "PSEUDONYM_SETTING", "check_pseudonym", "new_pseudonym"]

PSEUDONYM_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
"""A pseudonym: 1-64 letters, digits, dots, underscores or hyphens, starting with a
letter or digit (no spaces, so it is one cell and one word everywhere)."""
PSEUDONYM_SETTING = "progress_pseudonym"
"""The settings key that keeps a database's random pseudonym."""
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud, typed back


def check_pseudonym(name: str) -> str:
    """`name` if it is a valid pseudonym, else `HccquizError` saying what is allowed."""
    if not PSEUDONYM_RE.fullmatch(name):
        raise HccquizError(
            f"pseudonym {name!r} is not allowed: use 1-64 letters, digits, '.', '_' or '-' "
            "(no spaces), starting with a letter or digit"
        )
    return name


def new_pseudonym(randbelow: Callable[[int], int]) -> str:
    """A fresh random pseudonym such as ``trainee-k7pm2x9qra`` (10 symbols, about 50 bits),
    drawn with `randbelow` (`secrets.randbelow` in the app)."""
    return "trainee-" + "".join(_ALPHABET[randbelow(len(_ALPHABET))] for _ in range(10))
