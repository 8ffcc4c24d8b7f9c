"""One OpenAPI operation to one IR Operation: parameters, body, responses, pagination."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from .. import names
from ..resolve import Cursor, ResolvedSpec
from ..spec_walk import HEADER_UNSAFE, OperationSite, given_examples, is_json, parameters
from . import extensions as ext
from .bodies import build_body, build_responses, string_or_empty, success_schema
from .mechanics import boolean_text, long_running, request_content_type, response_media_type
from .refusals import error_statuses
from .response_headers import response_headers
from .model import (
    HttpMethod,
    JsonText,
    Operation,
    Pagination,
    PaginationStyle,
    Parameter,
    ParamLocation,
    ParamStyle,
    PythonIdentifier,
    Response,
    TypeRef,
)
from .sample_cache import RememberedPicks
from .samples import Sampler
from .schemas import SchemaRegistry, json_text
from .servers import servers
from .variants import Variant, text as variant_text, variants

_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


class OperationBuilder:
    def __init__(self, spec: ResolvedSpec, registry: SchemaRegistry, problems: ext.Problems,
                 security: dict[str, PythonIdentifier | None]) -> None:
        self.spec = spec
        self.registry = registry
        self.problems = problems
        self.security = security
        self.cursors: dict[str, Cursor] = {}
        self.sampler = Sampler(spec, RememberedPicks(spec))
        self.auth_headers: dict[PythonIdentifier, tuple[str, str]] = {}  # scheme key -> header it writes, form
        # Client parameters become constructor arguments: they must not take a name the constructor has.
        self.constructor_arguments: frozenset[str] = names.RESERVED_CLIENT_ARGUMENTS
        # The document's, read once (so reported once); an operation's own replaces it.
        self.content_type = request_content_type(spec.cursor, problems)
        self.boolean_text = boolean_text(spec.cursor, problems)

    def build(self, site: OperationSite, tag: str) -> tuple[Operation, ...]:
        """The operation's method, or one method per x-careforge-variants entry."""
        found = variants(site.operation, self.problems)
        if found:
            return tuple(self._build(site, tag, variant) for variant in found)
        return (self._build(site, tag, None),)

    def _build(self, site: OperationSite, tag: str, variant: Variant | None) -> Operation:
        op = site.operation
        op_id = op.value.get("operationId")
        op_id = op_id if isinstance(op_id, str) and op_id else f"{site.method}_{site.path}"
        hint = names.class_name(op_id)
        self.cursors[op_id] = op
        params = self._parameters(site, hint)
        own = variant.node if variant is not None else op
        # A variant's inline schemas are named after it: two variants never share a name.
        body_hint = names.class_name(f"{op_id}_{variant.name}") if variant is not None else hint
        raw_body = own.child("requestBody") if "requestBody" in own.value else op.child("requestBody")
        body = build_body(self.spec, self.registry, self.sampler, raw_body, body_hint, {p.name for p in params})
        successes, failures = self._responses(op, variant, hint, body_hint)
        method = HttpMethod(site.method.upper())
        idempotent = ext.flag(op, ext.IDEMPOTENT, self.problems)
        security, security_problem = self._security(op)
        return Operation(
            operation_id=op_id,
            name=variant.name if variant is not None else self._method_name(site, tag),
            method=method,
            path=site.path,
            summary=variant_text(variant, op, "summary"),
            description=variant_text(variant, op, "description"),
            deprecated=op.value.get("deprecated") is True,
            parameters=params,
            body=body,
            responses=successes,
            errors=failures,
            security=security,
            security_problem=security_problem,
            pagination=self._pagination(op, hint),
            idempotent=method.idempotent if idempotent is None else idempotent,
            retry_safe=bool(ext.flag(op, ext.RETRY_SAFE, self.problems)),
            pointer=op.pointer,
            long_running=long_running(op, self.registry, self.problems, hint),
            server=next((s.url for s in (*servers(op), *servers(site.path_item))), ""),
            response_headers=response_headers(self.spec, own.child("responses") if "responses" in own.value
                                              else op.child("responses")),
            content_type=request_content_type(op, self.problems, self.content_type),
            boolean_text=boolean_text(op, self.problems, self.boolean_text),
            variant=variant.name if variant is not None else "",
        )

    def _responses(self, op: Cursor, variant: Variant | None, hint: str,
                   variant_hint: str) -> tuple[tuple[Response, ...], tuple[Response, ...]]:
        """The operation's responses, with those the variant describes in their place."""
        own = variant.node.child("responses") if variant is not None else None
        mine = frozenset(status for status, _ in self.spec.deref(own).items()) if own is not None else frozenset()
        refused = error_statuses(self.spec, op, self.problems)
        declared = response_media_type(op, self.problems)

        def read_as(response: Cursor) -> str:
            return response_media_type(response, self.problems, declared)

        successes, failures = build_responses(self.spec, self.registry, self.sampler, op.child("responses"), hint,
                                              skip=mine, refused=refused, read_as=read_as)
        if own is None or not mine:
            return successes, failures
        more, fewer = build_responses(self.spec, self.registry, self.sampler, own, variant_hint, refused=refused,
                                      read_as=read_as)
        return (tuple(sorted((*successes, *more), key=lambda r: r.status)),
                tuple(sorted((*failures, *fewer), key=lambda r: r.status)))

    def _method_name(self, site: OperationSite, tag: str) -> PythonIdentifier:
        override = ext.text(site.operation, ext.METHOD, self.problems)
        return method_name(site, tag, override)

    def _parameters(self, site: OperationSite, hint: str) -> tuple[Parameter, ...]:
        taken: set[str] = set(names.RESERVED_ARGUMENTS)
        result = []
        for param in parameters(self.spec, site):
            built = self._parameter(param, hint, taken)
            if built is not None:
                result.append(built)
        return tuple(result)

    def _parameter(self, param: Cursor, hint: str, taken: set[str]) -> Parameter | None:
        value = param.value
        wire, where = value.get("name"), value.get("in")
        if not isinstance(wire, str) or where not in {loc.value for loc in ParamLocation}:
            return None
        location = ParamLocation(where)
        if location is ParamLocation.HEADER and wire.lower() in _IGNORED_HEADERS:
            return None
        schema = param.child("schema")
        style = _style(value.get("style"), location)
        if schema.value is None:
            for media_type, media in param.child("content").items():
                schema = media.child("schema")
                if is_json(media_type.lower()):
                    style = ParamStyle.CONTENT
                break
        client = ext.text(param, ext.CLIENT_PARAMETER, self.problems)
        if client and names.identifier(client) in self.constructor_arguments:
            self.problems.error(param.child(ext.CLIENT_PARAMETER), "E-EXTENSION",
                                f"client parameter {client!r} takes the name of a client constructor argument",
                                f"choose another name, for example {names.identifier(client) + '_value'!r}")
            client = None
        name = names.unique(names.identifier(wire, reserved=names.RESERVED_ARGUMENTS), taken)
        required = value.get("required") is True or location is ParamLocation.PATH
        # A required object sends at least one property: an empty one is an empty path segment, or nothing.
        # writing=None: readOnly and writeOnly mark properties of a body, not a parameter's own value.
        example = self.sampler.pick(schema, _examples(self.spec, param), writing=None, filled=required)
        return Parameter(
            wire_name=wire,
            name=PythonIdentifier(name),
            location=location,
            required=required,
            type=self.registry.type_of(schema, f"{hint}{names.class_name(wire)}", input=True),
            style=style,
            explode=value["explode"] if isinstance(value.get("explode"), bool) else style is ParamStyle.FORM,
            description=string_or_empty(value.get("description")),
            client_parameter=names.identifier(client) if client else None,
            example=_sendable(example.example, location),
            example_problem=example.problem,
            deprecated=value.get("deprecated") is True,
            allow_reserved=location is ParamLocation.QUERY and value.get("allowReserved") is True,
        )

    def _security(self, op: Cursor) -> tuple[tuple[tuple[PythonIdentifier, ...], ...], str]:
        """The alternatives the client can send, and why there is none when the spec lists some."""
        source = op.child("security") if "security" in op.value else self.spec.cursor.child("security")
        alternatives = []
        problems: list[str] = []
        for requirement in source.elements():
            if not isinstance(requirement.value, dict):
                continue
            schemes: list[PythonIdentifier] = []
            for scheme in requirement.value:
                if scheme not in self.security:
                    self.problems.error(requirement, "E-SECURITY-UNKNOWN", f"security scheme {scheme!r} is not defined",
                                        "define it under components/securitySchemes or fix the name")
                key = self.security.get(scheme)
                if key is None:
                    problems.append(f"{scheme} is not supported")
                    break
                schemes.append(key)
            else:
                clash = _same_header(schemes, self.auth_headers)
                if clash:
                    problems.append(f"{' and '.join(requirement.value)} cannot be sent together: both need the "
                                    f"{clash} header, which a request has once")
                else:
                    alternatives.append(tuple(schemes))
        return tuple(alternatives), "" if alternatives else "; ".join(problems)

    def _pagination(self, op: Cursor, hint: str) -> Pagination | None:
        node = op.child(ext.PAGINATION)
        if node.value is None:
            return None
        if not isinstance(node.value, dict) or node.value.get("style") not in {s.value for s in PaginationStyle}:
            self.problems.error(node, "E-EXTENSION", f"{ext.PAGINATION} needs 'style: next-link' or 'style: page-number'",
                                "see docs/spec-conventions.md")
            return None
        style = PaginationStyle(node.value["style"])
        items = ext.dotted(node, "items", self.problems, required=True)
        next_path = ext.dotted(node, "next", self.problems, required=style is PaginationStyle.NEXT_LINK)
        page_param = ext.text(node, "page-param", self.problems) or ""
        if style is PaginationStyle.PAGE_NUMBER and not page_param:
            self.problems.error(node, "E-EXTENSION", "page-number pagination needs 'page-param'",
                                "name the query parameter that holds the page number")
        item_type = self._item_type(node, success_schema(self.spec, op.child("responses")), items, hint)
        if item_type is None:
            return None
        return Pagination(style=style, items_path=items, next_path=next_path, page_param=page_param,
                          total_pages_path=ext.dotted(node, "total-pages", self.problems, required=False),
                          item_type=item_type)

    def _item_type(self, node: Cursor, cursor: Cursor | None, items: tuple[str, ...], hint: str) -> TypeRef | None:
        if cursor is None or not items:
            self.problems.error(node, "E-PAGINATION", "a paginated operation needs a JSON success response with a schema",
                                "add a 200 response whose schema holds the item array")
            return None
        for segment in items:
            cursor = self.spec.deref(cursor).child("properties").child(segment)
        array = self.spec.deref(cursor)
        if not isinstance(array.value, dict) or "items" not in array.value:
            self.problems.error(node.child("items"), "E-PAGINATION",
                                f"'{'.'.join(items)}' is not an array in the response schema",
                                "name the property of the success response that holds the items")
            return None
        return self.registry.type_of(array.child("items"), f"{hint}Item", input=False)


