"""A small valid value for a schema, for the generated tests when the spec gives no example."""

from __future__ import annotations

from typing import Any

from ..resolve import Cursor, ResolvedSpec

_STRING_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "email": "user@example.org",
    "uri": "https://example.org/",
    "url": "https://example.org/",
    "hostname": "example.org",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "AA==",
    "binary": "",
}
_MAX_DEPTH = 6


def sample(spec: ResolvedSpec, cursor: Cursor, depth: int = 0) -> Any:
    target = spec.deref(cursor)
    schema = target.value
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return None
    for key in ("example", "default", "const"):
        if key in schema:
            return schema[key]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return next((v for v in schema["enum"] if v is not None), None)
    for key in ("oneOf", "anyOf"):
        members = [m for m in target.child(key).elements() if _not_null(spec, m)]
        if members:
            return sample(spec, members[0], depth + 1)
    if isinstance(schema.get("allOf"), list):
        merged: dict[str, Any] = {}
        for member in target.child("allOf").elements():
            part = sample(spec, member, depth + 1)
            if isinstance(part, dict):
                merged.update(part)
        merged.update(_object(spec, target, depth) if "properties" in schema else {})
        return merged
    return _by_type(spec, target, _type(schema), depth)


def _not_null(spec: ResolvedSpec, member: Cursor) -> bool:
    value = spec.deref(member).value
    return not (isinstance(value, dict) and value.get("type") == "null")


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"


def _by_type(spec: ResolvedSpec, target: Cursor, kind: str, depth: int) -> Any:
    schema = target.value
    if kind == "object":
        return _object(spec, target, depth)
    if kind == "array":
        item = sample(spec, target.child("items"), depth + 1) if "items" in schema else "string"
        return [] if depth >= _MAX_DEPTH - 1 else [item]
    if kind == "integer":
        return _number(schema, 1)
    if kind == "number":
        return float(_number(schema, 1))
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    text = _STRING_FORMATS.get(str(schema.get("format")), "string")
    minimum = schema.get("minLength")
    if isinstance(minimum, int) and len(text) < minimum:
        text = text + "x" * (minimum - len(text))
    maximum = schema.get("maxLength")
    if isinstance(maximum, int) and len(text) > maximum:
        text = text[:maximum]
    return text


def _number(schema: dict[str, Any], fallback: int) -> int:
    for key in ("minimum", "exclusiveMinimum"):
        value = schema.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(value) + (1 if key == "exclusiveMinimum" else 0)
    maximum = schema.get("maximum")
    if isinstance(maximum, (int, float)) and not isinstance(maximum, bool) and maximum < fallback:
        return int(maximum)
    return fallback


def _object(spec: ResolvedSpec, target: Cursor, depth: int) -> dict[str, Any]:
    schema = target.value
    required = schema.get("required") if isinstance(schema.get("required"), list) else []
    result: dict[str, Any] = {}
    for prop, sub in target.child("properties").items():
        if prop in required:
            result[prop] = sample(spec, sub, depth + 1)
    return result
