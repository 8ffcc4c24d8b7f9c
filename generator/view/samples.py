"""Python expressions for example values, typed the way each argument is annotated."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, assert_never

from ..escape import Code, literal, name
from ..ir.model import (
    AnyType,
    ArrayType,
    BinaryType,
    JsonText,
    LiteralType,
    MapType,
    Model,
    ModelType,
    NullableType,
    Primitive,
    PrimitiveType,
    TypeRef,
    UnionType,
)

@dataclass(frozen=True)
class Shapes:
    """What samples need to know of the named models: which are enums, and what each object model
    requires and declares (to pick the member of a union an example fits)."""

    enums: frozenset[str] = frozenset()
    required: Mapping[str, frozenset[str]] = field(default_factory=dict)
    properties: Mapping[str, frozenset[str]] = field(default_factory=dict)
    kinds: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)  # JSON types of typed properties

    @classmethod
    def of(cls, models: Iterable[Model]) -> Shapes:
        models = list(models)
        schemas: dict[str, Any] = {m.name: json.loads(m.schema) for m in models if not m.is_enum}
        return cls(
            enums=frozenset(m.name for m in models if m.is_enum),
            required={n: frozenset(_members(s, "required", schemas)) for n, s in schemas.items()},
            properties={n: frozenset(_members(s, "properties", schemas)) for n, s in schemas.items()},
            kinds={n: _kinds(s, schemas) for n, s in schemas.items()},
        )

    def takes(self, model: str, value: dict[str, Any]) -> bool:
        """Whether every property of `value` the model types has a value of that type (a union member
        that declares `name` a string does not take `{"name": 0}`, which another member may)."""
        kinds = self.kinds.get(model, {})
        return all(_json_type(v) in kinds[k] for k, v in value.items() if k in kinds)


def _kinds(schema: Any, schemas: Mapping[str, Any], depth: int = 0) -> dict[str, frozenset[str]]:
    if not isinstance(schema, dict) or depth > 16:
        return {}
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return _kinds(schemas.get(ref.rsplit("/", 1)[1]), schemas, depth + 1)
    found: dict[str, frozenset[str]] = {}
    for part in schema.get("allOf") or []:
        found.update(_kinds(part, schemas, depth + 1))
    properties = schema.get("properties")
    for prop, sub in properties.items() if isinstance(properties, dict) else []:
        named = sub.get("type") if isinstance(sub, dict) else None
        types = {named} if isinstance(named, str) else set(named) if isinstance(named, list) else set()
        if types and not any(key in sub for key in ("oneOf", "anyOf", "allOf")):
            if sub.get("nullable") is True:
                types.add("null")
            found[str(prop)] = frozenset("number" if t == "integer" else t for t in types)
    return found


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else "array" if isinstance(value, list) else "object"


def _members(schema: Any, key: str, schemas: Mapping[str, Any], depth: int = 0) -> list[str]:
    """The names `schema` lists under `key`, its allOf parts' included (parts are often other models)."""
    if not isinstance(schema, dict) or depth > 16:
        return []
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return _members(schemas.get(ref.rsplit("/", 1)[1]), key, schemas, depth + 1)
    found = [str(k) for k in schema.get(key) or []] if isinstance(schema.get(key), (list, dict)) else []
    for part in schema.get("allOf") or []:
        found += _members(part, key, schemas, depth + 1)
    return found


_DEFAULTS: dict[Primitive, Any] = {Primitive.STR: "string", Primitive.INT: 1, Primitive.FLOAT: 1.0, Primitive.BOOL: True}


def sample_code(t: TypeRef, example: JsonText | None, shapes: Shapes) -> Code:
    """An expression of type `t` built from `example` (or a default when it does not fit)."""
    value = json.loads(example) if example is not None else None
    return _code(t, value, shapes)


def _code(t: TypeRef, value: Any, shapes: Shapes) -> Code:
    if isinstance(t, NullableType):
        return Code("None") if value is None else _code(t.inner, value, shapes)
    if isinstance(t, UnionType):
        fitting = [m for m in t.members if _fits(m, value, shapes)]
        if fitting:
            return _code(max(fitting, key=lambda m: _overlap(m, value, shapes)), value, shapes)
        return _code(t.members[0], None, shapes)
    if isinstance(t, ModelType):
        return _model(t, value, shapes)
    if isinstance(t, ArrayType):
        items = value if isinstance(value, list) else []
        return Code("[" + ", ".join(_code(t.item, v, shapes) for v in items) + "]")
    if isinstance(t, MapType):
        entries = value if isinstance(value, dict) else {}
        return Code("{" + ", ".join(f"{literal(str(k))}: {_code(t.value, v, shapes)}" for k, v in entries.items()) + "}")
    if isinstance(t, LiteralType):
        options = [json.loads(v) for v in t.values]
        return literal(value if value in options else options[0])
    if isinstance(t, PrimitiveType):
        return literal(value if _fits(t, value, shapes) else _DEFAULTS[t.kind])
    if isinstance(t, BinaryType):
        return Code('b"example"')
    if isinstance(t, AnyType):
        return literal(value)
    assert_never(t)


def _model(t: ModelType, value: Any, shapes: Shapes) -> Code:
    cls = f"models.{name(t.name)}"
    if t.name in shapes.enums:
        return Code(f"{cls}({literal(value)})") if isinstance(value, (str, int)) else Code(f"next(iter({cls}))")
    if isinstance(value, dict) or value is None:
        return Code(f"{cls}.model_validate({literal(value or {})})")
    # A scalar or a list: the class is an enum or a root model, and either takes the value itself.
    return Code(f"{cls}({literal(value)})")


def _overlap(t: TypeRef, value: Any, shapes: Shapes) -> int:
    """How many of the example's keys the member declares (first member wins a tie)."""
    if isinstance(t, ModelType) and isinstance(value, dict):
        return len(shapes.properties.get(t.name, frozenset()) & value.keys())
    return 0


def _fits(t: TypeRef, value: Any, shapes: Shapes) -> bool:
    if isinstance(t, NullableType):
        return value is None or _fits(t.inner, value, shapes)
    if isinstance(t, PrimitiveType):
        kinds = {Primitive.STR: (str,), Primitive.INT: (int,), Primitive.FLOAT: (int, float), Primitive.BOOL: (bool,)}
        if isinstance(value, bool) and t.kind is not Primitive.BOOL:
            return False
        return isinstance(value, kinds[t.kind])
    if isinstance(t, ModelType):
        if t.name in shapes.enums:
            return isinstance(value, (str, int))
        required = shapes.required.get(t.name, frozenset())
        return isinstance(value, dict) and required <= value.keys() and shapes.takes(t.name, value)
    if isinstance(t, ArrayType):
        return isinstance(value, list)
    if isinstance(t, MapType):
        return isinstance(value, dict)
    if isinstance(t, LiteralType):
        return value in [json.loads(v) for v in t.values]
    if isinstance(t, UnionType):
        return any(_fits(m, value, shapes) for m in t.members)
    if isinstance(t, (AnyType, BinaryType)):
        return value is not None
    assert_never(t)
