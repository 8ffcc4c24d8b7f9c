"""generator/pointer.py: JSON pointers (RFC 6901) as written in `$ref` fragments."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import pointer as jp

DOCUMENT = {
    "foo": ["bar", "baz"],
    "": 0,
    "a/b": 1,
    "c%d": 2,
    "e^f": 3,
    "g|h": 4,
    "i\\j": 5,
    'k"l': 6,
    " ": 7,
    "m~n": 8,
    "paths": {"/pets/{id}": {"get": {"responses": {"200": "ok"}}}},
}


@pytest.mark.parametrize(("pointer", "expected"), [
    # RFC 6901, section 5 (the '%' case is written percent-encoded, as in a URI fragment)
    ("", DOCUMENT),
    ("/foo", ["bar", "baz"]),
    ("/foo/0", "bar"),
    ("/", 0),
    ("/a~1b", 1),
    ("/c%25d", 2),
    ("/e^f", 3),
    ("/g|h", 4),
    ("/i\\j", 5),
    ('/k"l', 6),
    ("/ ", 7),
    ("/m~0n", 8),
    ("/paths/~1pets~1{id}/get/responses/200", "ok"),
    ("/paths/~1pets~1%7Bid%7D/get", {"responses": {"200": "ok"}}),
])
def test_resolve_rfc6901_examples(pointer: str, expected: object) -> None:
    assert jp.resolve(DOCUMENT, pointer) == expected


@pytest.mark.parametrize("pointer", ["/nope", "/foo/2", "/foo/-", "/foo/x", "/foo/0/deeper", "/paths/~1pets"])
def test_resolve_reports_missing_targets(pointer: str) -> None:
    with pytest.raises(jp.PointerError):
        jp.resolve(DOCUMENT, pointer)


@pytest.mark.parametrize("pointer", ["foo", "#/foo", "components/schemas/X"])
def test_a_pointer_starts_with_a_slash(pointer: str) -> None:
    with pytest.raises(jp.PointerError):
        jp.split(pointer)


@pytest.mark.parametrize("segment", ["\u00b2", "\u0661", "\uff11"])
def test_a_non_ascii_digit_is_not_an_index(segment: str) -> None:
    with pytest.raises(jp.PointerError):
        jp.resolve({"list": ["a", "b"]}, f"/list/{segment}")


def test_escape_order_matters() -> None:
    # '~01' is '~1' escaped, not '/': ~1 is decoded before ~0.
    assert jp.unescape("~01") == "~1"
    assert jp.escape("~1") == "~01"
    assert jp.split("/~01/~10") == ["~1", "/0"]


def test_join_escapes_and_accepts_indexes() -> None:
    assert jp.join("", "paths", "/pets/{id}", "get") == "/paths/~1pets~1{id}/get"
    assert jp.join("/tags", 0, "name") == "/tags/0/name"
    assert jp.join("/x") == "/x"


SEGMENTS = st.lists(st.text().filter(lambda s: "%" not in s), max_size=6)


@given(SEGMENTS)
def test_split_undoes_join(segments: list[str]) -> None:
    # join() writes plain pointers; split() reads fragments, which may be percent-encoded.
    assert jp.split(jp.join("", *segments)) == segments


@given(st.text())
def test_unescape_undoes_escape(segment: str) -> None:
    assert jp.unescape(jp.escape(segment)) == segment
    assert "/" not in jp.escape(segment)


@given(st.dictionaries(st.text().filter(lambda s: "%" not in s), st.integers(), min_size=1))
def test_every_key_is_reachable(mapping: dict[str, int]) -> None:
    for key, value in mapping.items():
        assert jp.resolve({"root": mapping}, jp.join("/root", key)) == value
