"""The tree is the map: no import cycles, modules of a readable size, public names documented."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import grimp
import pytest

import hccquiz

SRC = Path(hccquiz.__file__).parent


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("hccquiz", exclude_type_checking_imports=True)


def test_no_module_imports_one_that_imports_it_back() -> None:
    graph = _graph()
    cycles = []
    for module in sorted(graph.modules):
        for other in graph.find_modules_directly_imported_by(module):
            if other == module or not other.startswith("hccquiz"):
                continue
            back = graph.find_shortest_chain(importer=other, imported=module)
            if back and not module.startswith(other + ".") and not other.startswith(module + "."):
                cycles.append(" -> ".join([module, *back]))
    assert not cycles, "\n".join(cycles)


def test_modules_stay_readable() -> None:
    long = {
        str(path.relative_to(SRC)): n
        for path in SRC.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 420
    }
    assert not long, f"modules over ~400 lines (split them): {long}"


def _modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages(hccquiz.__path__, "hccquiz.")]


@pytest.mark.parametrize("name", _modules())
def test_every_module_documents_its_public_names(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__, f"{name} has no docstring"
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    for public in module.__all__:
        assert hasattr(module, public), f"{name}.__all__ names {public}, which is missing"
        value = getattr(module, public)
        if callable(value) and getattr(value, "__module__", "").startswith("hccquiz"):
            assert value.__doc__, f"{name}.{public} has no docstring"


def test_readme_module_map_matches_the_tree() -> None:
    readme = (SRC.parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("| module | what it holds |", 1)[1].split("\n\n", 1)[0]
    mapped = {
        cell.strip("` ")
        for line in table.splitlines()[2:]
        for cell in line.split("|")[1].split(",")
    }
    assert "_decks.py" in table  # the descriptions name the modules inside the packages
    tree = {
        f"{p.relative_to(SRC).parent}/" if p.name == "__init__.py" else str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if p.parent == SRC or p.name == "__init__.py"
    }
    tree = {"__init__.py" if t == "./" else t for t in tree}
    assert tree == mapped, f"missing from README: {tree - mapped}; not in the tree: {mapped - tree}"


def test_public_names_import_from_their_documented_places() -> None:
    assert hccquiz.load_deck.__module__ == "hccquiz.deck.file"
    assert hccquiz.export_apkg.__module__ == "hccquiz.anki.package"
    for package in ("hccquiz.deck", "hccquiz.anki", "hccquiz.study", "hccquiz.draft"):
        module = importlib.import_module(package)
        for public in module.__all__:
            assert getattr(module, public) is not None, f"{package}.{public}"


def test_no_type_ignore_without_a_reason() -> None:
    bare = []
    for path in SRC.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "type: ignore" in line and "type: ignore[" not in line:
                bare.append(f"{path.relative_to(SRC)}:{number}")
    assert not bare, bare


def test_ast_of_every_module_parses() -> None:
    for path in SRC.rglob("*.py"):
        ast.parse(path.read_text(encoding="utf-8"))
