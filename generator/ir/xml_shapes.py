"""The OpenAPI XML Object (3.0.3 4.7.26, 3.1.0 4.8.26) of every schema an XML body reaches, resolved.

Names: an element is named by its XML Object's `name`, else by the property's wire name; a root by its
`name`, else by its component's name (as OpenAPI 3.2 settles it). Array items without a `name` are named
as their array is (the Specification's examples), which the runtime does, so they keep "" here. A
component is described once, under its name, and referred to by it: recursive schemas stay finite.
"""

from __future__ import annotations

from typing import Any

from .. import names
from .. import pointer as jp
from ..resolve import Cursor, ResolvedSpec
from .model import XmlDocument, XmlKind, XmlNode, XmlScalar

_SCALARS = frozenset(scalar.value for scalar in XmlScalar)


def xml_document(spec: ResolvedSpec, schema: Cursor, fallback: str) -> XmlDocument:
    """The shape of a body whose schema is `schema`; `fallback` names an inline root without `xml.name`."""
    shapes = _Shapes(spec)
    root = shapes.node(schema, _component(schema.ref) if schema.ref else fallback)
    return XmlDocument(root=root, shapes=tuple(shapes.named.items()))


def describes_document(spec: ResolvedSpec, schema: Cursor) -> bool:
    """Whether the schema gives the document a structure (an object or array), not just text."""
    return _kind(spec, spec.deref(schema)) in (XmlKind.OBJECT, XmlKind.ARRAY)


def is_scalar(spec: ResolvedSpec, schema: Cursor) -> bool:
    """Whether the schema is a string, number or boolean: the document is handed over as text."""
    return schema.value is not None and _kind(spec, spec.deref(schema)) is XmlKind.SCALAR


def _component(ref: str) -> str:
    return jp.split(ref.partition("#")[2])[-1] if "#" in ref else ref.rsplit("/", 1)[-1]


def _xml(value: Any) -> dict[str, Any]:
    found = value.get("xml") if isinstance(value, dict) else None
    return found if isinstance(found, dict) else {}


def _types(value: dict[str, Any]) -> list[str]:
    declared = value.get("type")
    listed = declared if isinstance(declared, list) else [declared] if isinstance(declared, str) else []
    return [t for t in listed if t != "null"]


def _members(spec: ResolvedSpec, target: Cursor) -> list[Cursor]:
    """The schema and, through allOf, every schema it is made of (an object's properties are theirs too)."""
    found = [target]
    for member in target.child("allOf").elements():
        found.extend(_members(spec, spec.deref(member)))
    return found


def _single(spec: ResolvedSpec, target: Cursor) -> Cursor:
    """Through a oneOf/anyOf of one non-null schema (how nullable is often spelled)."""
    for key in ("oneOf", "anyOf"):
        options = [spec.deref(m) for m in target.child(key).elements()]
        options = [o for o in options if not (isinstance(o.value, dict) and _types(o.value) == [] and
                                               o.value.get("type") == "null")]
        if len(options) == 1:
            return _single(spec, options[0])
    return target


def _kind(spec: ResolvedSpec, target: Cursor) -> XmlKind:
    target = _single(spec, target)
    members = [m.value for m in _members(spec, target) if isinstance(m.value, dict)]
    types = [t for m in members for t in _types(m)]
    if "object" in types or any("properties" in m or "additionalProperties" in m for m in members):
        return XmlKind.OBJECT
    if "array" in types or any("items" in m for m in members):
        return XmlKind.ARRAY
    if any(t in _SCALARS for t in types):
        return XmlKind.SCALAR
    if any("enum" in m or "const" in m for m in members):
        return XmlKind.SCALAR
    return XmlKind.ANY


class _Shapes:
    def __init__(self, spec: ResolvedSpec) -> None:
        self.spec = spec
        self.named: dict[str, XmlNode] = {}
        self.keys: dict[tuple[str, str], str] = {}  # (document, pointer) of a component -> its key

    def node(self, cursor: Cursor, default: str) -> XmlNode:
        """The node where `cursor` is used; `default` names it when no XML Object does."""
        own = _xml(cursor.value)
        if cursor.ref is not None:
            target = self.spec.deref(cursor)
            key = self._key(cursor, target)
            # Beside a $ref (OpenAPI 3.1), the XML Object amends the component's.
            xml = {**_xml(target.value), **own}
            return _described(XmlNode(kind=_kind(self.spec, target), ref=key), xml, default)
        return _described(self._content(cursor, default), own, default)

    def _key(self, cursor: Cursor, target: Cursor) -> str:
        where = (target.doc.display, target.pointer)
        if where in self.keys:
            return self.keys[where]
        base = _component(cursor.ref or "") or "Schema"
        key = names.first_free(base, lambda k: k in self.named or k in self.keys.values())
        self.keys[where] = key
        self.named[key] = XmlNode(kind=XmlKind.ANY)  # in place while its own content is read (recursion)
        self.named[key] = self._content(target, base)
        return key

    def _content(self, cursor: Cursor, name: str) -> XmlNode:
        target = _single(self.spec, self.spec.deref(cursor))
        kind = _kind(self.spec, target)
        if kind is XmlKind.SCALAR:
            types = [t for m in _members(self.spec, target) if isinstance(m.value, dict) for t in _types(m.value)]
            scalar = next((XmlScalar(t) for t in types if t in _SCALARS), XmlScalar.STRING)
            return XmlNode(kind=XmlKind.SCALAR, scalar=scalar)
        if kind is XmlKind.ARRAY:
            items = next((m.child("items") for m in _members(self.spec, target)
                          if isinstance(m.value, dict) and isinstance(m.value.get("items"), dict)), None)
            return XmlNode(kind=XmlKind.ARRAY, items=self.node(items, "") if items is not None else None)
        if kind is XmlKind.ANY:
            return XmlNode(kind=XmlKind.ANY)
        properties: dict[str, XmlNode] = {}
        extra: XmlNode | None = None
        for member in _members(self.spec, target):
            for prop, sub in member.child("properties").items():
                properties[prop] = self.node(sub, prop)
            more = member.child("additionalProperties")
            if more.value is True or (isinstance(more.value, dict) and not more.value):
                extra = XmlNode(kind=XmlKind.ANY)
            elif isinstance(more.value, dict):
                extra = self.node(more, "")
        return XmlNode(kind=XmlKind.OBJECT, properties=tuple(properties.items()), extra=extra)


def _described(node: XmlNode, xml: dict[str, Any], default: str) -> XmlNode:
    """`node` named and placed by its XML Object."""
    def text(key: str) -> str:
        value = xml.get(key)
        return value if isinstance(value, str) else ""

    return XmlNode(kind=node.kind, name=text("name") or default, namespace=text("namespace"), prefix=text("prefix"),
                   attribute=xml.get("attribute") is True, wrapped=xml.get("wrapped") is True, scalar=node.scalar,
                   properties=node.properties, items=node.items, extra=node.extra, ref=node.ref)
