"""Deck files -> `Deck`, with every problem located as ``PATH:LINE:COL: message``.

The happy path is a bare safe parse (`hccquiz.deck.parse`) plus pydantic validation.
Locations are found only when something is wrong, by walking the YAML node tree along the
path of each validation error.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DeckError, Problem
from ..fileio import FileReadError, FileTooLarge, encoding_problem, read_regular
from ..gctuning import bulk_allocation

if TYPE_CHECKING:  # the parser and pydantic load when a deck is parsed, not for reading bytes
    from pydantic import ValidationError

    from .models import Deck

__all__ = [
    "MAX_DECK_BYTES",
    "check_file_bytes",
    "claim_deck_id",
    "load_deck",
    "load_deck_text",
    "load_decks",
    "read_deck_bytes",
]

MAX_DECK_BYTES = 16 * 1024 * 1024
"""Deck files larger than this (16 MiB) are refused before they are parsed."""


def read_deck_bytes(path: str | Path) -> bytes:
    """The bytes of a deck file; `DeckError` if it is not a readable regular file within
    `MAX_DECK_BYTES`."""
    name = str(path)
    try:
        return read_regular(path, MAX_DECK_BYTES)
    except FileTooLarge as exc:
        message = (
            f"file is over {exc.limit:,} bytes: decks are capped at 16 MiB "
            f"({exc.size:,} bytes found); split it into several decks"
        )
        raise DeckError([Problem(name, 1, 1, message)]) from None
    except FileReadError as exc:
        raise DeckError([Problem(name, 1, 1, exc.reason)]) from None


def load_deck(path: str | Path) -> Deck:
    """Load and validate one deck file. Raises `DeckError` listing every problem."""
    raw = read_deck_bytes(path)
    with bulk_allocation():
        return load_deck_text(raw, str(path))


def load_decks(paths: Iterable[Path]) -> tuple[list[tuple[Path, Deck]], list[Problem]]:
    """Load each file once: the valid decks with their paths, and every problem found.

    Two files with the same deck id are a problem too (the second one is left out).
    """
    loaded: list[tuple[Path, Deck]] = []
    problems: list[Problem] = []
    owners: dict[str, Path] = {}
    for path in dict.fromkeys(paths):
        try:
            deck = load_deck(path)
        except DeckError as exc:
            problems.extend(exc.problems)
            continue
        if problem := claim_deck_id(owners, deck.id, path):
            problems.append(problem)
            continue
        loaded.append((path, deck))
    return loaded, problems


def claim_deck_id(owners: dict[str, Path], deck_id: str, path: Path) -> Problem | None:
    """Record that `path` holds deck `deck_id`; a `Problem` if another file already does."""
    if deck_id in owners and owners[deck_id] != path:
        return Problem(str(path), 1, 1, f"deck id {deck_id!r} is already used by {owners[deck_id]}")
    owners[deck_id] = path
    return None


def check_file_bytes(raw: bytes, name: str) -> bytes:
    """`raw` without a UTF-8 byte-order mark, once it is known to be UTF-8 text.

    The parser reads the bytes themselves: a decoded copy of a large deck would cost memory.
    """
    problem = encoding_problem(raw)
    if problem is not None:
        line, col, what = problem
        advice = "decks are UTF-8 YAML" if "NUL" in what else "save the deck as UTF-8"
        raise DeckError([Problem(name, line, col, f"{what}: {advice}")])
    return raw.removeprefix(b"\xef\xbb\xbf")


def load_deck_text(raw: bytes | str, name: str = "<deck>") -> Deck:
    """Validate deck YAML given as bytes or text; `name` is used in problem locations."""
    text = check_file_bytes(raw, name) if isinstance(raw, bytes) else raw.encode("utf-8")
    if not text.strip():
        raise DeckError(
            [Problem(name, 1, 1, "empty file: a deck needs at least id, title and items")]
        )
    from pydantic import ValidationError

    from .fastparse import fast_deck
    from .models import Deck, cross_check
    from .parse import at, compose, located, parse_yaml

    if (fast := fast_deck(text)) is not None:  # yaml-rs, where it provably agrees
        return fast
    data, duplicates = parse_yaml(text, name)
    problems = [
        at(name, node, f"duplicate key {node.value!r}: a later value would silently replace it")
        for node in duplicates
    ]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__} value"
        message = (
            f"the top level must be a mapping of deck fields (id, title, items, ...), not {kind}"
        )
        problems.append(at(name, compose(text), message))
        raise DeckError(problems)
    cross = cross_check(data)
    try:
        deck = Deck.model_validate(data, context={"defer_cross_check": True})
        invalid = None
    except ValidationError as exc:
        invalid = exc
    if cross or invalid:  # only now is the node tree needed, to locate the problems
        root = compose(text)
        problems.extend(located(name, root, loc, message) for loc, message in cross)
        if invalid:
            problems.extend(_validation_problems(name, root, invalid))
    if problems:
        raise DeckError(_unique_sorted(problems))
    return deck


def _validation_problems(name: str, root: Any, exc: ValidationError) -> list[Problem]:
    from .messages import allowed_keys, closest, error_message
    from .parse import located

    errors = exc.errors(include_url=False)
    misspelled = {  # a misspelled key already says which field it should be
        (*e["loc"][:-1], closest(str(e["loc"][-1]), allowed_keys(e["loc"])))
        for e in errors
        if e["type"] == "extra_forbidden"
    }
    problems: dict[tuple[int, int], Problem] = {}
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "missing" and loc in misspelled:
            continue
        on_key = error["type"] == "extra_forbidden"
        if error["type"] == "unknown_item_type" and isinstance(error.get("input"), dict):
            loc = (*loc, "type")
        problem = located(name, root, loc, error_message(error, loc), on_key=on_key)
        problems.setdefault((problem.line, problem.column), problem)  # one per union
    return list(problems.values())


def _unique_sorted(problems: list[Problem]) -> list[Problem]:
    unique = {(p.line, p.column, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line, p.column))
