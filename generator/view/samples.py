"""Python expressions for example values, typed the way each argument is annotated."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

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

class Shapes(frozenset[str]):
    """The names of enum models, plus what each object model requires and declares.

    A frozenset of enum names, so code that only asks "is this an enum?" takes it as one; samples
    also use the shapes to pick the member of a union an example fits.
    """

    required: Mapping[str, frozenset[str]]
    properties: Mapping[str, frozenset[str]]

    @classmethod
    def of(cls, models: Iterable[Model]) -> Shapes:
        models = list(models)
        shapes = cls(m.name for m in models if m.is_enum)
        schemas = {m.name: json.loads(m.schema) for m in models if not m.is_enum}
        shapes.required = {n: frozenset(_members(s, "required")) for n, s in schemas.items()}
        shapes.properties = {n: frozenset(_members(s, "properties")) for n, s in schemas.items()}
        return shapes


def _members(schema: Any, key: str) -> list[str]:
    if not isinstance(schema, dict):
        return []
    found = [str(k) for k in schema.get(key) or []] if isinstance(schema.get(key), (list, dict)) else []
    for part in schema.get("allOf") or []:
        found += _members(part, key)
    return found


_DEFAULTS: dict[Primitive, Any] = {Primitive.STR: "string", Primitive.INT: 1, Primitive.FLOAT: 1.0, Primitive.BOOL: True}


def sample_code(t: TypeRef, example: JsonText | None, enums: frozenset[str]) -> Code:
    """An expression of type `t` built from `example` (or a default when it does not fit)."""
    value = json.loads(example) if example is not None else None
    return _code(t, value, enums)


def _code(t: TypeRef, value: Any, enums: frozenset[str]) -> Code:
    if isinstance(t, NullableType):
        return Code("None") if value is None else _code(t.inner, value, enums)
    if isinstance(t, UnionType):
        fitting = [m for m in t.members if _fits(m, value, enums)]
        if fitting:
            return _code(max(fitting, key=lambda m: _overlap(m, value, enums)), value, enums)
        return _code(t.members[0], None, enums)
    if isinstance(t, ModelType):
        return _model(t, value, enums)
    if isinstance(t, ArrayType):
        items = value if isinstance(value, list) else []
        return Code("[" + ", ".join(_code(t.item, v, enums) for v in items) + "]")
    if isinstance(t, MapType):
        entries = value if isinstance(value, dict) else {}
        return Code("{" + ", ".join(f"{literal(str(k))}: {_code(t.value, v, enums)}" for k, v in entries.items()) + "}")
    if isinstance(t, LiteralType):
        options = [json.loads(v) for v in t.values]
        return literal(value if value in options else options[0])
    if isinstance(t, PrimitiveType):
        return literal(value if _fits(t, value, enums) else _DEFAULTS[t.kind])
    if isinstance(t, BinaryType):
        return Code('b"example"')
    assert isinstance(t, AnyType)
    return literal(value)


def _model(t: ModelType, value: Any, enums: frozenset[str]) -> Code:
    cls = f"models.{name(t.name)}"
    if t.name in enums:
        return Code(f"{cls}({literal(value)})") if isinstance(value, (str, int)) else Code(f"next(iter({cls}))")
    return Code(f"{cls}.model_validate({literal(value if isinstance(value, dict) else {})})")


def _overlap(t: TypeRef, value: Any, enums: frozenset[str]) -> int:
    """How many of the example's keys the member declares (first member wins a tie)."""
    if isinstance(t, ModelType) and isinstance(enums, Shapes) and isinstance(value, dict):
        return len(enums.properties.get(t.name, frozenset()) & value.keys())
    return 0


def _fits(t: TypeRef, value: Any, enums: frozenset[str]) -> bool:
    if isinstance(t, NullableType):
        return value is None or _fits(t.inner, value, enums)
    if isinstance(t, PrimitiveType):
        kinds = {Primitive.STR: (str,), Primitive.INT: (int,), Primitive.FLOAT: (int, float), Primitive.BOOL: (bool,)}
        if isinstance(value, bool) and t.kind is not Primitive.BOOL:
            return False
        return isinstance(value, kinds[t.kind])
    if isinstance(t, ModelType):
        if t.name in enums:
            return isinstance(value, (str, int))
        required = enums.required.get(t.name, frozenset()) if isinstance(enums, Shapes) else frozenset()
        return isinstance(value, dict) and required <= value.keys()
    if isinstance(t, ArrayType):
        return isinstance(value, list)
    if isinstance(t, MapType):
        return isinstance(value, dict)
    if isinstance(t, LiteralType):
        return value in [json.loads(v) for v in t.values]
    if isinstance(t, UnionType):
        return any(_fits(m, value, enums) for m in t.members)
    return value is not None
