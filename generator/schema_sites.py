"""Every Schema Object of a resolved spec: where schemas start (`schema` members, components/schemas)
and every subschema under them, each once, without following `$ref`."""

from __future__ import annotations

from collections.abc import Iterator

from .resolve import Cursor, ResolvedSpec

_ONE = ("items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames",
        "additionalItems", "unevaluatedItems", "unevaluatedProperties")
_MANY = ("allOf", "anyOf", "oneOf", "prefixItems")
_NAMED = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_VALUES = ("example", "examples", "enum", "const", "default")  # data, not spec structure


def schema_objects(spec: ResolvedSpec) -> Iterator[Cursor]:
    seen: set[tuple[str, str]] = set()
    for doc in spec.documents.values():
        stack = [Cursor(doc, "", doc.data)]
        while stack:
            cursor = stack.pop()
            if isinstance(cursor.value, list):
                stack.extend(reversed(list(cursor.elements())))
            if not isinstance(cursor.value, dict):
                continue
            for key, child in reversed(list(cursor.items())):
                if key.startswith("x-") or key in _VALUES:
                    continue
                if key == "schema":
                    yield from _tree(child, seen)
                elif key == "schemas" and cursor.pointer == "/components":
                    for _, schema in child.items():
                        yield from _tree(schema, seen)
                else:
                    stack.append(child)


def _tree(root: Cursor, seen: set[tuple[str, str]]) -> Iterator[Cursor]:
    stack = [root]
    while stack:
        cursor = stack.pop()
        mark = (cursor.doc.uri, cursor.pointer)
        if not isinstance(cursor.value, dict) or mark in seen:
            continue
        seen.add(mark)
        yield cursor
        value = cursor.value
        # Only the members present: most schemas have few, and a cursor per absent one costs a pointer.
        for key in _ONE:
            if key in value:
                stack.append(cursor.child(key))
        for key in _MANY:
            if key in value:
                stack.extend(cursor.child(key).elements())
        for key in _NAMED:
            if key in value:
                stack.extend(child for _, child in cursor.child(key).items())
