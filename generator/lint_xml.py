"""XML Objects that cannot do what they say (OpenAPI 3.1.0 4.8.26), on the schemas XML bodies reach."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from .diagnostics import Diagnostic, Severity
from .resolve import Cursor, ResolvedSpec
from .spec_walk import OperationSite

_XML_MEDIA = re.compile(r"(application|text)/xml|[^/;\s]+/[^;\s]+\+xml")
# An NCName (XML 1.0 fifth edition 2.3, Namespaces in XML 1.0), as the runtime's writer checks it.
_START = "A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF"
_NAME = re.compile(f"[{_START}][{_START}\\-.0-9\u00B7\u0300-\u036F\u203F-\u2040]*")
_NESTED = ("properties", "patternProperties")
_SINGLE = ("items", "additionalProperties", "not")
_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")


def xml_objects(spec: ResolvedSpec, site: OperationSite) -> Iterator[Diagnostic]:
    """Warnings for the XML Objects of every schema an XML request or response body of `site` reaches."""
    roots = [site.operation.child("requestBody")]
    roots += [raw for _, raw in spec.deref(site.operation.child("responses")).items()]
    seen: set[tuple[str, str]] = set()
    for root in roots:
        for media_type, media in spec.deref(spec.deref(root).child("content")).items():
            if _XML_MEDIA.fullmatch(media_type.split(";")[0].strip().lower()):
                yield from _walk(spec, media.child("schema"), seen)


def _walk(spec: ResolvedSpec, cursor: Cursor, seen: set[tuple[str, str]]) -> Iterator[Diagnostic]:
    if cursor.value is None:
        return
    yield from _check(cursor)  # an XML Object beside a $ref (3.1) is this use's own
    target = spec.deref(cursor)
    key = (target.doc.display, target.pointer)
    if key in seen or not isinstance(target.value, dict):
        return
    seen.add(key)
    if target is not cursor:
        yield from _check(target)
    for field in _NESTED:
        for _, child in target.child(field).items():
            yield from _walk(spec, child, seen)
    for field in _SINGLE:
        if isinstance(target.value.get(field), dict):
            yield from _walk(spec, target.child(field), seen)
    for field in _LISTS:
        for child in target.child(field).elements():
            yield from _walk(spec, child, seen)


def _check(schema: Cursor) -> Iterator[Diagnostic]:
    xml = schema.child("xml")
    value = xml.value
    if not isinstance(value, dict) or not isinstance(schema.value, dict):
        return
    types = schema.value.get("type")
    listed = set(types) if isinstance(types, list) else {types} if isinstance(types, str) else set()
    name, namespace, prefix = value.get("name"), value.get("namespace"), value.get("prefix")
    if isinstance(name, str) and not _NAME.fullmatch(name):
        yield _warn(xml.child("name"), f"xml.name {name!r} is not an XML name", "use letters, digits, '_', '-', '.'")
    if isinstance(namespace, str) and not urlsplit(namespace).scheme:
        yield _warn(xml.child("namespace"), f"xml.namespace {namespace!r} is not an absolute URI",
                    "the Specification requires an absolute URI, e.g. https://example.com/schema")
    if isinstance(prefix, str) and not isinstance(namespace, str):
        yield _warn(xml.child("prefix"), f"xml.prefix {prefix!r} has no namespace to stand for, so it is not written",
                    "add xml.namespace beside it")
    if value.get("wrapped") is True and listed and "array" not in listed:
        yield _warn(xml.child("wrapped"), "xml.wrapped applies to arrays only", "remove it, or make the schema an array")
    if value.get("attribute") is True and listed & {"object", "array"}:
        yield _warn(xml.child("attribute"), "an attribute holds a scalar, not an object or an array",
                    "remove xml.attribute, or make the property a scalar")


def _warn(cursor: Cursor, message: str, hint: str) -> Diagnostic:
    return Diagnostic(severity=Severity.WARNING, code="L-XML-OBJECT", message=message,
                      location=cursor.doc.locate(cursor.pointer), hint=hint)
