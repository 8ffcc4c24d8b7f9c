"""generator/model_text.py: hidden characters escaped with values unchanged; protected namespaces cleared."""

from __future__ import annotations

import ast
import re
import warnings

from hypothesis import given
from hypothesis import strategies as st

from generator.model_text import clear_protected_namespaces, escape_hidden_characters

HIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")


def literals(source: str) -> list[object]:
    return [node.value for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Constant)]


@given(st.text(alphabet=st.sampled_from(["a", "\\", "'", '"', "\n", "\r", "\x1b", "\b", "\u2028", "\x85", "é", "\t"]),
               max_size=30))
def test_every_literal_keeps_its_value(text: str) -> None:
    source = "\n".join([
        f"x = {text!r}",
        "class A:",
        f'    """{_doc(text)}"""',
        f"    y: str = {_double(text)}",
        "z = 1  # note \x1b[2K end",
        "",
    ])
    out = escape_hidden_characters(source)
    assert literals(out) == literals(source)
    assert not HIDDEN.search(out)
    assert "\r" not in out


def _doc(text: str) -> str:
    """`text` as a docstring body that keeps its value (quotes and backslashes escaped, newlines raw)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")


def _double(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def test_a_raw_string_is_rewritten_as_a_plain_one() -> None:
    source = "x = r'a\\b\x1bc'\n"
    out = escape_hidden_characters(source)
    assert literals(out) == ["a\\b\x1bc"] and "\x1b" not in out


def test_source_without_hidden_characters_is_returned_as_is() -> None:
    source = "x = 'plain'\n"
    assert escape_hidden_characters(source) is source


MODELS = '''from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Thing(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    model_dump_: str | None = Field(None, alias="model_dump")


class Bare(BaseModel):
    model_validate_x: int | None = None


class Plain(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    name: str | None = None
'''


def test_protected_namespace_fields_import_without_warnings() -> None:
    with warnings.catch_warnings(record=True) as before:
        warnings.simplefilter("always")
        exec(compile(MODELS, "models.py", "exec"), {})
    assert any("protected namespace" in str(w.message) for w in before)
    fixed = clear_protected_namespaces(MODELS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        namespace: dict[str, object] = {}
        exec(compile(fixed, "models.py", "exec"), namespace)
    thing = namespace["Thing"].model_validate({"model_dump": "x", "other": 1})  # type: ignore[attr-defined]
    assert thing.model_dump_ == "x" and thing.model_extra == {"other": 1}
    assert "Plain(BaseModel):\n    model_config = ConfigDict(\n        extra" in fixed  # untouched


def test_models_without_such_fields_are_returned_as_is() -> None:
    source = MODELS.replace("model_dump_", "dump").replace("model_validate_x", "x")
    assert clear_protected_namespaces(source) is source