def _style(value: Any, location: ParamLocation) -> ParamStyle:
    if isinstance(value, str) and value in {s.value for s in ParamStyle} and value != ParamStyle.CONTENT.value:
        return ParamStyle(value)
    return ParamStyle.FORM if location in (ParamLocation.QUERY, ParamLocation.COOKIE) else ParamStyle.SIMPLE


def _sendable(example: JsonText | None, location: ParamLocation) -> JsonText | None:
    """A header or cookie example as text HTTP can carry (lint warns about the original): "Zürich" -> "Zurich"."""
    if example is None or location not in (ParamLocation.HEADER, ParamLocation.COOKIE):
        return example
    value = json.loads(example)
    cleaned = _ascii_text(value)
    return example if cleaned == value else json_text(cleaned)


def _ascii_text(value: Any) -> Any:
    if isinstance(value, str):
        if not HEADER_UNSAFE.search(value):
            return value
        folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
        return HEADER_UNSAFE.sub("", folded) or "x"
    return [_ascii_text(v) for v in value] if isinstance(value, list) else value


def _same_header(schemes: list[PythonIdentifier], headers: dict[PythonIdentifier, tuple[str, str]]) -> str:
    """A header two schemes of one requirement both write, differently: a request cannot carry both."""
    seen: dict[str, str] = {}
    for key in schemes:
        header, form = headers.get(key, ("", ""))
        if header and seen.get(header.lower(), form) != form:
            return header
        if header:
            seen[header.lower()] = form
    return ""


def _examples(spec: ResolvedSpec, param: Cursor) -> list[Any]:
    """The parameter's own examples; its schema's are the sampler's to weigh."""
    return [value for _, value in given_examples(spec, param)]


def method_name(site: OperationSite, tag: str, override: str | None) -> PythonIdentifier:
    """The method's name: the override, else the operationId in snake case without the tag's prefix."""
    if override:
        return names.identifier(override, fallback="call")
    op_id = site.operation.value.get("operationId")
    if isinstance(op_id, str) and names.snake(op_id):
        name = names.snake(op_id)
        prefix = names.snake(tag) + "_"
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix):]
        return names.identifier(name, fallback="call")
    return names.identifier(f"{site.method} {site.path}", fallback="call")
