"""The YAML side of reading a deck: a safe parse, the alias guard, and node locations.

Only this module and `hccquiz.draft` import PyYAML. The parser reads the bytes with the C
loader when PyYAML has it; construction stays safe either way (no tags that build objects).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import DeckError, Problem
from .models import Loc

__all__ = ["MAX_ALIAS_NODES", "at", "compose", "item_locations", "located", "parse_yaml"]

MAX_ALIAS_NODES = 1_000_000
"""A document whose aliases expand past this many nodes is refused ("billion laughs")."""

try:  # the C parser when PyYAML was built with libyaml; construction stays safe either way
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader

_AMPERSAND_RE = re.compile(rb"&[^\s\[\]{},]")
_BEFORE_ANCHOR = frozenset(bytes([c]) for c in b" \t\r\n[{,")


class _Loader(_BaseLoader):
    """Safe loader that also records duplicate mapping keys."""

    def __init__(self, stream: bytes) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[yaml.Node] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        own = node.value  # merge keys are removed from this list in place
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if len(mapping) < len(own):
            seen: set[Any] = set()
            for key_node, _ in own:
                if key_node.value in seen:
                    self.duplicate_keys.append(key_node)
                seen.add(key_node.value)
        return mapping


def parse_yaml(text: bytes, name: str) -> tuple[Any, list[yaml.Node]]:
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


def compose(text: bytes) -> yaml.Node:
    """The node tree of `text` (already known to parse), for locating problems."""
    loader = _Loader(text)
    try:
        root: yaml.Node = loader.get_single_node()
        return root
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
        return list(node.value)
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
                        at(
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
            raise DeckError([at(name, node, "recursive alias: a node contains itself")])
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def at(name: str, node: yaml.Node, message: str) -> Problem:
    """A `Problem` at the start of `node`."""
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


def located(name: str, root: yaml.Node, loc: Loc, message: str, on_key: bool = False) -> Problem:
    """A `Problem` at the node `loc` leads to from `root` (at its key with `on_key`),
    its message prefixed with the readable path, e.g. ``items[3] (os-hr).answer``."""
    node, key_node, where = _walk(root, loc)
    target = key_node if on_key and key_node is not None else node
    return at(name, target, f"{where}: {message}" if where else message)


def item_locations(raw: bytes) -> dict[str, tuple[int, int]]:
    """(line, column), both from 1, where each item with an id starts in the deck file
    `raw`: the validator's node locations, for opening an editor at an item's PATH:LINE.

    Items without a text id are left out; text that does not parse as YAML gives {}.
    """
    try:
        root = compose(raw.removeprefix(b"\xef\xbb\xbf"))
    except (yaml.YAMLError, DeckError, RecursionError):
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    items = next((v for k, v in root.value if k.value == "items"), None)
    if not isinstance(items, yaml.SequenceNode):
        return {}
    found: dict[str, tuple[int, int]] = {}
    for node in items.value:
        item_id = _scalar_value(node, "id")
        if item_id is not None:
            mark = node.start_mark
            found.setdefault(item_id, (mark.line + 1, mark.column + 1))
    return found
