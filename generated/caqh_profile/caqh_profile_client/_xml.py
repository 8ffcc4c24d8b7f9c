"""XML bodies: written by the OpenAPI XML Object of each schema, read back only through defusedxml.

Reading refuses every document type declaration (so no entity of any kind, internal or external, and no
external DTD is ever fetched), and leaves XInclude elements as plain elements: nothing a document says
makes the client open a file or a connection. Writing uses the standard library's ElementTree, with
namespaces declared in the document itself (never through ElementTree's process-wide prefix registry).
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import Element, ParseError, SubElement

import httpx
import pydantic

from ._encoding import jsonable
from ._failures import decode_body
from ._types import type_adapter
from ._xml_shape import XmlDocument, XmlNode
from .errors import APIResponseValidationError, ConfigurationError

# XML 1.0 (fifth edition) 2.2 Char: what a document may contain at all.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# 2.3 Name, ASCII letters and the usual punctuation (a key of open content becomes an element name).
# An NCName (XML 1.0 fifth edition 2.3, Namespaces in XML 1.0): the local part of a name, or a prefix.
_START = "A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF"
_NAME = re.compile(f"[{_START}][{_START}\\-.0-9\u00B7\u0300-\u036F\u203F-\u2040]*\\Z")
_ANY = XmlNode()


class XmlRefused(ValueError):
    """A document the client will not read: not well-formed, or it declares a DTD or entities."""


_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_xml(data: bytes | str) -> Element:
    """The document's root element, parsed safely: any DOCTYPE (and so any entity or external DTD) is
    refused, as are documents that are not well-formed or whose bytes disagree with their declared
    encoding."""
    # Imported by name: a package whose API never reads XML (and a type checker run on it) needs no defusedxml.
    defused: Any = importlib.import_module("defusedxml.ElementTree")
    refusals: type[Exception] = importlib.import_module("defusedxml.common").DefusedXmlException
    try:
        root: Element = defused.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except refusals as exc:
        raise XmlRefused(f"the XML document was refused ({type(exc).__name__}: {exc})") from None
    except (ParseError, LookupError, UnicodeError) as exc:
        raise XmlRefused(f"the body is not a well-formed XML document ({exc})") from None
    return root


# Writing


def dump_xml(value: Any, document: XmlDocument) -> bytes:
    """`value` (a model or a mapping, by wire names) as a UTF-8 document with an XML declaration."""
    data = jsonable(value, body=True)
    writer = _Writer(document)
    root, scope = writer.start(None, document.root, {"": ""})
    content = document.content(document.root)
    if content.kind == "array":  # a document has one root: an array at the top is always wrapped
        writer.items(root, content, data if isinstance(data, list) else [data], scope, document.root.name)
    else:
        writer.fill(root, document.root, data, scope)
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _serialize(root, out)
    return "".join(out).encode("utf-8")


# Character references for what a reader would otherwise change (XML 1.0 2.11 turns a carriage return
# into a line feed; 3.3.3 turns tabs and line breaks in attribute values into spaces): ElementTree
# escapes neither in text, so the writer is ours.
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;",
                                    "\n": "&#10;", "\t": "&#9;"})


def _serialize(element: Element, out: list[str]) -> None:
    out.append("<" + element.tag)
    for key, value in element.attrib.items():
        out.append(f' {key}="{value.translate(_ATTRIBUTE_ESCAPES)}"')
    if not len(element) and not element.text:
        out.append("/>")
        return
    out.append(">")
    if element.text:
        out.append(element.text.translate(_TEXT_ESCAPES))
    for child in element:
        _serialize(child, out)
    out.append(f"</{element.tag}>")


def _declares_default(node: XmlNode) -> bool:
    return node.name == "xmlns" and not node.namespace and not node.prefix


def _check_name(name: str) -> None:
    # Names that begin with "xml" are reserved, not forbidden (XML 1.0 2.3); "xmlns" declares a namespace.
    if not _NAME.match(name) or name == "xmlns":
        raise ConfigurationError(f"{name!r} cannot be an XML element or attribute name")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        text = json.dumps(value)
    elif isinstance(value, str):
        text = value
    else:
        raise ConfigurationError(f"an XML attribute or text holds a scalar, not a {type(value).__name__}")
    if _NOT_XML_CHAR.search(text):
        raise ConfigurationError(f"{text!r} holds a character XML 1.0 cannot carry")
    return text


class _Writer:
    """`scope`, passed down: the namespace each prefix ("" for the default) is bound to at that point."""

    def __init__(self, document: XmlDocument) -> None:
        self.document = document
        self.generated = 0

    def start(self, parent: Element | None, node: XmlNode, scope: dict[str, str]) -> tuple[Element, dict[str, str]]:
        """A new element for `node`, declaring its namespace there if it is not in scope already."""
        _check_name(node.name)
        own = dict(scope)
        attributes: dict[str, str] = {}
        tag = node.name
        if node.namespace and node.prefix:
            _check_name(node.prefix)
            tag = f"{node.prefix}:{node.name}"
            if own.get(node.prefix) != node.namespace:
                attributes[f"xmlns:{node.prefix}"] = node.namespace
                own[node.prefix] = node.namespace
        elif node.namespace and own.get("") != node.namespace:
            attributes["xmlns"] = node.namespace
            own[""] = node.namespace
        element = Element(tag, attributes) if parent is None else SubElement(parent, tag, attributes)
        return element, own

    def fill(self, element: Element, node: XmlNode, value: Any, scope: dict[str, str]) -> None:
        """Puts `value` inside `element`, which was made for `node`."""
        content = self.document.content(node)
        if isinstance(value, Mapping):
            if content.kind not in ("object", "any"):
                raise ConfigurationError(f"{node.name!r} is not an object in the spec, got a mapping")
            self.members(element, content, value, scope)
        elif isinstance(value, list):  # a list where the schema has no array: each value as the same element
            raise ConfigurationError(f"{node.name!r} is not an array in the spec, got a list")
        elif value is not None:
            element.text = _text(value)

    def members(self, element: Element, content: XmlNode, value: Mapping[str, Any], scope: dict[str, str]) -> None:
        declared = dict(content.properties)
        for key, node in content.properties:  # attributes first: they belong to the start tag
            if node.attribute and value.get(key) is not None and _declares_default(node):
                # The caller names the element's default namespace (a document whose root namespace varies,
                # one per form): its unprefixed children are in it.
                element.set("xmlns", _text(value[key]))
                scope[""] = element.get("xmlns", "")
            elif node.attribute and value.get(key) is not None:
                element.set(self.attribute_name(element, node, scope), _text(value[key]))
        for key, node in content.properties:
            if not node.attribute and value.get(key) is not None:
                self.child(element, node, value[key], scope)
        extra = content.extra or _ANY
        for key, entry in value.items():  # open content: one element per key, in the caller's order
            if key not in declared and entry is not None:
                self.child(element, _renamed(extra, key), entry, scope)

    def child(self, parent: Element, node: XmlNode, value: Any, scope: dict[str, str]) -> None:
        content = self.document.content(node)
        if content.kind == "array" or (content.kind == "any" and isinstance(value, list)):
            if not isinstance(value, list):
                raise ConfigurationError(f"{node.name!r} is an array in the spec, got {type(value).__name__}")
            if node.wrapped:
                wrapper, inner = self.start(parent, node, scope)
                self.items(wrapper, content, value, inner, node.name)
            else:
                self.items(parent, content, value, scope, node.name)
            return
        element, inner = self.start(parent, node, scope)
        self.fill(element, node, value, inner)

    def items(self, parent: Element, array: XmlNode, values: list[Any], scope: dict[str, str], name: str) -> None:
        """Each value as an item element, named by `items` or else as the array is (the OAS examples)."""
        item = array.items or _ANY
        named = _renamed(item, item.name or name)
        for value in values:
            if value is not None:
                self.child(parent, named, value, scope)

    def attribute_name(self, element: Element, node: XmlNode, scope: dict[str, str]) -> str:
        _check_name(node.name)
        if not node.namespace:
            return node.name
        # An attribute without a prefix is in no namespace (Namespaces in XML 1.0, 6.2): one is made up.
        prefix = node.prefix or next((p for p, uri in scope.items() if p and uri == node.namespace), "")
        while not prefix or (prefix in scope and scope[prefix] != node.namespace and not node.prefix):
            self.generated += 1  # a made-up prefix must not rebind one the document already uses
            prefix = f"ns{self.generated}"
        if scope.get(prefix) != node.namespace:
            element.set(f"xmlns:{prefix}", node.namespace)
            scope[prefix] = node.namespace  # `scope` is this element's own: its children see the prefix
        return f"{prefix}:{node.name}"


def _renamed(node: XmlNode, name: str) -> XmlNode:
    if node.name == name:
        return node
    return XmlNode(kind=node.kind, name=name, namespace=node.namespace, prefix=node.prefix, attribute=node.attribute,
                   wrapped=node.wrapped, scalar=node.scalar, properties=node.properties, items=node.items,
                   extra=node.extra, ref=node.ref)


def xml_part(name: str, value: Any, content_type: str, document: XmlDocument | None) -> tuple[str, bytes, str]:
    """A multipart part (httpx's file tuple) carrying `value` as an XML document: a form that submits
    XML sends it as a named file. Without a described shape the root element is the field's name."""
    shape = document or XmlDocument(root=XmlNode(kind="any", name=name))
    return f"{name}.xml", dump_xml(value, shape), content_type


# Reading


def load_xml(data: bytes | str, document: XmlDocument) -> Any:
    """The document as the JSON-shaped value its schema describes (mappings by wire name, lists only
    where the schema has an array, scalars converted by their schema type), ready for validation. Its
    root element must be the one the schema names (another document, an error page say, is refused)."""
    root = parse_xml(data)
    if not _is(root, document.root):
        want = f"{{{document.root.namespace}}}{document.root.name}" if document.root.namespace else document.root.name
        raise XmlRefused(f"the document's root element is {root.tag!r}, not {want!r}")
    return _Reader(document).read(root, document.root, root=True)


def _decoded(response: httpx.Response) -> bytes | str:
    """The body as the parser should read it: RFC 7303 3.2 lets a charset parameter decide the encoding
    when there is no byte order mark (the document's own declaration comes after it)."""
    data = response.content
    charset = response.charset_encoding  # httpx reads the Content-Type's charset parameter
    if not charset or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return data
    try:
        text = data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return data  # a label Python does not know, or bytes that disagree: the parser judges them
    # A declaration naming another encoding would contradict the text now decoded: drop it.
    return _DECLARATION.sub("", text, count=1) if text.lstrip().startswith("<?xml") else text


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _is(element: Element, node: XmlNode) -> bool:
    """Whether `element` is written for `node`: the same local name, and the same namespace when the
    schema names one (an element without one inherits its parent's default namespace)."""
    namespace, local = _local(element.tag)
    return local == node.name and (not node.namespace or namespace == node.namespace)


# The lexical forms of XML Schema's integer and double (XSD 1.1 part 2, 3.4.13 and 3.3.5): ASCII digits only,
# no underscores (Python's int() takes "1_000" and Arabic-Indic digits; a document does not mean them).
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_NUMBER = re.compile(r"([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN)\Z")


class _NotANumber:
    """Text where the schema has a number: kept so validation reports it (pydantic would read "1_000")."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return repr(self.text)


def _scalar(text: str, kind: str) -> Any:
    """Text as its schema type; text that is not one is kept for validation to report."""
    stripped = text.strip()
    if kind == "integer":
        return int(stripped) if _INTEGER.match(stripped) else _NotANumber(text)
    if kind == "number":
        return float(stripped.replace("INF", "inf")) if _NUMBER.match(stripped) else _NotANumber(text)
    if kind == "boolean" and stripped in ("true", "1", "false", "0"):
        return stripped in ("true", "1")
    return text


class _Reader:
    def __init__(self, document: XmlDocument) -> None:
        self.document = document

    def read(self, element: Element, node: XmlNode, *, root: bool = False) -> Any:
        content = self.document.content(node)
        if content.kind == "object":
            return self.members(element, content)
        if content.kind == "array":  # `element` is the wrapper
            item = content.items or _ANY
            named = _renamed(item, item.name or node.name)
            return [self.read(child, named) for child in element if _is(child, named)]
        if content.kind == "scalar":
            if any(isinstance(child.tag, str) for child in element):  # mixed content is not a scalar
                return "".join(element.itertext()) if content.scalar == "string" else element
            return _scalar(element.text or "", content.scalar)
        return _anything(element)

    def members(self, element: Element, content: XmlNode) -> dict[str, Any]:
        found: dict[str, Any] = {}
        used: set[int] = set()
        for key, node in content.properties:
            inner = self.document.content(node)
            if node.attribute:
                name = f"{{{node.namespace}}}{node.name}" if node.namespace else node.name
                value = element.get(name)
                if value is not None:
                    found[key] = _scalar(value, inner.scalar)
                continue
            if inner.kind == "array" and not node.wrapped:
                item = inner.items or _ANY
                named = _renamed(item, item.name or node.name)
                matched = [child for child in element if _is(child, named)]
                if matched:
                    found[key] = [self.read(child, named) for child in matched]
                used.update(id(child) for child in matched)
                continue
            matched = [child for child in element if _is(child, node)]
            used.update(id(child) for child in matched)
            if len(matched) == 1:
                found[key] = self.read(matched[0], node)
            elif matched:  # repeated where the schema has one value: validation reports it
                found[key] = [self.read(child, node) for child in matched]
        if content.extra is not None:
            for child in element:
                if id(child) in used or not isinstance(child.tag, str):
                    continue
                key = _local(child.tag)[1]
                value = self.read(child, _renamed(content.extra, key))
                if key in found:  # open content repeated: every value is kept
                    previous = found[key]
                    found[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
                else:
                    found[key] = value
        return found


def _anything(element: Element) -> Any:
    """An element the schema does not describe: its text, or its attributes and children by local name."""
    children = [child for child in element if isinstance(child.tag, str)]
    if not children and not element.attrib:
        return element.text or ""
    found: dict[str, Any] = {_local(k)[1]: v for k, v in element.attrib.items()}
    for child in children:
        key, value = _local(child.tag)[1], _anything(child)
        if key in found:
            previous = found[key]
            found[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            found[key] = value
    return found


# Responses


def _refused(response: httpx.Response, message: str) -> APIResponseValidationError:
    where = f"{response.request.method} {response.request.url.path}"
    return APIResponseValidationError(f"{where}: {message}", response=response, body=decode_body(response))


def read_response(tp: Any, document: XmlDocument | None, response: httpx.Response) -> Any:
    """A typed XML response (`document` given) parsed into `tp`, or the safe root element when the
    spec gives the body no schema."""
    try:
        if document is None:
            return parse_xml(_decoded(response))
        loaded = load_xml(_decoded(response), document)
    except XmlRefused as exc:
        raise _refused(response, str(exc)) from None
    except RecursionError:  # nesting deeper than the reader follows
        raise _refused(response, "returned an XML body nested too deeply to read") from None
    try:
        return type_adapter(tp).validate_python(loaded)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0] if exc.error_count() else {"loc": (), "msg": "invalid"}
        at = ".".join(str(p) for p in first["loc"]) or "body"
        raise _refused(response, f"returned an XML body that does not match the spec ({exc.error_count()} "
                                 f"problem(s); first at {at}: {first['msg']})") from None
