"""Which schema defaults the models keep: only those that are a valid Python default of the field's type.

Real specs carry defaults that do not fit their schema (`default: 0` on a string, `default: null`
on a field that is not nullable, `default: {}` on an object). Written into a model they would be a
value of the wrong type (`margin: str = 0`), which mypy refuses; the server applies its defaults
anyway, so a default that does not fit is dropped and the field defaults to "not given".
"""

from __future__ import annotations

from typing import Any

from ..resolve import Cursor, ResolvedSpec
from .schema_kinds import model_worthy, nullable_parts

# Formats the models type as something other than `str`: a string default would not fit them.
_TYPED_FORMATS = frozenset({"date-time", "date"})
_MAX_DEPTH = 16


def default_fits(spec: ResolvedSpec, cursor: Cursor, value: Any, depth: int = 0) -> bool:
    """Can `value` be the Python default of a field typed by the schema at `cursor`?"""
    if depth > _MAX_DEPTH:
        return False
    schema = spec.deref(cursor)
    if not isinstance(schema.value, dict):
        return False
    inner, nullable = nullable_parts(schema.value)
    if value is None:
        return nullable
    if "const" in inner:
        return _same(value, inner["const"])
    if isinstance(inner.get("enum"), list):
        return _scalar(value) and any(_same(value, v) for v in inner["enum"])
    if model_worthy(inner):
        return False  # a model (object or union): the generator would write a plain value where an instance belongs
    for key in ("oneOf", "anyOf"):
        members = list(schema.child(key).elements())
        if members:
            return _scalar(value) and any(default_fits(spec, m, value, depth + 1) for m in members)
    parts = list(schema.child("allOf").elements())
    if parts:
        return _scalar(value) and all(default_fits(spec, p, value, depth + 1) for p in parts)
    kind = inner.get("type")
    kinds = [k for k in kind if k != "null"] if isinstance(kind, list) else [kind]
    return any(_fits_type(spec, schema, inner, k, value, depth) for k in kinds)


def _fits_type(spec: ResolvedSpec, schema: Cursor, inner: dict[str, Any], kind: Any, value: Any, depth: int) -> bool:
    if kind == "string":
        return isinstance(value, str) and inner.get("format") not in _TYPED_FORMATS
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array" or (kind is None and "items" in inner):
        items = schema.child("items")
        return isinstance(value, list) and all(default_fits(spec, items, v, depth + 1) for v in value)
    if kind == "object" or (kind is None and "additionalProperties" in inner):
        extra = schema.child("additionalProperties")
        if not isinstance(extra.value, dict) or not extra.value:
            return isinstance(value, dict)
        return isinstance(value, dict) and all(default_fits(spec, extra, v, depth + 1) for v in value.values())
    return kind is None  # no type: the field is `Any`


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and bool(a == b)
