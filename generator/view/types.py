"""IR types as Python annotations (valid both for type checkers and at run time)."""

from __future__ import annotations

import json
from typing import assert_never

from ..escape import Code, literal, name
from ..ir.model import (
    AnyType,
    ArrayType,
    BinaryType,
    LiteralType,
    MapType,
    ModelType,
    NullableType,
    Primitive,
    PrimitiveType,
    TypeRef,
    UnionType,
)

_PRIMITIVES = {
    Primitive.STR: "builtins.str",
    Primitive.INT: "builtins.int",
    Primitive.FLOAT: "builtins.float",
    Primitive.BOOL: "builtins.bool",
}
_INPUT_FORMATS = {"date-time": "datetime.datetime", "date": "datetime.date", "uuid": "uuid.UUID"}


def annotation(t: TypeRef, *, input: bool) -> Code:
    """`input`: a value the caller passes (accepts a little more, e.g. datetimes for date strings)."""
    return Code(" | ".join(_members(t, input=input)))


def _members(t: TypeRef, *, input: bool) -> list[str]:
    if isinstance(t, NullableType):
        inner = _members(t.inner, input=input)
        return inner if "typing.Any" in inner else _dedupe([*inner, "None"])
    if isinstance(t, UnionType):
        parts = [p for m in t.members for p in _members(m, input=input)]
        return ["typing.Any"] if "typing.Any" in parts else _dedupe(parts)
    return [_single(t, input=input)]


def _single(t: TypeRef, *, input: bool) -> str:
    if isinstance(t, PrimitiveType):
        base = _PRIMITIVES[t.kind]
        extra = _INPUT_FORMATS.get(t.format) if input and t.kind is Primitive.STR else None
        return f"{base} | {extra}" if extra else base
    # What a caller passes is read only: Sequence and Mapping accept a list of a narrower item type.
    if isinstance(t, ArrayType):
        outer = "typing.Sequence" if input else "builtins.list"
        return f"{outer}[{annotation(t.item, input=input)}]"
    if isinstance(t, MapType):
        outer = "typing.Mapping" if input else "builtins.dict"
        return f"{outer}[builtins.str, {annotation(t.value, input=input)}]"
    if isinstance(t, ModelType):
        return f"models.{name(t.name)}"
    if isinstance(t, LiteralType):
        return _literal_type(t)
    if isinstance(t, BinaryType):
        return "FileInput" if input else "BinaryResponse"
    if isinstance(t, AnyType):
        return "typing.Any"
    if isinstance(t, (NullableType, UnionType)):  # _members takes these apart before they reach here
        return str(annotation(t, input=input))
    assert_never(t)


def _literal_type(t: LiteralType) -> str:
    values = [json.loads(v) for v in t.values]
    if all(isinstance(v, (str, int, bool)) or v is None for v in values):
        return f"typing.Literal[{', '.join(literal(v) for v in values)}]"
    kinds = {type(v) for v in values}
    return "builtins.float" if kinds <= {int, float} else "typing.Any"


def _dedupe(parts: list[str]) -> list[str]:
    seen: list[str] = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    return seen
