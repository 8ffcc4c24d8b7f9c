"""What each model class means: its fields, the models it extends, its enum and its discriminator.

Read from the definition the model generator is given (schema_text.py), beside the resolved schema
(readOnly and writeOnly are the spec's word, whatever a `$ref` hides): the class the model generator
writes and this description are two views of one definition, and the views read only this one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .. import names
from ..resolve import Cursor, ResolvedSpec
from .model import (
    AnyType,
    ArrayType,
    BinaryType,
    ClassName,
    Discriminator,
    EnumShape,
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
from .schema_kinds import nullable_parts

_REF = "#/components/schemas/"
_PRIMITIVES = {"string": Primitive.STR, "integer": Primitive.INT, "number": Primitive.FLOAT, "boolean": Primitive.BOOL}


def _text(value: Any) -> JsonText:
    return JsonText(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def fields_and_bases(spec: ResolvedSpec, cursor: Cursor, definition: Any) -> tuple[tuple[ModelField, ...], tuple[ClassName, ...], tuple[str, ...]]:
    """The class's own fields (its properties and those of its inline allOf parts), the models it
    extends (its allOf parts that are models), and the names it requires but does not declare."""
    fields: list[ModelField] = []
    bases: list[ClassName] = []
    union = isinstance(definition, dict) and any(isinstance(definition.get(k), list) for k in ("oneOf", "anyOf"))
    if union:  # a root model over its members; its own properties go to each member
        definition = {k: v for k, v in definition.items() if k not in ("allOf", "oneOf", "anyOf")}
    required: list[str] = []  # as the spec says
    demanded: list[str] = []  # as the model generator is told (neither readOnly nor writeOnly ones)
    _collect(spec, cursor, definition, fields, bases, (required, demanded), depth=0)
    own = {f.wire_name for f in fields}
    fields = [replace(f, required=True) if f.wire_name in required else f for f in fields]
    if "allOf" not in definition or union:
        return tuple(fields), tuple(bases), ()  # a required name no property declares: left to the server
    return tuple(fields), tuple(bases), tuple(dict.fromkeys(r for r in demanded if r not in own))


def _collect(spec: ResolvedSpec, cursor: Cursor, definition: Any, fields: list[ModelField],
             bases: list[ClassName], required: tuple[list[str], list[str]], *, depth: int) -> None:
    if not isinstance(definition, dict) or depth > 16:
        return
    target = spec.deref(cursor)
    required[0].extend(_names(target.value.get("required") if isinstance(target.value, dict) else None))
    required[1].extend(_names(definition.get("required")))
    properties = definition.get("properties")
    for wire, sub in properties.items() if isinstance(properties, dict) else ():
        if any(f.wire_name == wire for f in fields):
            continue
        resolved = spec.deref(target.child("properties").child(wire)).value
        one_way = resolved if isinstance(resolved, dict) else {}
        fields.append(ModelField(
            name=names.model_field(wire, (f.name for f in fields)),
            wire_name=wire,
            required=False,
            read_only=one_way.get("readOnly") is True,
            write_only=one_way.get("writeOnly") is True,
            nullable=isinstance(sub, dict) and nullable_parts(sub)[1],
            type=field_type(sub),
            default=_text(sub["default"]) if isinstance(sub, dict) and "default" in sub else None,
        ))
    parts = list(target.child("allOf").elements())
    for i, part in enumerate(definition.get("allOf") or []):
        ref = part.get("$ref") if isinstance(part, dict) else None
        if isinstance(ref, str) and ref.startswith(_REF):
            bases.append(ClassName(ref[len(_REF):]))
        elif i < len(parts):
            _collect(spec, parts[i], part, fields, bases, required, depth=depth + 1)


def members(definition: Any) -> tuple[ClassName, ...]:
    """A union's members, when every one is a model (by reference)."""
    for key in ("oneOf", "anyOf"):
        options = definition.get(key) if isinstance(definition, dict) else None
        if isinstance(options, list):
            refs = [o.get("$ref") if isinstance(o, dict) else None for o in options]
            names = [ClassName(r[len(_REF):]) for r in refs if isinstance(r, str) and r.startswith(_REF)]
            return tuple(names) if len(names) == len(options) else ()
    return ()


def _names(listed: Any) -> list[str]:
    return [r for r in listed if isinstance(r, str)] if isinstance(listed, list) else []


