"""Our own rules on top of OpenAPI: those OpenAPI implies, and the house style for our specs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .diagnostics import Diagnostic, Severity
from .resolve import Cursor, ResolvedSpec
from .lint_defaults import invalid_defaults
from .lint_xml import xml_objects
from .schema_check import ExampleChecker
from .spec_walk import (
    HEADER_UNSAFE, TEMPLATE_VAR, OperationSite, given_examples, is_json, names_fields, openapi_version, operations,
    parameters,
)


def lint(spec: ResolvedSpec, *, strict: bool) -> list[Diagnostic]:
    style = Severity.ERROR if strict else Severity.WARNING
    checker = ExampleChecker(spec, openapi_version(spec.root.data))
    found: list[Diagnostic] = []
    ids: dict[str, OperationSite] = {}
    declared_tags = _declared_tags(spec)
    for site in operations(spec):
        found.extend(_operation_id(site, ids, style))
        found.extend(_path_parameters(spec, site))
        found.extend(_tags(site, declared_tags, style))
        found.extend(_examples(spec, site, checker, style))
        found.extend(_header_examples(spec, site, style))
        found.extend(_form_fields(spec, site))
        found.extend(xml_objects(spec, site))
    found.extend(invalid_defaults(spec, checker, style))
    found.extend(_url_characters(spec))
    return found


def _header_examples(spec: ResolvedSpec, site: OperationSite, style: Severity) -> Iterator[Diagnostic]:
    """Header and cookie examples HTTP cannot carry: the client refuses such values, so tests use ASCII ones."""
    for param in parameters(spec, site):
        if param.value.get("in") not in ("header", "cookie"):
            continue
        for cursor, value in given_examples(spec, param):
            texts = value if isinstance(value, list) else [value]
            if any(isinstance(t, str) and HEADER_UNSAFE.search(t) for t in texts):
                yield _at(cursor, style, "L-EXAMPLE-HEADER-TEXT",
                          f"{site.label} header example {value!r} is not printable ASCII, which HTTP headers carry",
                          "use an ASCII example; clients refuse other header values, and generated tests send an "
                          "ASCII version of it")


_URL_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _form_fields(spec: ResolvedSpec, site: OperationSite) -> Iterator[Diagnostic]:
    """A form or multipart body is a set of named fields: OpenAPI describes them as an object's properties."""
    body = spec.deref(site.operation.child("requestBody"))
    for media_type, media in spec.deref(body.child("content")).items():
        lowered = media_type.lower()
        if not lowered.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            continue
        if media.child("schema").value is not None and not names_fields(spec, media.child("schema")):
            yield _at(media.child("schema"), Severity.WARNING, "L-FORM-NOT-OBJECT",
                      f"{site.label} request body ({media_type}) has a schema that is not an object, so its "
                      "fields have no names",
                      "describe the fields as properties of an object schema; until then the client takes the "
                      "body as a mapping of field names to values")


def _url_characters(spec: ResolvedSpec) -> Iterator[Diagnostic]:
    """Paths and server URLs with control characters (a tab, a line break): no request URL can hold them."""
    paths = spec.cursor.child("paths")
    sites: list[tuple[Cursor, str, str]] = [(paths.child(key), key, "path") for key, _ in paths.items()]
    for holder in [spec.cursor, *(c for _, c in paths.items()), *(s.operation for s in operations(spec))]:
        for server in holder.child("servers").elements():
            url = server.value.get("url") if isinstance(server.value, dict) else None
            if isinstance(url, str):
                sites.append((server.child("url"), url, "server URL"))
    for cursor, text, kind in sites:
        bad = _URL_CONTROL.search(text)  # other characters are percent-encoded when the URL is built
        if bad:
            code = ord(bad.group())
            yield _at(cursor, Severity.ERROR, "E-URL-CHARACTER",
                      f"{kind} {text!r} holds a control character (U+{code:04X}) that no URL can carry",
                      f"remove it, or write it percent-encoded (%{code:02X})")


