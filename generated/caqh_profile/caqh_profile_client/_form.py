"""Form and multipart bodies, each field as its Encoding Object says (OpenAPI 3.x, RFC 7578)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_from_bytes

import pydantic

from ._encoding import sent, spelled, text
from ._files import is_file, is_file_tuple, open_part
from ._operation import FieldEncoding
from ._styles import pct, query_items
from ._types import NotGiven
from ._xml_shape import is_xml_media_type
from .errors import ConfigurationError

_PLAIN = FieldEncoding()


def fields_of(body: Any) -> Mapping[str, Any]:
    """A form or multipart body's fields, files kept as they are (for extra_body to add to)."""
    return _fields(body, keep_files=True)


def _fields(body: Any, *, keep_files: bool) -> Mapping[str, Any]:
    if isinstance(body, pydantic.BaseModel):
        mode = "python" if keep_files else "json"
        body = sent(body, mode, body=True)
    if not isinstance(body, Mapping):
        raise ConfigurationError(f"a form body is a mapping of fields, not a {type(body).__name__}")
    return {str(k): v for k, v in body.items() if v is not None and not isinstance(v, NotGiven)}


def form_body(body: Any, encodings: Mapping[str, FieldEncoding], words: tuple[str, str] | None = None) -> bytes:
    """application/x-www-form-urlencoded. A field with a style in its Encoding Object follows that style
    (deepObject gives `meta%5Bkey%5D=v`); without one, a list repeats the key and an object goes as JSON
    text, its default content type (application/json). Spaces are `+`, as the media type's own
    serializer writes them (WHATWG URL); parameters in a query keep RFC 3986's `%20`. `words`: how the
    API spells true and false (an object sent as JSON text keeps JSON's)."""
    pairs: list[tuple[str, str]] = []
    for key, value in _fields(body, keep_files=False).items():
        encoding = encodings.get(key, _PLAIN)
        if encoding.style:
            pairs.extend(query_items(key, spelled(value, words), encoding.style, encoding.explode,
                                     encoding.allow_reserved))
            continue
        items = value if isinstance(value, (list, tuple)) and not is_file_tuple(value) else [value]
        pairs.extend((pct(key), _form_value(key, item, words, encoding.allow_reserved)) for item in items
                     if item is not None)
    return "&".join(f"{k}={v}" for k, v in pairs).replace("%20", "+").encode("ascii")


def _form_value(key: str, item: Any, words: tuple[str, str] | None, allow_reserved: bool) -> str:
    """One value of a urlencoded form: bytes as their octets, percent-encoded; a path or a file object is
    refused rather than sent as text (its repr, or the path itself)."""
    if isinstance(item, (bytes, bytearray, memoryview)):
        return quote_from_bytes(bytes(item), safe="")
    if is_file(item):
        raise ConfigurationError(f"{key!r} is a field of a urlencoded form: pass the file's bytes, not a "
                                 f"{type(item).__name__}")
    return pct(text(_scalar(item, words)), allow_reserved)


def multipart_body(body: Any, encodings: Mapping[str, FieldEncoding], words: tuple[str, str] | None = None,
                   xml: Mapping[str, Any] | None = None) -> list[tuple[str, Any]]:
    """multipart/form-data parts in httpx's `files` form: one part per field, one per item of a list
    (RFC 7578 4.3: several files of one field are several parts of the same name); bytes, paths, file
    objects and (filename, content[, type]) tuples as file parts (see _files.open_part), objects as JSON
    (or as an XML file where the part's type is XML), the rest as text; a part's Content-Type is its
    Encoding Object's `contentType` (the first, if it lists several). `xml`: the XML shape of such parts,
    by field."""
    parts: list[tuple[str, Any]] = []
    for key, value in _fields(body, keep_files=True).items():
        listed = encodings.get(key, _PLAIN).content_type  # a file's type is chosen from the whole list
        declared = listed.split(",")[0].strip() or None
        items = value if isinstance(value, (list, tuple)) and not is_file_tuple(value) else [value]
        for item in items:
            if item is None:
                continue
            if declared and isinstance(item, (Mapping, pydantic.BaseModel)) and is_xml_media_type(declared):
                # only packages whose API speaks XML depend on the parser
                from ._xml import xml_part

                parts.append((key, xml_part(key, item, declared, (xml or {}).get(key))))
                continue
            parts.append((key, _part(_scalar(item, words), declared, listed or None)))
    return parts


def _scalar(item: Any, words: tuple[str, str] | None) -> Any:
    return spelled(item, words) if isinstance(item, bool) else item


def _part(item: Any, declared: str | None, listed: str | None = None) -> Any:
    if is_file(item):
        return open_part(item, listed or declared)
    if isinstance(item, tuple):
        return item  # httpx's own part form, passed as the caller wrote it
    if isinstance(item, (Mapping, list, pydantic.BaseModel)):
        return (None, text(item), declared or "application/json")
    return (None, text(item), declared) if declared else (None, text(item))
