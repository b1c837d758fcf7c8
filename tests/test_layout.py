"""The rule that decides where code goes, checked on the source tree (README, "How it is built").

Code that touches the request lives in a blueprint (``__init__.py`` defines ``bp``, ``views`` holds the routes);
code that touches the database session lives in ``assistant/services/``; code that touches neither lives in
``assistant/domain/``, which is pure. These tests read the imports of every module (``ast``, nothing is run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assistant import BLUEPRINTS

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"
WEB_LIBRARIES = ("flask", "flask_htmx", "flask_login", "flask_wtf", "flask_limiter", "werkzeug")
DATABASE_LIBRARIES = ("sqlmodel", "sqlalchemy")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, *, top_level_only: bool) -> set[str]:
    """The modules ``name`` imports (absolute names; with ``top_level_only``, only imports run at import time)."""
    path = MODULES[name]
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES)
    return out


def _internal(name: str) -> set[str]:
    return {m for m in _imports(name, top_level_only=True) if m in MODULES and m != name}


def test_no_import_cycle_among_the_modules():
    """Modules import each other at import time without a cycle (a cycle forced imports to the bottom of files)."""
    graph = {name: _internal(name) for name in MODULES}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, path: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if nxt in path[-1:]:
                continue
            if state.get(nxt) == 1:
                cycle.extend([*path, nxt])
                return True
            if state.get(nxt) is None and visit(nxt, [*path, nxt]):
                return True
        state[node] = 2
        return False

    for name in sorted(graph):
        if state.get(name) is None and visit(name, [name]):
            break
    assert not cycle, " -> ".join(cycle)


def test_no_import_is_pushed_below_code():
    offenders = [str(p.relative_to(PACKAGE.parent)) for p in MODULES.values() if "noqa: E402" in p.read_text()]
    assert not offenders


@pytest.mark.parametrize("name", [n for n in MODULES if n.startswith("assistant.domain")])
def test_the_domain_touches_neither_the_request_nor_the_database_nor_weasyprint(name):
    imported = {m.split(".")[0] for m in _imports(name, top_level_only=False)}
    assert not imported & {*WEB_LIBRARIES, *DATABASE_LIBRARIES, "weasyprint"}, name
    assert not {m for m in _imports(name, top_level_only=False) if m.startswith("assistant.")} - {
        m for m in MODULES if m.startswith("assistant.domain")
    }, f"{name} imports from outside the domain"


@pytest.mark.parametrize("name", [n for n in MODULES if n.startswith("assistant.services")])
def test_services_never_touch_the_request(name):
    imported = {m.split(".")[0] for m in _imports(name, top_level_only=False)}
    assert not imported & set(WEB_LIBRARIES) - {"werkzeug"}, name  # werkzeug.security hashes passwords


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_each_blueprint_defines_bp_in_its_package_and_routes_in_views(blueprint):
    init = ast.parse(MODULES[f"assistant.{blueprint}"].read_text())
    assert any(isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "bp" for t in n.targets) for n in init.body), (
        f"{blueprint}/__init__.py defines no bp"
    )
    assert f"assistant.{blueprint}.views" in MODULES, f"{blueprint} has no views"
    routes_in_init = [n.name for n in init.body if isinstance(n, ast.FunctionDef) and _is_route(n)]
    assert not routes_in_init, f"routes in {blueprint}/__init__.py: {routes_in_init}"


def _is_route(fn: ast.FunctionDef) -> bool:
    return any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and getattr(d.func.value, "id", "") == "bp"
        for d in fn.decorator_list
    )


# Besides the services, only the engine and session set-up, the models and the schema migrations may import them.
DATABASE_HOMES = ("assistant.services", "assistant.db", "assistant.models")


@pytest.mark.parametrize("name", [n for n in MODULES if not n.startswith(DATABASE_HOMES)])
def test_only_services_query_the_database(name):
    """Views, guards, renderers and the CLI reach the database through the services, never by a query of their own."""
    direct = {m for m in _imports(name, top_level_only=False) if m.split(".")[0] in DATABASE_LIBRARIES}
    assert not direct, f"{name} imports {sorted(direct)}"
