"""Schema keywords: the definition the model generator is given (which schemas are models: schema_kinds.py).

The model generator sees a cleaned copy of each schema: references point at our model names,
inline objects and enums are replaced by references to the models named for them, and keywords that
would make parsing a response brittle (length limits, patterns, strict formats) are dropped. Models
check types; the server checks limits.
"""

from __future__ import annotations

from typing import Any, Protocol

from .. import names
from .. import pointer as jp
from ..resolve import Cursor, ResolvedSpec
from .defaults import default_fits
from .schema_kinds import constraint_only, model_worthy


class Registry(Protocol):
    """What the rewriter asks of the schema registry (schemas.py): which schemas are models, and how
    the models relate."""

    spec: ResolvedSpec

    def reference(self, cursor: Cursor, hint: str) -> str | None: ...

    def extended(self, schema: Cursor) -> bool: ...

    def children(self, cursor: Cursor) -> list[tuple[str, Cursor]]: ...

_DROPPED = frozenset(
    {
        "example", "examples", "externalDocs", "xml", "title", "$id", "$schema", "$anchor", "$dynamicAnchor",
        "$dynamicRef", "$comment", "$defs", "definitions", "readOnly", "writeOnly", "deprecated",
        "maxLength", "minLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "contentEncoding",
        "contentMediaType", "contentSchema", "patternProperties", "dependentSchemas", "dependentRequired",
        "propertyNames", "unevaluatedProperties", "unevaluatedItems", "contains", "minContains", "maxContains",
        "if", "then", "else", "not", "prefixItems",
    }
)
_ONE_WAY = ("readOnly", "writeOnly")
_KEPT_FORMATS = frozenset({"date-time", "date", "uuid"})
_SUBSCHEMA = {"items": "Item", "additionalProperties": "Value"}
_MEMBERS = {"oneOf": "Option", "anyOf": "Option", "allOf": "Part"}


def _null_in_enum(schema: Any) -> bool:
    return isinstance(schema, dict) and isinstance(schema.get("enum"), list) and None in schema["enum"] \
        and any(v is not None for v in schema["enum"])


def _one_way(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("readOnly") is True or schema.get("writeOnly") is True)


def tag_name(spec: ResolvedSpec, schema: Cursor) -> str | None:
    """The property the schema's discriminator reads, if the discriminator can be used: the property is
    a string (Zalando names an array, which no tag can be)."""
    value = schema.value
    item = value.get("discriminator") if isinstance(value, dict) else None
    name = item.get("propertyName") if isinstance(item, dict) else None
    if not isinstance(name, str):
        return None
    declared = spec.deref(schema.child("properties").child(name)).value
    kind = declared.get("type") if isinstance(declared, dict) else None
    return name if kind in (None, "string") or (isinstance(kind, list) and "string" in kind) else None


def rewrite_keywords(cursor: Cursor, registry: Registry, hint: str) -> Any:
    """The definition of the model at `cursor`, as given to the model generator."""
    return _Rewriter(registry).schema(cursor, hint, top=True, seen=frozenset())


