"""What our templates for the model generator (templates/models) read for each class, from the IR.

- Enums: the open base of a str or int enum (an unknown value becomes a member, not an error), and the
  escapes of hidden characters in its values (the model generator writes enum values as they are).
- Polymorphic parents: a schema others extend (allOf) with a discriminator. Its class gets the runtime
  base `Polymorphic` and its tags (`__tags__`); the model generator is not shown the discriminator (it
  would swap the parent for a union of its children wherever it is used, and a tag no child has would
  then fail).
- Optional tags: the model generator narrows the tag of each member of a discriminated union to a
  required `Literal` (pydantic dispatches on it). Where the schema does not require the tag, a body
  without it is valid (Spotify's `ArtistObject.type`): the field gets its one value as default.
- Overrides: `allOf` becomes subclasses, and real specs make a subclass redefine a field of its base
  with a type mypy does not accept as an override (an enum narrowed to another enum, a `Literal` over
  a `Literal`), or two bases define one field differently. Pydantic builds such models as the spec
  means them; mypy gets an ignore naming its error code, plus `unused-ignore` for the overrides mypy
  does accept.
- Unions with properties of their own: the model generator writes a class `<union><n>` per member,
  extending it with them; these get the same data as the classes the IR names.

Fields are named by their JSON names here: the model generator's templates see both.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .escape import HIDDEN
from .ir.model import ClassName, LiteralType, Model, ModelField, Primitive

_ENUM_BASES = {Primitive.STR: "OpenStrEnum", Primitive.INT: "OpenIntEnum"}
_CLASS_IGNORE = "type: ignore[misc, unused-ignore]"

Key = tuple[object, ...]  # what the class's annotation of a field depends on


def template_data(models: tuple[Model, ...]) -> dict[str, dict[str, Any]]:
    by_name = {m.name: m for m in models}
    polymorphic = _polymorphic(by_name)
    data: dict[str, dict[str, Any]] = {}
    for model in models:
        entry = _enum_data(model) if model.enum is not None else _class_data(model, by_name, polymorphic)
        if entry:
            data[model.name] = entry
        if model.members and model.fields:
            for i, member in enumerate(model.members):
                # (a property the member requires stays required in the class that joins them)
                demanded = _demanded(member, by_name, 0)
                fields = tuple(replace(f, required=True) if f.wire_name in demanded and not f.demanded else f
                               for f in model.fields)
                joined = Model(name=ClassName(f"{model.name}{i + 1}"), schema=model.schema, fields=fields,
                               bases=(member,))
                entry = _class_data(joined, by_name, polymorphic)
                if entry:
                    data[joined.name] = entry
    return data


def _enum_data(model: Model) -> dict[str, Any]:
    assert model.enum is not None
    entry: dict[str, Any] = {}
    if model.enum.kind is not None:
        entry["open_base"] = _ENUM_BASES[model.enum.kind]
    values = [json.loads(v) for v in model.enum.values]
    hidden = sorted({c for v in values if isinstance(v, str) for c in HIDDEN.findall(v)})
    if hidden:
        entry["escapes"] = [[c, escape(c)] for c in hidden]
    return entry


def _class_data(model: Model, models: Mapping[ClassName, Model], polymorphic: set[ClassName]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if model.polymorphic is not None:
        tags = {tag: str(name) for tag, name in model.polymorphic.tags}
        entry["polymorphic_tags"] = f"({model.polymorphic.property!r}, {tags!r})"
        if not model.bases:
            entry["polymorphic_base"] = "Polymorphic"
        elif not any(b in polymorphic for b in model.bases):  # (else a base brings it)
            entry["polymorphic_prefix"] = "Polymorphic, "
    defaults = {f.wire_name: repr(_tag(f)) for f in model.fields if _tag(f) is not None and not f.demanded}
    if defaults:
        entry["tag_defaults"] = defaults
    above = [_ancestry(b, models, 0) for b in model.bases if b in models]
    overrides = [f.wire_name for f in model.fields
                 if any(keys - {_key(f)} for keys in (a.get(f.wire_name, set()) for a in above))]
    if overrides:
        entry["overrides"] = overrides
    if any(first[n] != second[n] or len(first[n]) > 1
           for i, first in enumerate(above) for second in above[i + 1:] for n in first.keys() & second.keys()):
        entry["comment"] = _CLASS_IGNORE
    return entry


def _tag(field: ModelField) -> str | int | None:
    """The one value of a tag narrowed to a Literal."""
    if not (isinstance(field.type, LiteralType) and len(field.type.values) == 1):
        return None
    value = json.loads(field.type.values[0])
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _key(field: ModelField) -> Key:
    """A field's type, whether its annotation admits None (nullable, or optional without a default),
    whether it must be given though it may be null (`Field(...)`), and its direction."""
    optional = field.nullable or (not field.demanded and field.default is None)
    return (field.type, optional, field.demanded and field.nullable, field.read_only, field.write_only)


def _ancestry(name: ClassName, models: Mapping[ClassName, Model], depth: int) -> dict[str, set[Key]]:
    """Every annotation each field has in `name` and the classes above it."""
    model = models[name]
    found: dict[str, set[Key]] = {f.wire_name: {_key(f)} for f in model.fields}
    for base in model.bases if depth < 64 else ():
        if base in models:
            for field, keys in _ancestry(base, models, depth + 1).items():
                found.setdefault(field, set()).update(keys)
    return found


def _demanded(name: ClassName, models: Mapping[ClassName, Model], depth: int) -> set[str]:
    """The JSON names `name` or a class above it demands."""
    model = models[name]
    found = {f.wire_name for f in model.fields if f.demanded}
    for base in model.bases if depth < 64 else ():
        if base in models:
            found |= _demanded(base, models, depth + 1)
    return found


def _polymorphic(models: Mapping[ClassName, Model]) -> set[ClassName]:
    """Classes that are polymorphic parents or extend one."""
    memo: dict[ClassName, bool] = {}

    def visit(name: ClassName, depth: int) -> bool:
        if name not in memo:
            memo[name] = False  # (a cycle adds nothing)
            model = models[name]
            memo[name] = model.polymorphic is not None or any(
                visit(b, depth + 1) for b in model.bases if b in models and depth < 64)
        return memo[name]

    return {n for n in models if visit(n, 0)}


def escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
