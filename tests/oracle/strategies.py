"""Hypothesis strategies for JSON Schema values (the subset OpenAPI schemas use).

hypothesis-jsonschema would do this, but its last release reaches into hypothesis internals that the
pinned hypothesis no longer has. Every drawn value is checked against the schema with jsonschema
before it is used, so a gap here costs examples, never a wrong verdict.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema
from hypothesis import strategies as st

from .jsonschema_of import Unsupported

_JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=8))
ANY_JSON = st.recursive(_JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)), max_leaves=6)
_FORMATS: dict[str, st.SearchStrategy[str]] = {
    "date": st.dates().map(lambda d: d.isoformat()),
    "date-time": st.datetimes(timezones=st.timezones() | st.just(None)).map(
        lambda d: d.isoformat() if d.tzinfo else d.isoformat() + "Z"),
    "time": st.times().map(lambda t: t.isoformat() + "Z"),
    "uuid": st.uuids().map(str),
    "email": st.emails(),
    "ipv4": st.ip_addresses(v=4).map(str),
    "ipv6": st.ip_addresses(v=6).map(str),
}


def from_schema(schema: Any) -> st.SearchStrategy[Any]:
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return _strategy(schema).filter(validator.is_valid)


def _strategy(schema: Any) -> st.SearchStrategy[Any]:
    if schema is True or schema == {}:
        return ANY_JSON
    if schema is False:
        return st.nothing()
    if "allOf" in schema:
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            merged = _merge(merged, part)
        return _strategy(merged)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            rest = {k: v for k, v in schema.items() if k != key}
            return st.one_of([_strategy(_merge(rest, option)) for option in schema[key]])
    kinds = schema.get("type")
    if kinds is None:
        kinds = _implied_type(schema)
    if isinstance(kinds, list):
        return st.one_of([_strategy({**schema, "type": k}) for k in kinds])
    return _typed(kinds, schema)


def _implied_type(schema: dict[str, Any]) -> Any:
    if "properties" in schema or "additionalProperties" in schema or "required" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    if any(k in schema for k in ("pattern", "minLength", "maxLength", "format")):
        return "string"
    if any(k in schema for k in ("minimum", "maximum", "multipleOf")):
        return "number"
    return ["null", "boolean", "integer", "string", "array", "object"]


def _typed(kind: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return _integers(schema)
    if kind == "number":
        return st.one_of(_integers(schema), _floats(schema))
    if kind == "string":
        return _strings(schema)
    if kind == "array":
        return _arrays(schema)
    if kind == "object":
        return _objects(schema)
    raise Unsupported(f"type {kind!r}")


def _integers(schema: dict[str, Any]) -> st.SearchStrategy[int]:
    low = schema.get("minimum")
    high = schema.get("maximum")
    if isinstance(schema.get("exclusiveMinimum"), (int, float)):
        low = schema["exclusiveMinimum"] + 1
    if isinstance(schema.get("exclusiveMaximum"), (int, float)):
        high = schema["exclusiveMaximum"] - 1
    low = int(low) if low is not None else -(2**40)
    high = int(high) if high is not None else 2**40
    step = schema.get("multipleOf")
    if isinstance(step, int) and step > 0:
        return st.integers(-(-low // step), high // step).map(lambda n: n * step)
    return st.integers(low, high)


def _floats(schema: dict[str, Any]) -> st.SearchStrategy[float]:
    return st.floats(min_value=schema.get("minimum"), max_value=schema.get("maximum"), allow_nan=False,
                     allow_infinity=False, exclude_min=isinstance(schema.get("exclusiveMinimum"), (int, float)),
                     exclude_max=isinstance(schema.get("exclusiveMaximum"), (int, float)), width=64)


def _strings(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    low = int(schema.get("minLength", 0))
    high = schema.get("maxLength")
    fmt = schema.get("format")
    if fmt in _FORMATS:
        base = _FORMATS[fmt]
    elif isinstance(schema.get("pattern"), str):
        try:
            base = st.from_regex(re.compile(schema["pattern"]), fullmatch=False)
        except re.error as error:
            raise Unsupported(f"pattern {schema['pattern']!r} is not a Python regex: {error}") from None
    else:
        return st.text(min_size=low, max_size=int(high) if high is not None else max(low, 12))
    return base.filter(lambda s: low <= len(s) <= (high if high is not None else len(s)))


def _arrays(schema: dict[str, Any]) -> st.SearchStrategy[list[Any]]:
    low = int(schema.get("minItems", 0))
    high = int(schema.get("maxItems", low + 3))
    prefix = [_strategy(s) for s in schema.get("prefixItems", [])]
    items = schema.get("items", True)
    rest = _strategy(items) if items is not False else st.nothing()
    unique = bool(schema.get("uniqueItems"))
    tail_low = max(0, low - len(prefix))
    tail_high = max(0, high - len(prefix)) if items is not False else 0
    tail = st.lists(rest, min_size=tail_low, max_size=max(tail_low, tail_high),
                    unique_by=_json_key if unique else None)
    if not prefix:
        return tail
    return st.tuples(st.tuples(*prefix), tail).map(lambda parts: [*parts[0], *parts[1]])


def _json_key(value: Any) -> str:
    import json

    return json.dumps(value, sort_keys=True)


def _objects(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties = schema.get("properties", {})
    required = [r for r in schema.get("required", []) if r in properties]
    fixed = {name: _strategy(properties[name]) for name in required}
    optional = {name: _strategy(sub) for name, sub in properties.items() if name not in required}
    extra = schema.get("additionalProperties")
    base = st.fixed_dictionaries(fixed, optional=optional)
    if extra is None or extra is False:
        return base
    names = st.text(min_size=1, max_size=8).filter(lambda n: n not in properties)
    extras = st.dictionaries(names, _strategy(extra), max_size=2)
    return st.tuples(extras, base).map(lambda parts: {**parts[0], **parts[1]})


def _merge(left: dict[str, Any], right: Any) -> dict[str, Any]:
    if right is True or right == {}:
        return dict(left)
    if right is False:
        return {"not": {}}
    merged = dict(left)
    for key, value in right.items():
        if key == "properties":
            merged["properties"] = {**merged.get("properties", {}), **value}
        elif key == "required":
            merged["required"] = sorted({*merged.get("required", []), *value})
        elif key == "allOf":
            for part in value:
                merged = _merge(merged, part)
        elif key not in merged:
            merged[key] = value
    return merged
