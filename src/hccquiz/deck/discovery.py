"""Finding deck files: the bundled decks, decks named on the command line, deck folders.

The bundled decks are ``decks/`` in the current folder or in a checkout, else the copy
packaged in the wheel (``hccquiz/_decks``). `resolve_deck_args` turns DECK arguments
(files, folders, or names of bundled decks) into paths. No CLI import.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import HccquizError

__all__ = ["DECK_SUFFIXES", "bundled_deck_dir", "deck_files", "resolve_deck_args"]

DECK_SUFFIXES = (".yaml", ".yml")
"""The file name endings of deck files."""


def _has_decks(folder: Path) -> bool:
    return folder.is_dir() and any(
        p.suffix in DECK_SUFFIXES and p.is_file() for p in folder.iterdir()
    )


def bundled_deck_dir(package: Path | None = None) -> Path | None:
    """``decks/`` in the current folder, else the checkout's, else the packaged copy.

    `package` is the folder of the ``hccquiz`` package (by default, the one this module is
    in); the checkout's ``decks/`` is two levels above it and the packaged copy is inside it.
    Only a folder holding deck files counts. None when there is none.
    """
    package = Path(__file__).resolve().parent.parent if package is None else package
    for folder in (Path("decks"), package.parent.parent / "decks", package / "_decks"):
        if _has_decks(folder):
            return folder
    return None


def resolve_deck_args(names: Iterable[str], package: Path | None = None) -> list[Path]:
    """DECK arguments as paths: each an existing file or folder, else the name of a deck
    in the bundled folder (``imbrave150`` for ``decks/imbrave150.yaml``). With no names,
    the bundled folder itself. Raises `HccquizError` for an argument that is none of
    these, or when no names are given and there are no bundled decks.

    `package` is passed on to `bundled_deck_dir`.
    """
    names = list(names)
    folder = bundled_deck_dir(package)
    if not names:
        if folder is None:
            raise HccquizError("no decks/ folder here and no bundled decks: name the decks")
        return [folder]
    paths: list[Path] = []
    for name in names:
        path = Path(name)
        if not path.exists() and folder is not None:
            named = [folder / f"{name}{suffix}" for suffix in DECK_SUFFIXES]
            path = next((p for p in named if p.is_file()), path)
        if not path.exists():
            where = f"deck in {folder}/" if folder is not None else "bundled deck"
            raise HccquizError(f"{name}: no such deck file, folder or {where}")
        paths.append(path)
    return paths


def deck_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders expanded to the deck files in them, sorted by name.

    Raises `HccquizError` for a folder that holds no deck file.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            try:
                decks = sorted(
                    p for p in path.iterdir() if p.suffix in DECK_SUFFIXES and p.is_file()
                )
            except OSError as exc:
                raise HccquizError(f"{path}: cannot list this folder: {exc.strerror}") from None
            if not decks:
                raise HccquizError(f"{path}: no *.yaml or *.yml deck files in this folder")
            found.extend(decks)
        else:
            found.append(path)
    return found
