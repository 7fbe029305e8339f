"""YAML deck files -> `Deck`, with every problem located as ``PATH:LINE:COL: message``.

The happy path is a bare safe parse (the C loader when PyYAML has it) plus pydantic
validation. Locations are found only when something is wrong, by walking the YAML node
tree along the path of each validation error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .deckmessages import allowed_keys, closest, error_message
from .errors import HccquizError
from .gctuning import bulk_allocation
from .models import Deck, Loc, cross_check

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_DECK_BYTES",
    "DeckError",
    "Problem",
    "deck_json_schema",
    "load_deck",
    "load_deck_text",
    "load_decks",
    "schema_text",
]

MAX_DECK_BYTES = 16 * 1024 * 1024
"""Deck files larger than this (16 MiB) are refused before they are read."""
MAX_ALIAS_NODES = 1_000_000
"""A document whose aliases expand past this many nodes is refused ("billion laughs")."""

try:  # the C parser when PyYAML was built with libyaml; construction stays safe either way
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader

_AMPERSAND_RE = re.compile(rb"&[^\s\[\]{},]")
_BEFORE_ANCHOR = frozenset(bytes([c]) for c in b" \t\r\n[{,")


@dataclass(frozen=True)
class Problem:
    """One located problem in a deck file. Line and column count from 1."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class DeckError(HccquizError):
    """A deck file could not be loaded; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that also records duplicate mapping keys."""

    def __init__(self, stream: bytes) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[yaml.Node] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        own = node.value  # merge keys are removed from this list in place
        mapping = super().construct_mapping(node, deep=deep)
        if len(mapping) < len(own):
            seen: set[Any] = set()
            for key_node, _ in own:
                if key_node.value in seen:
                    self.duplicate_keys.append(key_node)
                seen.add(key_node.value)
        return mapping


def load_deck(path: str | Path) -> Deck:
    """Load and validate one deck file. Raises `DeckError` listing every problem."""
    name = str(path)
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DECK_BYTES:
            raise DeckError(
                [
                    Problem(
                        name,
                        1,
                        1,
                        f"file is {size:,} bytes; decks are capped at "
                        f"{MAX_DECK_BYTES:,} bytes (16 MiB): split it into several decks",
                    )
                ]
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise DeckError([Problem(name, 1, 1, f"cannot read file: {exc.strerror}")]) from None
    with bulk_allocation():
        return load_deck_text(raw, name)


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
        if deck.id in owners:
            message = f"deck id {deck.id!r} is already used by {owners[deck.id]}"
            problems.append(Problem(str(path), 1, 1, message))
            continue
        owners[deck.id] = path
        loaded.append((path, deck))
    return loaded, problems


def load_deck_text(raw: bytes | str, name: str = "<deck>") -> Deck:
    """Validate deck YAML given as bytes or text; `name` is used in problem locations."""
    text = _utf8(raw, name) if isinstance(raw, bytes) else raw.encode("utf-8")
    if not text.strip():
        raise DeckError(
            [Problem(name, 1, 1, "empty file: a deck needs at least id, title and items")]
        )
    data, duplicates = _parse(text, name)
    problems = [
        _at(name, node, f"duplicate key {node.value!r}: a later value would silently replace it")
        for node in duplicates
    ]
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__} value"
        message = (
            f"the top level must be a mapping of deck fields (id, title, items, ...), not {kind}"
        )
        problems.append(_at(name, _compose(text), message))
        raise DeckError(problems)
    cross = cross_check(data)
    try:
        deck = Deck.model_validate(data, context={"defer_cross_check": True})
        invalid = None
    except ValidationError as exc:
        invalid = exc
    if cross or invalid:  # only now is the node tree needed, to locate the problems
        root = _compose(text)
        problems.extend(_located(name, root, loc, message) for loc, message in cross)
        if invalid:
            problems.extend(_validation_problems(name, root, invalid))
    if problems:
        raise DeckError(_unique_sorted(problems))
    return deck


def deck_json_schema() -> dict[str, Any]:
    """The JSON Schema of the deck format, generated from the models."""
    schema = Deck.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