class _Rewriter:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def schema(self, cursor: Cursor, hint: str, *, top: bool, seen: frozenset[tuple[str, str]]) -> Any:
        if cursor.ref is not None or (not top and model_worthy(cursor.value)):
            reference = self.registry.reference(cursor, hint)
            if reference is not None:
                if _null_in_enum(self.registry.spec.deref(cursor).value):
                    # The enum class holds the values; null belongs to the field that uses it.
                    return {"anyOf": [{"$ref": reference}, {"type": "null"}]}
                return {"$ref": reference}
            target = self.registry.spec.deref(cursor)
            location = (target.doc.uri, target.pointer)
            if location in seen:
                return {}
            return self.schema(target, hint, top=False, seen=seen | {location})
        value = cursor.value
        if not isinstance(value, dict):
            return value if isinstance(value, bool) else {}
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in _ONE_WAY and item is True and not top:
                out[key] = True  # kept on the field (json_schema_extra): a request leaves readOnly ones out
                continue
            if key.startswith("x-") or key in _DROPPED:
                continue
            out_value = self._keyword(cursor, key, item, hint, seen)
            if out_value is not None:
                out[key] = out_value
        if "type" not in value and any(isinstance(out.get(k), list) for k in ("oneOf", "anyOf")):
            # Without `type`, `items` only constrains the members that are arrays (Slack's `fields`: an
            # object or an array): the members say what the value is.
            out.pop("items", None)
        if top and _null_in_enum(value):
            out["enum"] = [v for v in out["enum"] if v is not None]
            if isinstance(out.get("type"), list):
                kinds = [k for k in out["type"] if k != "null"]
                out["type"] = kinds[0] if len(kinds) == 1 else kinds
        if "prefixItems" in value:
            # A tuple (prefixItems) is typed as a list of its members' types; `items` alone would describe
            # only what follows them (`items: false` would allow no item at all).
            members = [self.schema(m, f"{hint}Item", top=False, seen=seen)
                       for m in cursor.child("prefixItems").elements()]
            rest = out.pop("items", None)
            if isinstance(rest, dict):
                members.append(rest)
            if members and rest is not None:
                out["items"] = {"anyOf": members} if len(members) > 1 else members[0]
        if isinstance(out.get("required"), list):
            # A readOnly property is absent from requests and a writeOnly one from responses; one model
            # serves both, so neither is demanded.
            one_way = {name for name, sub in cursor.child("properties").items()
                       if _one_way(self.registry.spec.deref(sub).value)}
            out["required"] = [r for r in out["required"] if r not in one_way]
            if not out["required"]:
                del out["required"]
        return out

    def _keyword(self, cursor: Cursor, key: str, item: Any, hint: str, seen: frozenset[tuple[str, str]]) -> Any:
        if key == "properties" and isinstance(item, dict):
            return {
                prop: self.schema(cursor.child(key).child(prop), hint + names.class_name(prop), top=False, seen=seen)
                for prop in item
            }
        if key in _SUBSCHEMA and isinstance(item, dict):
            return self.schema(cursor.child(key), hint + _SUBSCHEMA[key], top=False, seen=seen)
        if key in ("anyOf", "oneOf") and isinstance(item, list) and constraint_only(item):
            return None
        if key in _MEMBERS and isinstance(item, list):
            label = _MEMBERS[key]
            return [
                self.schema(member, f"{hint}{label}{i + 1}", top=False, seen=seen)
                for i, member in enumerate(cursor.child(key).elements())
            ]
        if key == "discriminator" and isinstance(item, dict):
            # A parent's own discriminator would make the model generator swap the parent for a union
            # of its children wherever it is used (a tag no child has then fails), and give each child
            # its tag as a Literal (a child met directly with another tag then fails). The parent's
            # model chooses the child itself instead (Model.polymorphic).
            usable = tag_name(self.registry.spec, cursor) is not None
            return None if self.registry.extended(cursor) or not usable else self._discriminator(cursor, item)
        if key == "format":
            return item if item in _KEPT_FORMATS else None
        if key == "required" and isinstance(item, list):
            return [r for r in item if isinstance(r, str)]
        if key == "nullable":  # `nullable: false` is the default, but makes the model generator write `x: str = None`
            return True if item is True else None
        if key == "default":
            return item if default_fits(self.registry.spec, cursor, item) else None
        return item

    def _discriminator(self, schema: Cursor, item: dict[str, Any]) -> dict[str, Any] | None:
        cursor = schema.child("discriminator")
        name = item.get("propertyName")
        if not isinstance(name, str):
            return None
        mapping: dict[str, str] = {}
        for value, raw in item.get("mapping", {}).items() if isinstance(item.get("mapping"), dict) else ():
            if not isinstance(raw, str):
                continue
            if "#" not in raw and "/" not in raw:  # a bare schema name
                raw = f"#/components/schemas/{raw}"
            try:
                reference = self.registry.reference(Cursor(cursor.doc, cursor.pointer, {"$ref": raw}), value)
            except (jp.PointerError, KeyError):
                # A mapping that points nowhere: the model does without the discriminator (a plain union
                # takes the member a value fits), as the checkers read a value with that tag.
                return None
            if reference is not None:
                mapping[value] = reference
        # The implicit mapping: a schema not named in `mapping` is selected by its component name (not
        # by the class name the model generator would otherwise use as the tag).
        for value, member in self._implicit_members(schema):
            if not self._may_be_tagged(member, name, value):
                continue  # its own enum names its tag (Spotify's ArtistObject is "artist")
            reference = self.registry.reference(member, value)
            if reference is not None and reference not in mapping.values() and value not in mapping:
                mapping[value] = reference
        return {"propertyName": name, **({"mapping": mapping} if mapping else {})}

    def _may_be_tagged(self, member: Cursor, prop: str, tag: str) -> bool:
        declared = self.registry.spec.deref(self.registry.spec.deref(member).child("properties").child(prop)).value
        if not isinstance(declared, dict):
            return True
        allowed = [declared["const"]] if "const" in declared else declared.get("enum")
        return not isinstance(allowed, list) or tag in allowed

    def _implicit_members(self, schema: Cursor) -> list[tuple[str, Cursor]]:
        """The component schemas a discriminator chooses between, each with its component name:
        the oneOf/anyOf members that are references, or the components that extend this one (allOf)."""
        members: list[tuple[str, Cursor]] = []
        for key in ("oneOf", "anyOf"):
            for member in schema.child(key).elements():
                ref = member.ref
                if ref is not None and ref.startswith("#/components/schemas/") and ref.count("/") == 3:
                    members.append((jp.unescape(ref.rsplit("/", 1)[1]), member))
        return members or self.registry.children(schema)