def inherit_required(model: Model, wires: tuple[str, ...], models: Mapping[ClassName, Model]) -> Model:
    """A name the class requires but a model it extends declares is a field of the class again, now
    required (the model generator redefines it); one no model declares is a required field of any type."""
    fields = list(model.fields)
    for wire in wires:
        found = _inherited(model, wire, models, depth=0)
        fields.append(ModelField(
            name=names.model_field(wire, (f.name for f in fields)), wire_name=wire, required=True,
            read_only=found.read_only if found else False, write_only=found.write_only if found else False,
            nullable=found.nullable if found else False, type=found.type if found else AnyType(),
            default=None))
    return replace(model, fields=tuple(fields))


def _inherited(model: Model, wire: str, models: Mapping[ClassName, Model], depth: int) -> ModelField | None:
    for base in model.bases if depth < 32 else ():
        parent = models.get(base)
        if parent is None:
            continue
        own = next((f for f in parent.fields if f.wire_name == wire), None)
        found = own or _inherited(parent, wire, models, depth + 1)
        if found is not None:
            return found
    return None


def field_type(schema: Any, depth: int = 0) -> TypeRef:
    """The type of a property, as its definition says (references name models)."""
    if not isinstance(schema, dict) or depth > 16:
        return AnyType()
    inner, nullable = nullable_parts(schema)
    result = _plain(inner, depth)
    return NullableType(inner=result) if nullable and not isinstance(result, (AnyType, NullableType)) else result


def _plain(schema: dict[str, Any], depth: int) -> TypeRef:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(_REF):
        return ModelType(name=ClassName(ref[len(_REF):]))
    for key in ("oneOf", "anyOf", "allOf"):
        members = [m for m in schema.get(key) or [] if not _is_null(m)] if isinstance(schema.get(key), list) else []
        if members:
            types = [field_type(m, depth + 1) for m in members]
            return types[0] if len(types) == 1 else UnionType(members=tuple(types))
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        if len(kinds) > 1:
            return UnionType(members=tuple(_plain({**schema, "type": k}, depth) for k in kinds))
        kind = kinds[0] if kinds else None
    if kind is None and "const" in schema:
        return LiteralType(values=(_text(schema["const"]),))
    if kind == "array" or (kind is None and "items" in schema):
        return ArrayType(item=field_type(schema.get("items"), depth + 1))
    if kind == "object" or (kind is None and "additionalProperties" in schema):
        extra = schema.get("additionalProperties")
        return MapType(value=field_type(extra, depth + 1) if isinstance(extra, dict) and extra else AnyType())
    if kind == "string" and schema.get("format") == "binary":
        return BinaryType()
    if isinstance(kind, str) and kind in _PRIMITIVES:
        fmt = schema.get("format")
        return PrimitiveType(kind=_PRIMITIVES[kind], format=fmt if isinstance(fmt, str) else "")
    return AnyType()


def _is_null(member: Any) -> bool:
    return isinstance(member, dict) and (member.get("type") == "null" or member.get("enum") == [None])


def enum_shape(definition: Any) -> EnumShape | None:
    """Str or int values make an open enum (by `type`, else by the values themselves: a `type: number`
    enum of whole numbers too); floats or mixed values a closed one."""
    values = definition.get("enum") if isinstance(definition, dict) else None
    if not isinstance(values, list):
        return None
    kind = definition.get("type")
    if kind == "integer":
        open_as: Primitive | None = Primitive.INT
    elif kind == "string":
        open_as = Primitive.STR
    elif values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        open_as = Primitive.INT
    elif all(isinstance(v, str) for v in values):
        open_as = Primitive.STR
    else:
        open_as = None
    return EnumShape(values=tuple(_text(v) for v in values), kind=open_as)


def discriminator(definition: Any) -> Discriminator | None:
    item = definition.get("discriminator") if isinstance(definition, dict) else None
    if not isinstance(item, dict) or not isinstance(item.get("propertyName"), str):
        return None
    mapping: dict[str, Any] = item["mapping"] if isinstance(item.get("mapping"), dict) else {}
    return Discriminator(property=item["propertyName"], mapping=tuple(
        (str(tag), ClassName(ref[len(_REF):])) for tag, ref in mapping.items()
        if isinstance(ref, str) and ref.startswith(_REF)))


