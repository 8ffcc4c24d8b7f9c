"""Discriminator tags: the models' part of them that the model generator does not write.

Polymorphic parents. A schema others extend (allOf) with a discriminator: a value of it parses into
the class its tag names. The parent's class gets the runtime base `Polymorphic` and its tags
(`__tags__`); the model generator is not shown the discriminator (it would swap the parent for a
union of its children wherever it is used, and a tag no child has would then fail).

Optional tags. A discriminator tag the schema leaves optional keeps a default.

The model generator narrows the tag property of each member of a discriminated union to a required
`Literal` (pydantic needs a Literal to dispatch on). Where the member's schema does not require the
property, a body without it is valid, yet the model refused it (Spotify's `ArtistObject.type`). The
field gets its one value as default: the union still dispatches on it, and a body without it parses.
"""

from __future__ import annotations

import ast
import json
from typing import Any

from .ir.model import Model, Polymorphism


def polymorphic_bases(source: str, models: tuple[Model, ...]) -> str:
    parents: dict[str, Polymorphism] = {m.name: m.polymorphic for m in models if m.polymorphic is not None}
    if not parents:
        return source
    tree = ast.parse(source)
    lines = source.split("\n")  # as ast counts lines
    edits: list[tuple[int, int, int, str]] = []  # line, start column, end column, new text
    polymorphic: set[str] = set()  # classes that already have the base, through a parent of theirs
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
        inherited = bool(bases & polymorphic)
        if node.name in parents or inherited:
            polymorphic.add(node.name)
        if node.name not in parents or not node.bases or node.body[0].lineno == node.lineno:
            continue  # (a body on the class line has no place for the tags; the model generator writes none)
        polymorphism = parents[node.name]
        tags = {tag: str(name) for tag, name in polymorphism.tags}
        assert node.end_lineno is not None
        edits.append((node.end_lineno, -1, -1, f"    __tags__ = ({polymorphism.property!r}, {tags!r})"))
        first = node.bases[0]
        assert first.end_col_offset is not None
        if isinstance(first, ast.Name) and first.id == "BaseModel":
            edits.append((first.lineno, first.col_offset, first.end_col_offset, "Polymorphic"))
        elif not inherited:  # the parent extends other schemas itself
            edits.append((first.lineno, first.col_offset, first.col_offset, "Polymorphic, "))
    for line, start, end, text in sorted(edits, reverse=True):
        if start < 0:
            lines.insert(line, text)
        else:
            lines[line - 1] = lines[line - 1][:start] + text + lines[line - 1][end:]
    return "\n".join(lines)  # (models.py imports Polymorphic)


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
