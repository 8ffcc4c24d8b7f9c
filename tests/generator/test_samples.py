"""Values made up for generated tests, judged by openapi-schema-validator (not by our own checker)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openapi_schema_validator as osv
import pytest
import yaml

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
                                  "selector"])
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
