"""Jump to source: where a card's item is in its deck file, the editor command that opens it
there, and what happens after the editor exits (validate again, then sync or report).

The line is the validator's node location (`hccquiz.deck.parse.item_locations`). The editor is
``$VISUAL``, else ``$EDITOR`` (with any arguments it names), given the line in the form
it understands: ``+LINE`` for vi, vim, nvim, nano and the like, ``+LINE:COL`` for emacs,
``FILE +LINE:COL`` for micro, ``FILE:LINE:COL`` for hx, ``--wait --goto FILE:LINE:COL``
for VS Code (which would otherwise return at once). A bundled deck installed read-only is
never opened: the user is told how to copy it. No UI is imported here; the app runs the
command (suspended while the editor has the terminal).
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DeckError, HccquizError, Problem

if TYPE_CHECKING:
    from ..store import DeckSync, Store

__all__ = [
    "EditOutcome",
    "EditRefused",
    "SourceSpot",
    "check_editable",
    "editor_command",
    "item_spot",
    "sync_after_edit",
]

_PLUS_LINE = frozenset({"vi", "vim", "nvim", "view", "gvim", "mvim", "nano", "pico", "rnano",
                        "kak", "joe", "jed", "mg", "ne", "vis", "gedit"})  # fmt: skip
_EMACS = frozenset({"emacs", "emacsclient"})
_VSCODE = frozenset({"code", "code-insiders", "codium", "vscodium", "cursor", "windsurf"})
_COLON = frozenset({"hx", "helix"})


class EditRefused(HccquizError):
    """The item cannot be opened in an editor here (the one line says why and what to do)."""


@dataclass(frozen=True, slots=True)
class SourceSpot:
    """A place in a deck file: ``PATH:LINE:COL`` (line and column from 1)."""

    path: Path
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class EditOutcome:
    """After the editor: the deck's problems (nothing synced), or what the sync did."""

    problems: tuple[Problem, ...] = ()
    sync: DeckSync | None = None

    @property
    def ok(self) -> bool:
        """True when the deck was valid and synced (or unchanged)."""
        return not self.problems


_LOCATIONS: dict[Path, tuple[tuple[int, int], dict[str, tuple[int, int]]]] = {}
"""Item locations per deck file, with the file's (mtime, size) they were read at."""


def item_spot(path: Path, item_id: str) -> SourceSpot:
    """Where item `item_id` starts in deck file `path` (line 1 when it is not found).

    A file's locations are read once and kept until the file changes."""
    from ..deck.file import read_deck_bytes
    from ..deck.parse import item_locations

    try:
        stat = path.stat()
        signature = (stat.st_mtime_ns, stat.st_size)
        cached = _LOCATIONS.get(path)
        if cached is None or cached[0] != signature:
            cached = _LOCATIONS[path] = (signature, item_locations(read_deck_bytes(path)))
    except OSError as exc:
        raise EditRefused(f"{path}: {exc.strerror or exc}") from None
    except DeckError as exc:
        raise EditRefused(str(exc.problems[0]) if exc.problems else str(exc)) from None
    line, column = cached[1].get(item_id, (1, 1))
    return SourceSpot(path, line, column)


def check_editable(path: Path, bundled_dir: Path | None = None) -> None:
    """Raise `EditRefused` unless `path` is a deck file this user may edit in place.

    A bundled deck installed with hccquiz (the package's ``_decks``) or any file that is
    not writable is refused, with the command that copies it to a local ``decks/``."""
    from ..deck.discovery import bundled_deck_dir

    if not path.is_file():
        raise EditRefused(f"{path}: the deck file is gone; sync it again from where it is now")
    bundled = bundled_dir if bundled_dir is not None else bundled_deck_dir()
    installed = bundled is not None and bundled.name == "_decks" and _inside(path, bundled)
    if installed or not os.access(path, os.W_OK):
        what = "a bundled deck installed read-only" if installed else "read-only"
        raise EditRefused(
            f"{path} is {what}: to edit it, copy it into a decks/ folder here "
            f"(mkdir -p decks && cp {shlex.quote(str(path))} decks/) and study from there"
        )


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def editor_command(spot: SourceSpot, env: Mapping[str, str] | None = None) -> list[str]:
    """The command that opens `spot` in ``$VISUAL`` or ``$EDITOR``; `EditRefused` if
    neither is set (or one cannot be read as a command)."""
    env = os.environ if env is None else env
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if value:
            break
    else:
        raise EditRefused("set $EDITOR (for example: export EDITOR=nano) to edit decks from here")
    try:
        words = shlex.split(value)
    except ValueError as exc:
        raise EditRefused(f"${name} is not a command ({exc}): {value}") from None
    program = Path(words[0]).name.lower().removesuffix(".exe")
    path, line, col = str(spot.path), spot.line, spot.column
    if program in _PLUS_LINE:
        return [*words, f"+{line}", path]
    if program in _EMACS:
        return [*words, f"+{line}:{col}", path]
    if program == "micro":
        return [*words, path, f"+{line}:{col}"]
    if program in _COLON:
        return [*words, f"{path}:{line}:{col}"]
    if program in _VSCODE:
        wait = [] if {"-w", "--wait"} & set(words) else ["--wait"]
        return [*words, *wait, "--goto", f"{path}:{line}:{col}"]
    if program in ("subl", "sublime_text"):
        wait = [] if {"-w", "--wait"} & set(words) else ["--wait"]
        return [*words, *wait, f"{path}:{line}:{col}"]
    return [*words, path]


def sync_after_edit(store: Store, path: Path, *, now: datetime) -> EditOutcome:
    """Validate the edited deck again and, if it is valid, sync it (edited items keep
    their cards and history); if not, its ``PATH:LINE:COL`` problems, with nothing synced."""
    from .sync import sync_files

    try:
        (report,) = sync_files(store, [path], now=now)
    except DeckError as exc:
        return EditOutcome(problems=tuple(exc.problems))
    return EditOutcome(sync=report)
