"""Form and multipart bodies as exact bytes, from the Encoding Object rules of the OpenAPI Specification.

- application/x-www-form-urlencoded (spaces as `+`, as the media type's serializer in the WHATWG URL
  standard writes them): a field whose Encoding Object sets style, explode or allowReserved
  follows that style (the style table's query rows, without the `?`); a field without one follows its
  default content type: text for primitives, the key repeated for a list, JSON text for an object.
- multipart/form-data (RFC 7578): one part per field and one per item of a list; an object is a JSON part
  (application/json unless `contentType` says otherwise); bytes are a file part; a part's Content-Type is
  its Encoding Object's `contentType` (the first of a list). Text parts carry no Content-Type, which RFC
  7578 4.4 reads as text/plain, the Specification's default.
"""

from __future__ import annotations

import email.parser
import email.policy
from typing import Any

import httpx
import pytest

from .corpus_packages import corpus_package
from .harness import Case, Draw, Package

FIELDS = {"name": "A b", "count": 3, "active": True, "tags": ["x", "y"], "meta": {"a": "v w", "b": 2},
          "note": "p/q"}


@pytest.fixture(scope="module")
def bodies() -> Package:
    return corpus_package("bodies")


def _send(package: Package, operation_id: str, body: Any, *, use_async: bool = False) -> httpx.Request:
    case: Case = next(c for c in package.cases() if c.op.operation_id == operation_id)
    request, _ = case.call(Draw(body=body), use_async=use_async)
    return request


FORM_ROWS = [
    ("form_plain", FIELDS,
     "name=A+b&count=3&active=true&tags=x&tags=y&meta=%7B%22a%22%3A%22v+w%22%2C%22b%22%3A2%7D&note=p%2Fq"),
    ("form_styled", FIELDS,
     "name=A+b&count=3&active=true&tags=x,y&meta%5Ba%5D=v+w&meta%5Bb%5D=2&note=p/q"),
    # Deeper than one level, OpenAPI leaves deepObject open: nested keys in brackets, list items indexed.
    ("form_nested", {"metadata": {"order": "7", "k y": "v"}, "items": [{"price": "p_1", "quantity": 2}]},
     "metadata%5Border%5D=7&metadata%5Bk+y%5D=v&items%5B0%5D%5Bprice%5D=p_1&items%5B0%5D%5Bquantity%5D=2"),
]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("operation_id", "body", "wire"), FORM_ROWS, ids=[r[0] for r in FORM_ROWS])
def test_form_body(bodies: Package, operation_id: str, body: dict[str, Any], wire: str, use_async: bool) -> None:
    request = _send(bodies, operation_id, body, use_async=use_async)
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.content.decode("ascii") == wire


def _parts(request: httpx.Request) -> list[tuple[str, str | None, str | None, bytes]]:
    """(name, filename, Content-Type, content) of each part, read with the standard library's MIME parser."""
    raw = b"Content-Type: " + request.headers["content-type"].encode() + b"\r\n\r\n" + request.content
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    assert message.is_multipart()
    parts = []
    for part in message.iter_parts():
        disposition = part.get("Content-Disposition")
        assert disposition is not None and disposition.startswith("form-data")
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts.append((part.get_param("name", header="content-disposition"),
                      part.get_param("filename", header="content-disposition"), part.get("Content-Type"),
                      payload))
    return parts  # type: ignore[return-value]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_multipart_fields_of_text_are_still_multipart(bodies: Package, use_async: bool) -> None:
    request = _send(bodies, "upload_plain", FIELDS, use_async=use_async)
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert _parts(request) == [
        ("name", None, None, b"A b"),
        ("count", None, None, b"3"),
        ("active", None, None, b"true"),
        ("tags", None, None, b"x"),
        ("tags", None, None, b"y"),
        ("meta", None, "application/json", b'{"a":"v w","b":2}'),
        ("note", None, None, b"p/q"),
    ]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_multipart_part_types_come_from_the_encoding_object(bodies: Package, use_async: bool) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x01"
    request = _send(bodies, "upload_file", {"file": png, "caption": "Front", "meta": {"source": "scan"}},
                    use_async=use_async)
    assert _parts(request) == [
        ("file", "upload", "image/png", png),
        ("caption", None, None, b"Front"),
        ("meta", None, "application/vnd.meta+json", b'{"source":"scan"}'),
    ]
