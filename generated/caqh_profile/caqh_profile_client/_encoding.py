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

from ._polymorphic import Polymorphic
from ._types import NotGiven


def jsonable(value: Any, *, body: bool = False) -> Any:
    """A value json.dumps can write: models by their aliases, enums by value, dates as ISO 8601.
    `body`: a request body, which leaves readOnly fields out (a parameter's value sends them)."""
    if isinstance(value, pydantic.BaseModel):
        return sent(value, "json", body=body)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): jsonable(v, body=body) for k, v in value.items() if not isinstance(v, NotGiven)}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v, body=body) for v in value]
    return value


def sent(model: pydantic.BaseModel, mode: str, *, body: bool) -> Any:
    """A model as a request carries it: by its aliases, what the caller set, discriminator tags always, a
    child (a Cat where a Pet is typed) whole, and in a body no readOnly field (a model read from a
    response and sent back does not send the server's own fields)."""
    dumped = model.model_dump(mode=mode, by_alias=True, exclude_unset=True)
    return _Walk(mode, body).model(model, dumped)


class _Walk:
    def __init__(self, mode: str, body: bool) -> None:
        self.mode, self.body = mode, body

    def model(self, model: pydantic.BaseModel, dumped: Any) -> Any:
        if isinstance(model, pydantic.RootModel):
            return self.nested(model.root, dumped)
        if not isinstance(dumped, dict):
            return dumped
        cls = type(model)
        for name, field in cls.model_fields.items():
            key = field.alias or name
            value = getattr(model, name, None)
            if self.body and name in _read_only(cls) and name not in _tags(cls):
                dumped.pop(key, None)
            elif name in _tags(cls) and key not in dumped:
                dumped[key] = jsonable(value)
            elif key in dumped:
                dumped[key] = self.nested(value, dumped[key])
        return dumped

    def nested(self, value: Any, dumped: Any) -> Any:
        if isinstance(value, Polymorphic):
            # A field typed as the parent dumps a child as the parent (its own fields lost): dumped again
            # as what it is. (`serialize_as_any` would do it for every model, and fails on recursive
            # models before pydantic 2.12.)
            return sent(value, self.mode, body=self.body)
        if isinstance(value, pydantic.BaseModel):
            return self.model(value, dumped)
        if isinstance(value, (list, tuple)) and isinstance(dumped, list) and len(value) == len(dumped):
            return [self.nested(v, d) for v, d in zip(value, dumped)]
        if isinstance(value, Mapping) and isinstance(dumped, dict):
            return {k: self.nested(value[k], d) if k in value else d for k, d in dumped.items()}
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


def spelled(value: Any, words: tuple[str, str] | None) -> Any:
    """`value` with each boolean (in lists and mappings too) as the API spells it in text, e.g. "True"."""
    if words is None:
        return value
    if isinstance(value, bool):
        return words[0] if value else words[1]
    if isinstance(value, pydantic.BaseModel):
        value = jsonable(value)
    if isinstance(value, Mapping):
        return {k: spelled(v, words) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [spelled(v, words) for v in value]
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
    if isinstance(value, (pydantic.BaseModel, Mapping, list, tuple)):
        return json.dumps(jsonable(value), ensure_ascii=False, separators=(",", ":"))
    return str(value)
