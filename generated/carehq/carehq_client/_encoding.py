"""Turning Python values into JSON and into the text of one scalar (see _styles for parameters)."""

from __future__ import annotations

import base64
import datetime
import decimal
import enum
import functools
import json
import typing
import uuid
from collections.abc import Mapping
from typing import Any

import pydantic

from ._types import NotGiven


def jsonable(value: Any) -> Any:
    """A value json.dumps can write: models by their aliases, enums by value, dates as ISO 8601."""
    if isinstance(value, pydantic.BaseModel):
        return sent(value, "json")
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


def sent(model: pydantic.BaseModel, mode: str) -> Any:
    """A model as a request carries it: by its aliases, what the caller set, a child (a Cat where a Pet is
    typed) whole, discriminator tags always, and readOnly fields never (a model read from a response
    and sent back does not send the server's own fields)."""
    dumped = model.model_dump(mode=mode, by_alias=True, exclude_unset=True, serialize_as_any=True)
    return _with_tags(model, dumped)


def _with_tags(model: pydantic.BaseModel, dumped: Any) -> Any:
    """The dump of a model with its one-value `Literal` fields (discriminator tags) always present (a tag
    has a default so that a body without it parses, and is sent even when the caller left it out), and
    its readOnly fields left out."""
    if isinstance(model, pydantic.RootModel):
        return _nested(model.root, dumped)
    if not isinstance(dumped, dict):
        return dumped
    fields = type(model).model_fields
    for name, field in fields.items():
        key = field.alias or name
        value = getattr(model, name, None)
        if name in _read_only(type(model)):
            dumped.pop(key, None)
        elif name in _tags(type(model)) and key not in dumped:
            dumped[key] = jsonable(value)
        elif key in dumped:
            dumped[key] = _nested(value, dumped[key])
    return dumped


def _nested(value: Any, dumped: Any) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return _with_tags(value, dumped)
    if isinstance(value, (list, tuple)) and isinstance(dumped, list) and len(value) == len(dumped):
        return [_nested(v, d) for v, d in zip(value, dumped)]
    if isinstance(value, Mapping) and isinstance(dumped, dict):
        return {k: _nested(value[k], d) if k in value else d for k, d in dumped.items()}
    return dumped


@functools.cache
def _read_only(cls: type[pydantic.BaseModel]) -> frozenset[str]:
    return frozenset(name for name, field in cls.model_fields.items()
                     if isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get("readOnly") is True)


@functools.cache
def _tags(cls: type[pydantic.BaseModel]) -> frozenset[str]:
    return frozenset(name for name, field in cls.model_fields.items()
                     if typing.get_origin(field.annotation) is typing.Literal
                     and len(typing.get_args(field.annotation)) == 1 and field.default is not None)


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
    if isinstance(value, (pydantic.BaseModel, Mapping, list, tuple)):
        return json.dumps(jsonable(value), ensure_ascii=False, separators=(",", ":"))
    return str(value)
