"""Check a resolved spec: its shape (openapi-spec-validator) and our own rules (lint)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema.exceptions
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation import exceptions as osv_errors

from . import cache
from . import lint
from . import pointer as jp
from .diagnostics import Diagnostic, Location, Severity
from .resolve import Cursor, ResolvedSpec, iter_refs
from .schema_check import most_specific
from .spec_walk import openapi_version

# Checked by lint, which can say where: the validator's versions carry no position.
_OWN_CHECKS = (
    osv_errors.DuplicateOperationIDError,
    osv_errors.UnresolvableParameterError,
    osv_errors.ExtraParametersError,
    osv_errors.ParameterDuplicateError,
)

_HINTS = {
    "required": "add the missing member",
    "type": "give the value the type OpenAPI expects here",
    "additionalProperties": "remove the member or fix its spelling; custom members must start with 'x-'",
    "unevaluatedProperties": "remove the member or fix its spelling; custom members must start with 'x-'",
    "enum": "use one of the allowed values",
    "pattern": "fix the value so it matches the expected form",
    "minProperties": "add at least one entry",
    "format": "fix the value so it has the expected format",
}


def validate(spec: ResolvedSpec, *, strict: bool) -> list[Diagnostic]:
    """Every problem found: validator errors, then lint (errors or warnings by `strict`)."""
    shape = list(_check_shape(spec))
    if shape:
        return shape
    # A spec the validator passed before (same files, same validator) passes again: skip the slow part.
    texts = [part for name in sorted(spec.documents) for part in (name, spec.documents[name].text)]
    entry = cache.key("validated", (cache.version("openapi-spec-validator"), *texts))
    found = [] if cache.get("validated", entry) == "valid" else list(_validator_errors(spec))
    if not found:
        cache.put("validated", entry, "valid")
    found.extend(lint.lint(spec, strict=strict))
    return found


def _root_problem(spec: ResolvedSpec, code: str, message: str, hint: str, pointer: str = "") -> Diagnostic:
    where = spec.root.locate(pointer)
    return Diagnostic(severity=Severity.ERROR, code=code, message=message, location=where, hint=hint)


def _check_shape(spec: ResolvedSpec) -> Iterator[Diagnostic]:
    data = spec.root.data
    if not isinstance(data, dict):
        yield _root_problem(spec, "E-NOT-OPENAPI", "the file is not an OpenAPI document (no top-level mapping)",
                            "an OpenAPI document is a mapping that starts with 'openapi: 3.1.0'")
        return
    if "swagger" in data:
        yield _root_problem(spec, "E-SWAGGER2", "this is a Swagger 2.0 document; Careforge reads OpenAPI 3.0 and 3.1",
                            "convert it to OpenAPI 3 first (for example with swagger2openapi)", "/swagger")
        return
    version = openapi_version(data)
    if not version:
        yield _root_problem(spec, "E-NOT-OPENAPI", "the document has no 'openapi' version",
                            "add 'openapi: 3.1.0' (or the 3.0.x version it follows) at the top")
    elif not (version.startswith("3.0.") or version.startswith("3.1.")):
        yield _root_problem(spec, "E-OPENAPI-VERSION", f"OpenAPI version {version!r} is not supported",
                            "Careforge reads OpenAPI 3.0.x and 3.1.x", "/openapi")


def _validator_errors(spec: ResolvedSpec) -> Iterator[Diagnostic]:
    cls = OpenAPIV30SpecValidator if openapi_version(spec.root.data).startswith("3.0") else OpenAPIV31SpecValidator
    validator = cls(spec.root.data, base_uri=spec.root.uri)
    seen: set[tuple[str, str]] = set()
    try:
        for error in validator.iter_errors():
            if isinstance(error, _OWN_CHECKS):
                continue
            diagnostic = _from_error(spec, error)
            key = (diagnostic.location.render() + diagnostic.location.pointer, diagnostic.message)
            if key not in seen:
                seen.add(key)
                yield diagnostic
    except Exception as exc:  # the validator can fail on inputs it does not expect
        yield _root_problem(spec, "E-VALIDATOR", f"the OpenAPI validator stopped: {type(exc).__name__}: {exc}"[:300],
                            "fix the problems reported above and run again")


def _from_error(spec: ResolvedSpec, error: jsonschema.exceptions.ValidationError) -> Diagnostic:
    best = most_specific(error)
    path = [str(p) for p in error.absolute_path]
    message = best.message if len(best.message) <= 200 else best.message[:197] + "..."
    keyword = str(best.validator) if best.validator else ""
    return Diagnostic(severity=Severity.ERROR, code="E-OPENAPI", message=message,
                      location=_locate(spec, path, error.instance),
                      hint=_HINTS.get(keyword, "see the OpenAPI specification for this member"))


def _locate(spec: ResolvedSpec, path: list[str], instance: Any) -> Location:
    """The error's path is relative to the root, or to a schema reached through a `$ref`."""
    pointer = jp.join("", *path)
    if _holds(spec.root.data, pointer, instance):
        return spec.root.locate(pointer)
    for doc in spec.documents.values():
        for base in _ref_targets(spec, doc.uri):
            if _holds(doc.data, base + pointer, instance):
                return doc.locate(base + pointer)
    return spec.root.locate(pointer)


def _holds(data: Any, pointer: str, instance: Any) -> bool:
    try:
        return bool(jp.resolve(data, pointer) == instance)
    except jp.PointerError:
        return False


def _ref_targets(spec: ResolvedSpec, uri: str) -> list[str]:
    """Pointers inside the document `uri` that some `$ref` lands on."""
    targets = {""}
    for doc in spec.documents.values():
        for cursor in iter_refs(Cursor(doc, "", doc.data)):
            try:
                target = spec.target(cursor)
            except (jp.PointerError, KeyError):
                continue
            if target.doc.uri == uri:
                targets.add(target.pointer)
    return sorted(targets)
