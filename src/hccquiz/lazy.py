"""Lazy package exports: a package's public names, imported on first use. Stdlib only.

Packages whose modules pull in heavy libraries (pydantic, PyYAML, genanki, markdown-it)
export their names through `lazy_getattr`, so that ``hccquiz --help`` and the light
modules of a package load none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_getattr"]


def lazy_getattr(package: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for `package` that imports ``names[name]`` (a module path,
    relative to `package` when it starts with a dot) and returns its attribute `name`."""

    def __getattr__(name: str) -> Any:
        if name in names:
            return getattr(import_module(names[name], package), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
