"""generator/load.py: spec files to data, and JSON pointers to the line and column they came from."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator import load as load_module
from generator.diagnostics import SpecError
from generator.load import load

YAML_SPEC = """\
openapi: 3.1.0
info:
  title: Positions
  version: "1"
tags: [first, second]
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
        -   name: verbose
            in: query
      responses:
        200:
          description: ok
  "/a~b/c":
    get: {operationId: odd}
"""


def load_text(tmp_path: Path, text: str, name: str = "openapi.yaml") -> load_module.Document:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load(path, name)


@pytest.mark.parametrize(("pointer", "line", "column"), [
    ("", 1, 1),
    ("/openapi", 1, 1),
    ("/info/title", 3, 3),
    ("/tags/1", 5, 15),
    ("/paths/~1pets~1{id}", 7, 3),
    ("/paths/~1pets~1{id}/get", 8, 5),
    ("/paths/~1pets~1{id}/get/parameters/0", 10, 11),
    ("/paths/~1pets~1{id}/get/parameters/1/in", 13, 13),
    ("/paths/~1pets~1{id}/get/responses/200/description", 16, 11),
    ("/paths/~1a~0b~1c/get/operationId", 18, 11),
])
def test_yaml_pointer_maps_to_line_and_column(tmp_path: Path, pointer: str, line: int, column: int) -> None:
    where = load_text(tmp_path, YAML_SPEC).locate(pointer)
    assert (where.line, where.column) == (line, column)
    assert where.pointer == pointer and where.file == "openapi.yaml"


def test_a_missing_pointer_is_located_at_its_nearest_parent(tmp_path: Path) -> None:
    doc = load_text(tmp_path, YAML_SPEC)
    where = doc.locate("/paths/~1pets~1{id}/get/requestBody/content")
    assert (where.line, where.column) == (8, 5)
    assert where.pointer == "/paths/~1pets~1{id}/get/requestBody/content"


JSON_SPEC = """\
{
  "openapi": "3.1.0",
  "info": {"title": "Positions", "version": "1"},
  "paths": {
    "/pets": {
      "get": {
        "responses": {"200": {"description": "ok"}}
      }
    }
  }
}
"""


def test_json_positions_are_computed_lazily(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = load_module.json_positions

    def counting(text: str) -> Any:
        calls.append(text[:1])
        return real(text)

    monkeypatch.setattr(load_module, "json_positions", counting)
    monkeypatch.setattr(load_module, "_compose", None)  # a JSON spec is never composed as YAML
    doc = load_text(tmp_path, JSON_SPEC, "openapi.json")
    assert doc.data["paths"]["/pets"]["get"]["responses"]["200"]["description"] == "ok"
    assert calls == [], "a JSON spec should parse without computing positions"
    where = doc.locate("/paths/~1pets/get/responses/200")
    assert (where.line, where.column) == (7, 23)
    assert (doc.locate("/info/version").line, doc.locate("/info/version").column) == (3, 34)
    assert calls == ["{"], "positions are computed once, when first needed"


def test_yaml_12_scalars(tmp_path: Path) -> None:
    doc = load_text(tmp_path, """\
        plain: [yes, no, on, off, y, n, Yes, NO, 2024-01-01, 2024-01-01T10:00:00Z, null, ~, true, False, 1.5, 7]
        200: unquoted status key
        404: {description: x}
        true: a boolean key
        """)
    assert doc.data["plain"] == ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "2024-01-01", "2024-01-01T10:00:00Z",
                                 None, None, True, False, 1.5, 7]
    assert list(doc.data) == ["plain", "200", "404", "true"]
    assert all(isinstance(key, str) for key in doc.data)


@pytest.mark.parametrize(("scalar", "expected"), [
    ("10:30", "10:30"),  # a time of day, not 630 (YAML 1.1 base 60)
    ("1_000", "1_000"),  # YAML 1.1 digit separators
    ("0b101", "0b101"),  # YAML 1.1 binary
    ("010", 10),  # YAML 1.2 has no leading-zero octal
    ("0o17", 15),  # YAML 1.2 octal
    ("1e3", 1000.0),  # YAML 1.2 (and JSON) exponent without a dot
    ("=", "="),  # YAML 1.1 "value" tag
])
def test_yaml_12_numbers(tmp_path: Path, scalar: str, expected: object) -> None:
    doc = load_text(tmp_path, f"value: {scalar}\n")
    assert doc.data["value"] == expected and type(doc.data["value"]) is type(expected)


def test_yaml_anchors_and_merge_keys_are_expanded(tmp_path: Path) -> None:
    doc = load_text(tmp_path, """\
        base: &base {type: string, minLength: 1}
        named:
          <<: *base
          maxLength: 9
        again: *base
        """)
    assert doc.data["named"] == {"type": "string", "minLength": 1, "maxLength": 9}
    assert doc.data["again"] == {"type": "string", "minLength": 1}


@pytest.mark.parametrize(("text", "code", "line", "column"), [
    ("a: 1\na: 2\n", "E-DUPLICATE-KEY", 2, 1),
    ("a: [1, 2\n", "E-YAML-SYNTAX", 2, 1),
    ("a: !!binary aGk=\n", "E-YAML-TAG", 1, 4),
    ("a: &x [*x]\n", "E-YAML-RECURSIVE", 1, None),  # the anchor's or the alias's column
    ("{a: 1}: 2\n", "E-YAML-KEY", 1, 1),
])
def test_yaml_problems_are_located(tmp_path: Path, text: str, code: str, line: int, column: int | None) -> None:
    with pytest.raises(SpecError) as caught:
        load_text(tmp_path, text)
    (problem,) = caught.value.diagnostics
    assert problem.code == code
    assert problem.location.line == line
    assert column is None or problem.location.column == column


def test_json_syntax_error_is_located(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        load_text(tmp_path, '{\n  "a": 1,\n  "b": ]\n}\n', "openapi.json")
    (problem,) = caught.value.diagnostics
    assert problem.code == "E-JSON-SYNTAX"
    assert (problem.location.line, problem.location.column) == (3, 8)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "openapi.yaml"
    path.write_bytes("\ufeffopenapi: 3.1.0\n".encode())
    assert load(path, "openapi.yaml").data == {"openapi": "3.1.0"}
