"""XML shapes (ir/xml_shapes.py) as the runtime's XmlDocument and XmlNode constructions."""

from __future__ import annotations

from ..escape import Code, literal
from ..ir.model import Operation, ResponseKind, XmlDocument, XmlNode


def xml_document_code(document: XmlDocument) -> Code:
    shapes = ", ".join(f"{literal(key)}: {xml_node_code(node)}" for key, node in document.shapes)
    if not shapes:
        return Code(f"XmlDocument({xml_node_code(document.root)})")
    return Code(f"XmlDocument({xml_node_code(document.root)}, {{{shapes}}})")


def xml_node_code(node: XmlNode) -> Code:
    """Only what differs from the runtime's defaults, so the generated module stays readable."""
    parts = [f"kind={literal(node.kind.value)}"]
    for key, value, default in (("name", node.name, ""), ("namespace", node.namespace, ""),
                                ("prefix", node.prefix, ""), ("scalar", node.scalar.value, "string"), ("ref", node.ref, "")):
        if value != default:
            parts.append(f"{key}={literal(value)}")
    if node.attribute:
        parts.append("attribute=True")
    if node.wrapped:
        parts.append("wrapped=True")
    if node.properties:
        members = [f"({literal(key)}, {xml_node_code(child)})" for key, child in node.properties]
        parts.append("properties=(" + ", ".join(members) + ("," if len(members) == 1 else "") + ")")
    if node.items is not None:
        parts.append(f"items={xml_node_code(node.items)}")
    if node.extra is not None:
        parts.append(f"extra={xml_node_code(node.extra)}")
    return Code(f"XmlNode({', '.join(parts)})")


def uses_xml(op: Operation) -> bool:
    """Whether the operation's generated code names the XML shapes or the element type."""
    body = op.body
    return (body is not None and (body.xml is not None or bool(body.xml_parts))) or any(
        r.kind is ResponseKind.XML for r in op.responses)


def untyped_xml(op: Operation) -> bool:
    """A success response that is an XML document without a schema: the method returns its element tree."""
    return any(r.kind is ResponseKind.XML and r.xml is None for r in op.responses)
