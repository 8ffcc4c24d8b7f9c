"""The IR's description of each model agrees with the class the model generator writes for it: every
class's fields, by name and in order, as Python reads the module (the model generator is the oracle)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from generator import models
from generator.ir.build import build
from generator.ir.model import Api, LiteralType, ModelType, NullableType, Primitive, PrimitiveType
from generator.load import load
from generator.resolve import resolve

REPO = Path(__file__).resolve().parents[2]
SPECS = sorted((REPO / "specs").glob("*/openapi.yaml")) + sorted((REPO / "tests/generator/specs").glob("**/*.yaml"))
SPECS = [s for s in SPECS if s.name != "invalid-pattern-type.yaml"]  # refused by the validator, no models

ODD_NAMES = """\
openapi: 3.1.0
info: {title: Odd, version: "1"}
paths: {}
components:
  schemas:
    Odd:
      type: object
      properties:
        from: {type: string}
        model_x: {type: string}
        model_dump: {type: string}
        schema: {type: string}
        a-b: {type: string}
        a_b: {type: string}
        a b: {type: string}
        _p: {type: string}
        __q: {type: string}
        1x: {type: string}
        "#tag": {type: string}
        "": {type: string}
        "#": {type: string}
        café: {type: string}
        "x²": {type: string}
        "ℌ": {type: string}
        "$ref": {type: string}
        class: {type: string}
        match: {type: string}
        field_p: {type: string}
        copy: {type: string}
    Shadow:
      type: object
      properties:
        Base: {$ref: "#/components/schemas/Base"}
        Other: {type: string}
        ref: {$ref: "#/components/schemas/Other"}
    Base:
      type: object
      properties:
        id: {type: string}
        kind: {type: string}
    Child:
      allOf:
        - $ref: "#/components/schemas/Base"
        - type: object
          required: [id, undeclared]
    Other:
      type: object
      properties:
        note: {type: string}
    Either:
      oneOf:
        - $ref: "#/components/schemas/Child"
        - $ref: "#/components/schemas/Other"
      discriminator:
        propertyName: kind
        mapping: {child: "#/components/schemas/Child", other: "#/components/schemas/Other"}
    Record:
      type: object
      required: [id, secret, name, gone]
      properties:
        id: {type: string, readOnly: true}
        secret: {type: string, writeOnly: true}
        name: {type: [string, "null"]}
        count: {type: integer, default: 3}
        gone: {$ref: "#/components/schemas/Gone"}
    Gone: {type: string, readOnly: true, enum: [a, b, null]}
    Level: {type: integer, enum: [1, 2]}
    Mixed: {enum: [a, 1]}
"""


def _api(path: Path) -> Api:
    api, _ = build(resolve(load(path, path.name)), strict=False)
    return api


def _classes(source: str) -> dict[str, list[str]]:
    tree = ast.parse(source)
    return {node.name: [s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
            for node in tree.body if isinstance(node, ast.ClassDef)}


def _assert_fields_agree(api: Api) -> None:
    written = _classes(models.generate_models(api, spec_name="spec", title="Spec"))
    for model in api.models:
        if model.enum is not None:
            continue
        fields = [str(f.name) for f in model.fields]
        if written[model.name] == ["root"]:  # a union or a list; its own properties go to a class per member
            for i in range(len(model.members) if fields else 0):
                assert written[f"{model.name}{i + 1}"] == fields, model.name
        else:
            assert written[model.name] == fields, model.name


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.parent.name + "/" + p.name)
def test_every_class_has_the_fields_the_ir_describes(spec: Path) -> None:
    _assert_fields_agree(_api(spec))


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> Api:
    path = tmp_path_factory.mktemp("odd") / "odd.yaml"
    path.write_text(ODD_NAMES, encoding="utf-8")
    return _api(path)


def test_odd_property_names_are_named_as_the_class_names_them(odd: Api) -> None:
    _assert_fields_agree(odd)
    names = {f.wire_name: f.name for m in odd.models if m.name == "Odd" for f in m.fields}
    assert names["from"] == "from_" and names["schema"] == "schema_" and names["model_x"] == "model_x"
    assert names["a_b"] == "a_b_1" and names["ℌ"] == "H"  # Python reads identifiers NFKC-normalised
    shadow = [f.name for m in odd.models if m.name == "Shadow" for f in m.fields]
    assert shadow == ["Base_1", "Other_1", "ref"]  # a field named like a model its class refers to


def test_fields_say_what_each_direction_needs(odd: Api) -> None:
    record = {f.wire_name: f for m in odd.models if m.name == "Record" for f in m.fields}
    assert record["id"].required and record["id"].read_only and not record["id"].demanded
    assert record["secret"].write_only and not record["secret"].demanded
    assert record["gone"].read_only and record["gone"].type == NullableType(inner=ModelType(name="Gone"))
    assert record["name"].nullable and record["name"].demanded
    assert record["name"].type == NullableType(inner=PrimitiveType(kind=Primitive.STR))
    assert not record["count"].required and json.loads(record["count"].default or "null") == 3


def test_inheritance_tags_and_enums_are_described(odd: Api) -> None:
    by_name = {m.name: m for m in odd.models}
    child = {f.wire_name: f for f in by_name["Child"].fields}
    assert by_name["Child"].bases == ("Base",)
    assert child["id"].required and child["undeclared"].required  # redefined, now required
    assert child["kind"].type == LiteralType(values=('"child"',))  # the union dispatches on it
    either = by_name["Either"]
    assert either.fields == () and either.discriminator is not None
    assert dict(either.discriminator.mapping) == {"child": "Child", "other": "Other"}
    gone, level, mixed = (by_name[n].enum for n in ("Gone", "Level", "Mixed"))
    assert gone is not None and gone.kind is Primitive.STR and gone.open and gone.values == ('"a"', '"b"')
    assert level is not None and level.kind is Primitive.INT
    assert mixed is not None and not mixed.open

