"""A repair of the model generator's output that no option of it makes.

A field whose name starts with `model_` (a property `model_dump` becomes `model_dump_`) falls in
pydantic's protected namespace, and pydantic warns on import: such classes get
`protected_namespaces=()` in their config.
"""

from __future__ import annotations

import ast

_PROTECTED = "model_"


def clear_protected_namespaces(source: str) -> str:
    if f"    {_PROTECTED}" not in source.replace(f"    {_PROTECTED}config", ""):
        return source  # no field starts with model_ (the common case: no parsing)
    tree = ast.parse(source)
    inserts: list[tuple[int, int, str]] = []  # (line, column, text)
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or not _has_protected_field(node):
            continue
        config = _config_call(node)
        if config is not None:
            assert config.func.end_col_offset is not None
            inserts.append((config.func.end_lineno or config.lineno, config.func.end_col_offset + 1,
                            "protected_namespaces=(), "))
        else:
            first = node.body[0]
            inserts.append((first.lineno, 0, " " * first.col_offset + "model_config = ConfigDict(protected_namespaces=())\n"))
    if not inserts:
        return source
    lines = source.split("\n")  # as ast counts lines
    for line, column, text in sorted(inserts, reverse=True):
        lines[line - 1] = lines[line - 1][:column] + text + lines[line - 1][column:]
    result = "\n".join(lines)
    if "ConfigDict" not in _imported(tree):
        result = result.replace("from __future__ import annotations\n",
                                "from __future__ import annotations\n\nfrom pydantic import ConfigDict\n", 1)
    return result


def _has_protected_field(node: ast.ClassDef) -> bool:
    return any(isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
               and s.target.id.startswith(_PROTECTED) and s.target.id != "model_config" for s in node.body)


def _config_call(node: ast.ClassDef) -> ast.Call | None:
    for statement in node.body:
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == "model_config"
                and isinstance(statement.value, ast.Call) and isinstance(statement.value.func, ast.Name)
                and statement.value.func.id == "ConfigDict"):
            return statement.value
    return None


def _imported(tree: ast.Module) -> set[str]:
    return {alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom) for alias in node.names}
