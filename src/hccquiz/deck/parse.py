"""The YAML side of reading a deck: a safe parse, the alias guard, and node locations.

Only this module and `hccquiz.draft` import PyYAML. The parser reads the bytes with the C
loader when PyYAML has it; construction stays safe either way (no tags that build objects).

Besides parsing, the loader notes what YAML would change silently, for `hccquiz.deck.file`
to refuse with a location:

- a number whose text YAML 1.1 would store differently (``2:1`` is 121, ``017`` is 15,
  ``0x1F`` is 31, ``1_000`` is 1000, ``1.0e+3`` is 1000.0, ``0.580`` is 0.58), and a
  number too long to be one;
- a key given twice in one mapping, also when a merge key (``<<``) is there;
- ``!!binary`` values (bytes, where a deck holds text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from ..errors import DeckError, Problem
from .models import Loc
from .yamlerrors import syntax_mark, syntax_message

__all__ = [
    "MAX_ALIAS_BYTES",
    "MAX_ALIAS_NODES",
    "MAX_NUMBER_CHARS",
    "MIN_ALIAS_NODES",
    "Parsed",
    "at",
    "compose",
    "item_locations",
    "located",
    "parse_yaml",
    "paths_of",
    "readable_path",
]

MAX_ALIAS_NODES = 1_000_000
"""Past this many nodes beyond the file's size in bytes, an expansion is refused at once
("billion laughs"); whatever the file, aliases may not add more nodes than it holds."""
MIN_ALIAS_NODES = 100_000
"""Aliases may always add this many nodes, however small the file."""
MAX_ALIAS_BYTES = 16 * 1024 * 1024
"""Aliases may add at most this many characters of text to a document: one string of
1 MiB aliased a thousand times would otherwise become a gigabyte in the database."""
MAX_NUMBER_CHARS = 100
"""An unquoted number longer than this is refused: no deck value is such a number, and
Python refuses to convert integers of over 4,300 digits."""

try:  # the C parser when PyYAML was built with libyaml; construction stays safe either way
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_AMPERSAND_RE = re.compile(rb"&[^\s\[\]{},]")
# where a node (so an anchor) can start: after a space, a flow indicator, or the ``:`` of
# a JSON-like key (``{"k":&a v}``)
_BEFORE_ANCHOR = frozenset(bytes([c]) for c in b" \t\r\n[{,:")


class _Loader(_BaseLoader):
    """Safe loader that also records what YAML would change silently (see the module)."""

    def __init__(self, stream: bytes) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[yaml.Node] = []
        self.changed: list[tuple[yaml.Node, str]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        own = node.value  # the mapping's own pairs; a merge key replaces node.value
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if len(mapping) < len(own) or node.value is not own:
            seen: set[Any] = set()
            for key_node, _ in own:
                value = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
                if value in seen:
                    self.duplicate_keys.append(key_node)
                seen.add(value)
        return mapping

    def _number(self, node: yaml.ScalarNode, kind: str) -> Any:
        literal = node.value
        if len(literal) > MAX_NUMBER_CHARS:
            self.changed.append(
                (node, f"YAML reads this {len(literal):,}-character value as a number: quote it")
            )
            return literal  # left as text, so that validation goes on
        build = (
            SafeNumbers.construct_yaml_int if kind == "int" else SafeNumbers.construct_yaml_float
        )
        value = build(self, node)
        if str(value) != literal:
            self.changed.append(
                (
                    node,
                    f"YAML reads the unquoted {literal} as the number {value}: "
                    f'quote it ("{literal}") to keep it as written',
                )
            )
        return value

    def _int(self, node: yaml.ScalarNode) -> Any:
        return self._number(node, "int")

    def _float(self, node: yaml.ScalarNode) -> Any:
        return self._number(node, "float")

    def _binary(self, node: yaml.ScalarNode) -> Any:
        self.changed.append((node, "YAML tag '!!binary' is not allowed: deck values are text"))
        return str(node.value)  # left as text, so that validation goes on


SafeNumbers = yaml.constructor.SafeConstructor
_Loader.add_constructor(_INT_TAG, _Loader._int)
_Loader.add_constructor(_FLOAT_TAG, _Loader._float)
_Loader.add_constructor("tag:yaml.org,2002:binary", _Loader._binary)


class Parsed:
    """What `parse_yaml` found: the data, and the nodes of what YAML would change."""

    __slots__ = ("changed", "data", "duplicate_keys")

    def __init__(
        self, data: Any, duplicate_keys: list[yaml.Node], changed: list[tuple[yaml.Node, str]]
    ) -> None:
        self.data = data
        self.duplicate_keys = duplicate_keys
        self.changed = changed


def parse_yaml(text: bytes, name: str) -> Parsed:
    """The data of the single document in `text`, and what YAML would change silently.

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
            _check_aliases(root, name, len(text))
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = syntax_mark(exc)
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
    return Parsed(data, loader.duplicate_keys, loader.changed)


