"""A large models module split into one module per model (per cycle of models), loaded on first use.

Building a pydantic class costs about a millisecond, so a spec with thousands of schemas made the
first use of a client take seconds. Split, `models.py` becomes an index: the type checker sees every
class through `if TYPE_CHECKING:` imports, and at run time `models.Pet` imports `_models/pet.py`,
which imports only the models Pet refers to. A call then builds the models it touches, nothing more.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from . import cache, names
from .cache import generator_digest
from .ir.model import ModelsLayout

# Above this many models the module is split (rules.toml `models = "auto"`).
SPLIT_FROM = 300

_WORD = re.compile(r"[A-Za-z_]\w*")


def model_files(source: str, *, layout: ModelsLayout, title_line: str) -> dict[str, str]:
    """The models as files relative to the package: `models.py` alone, or split by `layout`."""
    classes = sum(1 for line in source.split("\n") if line.startswith("class "))
    if layout is ModelsLayout.PER_MODEL or (layout is ModelsLayout.AUTO and classes > SPLIT_FROM):
        # Splitting parses every class again: kept, keyed by everything the split depends on.
        entry = cache.key("models-split", (generator_digest(), title_line, source))
        kept = cache.get_json("models-split", entry)
        if isinstance(kept, dict) and all(isinstance(v, str) for v in kept.values()):
            return kept
        files = split_models(source, title_line=title_line) or {"models.py": source}
        cache.put_json("models-split", entry, files)
        return files
    return {"models.py": source}


def split_models(source: str, *, title_line: str) -> dict[str, str] | None:
    """`models.py` and `_models/*.py` (paths relative to the package), or None when the source has a
    statement this split does not know how to place (it then stays one module)."""
    tree = ast.parse(source)
    lines = source.split("\n")  # as ast counts lines
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    trailing: dict[str, list[ast.stmt]] = {}
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.ClassDef)) or _is_docstring(node, tree):
            continue
        owner = _rebuilt_class(node, classes)
        if owner is None:
            return None
        trailing.setdefault(owner, []).append(node)
    if not classes:
        return None
    deps = {name: _references(node, classes) for name, node in classes.items()}
    groups = list(_cycles(list(classes), deps))  # dependencies come first
    module_of = _module_names(groups)
    home = {name: module_of[group[0]] for group in groups for name in group}
    files = {"_models/__init__.py": f'"""The models of {title_line}, one module each: import them from `models`."""\n'}
    for group in groups:
        members = sorted(group, key=lambda n: classes[n].lineno)
        body = [_source(lines, classes[n]) for n in members]
        body += [_source(lines, s) for n in members for s in trailing.get(n, [])]
        needed = sorted({d for n in members for d in deps[n]} - set(members))
        files[f"_models/{module_of[group[0]]}.py"] = _module(title_line, imports, lines, body, needed, home)
    files["models.py"] = _index(source, tree, home)
    return files


def _is_docstring(node: ast.stmt, tree: ast.Module) -> bool:
    return node is tree.body[0] and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _rebuilt_class(node: ast.stmt, classes: dict[str, ast.ClassDef]) -> str | None:
    """`Pet.model_rebuild()`: the class it rebuilds."""
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in classes:
            return func.value.id
    return None


def _references(node: ast.ClassDef, classes: dict[str, ast.ClassDef]) -> set[str]:
    """Models a class names: in code, and in quoted annotations (forward references)."""
    found = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in classes}
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign):
            for constant in ast.walk(statement.annotation):
                if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                    found.update(w for w in _WORD.findall(constant.value) if w in classes)
    found.discard(node.name)
    return found


def _cycles(order: list[str], deps: dict[str, set[str]]) -> Iterator[list[str]]:
    """Strongly connected groups (Tarjan, without recursion), each after the groups it depends on."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for start in order:
        if start in index:
            continue
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        work = [(start, iter(sorted(deps[start])))]
        while work:
            node, pending = work[-1]
            advanced = False
            for dep in pending:
                if dep not in index:
                    index[dep] = low[dep] = counter
                    counter += 1
                    stack.append(dep)
                    on_stack.add(dep)
                    work.append((dep, iter(sorted(deps[dep]))))
                    advanced = True
                    break
                if dep in on_stack:
                    low[node] = min(low[node], index[dep])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                yield group


def _module_names(groups: list[list[str]]) -> dict[str, str]:
    """A module name per group, from its first model; unique even on case-insensitive file systems."""
    taken: set[str] = set()
    chosen: dict[str, str] = {}
    for group in groups:
        base = str(names.identifier(min(group), fallback="model"))
        candidate = names.first_free(base, lambda c: c.lower() in taken, separator="_")
        taken.add(candidate.lower())
        chosen[group[0]] = candidate
    return chosen


def _source(lines: list[str], node: ast.stmt) -> str:
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    assert node.end_lineno is not None
    return "\n".join(lines[first - 1:node.end_lineno])


def _module(title_line: str, imports: list[ast.Import | ast.ImportFrom], lines: list[str], body: list[str],
            needed: list[str], home: dict[str, str]) -> str:
    code = "\n\n\n".join(body)
    used = {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name)}
    header = [f'"""A model of {title_line} (import it from `models`)."""', "",
              "# Generated by Careforge from the models module: do not edit.", "",
              "from __future__ import annotations", ""]
    for node in imports:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        kept = [a for a in node.names if (a.asname or a.name).split(".")[0] in used]
        if not kept:
            continue
        aliases = ", ".join(a.name if a.asname is None else f"{a.name} as {a.asname}" for a in kept)
        if isinstance(node, ast.Import):
            header.append(f"import {aliases}")
        else:
            level = "." * (node.level + 1 if node.level else 0)  # one package deeper than models.py
            header.append(f"from {level}{node.module or ''} import {aliases}")
    if needed:
        header.append("")
    for dep in needed:
        header.append(f"from .{home[dep]} import {dep}")
    return "\n".join(header) + "\n\n\n" + code + "\n"


def _index(source: str, tree: ast.Module, home: dict[str, str]) -> str:
    """The new models.py: the old header, imports for the type checker, and loading on first use."""
    first = next(n for n in tree.body if not _is_docstring(n, tree))
    preamble = "\n".join(source.split("\n")[:first.lineno - 1]).rstrip() + "\n\n"
    imports = "".join(f"    from ._models.{home[name]} import {name}\n" for name in sorted(home, key=home.__getitem__))
    exports = "".join(f"    {name!r},\n" for name in sorted(home))
    table = "".join(f"    {name!r}: {home[name]!r},\n" for name in sorted(home))
    return f'''{preamble}from __future__ import annotations

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
{imports}
__all__ = [
{exports}]

# The module under _models/ that defines each model; it is imported on first use.
_HOME = {{
{table}}}


def __getattr__(name: str) -> _typing.Any:
    if name not in _HOME:
        raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")
    value = getattr(_importlib.import_module(f"._models.{{_HOME[name]}}", __package__), name)
    globals()[name] = value  # later uses are plain lookups
    return value


def __dir__() -> list[str]:
    return sorted({{*globals(), *__all__}})
'''
