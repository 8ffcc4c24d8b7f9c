"""Discriminator tags the schema leaves optional keep a default.

The model generator narrows the tag property of each member of a discriminated union to a required
`Literal` (pydantic needs a Literal to dispatch on). Where the member's schema does not require the
property, a body without it is valid, yet the model refused it (Spotify's `ArtistObject.type`). The
field gets its one value as default: the union still dispatches on it, and a body without it parses.
"""

from __future__ import annotations

import ast
import json
from typing import Any

from .ir.model import Model


def default_optional_tags(source: str, models: tuple[Model, ...]) -> str:
    optional: dict[str, set[str]] = {m.name: _optional_properties(m.schema) for m in models}
    tree = ast.parse(source)
    lines = source.split("\n")  # as ast counts lines
    edits: list[tuple[int, int, str]] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or not optional.get(node.name):
            continue
        for field in node.body:
            if not (isinstance(field, ast.AnnAssign) and field.value is None and isinstance(field.target, ast.Name)):
                continue
            value = _single_literal(field.annotation)
            if value is not None and field.target.id in optional[node.name] and field.end_lineno == field.lineno:
                assert field.end_col_offset is not None
                edits.append((field.lineno, field.end_col_offset, f" = {value!r}"))
    for line, column, text in sorted(edits, reverse=True):
        lines[line - 1] = lines[line - 1][:column] + text + lines[line - 1][column:]
    return "\n".join(lines)


def _optional_properties(schema_text: str) -> set[str]:
    schema = json.loads(schema_text)
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return set()
    required: list[Any] = schema["required"] if isinstance(schema.get("required"), list) else []
    return {p for p in schema["properties"] if p not in required}


def _single_literal(annotation: ast.expr) -> str | int | None:
    if not (isinstance(annotation, ast.Subscript) and isinstance(annotation.value, ast.Name)
            and annotation.value.id == "Literal" and isinstance(annotation.slice, ast.Constant)):
        return None
    value = annotation.slice.value
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else None
