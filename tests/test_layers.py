"""The packages of ``src/sandbox`` import one way, down a fixed order of layers, and no
cycle joins them.

Every import between two packages is read from the source with ``ast``, those made
inside functions included, those under ``if TYPE_CHECKING:`` aside (they run no code).
An import up the order would be a back edge, the only kind that can close a cycle: the
first test fails on any. The second looks for cycles in the imports themselves, whatever
the order says.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "sandbox"

# bottom to top: a package imports only packages below it ("" is ``sandbox`` itself)
LAYERS = [
    "errors", "regions", "config", "model", "units", "analysis", "plots", "experiments",
    "calibration", "validation", "dashboard", "cli", "",
]  # fmt: skip


def package(module: str) -> str:
    """The package of ``sandbox.<package>.<...>`` ("" for ``sandbox`` itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def type_only(tree: ast.AST) -> set[int]:
    """The nodes under ``if TYPE_CHECKING:``."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for n in ast.walk(node))
    return skipped


def imports(source: Path = SOURCE) -> dict[tuple[str, str], list[str]]:
    """(importing package, imported package) -> the files that import so, for the
    ``sandbox`` package at ``source``."""
    edges: dict[tuple[str, str], list[str]] = {}
    for path in sorted(source.rglob("*.py")):
        parts = path.relative_to(source.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = type_only(tree)
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: from the module's own package up
                    base = module.split(".")
                    base = base[: len(base) - node.level + (parts[-1] == "__init__")]
                    origin = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    origin = node.module or ""
                # ``from sandbox import plots`` imports the package ``sandbox.plots``
                targets = (
                    [f"sandbox.{alias.name}" for alias in node.names]
                    if origin == "sandbox"
                    else [origin]
                )
            else:
                continue
            for target in targets:
                if target.split(".")[0] != "sandbox":
                    continue
                edge = (package(module), package(target))
                if edge[0] != edge[1]:
                    edges.setdefault(edge, []).append(str(path.relative_to(source.parent)))
    return edges


def back_edges() -> dict[tuple[str, str], list[str]]:
    return {
        (a, b): files for (a, b), files in imports().items() if LAYERS.index(b) > LAYERS.index(a)
    }


def test_every_package_has_a_layer_and_no_import_goes_up() -> None:
    packages = {package(f"sandbox.{p.name}") for p in SOURCE.iterdir()}
    packages = {p.removesuffix(".py") for p in packages if not p.startswith(("_", "."))}
    assert packages <= set(LAYERS), f"place the new package in LAYERS: {packages - set(LAYERS)}"
    assert not back_edges(), f"imports up the layers (a cycle in the making): {back_edges()}"


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected groups of more than one package (Tarjan's algorithm)."""
    graph: dict[str, list[str]] = {}
    for a, b in sorted(edges):
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_cycle_joins_the_packages() -> None:
    assert cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [["a", "b", "c"]]
    edges = imports()
    assert len(edges) > 20  # the walk found the imports
    assert cycles(set(edges)) == [], {e: f for e, f in edges.items() if e[::-1] in edges}


def test_the_walk_sees_imports_inside_functions_and_skips_type_only_ones(tmp_path) -> None:
    """The reader itself, on a package written here: an import inside a function counts,
    one under ``if TYPE_CHECKING:`` does not, and ``from sandbox import b`` is package b."""
    package_dir = tmp_path / "sandbox"
    for name in ("a", "b", "c", "d"):
        (package_dir / name).mkdir(parents=True)
        (package_dir / name / "__init__.py").write_text("")
    (package_dir / "a" / "x.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from sandbox.c import C\n"
        "def f():\n    from sandbox.b.y import g\n    return g\n"
        "from sandbox import d\n"
    )
    assert imports(package_dir) == {("a", "b"): ["sandbox/a/x.py"], ("a", "d"): ["sandbox/a/x.py"]}
