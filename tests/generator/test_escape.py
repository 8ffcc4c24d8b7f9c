"""generator/escape.py: the only way spec text reaches generated files, so it must not break out."""

from __future__ import annotations

import ast
import json
import math
import tomllib
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator.escape import doc, dotted, first_line, literal, md, md_code, name, toml, tuple_of
from generator.ir.model import ClassName, JsonText, PythonIdentifier

NASTY = [
    "",
    "plain",
    "'single' and \"double\" quotes",
    "'''",
    "back\\slash",
    "trailing backslash\\",
    "\\",
    "\\'",
    '\\"',
    "line\nbreak",
    "carriage\rreturn\r\n",
    "tab\there",
    "line\u2028separator",
    "paragraph\u2029separator",
    "next\u0085line",
    "nul\x00byte",
    "bell\x07",
    "del\x7f",
    "lone surrogate \ud800",
    "emoji 🦜 and accents éø",
    "\\N{BULLET}",
    "\\u1234",
    "\\x41",
    "{{ jinja }} {% raw %}",
    "'); import os; os.system('x'); ('",
]

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def same(a: Any, b: Any) -> bool:
    """Equality that tells NaN, -0.0, bool and int apart."""
    if isinstance(a, float):
        if math.isnan(a):
            return isinstance(b, float) and math.isnan(b)
        return isinstance(b, float) and a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, (list, tuple)):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


# -- literal --------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", NASTY)
def test_string_literal_round_trips(value: str) -> None:
    code = literal(value)
    assert ast.literal_eval(code) == value
    assert "\n" not in code and "\r" not in code and "\u2028" not in code and "\u2029" not in code


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), -0.0, 1e308, 5e-324, 0.1])
def test_float_literal_round_trips(value: float) -> None:
    assert same(value, eval(literal(value), {"__builtins__": {"float": float}}))


def test_literal_keeps_bools_ints_and_none_apart() -> None:
    assert literal(True) == "True" and literal(1) == "1" and literal(None) == "None"
    assert literal(10**30) == str(10**30)


def test_literal_of_containers() -> None:
    value = {"a": [1, "two", None, {"x\n": False}], "": {}}
    assert ast.literal_eval(literal(value)) == value


def test_literal_refuses_other_types() -> None:
    with pytest.raises(TypeError):
        literal(object())
    with pytest.raises(TypeError):
        literal(b"bytes")


@given(JSON)
def test_literal_round_trips_any_json_value(value: Any) -> None:
    code = literal(value)
    assert "\n" not in code
    assert same(value, eval(code, {"__builtins__": {"float": float}}))


def test_json_literal() -> None:
    assert ast.literal_eval(literal(json.loads('{"k": ["\\u2028", 1.5]}'))) == {"k": ["\u2028", 1.5]}
    from generator.escape import json_literal

    assert ast.literal_eval(json_literal(JsonText('{"a":[1,"\\""]}'))) == {"a": [1, '"']}


# -- names ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["class", "a-b", "1a", "", "a b", "x;y", "café", "a.b"])
def test_name_rejects_unsafe_identifiers(bad: str) -> None:
    with pytest.raises(ValueError):
        name(PythonIdentifier(bad))


def test_name_and_dotted_accept_identifiers() -> None:
    assert name(ClassName("Case")) == "Case"
    assert dotted(PythonIdentifier("v0_5"), PythonIdentifier("cases")) == "v0_5.cases"
    with pytest.raises(ValueError):
        dotted(PythonIdentifier("ok"), PythonIdentifier("import"))


def test_tuple_of_matches_python_tuples() -> None:
    assert ast.literal_eval(tuple_of([])) == ()
    assert ast.literal_eval(tuple_of(["1"])) == (1,)
    assert ast.literal_eval(tuple_of(["1", "'a'"])) == (1, "a")


# -- docstrings -----------------------------------------------------------------------------------

