"""Plain-language messages for deck validation errors, with "did you mean" hints.

Pure functions over pydantic's error dicts; `hccquiz.deck.file` adds the file locations.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel

from .levels import LEVEL_VALUES
from .models import BasicItem, ChoiceItem, ChoiceOption, ClozeItem, Deck, Loc, Source
from .textrules import shown

__all__ = ["allowed_keys", "closest", "error_message"]

_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "basic": BasicItem,
    "cloze": ClozeItem,
    "choice": ChoiceItem,
}
_LEVELS = list(LEVEL_VALUES)


def error_message(error: Any, loc: Loc) -> str:
    """A plain-language message for one pydantic error at `loc` in deck data."""
    kind, value = error["type"], error.get("input")
    field = next((p for p in reversed(loc) if isinstance(p, str) and p not in _NOT_FIELDS), "")
    if kind == "missing":
        return f"missing required field '{loc[-1]}'"
    if kind == "extra_forbidden":
        return _unknown_key_message(str(loc[-1]), loc)
    if kind == "enum":
        return (
            f"unknown level {shown(value)}{_did_you_mean(str(value), _LEVELS)}; "
            f"levels are {', '.join(_LEVELS)}"
        )
    if kind == "string_too_long":
        return f"is too long: at most {error['ctx']['max_length']} characters"
    if kind == "string_pattern_mismatch":
        if field in ("id",):
            suggestion = re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-") or "my-id"
            return (
                f"{shown(value)} is not a slug: use lowercase letters, digits and single "
                f"hyphens, e.g. {shown(suggestion)}"
            )
        if "lint_ignore" in loc:
            return f"{shown(value)} is not a lint rule id (`hccquiz lint --rules` lists them)"
        return (
            f"tag {shown(value)} must be non-empty, without commas, line breaks or control "
            "characters"
        )
    if kind in ("string_type", "bool_type", "list_type") and value is None:
        return "is empty: give it a value"
    if kind == "string_type" and isinstance(value, bool):
        return f"must be text, but YAML read {str(value).lower()} as a boolean: quote it"
    if kind == "string_type":
        return f"must be text, not {_kind(value)}"
    if kind == "list_type":
        return f"must be a list, not {_kind(value)}"
    if kind == "bool_type":
        return f"must be true or false, not {_kind(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping of fields, not {_kind(value)}"
    if kind == "too_short":
        return f"needs at least {error['ctx']['min_length']} entries"
    if kind == "too_long":
        return f"has too many entries (at most {error['ctx']['max_length']})"
    if kind == "unknown_item_type":
        if isinstance(value, dict):
            return f"unknown item type {shown(value.get('type'))}: use basic, cloze or choice"
        return f"each item must be a mapping of fields, not {_kind(value)}"
    return str(error["msg"]).removeprefix("Value error, ")


_NOT_FIELDS = {"basic", "cloze", "choice", "str", "list[str]", "function-after[not_blank(), str]"}


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {shown(value)}"


def _keys(model: type[BaseModel]) -> list[str]:
    """The keys a model reads: field names, or their aliases (a choice item's `choices`)."""
    return [field.alias or name for name, field in model.model_fields.items()]


def allowed_keys(loc: Loc) -> list[str]:
    """The field names allowed in the mapping that holds the last key of `loc`."""
    if loc[:1] == ("items",) and len(loc) >= 3:
        item_type = str(loc[2]) if loc[2] in _ITEM_MODELS else "basic"
        if "choices" in loc[3:-1]:
            return _keys(ChoiceOption)
        return _keys(_ITEM_MODELS[item_type])
    if loc[:1] == ("source",):
        return list(Source.model_fields)
    return list(Deck.model_fields)


def _unknown_key_message(key: str, loc: Loc) -> str:
    if loc[:1] == ("items",) and len(loc) >= 3:
        item_type = str(loc[2]) if loc[2] in _ITEM_MODELS else "basic"
        owners = [t for t, m in _ITEM_MODELS.items() if key in _keys(m)]
        if owners:
            return (
                f"'{key}' does not apply to {item_type} items (it belongs to "
                f"{' and '.join(owners)} items: set `type: {owners[0]}`?)"
            )
    return f"unknown key '{key}'{_did_you_mean(key, allowed_keys(loc))}"


def closest(word: str, options: list[str]) -> str | None:
    """The option closest to `word`, if any is close enough to suggest."""
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return close[0] if close else None


def _did_you_mean(word: str, options: list[str]) -> str:
    close = closest(word, options)
    return f" (did you mean '{close}'?)" if close else ""
