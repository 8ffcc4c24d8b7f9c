"""`is_null_schema` against the OpenAPI schema validators: a null schema admits null and nothing else."""

from __future__ import annotations

from typing import Any

import openapi_schema_validator as osv
import pytest

from generator.ir.schema_kinds import is_null_schema, nullable_parts

# Values of every JSON type but null: a schema that admits one of them is not a null schema.
_NOT_NULL = ["", "a", "x", 0, 1, 1.5, True, False, [], [None], {}, {"a": 1}]

_SCHEMAS_31: list[dict[str, Any]] = [
    {"type": "null"}, {"type": ["null"]}, {"enum": [None]}, {"enum": [None, None]}, {"const": None},
    {"type": "null", "description": "nothing"}, {"type": ["null", "string"]}, {"type": "string"},
    {"type": "string", "enum": [None]}, {"type": "string", "const": None}, {"enum": [None, "a"]}, {"enum": []},
    {"const": 0}, {}, {"description": "any"}, {"type": "null", "enum": [None]}, {"type": ["string", "null"], "const": None},
]
_SCHEMAS_30: list[dict[str, Any]] = [
    {"type": "string", "nullable": True, "enum": [None]}, {"type": "string", "nullable": True},
    {"type": "integer", "enum": [None]}, {"nullable": True, "enum": [None]},
]


def _null_alone(validator: Any) -> bool:
    return bool(validator.is_valid(None)) and not any(validator.is_valid(v) for v in _NOT_NULL)


@pytest.mark.parametrize("schema", _SCHEMAS_31, ids=repr)
def test_null_schema_as_json_schema_reads_it(schema: dict[str, Any]) -> None:
    assert is_null_schema(schema) is _null_alone(osv.OAS31Validator(schema))


@pytest.mark.parametrize("schema", _SCHEMAS_30, ids=repr)
def test_null_schema_with_openapi_3_0_nullable(schema: dict[str, Any]) -> None:
    assert is_null_schema(schema) is _null_alone(osv.OAS30Validator(schema))


def test_the_oracle_tells_both_answers_apart() -> None:
    assert [is_null_schema(s) for s in ({"type": "null"}, {"type": "string"})] == [True, False]


def test_a_nullable_union_is_nullable_through_its_null_member() -> None:
    for member in ({"type": "null"}, {"const": None}, {"enum": [None]}):
        assert nullable_parts({"anyOf": [{"type": "string"}, member]})[1]
    assert not nullable_parts({"anyOf": [{"type": "string"}, {"type": "string", "enum": [None]}]})[1]
