"""Where each item of a deck file starts: the validator's node locations (`compose`), by
item id, so that an editor can open a deck at an item's ``PATH:LINE``."""

from __future__ import annotations

from ..errors import DeckError

__all__ = ["item_locations"]


def item_locations(raw: bytes) -> dict[str, tuple[int, int]]:
    """(line, column), both from 1, where each item with an id starts in the deck `raw`.

    Items without a text id are left out; text that does not parse as YAML gives {}.
    """
    import yaml

    from .parse import compose

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
        if not isinstance(node, yaml.MappingNode):
            continue
        for key, value in node.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode):
                mark = node.start_mark
                found.setdefault(str(value.value), (mark.line + 1, mark.column + 1))
                break
    return found
