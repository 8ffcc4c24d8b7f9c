"""generator/model_text.py: protected namespaces cleared."""

from __future__ import annotations

import warnings

from generator.model_text import clear_protected_namespaces

MODELS = '''from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Thing(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    model_dump_: str | None = Field(None, alias="model_dump")


class Bare(BaseModel):
    model_validate_x: int | None = None


class Plain(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    name: str | None = None
'''


def test_protected_namespace_fields_import_without_warnings() -> None:
    with warnings.catch_warnings(record=True) as before:
        warnings.simplefilter("always")
        exec(compile(MODELS, "models.py", "exec"), {})
    assert any("protected namespace" in str(w.message) for w in before)
    fixed = clear_protected_namespaces(MODELS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        namespace: dict[str, object] = {}
        exec(compile(fixed, "models.py", "exec"), namespace)
    thing = namespace["Thing"].model_validate({"model_dump": "x", "other": 1})  # type: ignore[attr-defined]
    assert thing.model_dump_ == "x" and thing.model_extra == {"other": 1}
    assert "Plain(BaseModel):\n    model_config = ConfigDict(\n        extra" in fixed  # untouched


def test_models_without_such_fields_are_returned_as_is() -> None:
    source = MODELS.replace("model_dump_", "dump").replace("model_validate_x", "x")
    assert clear_protected_namespaces(source) is source
