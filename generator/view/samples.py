"""Python expressions for example values, typed the way each argument is annotated."""

from __future__ import annotations

import json
from typing import Any

from ..escape import Code, literal, name
from ..ir.model import (
    AnyType,
    ArrayType,
    BinaryType,
    JsonText,
    LiteralType,
    MapType,
    ModelType,
    NullableType,
    Primitive,
    PrimitiveType,
    TypeRef,
    UnionType,
)

_DEFAULTS: dict[Primitive, Any] = {Primitive.STR: "string", Primitive.INT: 1, Primitive.FLOAT: 1.0, Primitive.BOOL: True}


def sample_code(t: TypeRef, example: JsonText | None, enums: frozenset[str]) -> Code:
    """An expression of type `t` built from `example` (or a default when it does not fit)."""
    value = json.loads(example) if example is not None else None
    return _code(t, value, enums)


def _code(t: TypeRef, value: Any, enums: frozenset[str]) -> Code:
    if isinstance(t, NullableType):
        return Code("None") if value is None else _code(t.inner, value, enums)
    if isinstance(t, UnionType):
        for member in t.members:
            if _fits(member, value, enums):
                return _code(member, value, enums)
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


def _fits(t: TypeRef, value: Any, enums: frozenset[str]) -> bool:
    if isinstance(t, NullableType):
        return value is None or _fits(t.inner, value, enums)
    if isinstance(t, PrimitiveType):
        kinds = {Primitive.STR: (str,), Primitive.INT: (int,), Primitive.FLOAT: (int, float), Primitive.BOOL: (bool,)}
        if isinstance(value, bool) and t.kind is not Primitive.BOOL:
            return False
        return isinstance(value, kinds[t.kind])
    if isinstance(t, ModelType):
        return isinstance(value, (str, int)) if t.name in enums else isinstance(value, dict)
    if isinstance(t, ArrayType):
        return isinstance(value, list)
    if isinstance(t, MapType):
        return isinstance(value, dict)
    if isinstance(t, LiteralType):
        return value in [json.loads(v) for v in t.values]
    if isinstance(t, UnionType):
        return any(_fits(m, value, enums) for m in t.members)
    return value is not None