def docstring_value(text: str) -> str:
    """Put doc(text) where the templates put it and return what Python reads back."""
    module = ast.parse('"""' + doc(text) + '"""')
    assert len(module.body) == 1, "the docstring was closed early"
    node = module.body[0]
    assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    assert isinstance(node.value.value, str)
    return node.value.value


def method_with_docstring(text: str) -> None:
    source = f'class C:\n    def f(self) -> None:\n        """{doc(text)}"""\n        return None\n'
    module = ast.parse(source)
    method = module.body[0].body[0]  # type: ignore[attr-defined]
    assert isinstance(method, ast.FunctionDef) and len(method.body) == 2


@pytest.mark.parametrize("text", NASTY + ['ends with "', 'ends with ""', '"""inside"""quotes', 'x""""', '"', '""',
                                          '\\"', '\\""', '"""\\', 'a"""b"""c', '"""" """""'])
def test_doc_never_closes_the_docstring(text: str) -> None:
    read_back = docstring_value(text)
    method_with_docstring(text)
    # What the reader sees is the text, minus control characters and outer whitespace.
    assert "\x00" not in read_back and "\u2028" not in read_back
    if text.isprintable() and text == text.strip():
        assert read_back == text


@pytest.mark.parametrize("text", ['"""', 'He wrote """', '""""""', '\\"""'])
def test_doc_of_text_ending_in_three_quotes(text: str) -> None:
    assert docstring_value(text) == text


@given(st.text().filter(lambda s: not s.rstrip().endswith('"')))
@example("\\")
@example("a\\\n\\")
@example('"""\n"""x')
def test_doc_never_closes_the_docstring_for_any_text(text: str) -> None:
    docstring_value(text)


def test_doc_is_limited_and_first_line_is_one_line() -> None:
    assert len(doc("x" * 5000, limit=100)) <= 100
    assert doc("x" * 5000, limit=100).endswith("...")
    assert first_line("  Summary here.\nMore text.") == "Summary here."
    assert "\n" not in first_line("a\nb\nc")


# -- Markdown and TOML ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", NASTY + ["a | b", "<script>", "`code`", "# heading"])
def test_md_is_one_table_cell(text: str) -> None:
    cell = md(text)
    assert "\n" not in cell and "\r" not in cell and "\u2028" not in cell
    assert "<" not in cell
    # Every pipe is escaped, so the table keeps its columns.
    assert "|" not in cell.replace("\\|", "")


@pytest.mark.parametrize("text", NASTY + ["a`b", "x | y"])
def test_md_code_is_one_code_span(text: str) -> None:
    span = md_code(text)
    assert span == "" or (span.startswith("`") and span.endswith("`") and span.count("`") == 2)
    assert "\n" not in span


@pytest.mark.parametrize("text", NASTY)
def test_toml_string_round_trips(text: str) -> None:
    parsed = tomllib.loads(f"key = {toml(text)}\n")["key"]
    assert parsed == text.replace("\ud800", "\ufffd")


@given(st.text())
def test_toml_string_is_always_valid_toml(text: str) -> None:
    assert isinstance(tomllib.loads(f"key = {toml(text)}\n")["key"], str)


@pytest.mark.parametrize("ending", ['"', '""', 'say "hi"'])
def test_a_docstring_ending_in_a_quote_leaves_no_trailing_space_once_formatted(ending: str) -> None:
    # Black puts a space after a final `"` and, when the closing quotes no longer fit, moves them to a
    # line of their own: the space would be left trailing (ruff W291).
    from generator.format import _run_engine

    for words in range(10, 20):
        text = "Summary.\n\n" + "word " * words + ending
        [(formatted, problem)] = _run_engine([("x.py", f'def f() -> None:\n    """{doc(text)}"""\n')])
        assert not problem and all(line == line.rstrip() for line in formatted.splitlines()), formatted
        assert docstring_value(text) == text


def test_tabs_in_text_become_spaces_so_no_indentation_mixes_them() -> None:
    assert "\t" not in doc("Steps:\n\tone\n\t\ttwo") and doc("a\n\tb") == "a\n    b"
