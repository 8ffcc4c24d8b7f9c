"""Schemas: which become named models, what type each use site has, and the model definitions.

Every schema that becomes a class (objects with properties, enums, compositions) gets its name here,
once: components keep their own names, inline schemas are named after where they sit. The model
generator then only ever sees named definitions that refer to each other by those names.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from .. import names
from .. import pointer as jp
from ..resolve import Cursor, ResolvedSpec
from .model import (
    AnyType,
    ArrayType,
    BinaryType,
    ClassName,
    JsonText,
    LiteralType,
    MapType,
    Model,
    ModelType,
    NullableType,
    Polymorphism,
    Primitive,
    PrimitiveType,
    TypeRef,
    UnionType,
)
from .model_shapes import (
    discriminator,
    enum_of_bases,
    enum_shape,
    fields_and_bases,
    inherit_required,
    inherit_untyped,
    members,
    tag_members,
    unshadowed,
)
from .schema_kinds import is_null_schema, model_worthy, nullable_parts
from .schema_text import rewrite_keywords, tag_name

Location = tuple[str, str]
_PRIMITIVES = {"string": Primitive.STR, "integer": Primitive.INT, "number": Primitive.FLOAT, "boolean": Primitive.BOOL}


def json_text(value: Any) -> JsonText:
    return JsonText(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


class SchemaRegistry:
    def __init__(self, spec: ResolvedSpec) -> None:
        self.spec = spec
        self._taken: set[str] = set()
        self._names: dict[Location, ClassName] = {}
        self._queue: list[tuple[ClassName, Cursor]] = []
        self._models: dict[ClassName, Model] = {}
        self._children: dict[Location, list[tuple[str, Cursor]]] = {}
        self._polymorphs: dict[Location, Polymorphism] = {}
        for key, schema in spec.cursor.child("components").child("schemas").items():
            for part in schema.child("allOf").elements():
                if part.ref is not None:
                    parent = spec.deref(part)
                    self._children.setdefault((parent.doc.uri, parent.pointer), []).append((key, schema))
            # A component that is only a scalar, an array, a map or a $ref is used inline: `str`, not
            # a `RootModel[str]` wrapper the caller would have to build.
            if model_worthy(schema.value):
                self._name_for(schema, names.class_name(key))
        for _, schema in spec.cursor.child("components").child("schemas").items():
            self._polymorph_for(schema)

    # -- naming -----------------------------------------------------------------------------
    def _name_for(self, cursor: Cursor, hint: str) -> ClassName:
        location = (cursor.doc.uri, cursor.pointer)
        if location not in self._names:
            name = ClassName(names.unique(names.class_name(hint), self._taken))
            self._names[location] = name
            self._queue.append((name, cursor))
        return self._names[location]

    def _ref_hint(self, ref: str, target: Cursor) -> str:
        segments = jp.split(ref.partition("#")[2] or "")
        return segments[-1] if segments else target.doc.path.stem

    def model_for(self, cursor: Cursor, hint: str) -> ClassName | None:
        """The model name for the schema at `cursor`, following a `$ref`; None if it is no model."""
        hint_from_ref = hint
        while cursor.ref is not None:
            hint_from_ref = self._ref_hint(cursor.ref, self.spec.target(cursor))
            cursor = self.spec.target(cursor)
        location = (cursor.doc.uri, cursor.pointer)
        if location in self._names:
            return self._names[location]
        if model_worthy(cursor.value):
            return self._name_for(cursor, hint_from_ref)
        return None

    def _polymorph_for(self, parent: Cursor) -> None:
        """A discriminator on a schema others extend (allOf): a value of it is the schema its tag names.
        The tag of a child is its key in `mapping`, else its component name (the implicit mapping)."""
        item = parent.value.get("discriminator") if isinstance(parent.value, dict) else None
        children = self._children.get((parent.doc.uri, parent.pointer))
        wire = tag_name(self.spec, parent)
        own = self._names.get((parent.doc.uri, parent.pointer))
        composed = any(isinstance(parent.value.get(k), list) for k in ("oneOf", "anyOf"))
        if not (children and isinstance(item, dict) and wire is not None and own is not None) or composed:
            return  # (a oneOf/anyOf with a discriminator chooses a member itself, whoever extends it)
        tags: dict[str, ClassName] = {}
        mapping: dict[str, Any] = item["mapping"] if isinstance(item.get("mapping"), dict) else {}
        for value, raw in mapping.items():
            if isinstance(raw, str):
                raw = raw if "#" in raw or "/" in raw else f"#/components/schemas/{raw}"
                try:
                    name = self.model_for(Cursor(parent.doc, parent.pointer, {"$ref": raw}), str(value))
                except (jp.PointerError, KeyError):  # a mapping that points nowhere names no class
                    continue
                if name is not None:
                    tags[str(value)] = name
        for key, child in self._descendants(parent):
            name = self._names.get((child.doc.uri, child.pointer))
            if name is not None and name not in tags.values() and key not in tags:
                tags[key] = name
        tags = {tag: name for tag, name in tags.items() if name != own}  # a tag naming the parent: itself
        if tags:
            self._polymorphs[(parent.doc.uri, parent.pointer)] = Polymorphism(
                property=wire, tags=tuple(sorted(tags.items())))

    def _descendants(self, parent: Cursor) -> list[tuple[str, Cursor]]:
        """The components that extend `parent`, directly or through others (Cat extends Pet extends
        Animal: "Cat" is a tag of Animal too), nearest first."""
        found: list[tuple[str, Cursor]] = []
        queue = list(self._children.get((parent.doc.uri, parent.pointer), []))
        seen = {(parent.doc.uri, parent.pointer)}
        while queue:
            key, child = queue.pop(0)
            if (child.doc.uri, child.pointer) in seen:
                continue
            seen.add((child.doc.uri, child.pointer))
            found.append((key, child))
            queue.extend(self._children.get((child.doc.uri, child.pointer), []))
        return found

    def extended(self, schema: Cursor) -> bool:
        """Does the schema at `schema` choose between the schemas that extend it (a polymorphic model)?"""
        return (schema.doc.uri, schema.pointer) in self._polymorphs

    def children(self, cursor: Cursor) -> list[tuple[str, Cursor]]:
        """The components that include the schema at `cursor` in their allOf, by component name."""
        target = self.spec.deref(cursor)
        return self._children.get((target.doc.uri, target.pointer), [])

    # -- use-site types ---------------------------------------------------------------------
    def type_of(self, cursor: Cursor, hint: str, *, input: bool) -> TypeRef:
        """The type of a value described by the schema at `cursor` (a parameter, body, response)."""
        return self._type(cursor, hint, input=input, depth=0)

    def _type(self, cursor: Cursor, hint: str, *, input: bool, depth: int) -> TypeRef:
        if depth > 32:
            return AnyType()
        target = self.spec.deref(cursor)
        schema = target.value
        if not isinstance(schema, dict):
            return AnyType()
        inner, nullable = nullable_parts(schema)
        result = self._plain_type(cursor, target, inner, hint, input=input, depth=depth)
        return NullableType(inner=result) if nullable and not isinstance(result, (AnyType, NullableType)) else result

    def _plain_type(
        self, cursor: Cursor, target: Cursor, schema: dict[str, Any], hint: str, *, input: bool, depth: int
    ) -> TypeRef:
        values = [v for v in schema.get("enum", []) if v is not None] if isinstance(schema.get("enum"), list) else []
        if "const" in schema:
            values = [schema["const"]]
        if values and (input or "const" in schema):
            return LiteralType(values=tuple(json_text(v) for v in values))
        for key in ("oneOf", "anyOf"):
            members = [m for m in target.child(key).elements() if not is_null_schema(self.spec.deref(m).value)]
            if members and not schema.get("properties"):
                types = [self._type(m, f"{hint}Option{i + 1}", input=input, depth=depth + 1) for i, m in enumerate(members)]
                return types[0] if len(types) == 1 else UnionType(members=tuple(_dedupe(types)))
        all_of = list(target.child("allOf").elements())
        if len(all_of) == 1 and not schema.get("properties"):
            return self._type(all_of[0], hint, input=input, depth=depth + 1)
        model = self.model_for(cursor, hint)
        if model is not None:
            return ModelType(name=model)
        return self._structural_type(target, schema, hint, input=input, depth=depth)

    def _structural_type(self, target: Cursor, schema: dict[str, Any], hint: str, *, input: bool, depth: int) -> TypeRef:
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            kind = kinds[0] if len(kinds) == 1 else None
        # `items` or `additionalProperties` say what a schema is only when `type` does not (`type: integer`
        # beside a stray `items` is an integer).
        if kind == "array" or (kind is None and "items" in schema):
            item = self._type(target.child("items"), f"{hint}Item", input=input, depth=depth + 1)
            return ArrayType(item=item)
        if kind == "object" or (kind is None and "additionalProperties" in schema):
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                value = self._type(target.child("additionalProperties"), f"{hint}Value", input=input, depth=depth + 1)
                return MapType(value=value)
            return MapType(value=AnyType())
        if kind == "string" and schema.get("format") == "binary":
            return BinaryType()
        if isinstance(kind, str) and kind in _PRIMITIVES:
            fmt = schema.get("format")
            return PrimitiveType(kind=_PRIMITIVES[kind], format=fmt if isinstance(fmt, str) else "")
        return AnyType()

    # -- definitions for the model generator -----------------------------------------------
    def models(self) -> tuple[Model, ...]:
        """Every model named so far (and those they need), sorted by name."""
        inherited: dict[ClassName, tuple[str, ...]] = {}
        while self._queue:
            name, cursor = self._queue.pop(0)
            definition = rewrite_keywords(cursor, self, str(name))
            fields, bases, inherited[name] = fields_and_bases(self.spec, cursor, definition)
            self._models[name] = Model(name=name, schema=json_text(definition),
                                       polymorphic=self._polymorphs.get((cursor.doc.uri, cursor.pointer)),
                                       fields=fields, bases=bases, members=members(definition),
                                       enum=enum_shape(definition),
                                       discriminator=discriminator(definition))
        for name, wires in inherited.items():
            if wires:
                self._models[name] = inherit_required(self._models[name], wires, self._models)
        tag_members(self._models)
        for name, model in self._models.items():
            model = inherit_untyped(replace(model, fields=unshadowed(model.fields)), self._models)
            self._models[name] = enum_of_bases(model, self._models)
        return tuple(self._models[n] for n in sorted(self._models))

    def reference(self, cursor: Cursor, hint: str) -> str | None:
        """For the rewriter: '#/components/schemas/<Name>' if the schema at `cursor` is a model."""
        name = self.model_for(cursor, hint)
        return None if name is None else f"#/components/schemas/{name}"


def _dedupe(types: list[TypeRef]) -> list[TypeRef]:
    seen: list[TypeRef] = []
    for t in types:
        if t not in seen:
            seen.append(t)
    return seen
