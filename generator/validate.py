"""Check a resolved spec: its shape (openapi-spec-validator) and our own rules (lint)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import cache
from . import pointer as jp
from .background import Background, worth_it
from .diagnostics import Diagnostic, Location, Severity, has_errors
from .lint_cache import cached, lint
from .resolve import Cursor, ResolvedSpec, iter_refs
from .schema_sites import schema_objects
from .spec_walk import openapi_version
from .value_choices import choices_message

if TYPE_CHECKING:
    import jsonschema.exceptions

    from .validator_pieces import Plan

# Part of the cache keys: what the validator is asked to check (spec_validator.py) and which of its
# findings count (`_validator_errors`); change it when either changes.
_CONFIGURATION = "defaults-by-lint templates-by-lint"

_VAGUE = "is not valid under any of the given schemas"
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


class Validation:
    """A spec's check under way: the shape checked; the validator's verdict and lint's findings done here
    or still coming from a child."""

    def __init__(self, spec: ResolvedSpec, *, strict: bool, background: bool) -> None:
        self._spec = spec
        self._strict = strict
        self._shape = list(check_shape(spec))
        self._lint: list[Diagnostic] | None = None
        self._known: list[Diagnostic] | None = None
        self._child: Background[list[Diagnostic]] | None = None
        self._linting: Background[list[Diagnostic]] | None = None
        self._entry = ""
        self._pieces: Plan | None = None
        self._unknown: list[str] = []
        if self._shape:
            return
        # A spec the validator passed before (same files, same validator) passes again: skip the slow part.
        tool = cache.version("openapi-spec-validator")
        self._entry = cache.key("validated", (tool, _CONFIGURATION, *spec.texts()))
        if cache.get("validated", self._entry) == "valid":
            self._known = []
        else:
            # Else only the pieces no earlier run passed are checked (the whole when any is reported).
            from .validator_pieces import plan

            self._pieces = plan(spec, (tool, _CONFIGURATION, cache.version("jsonschema"),
                                       cache.version("openapi-schema-validator")))
            self._unknown = self._pieces.unknown() if self._pieces else []
            if self._pieces is not None and not self._unknown:
                self._known = []
        self._lint = cached(spec, strict=strict)
        # Each in a child of its own, beside the build: this process may then never import what they need.
        beside = background and worth_it()
        if beside and self._known is None:
            # A spec not known valid is new or changed in shape: the build checks its examples with the
            # same JSON Schema libraries the validator and lint use. Imported once, here, the children
            # have them by fork.
            from . import schema_check  # noqa: F401
        if beside and self._known is None:
            self._child = Background(lambda: _checked(spec, self._pieces, self._unknown))
        if beside and self._lint is None:
            self._linting = Background(lambda: lint(spec, strict=strict))
        elif self._lint is None:
            self._lint = lint(spec, strict=strict)

    @property
    def failed_early(self) -> bool:
        """Problems known without waiting for the child: nothing after this should run."""
        return bool(self._shape) or (self._lint is not None and has_errors(self._lint))

    def _wait(self) -> list[Diagnostic]:
        """Lint's findings, once the children said what they found; what they did not say is worked out here."""
        if self._linting is not None:
            self._lint = self._linting.result()
            self._linting = None
        if self._child is not None:
            self._known = self._child.result()
            self._child = None
        if self._lint is None:
            self._lint = lint(self._spec, strict=self._strict)
        return self._lint

    def lint_found(self) -> list[Diagnostic]:
        """Lint's findings (errors or warnings by `strict`), waiting for the child if it is still at work."""
        return [] if self._shape else self._wait()

    def verdict(self) -> list[Diagnostic]:
        """Every problem found: validator errors, then lint (errors or warnings by `strict`)."""
        if self._shape:
            return self._shape
        linted = self._wait()
        if self._known is None:
            self._known = _checked(self._spec, self._pieces, self._unknown)
        found = self._known
        if not found:
            cache.put("validated", self._entry, "valid")
            if self._pieces is not None:
                self._pieces.remember()
        return [*found, *linted]


def start(spec: ResolvedSpec, *, strict: bool) -> Validation:
    """Begin checking; the validator runs beside whatever the caller does next."""
    return Validation(spec, strict=strict, background=True)


def finish(validation: Validation) -> list[Diagnostic]:
    """The verdict, waiting for the validator if it is still at work."""
    return validation.verdict()


def validate(spec: ResolvedSpec, *, strict: bool) -> list[Diagnostic]:
    """Every problem found, checked in this process: validator errors, then lint."""
    return Validation(spec, strict=strict, background=False).verdict()