def tag_members(models: dict[ClassName, Model]) -> None:
    """Each member of a discriminated union has its tag property as a field of its own, typed as the
    tags that name it (the union dispatches on it), even where a model it extends declares it. A
    member the mapping leaves out is tagged by the values its own enum allows."""
    tags: dict[tuple[ClassName, str], list[str]] = {}
    for model in list(models.values()):
        if model.discriminator is None:
            continue
        wire = model.discriminator.property
        for tag, member in model.discriminator.mapping:
            tags.setdefault((member, wire), []).append(tag)
        for member in model.members:
            if (member, wire) not in tags:
                tags[(member, wire)] = _own_values(models, member, wire)
    for (member, wire), values in tags.items():
        found_model = models.get(member)
        if found_model is None or found_model.enum is not None or not values:
            continue
        model = found_model
        literal = LiteralType(values=tuple(_text(v) for v in dict.fromkeys(values)))
        fields = list(model.fields)
        index = next((i for i, f in enumerate(fields) if f.wire_name == wire), None)
        if index is not None:
            fields[index] = replace(fields[index], type=literal)
        else:
            found = _inherited(model, wire, models, depth=0)
            fields.append(ModelField(
                name=names.model_field(wire, (f.name for f in fields)), wire_name=wire,
                required=found.required if found else False, type=literal))
        models[member] = replace(model, fields=tuple(fields))


def _own_values(models: Mapping[ClassName, Model], member: ClassName, wire: str) -> list[str]:
    model = models.get(member)
    field = next((f for f in model.fields if f.wire_name == wire), None) if model is not None else None
    kind = field.type.inner if field is not None and isinstance(field.type, NullableType) else field.type if field else None
    if isinstance(kind, LiteralType):
        return [str(json.loads(v)) for v in kind.values]
    enum = models[kind.name].enum if isinstance(kind, ModelType) and kind.name in models else None
    return [v for v in (json.loads(t) for t in enum.values) if isinstance(v, str)] if enum is not None else []


def unshadowed(fields: tuple[ModelField, ...]) -> tuple[ModelField, ...]:
    """The fields renamed where a name is a model the class's annotations name: `Info: Info` would
    make the annotation read the field (the model generator writes `Info_1`, aliased `Info`)."""
    referenced = {n for f in fields for n in _models_in(f.type)}
    if not any(f.name in referenced for f in fields):
        return fields
    named: list[ModelField] = []
    for f in fields:
        name = names.model_field(f.wire_name, {*(g.name for g in named), *referenced})
        named.append(replace(f, name=name))
    return tuple(named)


def _models_in(t: TypeRef) -> set[str]:
    if isinstance(t, ModelType):
        return {t.name}
    if isinstance(t, NullableType):
        return _models_in(t.inner)
    if isinstance(t, ArrayType):
        return _models_in(t.item)
    if isinstance(t, MapType):
        return _models_in(t.value)
    if isinstance(t, UnionType):
        return {n for m in t.members for n in _models_in(m)}
    return set()


_RESTATING = frozenset({"allOf", "description", "type"})


def enum_of_bases(model: Model, models: Mapping[ClassName, Model]) -> Model:
    """A model that only restates an enum (`allOf: [$ref: Enum, {description: ...}]`) is that enum
    again: it is given the enum's definition (with its own description), so it is written as one."""
    definition = json.loads(model.schema)
    base = models.get(model.bases[0]) if model.enum is None and not model.fields and len(model.bases) == 1 else None
    parts = definition.get("allOf") if isinstance(definition, dict) else None
    if base is None or base.enum is None or not set(definition) <= _RESTATING or not isinstance(parts, list) \
            or not all(isinstance(p, dict) and set(p) <= {"description", "$ref"} for p in parts):
        return model
    restated = {k: v for k, v in json.loads(base.schema).items() if k in ("type", "enum")}  # (not its default)
    if "description" in definition:
        restated["description"] = definition["description"]
    return replace(model, schema=_text(restated), enum=base.enum, bases=())


def inherit_untyped(model: Model, models: Mapping[ClassName, Model]) -> Model:
    """A property a subclass restates without a type (a description only) keeps its base's field:
    type, requiredness and nullability (as the model generator writes it)."""
    if not model.bases or not any(isinstance(f.type, AnyType) for f in model.fields):
        return model
    fields = []
    for f in model.fields:
        found = _inherited(model, f.wire_name, models, depth=0) if isinstance(f.type, AnyType) else None
        fields.append(f if found is None else replace(
            f, type=found.type, required=f.required or found.required, nullable=found.nullable))
    return replace(model, fields=tuple(fields))