def _at(cursor: Cursor, severity: Severity, code: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(severity=severity, code=code, message=message, location=cursor.doc.locate(cursor.pointer), hint=hint)


def _declared_tags(spec: ResolvedSpec) -> set[str]:
    return {str(t.value.get("name")) for t in spec.cursor.child("tags").elements() if isinstance(t.value, dict)}


def _operation_id(site: OperationSite, ids: dict[str, OperationSite], style: Severity) -> Iterator[Diagnostic]:
    op_id = site.operation.value.get("operationId")
    if not isinstance(op_id, str) or not op_id:
        yield _at(site.operation, style, "L-OPID-MISSING", f"{site.label} has no operationId",
                  "add 'operationId: <resource>_<action>'; without one the method name is derived from the path")
        return
    first = ids.setdefault(op_id, site)
    if first is not site:
        yield _at(site.operation.child("operationId"), Severity.ERROR, "E-OPID-DUPLICATE",
                  f"operationId {op_id!r} of {site.label} is already used by {first.label}",
                  "operationIds must be unique; rename one of them")


def _path_parameters(spec: ResolvedSpec, site: OperationSite) -> Iterator[Diagnostic]:
    in_template = TEMPLATE_VAR.findall(site.path)
    declared = {}
    for source in (site.path_item.child("parameters"), site.operation.child("parameters")):
        seen: set[tuple[Any, Any]] = set()
        for raw in source.elements():
            param = spec.deref(raw)
            if not isinstance(param.value, dict):
                continue
            key = (param.value.get("name"), param.value.get("in"))
            if key in seen:
                yield _at(raw, Severity.ERROR, "E-PARAM-DUPLICATE", f"{site.label} declares {key[1]} parameter {key[0]!r} twice",
                          "declare each parameter once per list")
            seen.add(key)
    for param in parameters(spec, site):
        if param.value.get("in") == "path":
            declared[str(param.value.get("name"))] = param
    for name in in_template:
        if name not in declared:
            yield _at(site.operation, Severity.ERROR, "E-PATH-PARAM-UNDECLARED",
                      f"{site.label} has '{{{name}}}' in its path but no path parameter {name!r}",
                      f"add a parameter with 'name: {name}', 'in: path', 'required: true'")
    for name, param in declared.items():
        if name not in in_template:
            yield _at(param, Severity.ERROR, "E-PATH-PARAM-EXTRA",
                      f"{site.label} declares path parameter {name!r}, which its path does not contain",
                      f"put '{{{name}}}' in the path or declare the parameter 'in: query'")


def _tags(site: OperationSite, declared: set[str], style: Severity) -> Iterator[Diagnostic]:
    tags = site.operation.value.get("tags")
    if not isinstance(tags, list) or len(tags) != 1:
        yield _at(site.operation, style, "L-TAG-MISSING", f"{site.label} should have exactly one tag",
                  "the tag names the resource the method belongs to; untagged operations go to 'default'")
    elif str(tags[0]) not in declared:
        yield _at(site.operation.child("tags"), style, "L-TAG-UNDECLARED", f"tag {tags[0]!r} is not declared",
                  "add it under the top-level 'tags' with a description")


def _examples(spec: ResolvedSpec, site: OperationSite, checker: ExampleChecker, style: Severity) -> Iterator[Diagnostic]:
    body = spec.deref(site.operation.child("requestBody"))
    for media_type, media in spec.deref(body.child("content")).items():
        yield from _example(spec, f"{site.label} request body", media_type, media, checker, style, writing=True)
    for status, raw in spec.deref(site.operation.child("responses")).items():
        response = spec.deref(raw)
        for media_type, media in spec.deref(response.child("content")).items():
            label = f"{site.label} response {status}"
            yield from _example(spec, label, media_type, media, checker, style, writing=False)


def _example(spec: ResolvedSpec, label: str, media_type: str, media: Cursor, checker: ExampleChecker,
             style: Severity, *, writing: bool) -> Iterator[Diagnostic]:
    if not is_json(media_type) or not isinstance(media.value, dict):
        return
    values = given_examples(spec, media)
    if not values:
        yield _at(media, style, "L-EXAMPLE-MISSING", f"{label} ({media_type}) has no example",
                  "add an 'example' next to the schema; tests and the mock server use it")
        return
    schema = media.child("schema")
    if schema.value is None:
        return
    for where, value in values:
        for problem in checker.problems(schema, value, writing=writing):
            yield _at(where, style, "L-EXAMPLE-INVALID", f"{label} example does not fit its schema: {problem}",
                      "fix the example or the schema so they agree")