def rehearse(spec: ResolvedSpec) -> None:
    """Run the validator and lint once, uncached, so a long-lived process has built what their first
    run builds (validator classes, compiled schemas); the children it forks then start with it."""
    list(_validator_errors(spec))
    lint(spec, strict=True)


def _root_problem(spec: ResolvedSpec, code: str, message: str, hint: str, pointer: str = "") -> Diagnostic:
    where = spec.root.locate(pointer)
    return Diagnostic(severity=Severity.ERROR, code=code, message=message, location=where, hint=hint)


def check_shape(spec: ResolvedSpec) -> Iterator[Diagnostic]:
    """The document is OpenAPI 3.0 or 3.1 at all (the first thing every command needs)."""
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


def _checked(spec: ResolvedSpec, pieces: Plan | None, unknown: list[str]) -> list[Diagnostic]:
    """The validator's findings: none when the pieces not known valid pass on their own, else the whole's."""
    if pieces is not None and len(unknown) < len(pieces.keys) and _pieces_pass(spec, pieces, unknown):
        return []
    return list(_validator_errors(spec))


def _pieces_pass(spec: ResolvedSpec, pieces: Plan, unknown: list[str]) -> bool:
    from .spec_validator import OWN_CHECKS, gate_for, validator_for
    from .validator_pieces import reduced

    data = reduced(spec.root.data, unknown, pieces)
    validator = gate_for(openapi_version(data), data, spec.root.uri) or \
        validator_for(openapi_version(data), data, spec.root.uri)
    try:
        return not any(not isinstance(error, OWN_CHECKS) and not _ecma_regex(error)
                       for error in validator.iter_errors())
    except Exception:  # noqa: BLE001 - whatever stopped it, the whole document is checked as before
        return False


def _validator_errors(spec: ResolvedSpec) -> Iterator[Diagnostic]:
    # Imported here: a spec found valid before never needs it, and it is slow to import.
    from .spec_validator import OWN_CHECKS, gate_for, validator_for

    version = openapi_version(spec.root.data)
    if _passes(gate_for(version, spec.root.data, spec.root.uri)):
        return
    validator = validator_for(version, spec.root.data, spec.root.uri)
    seen: set[tuple[str, str]] = set()
    found: list[Diagnostic] = []
    try:
        for error in validator.iter_errors():
            if isinstance(error, OWN_CHECKS) or _ecma_regex(error):
                continue
            diagnostic = _from_error(spec, error)
            key = (diagnostic.location.render() + diagnostic.location.pointer, diagnostic.message)
            if key not in seen:
                seen.add(key)
                found.append(diagnostic)
    except Exception as exc:  # the validator can fail on inputs it does not expect
        found.append(_root_problem(spec, "E-VALIDATOR",
                                   f"the OpenAPI validator stopped: {type(exc).__name__}: {exc}"[:300],
                                   "fix the problems reported above and run again"))
    # "not valid under any of the given schemas" says less than another error at the same place.
    said = {d.location.pointer for d in found if not d.message.endswith(_VAGUE)}
    yield from (d for d in found if not (d.message.endswith(_VAGUE) and d.location.pointer in said))


def _passes(gate: Any) -> bool:
    """The fast check found nothing the full one would report (a finding of the lint's own kinds aside)."""
    from .spec_validator import OWN_CHECKS

    if gate is None:
        return False
    try:
        return not any(not isinstance(error, OWN_CHECKS) for error in gate.iter_errors())
    except Exception:  # noqa: BLE001 - whatever stopped it, the full validator runs and reports
        return False


def _ecma_regex(error: jsonschema.exceptions.ValidationError) -> bool:
    """The validator reads `format: regex` with Python's `re`; JSON Schema's dialect is ECMA-262, whose
    `\\p{L}` and kin `re` refuses. A pattern ECMA-262 reads is valid."""
    from .ecma_pattern import compiled
    from .schema_check import most_specific

    best = most_specific(error)
    return best.validator == "format" and best.validator_value == "regex" and isinstance(best.instance, str) \
        and compiled(best.instance) is not None


def _from_error(spec: ResolvedSpec, error: jsonschema.exceptions.ValidationError) -> Diagnostic:
    from .schema_check import most_specific

    best = most_specific(error)
    # Where the most specific error is, if the root document holds it there; else where the error is.
    path, instance = [str(p) for p in best.absolute_path], best.instance
    if not _holds(spec.root.data, jp.join("", *path), instance):
        path, instance = [str(p) for p in error.absolute_path], error.instance
    message = choices_message(error, best) or best.message
    message = message if len(message) <= 200 else message[:197] + "..."
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
