"""Parameters and form fields as OpenAPI's styles put them on the wire (RFC 6570, RFC 3986).

Everything returned here is final text: values are percent-encoded once, delimiters are left as they
are, so a comma inside a value (`%2C`) never reads as a comma between values. The style table of the
OpenAPI Specification, row by row, is in the package's tests of the generator (docs/serialization.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import pydantic

from ._encoding import jsonable, text
from ._types import NotGiven

# RFC 3986 reserved characters that allowReserved lets through; `&`, `=`, `#` and `+` are still encoded,
# since a query reader would take them for structure.
_RESERVED_KEPT = ":/?@!$'()*,;[]"
# RFC 6265 cookie-octet, less `%` (which starts an escape): everything else in a cookie value is escaped.
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"


def pct(value: str, allow_reserved: bool = False) -> str:
    """Percent-encode all but RFC 3986's unreserved characters (and the reserved ones, if allowed)."""
    return quote(value, safe=_RESERVED_KEPT if allow_reserved else "")


def shape(value: Any) -> Any:
    """A value as one of: a str (a primitive), a list of primitives, a dict of primitives; None is undefined.

    Members that are themselves lists or objects have no form in RFC 6570: they are sent as JSON text.
    """
    if isinstance(value, pydantic.BaseModel) or isinstance(value, Mapping):
        plain = jsonable(value)
        return {str(k): text(v) for k, v in plain.items() if v is not None and not isinstance(v, NotGiven)}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [text(v) for v in value if v is not None]
    if value is None or isinstance(value, NotGiven):
        return None
    return text(value)


def path_expansion(name: str, value: Any, style: str, explode: bool) -> str:
    """The text that replaces `{name}` in a path template (simple, label or matrix style)."""
    shaped = shape(value)
    enc = pct
    if style == "label":
        if isinstance(shaped, list):
            return "." + ("." if explode else ",").join(enc(v) for v in shaped)
        if isinstance(shaped, dict):
            if explode:
                return "." + ".".join(f"{enc(k)}={enc(v)}" for k, v in shaped.items())
            return "." + ",".join(f"{enc(k)},{enc(v)}" for k, v in shaped.items())
        return "." + enc(shaped or "")
    if style == "matrix":
        key = enc(name)
        if isinstance(shaped, list):
            if explode:
                return "".join(f";{key}" + (f"={enc(v)}" if v else "") for v in shaped)
            return f";{key}=" + ",".join(enc(v) for v in shaped)
        if isinstance(shaped, dict):
            if explode:
                return "".join(f";{enc(k)}" + (f"={enc(v)}" if v else "") for k, v in shaped.items())
            return f";{key}=" + ",".join(f"{enc(k)},{enc(v)}" for k, v in shaped.items())
        return f";{key}" + (f"={enc(shaped)}" if shaped else "")
    if isinstance(shaped, list):
        return ",".join(enc(v) for v in shaped)
    if isinstance(shaped, dict):
        sep = "=" if explode else ","
        return ",".join(f"{enc(k)}{sep}{enc(v)}" for k, v in shaped.items())
    return enc(shaped or "")


_DELIMITER = {"form": ",", "spaceDelimited": "%20", "pipeDelimited": "%7C"}


def query_items(name: str, value: Any, style: str, explode: bool,
                allow_reserved: bool = False) -> list[tuple[str, str]]:
    """One query parameter (or form field) as encoded (name, value) pairs; [] when it is undefined."""
    if style == "deepObject":
        return deep_items(pct(name), value, allow_reserved)
    shaped = shape(value)
    key = pct(name)

    def enc(text_value: str) -> str:
        return pct(text_value, allow_reserved)

    if shaped is None or shaped == [] or shaped == {}:
        return []  # undefined (RFC 6570): nothing is sent
    if isinstance(shaped, list):
        if explode and style == "form":
            return [(key, enc(v)) for v in shaped]
        return [(key, _DELIMITER.get(style, ",").join(enc(v) for v in shaped))]
    if isinstance(shaped, dict):
        if explode and style == "form":
            return [(pct(k), enc(v)) for k, v in shaped.items()]
        return [(key, _DELIMITER.get(style, ",").join(f"{enc(k)}{_DELIMITER.get(style, ',')}{enc(v)}"
                                                        for k, v in shaped.items()))]
    return [(key, enc(shaped))]


def deep_items(prefix: str, value: Any, allow_reserved: bool = False) -> list[tuple[str, str]]:
    """deepObject: `name[key]=value`, nested objects as `name[a][b]`, lists indexed as `name[a][0]`.

    OpenAPI defines one level of keys; deeper levels follow the bracket form most servers parse.
    """
    if isinstance(value, pydantic.BaseModel) or isinstance(value, Mapping):
        value = jsonable(value)
        pairs: list[tuple[str, str]] = []
        for key, member in value.items():
            if member is None or isinstance(member, NotGiven):
                continue
            pairs.extend(deep_items(f"{prefix}%5B{pct(str(key))}%5D", member, allow_reserved))
        return pairs
    if isinstance(value, (list, tuple)):
        return [pair for index, member in enumerate(value) if member is not None
                for pair in deep_items(f"{prefix}%5B{index}%5D", member, allow_reserved)]
    if value is None or isinstance(value, NotGiven):
        return []
    return [(prefix, pct(text(value), allow_reserved))]


def header_value(value: Any, explode: bool) -> str | None:
    """simple style, as header fields carry it: no percent-encoding (the caller refuses unsafe text)."""
    shaped = shape(value)
    if shaped is None or shaped == [] or shaped == {}:
        return None  # undefined (RFC 6570): no header at all
    if isinstance(shaped, list):
        return ",".join(shaped)
    if isinstance(shaped, dict):
        return ",".join(f"{k}={v}" if explode else f"{k},{v}" for k, v in shaped.items())
    return str(shaped)


def cookie_items(name: str, value: Any, explode: bool) -> list[str]:
    """form style in a Cookie header: `name=value` pairs, joined with `; ` by the caller."""
    shaped = shape(value)

    def enc(text_value: str) -> str:
        return quote(text_value, safe=_COOKIE_SAFE)

    if shaped is None or shaped == [] or shaped == {}:
        return []
    if isinstance(shaped, list):
        if explode:
            return [f"{name}={enc(v)}" for v in shaped]
        return [f"{name}=" + ",".join(enc(v) for v in shaped)]
    if isinstance(shaped, dict):
        if explode:
            return [f"{enc(k)}={enc(v)}" for k, v in shaped.items()]
        return [f"{name}=" + ",".join(f"{enc(k)},{enc(v)}" for k, v in shaped.items())]
    return [f"{name}={enc(shaped)}"]
