"""What a JSON Schema is, as the models see it: a class of its own, nullable, or null alone.

Plain predicates over schema dicts, shared by the schema rewriter, the defaults check, the
sampler and the spec diff.
"""

from __future__ import annotations

from typing import Any


def model_worthy(schema: Any) -> bool:
    """Does this schema become a class of its own?"""
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    # `properties` beside `type: string` apply to no string: the declared type wins.
    described_object = kind is None or "object" in kinds
    if isinstance(schema.get("properties"), dict) and schema["properties"] and described_object:
        return True
    enum = schema.get("enum")
    if isinstance(enum, list) and any(v is not None for v in enum) and "const" not in schema:
        return all(isinstance(v, (str, int)) and not isinstance(v, bool) or v is None for v in enum)
    for key in ("allOf", "oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list) and len([m for m in members if not is_null_schema(m)]) >= 2 \
                and not constraint_only(members):
            return True
    return False


_CONSTRAINT_KEYS = frozenset({"required", "description", "title"})


def constraint_only(members: list[Any]) -> bool:
    """anyOf/oneOf members that only name required properties ("one of these keys is present"): a rule
    on the one object, which the model leaves to the server, not a choice between types."""
    return bool(members) and all(isinstance(m, dict) and m and set(m) <= _CONSTRAINT_KEYS for m in members)


def nullable_parts(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema without its 'may be null' part, and whether it had one."""
    if schema.get("nullable") is True:
        return schema, True
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [k for k in kind if k != "null"]
        return {**schema, "type": rest[0] if len(rest) == 1 else rest}, True
    enum = schema.get("enum")
    if isinstance(enum, list) and None in enum:
        return schema, True
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list) and any(is_null_schema(m) for m in members):
            return schema, True
    return schema, False


def is_null_schema(schema: Any) -> bool:
    """A schema that admits null and nothing else: `type: null` (or `[null]`), `enum` of nulls alone, or
    `const: null`. An enum or const of null beside a type that admits no null admits nothing: not null."""
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind is not None else None
    if kinds is not None and "null" not in kinds and schema.get("nullable") is not True:
        return False
    if "const" in schema:
        return schema["const"] is None
    enum = schema.get("enum")
    if isinstance(enum, list):
        return bool(enum) and all(value is None for value in enum)
    return kinds is not None and bool(kinds) and all(k == "null" for k in kinds)
