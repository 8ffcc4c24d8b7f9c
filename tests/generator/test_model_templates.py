"""What our templates for the model generator (templates/models) write, judged by Python itself: the
module parses, its values are the spec's, and no character that hides text reaches the source."""

from __future__ import annotations

import ast
import enum
import re
import types
import warnings
from collections.abc import Iterator

import pytest
from conftest import generate, imported

HIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")

SPEC = """\
openapi: 3.1.0
info: {title: Hidden, version: "1"}
servers: [{url: "https://hidden.example.test"}]
tags: [{name: things, description: Things.}]
paths:
  /things:
    get:
      operationId: things_get
      tags: [things]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      description: "Doc \\e[31mred\\e[0m and\\Lnext, C:\\\\path"
      properties:
        note: {type: string, description: "field \\e[2J doc \\L x", default: "d\\e\\Le"}
        model_x: {type: string}
        model_dump: {type: string}
        kind: {$ref: "#/components/schemas/Kind"}
        again: {$ref: "#/components/schemas/Restated"}
    Kind:
      type: string
      description: "Kinds \\e"
      enum: ["p\\Lq", "r\\es", "a'b", "back\\\\sl\\e"]
    Restated:
      allOf: [{$ref: "#/components/schemas/Kind"}, {description: The same kinds.}]
    Level: {type: integer, enum: [1, 2]}
    Mixed: {enum: [a, 1]}
"""


@pytest.fixture(scope="module")
def module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, types.ModuleType]]:
    folder = tmp_path_factory.mktemp("hidden")
    (folder / "hidden.yaml").write_text(SPEC, encoding="utf-8")
    generate("hidden.yaml", folder / "out", cwd=folder)
    source = (folder / "out" / "hidden_client" / "models.py").read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydantic warns of a field in its protected namespace `model_`
        with imported(folder / "out", "hidden_client.models") as built:
            yield source, built


def test_no_hidden_character_reaches_the_source(module: tuple[str, types.ModuleType]) -> None:
    source, _ = module
    assert not HIDDEN.search(source)
    ast.parse(source)


def test_values_keep_their_characters_and_docs_show_them(module: tuple[str, types.ModuleType]) -> None:
    _, built = module
    assert [k.value for k in built.Kind] == ["p\u2028q", "r\x1bs", "a'b", "back\\sl\x1b"]
    assert built.Thing.model_fields["note"].default == "d\x1b\u2028e"
    doc = built.Thing.__doc__ or ""
    assert "\\x1b[31mred" in doc and "\\u2028" in doc and "C:\\path" in doc and not HIDDEN.search(doc)
    assert "\\x1b" in (built.Kind.__doc__ or "")


def test_str_and_int_enums_are_open_and_mixed_ones_closed(module: tuple[str, types.ModuleType]) -> None:
    _, built = module
    assert built.Kind("new").value == "new" and built.Level(7).value == 7
    assert built.Restated("new").value == "new"  # an enum restated under allOf is open too
    assert built.Thing.model_validate({"kind": "other"}).kind.value == "other"
    with pytest.raises(ValueError):
        built.Mixed("b")
    assert issubclass(built.Mixed, enum.Enum)


def test_fields_named_like_pydantic_methods_work(module: tuple[str, types.ModuleType]) -> None:
    _, built = module
    thing = built.Thing.model_validate({"model_x": "x", "model_dump": "d", "other": 1})
    assert thing.model_x == "x" and thing.model_dump_ == "d" and thing.model_extra == {"other": 1}
    assert thing.model_dump(by_alias=True, exclude_none=True)["model_dump"] == "d"


def test_a_property_named_like_a_keyword_has_its_description_cleaned() -> None:
    from generator.models import _escape_docs

    schema = {"properties": {"default": {"type": "string", "description": "Tab\tand space \t", "default": "v \t"},
                             "enum": {"description": "Bell\x07"}}}
    cleaned = _escape_docs(schema)["properties"]
    assert cleaned["default"]["description"] == "Tab and space"
    assert cleaned["default"]["default"] == "v \t"  # a value, kept as it is
    assert "\x07" not in cleaned["enum"]["description"]
