"""Check a resolved spec: its shape (openapi-spec-validator) and our own rules (lint)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import jsonschema.exceptions
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation import exceptions as osv_errors
from openapi_spec_validator.validation import keywords as osv_keywords

from . import cache
from . import lint
from . import pointer as jp
from .diagnostics import Diagnostic, Location, Severity
from .resolve import Cursor, ResolvedSpec, iter_refs
from .schema_check import most_specific
from .schema_sites import schema_objects
from .spec_walk import TEMPLATE_VAR, openapi_version

# Checked by lint, which can say where: the validator's versions carry no position.
_OWN_CHECKS = (
    osv_errors.DuplicateOperationIDError,
    osv_errors.UnresolvableParameterError,
    osv_errors.ExtraParametersError,
    osv_errors.ParameterDuplicateError,
)



class _DefaultsByLint(osv_keywords.KeywordValidator):
    """`default` values are checked by lint (L-DEFAULT-INVALID), which can say where they are."""

    def __call__(self, schema: object, value: object) -> Iterator[jsonschema.exceptions.ValidationError]:
        return iter(())


class _TemplatesByLint(osv_keywords.OperationValidator):
    """Path template variables as lint reads them: the validator's own reading (str.format syntax)
    raises on a name such as `id[0`, which OpenAPI allows; its findings about them are lint's anyway."""

    def _get_path_params_from_url(self, url: str) -> Iterator[str]:
        return iter(TEMPLATE_VAR.findall(url))


class _V30Validator(OpenAPIV30SpecValidator):
    keyword_validators = {**OpenAPIV30SpecValidator.keyword_validators, "default": _DefaultsByLint,
                          "operation": _TemplatesByLint}


class _V31Validator(OpenAPIV31SpecValidator):
    keyword_validators = {**OpenAPIV31SpecValidator.keyword_validators, "default": _DefaultsByLint,
                          "operation": _TemplatesByLint}


# Part of the cache key: what the validator is asked to check.
_CONFIGURATION = "defaults-by-lint templates-by-lint"

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
    entry = cache.key("validated", (cache.version("openapi-spec-validator"), _CONFIGURATION, *texts))
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
    cls = _V30Validator if openapi_version(spec.root.data).startswith("3.0") else _V31Validator
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
    # Where the most specific error is, if the root document holds it there; else where the error is.
    path, instance = [str(p) for p in best.absolute_path], best.instance
    if not _holds(spec.root.data, jp.join("", *path), instance):
        path, instance = [str(p) for p in error.absolute_path], error.instance
    message = best.message if len(best.message) <= 200 else best.message[:197] + "..."
    keyword = str(best.validator) if best.validator else ""
    return Diagnostic(severity=Severity.ERROR, code="E-OPENAPI", message=message,
                      location=_locate(spec, path, instance),
                      hint=_HINTS.get(keyword, "see the OpenAPI specification for this member"))


def _locate(spec: ResolvedSpec, path: list[str], instance: Any) -> Location:
    """The error's path is relative to the root, to a schema reached through a `$ref`, or to a schema."""
    pointer = jp.join("", *path)
    if _holds(spec.root.data, pointer, instance):
        return spec.root.locate(pointer)
    bases = _bases(spec)
    for doc in spec.documents.values():
        for base in bases.get(doc.uri, [""]):
            if _holds(doc.data, base + pointer, instance):
                return doc.locate(base + pointer)
    return spec.root.locate(pointer)


def _holds(data: Any, pointer: str, instance: Any) -> bool:
    try:
        return bool(jp.resolve(data, pointer) == instance)
    except jp.PointerError:
        return False


@functools.lru_cache(maxsize=2)
def _bases(spec: ResolvedSpec) -> dict[str, list[str]]:
    """Per document: where an error path may be relative to: its root, what some `$ref` lands on, and
    each of its schemas (the validator reports a problem inside a schema relative to that schema)."""
    targets: dict[str, set[str]] = {doc.uri: {""} for doc in spec.documents.values()}
    for schema in schema_objects(spec):
        targets[schema.doc.uri].add(schema.pointer)
    for doc in spec.documents.values():
        for cursor in iter_refs(Cursor(doc, "", doc.data)):
            try:
                target = spec.target(cursor)
            except (jp.PointerError, KeyError):
                continue
            targets[target.doc.uri].add(target.pointer)
    return {uri: sorted(pointers) for uri, pointers in targets.items()}
