"""Turning Python values into what goes on the wire: JSON, query pairs, path segments, form fields."""

from __future__ import annotations

import base64
import datetime
import decimal
import enum
import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import pydantic

from ._types import NotGiven


def jsonable(value: Any) -> Any:
    """A value json.dumps can write: models by their aliases, enums by value, dates as ISO 8601."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items() if not isinstance(v, NotGiven)}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return value


def text(value: Any) -> str:
    """A scalar as it appears in a URL or a form: booleans as true/false, dates as ISO 8601."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return text(value.value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, pydantic.BaseModel):
        return str(value.model_dump(mode="json", by_alias=True))
    return str(value)


_DELIMITERS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


def query_pairs(name: str, value: Any, style: str, explode: bool) -> list[tuple[str, str]]:
    """One query parameter as (name, value) pairs, following its OpenAPI style."""
    if value is None or isinstance(value, NotGiven):
        return []
    if isinstance(value, pydantic.BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        if style == "deepObject":
            return [(f"{name}[{k}]", text(v)) for k, v in value.items() if v is not None]
        if explode:
            return [(str(k), text(v)) for k, v in value.items() if v is not None]
        flat = [part for k, v in value.items() for part in (str(k), text(v))]
        return [(name, ",".join(flat))]
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [text(v) for v in value]
        if explode and style == "form":
            return [(name, item) for item in items]
        return [(name, _DELIMITERS.get(style, ",").join(items))] if items else []
    return [(name, text(value))]


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+")  # what quote(..., safe="") leaves as it is


def path_segment(value: Any) -> str:
    """A path parameter, percent-encoded so it can never change the shape of the path."""
    if isinstance(value, (list, tuple)):
        return ",".join(quote(text(v), safe="") for v in value)
    if type(value) is str and _UNRESERVED.fullmatch(value):
        return value  # the usual id: nothing to encode
    return quote(text(value), safe="")


def form_pairs(fields: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Form fields; a list becomes the same key repeated, None and NOT_GIVEN are left out."""
    pairs: list[tuple[str, str]] = []
    for key, value in fields.items():
        if value is None or isinstance(value, NotGiven):
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            pairs.extend((key, text(v)) for v in value)
        else:
            pairs.append((key, text(value)))
    return pairs
