"""Walk the operations of a resolved spec in a fixed order."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .resolve import Cursor, ResolvedSpec

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON_MEDIA = re.compile(r"^application/(?:[\w.+-]+\+)?json$", re.IGNORECASE)
TEMPLATE_VAR = re.compile(r"\{([^{}]*)\}")
# What an HTTP header or cookie value cannot carry: anything but tab and printable ASCII.
HEADER_UNSAFE = re.compile(r"[^\t\x20-\x7e]")


@dataclass(frozen=True, slots=True)
class OperationSite:
    path: str
    method: str
    operation: Cursor
    path_item: Cursor

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def operations(spec: ResolvedSpec) -> Iterator[OperationSite]:
    paths = spec.cursor.child("paths")
    for path, raw_item in paths.items():
        item = spec.deref(raw_item)
        if not isinstance(item.value, dict):
            continue
        for method in METHODS:
            op = item.child(method)
            if isinstance(op.value, dict):
                yield OperationSite(path, method, op, item)


def parameters(spec: ResolvedSpec, site: OperationSite) -> list[Cursor]:
    """The operation's parameters, path-level ones included unless the operation overrides them."""
    chosen: dict[tuple[str, str], Cursor] = {}
    for source in (site.path_item.child("parameters"), site.operation.child("parameters")):
        for raw in source.elements():
            param = spec.deref(raw)
            if isinstance(param.value, dict):
                key = (str(param.value.get("name")), str(param.value.get("in")))
                chosen[key] = param
    return list(chosen.values())


def openapi_version(data: Any) -> str:
    version = data.get("openapi") if isinstance(data, dict) else None
    return version if isinstance(version, str) else ""


def is_json(media_type: str) -> bool:
    return bool(JSON_MEDIA.match(media_type.split(";")[0].strip()))


def names_fields(spec: ResolvedSpec, schema: Cursor) -> bool:
    """Whether a form or multipart schema can describe named fields: an object, or a schema that does not
    say it is anything else (a `type: string, format: binary` one cannot)."""
    value = spec.deref(schema).value
    if not isinstance(value, dict):
        return True
    kind = value.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return kind is None or "object" in kinds


def given_examples(spec: ResolvedSpec, holder: Cursor) -> list[tuple[Cursor, Any]]:
    """The examples a parameter or media type gives, each where it stands: `example`, then the
    `value` of each named example (a named example with only an external value gives none)."""
    value = holder.value if isinstance(holder.value, dict) else {}
    found = [(holder.child("example"), value["example"])] if "example" in value else []
    for _, raw in holder.child("examples").items():
        example = spec.deref(raw)
        if isinstance(example.value, dict) and "value" in example.value:
            found.append((example.child("value"), example.value["value"]))
    return found
