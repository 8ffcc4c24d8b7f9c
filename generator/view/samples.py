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
    ModelField,
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
        by_name: dict[str, Model] = {m.name: m for m in models}
        objects = {n: _all_fields(m, by_name) for n, m in by_name.items() if not m.is_enum}
        return cls(
            enums=frozenset(n for n, m in by_name.items() if m.is_enum),
            required={n: frozenset(f.wire_name for f in fs if f.demanded) for n, fs in objects.items()},
            properties={n: frozenset(f.wire_name for f in fs) for n, fs in objects.items()},
            kinds={n: {f.wire_name: k for f in fs if (k := _kinds(f.type))} for n, fs in objects.items()},
        )

    def takes(self, model: str, value: dict[str, Any]) -> bool:
        """Whether every property of `value` the model types has a value of that type (a union member
        that declares `name` a string does not take `{"name": 0}`, which another member may)."""
        kinds = self.kinds.get(model, {})
        return all(_json_type(v) in kinds[k] for k, v in value.items() if k in kinds)


def _all_fields(model: Model, models: Mapping[str, Model], depth: int = 0) -> list[ModelField]:
    """The model's fields and those of the models it extends (its own win)."""
    found = list(model.fields)
    for base in model.bases if depth < 16 else ():
        if base in models:
            found += [f for f in _all_fields(models[base], models, depth + 1)
                      if all(f.wire_name != own.wire_name for own in found)]
    return found


_KINDS = {Primitive.STR: "string", Primitive.INT: "number", Primitive.FLOAT: "number", Primitive.BOOL: "boolean"}


def _kinds(t: TypeRef) -> frozenset[str]:
    """The JSON types a value of `t` may have, where `t` names them alone (not a model or a union)."""
    if isinstance(t, NullableType):
        inner = _kinds(t.inner)
        return inner | {"null"} if inner else inner
    if isinstance(t, PrimitiveType):
        return frozenset({_KINDS[t.kind]})
    if isinstance(t, BinaryType):
        return frozenset({"string"})
    if isinstance(t, ArrayType):
        return frozenset({"array"})
    if isinstance(t, MapType):
        return frozenset({"object"})
    return frozenset()


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else "array" if isinstance(value, list) else "object"


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
