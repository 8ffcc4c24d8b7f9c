"""Values made up for generated tests, judged by openapi-schema-validator (not by our own checker)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openapi_schema_validator as osv
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.ir.samples import Sampler
from generator.load import load
from generator.resolve import resolve

SCHEMAS: dict[str, Any] = {
    # AWS: a scalar given by reference, with a part that only describes it.
    "AnnotatedScalar": {"allOf": [{"$ref": "#/components/schemas/Count"}, {"description": "How many."}]},
    "Count": {"type": "integer", "minimum": 3},
    # APIs.guru: a map that must not be empty.
    "Versions": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"}},
    # Zalando: a rate below an exclusive maximum (3.0's boolean form) and above an exclusive minimum.
    "Rate": {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 1, "exclusiveMaximum": True},
    "Below": {"type": "integer", "maximum": 10, "exclusiveMaximum": True, "minimum": 12},
    # OPTIMADE: a URL that must end in a version; the plain sample URL does not.
    "VersionedUrl": {"type": "string", "format": "uri", "pattern": ".+/v[0-1](\\.[0-9]+)*/?$"},
    # Vonage: members that differ only by properties neither requires.
    "Report": {"oneOf": [{"$ref": "#/components/schemas/Sms"}, {"$ref": "#/components/schemas/Voice"}]},
    "Sms": {"type": "object", "properties": {"product": {"type": "string", "enum": ["SMS"]}},
            "additionalProperties": False},
    "Voice": {"type": "object", "properties": {"product": {"type": "string", "enum": ["VOICE"]}},
              "additionalProperties": False},
    # Spotify: a member whose own enum fixes the tag (not its schema name).
    "Item": {"oneOf": [{"$ref": "#/components/schemas/ArtistObject"}, {"$ref": "#/components/schemas/Show"}],
             "discriminator": {"propertyName": "type"}},
    "ArtistObject": {"type": "object", "required": ["type"],
                     "properties": {"type": {"type": "string", "enum": ["artist"]}}},
    "Show": {"type": "object", "required": ["type", "name"],
             "properties": {"type": {"type": "string", "enum": ["show"]}, "name": {"type": "string"}}},
    # Bitbucket: a schema that extends a discriminating parent carries its tag, unless its own enum forbids.
    "object": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}},
               "discriminator": {"propertyName": "type"}},
    "repository": {"allOf": [{"$ref": "#/components/schemas/object"},
                             {"type": "object", "properties": {"name": {"type": "string"}}}]},
    "selector": {"allOf": [{"$ref": "#/components/schemas/object"},
                           {"type": "object", "properties": {"type": {"type": "string", "enum": ["branches"]}}}]},
    # DigitalOcean: a required name described two allOf levels down.
    "Update": {"allOf": [{"$ref": "#/components/schemas/Project"}], "required": ["environment"]},
    "Project": {"allOf": [{"$ref": "#/components/schemas/ProjectBase"}]},
    "ProjectBase": {"type": "object", "properties": {"environment": {"type": "string", "enum": ["Production"]}}},
    # Plaid: a required field eight objects deep.
    "Deep": {"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/components/schemas/Deep1"}}},
    **{f"Deep{i}": {"type": "object", "required": ["a"], "properties": {"a": {"$ref": f"#/components/schemas/Deep{i + 1}"}}}
       for i in range(1, 8)},
    "Deep8": {"type": "object", "required": ["date"], "properties": {"date": {"type": "string", "format": "date"}}},
    # Vonage SMS: open members that differ only inside the items of an array.
    "SmsOrError": {"oneOf": [{"$ref": "#/components/schemas/Sent"}, {"$ref": "#/components/schemas/Failed"}]},
    "Sent": {"type": "object", "properties": {"messages": {"type": "array", "items": {
        "type": "object", "properties": {"message-id": {"type": "string"}, "status": {"type": "string"}}}}}},
    "Failed": {"type": "object", "properties": {"messages": {"type": "array", "items": {
        "type": "object", "properties": {"error-text": {"type": "string"}, "status": {"type": "string"}}}}}},
    # SendGrid: two allOf parts describe one list with items that contradict each other.
    "Activity": {"type": "object", "required": ["events"], "allOf": [{"$ref": "#/components/schemas/Events"}],
                 "properties": {"events": {"type": "array", "items": {
                     "type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["soft"]}}}}}},
    "Events": {"type": "object", "properties": {"events": {"type": "array", "items": {
        "type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["bounced"]}}}}}},
    # SendGrid: a date-time or "now", written as a format with an enum.
    "SendAt": {"type": "string", "format": "date-time", "enum": ["now"]},
    # Schemas no value fits: Codat's closed page, Vercel's null that is one of five other types (a boolean here: 3.0 has no null type), DigiLocker's
    # oneOf of twins.
    "ClosedPage": {"additionalProperties": False, "allOf": [{"type": "object", "required": ["pageSize"],
                                                             "properties": {"pageSize": {"type": "integer"}}}]},
    "Item2": {"type": "object", "required": ["value"], "properties": {"value": {
        "type": "boolean", "oneOf": [{"type": "string"}, {"type": "number"}, {"type": "object"}]}}},
    "Twins": {"oneOf": [{"$ref": "#/components/schemas/ErrorA"}, {"$ref": "#/components/schemas/ErrorB"}]},
    "ErrorA": {"type": "object", "description": "a", "properties": {"error": {"type": "string"}}},
    "ErrorB": {"type": "object", "description": "b", "properties": {"error": {"type": "string"}}},
}


@pytest.fixture(scope="module")
def sampler(tmp_path_factory: pytest.TempPathFactory) -> tuple[Sampler, Any]:
    spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": SCHEMAS}}
    path = Path(tmp_path_factory.mktemp("samples")) / "spec.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    resolved = resolve(load(path, "spec.yaml"))
    return Sampler(resolved), resolved


def _made(sampler: tuple[Sampler, Any], name: str) -> Any:
    made, resolved = sampler
    cursor = resolved.cursor.child("components").child("schemas").child(name)
    value = made.make(cursor, writing=False)
    schema = {"$ref": f"#/components/schemas/{name}", "components": {"schemas": SCHEMAS}}
    errors = [e.message for e in osv.OAS30ReadValidator(schema).iter_errors(value)]
    assert not errors, f"{name}: {json.dumps(value)} does not fit: {errors}"
    return value


@pytest.mark.parametrize("name", ["AnnotatedScalar", "Versions", "Rate", "VersionedUrl", "Report", "Update", "Deep",
                                  "selector", "SmsOrError", "Activity", "SendAt"])
def test_made_up_values_fit_their_schemas(sampler: tuple[Sampler, Any], name: str) -> None:
    _made(sampler, name)


def test_made_up_values_carry_what_the_schema_names(sampler: tuple[Sampler, Any]) -> None:
    assert _made(sampler, "AnnotatedScalar") == 3
    assert 0 < _made(sampler, "Rate") < 1
    # Read strictly, Spotify's item fits nothing: without a mapping its tag must be "ArtistObject", which
    # its own enum forbids (openapi-schema-validator looks for a schema named "artist"). The value made
    # is the one the member's enum allows, as the real API sends.
    made, resolved = sampler
    item = made.make(resolved.cursor.child("components").child("schemas").child("Item"), writing=False)
    assert item == {"type": "artist"}
    assert _made(sampler, "repository")["type"] == "repository"  # the implicit mapping's tag
    assert _made(sampler, "selector") == {"type": "branches"}
    assert _made(sampler, "Update") == {"environment": "Production"}


def test_bounds_nothing_fits_are_not_pretended(sampler: tuple[Sampler, Any]) -> None:
    made, resolved = sampler
    cursor = resolved.cursor.child("components").child("schemas").child("Below")
    assert made.pick(cursor, [], writing=False).problem.startswith("no value made up for the schema fits it")


_UNSATISFIABLE = ["ClosedPage", "Item2", "Twins"]


@pytest.mark.parametrize("name", _UNSATISFIABLE)
def test_a_schema_that_admits_no_value_is_named_a_contradiction(sampler: tuple[Sampler, Any], name: str) -> None:
    made, resolved = sampler
    cursor = resolved.cursor.child("components").child("schemas").child(name)
    assert made.pick(cursor, [], writing=False).problem.startswith("the spec's schema admits no value (")


# Values built from the names and kinds these schemas use: the claim above is that none of them fits.
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "x", "now"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["pageSize", "value", "error"]), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_JSON)
def test_no_value_fits_a_schema_named_a_contradiction(value: Any) -> None:
    for name in _UNSATISFIABLE:
        schema = {"$ref": f"#/components/schemas/{name}", "components": {"schemas": SCHEMAS}}
        assert not osv.OAS30ReadValidator(schema).is_valid(value), (name, value)
