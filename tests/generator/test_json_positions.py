"""The JSON position scanner finds what the YAML composer finds, on real and hostile documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from generator.json_positions import json_positions
from generator.diagnostics import SpecError
from generator.load import _compose

DOCUMENTS = sorted([*(REPO / "tests" / "robustness" / "hostile").glob("*.json"),
                    *(REPO / "tests" / "generator" / "specs").rglob("*.json")])


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_positions_match_the_yaml_composer(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert json_positions(text) == _compose(text, path.name)[1]


_KEYS = st.text(alphabet=st.sampled_from(["a", "~", "/", "\\", '"', "é", "\u2028", "😀", " ", "\n"]), max_size=4)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | _KEYS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(_JSON, st.sampled_from([None, 0, 2]), st.booleans())
def test_any_document_in_any_layout(value: object, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    found = json_positions(text)
    assert set(found) == set(_pointers(value, ""))
    lines = text.split("\n")
    for pointer, (line, column) in found.items():
        key = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
        at = lines[line - 1][column - 1:]
        assert at[:1] in '"{[-0123456789tfn', (pointer, at[:10])
        if pointer and isinstance(_parent(value, pointer), dict):
            assert json.loads(at[:at.index(":")] if ":" in at else at) == key  # a member sits at its key
    if any(c in text for c in "\u2028\u2029\x85\r"):
        return  # YAML counts these as line breaks; the scanner counts lines as grep and editors do
    try:
        composed = _compose(text, "doc.json")[1]
    except SpecError:
        return  # YAML cannot read every JSON text (escaped surrogate pairs, for one)
    assert found == composed


def _pointers(value: object, pointer: str) -> list[str]:
    found = [pointer]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _pointers(item, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _pointers(item, f"{pointer}/{index}")
    return found


def _parent(value: object, pointer: str) -> object:
    for part in pointer.split("/")[1:-1]:
        part = part.replace("~1", "/").replace("~0", "~")
        value = value[int(part)] if isinstance(value, list) else value[part]  # type: ignore[index]
    return value