def _utf8(raw: bytes, name: str) -> bytes:
    """`raw` without a UTF-8 byte-order mark, once it is known to be UTF-8 text.

    The parser reads the bytes themselves: a decoded copy of a large deck would cost memory.
    """
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _byte_position(raw, nul)
        raise DeckError([Problem(name, line, col, "binary file (NUL byte): decks are UTF-8 YAML")])
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
        bad = raw[exc.start : exc.start + 1].hex()
        raise DeckError(
            [Problem(name, line, col, f"not UTF-8 (byte 0x{bad}): save the deck as UTF-8")]
        ) from None
    return raw.removeprefix(b"\xef\xbb\xbf")


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def _parse(text: bytes, name: str) -> tuple[Any, list[yaml.Node]]:
    """The data of the single document in `text`, and the key nodes that repeat a key.

    The node tree is dropped once the data is built: a valid deck never needs it.
    """
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise DeckError(
                [Problem(name, 1, 1, "empty document: a deck needs id, title and items")]
            )
        if _may_have_anchors(text):
            _check_aliases(root, name)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = _yaml_message(exc)
        raise DeckError(
            [Problem(name, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, message)]
        ) from None
    except yaml.YAMLError as exc:
        raise DeckError([Problem(name, 1, 1, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise DeckError([Problem(name, 1, 1, "YAML nests too deeply")]) from None
    finally:
        loader.dispose()
    return data, loader.duplicate_keys


def _compose(text: bytes) -> yaml.Node:
    """The node tree of `text` (already known to parse), for locating problems."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _may_have_anchors(text: bytes) -> bool:
    """True if `text` may define a YAML anchor (``&name`` where a node can start)."""
    for match in _AMPERSAND_RE.finditer(text):
        start = match.start()
        if start == 0 or text[start - 1 : start] in _BEFORE_ANCHOR:
            return True
    return False


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "invalid YAML"
    if isinstance(exc, yaml.constructor.ConstructorError) and "constructor" in problem:
        tag = problem.rsplit(" ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        return f"YAML tag {tag!r} is not allowed: decks are plain data (nothing was executed)"
    context = f" ({exc.context})" if exc.context else ""
    return f"YAML syntax error: {problem}{context}"


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_aliases(root: yaml.Node, name: str) -> None:
    """Refuse alias graphs that expand past `MAX_ALIAS_NODES` or refer to themselves."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_ALIAS_NODES:
                raise DeckError(
                    [
                        _at(
                            name,
                            node,
                            f"aliases here expand to over "
                            f"{MAX_ALIAS_NODES:,} nodes (a 'billion laughs' "
                            "document?): refused",
                        )
                    ]
                )
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise DeckError([_at(name, node, "recursive alias: a node contains itself")])
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _at(name: str, node: yaml.Node, message: str) -> Problem:
    mark = node.start_mark
    return Problem(name, mark.line + 1, mark.column + 1, message)


def _walk(root: yaml.Node, loc: Loc) -> tuple[yaml.Node, yaml.Node | None, str]:
    """Follow `loc` from the root: (deepest node reached, its key node, readable path)."""
    node, key_node, parts = root, None, []
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next(((k, v) for k, v in node.value if k.value == part), None)
            if match is None:
                continue  # a union tag or a missing key: stay on the mapping
            key_node, node = match
            parts.append(f".{part}")
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            key_node, node = None, node.value[part]
            parts.append(f"[{part}]")
            item_id = (
                _scalar_value(node, "id") if loc[:1] == ("items",) and len(parts) == 2 else None
            )
            if item_id:
                parts.append(f" ({item_id})")
    return node, key_node, "".join(parts).lstrip(".")


def _scalar_value(node: yaml.Node, key: str) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key and isinstance(v, yaml.ScalarNode):
                return str(v.value)
    return None


def _located(name: str, root: yaml.Node, loc: Loc, message: str, on_key: bool = False) -> Problem:
    node, key_node, where = _walk(root, loc)
    target = key_node if on_key and key_node is not None else node
    return _at(name, target, f"{where}: {message}" if where else message)


def _validation_problems(name: str, root: yaml.Node, exc: ValidationError) -> list[Problem]:
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
        problem = _located(name, root, loc, error_message(error, loc), on_key=on_key)
        problems.setdefault((problem.line, problem.column), problem)  # one per union
    return list(problems.values())


def _unique_sorted(problems: list[Problem]) -> list[Problem]:
    unique = {(p.line, p.column, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.line, p.column))


def schema_text() -> str:
    """The JSON Schema as committed in ``decks/deck.schema.json``."""
    return json.dumps(deck_json_schema(), indent=2, ensure_ascii=False) + "\n"
