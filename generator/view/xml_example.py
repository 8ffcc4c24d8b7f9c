"""A JSON example written as the XML document its shape describes: what a generated test's mock server
answers an XML operation with. Namespaces are all declared on the root element (any placement is the
same document to a namespace-aware reader)."""

from __future__ import annotations

import json
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from ..ir.model import XmlDocument, XmlKind, XmlNode


def xml_example(document: XmlDocument, value: Any) -> bytes:
    shapes = dict(document.shapes)
    namespaces: dict[str, str] = {}

    def content(node: XmlNode) -> XmlNode:
        return shapes.get(node.ref, node) if node.ref else node

    def tag(node: XmlNode) -> str:
        if node.namespace and node.prefix:
            namespaces[node.prefix] = node.namespace
            return f"{node.prefix}:{node.name}"
        return node.name

    def text(value: Any) -> str:
        return value if isinstance(value, str) else json.dumps(value)

    def put(parent: Element, node: XmlNode, value: Any) -> None:
        inner = content(node)
        if isinstance(value, list):
            holder = SubElement(parent, tag(node)) if node.wrapped else parent
            item = inner.items or XmlNode(kind=XmlKind.ANY)
            for entry in value:
                put(holder, _named(item, item.name or node.name), entry)
            return
        if value is not None:
            fill(SubElement(parent, tag(node)), inner, value)

    def fill(element: Element, inner: XmlNode, value: Any) -> None:
        if not isinstance(value, dict):
            element.text = text(value)
            return
        declared = dict(inner.properties)
        for key, node in inner.properties:
            if key in value and node.attribute:
                element.set(tag(node), text(value[key]))
            elif key in value:
                put(element, node, value[key])
        for key, entry in value.items():
            if key not in declared:
                put(element, _named(inner.extra or XmlNode(kind=XmlKind.ANY), key), entry)

    root = Element(tag(document.root))
    if document.root.namespace and not document.root.prefix:
        root.set("xmlns", document.root.namespace)
    inner = content(document.root)
    if inner.kind is XmlKind.ARRAY and isinstance(value, list):
        item = inner.items or XmlNode(kind=XmlKind.ANY)
        for entry in value:
            put(root, _named(item, item.name or document.root.name), entry)
    else:
        fill(root, inner, value)
    for prefix, uri in sorted(namespaces.items()):
        root.set(f"xmlns:{prefix}", uri)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode("utf-8")


def _named(node: XmlNode, name: str) -> XmlNode:
    return XmlNode(kind=node.kind, name=name, namespace=node.namespace, prefix=node.prefix, attribute=node.attribute,
                   wrapped=node.wrapped, scalar=node.scalar, properties=node.properties, items=node.items,
                   extra=node.extra, ref=node.ref)
