"""Check an example value against a schema of the spec, following `$ref`s across files."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

import jsonschema
import jsonschema.exceptions
import jsonschema.validators
import openapi_schema_validator as osv
import referencing
import referencing.jsonschema

from .ecma_pattern import pattern_keyword
from .resolve import Cursor, ResolvedSpec

# A JSON pointer in a URI fragment is percent-decoded when resolved: "%", spaces and the like are encoded.
_POINTER_SAFE = "/~"


def _ecma(cls: Any) -> Any:
    """The validator with `pattern` read as ECMA-262 (JSON Schema's regex dialect) reads it, and a value
    whose tag the discriminator's mapping sends nowhere checked as plain oneOf/anyOf (the models leave
    that mapping entry out too)."""
    keywords: dict[str, Any] = {"pattern": pattern_keyword}
    for key in ("anyOf", "oneOf"):
        if key in cls.VALIDATORS:
            keywords[key] = _lenient_discriminator(key, cls.VALIDATORS[key])
    if "allOf" in cls.VALIDATORS:
        keywords["allOf"] = _plain_all_of
    if "format" in cls.VALIDATORS:
        keywords["format"] = _format_unless_listed(cls.VALIDATORS["format"])
    return jsonschema.validators.extend(cls, keywords)


def _format_unless_listed(keyword: Any) -> Any:
    """A schema that lists its values (enum, const) is typed by that list, not by its format: SendGrid's
    `send_at` is a date-time or "now", written as `format: date-time, enum: [now]`."""
    def check(validator: Any, format: Any, instance: Any, schema: Any) -> Any:
        if "enum" not in schema and "const" not in schema:
            yield from keyword(validator, format, instance, schema)

    return check


def _plain_all_of(validator: Any, members: Any, instance: Any, schema: Any) -> Any:
    """allOf as JSON Schema reads it. openapi-schema-validator reads a discriminator beside allOf as a
    choice too, and recurses forever when the tag names the schema itself (a parent that extends
    another, the OpenAPI Specification's own Pet and Cat)."""
    for member in members:
        yield from validator.descend(instance, member)


def _lenient_discriminator(key: str, keyword: Any) -> Any:
    def check(validator: Any, members: Any, instance: Any, schema: Any) -> Any:
        errors = list(keyword(validator, members, instance, schema))
        if any("could not be resolved" in e.message for e in errors) and _tagged_elsewhere(validator, members,
                                                                                          instance, schema):
            errors = list(validator.descend(instance, {key: members}))
        yield from errors

    return check


def _tagged_elsewhere(validator: Any, members: Any, instance: Any, schema: Any) -> bool:
    """The instance's tag names no schema, yet it is a tag the models know: it is in a mapping that points
    nowhere (the models leave that entry out), or a member that takes the instance refuses its own name
    as the tag, so its own enum names its tag (Spotify's ArtistObject is "artist"). Any other tag must
    still name a schema."""
    discriminator = schema.get("discriminator")
    if not (isinstance(discriminator, dict) and isinstance(instance, dict)):
        return False
    mapping = discriminator.get("mapping")
    prop = discriminator.get("propertyName")
    tag = instance.get(prop)
    if not isinstance(tag, str):
        return False
    if isinstance(mapping, dict) and tag in mapping:
        return True
    for member in members if isinstance(members, list) else []:
        ref = member.get("$ref") if isinstance(member, dict) else None
        if isinstance(ref, str) and validator.evolve(schema=member).is_valid(instance):
            name = unquote(ref.rsplit("/", 1)[-1]).replace("~1", "/").replace("~0", "~")
            if not validator.evolve(schema=member).is_valid({**instance, prop: name}):
                return True
    return False


# The formats the generated clients parse into Python types: an example a client would refuse does not fit.
_FORMATS = jsonschema.FormatChecker(formats=("date", "date-time", "uuid"))

_OAS30 = _ecma(osv.OAS30Validator)  # a parameter: readOnly and writeOnly describe properties, not values
_OAS30_WRITE = _ecma(osv.OAS30WriteValidator)
_OAS30_READ = _ecma(osv.OAS30ReadValidator)
_OAS31 = _ecma(osv.OAS31Validator)


class ExampleChecker:
    def __init__(self, spec: ResolvedSpec, version: str) -> None:
        self._legacy = version.startswith("3.0")
        dialect = referencing.jsonschema.DRAFT4 if self._legacy else referencing.jsonschema.DRAFT202012
        resources = [
            (doc.uri, referencing.Resource.from_contents(doc.data, default_specification=dialect))
            for doc in spec.documents.values()
        ]
        self._registry: referencing.Registry[Any] = referencing.Registry().with_resources(resources)
        self._validators: dict[tuple[str, str, bool | None], Any] = {}

    def problems(self, schema: Cursor, instance: Any, *, writing: bool | None) -> list[str]:
        """Messages for each way `instance` breaks the schema at `schema` (empty when it fits)."""
        key = (schema.doc.uri, schema.pointer, writing)
        validator = self._validators.get(key)
        if validator is None:
            anchor = {"$ref": f"{schema.doc.uri}#{quote(schema.pointer, safe=_POINTER_SAFE)}"}
            if self._legacy:
                cls = _OAS30 if writing is None else _OAS30_WRITE if writing else _OAS30_READ
            else:
                cls = _OAS31
            # One validator per schema: it keeps the references it has resolved.
            validator = self._validators[key] = cls(anchor, registry=self._registry, format_checker=_FORMATS)
        try:
            errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        except Exception as exc:  # noqa: BLE001 - an invalid schema (`type: strin`) breaks the checker in
            # its own ways (UnknownType, TypeError, ...); the validator reports the schema itself.
            return [f"the schema cannot be used to check it ({type(exc).__name__})"]
        return [_describe(e) for e in errors[:5]]


def most_specific(error: jsonschema.exceptions.ValidationError) -> jsonschema.exceptions.ValidationError:
    """For anyOf/oneOf failures, the branch error that got furthest into the value."""
    candidates = [error]
    stack = list(error.context or [])
    while stack:
        candidate = stack.pop()
        candidates.append(candidate)
        stack.extend(candidate.context or [])
    deepest = max(candidates, key=lambda e: len(e.absolute_path))
    return deepest if len(deepest.absolute_path) > len(error.absolute_path) else error


def _describe(error: jsonschema.exceptions.ValidationError) -> str:
    best = most_specific(error)
    where = "/".join(str(p) for p in best.absolute_path)
    message = best.message if len(best.message) <= 160 else best.message[:157] + "..."
    return f"at '/{where}': {message}" if where else message