class _LocatingLoader(_BaseLoader):
    """Composes the node tree only, for locations: no tag is resolved (which costs as
    much as composing), since locating needs only node kinds, values and marks."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"

    def descend_resolver(self, *args: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


def compose(text: bytes) -> yaml.Node:
    """The node tree of `text` (already known to parse), for locating problems."""
    loader = _LocatingLoader(text)
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
    return syntax_message(exc)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_aliases(root: yaml.Node, name: str, file_size: int) -> None:
    """Refuse alias graphs that refer to themselves, or whose expansion adds to what the
    file holds more than `MAX_ALIAS_BYTES` characters of text, or more nodes than the
    file has (at least `MIN_ALIAS_NODES`): validating and storing a deck costs what its
    expansion holds, and that must stay in proportion to the file.

    One walk over the distinct collections (scalars are summed where they are met), each
    sized once: as cheap as it can be in Python, since it runs on every file that may
    hold an anchor.
    """
    scalar = yaml.ScalarNode
    sizes: dict[int, tuple[int, int]] = {}  # id -> (expanded nodes, expanded characters)
    path: set[int] = set()
    own = 0  # the file's own nodes (a scalar alias counts as one of them)
    bound = file_size + MAX_ALIAS_NODES  # no file of n bytes holds n nodes: stop early
    stack: list[yaml.Node] = [root] if type(root) is not scalar else []
    while stack:
        node = stack[-1]
        key = id(node)
        if key in sizes:
            stack.pop()
            continue
        kids = _children(node)
        if key not in path:
            path.add(key)
            for child in kids:
                if type(child) is not scalar and id(child) not in sizes:
                    if id(child) in path:
                        raise DeckError(
                            [at(name, child, "recursive alias: a node contains itself")]
                        )
                    stack.append(child)
            continue
        stack.pop()
        path.discard(key)
        nodes, chars = 1, 0
        for child in kids:
            if type(child) is scalar:
                nodes += 1
                chars += len(child.value)
                own += 1
            else:
                n, c = sizes[id(child)]
                nodes += n
                chars += c
        own += 1
        sizes[key] = (nodes, chars)
        if nodes > bound:
            why = f"aliases here expand to over {bound:,} nodes (a 'billion laughs' document?)"
            raise DeckError([at(name, node, f"{why}: refused")])
        if chars > file_size + MAX_ALIAS_BYTES:
            why = f"aliases here add over {MAX_ALIAS_BYTES >> 20} MiB of text to the deck (each"
            raise DeckError([at(name, node, f"{why} alias repeats its anchor's text): refused")])
    added = sizes[id(root)][0] - own if id(root) in sizes else 0
    if added > max(MIN_ALIAS_NODES, own):
        worst = _most_repeated(root, sizes)
        message = (
            f"aliases (this one most) add {added:,} nodes to the {own:,} the file "
            f"holds: aliases may add at most as many as it holds, or {MIN_ALIAS_NODES:,}; "
            "refused"
        )
        raise DeckError([at(name, worst, message)])


def _most_repeated(root: yaml.Node, sizes: dict[int, tuple[int, int]]) -> yaml.Node:
    """The collection whose repetitions add the most nodes (for locating a refusal)."""
    uses: dict[int, int] = {}
    by_id: dict[int, yaml.Node] = {}
    for node in _distinct(root):
        for child in _children(node):
            if id(child) in sizes:
                uses[id(child)] = uses.get(id(child), 0) + 1
                by_id[id(child)] = child
    worst = max(uses, key=lambda k: (uses[k] - 1) * sizes[k][0], default=id(root))
    return by_id.get(worst, root)


def _distinct(root: yaml.Node) -> Iterator[yaml.Node]:
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            yield node
            stack.extend(c for c in _children(node) if not isinstance(c, yaml.ScalarNode))


def at(name: str, node: yaml.Node, message: str) -> Problem:
    """A `Problem` at the start of `node`."""
    mark = node.start_mark
    return Problem(name, mark.line + 1, mark.column + 1, message)


def paths_of(root: yaml.Node, marks: set[int]) -> dict[int, Loc]:
    """The data path (``("items", 3, "answer")``) of each scalar whose start mark index is
    in `marks`, for locating problems found while the data was built (keys get the path of
    their mapping)."""
    found: dict[int, Loc] = {}
    for node, loc in _scalars_with_paths(root):
        index = node.start_mark.index
        if index in marks and index not in found:
            found[index] = loc
            if len(found) == len(marks):
                break
    return found


def _scalars_with_paths(root: yaml.Node) -> Iterator[tuple[yaml.Node, Loc]]:
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, loc = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            yield node, loc
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, (*loc, i)) for i, child in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    yield key, loc
                    stack.append((value, (*loc, key.value)))


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
                parts.append(f" ({item_id if len(item_id) <= 40 else item_id[:39] + '…'})")
    return node, key_node, "".join(parts).lstrip(".")


def _scalar_value(node: yaml.Node, key: str) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == key and isinstance(v, yaml.ScalarNode):
                return str(v.value)
    return None


def readable_path(root: yaml.Node, loc: Loc) -> str:
    """`loc` as people read it, e.g. ``items[3] (os-hr).answer``."""
    return _walk(root, loc)[2]


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
