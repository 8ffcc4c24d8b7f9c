"""How a body is written as XML: the OpenAPI XML Object of each schema, resolved by the generator.

Plain data, importable without the XML parser, so a package whose API sends no XML needs no extra
dependency (the parser lives in _xml).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias
from xml.etree.ElementTree import Element

# What a method takes or returns for an XML body given as a tree (the resources import it from here).
XmlElement: TypeAlias = Element

_MEDIA = re.compile(r"(application|text)/xml|[^/;\s]+/[^;\s]+\+xml", re.IGNORECASE)


def is_xml_media_type(media_type: str) -> bool:
    """application/xml, text/xml and any +xml suffix (RFC 7303), parameters aside."""
    return bool(_MEDIA.fullmatch(media_type.split(";")[0].strip()))


@dataclass(frozen=True, slots=True)
class XmlNode:
    """One schema as XML. `name` is the element (or attribute) it is written as, already resolved: the
    XML Object's name, else the property's wire name, else (for a root) the component's name. `ref`
    names an entry of the document's `shapes` that holds this node's content (kind, properties, items),
    which is how recursive schemas are described."""

    kind: Literal["object", "array", "scalar", "any"] = "any"
    name: str = ""
    namespace: str = ""
    prefix: str = ""
    attribute: bool = False
    wrapped: bool = False
    scalar: Literal["string", "integer", "number", "boolean"] = "string"
    properties: tuple[tuple[str, XmlNode], ...] = ()  # by wire name, in the schema's order
    items: XmlNode | None = None
    extra: XmlNode | None = None  # additionalProperties: open content, one child element per key
    ref: str = ""


@dataclass(frozen=True, slots=True)
class XmlDocument:
    """A body's root element and the named shapes its nodes refer to."""

    root: XmlNode
    shapes: Mapping[str, XmlNode] = field(default_factory=dict)

    def content(self, node: XmlNode) -> XmlNode:
        return self.shapes.get(node.ref, node) if node.ref else node
