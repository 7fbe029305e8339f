"""The deck format's JSON Schema, generated from the models (``hccquiz schema``)."""

from __future__ import annotations

import json
from typing import Any

from .models import Deck

__all__ = ["deck_json_schema", "schema_text"]


def deck_json_schema() -> dict[str, Any]:
    """The JSON Schema of the deck format, generated from the models."""
    schema = Deck.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }


def schema_text() -> str:
    """The JSON Schema as committed in ``decks/deck.schema.json``."""
    return json.dumps(deck_json_schema(), indent=2, ensure_ascii=False) + "\n"
