"""Every row of the OpenAPI Specification's style examples, as exact bytes on the wire.

The values are the Specification's own: `color` is "blue", ["blue", "black", "brown"] or
{"R": 100, "G": 200, "B": 150}. Expected bytes are copied from the table of the current Specification
(3.1.1 and later, which corrects 3.1.0's label rows to RFC 6570 and percent-encodes `|`, `[` and `]`);
rows marked CAREFORGE are cases the Specification leaves open, with the reading docs/serialization.md
gives. The generated client is called as a user would; the request it sends is compared byte for byte.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .corpus_packages import corpus_package
from .harness import Case, Draw, Package

STRING = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}
VALUES = {"string": STRING, "array": ARRAY, "object": OBJECT}
# The table's "." for an empty label value: as a whole path segment it is a dot segment, which URL
# normalisation removes (RFC 3986 5.2.4), so the request would reach another resource; the client refuses.
REFUSED = "refused: the segment would be '.'"

# (location, style, explode) -> {kind: the bytes}; "empty" is the empty string.
TABLE: dict[tuple[str, str, bool], dict[str, str]] = {
    ("path", "matrix", False): {"empty": ";color", "string": ";color=blue", "array": ";color=blue,black,brown",
                                "object": ";color=R,100,G,200,B,150"},
    ("path", "matrix", True): {"empty": ";color", "string": ";color=blue",
                               "array": ";color=blue;color=black;color=brown", "object": ";R=100;G=200;B=150"},
    ("path", "label", False): {"empty": REFUSED, "string": ".blue", "array": ".blue,black,brown",
                               "object": ".R,100,G,200,B,150"},
    ("path", "label", True): {"empty": REFUSED, "string": ".blue", "array": ".blue.black.brown",
                              "object": ".R=100.G=200.B=150"},
    ("path", "simple", False): {"string": "blue", "array": "blue,black,brown", "object": "R,100,G,200,B,150"},
    ("path", "simple", True): {"string": "blue", "array": "blue,black,brown", "object": "R=100,G=200,B=150"},
    ("query", "form", False): {"empty": "color=", "string": "color=blue", "array": "color=blue,black,brown",
                               "object": "color=R,100,G,200,B,150"},
    ("query", "form", True): {"empty": "color=", "string": "color=blue",
                              "array": "color=blue&color=black&color=brown", "object": "R=100&G=200&B=150"},
    ("query", "spaceDelimited", False): {"array": "color=blue%20black%20brown",
                                         "object": "color=R%20100%20G%20200%20B%20150"},
    ("query", "pipeDelimited", False): {"array": "color=blue%7Cblack%7Cbrown",
                                        "object": "color=R%7C100%7CG%7C200%7CB%7C150"},
    ("query", "deepObject", True): {"object": "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"},
    # Headers: the simple rows, without percent-encoding (header fields are not URIs).
    ("header", "simple", False): {"string": "blue", "array": "blue,black,brown", "object": "R,100,G,200,B,150"},
    ("header", "simple", True): {"string": "blue", "array": "blue,black,brown", "object": "R=100,G=200,B=150"},
    # CAREFORGE: cookies take the form rows, pairs joined by "; " as a Cookie header joins them.
    ("cookie", "form", False): {"string": "color=blue", "array": "color=blue,black,brown",
                                "object": "color=R,100,G,200,B,150"},
    ("cookie", "form", True): {"string": "color=blue", "array": "color=blue; color=black; color=brown",
                               "object": "R=100; G=200; B=150"},
}


def _op_id(location: str, style: str, explode: bool, kind: str) -> str:
    snake = {"spaceDelimited": "space_delimited", "pipeDelimited": "pipe_delimited", "deepObject": "deep_object"}
    return f"{location}_{snake.get(style, style)}_{str(explode).lower()}_{kind}"


ROWS = [pytest.param(location, style, explode, kind, wire, id=f"{location}-{style}-{explode}-{kind}")
        for (location, style, explode), cells in TABLE.items() for kind, wire in cells.items()]


@pytest.fixture(scope="module")
def styles() -> Package:
    return corpus_package("styles")


def _case(package: Package, operation_id: str) -> Case:
    return next(c for c in package.cases() if c.op.operation_id == operation_id)


def _sent(case: Case, params: dict[tuple[str, str], Any], *, use_async: bool = False) -> httpx.Request:
    request, _ = case.call(Draw(params=params), use_async=use_async)
    return request


def _wire(request: httpx.Request, location: str, prefix: str) -> str:
    if location == "path":
        path = request.url.raw_path.decode("ascii").split("?")[0]
        assert path.startswith(prefix), path
        return path[len(prefix):]
    if location == "query":
        return request.url.query.decode("ascii")
    if location == "header":
        return request.headers["color"]
    return request.headers["cookie"]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("location", "style", "explode", "kind", "wire"), ROWS)
def test_style_table_row(styles: Package, location: str, style: str, explode: bool, kind: str, wire: str,
                         use_async: bool) -> None:
    shape = "string" if kind == "empty" else kind
    case = _case(styles, _op_id(location, style, explode, shape))
    value = "" if kind == "empty" else VALUES[kind]
    if wire == REFUSED:
        from corpus_styles_client.errors import ConfigurationError  # type: ignore[import-not-found]

        with pytest.raises(ConfigurationError, match="segment '.'"):
            _sent(case, {(location, "color"): value}, use_async=use_async)
        return
    request = _sent(case, {(location, "color"): value}, use_async=use_async)
    prefix = f"/api/path/{style}/{str(explode).lower()}/{shape}/"
    assert _wire(request, location, prefix) == wire


# RFC 3986 / RFC 6570: everything outside the unreserved set is percent-encoded in a value, delimiters
# are not; allowReserved keeps the reserved set (but never `&`, `=`, `#`, `+`, which would change the query).
ENCODING_ROWS = [
    ({("path", "id"): "a b/c,d"}, "/api/reserved/a%20b%2Fc%2Cd", ""),
    ({("path", "id"): "x", ("query", "q"): "a b&c=d+e/f"}, "/api/reserved/x", "q=a%20b%26c%3Dd%2Be%2Ff"),
    ({("path", "id"): "x", ("query", "list"): ["a,b", "c"]}, "/api/reserved/x", "list=a%2Cb,c"),
    ({("path", "id"): "x", ("query", "raw"): "a/b:c?d[e]@f"}, "/api/reserved/x", "raw=a/b:c?d[e]@f"),
    ({("path", "id"): "x", ("query", "raw"): "a&b=c#d+e"}, "/api/reserved/x", "raw=a%26b%3Dc%23d%2Be"),
    ({("path", "id"): "Zürich ✓"}, "/api/reserved/Z%C3%BCrich%20%E2%9C%93", ""),
    ({("path", "id"): "%2F"}, "/api/reserved/%252F", ""),
    ({("path", "id"): "..."}, "/api/reserved/...", ""),
]


@pytest.mark.parametrize(("params", "path", "query"), ENCODING_ROWS)
def test_percent_encoding(styles: Package, params: dict[tuple[str, str], Any], path: str, query: str) -> None:
    request = _sent(_case(styles, "reserved"), params)
    assert request.url.raw_path.decode("ascii").split("?")[0] == path
    assert request.url.query.decode("ascii") == query


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_values_that_would_change_the_path_are_refused(styles: Package, value: str) -> None:
    from corpus_styles_client.errors import ConfigurationError  # type: ignore[import-not-found]

    with pytest.raises(ConfigurationError, match="id"):
        _sent(_case(styles, "reserved"), {("path", "id"): value})


def test_parameters_sharing_a_name_each_reach_the_wire(styles: Package) -> None:
    request = _sent(_case(styles, "same_name"), {("path", "id"): "p", ("query", "id"): "q", ("header", "id"): "h"})
    assert request.url.raw_path == b"/api/same/p?id=q"
    assert request.headers["id"] == "h"


def test_a_parameter_described_by_json_content_is_json_text(styles: Package) -> None:
    request = _sent(_case(styles, "json_param"), {("query", "where"): {"lat": 1.5, "long": -2.25}})
    assert request.url.query == b"where=%7B%22lat%22%3A1.5%2C%22long%22%3A-2.25%7D"
