"""Models of schemas that others extend, chosen by a discriminator (OpenAPI's Pet, Cat and Dog).

A value parsed as `Pet` becomes the class its tag names (`{"petType": "cat"}` is a `Cat`, which is a
`Pet`). A tag no class has, or a value the named class refuses, stays a `Pet`: a server that adds a
kind does not break parsing. Building a model by hand (`Pet(petType="cat")`) builds what it names.
"""

from __future__ import annotations

import contextvars
import importlib
from typing import Any, ClassVar

import pydantic

_BUILDING: contextvars.ContextVar[bool] = contextvars.ContextVar("building", default=False)


class Polymorphic(pydantic.BaseModel):
    # (the property's wire name, {tag: class name}), set by each generated parent class
    __tags__: ClassVar[tuple[str, dict[str, str]]] = ("", {})

    def __init__(self, /, **data: Any) -> None:
        token = _BUILDING.set(True)
        try:
            super().__init__(**data)
        finally:
            _BUILDING.reset(token)

    @pydantic.model_validator(mode="wrap")
    @classmethod
    def _by_tag(cls, value: Any, handler: pydantic.ModelWrapValidatorHandler[Any]) -> Any:
        if _BUILDING.get():  # this model is being built by hand; the values inside it are parsed
            token = _BUILDING.set(False)
            try:
                return handler(value)
            finally:
                _BUILDING.reset(token)
        # Only the class that declares the tags chooses: a child parses as itself, whatever its tag.
        wire, tags = cls.__dict__.get("__tags__", ("", {}))
        tag = value.get(wire) if tags and isinstance(value, dict) else None
        child = _class(cls, tags[tag]) if isinstance(tag, str) and tag in tags else None
        if child is not None:
            try:
                return child.model_validate(value)
            except pydantic.ValidationError:
                pass  # the value still fits the parent, which is what the spec promises
        return handler(value)


def _class(parent: type[pydantic.BaseModel], name: str) -> type[pydantic.BaseModel] | None:
    """The model `name` if it extends `parent` (a value of Pet must be a Pet), from the package's models
    (which load a split model module on first use)."""
    package = parent.__module__.split("._models.")[0].removesuffix(".models")
    try:
        found = getattr(importlib.import_module(f"{package}.models"), name, None)
    except ImportError:
        found = None
    return found if isinstance(found, type) and issubclass(found, parent) and found is not parent else None
