"""Key overrides by binding id (Textual's keymap): every binding id the app has, and the
``keymap`` setting (this machine's, `hccquiz.study._settings`) read as a Textual keymap.

Every app-level and screen binding that can be remapped has an ``id`` (``study.undo``);
``hccquiz config keys`` lists them with their keys. An override replaces the binding's keys
(``study.undo=ctrl+z``; several keys: ``study.undo=ctrl+z,u``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode

from ..errors import HccquizError
from ..study import Settings
from ..study._settings import keymap_of

__all__ = ["BindingInfo", "binding_ids", "check_keymap", "stored_keymap"]

_MODULES = ("app", "screens.home", "screens.study", "screens.quiz", "screens.summary",
            "screens.stats", "screens.settings", "screens.help", "screens.browse",
            "screens.dialogs", "screens._scrolling")  # fmt: skip


@dataclass(frozen=True, slots=True)
class BindingInfo:
    """A binding that can be remapped: its id, default keys and what it does."""

    id: str
    keys: str
    description: str


def binding_ids() -> dict[str, BindingInfo]:
    """Every binding id of the app and its screens, in a stable order."""
    found: dict[str, BindingInfo] = {}
    for name in _MODULES:
        module = importlib.import_module(f"{__package__}.{name}")
        for value in vars(module).values():
            if not (isinstance(value, type) and issubclass(value, DOMNode)):
                continue
            for binding in value.BINDINGS:
                if isinstance(binding, Binding) and binding.id and binding.id not in found:
                    text = binding.tooltip or binding.description
                    found[binding.id] = BindingInfo(binding.id, binding.key, text)
    return dict(sorted(found.items()))


def check_keymap(text: str) -> dict[str, str]:
    """The keymap in `text` (the ``keymap`` setting); `HccquizError` naming an unknown id."""
    keymap = keymap_of(text)
    known = binding_ids()
    unknown = [i for i in keymap if i not in known]
    if unknown:
        raise HccquizError(
            f"keymap: no binding {unknown[0]!r}; `hccquiz config keys` lists the binding ids"
        )
    return keymap


def stored_keymap(settings: Settings | None) -> tuple[dict[str, str], str | None]:
    """This machine's key overrides, and a one-line warning if some could not be used."""
    if settings is None:
        return {}, None
    try:
        return check_keymap(settings.get("keymap").value), None
    except HccquizError as exc:
        return {}, f"{exc} (keys left as they are)"
