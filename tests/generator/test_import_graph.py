"""The generator's import graph: no circle, and no import from a lower layer to a higher one.

Imports inside functions count (they run too); imports under `if TYPE_CHECKING:` do not (they never run).
A new module must be given a layer below, where it belongs.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from pathlib import Path

from conftest import REPO

# From the ground up. A module may import its own layer or any layer below; within a layer, no circle.
LAYERS: Sequence[tuple[str, frozenset[str]]] = (
    ("foundations", frozenset({
        "typed_names", "names", "client_attributes", "escape", "pointer", "diagnostics", "json_positions", "fileset",
        "cache", "manifest", "versions", "children", "stopping", "background", "reporting", "ecma_pattern",
        "value_choices", "format", "write", "out_folder", "console", "graphs",
    })),
    ("spec", frozenset({
        "load", "resolve", "spec_walk", "schema_check", "schema_sites", "spec_validator", "lint", "lint_defaults",
        "lint_xml", "lint_cache", "validate", "validator_pieces", "bundle",
    })),
    ("ir", frozenset({"ir", "rules"})),
    ("view", frozenset({"view", "models", "model_split", "model_groups", "model_assembly", "model_template_data",
                        "model_worker"})),
    ("render", frozenset({"render"})),
    ("pipeline", frozenset({"pipeline"})),
    ("commands", frozenset({"checks", "diff", "build_dist", "watch"})),
    ("publishing", frozenset({"release_check", "publish"})),  # checks freshness and versions, builds, uploads
    ("cli", frozenset({"cli", "entry", "__main__"})),
)

# Layers whose members are siblings: none imports another (each stands on the layers below alone).
SIBLINGS = frozenset({"commands"})

Graph = Mapping[str, Mapping[str, int]]  # module -> imported module -> the line of the first such import


def _module(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(root: ast.AST) -> set[int]:
    """ids of the nodes under `if TYPE_CHECKING:`."""
    hidden: set[int] = set()
    for node in ast.walk(root):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            hidden.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    return hidden


def import_graph(package: Path) -> dict[str, dict[str, int]]:
    """Each module of `package` (named from the package's parent) with the package's modules it imports."""
    root = package.parent
    modules = {_module(path, root): path for path in sorted(package.rglob("*.py"))}
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hidden = _type_checking_only(tree)
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        edges = graph.setdefault(name, {})
        for node in ast.walk(tree):
            if id(node) in hidden:
                continue
            if isinstance(node, ast.ImportFrom):
                base = ".".join(here[:len(here) - node.level + 1] + ([node.module] if node.module else [])) \
                    if node.level else node.module or ""
                # `from . import x` imports the module x; `from .m import name` imports m.
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target not in (name, package.name):
                    edges.setdefault(target, node.lineno)
    return graph


def circles(graph: Graph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _member(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def layer_of(module: str, layers: Sequence[tuple[str, frozenset[str]]]) -> int | None:
    """The layer of `package.name` or `package.folder.name`: its first name under the package decides."""
    if "." not in module:
        return 0  # the package's own __init__.py
    first = module.split(".")[1]
    return next((n for n, (_, members) in enumerate(layers) if first in members), None)


def problems(graph: Graph, layers: Sequence[tuple[str, frozenset[str]]],
             siblings: frozenset[str] = frozenset()) -> list[str]:
    """Every circle (with the imports that close it), every import that runs up a layer and every import
    between two members of a layer of siblings, in words."""
    found = []
    for group in circles(graph):
        ties = [f"{a} -> {b} (line {graph[a][b]})" for a in group for b in graph[a] if b in group]
        found.append(f"import circle: {', '.join(ties)}")
    for module in sorted(graph):
        mine = layer_of(module, layers)
        if mine is None:
            found.append(f"{module} has no layer: add it to LAYERS")
            continue
        for target, line in sorted(graph[module].items()):
            theirs = layer_of(target, layers)
            if theirs is not None and theirs > mine:
                found.append(f"upward import: {module} (layer {layers[mine][0]}) imports {target} "
                             f"(layer {layers[theirs][0]}) at line {line}")
            elif theirs == mine and layers[mine][0] in siblings and _member(module) != _member(target):
                found.append(f"sibling import: {module} imports {target} at line {line}, both of layer "
                             f"{layers[mine][0]}")
    return found


def test_the_generator_has_no_import_circle_and_no_upward_import() -> None:
    graph = import_graph(REPO / "generator")
    assert "generator.pipeline" in graph and len(graph) > 50
    assert problems(graph, LAYERS, SIBLINGS) == []


def test_every_layer_names_a_module_that_exists() -> None:
    graph = import_graph(REPO / "generator")
    present = {module.split(".")[1] for module in graph if "." in module}
    assert [member for _, members in LAYERS for member in sorted(members) if member not in present] == []


def _package(tmp_path: Path, files: Mapping[str, str]) -> Path:
    package = tmp_path / "pkg"
    for name, text in {"__init__.py": "", **files}.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text, encoding="utf-8")
    return package


_SMALL = (("low", frozenset({"low", "sub"})), ("high", frozenset({"high"})))


def test_a_circle_through_an_import_inside_a_function_is_named(tmp_path: Path) -> None:
    package = _package(tmp_path, {
        "low.py": "def f():\n    from .sub import thing\n",
        "sub/__init__.py": "",
        "sub/thing.py": "from .. import low\n",
    })
    graph = import_graph(package)
    assert graph["pkg.low"] == {"pkg.sub.thing": 2} and graph["pkg.sub.thing"] == {"pkg.low": 1}
    assert problems(graph, _SMALL) == ["import circle: pkg.low -> pkg.sub.thing (line 2), pkg.sub.thing -> pkg.low (line 1)"]


def test_an_upward_import_is_named_and_a_type_checking_one_is_not(tmp_path: Path) -> None:
    package = _package(tmp_path, {
        "low.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .high import X\n",
        "high.py": "import pkg.low\n",
    })
    assert problems(import_graph(package), _SMALL) == []
    (package / "sub.py").write_text("x = 1\n\n\nfrom pkg.high import Y\n", encoding="utf-8")
    assert problems(import_graph(package), _SMALL) == [
        "upward import: pkg.sub (layer low) imports pkg.high (layer high) at line 4"]


def test_a_module_without_a_layer_is_named(tmp_path: Path) -> None:
    package = _package(tmp_path, {"low.py": "", "stray.py": "from . import low\n"})
    assert problems(import_graph(package), _SMALL) == ["pkg.stray has no layer: add it to LAYERS"]


def test_an_import_between_siblings_is_named(tmp_path: Path) -> None:
    package = _package(tmp_path, {"low.py": "", "high.py": "from . import low\n", "sub/__init__.py": "",
                                  "sub/a.py": "from . import c\n", "sub/c.py": ""})
    graph = import_graph(package)
    assert graph["pkg.sub.a"] == {"pkg.sub.c": 1} and graph["pkg.high"] == {"pkg.low": 1}
    assert problems(graph, _SMALL, frozenset({"low"})) == []
    (package / "sub" / "b.py").write_text("def f():\n    from ..low import x\n", encoding="utf-8")
    assert problems(import_graph(package), _SMALL, frozenset({"low"})) == [
        "sibling import: pkg.sub.b imports pkg.low at line 2, both of layer low"]
