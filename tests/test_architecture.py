"""The package's layers, read from its import graph: arrows point down, SQL stays in the store,
the report reads only the results contract, and only the widgets import ipywidgets.

Every ``import`` statement counts, including those inside functions and ``TYPE_CHECKING`` blocks:
a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import keyword
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pmo_assess"

#: Each subpackage's layer, lowest first; a module imports only from its own subpackage and
#: from lower layers. Subpackages on one layer (batch and engagement; widgets and cli) are
#: siblings and do not import each other.
LAYERS = {
    "core": 0,
    "model": 1,
    "scoring": 2,
    "importers": 3,
    "store": 4,
    "insight": 5,
    "charts": 6,
    "report": 7,
    "batch": 8,
    "engagement": 8,
    "widgets": 9,
    "cli": 9,
}
#: The package root's own modules: the lazy public API and ``python -m pmo_assess``.
ROOT_MODULES = {"pmo_assess", "pmo_assess.__main__"}
#: Third-party packages that belong to one subpackage alone.
OWNED = {"ipywidgets": {"widgets"}, "sqlalchemy": {"store"}, "alembic": {"store"}}
#: The store's internals, which no other layer may touch (they call its repository functions).
STORE_INTERNALS = {"pmo_assess.store.schema", "pmo_assess.store.engine", "pmo_assess.store.writes"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules() -> dict[str, Path]:
    return {
        module_name(p): p
        for p in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in p.relative_to(PACKAGE).parts
    }


def imported_names(path: Path, name: str) -> Iterator[tuple[int, str]]:
    """Every module ``path`` imports, absolute, with its line (``from a import b`` yields
    ``a.b`` as well as ``a``, since ``b`` may be a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def subpackage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else None


def known_module(name: str, modules: dict[str, Path]) -> str | None:
    """The package module ``name`` refers to (``a.b.func`` -> ``a.b``), or None."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def violations(modules: dict[str, Path]) -> list[str]:
    """Every import in ``modules`` (name -> file) that breaks a rule, as ``file:line says``."""
    found = []
    for name, path in modules.items():
        own = subpackage(name)
        where = path.name if not path.is_relative_to(PACKAGE) else path.relative_to(PACKAGE.parent)
        for line, imported in imported_names(path, name):
            top = imported.split(".")[0]
            if top in OWNED and own not in OWNED[top]:
                found.append(f"{where}:{line} imports {top}, which belongs in {OWNED[top]}")
            if top != "pmo_assess" or name in ROOT_MODULES:
                continue
            target = known_module(imported, modules)
            if target is None:
                continue
            theirs = subpackage(target)
            if target in STORE_INTERNALS and own != "store":
                found.append(f"{where}:{line} imports {target}: use the store's functions")
            if own in ("report", "charts") and theirs == "store":
                found.append(f"{where}:{line} imports {target}: reports read results only")
            if own is None or theirs is None or own == theirs:
                continue
            if LAYERS[theirs] >= LAYERS[own]:
                found.append(f"{where}:{line} ({own}) imports {target} ({theirs})")
    return sorted(set(found))


def test_every_module_sits_in_a_layer():
    strays = [n for n in package_modules() if n not in ROOT_MODULES and subpackage(n) not in LAYERS]
    assert strays == []


def test_imports_point_down_the_layers_and_respect_ownership():
    assert violations(package_modules()) == []


def test_no_module_is_named_after_a_keyword_or_a_standard_module():
    clashes = [
        n
        for n in package_modules()
        if keyword.iskeyword(n.rpartition(".")[2])
        or n.rpartition(".")[2] in sys.stdlib_module_names
    ]
    # ``pmo_assess.cli.main`` and friends are fine; only the last part could shadow a module.
    assert clashes == []


def test_package_modules_import_no_circle():
    modules = package_modules()
    graph = {
        name: {
            t
            for _, imported in imported_names(path, name)
            if (t := known_module(imported, modules))
            and t not in ROOT_MODULES
            and not name.startswith(t + ".")  # a module's own package is loaded before it
            and t != name
        }
        for name, path in modules.items()
        if name not in ROOT_MODULES
    }
    circles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                circles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert circles == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from pmo_assess.store.repository import Store\n", "(core) imports"),
        ("import ipywidgets\n", "imports ipywidgets"),
        ("def f():\n    import sqlalchemy\n", "imports sqlalchemy"),
        ("from pmo_assess.store import schema\n", "use the store's functions"),
    ],
)
def test_the_checker_catches_an_upward_or_foreign_import(tmp_path, source, expected):
    """The check itself is live: a module planted in ``core`` that breaks a rule is caught."""
    planted = tmp_path / "planted.py"
    planted.write_text(source, encoding="utf-8")
    modules = {**package_modules(), "pmo_assess.core.planted": planted}
    assert any(expected in v for v in violations(modules))
