"""Deck files -> `Deck`, with every problem located as ``PATH:LINE:COL: message``.

The happy path is a bare safe parse (`hccquiz.deck.parse`) plus pydantic validation.
Locations are found only when something is wrong, by walking the YAML node tree along the
path of each validation error.
"""

from __future__ import annotations

import re
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
    "MAX_PROBLEMS",
    "check_file_bytes",
    "claim_deck_id",
    "load_deck",
    "load_deck_text",
    "load_decks",
    "read_deck_bytes",
]

MAX_DECK_BYTES = 16 * 1024 * 1024
"""Deck files larger than this (16 MiB) are refused before they are parsed."""
MAX_PROBLEMS = 100
"""At most this many problems are reported per file; one more line counts the rest."""


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
    """Validate deck YAML given as bytes or text; `name` is used in problem locations.

    A file with many problems reports the first `MAX_PROBLEMS` (by line) and a count of
    the rest, so that a huge invalid deck is reported as quickly as a valid one loads.
    """
    text = check_file_bytes(raw, name) if isinstance(raw, bytes) else raw.encode("utf-8")
    if not text.strip():
        raise DeckError(
            [Problem(name, 1, 1, "empty file: a deck needs at least id, title and items")]
        )
    from pydantic import ValidationError

    from .fastparse import fast_deck
    from .models import Deck, cross_check
    from .parse import at, compose, located, parse_yaml, paths_of, readable_path

    if (fast := fast_deck(text)) is not None:  # yaml-rs, where it provably agrees
        return fast
    parsed = parse_yaml(text, name)
    data = parsed.data
    problems = [
        at(name, node, f"duplicate key {node.value!r}: a later value would silently replace it")
        for node in parsed.duplicate_keys
    ]
    root = None
    if parsed.changed:
        root = compose(text)
        paths = paths_of(root, {node.start_mark.index for node, _ in parsed.changed})
        for node, message in parsed.changed:
            where = readable_path(root, paths.get(node.start_mark.index, ()))
            problems.append(at(name, node, f"{where}: {message}" if where else message))
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__} value"
        message = (
            f"the top level must be a mapping of deck fields (id, title, items, ...), not {kind}"
        )
        problems.append(at(name, root or compose(text), message))
        raise DeckError(_first(problems, name))
    cross = cross_check(data)
    try:
        context = {"defer_cross_check": True, "controls": _may_hold_controls(text)}
        deck = Deck.model_validate(data, context=context)
        invalid = None
    except ValidationError as exc:
        invalid = exc
    if cross or invalid:  # only now is the node tree needed, to locate the problems
        root = root or compose(text)
        problems.extend(located(name, root, loc, message) for loc, message in cross[:MAX_PROBLEMS])
        hidden = max(0, len(cross) - MAX_PROBLEMS)
        if invalid:
            errors, total = _first_errors(data, invalid, context)
            found, more = _validation_problems(name, root, errors, total)
            problems.extend(found)
            hidden += more
        if hidden:
            problems.append(Problem(name, 0, 0, "", hidden=hidden))
    if problems:
        raise DeckError(_first(problems, name))
    return deck


# Escapes of double-quoted YAML strings that make control characters (tab and line feed
# are fine); no other way brings them into a value (the parser refuses raw ones, and line
# breaks are folded).
_CONTROL_ESCAPE_RE = re.compile(
    rb"\\(?:[0abvfreN]|x(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])"
    rb"|u00(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])"
    rb"|U000000(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F]))"
)


def _may_hold_controls(text: bytes) -> bool:
    """False when no value of the YAML `text` can hold a control character."""
    return b"\\" in text and _CONTROL_ESCAPE_RE.search(text) is not None


def _first_errors(
    data: dict[str, Any], exc: ValidationError, context: dict[str, Any]
) -> tuple[list[Any], int]:
    """Enough of the errors of `exc` for `MAX_PROBLEMS`, in data order, and how many there
    are in all. Turning a hundred thousand errors into dicts costs more than parsing the
    file, so a deck with many is validated again a slice of items at a time, until the
    first errors are in hand."""
    from pydantic import ValidationError

    from .models import Deck

    total = exc.error_count()
    items = data.get("items")
    if total <= 4 * MAX_PROBLEMS or not isinstance(items, list):
        return exc.errors(include_url=False), total
    errors: list[Any] = []
    for start in range(0, len(items), _SLICE):
        try:
            Deck.model_validate({**data, "items": items[start : start + _SLICE]}, context=context)
        except ValidationError as part:
            for error in part.errors(include_url=False):
                loc = error["loc"]
                if loc[:1] == ("items",) and len(loc) > 1 and isinstance(loc[1], int):
                    errors.append({**error, "loc": ("items", loc[1] + start, *loc[2:])})
                elif start == 0:  # the deck's own fields: once
                    errors.append(error)
        if len(errors) >= 2 * MAX_PROBLEMS:
            break
    return errors, total


_SLICE = 200


def _validation_problems(
    name: str, root: Any, errors: list[Any], total: int
) -> tuple[list[Problem], int]:
    """The located problems of the first `MAX_PROBLEMS` errors (in data order), and how
    many more errors there are (of `total`)."""
    from .messages import allowed_keys, closest, error_message
    from .parse import located

    misspelled = {  # a misspelled key already says which field it should be
        (*e["loc"][:-1], closest(str(e["loc"][-1]), allowed_keys(e["loc"])))
        for e in errors
        if e["type"] == "extra_forbidden"
    }
    kept = [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in misspelled)]
    kept.sort(key=_data_order)
    problems: dict[tuple[int, int], Problem] = {}
    used = 0
    for error in kept:
        if len(problems) >= MAX_PROBLEMS:
            break
        used += 1
        loc = tuple(error["loc"])
        on_key = error["type"] == "extra_forbidden"
        if error["type"] == "unknown_item_type" and isinstance(error.get("input"), dict):
            loc = (*loc, "type")
        problem = located(name, root, loc, error_message(error, loc), on_key=on_key)
        problems.setdefault((problem.line, problem.column), problem)  # one per union
    return list(problems.values()), max(0, total - (len(errors) - len(kept)) - used)


def _data_order(error: Any) -> tuple[int, int]:
    """Deck fields first, then items in order: close to the order of lines in a file."""
    loc = error["loc"]
    if loc[:1] == ("items",) and len(loc) > 1 and isinstance(loc[1], int):
        return (1, loc[1])
    return (0, 0)


def _first(problems: list[Problem], name: str) -> list[Problem]:
    """Problems sorted by place, each once; past `MAX_PROBLEMS`, one line counts the rest."""
    hidden = sum(p.hidden for p in problems)
    unique = {(p.line, p.column, p.message): p for p in problems if not p.hidden}
    ordered = sorted(unique.values(), key=lambda p: (p.line, p.column))
    hidden += max(0, len(ordered) - MAX_PROBLEMS)
    shown = ordered[:MAX_PROBLEMS]
    if hidden:
        last = shown[-1] if shown else Problem(name, 1, 1, "")
        shown.append(
            Problem(
                name,
                last.line,
                last.column,
                f"and {hidden:,} more problem(s) not shown: fix these first",
                hidden=hidden,
            )
        )
    return shown
