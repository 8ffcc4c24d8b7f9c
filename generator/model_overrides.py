"""Fields a model redefines with another type than its base models have: marked for mypy.

The model generator maps `allOf` to subclasses, and a discriminated union narrows each member's tag
to a `Literal`. Real specs then make a subclass redefine a field of its base with a type mypy does
not accept as an override (an enum narrowed to another enum, a `Literal` over a `Literal`), or two
bases define one field differently. Pydantic builds such models as the spec means them; mypy reports
the line. Each such line gets an ignore naming its error code, plus `unused-ignore` for the overrides
mypy does accept.
"""

from __future__ import annotations

import ast

_FIELD = "  # type: ignore[assignment, unused-ignore]"
_CLASS = "  # type: ignore[misc, unused-ignore]"

Fields = dict[str, str]  # field name -> its annotation, as source


def mark_overrides(source: str) -> str:
    tree = ast.parse(source)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    own = {name: _fields(node) for name, node in classes.items()}
    bases = {name: [b.id for b in node.bases if isinstance(b, ast.Name) and b.id in classes]
             for name, node in classes.items()}
    memo: dict[str, dict[str, set[str]]] = {}

    def ancestry(name: str, depth: int = 0) -> dict[str, set[str]]:
        """Every annotation each field has in `name` and the generated classes above it."""
        if name not in memo:
            found: dict[str, set[str]] = {field: {text} for field, text in own[name].items()}
            for base in bases[name] if depth < 64 else []:
                for field, texts in ancestry(base, depth + 1).items():
                    found.setdefault(field, set()).update(texts)
            memo[name] = found
        return memo[name]

    marks: dict[int, str] = {}
    for name, node in classes.items():
        above = [ancestry(base) for base in bases[name]]
        for statement in node.body:
            field = _field_name(statement)
            if field is not None and any(texts - {own[name][field]} for texts in (a.get(field, set()) for a in above)):
                marks[statement.lineno] = _FIELD
        shared = [f for i, first in enumerate(above) for second in above[i + 1:] for f in first.keys() & second.keys()
                  if first[f] != second[f] or len(first[f]) > 1]
        if shared:
            marks[node.lineno] = _CLASS
    if not marks:
        return source
    lines = source.split("\n")  # as ast counts lines (str.splitlines also splits at U+2028 and others)
    for number, comment in marks.items():
        text = lines[number - 1]
        lines[number - 1] = text.rstrip("\r") + comment + text[len(text.rstrip("\r")):]
    return "\n".join(lines)


def _field_name(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id
    return None


def _fields(node: ast.ClassDef) -> Fields:
    return {s.target.id: ast.unparse(s.annotation) for s in node.body
            if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)}
