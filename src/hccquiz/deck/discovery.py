"""Finding deck files: the bundled decks, a local ``decks/`` folder, decks named on the
command line, deck folders, and where each deck in use came from.

The bundled decks are the checkout's ``decks/`` (next to ``src/``), else the copy packaged
in the wheel (``hccquiz/_decks``). A ``decks/`` folder in the current folder is used *as
well*, never instead: a local file replaces the bundled file of the same name, and says
so (`DeckSource.describe`). Every DECK argument (a file, a folder, or the name of a
local or bundled deck) resolves through `deck_sources`. No CLI import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import HccquizError

__all__ = [
    "DECK_SUFFIXES",
    "DeckSource",
    "bundled_deck_dir",
    "deck_files",
    "deck_sources",
    "local_deck_dir",
    "resolve_deck_args",
]

DECK_SUFFIXES = (".yaml", ".yml")
"""The file name endings of deck files."""

Origin = Literal["bundled", "local", "given"]


@dataclass(frozen=True, slots=True)
class DeckSource:
    """A deck file in use: bundled with hccquiz, in a local ``decks/`` folder, or given.

    ``replaces`` is the bundled file that a local file of the same name stands in for.
    """

    path: Path
    origin: Origin
    replaces: Path | None = None

    def describe(self) -> str:
        """Where the deck comes from, e.g. ``bundled: /…/decks/imbrave150.yaml``."""
        where = {"bundled": "bundled", "local": "local decks/", "given": "named"}[self.origin]
        text = f"{where}: {self.path}"
        if self.replaces is not None:
            text += f" (instead of the bundled {self.replaces.name})"
        return text


def _has_decks(folder: Path) -> bool:
    return folder.is_dir() and any(
        p.suffix in DECK_SUFFIXES and p.is_file() for p in folder.iterdir()
    )


def _files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in DECK_SUFFIXES and p.is_file())


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def bundled_deck_dir(package: Path | None = None) -> Path | None:
    """The bundled decks: the checkout's ``decks/``, else the copy packaged in the wheel.

    `package` is the folder of the ``hccquiz`` package (by default, the one this module is
    in); the checkout's ``decks/`` is two levels above it and the packaged copy is inside it.
    Only a folder holding deck files counts. None when there is none.
    """
    package = Path(__file__).resolve().parent.parent if package is None else package
    for folder in (package.parent.parent / "decks", package / "_decks"):
        if _has_decks(folder):
            return folder
    return None


def local_deck_dir(package: Path | None = None) -> Path | None:
    """``decks/`` in the current folder, if it holds decks and is not the bundled folder."""
    local, bundled = Path("decks"), bundled_deck_dir(package)
    if not _has_decks(local) or (bundled is not None and _same(local, bundled)):
        return None
    return local


def _default_sources(package: Path | None, bundled_too: bool) -> list[DeckSource]:
    local, bundled = local_deck_dir(package), bundled_deck_dir(package)
    if local is not None and not bundled_too:
        return [DeckSource(p, "local") for p in _files_in(local)]
    local_files = _files_in(local) if local is not None else []
    bundled_files = _files_in(bundled) if bundled is not None else []
    by_name = {p.name: p for p in bundled_files}
    sources = [DeckSource(p, "local", by_name.get(p.name)) for p in local_files]
    shadowed = {p.name for p in local_files}
    sources += [DeckSource(p, "bundled") for p in bundled_files if p.name not in shadowed]
    return sources


def deck_sources(
    names: Iterable[str | Path], package: Path | None = None, *, bundled_too: bool = True
) -> list[DeckSource]:
    """DECK arguments as deck files with their origin.

    Each argument is an existing file or folder (a folder gives every deck file in it),
    else the name of a deck in the local ``decks/`` folder or among the bundled decks
    (``imbrave150`` for ``imbrave150.yaml``). With no names: the local decks and the
    bundled ones (with ``bundled_too=False``: the local decks if there are any, else the
    bundled ones). Raises `HccquizError` for an argument that is none of these, a folder
    with no deck file, or no names and no decks anywhere. `package` as `bundled_deck_dir`.
    """
    names = [str(n) for n in names]
    if not names:
        sources = _default_sources(package, bundled_too)
        if not sources:
            raise HccquizError("no decks/ folder here and no bundled decks: name the decks")
        return sources
    local, bundled = local_deck_dir(package), bundled_deck_dir(package)
    folders: list[tuple[Path | None, Origin]] = [(local, "local"), (bundled, "bundled")]
    found: list[DeckSource] = []
    for name in names:
        path = Path(name)
        if path.exists():
            found += [DeckSource(p, "given") for p in deck_files([path])]
            continue
        for folder, origin in folders:
            named = [folder / f"{name}{s}" for s in DECK_SUFFIXES] if folder else []
            if match := next((p for p in named if p.is_file()), None):
                found.append(DeckSource(match, origin))
                break
        else:
            places = " or ".join(str(f) + "/" for f in (local, bundled) if f is not None)
            where = f"deck in {places}" if places else "bundled deck"
            raise HccquizError(f"{name}: no such deck file, folder or {where}")
    return found


def resolve_deck_args(names: Iterable[str | Path], package: Path | None = None) -> list[Path]:
    """The deck files of `deck_sources` (files, folders expanded, names of decks); with no
    names, the local ``decks/`` if it holds any, else the bundled decks (what an educator
    exporting from their own folder means)."""
    return [source.path for source in deck_sources(names, package, bundled_too=False)]


def deck_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders expanded to the deck files in them, sorted by name.

    Raises `HccquizError` for a folder that holds no deck file.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            decks = _files_in(path)
            if not decks:
                raise HccquizError(f"{path}: no *.yaml or *.yml deck files in this folder")
            found.extend(decks)
        else:
            found.append(path)
    return found
